package report

import (
	"bytes"
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
	for _, f := range fixtures() {
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
	for _, f := range fixtures() {
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
	}{
		{
			name: "student fail shows reason evidence hint and the rejected command",
			r:    studentReport(),
			want: []string{
				"Score:    60/100  (5 passed, 2 failed, 1 error)",
				"FAIL    0/15  scaled-up",
				"reason:     after `docker service update --replicas 5 sleep-app`: 5 running",
				"hint:       Scale with",
				"ERROR   0/15  node2-drained",
				"#13 node1$ rm -rf /var/lib/docker",
				"line 31: rejected: not a docker command",
				"#11 node1$ docker servce rm sleep-app",
				"| docker: 'servce' is not a docker command.",
				"ubuntu: stand-in image (busybox+tini), not the real ubuntu",
			},
			notWant: []string{"#12 node1$ docker kill", "#14 node1$", "(eventually)"},
		},
		{
			name:    "verbose lists every command and what was checked",
			r:       studentReport(),
			opts:    TextOptions{Verbose: true},
			want:    []string{"#12 node1$ docker kill 5d1e0a7b3c2f", "#14 node1$ docker ps -a", "line 32: skipped: the step stopped", "check:      4 running tasks (eventually)"},
			notWant: nil,
		},
		{
			name:    "hints are for fail and error only",
			r:       &Report{Completed: true, Items: []Item{{ID: "a", Status: StatusPass, Hint: "secret hint"}, {ID: "b", Status: StatusSkipped, Reason: "no", Hint: "skip hint"}}},
			opts:    TextOptions{Verbose: true},
			notWant: []string{"secret hint", "skip hint"},
		},
		{
			name: "incomplete says so before the score",
			r:    incompleteReport(),
			want: []string{"INCOMPLETE: grading could not complete: observe after step scale-up", "Score:    none  (50 of 100 points awarded before it stopped"},
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
