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
		{"reference", referenceReport(t), 8, 0, 0, 0},
		{"student", studentReport(t), 4, 4, 0, 0},
		{"incomplete", incompleteReport(t), 0, 0, 8, 0},
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

var t0 = time.Date(2025, 3, 14, 9, 0, 0, 0, time.UTC)

func TestStepStatusIsDerivedFromItsCommands(t *testing.T) {
	cmd := func(o Outcome) Command { return Command{Outcome: o} }
	tests := []struct {
		name string
		step Step
		want Status
	}{
		{"all ok", Step{Commands: []Command{cmd(OutcomeOK), cmd(OutcomeOK)}}, StatusPass},
		{"a fault injected is ok", Step{Commands: []Command{{Kind: KindFault, Outcome: OutcomeOK}}}, StatusPass},
		{"one failed", Step{Commands: []Command{cmd(OutcomeOK), cmd(OutcomeFailed)}}, StatusFail},
		{"one rejected", Step{Commands: []Command{cmd(OutcomeRejected)}}, StatusFail},
		{"one timed out", Step{Commands: []Command{cmd(OutcomeTimeout)}}, StatusFail},
		{"labcheck could not run one", Step{Commands: []Command{cmd(OutcomeFailed), cmd(OutcomeError)}}, StatusError},
		{"none ran", Step{Commands: []Command{cmd(OutcomeSkipped), cmd(OutcomeSkipped)}}, StatusSkipped},
		{"some never ran", Step{Commands: []Command{cmd(OutcomeOK), cmd(OutcomeSkipped)}}, StatusFail},
		{"no commands", Step{}, StatusSkipped},
		{"the step could not run", Step{Error: "template", Commands: []Command{cmd(OutcomeOK)}}, StatusError},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.step.Status(); got != tc.want {
				t.Errorf("Status() = %s, want %s", got, tc.want)
			}
		})
	}
}

func TestOverall(t *testing.T) {
	tests := []struct {
		name string
		r    *Report
		want Status
	}{
		{"reference", referenceReport(t), StatusPass},
		{"student", studentReport(t), StatusFail},
		{"incomplete", incompleteReport(t), StatusError},
		{"only the grader had trouble", &Report{Completed: true, Items: []Item{{Status: StatusPass}, {Status: StatusError}}}, StatusError},
		{"a failure and an error", &Report{Completed: true, Items: []Item{{Status: StatusFail}, {Status: StatusError}}}, StatusFail},
		{"skipped items do not fail", &Report{Completed: true, Items: []Item{{Status: StatusPass}, {Status: StatusSkipped}}}, StatusPass},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.r.Overall(); got != tc.want {
				t.Errorf("Overall() = %s, want %s", got, tc.want)
			}
		})
	}
}

func TestSharedFacts(t *testing.T) {
	if got := (&Report{}).IncompleteReason(); got != "no reason recorded" {
		t.Errorf("IncompleteReason() = %q", got)
	}
	if got := (&Report{Completed: true, Error: "x"}).IncompleteReason(); got != "" {
		t.Errorf("a completed report has no incomplete reason, got %q", got)
	}
	for _, tc := range []struct {
		it   Item
		want bool
	}{
		{Item{Status: StatusFail, Hint: "h"}, true},
		{Item{Status: StatusError, Hint: "h"}, true},
		{Item{Status: StatusPass, Hint: "h"}, false},
		{Item{Status: StatusSkipped, Hint: "h"}, false},
		{Item{Status: StatusFail}, false},
	} {
		if got := tc.it.ShowsHint(); got != tc.want {
			t.Errorf("%+v.ShowsHint() = %v", tc.it, got)
		}
	}
	env := Environment{Labcheck: "v1", NodeImage: "n", Images: []ImageInfo{{Name: "ubuntu", Source: ImageFromStandIn, StandIn: "busybox+tini"}}, Notes: []string{"a", "b"}}
	want := []Fact{{"labcheck", "v1"}, {"node image", "n"}, {"image", "ubuntu: stand-in image (busybox+tini), not the real ubuntu"}, {"note", "a"}, {"note", "b"}}
	if got := env.Facts(); len(got) != len(want) {
		t.Errorf("Facts() = %v, want %v", got, want)
	} else {
		for i := range want {
			if got[i] != want[i] {
				t.Errorf("Facts()[%d] = %v, want %v", i, got[i], want[i])
			}
		}
	}
}

func TestRecordedItemDurationsAreReal(t *testing.T) {
	for _, name := range []string{"reference", "student"} {
		for _, it := range recorded(t, name).Items {
			if it.Duration <= 0 {
				t.Errorf("%s: item %s has no evaluation time", name, it.ID)
			}
		}
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
	for _, f := range fixtures(t) {
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
