package report

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestWriteTextGolden(t *testing.T) {
	variants := []struct {
		name string
		opts TextOptions
	}{
		{"text", TextOptions{}},
		{"text-color", TextOptions{Color: true}},
		{"text-verbose", TextOptions{Verbose: true}},
	}
	for _, f := range fixtures(t) {
		for _, v := range variants {
			t.Run(f.name+"/"+v.name, func(t *testing.T) {
				var buf bytes.Buffer
				if err := WriteText(&buf, f.r, v.opts); err != nil {
					t.Fatal(err)
				}
				assertGolden(t, f.name+"."+v.name, buf.Bytes())
			})
		}
	}
}

// Plain output goes to CI logs and files: no escape codes, no symbols of our
// own, words a grep can find.
func TestWriteTextPlainIsPlain(t *testing.T) {
	for _, f := range fixtures(t) {
		t.Run(f.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := WriteText(&buf, f.r, TextOptions{Verbose: true}); err != nil {
				t.Fatal(err)
			}
			out := buf.String()
			for _, bad := range []string{"\x1b[", "✔", "✘", "–"} {
				if strings.Contains(out, bad) {
					t.Errorf("plain output contains %q", bad)
				}
			}
		})
	}
}

func TestWriteTextContent(t *testing.T) {
	tests := []struct {
		name    string
		r       *Report
		opts    TextOptions
		want    []string
		notWant []string
		// wantRe are lines whose durations come from a recording.
		wantRe []string
	}{
		{
			name: "student fail shows reason evidence hint and the failed commands",
			r:    studentReport(t),
			want: []string{
				"Subject:  typo-fabricated (claims: Chris Doe) (submission testdata/submissions/typo-fabricated.txt)",
				"Score:    45/100  (4 passed, 4 failed)",
				"FAIL    0/10  service-created",
				"reason:     no service sleep-app (the swarm has no services)",
				"hint:       `docker service ls` should show sleep-app",
				"  terminal-4   terminal 4 (node1)",
				"FAIL ", // the terminal-4 row, whatever its recorded duration: see wantRe
				"#8 node1$ docker servce create --name sleep-app ubuntu sleep infinity",
				"line 109: failed, exit 125 after",
				"| Error: No such service: sleep-app",
				"the submission shows `docker service update --replicas 7 sleep-app` succeeding",
				"ubuntu:latest: stand-in image (busybox+tini), not the real ubuntu:latest",
			},
			notWant: []string{"#1 node1$ docker run", "(eventually)", "Grader notes"},
			wantRe:  []string{`(?m)^\s+FAIL\s+[0-9.]+m?s\s+terminal-4\s+terminal 4 \(node1\)$`},
		},
		{
			name:    "verbose lists every command and what was checked",
			r:       studentReport(t),
			opts:    TextOptions{Verbose: true},
			want:    []string{"#1 node1$ docker run -dt ubuntu sleep infinity", "first held: after line", "check:      "},
			notWant: nil,
		},
		{
			name:    "a fault that was injected reads as such, in verbose only",
			r:       recorded(t, "ha"),
			opts:    TextOptions{Verbose: true},
			want:    []string{"(fault) stop node1", "fault injected after"},
			notWant: []string{"FAIL "},
		},
		{
			name:    "hints are for fail and error only",
			r:       &Report{Completed: true, Items: []Item{{ID: "a", Status: StatusPass, Hint: "secret hint"}, {ID: "b", Status: StatusSkipped, Reason: "no", Hint: "skip hint"}}},
			opts:    TextOptions{Verbose: true},
			notWant: []string{"secret hint", "skip hint"},
		},
		{
			name: "incomplete says so before the score",
			r:    incompleteReport(t),
			want: []string{"INCOMPLETE: grading could not complete: start cluster: node image labcheck/no-such-node-image:missing", "Score:    none  (0 of 100 points awarded before it stopped"},
		},
		{
			name: "empty report still has a header",
			r:    &Report{Completed: true},
			want: []string{"(unnamed lab)", "Subject:  (unnamed subject)", "Score:    0/0  (0 passed)"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := WriteText(&buf, tc.r, tc.opts); err != nil {
				t.Fatal(err)
			}
			out := buf.String()
			assertContains(t, out, tc.want, tc.notWant)
			for _, re := range tc.wantRe {
				if !regexp.MustCompile(re).MatchString(out) {
					t.Errorf("output has no line matching %s:\n%s", re, out)
				}
			}
		})
	}
}

func TestFormatDuration(t *testing.T) {
	tests := []struct {
		name string
		d    time.Duration
		want string
	}{
		{"zero", 0, "0s"},
		{"negative", -time.Second, "0s"},
		{"milliseconds", 450 * time.Millisecond, "450ms"},
		{"seconds", 2300 * time.Millisecond, "2.3s"},
		{"minutes", 3*time.Minute + 12400*time.Millisecond, "3m12s"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := formatDuration(tc.d); got != tc.want {
				t.Errorf("formatDuration(%v) = %q, want %q", tc.d, got, tc.want)
			}
		})
	}
}
