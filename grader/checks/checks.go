// Package checks holds the checks labcheck grades a cluster with. Each check
// is pure: it reads one observed harness.State and answers pass, fail (the
// student's cluster is wrong, and the reason says how, citing the state) or
// error (labcheck could not look, and the reason says why). Keeping "wrong"
// apart from "could not look" is what lets a grade explain itself.
package checks

import "github.com/labcheck/labcheck/harness"

// Status is the verdict of one check on one state.
type Status string

const (
	Pass  Status = "pass"
	Fail  Status = "fail"
	Error Status = "error"
)

// Result is a verdict with its explanation.
type Result struct {
	Status Status `json:"status"`
	// Reason is, for a failure, what is wrong, citing the state; for an
	// error, why the state could not be read. Empty on pass.
	Reason string `json:"reason,omitempty"`
	// Evidence is a short excerpt of the state the verdict rests on, set on
	// pass too so that a report shows what was seen, not only that it was
	// fine.
	Evidence string `json:"evidence,omitempty"`
}

// Check is one expectation about a cluster's state.
type Check interface {
	Evaluate(s *harness.State) Result
	// Describe is one line saying what is expected, e.g. "7 running tasks
	// of sleep-app"; reports print it next to the verdict.
	Describe() string
}

func passed(evidence string) Result {
	return Result{Status: Pass, Evidence: evidence}
}

func failed(reason, evidence string) Result {
	return Result{Status: Fail, Reason: reason, Evidence: evidence}
}

func errored(reason string) Result {
	return Result{Status: Error, Reason: reason}
}

// noState guards every Evaluate: a nil state is the caller's bug, but a
// grade must still say something rather than panic mid-report.
func noState(s *harness.State) (Result, bool) {
	if s == nil {
		return errored("no state was observed"), true
	}
	if len(s.Nodes) == 0 {
		return errored("the observed state lists no nodes"), true
	}
	return Result{}, false
}
