package report

import (
	"bytes"
	"encoding/xml"
	"strings"
	"testing"
)

func TestWriteJUnitGolden(t *testing.T) {
	for _, f := range fixtures(t) {
		t.Run(f.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := WriteJUnit(&buf, f.r); err != nil {
				t.Fatal(err)
			}
			assertGolden(t, f.name+".junit", buf.Bytes())
		})
	}
}

// The counts CI shows come from the attributes; they must agree with the
// test cases underneath and with the report.
func TestWriteJUnitParsesAndCounts(t *testing.T) {
	tests := []struct {
		name                             string
		r                                *Report
		tests, failures, errors, skipped int
		wantCase                         string
	}{
		{"reference", referenceReport(t), 8, 0, 0, 0, "scaled-up: Seven tasks running, spread evenly over the three nodes"},
		{"student", studentReport(t), 8, 4, 0, 0, "cleanup: Service removed, standalone container stopped, every node out of the swarm"},
		// The extra errored case keeps an incomplete run red in CI.
		{"incomplete", incompleteReport(t), 9, 0, 9, 0, "grading: grading did not complete"},
		{"incomplete before any item", &Report{Error: "start cluster: no docker"}, 1, 0, 1, 0, "grading: grading did not complete"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := WriteJUnit(&buf, tc.r); err != nil {
				t.Fatal(err)
			}
			var doc junitSuites
			if err := xml.Unmarshal(buf.Bytes(), &doc); err != nil {
				t.Fatalf("output is not valid XML: %v\n%s", err, buf.String())
			}
			if len(doc.Suites) != 1 {
				t.Fatalf("got %d suites, want 1", len(doc.Suites))
			}
			s := doc.Suites[0]
			for _, got := range []struct {
				what      string
				got, want int
			}{
				{"suites tests", doc.Tests, tc.tests}, {"suite tests", s.Tests, tc.tests}, {"cases", len(s.Cases), tc.tests},
				{"failures", s.Failures, tc.failures}, {"errors", s.Errors, tc.errors}, {"skipped", s.Skipped, tc.skipped},
			} {
				if got.got != got.want {
					t.Errorf("%s = %d, want %d", got.what, got.got, got.want)
				}
			}
			var failures, errors, skipped int
			found := false
			for _, c := range s.Cases {
				if c.Failure != nil {
					failures++
				}
				if c.Error != nil {
					errors++
				}
				if c.Skipped != nil {
					skipped++
				}
				if !strings.HasPrefix(c.Classname, "labcheck.") {
					t.Errorf("classname %q lacks the labcheck. prefix", c.Classname)
				}
				found = found || c.Name == tc.wantCase
			}
			if failures != s.Failures || errors != s.Errors || skipped != s.Skipped {
				t.Errorf("cases hold %d/%d/%d failures/errors/skipped, attributes say %d/%d/%d",
					failures, errors, skipped, s.Failures, s.Errors, s.Skipped)
			}
			if !found {
				t.Errorf("no test case named %q", tc.wantCase)
			}
		})
	}
}

func TestWriteJUnitFailureCarriesEvidenceAndHint(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteJUnit(&buf, studentReport(t)); err != nil {
		t.Fatal(err)
	}
	var doc junitSuites
	if err := xml.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	for _, c := range doc.Suites[0].Cases {
		if c.Name != "scaled-up: Seven tasks running, spread evenly over the three nodes" {
			continue
		}
		if c.Failure == nil {
			t.Fatal("scaled-up has no <failure>")
		}
		if c.Failure.Message != "no service sleep-app (the swarm has no services)" {
			t.Errorf("message = %q", c.Failure.Message)
		}
		for _, want := range []string{"Evidence:\nno services", "Hint: `docker service ps sleep-app` shows where tasks run"} {
			if !strings.Contains(c.Failure.Body, want) {
				t.Errorf("body lacks %q:\n%s", want, c.Failure.Body)
			}
		}
		return
	}
	t.Fatal("no scaled-up test case")
}

// A test case's time is how long labcheck took to establish the item's
// verdict, so CI's slowest-test lists mean something.
func TestWriteJUnitCaseTimesAreReal(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteJUnit(&buf, referenceReport(t)); err != nil {
		t.Fatal(err)
	}
	var doc junitSuites
	if err := xml.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	for _, c := range doc.Suites[0].Cases {
		if c.Time == "0.000" {
			t.Errorf("case %q has time 0.000", c.Name)
		}
	}
}

// Command output can carry ANSI colours and stray bytes; the XML must still
// parse.
func TestWriteJUnitSurvivesHostileText(t *testing.T) {
	r := &Report{Completed: true, Lab: LabInfo{Name: `a"<lab>&`}, Items: []Item{{
		ID: "x", Status: StatusFail,
		Reason:   "\x1b[31mred\x1b[0m <b> & \"q\"",
		Evidence: "]]> inside cdata\x00\xff",
	}}}
	var buf bytes.Buffer
	if err := WriteJUnit(&buf, r); err != nil {
		t.Fatal(err)
	}
	var doc junitSuites
	if err := xml.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatalf("not valid XML: %v\n%s", err, buf.String())
	}
	f := doc.Suites[0].Cases[0].Failure
	if f.Message != "\uFFFD[31mred\uFFFD[0m <b> & \"q\"" {
		t.Errorf("message = %q", f.Message)
	}
	if !strings.Contains(f.Body, "]]> inside cdata\uFFFD\uFFFD") {
		t.Errorf("body = %q", f.Body)
	}
}

func TestXMLSafe(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain", "node1×3", "node1×3"},
		{"whitespace kept", "a\tb\nc\r", "a\tb\nc\r"},
		{"escape", "\x1b[0m", "\uFFFD[0m"},
		{"nul", "a\x00b", "a\uFFFDb"},
		{"invalid utf-8", "a\xffb", "a\uFFFDb"},
		{"non-character", "a\uFFFEb", "a\uFFFDb"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := xmlSafe(tc.in); got != tc.want {
				t.Errorf("xmlSafe(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}
