package report

import (
	"testing"
	"time"
)

func TestCounts(t *testing.T) {
	tests := []struct {
		name                         string
		r                            *Report
		pass, fail, errored, skipped int
	}{
		{"empty", &Report{}, 0, 0, 0, 0},
		{"reference", referenceReport(), 8, 0, 0, 0},
		{"student", studentReport(), 5, 2, 1, 0},
		{"incomplete", incompleteReport(), 4, 0, 0, 4},
		// A status the grader should never produce must not pass quietly.
		{"unknown status is an error", &Report{Items: []Item{{Status: "maybe"}, {Status: ""}}}, 0, 0, 2, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, f, e, s := tc.r.Counts()
			if p != tc.pass || f != tc.fail || e != tc.errored || s != tc.skipped {
				t.Errorf("Counts() = %d,%d,%d,%d, want %d,%d,%d,%d", p, f, e, s, tc.pass, tc.fail, tc.errored, tc.skipped)
			}
		})
	}
}

func TestDuration(t *testing.T) {
	tests := []struct {
		name            string
		start, finished time.Time
		want            time.Duration
	}{
		{"both set", t0, t0.Add(90 * time.Second), 90 * time.Second},
		{"not finished", t0, time.Time{}, 0},
		{"not started", time.Time{}, t0, 0},
		{"clock went back", t0, t0.Add(-time.Second), 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := &Report{StartedAt: tc.start, FinishedAt: tc.finished}
			if got := r.Duration(); got != tc.want {
				t.Errorf("Duration() = %v, want %v", got, tc.want)
			}
		})
	}
}

// The fixtures are the contract every writer is tested against; keep them
// internally consistent so that a writer bug is not hidden by a fixture bug.
func TestFixturesAreConsistent(t *testing.T) {
	for _, f := range fixtures() {
		t.Run(f.name, func(t *testing.T) {
			awarded, maxScore := 0, 0
			for _, it := range f.r.Items {
				awarded += it.Awarded
				maxScore += it.Points
			}
			if awarded != f.r.Score || maxScore != f.r.MaxScore {
				t.Errorf("items sum to %d/%d, report says %d/%d", awarded, maxScore, f.r.Score, f.r.MaxScore)
			}
			next := 1
			for _, s := range f.r.Steps {
				for _, c := range s.Commands {
					if c.Index != next {
						t.Errorf("step %s: command index %d, want %d", s.ID, c.Index, next)
					}
					next++
				}
			}
		})
	}
}
