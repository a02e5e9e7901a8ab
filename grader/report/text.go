package report

import (
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"
)

// TextOptions tunes the terminal rendering.
type TextOptions struct {
	// Color adds ANSI colours and the symbols ✔ ✘ ! –; without it the
	// output is plain words (PASS, FAIL, ERROR, SKIP) fit for logs and
	// files.
	Color bool
	// Verbose lists every command with its output and, for passed items,
	// what was checked and when it first held.
	Verbose bool
}

const (
	ansiReset  = "\x1b[0m"
	ansiBold   = "\x1b[1m"
	ansiRed    = "\x1b[31m"
	ansiGreen  = "\x1b[32m"
	ansiYellow = "\x1b[33m"
	ansiGrey   = "\x1b[90m"
)

// WriteText renders r for a terminal.
func WriteText(w io.Writer, r *Report, opts TextOptions) error {
	if r == nil {
		return fmt.Errorf("write text report: %w", errNilReport)
	}
	t := &textWriter{opts: opts}
	t.header(r)
	t.items(r)
	t.steps(r)
	t.warnings(r)
	t.checkByHand(r)
	t.notes(r)
	t.environment(r)
	t.timings(r)
	return writeAll(w, "text", []byte(trimLineEnds(t.b.String())))
}

type textWriter struct {
	b    strings.Builder
	opts TextOptions
}

func (t *textWriter) line(format string, a ...any) {
	fmt.Fprintf(&t.b, format, a...)
	t.b.WriteByte('\n')
}

func (t *textWriter) paint(code, s string) string {
	if !t.opts.Color || s == "" {
		return s
	}
	return code + s + ansiReset
}

func (t *textWriter) section(title string) {
	t.b.WriteByte('\n')
	t.line("%s", t.paint(ansiBold, title))
}

// mark is the status column: a coloured symbol, or a word padded to the
// widest word so that columns line up in plain logs.
func (t *textWriter) mark(s Status) string {
	if t.opts.Color {
		switch s {
		case StatusPass:
			return t.paint(ansiGreen, "✔")
		case StatusFail:
			return t.paint(ansiRed, "✘")
		case StatusSkipped:
			return t.paint(ansiGrey, "–")
		}
		return t.paint(ansiYellow, "!")
	}
	switch s {
	case StatusPass:
		return "PASS "
	case StatusFail:
		return "FAIL "
	case StatusSkipped:
		return "SKIP "
	}
	return "ERROR"
}

func (t *textWriter) markWidth() int {
	if t.opts.Color {
		return 1
	}
	return 5
}

// overallColour is green for a clean run, red when the student has work to
// do, yellow when only the grader had trouble.
func overallColour(r *Report) string {
	switch r.Overall() {
	case StatusPass:
		return ansiGreen
	case StatusFail:
		return ansiRed
	}
	return ansiYellow
}

func (t *textWriter) header(r *Report) {
	t.line("%s", t.paint(ansiBold, labLine(r.Lab)))
	if !r.Completed {
		t.line("%s", t.paint(ansiYellow, "INCOMPLETE: grading could not complete: "+r.IncompleteReason()))
	}
	t.line("Subject:  %s", subjectLine(r))
	if r.Mode != "" {
		t.line("Mode:     %s", r.Mode)
	}
	if r.Completed {
		score := fmt.Sprintf("%d/%d", r.Score, r.MaxScore)
		t.line("Score:    %s  (%s)", t.paint(overallColour(r), score), countsSummary(r))
	} else {
		t.line("Score:    %s  (%d of %d points awarded before it stopped; %s)",
			t.paint(ansiYellow, "none"), r.Score, r.MaxScore, countsSummary(r))
	}
	if !r.StartedAt.IsZero() {
		started := r.StartedAt.UTC().Format(time.RFC3339)
		if d := r.Duration(); d > 0 {
			t.line("Started:  %s, took %s", started, formatDuration(d))
		} else {
			t.line("Started:  %s", started)
		}
	}
}

