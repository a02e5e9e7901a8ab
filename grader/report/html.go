package report

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io"
	"net/url"
	"strings"
)

// The HTML pages are self-contained: styles and the gradebook's sorting
// inline, charts as inline SVG, and a Content-Security-Policy that lets the
// page load nothing, so an instructor can open them offline and a
// student's text cannot make them fetch anything. html/template escapes
// every value: commands, outputs and claimed names are the students'.

//go:embed templates/*.tmpl templates/style.css
var htmlFiles embed.FS

var (
	htmlTemplates = template.Must(template.ParseFS(htmlFiles, "templates/*.tmpl"))
	htmlStyle     = func() template.CSS {
		b, err := htmlFiles.ReadFile("templates/style.css")
		if err != nil {
			panic(err)
		}
		return template.CSS(b)
	}()
)

// HTMLOptions tune the per-student page.
type HTMLOptions struct {
	// ClassLink is the class report's address relative to the page, ""
	// for a page on its own.
	ClassLink string
}

// WriteHTML writes r as a self-contained HTML page.
func WriteHTML(w io.Writer, r *Report, opts HTMLOptions) error {
	if r == nil {
		return fmt.Errorf("write html report: %w", errNilReport)
	}
	var buf bytes.Buffer
	if err := htmlTemplates.ExecuteTemplate(&buf, "student.html.tmpl", studentView(r, opts)); err != nil {
		return fmt.Errorf("write html report: %w", err)
	}
	return writeAll(w, "html", buf.Bytes())
}

type htmlStudent struct {
	Style                    template.CSS
	ClassLink                string
	Subject, SubjectLine     string
	LabLine                  string
	Incomplete               string
	Score, Max               int
	Overall                  Status
	Counts                   string
	Items                    []htmlItem
	Steps                    []htmlStep
	Limits, Warnings, ByHand []string
	Notes                    []string
	Facts                    []Fact
}

type htmlItem struct {
	ID, Title       string
	Status          Status
	Awarded, Points int
	Reason          string
	Evidence        string
	FirstHeld       string
	Hint            string
	CheckByHand     string
}

type htmlStep struct {
	ID, Title, Error string
	Status           Status
	Commands         []htmlCommand
}

type htmlCommand struct {
	Index, Line            int
	Node, Text, Output     string
	Outcome, Class, Reason string
	Evidence               string
}

func studentView(r *Report, opts HTMLOptions) htmlStudent {
	v := htmlStudent{
		Style:       htmlStyle,
		ClassLink:   opts.ClassLink,
		Subject:     r.Subject,
		SubjectLine: subjectLine(r),
		LabLine:     labLine(r.Lab),
		Incomplete:  r.IncompleteReason(),
		Score:       r.Score,
		Max:         r.MaxScore,
		Overall:     r.Overall(),
		Counts:      countsSummary(r),
		Warnings:    r.Warnings,
		Notes:       r.Notes,
		Facts:       r.Environment.Facts(),
	}
	for _, it := range r.Items {
		hi := htmlItem{ID: it.ID, Title: it.Title, Status: it.Status, Awarded: it.Awarded, Points: it.Points,
			Reason: it.Reason, Evidence: strings.TrimRight(it.Evidence, "\n"), FirstHeld: firstHeldLine(it), CheckByHand: it.CheckByHand}
		if it.ShowsHint() {
			hi.Hint = it.Hint
		}
		v.Items = append(v.Items, hi)
	}
	for _, s := range r.Steps {
		hs := htmlStep{ID: s.ID, Title: s.Title, Error: s.Error, Status: s.Status()}
		for _, c := range s.Commands {
			hs.Commands = append(hs.Commands, htmlCommand{
				Index: c.Index, Line: c.Line, Node: c.Node, Text: c.Text,
				Output:  strings.TrimRight(c.Output, "\n"),
				Outcome: outcomeWords(c), Class: outcomeClass(c.Outcome), Reason: c.Reason,
				Evidence: evidenceLine(c),
			})
			if c.Outcome == OutcomeTimeout || c.Outcome == OutcomeSkipped {
				v.Limits = append(v.Limits, fmt.Sprintf("#%d %s$ %s: %s%s", c.Index, c.Node, c.Text, c.Outcome, reasonSuffix(c.Reason)))
			}
		}
		v.Steps = append(v.Steps, hs)
	}
	v.ByHand = byHandLines(r)
	return v
}

