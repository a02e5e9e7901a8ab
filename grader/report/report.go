// Package report is the grade report of one labcheck run: what was run, what
// was checked, what held and why not. It is a tree — run → step → command →
// observation, each with its start, end, status and error — built as data by
// the grader and only drawn by the writers in this package (text, Markdown,
// JSON, JUnit, Gradescope). Every verdict a writer shows (a step's status,
// the run's overall status, whether a hint shows) is computed here, once, so
// that every audience reads the same verdicts.
package report

import "time"

// SchemaVersion names the JSON shape written by WriteJSON. Its suffix changes
// only when a field is removed or changes meaning; new fields keep it (see
// SCHEMA.md).
const SchemaVersion = "labcheck.report/v2"

// Status is the verdict on an item, a step, an observation or the run. A
// check that could not look at the cluster is an error, never a fail: a
// student must not lose points for the grader's trouble without being told.
type Status string

const (
	StatusPass    Status = "pass"
	StatusFail    Status = "fail"
	StatusError   Status = "error"
	StatusSkipped Status = "skipped"
)

// Outcome is what became of one command.
type Outcome string

const (
	OutcomeOK       Outcome = "ok"
	OutcomeFailed   Outcome = "failed"   // ran and exited non-zero, or the fault could not be injected
	OutcomeRejected Outcome = "rejected" // refused by the command policy, never ran
	OutcomeTimeout  Outcome = "timeout"  // stopped at the per-command limit
	OutcomeSkipped  Outcome = "skipped"  // never ran: the replay hit its limit or was interrupted first
	OutcomeError    Outcome = "error"    // labcheck could not run it (the harness failed)
)

// Succeeded reports whether the command did what it was asked.
func (o Outcome) Succeeded() bool { return o == OutcomeOK }

// Notable reports whether a reader should see the command without asking
// for every command: it did not succeed, and it was at least tried or
// refused (skipped commands are summed up by their step instead).
func (o Outcome) Notable() bool {
	switch o {
	case OutcomeFailed, OutcomeRejected, OutcomeTimeout, OutcomeError:
		return true
	}
	return false
}

// CommandKind says what a Command was.
type CommandKind string

const (
	// KindShell is a command line run in a node's shell.
	KindShell CommandKind = "command"
	// KindFault is a fault labcheck injected (a node stopped, cut off):
	// the HA lab's way of losing its leader. It succeeds when the fault
	// was injected.
	KindFault CommandKind = "fault"
)

// When an item is checked.
const (
	WhenEventually = "eventually" // held after some step of the run
	WhenFinal      = "final"      // holds at the end of the run
)

// Report is one run, grade or verification of a lab against a subject: the
// root of the tree.
type Report struct {
	SchemaVersion string
	Lab           LabInfo
	// Subject is "reference solution" or the student's key: the submission's
	// file (or folder) name, never a name the file claims.
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

	Items    []Item
	Steps    []Step
	Warnings []string
	// Notes are things labcheck tried and could not do while grading (read
	// a node's limit counters, kill a straggler): they cost no points, and
	// an instructor who doubts a grade looks here.
	Notes       []string
	Environment Environment
	// Claimed is the student name the submission itself claims ("# student:
	// alice"), shown beside Subject; "" when it claims none.
	Claimed string
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
	// Hint is what to try; see ShowsHint.
	Hint string
	// CheckByHand says why an instructor should look at this verdict
	// themselves (the submission's recorded output and the replay disagree
	// on a command the item rests on), quoting both; "" when there is no
	// doubt. It never changes the points.
	CheckByHand string
	// Check is a one-line description of what is checked.
	Check string
	// Duration is the time it took to establish the verdict: every look at
	// the cluster the item was evaluated on, settle waits included, up to
	// the one where it first held (all of them when it never held).
	Duration time.Duration
}

// ShowsHint reports whether the item's hint is shown: only to a student who
// lost points, never on a pass or a skip.
func (it Item) ShowsHint() bool {
	return it.Hint != "" && (it.Status == StatusFail || it.Status == StatusError)
}

// Step is one step of the lab (or one pasted terminal of a submission) as it
// was run.
type Step struct {
	ID       string
	Title    string
	Start    time.Time
	End      time.Time
	Commands []Command
	// Error says why the step could not run to its end (a reference
	// command's template could not be filled); "" when it could.
	Error string
}

// Status is derived from the step's commands, never set: an error if labcheck
// could not run one of them, a fail if one did not succeed (or was never run
// while others were), skipped if none ran, else pass.
func (s Step) Status() Status {
	if s.Error != "" {
		return StatusError
	}
	if len(s.Commands) == 0 {
		return StatusSkipped
	}
	skipped, failed := 0, false
	for _, c := range s.Commands {
		switch c.Outcome {
		case OutcomeOK:
		case OutcomeError:
			return StatusError
		case OutcomeSkipped:
			skipped++
		default:
			failed = true
		}
	}
	switch {
	case failed:
		return StatusFail
	case skipped == len(s.Commands):
		return StatusSkipped
	case skipped > 0:
		return StatusFail
	}
	return StatusPass
}

// Duration is the step's wall time, 0 when it never ran.
func (s Step) Duration() time.Duration { return span(s.Start, s.End) }

// Command is one command line run (or refused) on a node, or one fault
// injected.
type Command struct {
	Index int // 1-based, in run order across the whole report
	Kind  CommandKind
	Node  string
	Line  int // line in the submission or lab file; 0 if none
	Text  string
	// Outcome is what became of it.
	Outcome  Outcome
	ExitCode int
	// Output is a capped excerpt of stdout and stderr combined.
	Output string
	// Reason says why the command was rejected or skipped, which limit it
	// hit, or how it was replayed.
	Reason string
	Start  time.Time
	End    time.Time
	// Evidence is where a command read from a screenshot came from; nil for
	// commands read from text.
	Evidence *Evidence
	// Observations are the looks at the cluster taken after the command.
	Observations []Observation
}

