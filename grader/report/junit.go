package report

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"time"
)

// JUnit has no fixed schema; this follows the shape that GitHub Actions
// reporters, GitLab and Jenkins all read: one suite per lab, one test case
// per rubric item.

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Time     string       `xml:"time,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name       string          `xml:"name,attr"`
	Tests      int             `xml:"tests,attr"`
	Failures   int             `xml:"failures,attr"`
	Errors     int             `xml:"errors,attr"`
	Skipped    int             `xml:"skipped,attr"`
	Time       string          `xml:"time,attr"`
	Timestamp  string          `xml:"timestamp,attr,omitempty"`
	Properties []junitProperty `xml:"properties>property"`
	Cases      []junitCase     `xml:"testcase"`
	SystemOut  *junitBody      `xml:"system-out"`
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitCase struct {
	Classname string        `xml:"classname,attr"`
	Name      string        `xml:"name,attr"`
	Time      string        `xml:"time,attr"`
	Failure   *junitResult  `xml:"failure"`
	Error     *junitResult  `xml:"error"`
	Skipped   *junitSkipped `xml:"skipped"`
}

type junitResult struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Body    string `xml:",cdata"`
}

type junitSkipped struct {
	Message string `xml:"message,attr,omitempty"`
}

type junitBody struct {
	Body string `xml:",cdata"`
}

// WriteJUnit writes r as JUnit XML. A report that did not complete gets one
// extra errored test case, so that CI shows red even when no item was
// reached.
func WriteJUnit(w io.Writer, r *Report) error {
	if r == nil {
		return fmt.Errorf("write junit report: %w", errNilReport)
	}
	lab := orDefault(r.Lab.Name, "lab")
	classname := "labcheck." + lab
	suite := junitSuite{
		Name:       xmlSafe(lab),
		Time:       seconds(r.Duration()),
		Timestamp:  formatTime(r.StartedAt),
		Properties: junitProperties(r),
	}
	for _, it := range r.Items {
		c := junitCase{
			Classname: xmlSafe(classname),
			Name:      xmlSafe(strings.TrimSuffix(it.ID+": "+it.Title, ": ")),
			Time:      seconds(it.Duration),
		}
		switch it.Status {
		case StatusPass:
		case StatusFail:
			c.Failure = &junitResult{Message: xmlSafe(it.Reason), Type: "fail", Body: xmlSafe(itemExplanation(it))}
			suite.Failures++
		case StatusSkipped:
			c.Skipped = &junitSkipped{Message: xmlSafe(it.Reason)}
			suite.Skipped++
		default:
			c.Error = &junitResult{Message: xmlSafe(it.Reason), Type: "error", Body: xmlSafe(itemExplanation(it))}
			suite.Errors++
		}
		suite.Cases = append(suite.Cases, c)
	}
	if !r.Completed {
		why := r.IncompleteReason()
		suite.Cases = append(suite.Cases, junitCase{
			Classname: xmlSafe(classname),
			Name:      "grading: grading did not complete",
			Time:      seconds(0),
			Error: &junitResult{
				Message: xmlSafe(why),
				Type:    "incomplete",
				Body:    xmlSafe(fmt.Sprintf("Grading could not complete: %s\n\n%d of %d points were awarded before it stopped; this is not a grade.", why, r.Score, r.MaxScore)),
			},
		})
		suite.Errors++
	}
	suite.Tests = len(suite.Cases)
	var out strings.Builder
	if len(r.Warnings) > 0 {
		out.WriteString("Warnings:\n- " + strings.Join(r.Warnings, "\n- ") + "\n")
	}
	for _, it := range r.DoubtfulItems() {
		fmt.Fprintf(&out, "Check by hand: item %s: %s\n", it.ID, it.CheckByHand)
	}
	if cmds := r.CheckByHand(); len(cmds) > 0 {
		out.WriteString("Check by hand:\n")
		for _, c := range cmds {
			fmt.Fprintf(&out, "- #%d %s$ %s — %s\n", c.Index, c.Node, c.Text, evidenceLine(c))
		}
	}
	if out.Len() > 0 {
		suite.SystemOut = &junitBody{Body: xmlSafe(out.String())}
	}
	doc := junitSuites{
		Name:     "labcheck",
		Tests:    suite.Tests,
		Failures: suite.Failures,
		Errors:   suite.Errors,
		Skipped:  suite.Skipped,
		Time:     suite.Time,
		Suites:   []junitSuite{suite},
	}
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("write junit report: %w", err)
	}
	buf.WriteByte('\n')
	return writeAll(w, "junit", buf.Bytes())
}

// junitProperties carries what a CI reader needs to trust the numbers:
// who, which lab version, and whether images were stand-ins.
func junitProperties(r *Report) []junitProperty {
	var ps []junitProperty
	add := func(name, value string) {
		if value != "" {
			ps = append(ps, junitProperty{Name: name, Value: xmlSafe(value)})
		}
	}
	add("subject", r.Subject)
	add("submission", r.Source)
	add("mode", r.Mode)
	add("score", fmt.Sprintf("%d/%d", r.Score, r.MaxScore))
	add("completed", fmt.Sprint(r.Completed))
	add("lab.title", r.Lab.Title)
	add("lab.version", r.Lab.Version)
	add("labcheck.version", r.Environment.Labcheck)
	add("security.mode", r.Environment.SecurityMode)
	for _, im := range r.Environment.Images {
		add("image."+im.Name, im.Describe())
	}
	return ps
}

func seconds(d time.Duration) string { return fmt.Sprintf("%.3f", d.Seconds()) }

// xmlSafe replaces what XML 1.0 cannot carry at all (ANSI escapes from
// command output, other control characters, invalid UTF-8) with U+FFFD;
// encoding/xml does not do this for CDATA sections.
func xmlSafe(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\t' || r == '\n' || r == '\r':
			return r
		case r < 0x20, r >= 0xD800 && r <= 0xDFFF, r == 0xFFFE, r == 0xFFFF:
			return '\uFFFD'
		}
		return r
	}, s)
}
