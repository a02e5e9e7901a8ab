// Package grader runs a lab on a cluster and grades it: the lab's reference
// solution (labcheck run) or a student's submission (labcheck grade). After
// every command it waits for the swarm to settle, observes the cluster and
// evaluates the rubric, so each item can say when it first held and what the
// cluster looked like when it did not. It talks to the cluster through the
// small Cluster interface, so its paths are tested with a fake fed by
// recorded states.
package grader

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/labcheck/labcheck/grader/lab"
	"github.com/labcheck/labcheck/grader/report"
	"github.com/labcheck/labcheck/harness"
)

// Options configure a run.
type Options struct {
	// Cluster options passed to Start (node image, limits, logf).
	Cluster []harness.Option
	// Start starts the cluster; nil means a real one (StartHarness).
	Start StartFunc
	// Progress receives live progress; nil means none.
	Progress Progress
	// CommandTimeout bounds each command; SettleTimeout the wait after it.
	CommandTimeout time.Duration
	SettleTimeout  time.Duration
	// OutputCap bounds the output kept from one command.
	OutputCap int
	// Version is labcheck's version, written into every report.
	Version string
	// SequentialReplay replays a submission one command at a time. By
	// default consecutive `docker swarm join`s, and consecutive leaves of
	// workers, from different terminals that nothing in the submission
	// orders run at once, with the same grade (concurrent.go says when).
	SequentialReplay bool
}

func (o *Options) defaults() {
	if o.Progress == nil {
		o.Progress = nopProgress{}
	}
	if o.Start == nil {
		o.Start = StartHarness
	}
	if o.CommandTimeout <= 0 {
		o.CommandTimeout = harness.CommandTimeout
	}
	if o.SettleTimeout <= 0 {
		o.SettleTimeout = harness.SettleTimeout
	}
	if o.OutputCap <= 0 {
		o.OutputCap = DefaultOutputCap
	}
	if o.Version == "" {
		o.Version = "dev"
	}
}

// standInMadeOf is what labcheck's stand-in workload image is made of.
const standInMadeOf = "busybox+tini"

// detachNote says why service commands ran with --detach.
const detachNote = "`docker service create/update/scale/rollback` ran with --detach: labcheck waits for the swarm to converge itself instead of the CLI's 5 s stability monitor. " +
	"`docker service create`, and `docker service update --image`, ran with --no-resolve-image: the nodes are offline and hold the lab's images, so the CLI's registry lookup of the image's digest could only fail."

// DefaultOutputCap bounds the output kept from one command in a report.
const DefaultOutputCap = 64 << 10

// Progress hears about a run as it goes; renderers of live output
// implement it.
type Progress interface {
	Phase(name string)
	StepStart(id, title string)
	Command(c report.Command)
	StepDone(id string, status report.Status, d time.Duration)
}

type nopProgress struct{}

func (nopProgress) Phase(string)                                  {}
func (nopProgress) StepStart(string, string)                      {}
func (nopProgress) Command(report.Command)                        {}
func (nopProgress) StepDone(string, report.Status, time.Duration) {}

// session is one run of a lab on one fresh cluster.
type session struct {
	lab     *lab.Lab
	opts    Options
	cluster Cluster
	rubric  *rubric
	rep     *report.Report
	last    *harness.State
	hits    map[string]harness.LimitHits
	obs     int
	nextCmd int
	// notesMu guards rep.Notes: commands of a lab's group run at once.
	notesMu sync.Mutex
}

func newSession(l *lab.Lab, opts Options, subject, mode string) (*session, error) {
	opts.defaults()
	r, err := newRubric(l)
	if err != nil {
		return nil, err
	}
	return &session{lab: l, opts: opts, rubric: r, rep: newReport(l, opts.Version, subject, mode)}, nil
}

// newReport is the root of a report before anything ran.
func newReport(l *lab.Lab, version, subject, mode string) *report.Report {
	return &report.Report{
		SchemaVersion: report.SchemaVersion,
		Lab:           report.LabInfo{Name: l.Name, Title: l.Title, Version: l.Version, Source: l.Source},
		Subject:       subject,
		Mode:          mode,
		MaxScore:      l.MaxScore(),
		StartedAt:     time.Now().UTC(),
		Environment:   report.Environment{Labcheck: version},
	}
}

// start brings up a fresh cluster with the lab's nodes and images.
func (s *session) start(ctx context.Context) error {
	s.opts.Progress.Phase("starting a fresh " + fmt.Sprint(len(s.lab.Nodes)) + "-node cluster")
	opts := append([]harness.Option{
		harness.WithNodes(s.lab.NodeNames()...),
		harness.WithImages(s.lab.Images...),
	}, s.opts.Cluster...)
	c, err := s.opts.Start(ctx, opts...)
	s.cluster = c
	if c != nil {
		s.describeEnvironment()
	}
	if err != nil {
		return fmt.Errorf("start cluster: %w", err)
	}
	return nil
}

