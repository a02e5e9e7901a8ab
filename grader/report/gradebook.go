package report

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
)

// WriteGradebook writes one CSV row per report: student (the key the
// submission was filed under), the name the submission claims, source,
// score, max, whether grading completed, then the points of each rubric
// item, a column each, in rubric order.
func WriteGradebook(w io.Writer, reps []*Report) error {
	cw := NewCSVWriter(w)
	ids := itemIDs(reps)
	header := append([]string{"student", "claimed", "source", "score", "max", "completed"}, ids...)
	if err := cw.Write(header); err != nil {
		return err
	}
	for _, r := range reps {
		row := []string{r.Subject, r.Claimed, r.Source, strconv.Itoa(r.Score), strconv.Itoa(r.MaxScore), strconv.FormatBool(r.Completed)}
		awarded := map[string]int{}
		for _, it := range r.Items {
			awarded[it.ID] = it.Awarded
		}
		for _, id := range ids {
			row = append(row, strconv.Itoa(awarded[id]))
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	return cw.Flush()
}

func itemIDs(reps []*Report) []string {
	var ids []string
	seen := map[string]bool{}
	for _, r := range reps {
		for _, it := range r.Items {
			if !seen[it.ID] {
				seen[it.ID] = true
				ids = append(ids, it.ID)
			}
		}
	}
	return ids
}

// WriteSummary writes a batch's summary: the score distribution in tenths
// of the maximum, and each rubric item's pass rate.
func WriteSummary(w io.Writer, reps []*Report) error {
	var b strings.Builder
	n := len(reps)
	fmt.Fprintf(&b, "%d submission(s) graded", n)
	incomplete := 0
	for _, r := range reps {
		if !r.Completed {
			incomplete++
		}
	}
	if incomplete > 0 {
		fmt.Fprintf(&b, ", %d could not be graded completely (see their reports)", incomplete)
	}
	b.WriteString("\n\nScore distribution:\n")
	buckets := make([]int, 11)
	for _, r := range reps {
		if r.MaxScore > 0 {
			buckets[r.Score*10/r.MaxScore]++
		}
	}
	for i := 10; i >= 0; i-- {
		label := fmt.Sprintf("%3d%%     ", i*10)
		if i < 10 {
			label = fmt.Sprintf("%3d-%3d%%", i*10, i*10+9)
		}
		fmt.Fprintf(&b, "  %s %3d %s\n", label, buckets[i], strings.Repeat("#", buckets[i]))
	}
	b.WriteString("\nPer item:\n")
	tw := tabwriter.NewWriter(&b, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "  ITEM\tPOINTS\tPASSED\tRATE")
	for _, id := range itemIDs(reps) {
		pass, total, points := 0, 0, 0
		for _, r := range reps {
			for _, it := range r.Items {
				if it.ID == id {
					total++
					points = it.Points
					if it.Status == StatusPass {
						pass++
					}
				}
			}
		}
		rate := 0
		if total > 0 {
			rate = pass * 100 / total
		}
		fmt.Fprintf(tw, "  %s\t%d\t%d/%d\t%d%%\n", id, points, pass, total, rate)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := io.WriteString(w, b.String())
	return err
}