func (t *textWriter) items(r *Report) {
	if len(r.Items) == 0 {
		return
	}
	t.section("Items")
	pointsW, idW := 0, 0
	for _, it := range r.Items {
		pointsW = max(pointsW, len(points(it)))
		idW = max(idW, width(it.ID))
	}
	indent := strings.Repeat(" ", 2+t.markWidth()+2+pointsW+2)
	for _, it := range r.Items {
		t.line("  %s  %*s  %s  %s", t.mark(it.Status), pointsW, points(it), pad(it.ID, idW), it.Title)
		if it.Status != StatusPass {
			t.field(indent, "reason", it.Reason)
		}
		if it.Status != StatusPass || t.opts.Verbose {
			t.field(indent, "evidence", it.Evidence)
			if it.FirstHeld != "" {
				t.field(indent, "first held", "after "+it.FirstHeld)
			}
		}
		if it.ShowsHint() {
			t.field(indent, "hint", it.Hint)
		}
		t.field(indent, "check by hand", it.CheckByHand)
		if t.opts.Verbose {
			check := it.Check
			if check != "" && it.When != "" {
				check += " (" + it.When + ")"
			}
			t.field(indent, "check", check)
		}
	}
}

func points(it Item) string { return fmt.Sprintf("%d/%d", it.Awarded, it.Points) }

// field writes "key: value" under an item, continuation lines aligned with
// the first so that multi-line evidence stays readable.
func (t *textWriter) field(indent, key, value string) {
	value = strings.TrimRight(value, "\n")
	if value == "" {
		return
	}
	keyW := len("first held:") + 1
	if len(key)+2 > keyW {
		keyW = len(key) + 2
	}
	cont := indent + strings.Repeat(" ", keyW)
	for i, l := range strings.Split(value, "\n") {
		if i == 0 {
			t.line("%s%s%s", indent, pad(key+":", keyW), l)
			continue
		}
		t.line("%s%s", cont, l)
	}
}

func (t *textWriter) steps(r *Report) {
	if len(r.Steps) == 0 {
		return
	}
	t.section("Steps")
	durW, idW := 0, 0
	for _, s := range r.Steps {
		durW = max(durW, len(stepDuration(s)))
		idW = max(idW, width(s.ID))
	}
	indent := strings.Repeat(" ", 2+t.markWidth()+2+durW+2)
	for _, s := range r.Steps {
		t.line("  %s  %*s  %s  %s", t.mark(s.Status()), durW, stepDuration(s), pad(s.ID, idW), s.Title)
		if s.Error != "" {
			t.field(indent, "error", s.Error)
		}
		for _, c := range s.Commands {
			if t.opts.Verbose || notableCommand(c) {
				t.command(indent, c)
			}
		}
	}
}

// stepDuration shows "-" for a step that never ran rather than a
// misleading 0s.
func stepDuration(s Step) string {
	if s.Duration() == 0 {
		return "-"
	}
	return formatDuration(s.Duration())
}

func (t *textWriter) command(indent string, c Command) {
	prompt := "$"
	if c.Node != "" {
		prompt = c.Node + "$"
	}
	t.line("%s#%d %s %s", indent, c.Index, prompt, c.Text)
	sub := indent + "    "
	t.line("%s%s", sub, t.outcome(c))
	if ev := evidenceLine(c); ev != "" {
		t.line("%s%s", sub, ev)
	}
	if out := strings.TrimRight(c.Output, "\n"); out != "" {
		for _, l := range strings.Split(out, "\n") {
			t.line("%s| %s", sub, l)
		}
	}
}

