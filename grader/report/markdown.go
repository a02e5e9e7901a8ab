package report

import (
	"fmt"
	"html"
	"io"
	"strings"
	"time"
)

// WriteMarkdown renders r as GitHub-flavoured Markdown sized for a job
// summary ($GITHUB_STEP_SUMMARY): the verdicts up front, what to fix next,
// and the run's details folded away.
func WriteMarkdown(w io.Writer, r *Report) error {
	if r == nil {
		return fmt.Errorf("write md report: %w", errNilReport)
	}
	m := &mdWriter{}
	m.header(r)
	m.items(r)
	m.toFix(r)
	m.warnings(r)
	m.checkByHand(r)
	m.steps(r)
	m.notes(r)
	m.environment(r)
	return writeAll(w, "md", []byte(m.b.String()))
}

type mdWriter struct{ b strings.Builder }

func (m *mdWriter) line(format string, a ...any) {
	fmt.Fprintf(&m.b, format, a...)
	m.b.WriteByte('\n')
}

func emoji(s Status) string {
	switch s {
	case StatusPass:
		return "✅"
	case StatusFail:
		return "❌"
	case StatusSkipped:
		return "⏭️"
	}
	return "⚠️"
}

func (m *mdWriter) header(r *Report) {
	mark := emoji(r.Overall())
	title := r.Lab.Title
	if title == "" {
		title = r.Lab.Name
	}
	if r.Completed {
		m.line("## %s %s: %d/%d", mark, mdInline(title), r.Score, r.MaxScore)
	} else {
		m.line("## %s %s: not graded", mark, mdInline(title))
	}
	m.line("")
	if !r.Completed {
		m.line("> **Grading could not complete:** %s", mdInline(r.IncompleteReason()))
		m.line(">")
		m.line("> %d of %d points were awarded before it stopped; this is not a grade.", r.Score, r.MaxScore)
		m.line("")
	}
	subject := "**Subject:** " + mdInline(orDefault(r.Subject, "(unnamed subject)"))
	if r.Claimed != "" {
		subject += " (claims: " + mdInline(r.Claimed) + ")"
	}
	facts := []string{subject}
	if r.Source != "" {
		facts = append(facts, "**Submission:** "+codeSpan(r.Source))
	}
	if r.Mode != "" {
		facts = append(facts, "**Mode:** "+mdInline(r.Mode))
	}
	if r.Lab.Name != "" {
		lab := "**Lab:** " + codeSpan(r.Lab.Name)
		if r.Lab.Version != "" {
			lab += " version " + mdInline(r.Lab.Version)
		}
		facts = append(facts, lab)
	}
	m.line("%s", strings.Join(facts, " · "))
	m.line("")
	summary := countsSummary(r)
	if !r.StartedAt.IsZero() {
		summary += " · started " + r.StartedAt.UTC().Format(time.RFC3339)
		if d := r.Duration(); d > 0 {
			summary += ", took " + formatDuration(d)
		}
	}
	m.line("%s", summary)
}

func (m *mdWriter) items(r *Report) {
	if len(r.Items) == 0 {
		return
	}
	m.line("")
	m.line("| | Item | Points | Reason |")
	m.line("|:-:|---|--:|---|")
	for _, it := range r.Items {
		item := cellCode(it.ID)
		if it.Title != "" {
			item += " " + mdCell(it.Title)
		}
		m.line("| %s | %s | %d/%d | %s |", emoji(it.Status), item, it.Awarded, it.Points, mdCell(it.Reason))
	}
}

