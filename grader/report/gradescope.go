package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"
)

// gradescopeResults is results.json as the Gradescope autograder reads it
// from /autograder/results/. Field names are Gradescope's, not ours.
type gradescopeResults struct {
	Score            int              `json:"score"`
	MaxScore         int              `json:"max_score"`
	ExecutionTime    int              `json:"execution_time"`
	Output           string           `json:"output"`
	Visibility       string           `json:"visibility"`
	StdoutVisibility string           `json:"stdout_visibility"`
	Tests            []gradescopeTest `json:"tests"`
}

type gradescopeTest struct {
	Name       string `json:"name"`
	Number     string `json:"number"`
	Score      int    `json:"score"`
	MaxScore   int    `json:"max_score"`
	Status     string `json:"status"`
	Output     string `json:"output"`
	Visibility string `json:"visibility"`
}

// WriteGradescope writes r as Gradescope's results.json. Results are visible
// to the student at once: the report is written to teach. The autograder's
// stdout is hidden, since it is labcheck's own progress log, not feedback.
//
// A report that did not complete scores 0, and every test scores 0 with its
// verdict kept: Gradescope would otherwise publish a partial sum as if it
// were a grade, and the top-level output says why.
func WriteGradescope(w io.Writer, r *Report) error {
	if r == nil {
		return fmt.Errorf("write gradescope report: %w", errNilReport)
	}
	res := gradescopeResults{
		Score:            r.Score,
		MaxScore:         r.MaxScore,
		ExecutionTime:    int(r.Duration().Round(time.Second).Seconds()),
		Output:           gradescopeSummary(r),
		Visibility:       "visible",
		StdoutVisibility: "hidden",
		Tests:            []gradescopeTest{},
	}
	if !r.Completed {
		res.Score = 0
	}
	for i, it := range r.Items {
		t := gradescopeTest{
			Name:       strings.TrimSuffix(it.ID+": "+it.Title, ": "),
			Number:     fmt.Sprint(i + 1),
			Score:      it.Awarded,
			MaxScore:   it.Points,
			Status:     gradescopeStatus(it),
			Output:     gradescopeItemOutput(it),
			Visibility: "visible",
		}
		if !r.Completed {
			t.Score = 0
			t.Output = strings.TrimSpace("Not scored: grading did not complete.\n\n" + t.Output)
		}
		res.Tests = append(res.Tests, t)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(res); err != nil {
		return fmt.Errorf("write gradescope report: %w", err)
	}
	return writeAll(w, "gradescope", buf.Bytes())
}

// gradescopeStatus knows only passed and failed. A skipped item that the
// grader still credited in full is shown as passed, so that a check the
// environment could not run does not paint the student's work red.
func gradescopeStatus(it Item) string {
	if it.Status == StatusPass || (it.Status == StatusSkipped && it.Awarded >= it.Points) {
		return "passed"
	}
	return "failed"
}

// gradescopeItemOutput labels what Gradescope's two states cannot say: an
// error is the grader's trouble, a skip is the environment's.
func gradescopeItemOutput(it Item) string {
	out := itemExplanation(it)
	switch it.Status {
	case StatusError:
		out = "Could not be checked: " + out
	case StatusSkipped:
		out = "Skipped: " + out
	}
	return strings.TrimSpace(strings.TrimSuffix(out, ": "))
}

func gradescopeSummary(r *Report) string {
	var b strings.Builder
	title := orDefault(r.Lab.Title, orDefault(r.Lab.Name, "lab"))
	if r.Completed {
		fmt.Fprintf(&b, "%s: %d/%d (%s).\n", title, r.Score, r.MaxScore, countsSummary(r))
	} else {
		fmt.Fprintf(&b, "%s: not graded. Grading could not complete: %s\n", title, r.IncompleteReason())
		fmt.Fprintf(&b, "Score 0: %d of %d points were reached before it stopped; ask your instructor to re-run the grader.\n", r.Score, r.MaxScore)
	}
	for _, w := range r.Warnings {
		fmt.Fprintf(&b, "Warning: %s\n", w)
	}
	for _, c := range r.CheckByHand() {
		fmt.Fprintf(&b, "Check by hand: #%d %s$ %s — %s\n", c.Index, c.Node, c.Text, evidenceLine(c))
	}
	for _, im := range r.Environment.Images {
		if im.IsStandIn() {
			fmt.Fprintf(&b, "Note: %s.\n", im.Describe())
		}
	}
	return strings.TrimRight(b.String(), "\n")
}