// Duration is the command's wall time, 0 when it never ran.
func (c Command) Duration() time.Duration { return span(c.Start, c.End) }

// Evidence says how sure labcheck is of a command it read from an image.
type Evidence struct {
	// Image is the screenshot's path as the submission names it.
	Image string
	// Confidence is the OCR's mean word confidence, 0-100.
	Confidence float64
	// Corrections are the changes labcheck made to what it read
	// ("`1s` → `ls`").
	Corrections []string
	// CheckByHand says an instructor should compare the command with the
	// image: the reading was unsure or needed a large correction.
	CheckByHand bool
	// Why says why CheckByHand is set.
	Why string
}

// Observation is one look at the cluster after a command: the wait for it to
// settle, then the state the rubric was evaluated on.
type Observation struct {
	Index int // 1-based, in run order across the whole report
	Start time.Time
	End   time.Time
	// Status is pass when the swarm settled and was observed, fail when it
	// did not settle in time (it was graded as it then was), error when it
	// could not be observed.
	Status Status
	// Reason is the last reason the swarm was not settled (fail) or why it
	// could not be observed (error).
	Reason string
}

// Duration is the observation's wall time.
func (o Observation) Duration() time.Duration { return span(o.Start, o.End) }

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

// ImageSource says where a lab image in the nodes came from.
type ImageSource string

const (
	ImageFromHost    ImageSource = "host"
	ImageFromStandIn ImageSource = "stand-in"
)

// ImageInfo says where a lab image came from. A stand-in behaves like the
// lab's image for the lab's commands but is not it, and reports say so.
type ImageInfo struct {
	Name   string
	Source ImageSource
	// StandIn names what a stand-in is made of ("busybox+tini"); "" for a
	// real image.
	StandIn string
}

// IsStandIn reports whether the image is labcheck's stand-in, not the real one.
func (im ImageInfo) IsStandIn() bool { return im.Source == ImageFromStandIn }

// Describe states plainly whether an image is the real one, because a
// stand-in changes timings (a busybox task stops at once; ubuntu's sleep
// waits out the grace period) and an instructor must be able to tell.
func (im ImageInfo) Describe() string {
	switch im.Source {
	case ImageFromStandIn:
		what := "stand-in image"
		if im.StandIn != "" {
			what += " (" + im.StandIn + ")"
		}
		return im.Name + ": " + what + ", not the real " + im.Name
	case "":
		return im.Name + ": the real image"
	case ImageFromHost:
		return im.Name + ": the real image, from the host engine"
	}
	return im.Name + ": the real image, from " + string(im.Source)
}

// Timing is the wall time of one phase of the run (cluster start, steps,
// checks, teardown).
type Timing struct {
	Phase    string
	Duration time.Duration
}

// Fact is one row of the environment as every writer shows it.
type Fact struct {
	Key, Value string
}

// Facts are the environment's rows in the order every writer shows them:
// what ran, then each image, then each note. Empty values are left out.
func (e Environment) Facts() []Fact {
	var fs []Fact
	add := func(k, v string) {
		if v != "" {
			fs = append(fs, Fact{k, v})
		}
	}
	add("labcheck", e.Labcheck)
	add("host engine", e.HostEngine)
	add("node engine", e.NodeEngine)
	add("security mode", e.SecurityMode)
	add("node image", e.NodeImage)
	for _, im := range e.Images {
		add("image", im.Describe())
	}
	for _, n := range e.Notes {
		add("note", n)
	}
	return fs
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

// Overall is the run's verdict: pass when grading completed and every item
// passed or was skipped, fail when the student has work to do, error when
// grading did not complete or only the grader had trouble.
func (r *Report) Overall() Status {
	_, fail, errored, _ := r.Counts()
	switch {
	case !r.Completed || (errored > 0 && fail == 0):
		return StatusError
	case fail > 0 || errored > 0:
		return StatusFail
	}
	return StatusPass
}

// IncompleteReason is why grading did not complete, in words for every
// writer; "" for a completed report.
func (r *Report) IncompleteReason() string {
	if r.Completed {
		return ""
	}
	if r.Error == "" {
		return "no reason recorded"
	}
	return r.Error
}

// DoubtfulItems lists the items whose verdict an instructor should check by
// hand.
func (r *Report) DoubtfulItems() []Item {
	var out []Item
	for _, it := range r.Items {
		if it.CheckByHand != "" {
			out = append(out, it)
		}
	}
	return out
}

// CheckByHand lists the commands read from images that an instructor should
// compare with their image.
func (r *Report) CheckByHand() []Command {
	var out []Command
	for _, s := range r.Steps {
		for _, c := range s.Commands {
			if c.Evidence != nil && c.Evidence.CheckByHand {
				out = append(out, c)
			}
		}
	}
	return out
}

// CheckByHandCount is how many lines of the report an instructor should
// check by hand: commands read from images in doubt and doubtful items.
func (r *Report) CheckByHandCount() int { return len(r.CheckByHand()) + len(r.DoubtfulItems()) }

// Duration is the wall time of the whole run, or 0 when either end is
// unknown.
func (r *Report) Duration() time.Duration { return span(r.StartedAt, r.FinishedAt) }

func span(start, end time.Time) time.Duration {
	if start.IsZero() || end.IsZero() || end.Before(start) {
		return 0
	}
	return end.Sub(start)
}