// toFix spells out every failed or errored item with its evidence and hint:
// the table says what is wrong, this says how the grader knows.
func (m *mdWriter) toFix(r *Report) {
	first := true
	for _, it := range r.Items {
		if it.Status != StatusFail && it.Status != StatusError && it.CheckByHand == "" {
			continue
		}
		if first {
			m.line("")
			m.line("### What to fix")
			first = false
		}
		m.line("")
		m.line("#### %s %s", emoji(it.Status), mdInline(strings.TrimSuffix(it.ID+": "+it.Title, ": ")))
		if it.Reason != "" {
			m.line("")
			m.line("%s", mdInline(it.Reason))
		}
		if it.Evidence != "" {
			m.line("")
			m.fence("text", it.Evidence)
		}
		if fh := firstHeldLine(it); fh != "" {
			m.line("")
			m.line("It %s.", mdInline(fh))
		}
		if it.ShowsHint() {
			m.line("")
			m.line("> **Hint:** %s", mdInline(it.Hint))
		}
		if it.CheckByHand != "" {
			m.line("")
			m.line("> 🔍 **Check by hand:** %s", mdInline(it.CheckByHand))
		}
	}
}

func (m *mdWriter) warnings(r *Report) {
	if len(r.Warnings) == 0 {
		return
	}
	m.line("")
	m.line("### ⚠️ Warnings")
	m.line("")
	for _, w := range r.Warnings {
		m.line("- %s", mdInline(w))
	}
}

func (m *mdWriter) steps(r *Report) {
	if len(r.Steps) == 0 {
		return
	}
	m.openDetails(fmt.Sprintf("Steps (%d)", len(r.Steps)))
	m.line("| | Step | Duration | Commands |")
	m.line("|:-:|---|--:|--:|")
	notable := false
	for _, s := range r.Steps {
		step := cellCode(s.ID)
		if s.Title != "" {
			step += " " + mdCell(s.Title)
		}
		m.line("| %s | %s | %s | %d |", emoji(s.Status()), step, stepDuration(s), len(s.Commands))
		for _, c := range s.Commands {
			notable = notable || notableCommand(c)
		}
	}
	if notable {
		m.line("")
		m.line("Commands that did not succeed or need checking by hand:")
		for _, s := range r.Steps {
			for _, c := range s.Commands {
				if notableCommand(c) {
					m.command(s, c)
				}
			}
		}
	}
	m.closeDetails()
}

// command is one list entry: where it ran, what it was, what happened, and
// its output in a fence nested under the entry.
func (m *mdWriter) command(s Step, c Command) {
	where := "step " + codeSpan(s.ID)
	if c.Node != "" {
		where += ", " + mdInline(c.Node)
	}
	if c.Line > 0 {
		where += fmt.Sprintf(", line %d", c.Line)
	}
	what := "**" + string(c.Outcome) + "**"
	if c.Outcome == OutcomeFailed {
		what += fmt.Sprintf(" (exit %d)", c.ExitCode)
	}
	if c.Reason != "" {
		what += ": " + mdInline(c.Reason)
	}
	m.line("")
	m.line("- #%d %s: %s %s", c.Index, where, codeSpan(c.Text), what)
	if ev := evidenceLine(c); ev != "" {
		m.line("")
		m.line("  %s", mdInline(ev))
	}
	if c.Output != "" {
		m.line("")
		m.fenceIndented("  ", "text", c.Output)
	}
}

func (m *mdWriter) environment(r *Report) {
	e := r.Environment
	facts := e.Facts()
	if len(facts) == 0 && len(e.Timings) == 0 {
		return
	}
	m.openDetails("Environment")
	for _, f := range facts {
		m.line("- **%s:** %s", f.Key, mdInline(f.Value))
	}
	if len(e.Timings) > 0 {
		if len(facts) > 0 {
			m.line("")
		}
		m.line("| Phase | Duration |")
		m.line("|---|--:|")
		for _, tm := range e.Timings {
			m.line("| %s | %s |", mdCell(tm.Phase), formatDuration(tm.Duration))
		}
	}
	m.closeDetails()
}

func (m *mdWriter) notes(r *Report) {
	if len(r.Notes) == 0 {
		return
	}
	m.openDetails(fmt.Sprintf("Grader notes (%d, no points depend on them)", len(r.Notes)))
	for _, n := range r.Notes {
		m.line("- %s", mdInline(n))
	}
	m.closeDetails()
}