// run starts the cluster, runs body on it, grades, and removes the cluster
// on every path. A body error means the run could not complete: the report
// says why and the error is returned with it.
func (s *session) run(ctx context.Context, body func(context.Context) error) (rep *report.Report, err error) {
	defer func() {
		if cerr := s.close(ctx); cerr != nil {
			s.rep.Warnings = append(s.rep.Warnings, "removing the cluster: "+cerr.Error())
		}
	}()
	if err = s.start(ctx); err == nil {
		err = body(ctx)
	}
	if err == nil && ctx.Err() != nil {
		err = interrupted(ctx)
	}
	if err != nil {
		s.rep.Error = err.Error()
	}
	return s.finish(ctx), err
}

// interrupted is the error of a run whose context ended: Ctrl-C, or a
// caller's deadline. It is never a settle timeout.
func interrupted(ctx context.Context) error {
	cause := context.Cause(ctx)
	if cause != nil && !errors.Is(cause, context.Canceled) && !errors.Is(cause, context.DeadlineExceeded) {
		// A deadline of labcheck's own, such as the replay's limit, says
		// what it is.
		return cause
	}
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return fmt.Errorf("interrupted: the caller's deadline passed: %w", context.Cause(ctx))
	}
	return fmt.Errorf("interrupted: %w", context.Cause(ctx))
}

// nodeIDs maps hostnames to swarm node IDs in the last state, preferring
// the ready entry where a node that left and rejoined is listed twice.
func (s *session) nodeIDs() map[string]string {
	ids := map[string]string{}
	if s.last == nil || s.last.Swarm == nil {
		return ids
	}
	for _, n := range s.last.Swarm.Nodes {
		if _, seen := ids[n.Hostname]; !seen || n.Status == "ready" {
			ids[n.Hostname] = n.ID
		}
	}
	return ids
}

// close removes the cluster; it runs on every exit path, Ctrl-C included,
// so it does not inherit the run's cancellation.
func (s *session) close(ctx context.Context) error {
	if s.cluster == nil {
		return nil
	}
	start := time.Now()
	err := s.cluster.Close(context.WithoutCancel(ctx))
	s.rep.Environment.Timings = append(s.rep.Environment.Timings, report.Timing{Phase: "cluster removed", Duration: time.Since(start)})
	return err
}

func (s *session) describeEnvironment() {
	info := s.cluster.Info()
	env := &s.rep.Environment
	env.HostEngine, env.NodeEngine = info.HostEngine, info.NodeEngine
	env.SecurityMode, env.NodeImage = string(info.Security), info.NodeImage
	env.Images = nil
	for _, im := range info.Images {
		ri := report.ImageInfo{Name: im.Name, Source: report.ImageFromHost}
		if im.StandIn() {
			ri.Source, ri.StandIn = report.ImageFromStandIn, standInMadeOf
		}
		env.Images = append(env.Images, ri)
	}
	env.Timings = nil
	for _, t := range info.Timings {
		env.Timings = append(env.Timings, report.Timing{Phase: t.Phase, Duration: t.Duration})
	}
	env.Notes = append(env.Notes, detachNote)
	if info.SeededImage != "" {
		env.Notes = append(env.Notes, fmt.Sprintf("The nodes ran %s, %s with the lab's images already in it: each node got its own copy of that /var/lib/docker, so nothing was loaded at start.", info.SeededImage, info.NodeImage))
	}
	if info.UsrVolume != "" {
		env.Notes = append(env.Notes, fmt.Sprintf("The nodes read their programs from volume %s, a copy of the node image's /usr mounted read-only in every node.", info.UsrVolume))
	}
}

// settleAndObserve waits for the swarm to settle after an action and
// evaluates the rubric on what it then sees. The observation says whether
// it settled; a context that ended (Ctrl-C, the replay's limit) is reported
// as such, never as a swarm that did not settle.
func (s *session) settleAndObserve(ctx context.Context, at string, timeout time.Duration) report.Observation {
	o := report.Observation{Start: time.Now()}
	defer func() { o.End = time.Now() }()
	if ctx.Err() != nil {
		o.Status, o.Reason = report.StatusError, "not observed: "+interrupted(ctx).Error()
		o.End = time.Now()
		return o
	}
	st, err := s.cluster.Settle(ctx, timeout)
	var te *harness.TimeoutError
	switch {
	case ctx.Err() != nil:
		o.Status, o.Reason = report.StatusError, "observing stopped: "+interrupted(ctx).Error()
	case errors.As(err, &te):
		o.Status, o.Reason = report.StatusFail, te.LastReason
		s.rep.Warnings = append(s.rep.Warnings, fmt.Sprintf("after %s the swarm did not settle within %s (%s); it was graded as it then was", at, timeout, te.LastReason))
	case err != nil:
		o.Status, o.Reason = report.StatusError, err.Error()
		s.rep.Warnings = append(s.rep.Warnings, fmt.Sprintf("after %s the cluster could not be observed: %v", at, err))
	default:
		o.Status = report.StatusPass
	}
	if st != nil && ctx.Err() == nil {
		s.last = st
		s.obs++
		o.Index = s.obs
		s.rubric.observe(s.obs, at, st, time.Since(o.Start))
	}
	o.End = time.Now()
	return o
}