func reasonSuffix(reason string) string {
	if reason == "" {
		return ""
	}
	return " (" + reason + ")"
}

// byHandLines are the things of one report an instructor should check
// themselves: commands read unsurely from images, verdicts the
// submission's own output disputes.
func byHandLines(r *Report) []string {
	var out []string
	for _, c := range r.CheckByHand() {
		out = append(out, fmt.Sprintf("command #%d %s$ %s: %s", c.Index, c.Node, c.Text, evidenceLine(c)))
	}
	for _, it := range r.DoubtfulItems() {
		out = append(out, fmt.Sprintf("item %s: %s", it.ID, it.CheckByHand))
	}
	return out
}

// outcomeWords reads "ok", "failed (exit 1)", "fault injected".
func outcomeWords(c Command) string {
	switch {
	case c.Outcome == OutcomeOK && c.Kind == KindFault:
		return "fault injected"
	case c.Outcome == OutcomeFailed:
		return fmt.Sprintf("failed (exit %d)", c.ExitCode)
	}
	return string(c.Outcome)
}

// outcomeClass colours an outcome as the verdict it weighs like.
func outcomeClass(o Outcome) string {
	switch o {
	case OutcomeOK:
		return string(StatusPass)
	case OutcomeFailed, OutcomeTimeout:
		return string(StatusFail)
	case OutcomeSkipped:
		return string(StatusSkipped)
	}
	return string(StatusError)
}

// StudentPage is the file name of a student's page beside the class
// report.
func StudentPage(key string) string { return key + ".html" }

// WriteClassHTML writes the class report: the gradebook as a sortable
// table, the score histogram and per-item pass rates, the shared
// evidence and what to check by hand. With linked, every row links to the
// student's page (StudentPage) in the same directory.
func WriteClassHTML(w io.Writer, c Class, linked bool) error {
	var buf bytes.Buffer
	if err := htmlTemplates.ExecuteTemplate(&buf, "class.html.tmpl", classView(c, linked)); err != nil {
		return fmt.Errorf("write class report: %w", err)
	}
	return writeAll(w, "html", buf.Bytes())
}

type htmlClass struct {
	Style      template.CSS
	LabLine    string
	Count      int
	Incomplete int
	Problems   []string
	ItemIDs    []string
	Rows       []htmlRow
	Histogram  template.HTML
	PassRates  template.HTML
	Pairs      []htmlPair
	ByHand     []htmlByHand
}

type htmlRow struct {
	Key, Claimed, Link string
	Score, Max         int
	Status             Status
	Incomplete         bool
	Points             []htmlPoints
}

type htmlPoints struct {
	Awarded int
	Graded  bool
}

type htmlPair struct {
	Summary  string
	Values   []string
	Passages string
}

type htmlByHand struct {
	Key, Link, What string
}