func (m *mdWriter) checkByHand(r *Report) {
	cmds := r.CheckByHand()
	if len(cmds) == 0 {
		return
	}
	m.line("")
	m.line("### 🔍 Check by hand (%d)", len(cmds))
	m.line("")
	for _, c := range cmds {
		m.line("- #%d %s: %s — %s", c.Index, mdInline(c.Node), codeSpan(c.Text), mdInline(evidenceLine(c)))
	}
}

// openDetails leaves a blank line after <summary>: GitHub renders Markdown
// inside <details> only when it is separated from the HTML.
func (m *mdWriter) openDetails(summary string) {
	m.line("")
	m.line("<details><summary>%s</summary>", html.EscapeString(summary))
	m.line("")
}

func (m *mdWriter) closeDetails() {
	m.line("")
	m.line("</details>")
}

func (m *mdWriter) fence(lang, body string) { m.fenceIndented("", lang, body) }

// fenceIndented picks a fence longer than any backtick run in body, so that
// command output quoting Markdown cannot close the block early.
func (m *mdWriter) fenceIndented(indent, lang, body string) {
	f := strings.Repeat("`", max(3, longestRun(body, '`')+1))
	m.line("%s%s%s", indent, f, lang)
	for _, l := range strings.Split(strings.TrimRight(body, "\n"), "\n") {
		m.line("%s%s", indent, l)
	}
	m.line("%s%s", indent, f)
}

func longestRun(s string, c byte) int {
	best, n := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			n++
			best = max(best, n)
		} else {
			n = 0
		}
	}
	return best
}

// codeSpan quotes s as inline code that survives backticks in s.
func codeSpan(s string) string { return code(s, false) }

// cellCode is codeSpan for a table cell, where GFM needs pipes escaped even
// inside code (and only there does the backslash vanish).
func cellCode(s string) string { return code(s, true) }

func code(s string, cell bool) string {
	if s == "" {
		return ""
	}
	s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", " "), "\n", " ")
	if cell {
		s = strings.ReplaceAll(s, "|", `\|`)
	}
	f := strings.Repeat("`", longestRun(s, '`')+1)
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		s = " " + s + " "
	}
	return f + s + f
}

// mdInline makes text from checks safe for one line of Markdown prose.
// Backtick code spans that checks write ("after `docker service update`")
// are kept; outside them, HTML-significant characters are escaped so that
// "docker kill <id>" does not vanish as a tag, and newlines become <br>.
func mdInline(s string) string { return mdText(s, false) }

// mdCell is mdInline for a table cell: pipes are escaped inside code spans
// too, or GFM would split the cell there.
func mdCell(s string) string { return mdText(s, true) }

func mdText(s string, cell bool) string {
	s = strings.ReplaceAll(strings.TrimRight(s, "\n"), "\r\n", "\n")
	var b strings.Builder
	for i := 0; i < len(s); {
		if s[i] == '`' {
			n := runAt(s, i, '`')
			if end := closingRun(s, i+n, n); end >= 0 {
				span := strings.ReplaceAll(s[i:end+n], "\n", " ")
				if cell {
					span = strings.ReplaceAll(span, "|", `\|`)
				}
				b.WriteString(span)
				i = end + n
				continue
			}
			b.WriteString(s[i : i+n])
			i += n
			continue
		}
		switch c := s[i]; c {
		case '|':
			b.WriteString(`\|`)
		case '\n':
			b.WriteString("<br>")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '&':
			b.WriteString("&amp;")
		default:
			b.WriteByte(c)
		}
		i++
	}
	return b.String()
}

func runAt(s string, i int, c byte) int {
	n := 0
	for i+n < len(s) && s[i+n] == c {
		n++
	}
	return n
}

// closingRun finds a backtick run of exactly n starting at or after i, as
// CommonMark closes code spans; -1 when there is none.
func closingRun(s string, i, n int) int {
	for i < len(s) {
		if s[i] != '`' {
			i++
			continue
		}
		k := runAt(s, i, '`')
		if k == n {
			return i
		}
		i += k
	}
	return -1
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
