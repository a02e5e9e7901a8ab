// Package grader runs a lab on a real cluster and grades it: the lab's
// reference solution (labcheck run) or a student's submission (labcheck
// grade). After every command it waits for the swarm to settle, observes
// the cluster and evaluates the rubric, so each item can say when it first
// held and what the cluster looked like when it did not.
package grader

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/labcheck/labcheck/grader/lab"
	"github.com/labcheck/labcheck/grader/report"
	"github.com/labcheck/labcheck/harness"
)

// Version is labcheck's version, set by the CLI from build info.
var Version = "dev"

// Options configure a run.
type Options struct {
	// Cluster options passed to harness.Start (node image, limits, logf).
	Cluster []harness.Option
	// Progress receives live progress; nil means none.
	Progress Progress
	// CommandTimeout bounds each command; SettleTimeout the wait after it.
	CommandTimeout time.Duration
	SettleTimeout  time.Duration
	// OutputCap bounds the output kept from one command.
	OutputCap int
}

func (o *Options) defaults() {
	if o.Progress == nil {
		o.Progress = nopProgress{}
	}
	if o.CommandTimeout <= 0 {
		o.CommandTimeout = harness.CommandTimeout
	}
	if o.SettleTimeout <= 0 {
		o.SettleTimeout = harness.SettleTimeout
	}
	if o.OutputCap <= 0 {
		o.OutputCap = 64 << 10
	}
}

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
	cluster *harness.Cluster
	rubric  *rubric
	rep     *report.Report
	last    *harness.State
	hits    map[string]harness.LimitHits
	obs     int
	nextCmd int
}

func newSession(l *lab.Lab, opts Options, subject, mode string) (*session, error) {
	opts.defaults()
	r, err := newRubric(l)
	if err != nil {
		return nil, err
	}
	return &session{lab: l, opts: opts, rubric: r, rep: &report.Report{
		SchemaVersion: report.SchemaVersion,
		Lab:           report.LabInfo{Name: l.Name, Title: l.Title, Version: l.Version, Source: l.Source},
		Subject:       subject,
		Mode:          mode,
		MaxScore:      l.MaxScore(),
		StartedAt:     time.Now().UTC(),
		Environment:   report.Environment{Labcheck: Version},
	}}, nil
}