// outcome reads "line 31: failed, exit 1 after 90ms".
func (t *textWriter) outcome(c Command) string {
	var s string
	switch c.Outcome {
	case OutcomeOK:
		s = t.paint(ansiGreen, "ok") + " after " + formatDuration(c.Duration())
		if c.Kind == KindFault {
			s = t.paint(ansiGreen, "fault injected") + " after " + formatDuration(c.Duration())
		}
	case OutcomeFailed:
		s = t.paint(ansiRed, "failed") + fmt.Sprintf(", exit %d after %s", c.ExitCode, formatDuration(c.Duration()))
	case OutcomeTimeout:
		s = t.paint(ansiRed, "timeout") + " after " + formatDuration(c.Duration())
	case OutcomeRejected:
		s = t.paint(ansiYellow, "rejected")
	case OutcomeError:
		s = t.paint(ansiYellow, "error")
	case OutcomeSkipped:
		s = t.paint(ansiGrey, "skipped")
	default:
		s = t.paint(ansiYellow, "unknown outcome "+fmt.Sprintf("%q", c.Outcome))
	}
	if c.Reason != "" {
		s += ": " + c.Reason
	}
	if c.Line > 0 {
		s = fmt.Sprintf("line %d: %s", c.Line, s)
	}
	return s
}

func (t *textWriter) warnings(r *Report) {
	if len(r.Warnings) == 0 {
		return
	}
	t.section("Warnings")
	bullet := "-"
	if t.opts.Color {
		bullet = t.paint(ansiYellow, "!")
	}
	for _, w := range r.Warnings {
		t.bulleted("  "+bullet+" ", "    ", w)
	}
}

func (t *textWriter) bulleted(first, cont, s string) {
	for i, l := range strings.Split(strings.TrimRight(s, "\n"), "\n") {
		if i == 0 {
			t.line("%s%s", first, l)
		} else {
			t.line("%s%s", cont, l)
		}
	}
}

func (t *textWriter) environment(r *Report) {
	facts := r.Environment.Facts()
	if len(facts) == 0 {
		return
	}
	t.section("Environment")
	const keyW = len("security mode:") + 2
	// Only the first image and note carry the key; the rest line up under it.
	prev := ""
	for _, f := range facts {
		key := f.Key
		switch key {
		case "image", "note":
			if key == prev {
				key = ""
			} else {
				key += "s"
			}
		}
		prev = f.Key
		if key != "" {
			key += ":"
		}
		t.bulleted("  "+pad(key, keyW), "  "+strings.Repeat(" ", keyW), f.Value)
	}
}

func (t *textWriter) notes(r *Report) {
	if len(r.Notes) == 0 {
		return
	}
	t.section("Grader notes (no points depend on them)")
	for _, n := range r.Notes {
		t.bulleted("  - ", "    ", n)
	}
}

// checkByHand lists the commands read from images that an instructor
// should compare with their image.
func (t *textWriter) checkByHand(r *Report) {
	cmds := r.CheckByHand()
	if len(cmds) == 0 {
		return
	}
	t.section(fmt.Sprintf("Check by hand (%d)", len(cmds)))
	for _, c := range cmds {
		t.bulleted("  - ", "    ", fmt.Sprintf("#%d %s$ %s — %s", c.Index, c.Node, c.Text, evidenceLine(c)))
	}
}

func (t *textWriter) timings(r *Report) {
	if len(r.Environment.Timings) == 0 {
		return
	}
	t.section("Timings")
	phaseW, durW := 0, 0
	for _, tm := range r.Environment.Timings {
		phaseW = max(phaseW, width(tm.Phase))
		durW = max(durW, len(formatDuration(tm.Duration)))
	}
	for _, tm := range r.Environment.Timings {
		t.line("  %s  %*s", pad(tm.Phase, phaseW), durW, formatDuration(tm.Duration))
	}
}

// width counts runes, not bytes, so that "node1×3" in an id or phase does
// not push columns out of line.
func width(s string) int { return utf8.RuneCountInString(s) }

func pad(s string, w int) string {
	if n := width(s); n < w {
		return s + strings.Repeat(" ", w-n)
	}
	return s
}

// trimLineEnds drops the trailing blanks that padding leaves behind, which
// golden files and diffs do not forgive.
func trimLineEnds(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.Join(lines, "\n")
}
