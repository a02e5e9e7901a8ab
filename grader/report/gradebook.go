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
// score, max, whether grading completed, how many lines an instructor
// should check by hand (commands read from images in doubt, items whose
// recorded output and replay disagree), then the points of each rubric
// item, a column each, in rubric order.
func WriteGradebook(w io.Writer, reps []*Report) error {
	cw := NewCSVWriter(w)
	ids := itemIDs(reps)
	header := append([]string{"student", "claimed", "source", "score", "max", "completed", "check_by_hand"}, ids...)
	if err := cw.Write(header); err != nil {
		return err
	}
	for _, r := range reps {
		row := []string{r.Subject, r.Claimed, r.Source, strconv.Itoa(r.Score), strconv.Itoa(r.MaxScore), strconv.FormatBool(r.Completed), strconv.Itoa(r.CheckByHandCount())}
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
	buckets := ScoreBuckets(reps)
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
	for _, ir := range ItemPassRates(reps) {
		rate := 0
		if ir.Total > 0 {
			rate = ir.Passed * 100 / ir.Total
		}
		fmt.Fprintf(tw, "  %s\t%d\t%d/%d\t%d%%\n", ir.ID, ir.Points, ir.Passed, ir.Total, rate)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	var doubt []string
	for _, r := range reps {
		if n := r.CheckByHandCount(); n > 0 {
			doubt = append(doubt, fmt.Sprintf("  %s: %d", r.Subject, n))
		}
	}
	if len(doubt) > 0 {
		b.WriteString("\nTo check by hand (lines read from screenshots in doubt, verdicts the replay and the recorded output disagree on; see each report):\n")
		b.WriteString(strings.Join(doubt, "\n") + "\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteClassSummary writes WriteSummary's summary, then what keeps the
// class from being whole, then the pairs of submissions that share
// evidence: each pair's values and passages with their lines, in neutral
// words. No score depends on them.
func WriteClassSummary(w io.Writer, c Class) error {
	if err := WriteSummary(w, c.Reports); err != nil {
		return err
	}
	var b strings.Builder
	if len(c.Problems) > 0 {
		b.WriteString("\nNot a whole class:\n")
		for _, p := range c.Problems {
			fmt.Fprintf(&b, "  - %s\n", p)
		}
	}
	b.WriteString("\nShared evidence (for an instructor to read; no score depends on it):\n")
	if len(c.Pairs) == 0 {
		b.WriteString("  no two submissions share values of one swarm or near-identical transcripts\n")
	}
	for _, p := range c.Pairs {
		fmt.Fprintf(&b, "  %s\n", p.Summary())
		for _, v := range p.Values {
			fmt.Fprintf(&b, "    - %s\n", p.ValueLines(v))
		}
		if pl := p.PassageLines(); pl != "" {
			fmt.Fprintf(&b, "    - shared passages start at %s\n", pl)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteSimilarity writes similarity.csv: one row per shared value and one
// per pair's shared passages, every cell through the CSV helper (file
// names and claimed names are the students').
func WriteSimilarity(w io.Writer, pairs []Pair) error {
	cw := NewCSVWriter(w)
	if err := cw.Write([]string{"a", "b", "source_a", "source_b", "evidence", "kind", "value", "lines_a", "lines_b", "overlap_percent", "summary"}); err != nil {
		return err
	}
	for _, p := range pairs {
		pct := strconv.Itoa(p.Percent())
		for _, v := range p.Values {
			if err := cw.Write([]string{p.A, p.B, p.SourceA, p.SourceB, "value", v.Kind, v.Text, joinInts(v.LinesA), joinInts(v.LinesB), pct, p.Summary()}); err != nil {
				return err
			}
		}
		if len(p.LinesA) > 0 {
			if err := cw.Write([]string{p.A, p.B, p.SourceA, p.SourceB, "transcript", "", "", joinInts(p.LinesA), joinInts(p.LinesB), pct, p.Summary()}); err != nil {
				return err
			}
		}
	}
	return cw.Flush()
}