func classView(c Class, linked bool) htmlClass {
	v := htmlClass{Style: htmlStyle, Count: len(c.Reports), Problems: c.Problems, ItemIDs: itemIDs(c.Reports)}
	v.LabLine = labLine(c.labInfo())
	link := func(key string) string {
		if !linked {
			return ""
		}
		return (&url.URL{Path: StudentPage(key)}).String()
	}
	for _, r := range c.Reports {
		row := htmlRow{Key: r.Subject, Claimed: r.Claimed, Link: link(r.Subject), Score: r.Score, Max: r.MaxScore,
			Status: r.Overall(), Incomplete: !r.Completed}
		if !r.Completed {
			v.Incomplete++
		}
		awarded := map[string]int{}
		graded := map[string]bool{}
		for _, it := range r.Items {
			awarded[it.ID], graded[it.ID] = it.Awarded, true
		}
		for _, id := range v.ItemIDs {
			row.Points = append(row.Points, htmlPoints{Awarded: awarded[id], Graded: graded[id]})
		}
		v.Rows = append(v.Rows, row)
		for _, line := range byHandLines(r) {
			v.ByHand = append(v.ByHand, htmlByHand{Key: r.Subject, Link: link(r.Subject), What: line})
		}
	}
	for _, p := range c.Pairs {
		hp := htmlPair{Summary: p.Summary(), Passages: p.PassageLines()}
		for _, sv := range p.Values {
			hp.Values = append(hp.Values, p.ValueLines(sv))
		}
		v.Pairs = append(v.Pairs, hp)
	}
	v.Histogram = histogramSVG(ScoreBuckets(c.Reports))
	v.PassRates = passRateSVG(ItemPassRates(c.Reports))
	return v
}

// histogramSVG draws the tenths of ScoreBuckets as columns, 0% at the
// left.
func histogramSVG(buckets []int) template.HTML {
	const barW, gap, h, top, bottom = 28, 6, 140, 16, 34
	most := 1
	for _, n := range buckets {
		most = max(most, n)
	}
	width := len(buckets)*(barW+gap) + gap
	var b strings.Builder
	fmt.Fprintf(&b, `<svg width="%d" height="%d" role="img" aria-label="score histogram">`, width, h+top+bottom)
	fmt.Fprintf(&b, `<line x1="0" y1="%d" x2="%d" y2="%d" stroke="#8c959f"/>`, top+h, width, top+h)
	for i, n := range buckets {
		x := gap + i*(barW+gap)
		bh := n * h / most
		label := fmt.Sprintf("%d", i*10)
		if i == len(buckets)-1 {
			label = "100%"
		}
		fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" fill="#0969da"><title>%s: %d</title></rect>`,
			x, top+h-bh, barW, bh, template.HTMLEscapeString(bucketLabel(i, len(buckets))), n)
		if n > 0 {
			fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="11" text-anchor="middle">%d</text>`, x+barW/2, top+h-bh-3, n)
		}
		fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="11" text-anchor="middle" fill="#57606a">%s</text>`, x+barW/2, top+h+14, label)
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String()) // every value above is a number or escaped
}

func bucketLabel(i, n int) string {
	if i == n-1 {
		return "100%"
	}
	return fmt.Sprintf("%d-%d%%", i*10, i*10+9)
}

// passRateSVG draws each item's pass rate as a horizontal bar.
func passRateSVG(rates []ItemRate) template.HTML {
	const labelW, barMax, rowH = 150, 240, 22
	var b strings.Builder
	fmt.Fprintf(&b, `<svg width="%d" height="%d" role="img" aria-label="pass rate per item">`, labelW+barMax+100, len(rates)*rowH+8)
	for i, r := range rates {
		y := 4 + i*rowH
		pct := 0
		if r.Total > 0 {
			pct = r.Passed * 100 / r.Total
		}
		fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="12" text-anchor="end">%s</text>`, labelW-6, y+14, template.HTMLEscapeString(r.ID))
		fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" fill="#eaeef2"/>`, labelW, y+2, barMax, rowH-6)
		fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" fill="#1a7f37"><title>%s: %d/%d</title></rect>`,
			labelW, y+2, pct*barMax/100, rowH-6, template.HTMLEscapeString(r.ID), r.Passed, r.Total)
		fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="12">%d%% (%d/%d)</text>`, labelW+barMax+6, y+14, pct, r.Passed, r.Total)
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String()) // every value above is a number or escaped
}