// start brings up a fresh cluster with the lab's nodes and images.
func (s *session) start(ctx context.Context) error {
	s.opts.Progress.Phase("starting a fresh " + fmt.Sprint(len(s.lab.Nodes)) + "-node cluster")
	opts := append([]harness.Option{
		harness.WithNodes(s.lab.NodeNames()...),
		harness.WithImages(s.lab.Images...),
	}, s.opts.Cluster...)
	c, err := harness.Start(ctx, opts...)
	s.cluster = c
	s.describeEnvironment()
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
	if err != nil {
		s.rep.Error = err.Error()
	}
	return s.finish(ctx), err
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

// close removes the cluster; it runs on every exit path.
func (s *session) close(ctx context.Context) error {
	if s.cluster == nil {
		return nil
	}
	start := time.Now()
	err := s.cluster.Close(ctx)
	s.rep.Environment.Timings = append(s.rep.Environment.Timings, report.Timing{Phase: "cluster removed", Duration: time.Since(start)})
	return err
}

func (s *session) describeEnvironment() {
	c := s.cluster
	env := &s.rep.Environment
	env.HostEngine, env.NodeEngine = c.HostEngine, c.NodeEngine
	env.SecurityMode, env.NodeImage = string(c.Security), c.NodeImage
	env.Images = nil
	for _, im := range c.Images {
		info := report.ImageInfo{Name: im.Name, StandIn: im.StandIn(), Source: "host"}
		if im.StandIn() {
			info.Source = "stand-in (busybox+tini)"
		}
		env.Images = append(env.Images, info)
	}
	env.Timings = nil
	for _, t := range c.Timings {
		env.Timings = append(env.Timings, report.Timing{Phase: t.Phase, Duration: t.Duration})
	}
	env.Notes = append(env.Notes,
		"`docker service create/update/scale/rollback` ran with --detach: labcheck waits for the swarm to converge itself instead of the CLI's 5 s stability monitor.")
}

// settleAndObserve waits for the swarm to settle after an action and
// evaluates the rubric on what it then sees.
func (s *session) settleAndObserve(ctx context.Context, at string, timeout time.Duration) {
	st, err := s.cluster.Settle(ctx, timeout)
	var te *harness.TimeoutError
	switch {
	case errors.As(err, &te):
		s.rep.Warnings = append(s.rep.Warnings, fmt.Sprintf("after %s the swarm did not settle within %s (%s); it was graded as it then was", at, timeout, te.LastReason))
	case err != nil:
		s.rep.Warnings = append(s.rep.Warnings, fmt.Sprintf("after %s the cluster could not be observed: %v", at, err))
	}
	if st == nil {
		return
	}
	s.last = st
	s.obs++
	s.rubric.observe(s.obs, at, st)
}

// finish grades the final items on the end state and completes the report.
func (s *session) finish(ctx context.Context) *report.Report {
	if s.cluster != nil && s.rep.Error == "" {
		st, err := s.cluster.Settle(ctx, s.opts.SettleTimeout)
		if st != nil {
			s.last = st
			s.obs++
			s.rubric.final(s.obs, "the end of the run", st)
		} else if err != nil {
			s.rep.Warnings = append(s.rep.Warnings, "the final state could not be observed: "+err.Error())
		}
	}
	s.rep.Items, s.rep.Score = s.rubric.report()
	s.rep.Completed = s.rep.Error == ""
	s.rep.FinishedAt = time.Now().UTC()
	return s.rep
}

// runCommand runs one command line in a node, bounded, and records it.
func (s *session) runCommand(ctx context.Context, node, text string, line int) report.Command {
	s.nextCmd++
	cmd := report.Command{Index: s.nextCmd, Node: node, Line: line, Text: text}
	started := time.Now()
	res, err := s.cluster.Shell(ctx, node, detach(text), harness.ExecOptions{Timeout: s.opts.CommandTimeout, OutputCap: s.opts.OutputCap})
	cmd.Duration = time.Since(started)
	cmd.Output = res.Output()
	cmd.ExitCode = res.ExitCode
	switch {
	case err != nil:
		cmd.Outcome, cmd.Reason = report.OutcomeFailed, "could not run: "+err.Error()
	case res.TimedOut:
		cmd.Outcome = report.OutcomeTimeout
		cmd.Reason = fmt.Sprintf("stopped after the %s per-command limit", s.opts.CommandTimeout)
		if n := s.killStragglers(ctx, node, started); n > 0 {
			cmd.Reason += fmt.Sprintf("; %d container(s) it left running in the foreground were killed", n)
		}
	case res.ExitCode != 0:
		cmd.Outcome = report.OutcomeFailed
	default:
		cmd.Outcome = report.OutcomeOK
	}
	if res.StdoutTruncated || res.StderrTruncated {
		cmd.Reason = strings.TrimPrefix(cmd.Reason+fmt.Sprintf("; output cut at %d bytes", s.opts.OutputCap), "; ")
	}
	return cmd
}

// killStragglers kills the non-task containers a timed-out command
// started on node, so a foreground busy loop does not eat the rest of the run.
func (s *session) killStragglers(ctx context.Context, node string, since time.Time) int {
	st, err := s.cluster.Observe(ctx)
	if err != nil || st == nil {
		return 0
	}
	ns, _ := st.Node(node)
	killed := 0
	for _, c := range ns.Containers {
		if c.State != "running" || c.ServiceName() != "" {
			continue
		}
		if s.cluster.KillContainer(ctx, node, c.ID, since) == nil {
			killed++
		}
	}
	return killed
}
