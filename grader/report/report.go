// Package report is the grade report of one labcheck run: what was run, what
// was checked, what held and why not. It is built as data by the grader and
// only formatted by the writers in this package (text, Markdown, JSON, JUnit,
// Gradescope), so that every audience reads the same verdicts.
package report

import "time"

// SchemaVersion names the JSON shape written by WriteJSON. Its suffix changes
// only when a field is removed or changes meaning; new fields keep it (see
// SCHEMA.md).
const SchemaVersion = "labcheck.report/v1"

// Status is the verdict on an item or a step. A check that could not look at
// the cluster is an error, never a fail: a student must not lose points for
// the grader's trouble without being told.
type Status string

const (
	StatusPass    Status = "pass"
	StatusFail    Status = "fail"
	StatusError   Status = "error"
	StatusSkipped Status = "skipped"
)

// Outcomes of a Command.
const (
	OutcomeOK       = "ok"
	OutcomeFailed   = "failed"   // ran and exited non-zero
	OutcomeRejected = "rejected" // refused by the command policy, never ran
	OutcomeTimeout  = "timeout"
	OutcomeSkipped  = "skipped"
	OutcomeFault    = "fault" // the harness failed while running it
)

// When an item is checked.
const (
	WhenEventually = "eventually" // held after some step of the run
	WhenFinal      = "final"      // holds at the end of the run
)

// Report is one run, grade or verification of a lab against a subject.
type Report struct {
	SchemaVersion string
	Lab           LabInfo
	// Subject is "reference solution" or the student's id.
	Subject string
	// Source is the submission file the commands came from, if any.
	Source string
	Mode   string // "run" | "grade" | "verify"
	// Completed is false when grading could not complete; Error says why.
	// Items and Score of an incomplete report are only what was reached.
	Completed bool
	Error     string
	Score     int
	MaxScore  int

	StartedAt  time.Time
	FinishedAt time.Time

	Items       []Item
	Steps       []Step
	Warnings    []string
	Environment Environment
}

// LabInfo identifies the lab definition that was graded against.
type LabInfo struct {
	Name    string
	Title   string
	Version string
	Source  string
}

// Item is one rubric item and its verdict.
type Item struct {
	ID      string
	Title   string
	Points  int
	Awarded int
	Status  Status
	When    string // WhenEventually or WhenFinal
	// Reason says what is wrong (fail) or why it could not be checked
	// (error, skipped); empty on pass.
	Reason string
	// Evidence is the excerpt of cluster state the verdict rests on.
	Evidence string
	// FirstHeld names the step after which the item first held, e.g.
	// "step scale-up (docker service update --replicas 7 sleep-app)".
	FirstHeld string
	// Hint is shown on fail and error only.
	Hint string
	// Check is a one-line description of what is checked.
	Check string
	// Duration is the time spent evaluating the item, polling included.
	Duration time.Duration
}

// Step is one step of the lab as it was run.
type Step struct {
	ID       string
	Title    string
	Status   Status
	Duration time.Duration
	Commands []Command
}

// Command is one command line run (or refused) on a node.
type Command struct {
	Index int // 1-based, in run order across the whole report
	Node  string
	Line  int // line in the submission or lab file; 0 if none
	Text  string
	// Outcome is one of the Outcome constants.
	Outcome  string
	ExitCode int
	// Output is a capped excerpt of stdout and stderr combined.
	Output string
	// Reason says why the command was rejected or skipped, or which limit
	// it hit.
	Reason   string
	Duration time.Duration
}

// Environment is what the grade was produced on, so that an instructor can
// tell a student's mistake from a difference of environment.
type Environment struct {
	Labcheck     string // labcheck version
	HostEngine   string
	NodeEngine   string
	SecurityMode string // "privileged" | "capabilities"
	NodeImage    string
	Images       []ImageInfo
	Notes        []string
	Timings      []Timing
}

// ImageInfo says where a lab image came from. A stand-in behaves like the
// lab's image for the lab's commands but is not it, and reports say so.
type ImageInfo struct {
	Name    string
	StandIn bool
	Source  string // "host" | "stand-in (busybox+tini)"
}

// Timing is the wall time of one phase of the run (cluster start, steps,
// checks, teardown).
type Timing struct {
	Phase    string
	Duration time.Duration
}

// Counts tallies the items by status. Items with an unknown status count as
// errors: the grader produced something it cannot explain.
func (r *Report) Counts() (pass, fail, errored, skipped int) {
	for _, it := range r.Items {
		switch it.Status {
		case StatusPass:
			pass++
		case StatusFail:
			fail++
		case StatusSkipped:
			skipped++
		default:
			errored++
		}
	}
	return pass, fail, errored, skipped
}

// Duration is the wall time of the whole run, or 0 when either end is
// unknown.
func (r *Report) Duration() time.Duration {
	if r.StartedAt.IsZero() || r.FinishedAt.IsZero() || r.FinishedAt.Before(r.StartedAt) {
		return 0
	}
	return r.FinishedAt.Sub(r.StartedAt)
}