// finish grades the final items on the end state and completes the report.
func (s *session) finish(ctx context.Context) *report.Report {
	if s.cluster != nil && s.rep.Error == "" {
		start := time.Now()
		st, err := s.cluster.Settle(ctx, s.opts.SettleTimeout)
		var te *harness.TimeoutError
		if errors.As(err, &te) {
			s.rep.Warnings = append(s.rep.Warnings, fmt.Sprintf("at the end of the run the swarm did not settle within %s (%s); it was graded as it then was", s.opts.SettleTimeout, te.LastReason))
		}
		if st != nil {
			s.last = st
			s.obs++
			s.rubric.final(s.obs, "the end of the run", st, time.Since(start))
		} else if err != nil {
			s.rep.Warnings = append(s.rep.Warnings, "the final state could not be observed: "+err.Error())
		}
	}
	s.rep.Items, s.rep.Score = s.rubric.report()
	s.rep.Completed = s.rep.Error == ""
	s.rep.FinishedAt = time.Now().UTC()
	return s.rep
}

// note records something labcheck could not do while grading; it costs no
// points, and an instructor who doubts a grade reads it.
func (s *session) note(format string, args ...any) {
	s.notesMu.Lock()
	defer s.notesMu.Unlock()
	s.rep.Notes = append(s.rep.Notes, fmt.Sprintf(format, args...))
}

// newCommand numbers a command in run order across the whole report.
func (s *session) newCommand(kind report.CommandKind, node string, line int, text string) report.Command {
	s.nextCmd++
	return report.Command{Index: s.nextCmd, Kind: kind, Node: node, Line: line, Text: text}
}

// runCommand runs one command line in a node, bounded, and records it. text
// is what is recorded; line is what runs (the same, translated or detached).
func (s *session) runCommand(ctx context.Context, node, text, run string, line int) report.Command {
	return s.runNumbered(ctx, s.newCommand(report.KindShell, node, line, text), run)
}

// runNumbered runs a command already numbered by newCommand, so commands
// that run at once keep the numbers of their order in the lab.
func (s *session) runNumbered(ctx context.Context, cmd report.Command, run string) report.Command {
	node, line := cmd.Node, cmd.Line
	cmd.Start = time.Now()
	res, err := s.cluster.Shell(ctx, node, run, harness.ExecOptions{Timeout: s.opts.CommandTimeout, OutputCap: s.opts.OutputCap})
	cmd.End = time.Now()
	cmd.Output = res.Output()
	cmd.ExitCode = res.ExitCode
	switch {
	case ctx.Err() != nil:
		cmd.Outcome, cmd.Reason = report.OutcomeSkipped, "stopped while it ran: "+interrupted(ctx).Error()
	case err != nil:
		cmd.Outcome, cmd.Reason = report.OutcomeError, "could not run: "+err.Error()
	case res.TimedOut:
		cmd.Outcome = report.OutcomeTimeout
		cmd.Reason = fmt.Sprintf("stopped after the %s per-command limit", s.opts.CommandTimeout)
		n, kerr := s.killStragglers(ctx, node, cmd.Start)
		if n > 0 {
			cmd.Reason += fmt.Sprintf("; %d container(s) it left running in the foreground were killed", n)
		}
		if kerr != nil {
			s.note("line %d (%s): killing the containers a timed-out command left running: %v", line, node, kerr)
		}
	case res.ExitCode != 0:
		cmd.Outcome = report.OutcomeFailed
	default:
		cmd.Outcome = report.OutcomeOK
	}
	if res.StdoutTruncated || res.StderrTruncated {
		cmd.Reason = joinReason(cmd.Reason, fmt.Sprintf("output cut at %d bytes", s.opts.OutputCap))
	}
	return cmd
}

// killStragglers kills the non-task containers a timed-out command
// started on node, so a foreground busy loop does not eat the rest of the run.
func (s *session) killStragglers(ctx context.Context, node string, since time.Time) (int, error) {
	st, err := s.cluster.Observe(ctx)
	if err != nil || st == nil {
		return 0, fmt.Errorf("observe %s: %w", node, err)
	}
	ns, ok := st.Node(node)
	if !ok {
		return 0, fmt.Errorf("node %s is not in the observed state", node)
	}
	killed := 0
	var errs []error
	for _, c := range ns.Containers {
		if c.State != "running" || c.ServiceName() != "" {
			continue
		}
		if err := s.cluster.KillContainer(ctx, node, c.ID, since); err != nil {
			if !errors.Is(err, harness.ErrPredatesCommand) {
				errs = append(errs, err)
			}
			continue
		}
		killed++
	}
	return killed, errors.Join(errs...)
}

func joinReason(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + "; " + b
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i] + " ..."
	}
	return s
}
