package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func TestWriteGradescopeGolden(t *testing.T) {
	for _, f := range fixtures(t) {
		t.Run(f.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := WriteGradescope(&buf, f.r); err != nil {
				t.Fatal(err)
			}
			assertGolden(t, f.name+".gradescope", buf.Bytes())
		})
	}
}

func TestWriteGradescopeFields(t *testing.T) {
	tests := []struct {
		name         string
		r            *Report
		score, max   float64
		execTime     float64
		statuses     string
		outputHas    []string
		firstTestHas string
	}{
		{"reference", referenceReport(t), 100, 100, recordedSeconds(referenceReport(t)), "pppppppp", []string{"Docker Swarm orchestration: 100/100 (8 passed)."}, ""},
		{"student", studentReport(t), 45, 100, recordedSeconds(studentReport(t)), "pppffffp",
			[]string{"45/100 (4 passed, 4 failed)", "Warning: line 119:", "Note: ubuntu:latest: stand-in image (busybox+tini), not the real ubuntu:latest."}, ""},
		{"incomplete scores zero", incompleteReport(t), 0, 100, recordedSeconds(incompleteReport(t)), "ffffffff",
			[]string{"not graded. Grading could not complete: start cluster: node image labcheck/no-such-node-image:missing", "Score 0: 0 of 100 points"}, "Not scored: grading did not complete."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := WriteGradescope(&buf, tc.r); err != nil {
				t.Fatal(err)
			}
			var doc map[string]any
			if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
				t.Fatalf("not JSON: %v", err)
			}
			requireKeys(t, "results", doc, []string{"score", "max_score", "execution_time", "output", "visibility", "stdout_visibility", "tests"})
			if doc["score"] != tc.score || doc["max_score"] != tc.max || doc["execution_time"] != tc.execTime {
				t.Errorf("score/max_score/execution_time = %v/%v/%v, want %v/%v/%v",
					doc["score"], doc["max_score"], doc["execution_time"], tc.score, tc.max, tc.execTime)
			}
			if doc["visibility"] != "visible" {
				t.Errorf("visibility = %v", doc["visibility"])
			}
			out, _ := doc["output"].(string)
			for _, w := range tc.outputHas {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
			var statuses strings.Builder
			var sum float64
			for i, raw := range doc["tests"].([]any) {
				test := raw.(map[string]any)
				requireKeys(t, "test", test, []string{"name", "number", "score", "max_score", "status", "output", "visibility"})
				if want := string(rune('1' + i)); test["number"] != want {
					t.Errorf("test %d number = %v, want %q", i, test["number"], want)
				}
				statuses.WriteByte(test["status"].(string)[0])
				sum += test["score"].(float64)
				if i == 0 && tc.firstTestHas != "" && !strings.Contains(test["output"].(string), tc.firstTestHas) {
					t.Errorf("first test output = %q, want %q in it", test["output"], tc.firstTestHas)
				}
			}
			if got := statuses.String(); got != tc.statuses {
				t.Errorf("statuses = %s, want %s", got, tc.statuses)
			}
			// Gradescope shows both; they must not disagree.
			if sum != tc.score {
				t.Errorf("tests sum to %v, top-level score is %v", sum, tc.score)
			}
		})
	}
}

func TestGradescopeStatus(t *testing.T) {
	tests := []struct {
		name string
		it   Item
		want string
	}{
		{"pass", Item{Status: StatusPass, Points: 5, Awarded: 5}, "passed"},
		{"fail", Item{Status: StatusFail, Points: 5}, "failed"},
		{"error", Item{Status: StatusError, Points: 5}, "failed"},
		{"skipped without credit", Item{Status: StatusSkipped, Points: 5}, "failed"},
		{"skipped with full credit", Item{Status: StatusSkipped, Points: 5, Awarded: 5}, "passed"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := gradescopeStatus(tc.it); got != tc.want {
				t.Errorf("gradescopeStatus = %q, want %q", got, tc.want)
			}
		})
	}
}

// recordedSeconds is how long a recorded run took, in whole seconds, as
// Gradescope's execution_time must say: recordings are remade on real
// clusters, so the figure is the recording's, not a constant.
func recordedSeconds(r *Report) float64 {
	return r.Duration().Round(time.Second).Seconds()
}
