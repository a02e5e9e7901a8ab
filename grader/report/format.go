package report

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
)

// formats lists the output formats in the order shown to users.
var formats = []struct {
	name, ext string
}{
	{"text", ".txt"},
	{"md", ".md"},
	{"json", ".json"},
	{"junit", ".xml"},
	{"gradescope", ".json"},
	{"html", ".html"},
}

// Formats returns the names Write accepts.
func Formats() []string {
	out := make([]string, len(formats))
	for i, f := range formats {
		out[i] = f.name
	}
	return out
}

// FileExt returns the file extension, dot included, for a format, or "" for
// an unknown one. Gradescope insists on the name results.json; the extension
// alone does not make that name.
func FileExt(format string) string {
	for _, f := range formats {
		if f.name == format {
			return f.ext
		}
	}
	return ""
}

// Write renders r in the named format. opts applies to "text" only.
func Write(w io.Writer, format string, r *Report, opts TextOptions) error {
	switch format {
	case "text":
		return WriteText(w, r, opts)
	case "md":
		return WriteMarkdown(w, r)
	case "json":
		return WriteJSON(w, r)
	case "junit":
		return WriteJUnit(w, r)
	case "gradescope":
		return WriteGradescope(w, r)
	case "html":
		return WriteHTML(w, r, HTMLOptions{})
	}
	return fmt.Errorf("report: unknown format %q (known: %s)", format, strings.Join(Formats(), ", "))
}

var errNilReport = errors.New("nil report")

// writeAll writes a fully rendered report in one call, so that a failing
// writer leaves either everything or a clear error.
func writeAll(w io.Writer, format string, b []byte) error {
	if _, err := w.Write(b); err != nil {
		return fmt.Errorf("write %s report: %w", format, err)
	}
	return nil
}

// formatDuration is a short, stable rendering for humans: 450ms, 2.3s, 3m12s.
func formatDuration(d time.Duration) string {
	switch {
	case d <= 0:
		return "0s"
	case d < time.Second:
		return fmt.Sprintf("%dms", d.Milliseconds())
	case d < time.Minute:
		return fmt.Sprintf("%.1fs", d.Seconds())
	default:
		return d.Round(time.Second).String()
	}
}

// countsSummary reads "5 passed, 2 failed, 1 error"; zero counts other than
// passed are left out so that a clean run reads "8 passed".
func countsSummary(r *Report) string {
	pass, fail, errored, skipped := r.Counts()
	parts := []string{fmt.Sprintf("%d passed", pass)}
	if fail > 0 {
		parts = append(parts, fmt.Sprintf("%d failed", fail))
	}
	if errored == 1 {
		parts = append(parts, "1 error")
	} else if errored > 1 {
		parts = append(parts, fmt.Sprintf("%d errors", errored))
	}
	if skipped > 0 {
		parts = append(parts, fmt.Sprintf("%d skipped", skipped))
	}
	return strings.Join(parts, ", ")
}

// subjectLine names who was graded and from which file.
func subjectLine(r *Report) string {
	s := r.Subject
	if s == "" {
		s = "(unnamed subject)"
	}
	if r.Claimed != "" {
		s += " (claims: " + r.Claimed + ")"
	}
	if r.Source != "" {
		s += " (submission " + r.Source + ")"
	}
	return s
}

// labLine reads "Docker Swarm orchestration (swarm-orchestration, version 1)".
func labLine(l LabInfo) string {
	var id []string
	if l.Name != "" {
		id = append(id, l.Name)
	}
	if l.Version != "" {
		id = append(id, "version "+l.Version)
	}
	switch {
	case l.Title == "" && len(id) == 0:
		return "(unnamed lab)"
	case l.Title == "":
		return strings.Join(id, ", ")
	case len(id) == 0:
		return l.Title
	}
	return l.Title + " (" + strings.Join(id, ", ") + ")"
}

// notableCommand is a command worth showing without -verbose: the student
// needs to see what went wrong without scrolling through what went right,
// and an instructor every command whose reading from an image is in doubt.
func notableCommand(c Command) bool {
	return c.Outcome.Notable() || (c.Evidence != nil && c.Evidence.CheckByHand)
}

// evidenceLine says where a command read from an image came from and how
// sure the reading is; "" for commands read from text.
func evidenceLine(c Command) string {
	e := c.Evidence
	if e == nil {
		return ""
	}
	s := fmt.Sprintf("read from image %s (OCR confidence %.0f%%)", e.Image, e.Confidence)
	if len(e.Corrections) > 0 {
		s += "; corrected: " + strings.Join(e.Corrections, ", ")
	}
	if e.CheckByHand {
		s += "; CHECK BY HAND against the image"
		if e.Why != "" {
			s += " (" + e.Why + ")"
		}
	}
	return s
}

// firstHeldLine is FirstHeld as a sentence fragment.
func firstHeldLine(it Item) string {
	if it.FirstHeld == "" {
		return ""
	}
	return "first held after " + it.FirstHeld
}

// itemExplanation is an item's verdict as plain prose for writers without
// structure of their own (JUnit bodies, Gradescope output): reason, then
// evidence, when it held, and the hint for items that lost points.
func itemExplanation(it Item) string {
	var parts []string
	if it.Reason != "" {
		parts = append(parts, strings.TrimRight(it.Reason, "\n"))
	}
	if it.Evidence != "" {
		parts = append(parts, "Evidence:\n"+strings.TrimRight(it.Evidence, "\n"))
	}
	if fh := firstHeldLine(it); fh != "" {
		parts = append(parts, "It "+fh+".")
	}
	if it.ShowsHint() {
		parts = append(parts, "Hint: "+strings.TrimRight(it.Hint, "\n"))
	}
	if it.CheckByHand != "" {
		parts = append(parts, "Check by hand: "+strings.TrimRight(it.CheckByHand, "\n"))
	}
	return strings.Join(parts, "\n\n")
}
