package grader

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/labcheck/labcheck/grader/lab"
	"github.com/labcheck/labcheck/grader/report"
	"github.com/labcheck/labcheck/harness"
	"golang.org/x/sync/errgroup"
)

// RunReference runs a lab's reference solution, step by step, on a fresh
// cluster and grades it: a lab whose reference does not score full marks
// is a broken lab. The cluster is removed before it returns, on every path.
// The error is for runs that could not complete; the report says why too.
func RunReference(ctx context.Context, l *lab.Lab, opts Options) (*report.Report, error) {
	s, err := newSession(l, opts, "reference solution", "run")
	if err != nil {
		return nil, err
	}
	return s.run(ctx, func(ctx context.Context) error {
		for _, step := range l.Steps {
			if err := s.runStep(ctx, step); err != nil {
				return err
			}
		}
		return nil
	})
}

func (s *session) runStep(ctx context.Context, step lab.Step) error {
	s.opts.Progress.StepStart(step.ID, step.Title)
	rs := report.Step{ID: step.ID, Title: step.Title, Start: time.Now()}
	defer func() {
		rs.End = time.Now()
		s.rep.Steps = append(s.rep.Steps, rs)
		s.rep.Environment.Timings = append(s.rep.Environment.Timings, report.Timing{Phase: "step " + step.ID, Duration: rs.Duration()})
		s.opts.Progress.StepDone(step.ID, rs.Status(), rs.Duration())
	}()
	for _, batch := range step.Batches() {
		if err := ctx.Err(); err != nil {
			return interrupted(ctx)
		}
		if len(batch) > 1 {
			if err := s.runTogether(ctx, step, batch, &rs); err != nil {
				return err
			}
			continue
		}
		a := batch[0]
		var cmd report.Command
		settle := s.opts.SettleTimeout
		if a.Fault != "" {
			cmd = s.runFault(ctx, a)
			settle = harness.NodeDownTimeout
		} else {
			text, err := s.render(ctx, a.Command)
			if err != nil {
				rs.Error = fmt.Sprintf("line %d: %v", a.Line, err)
				return fmt.Errorf("step %s, line %d: %w", step.ID, a.Line, err)
			}
			cmd = s.runCommand(ctx, a.Node, text, detach(text), a.Line)
		}
		s.opts.Progress.Command(cmd)
		if !a.NoSettle {
			cmd.Observations = append(cmd.Observations, s.settleAndObserve(ctx, fmt.Sprintf("step %s (%s$ %s)", step.ID, a.Node, firstLine(cmd.Text)), settle))
		}
		rs.Commands = append(rs.Commands, cmd)
	}
	return nil
}

// runTogether runs a lab's group of commands (each in its own node's
// terminal, validated by the lab) at once, then lets the swarm settle once
// and records that look after the group's last command. Commands are
// rendered and numbered in lab order before any runs, so the report reads
// the same whichever finishes first.
func (s *session) runTogether(ctx context.Context, step lab.Step, batch []lab.Action, rs *report.Step) error {
	cmds := make([]report.Command, len(batch))
	runs := make([]string, len(batch))
	for i, a := range batch {
		text, err := s.render(ctx, a.Command)
		if err != nil {
			rs.Error = fmt.Sprintf("line %d: %v", a.Line, err)
			return fmt.Errorf("step %s, line %d: %w", step.ID, a.Line, err)
		}
		cmds[i] = s.newCommand(report.KindShell, a.Node, a.Line, text)
		runs[i] = detach(text)
	}
	// A command that fails is the lab's verdict to report, not a reason
	// to stop its siblings: nothing here returns an error.
	var g errgroup.Group
	for i := range batch {
		g.Go(func() error {
			cmds[i] = s.runNumbered(ctx, cmds[i], runs[i])
			return nil
		})
	}
	_ = g.Wait()
	for _, cmd := range cmds {
		s.opts.Progress.Command(cmd)
	}
	last := &cmds[len(cmds)-1]
	nodes := make([]string, len(batch))
	for i, a := range batch {
		nodes[i] = a.Node
	}
	at := fmt.Sprintf("step %s (%s at once: %s)", step.ID, strings.Join(nodes, ", "), firstLine(last.Text))
	last.Observations = append(last.Observations, s.settleAndObserve(ctx, at, s.opts.SettleTimeout))
	rs.Commands = append(rs.Commands, cmds...)
	return nil
}

// runFault injects a node fault (the HA lab stops its leader). A fault that
// was injected succeeded; one that could not be is a failed command.
func (s *session) runFault(ctx context.Context, a lab.Action) report.Command {
	cmd := s.newCommand(report.KindFault, a.Node, a.Line, "(fault) "+a.Fault+" "+a.Node)
	cmd.Start = time.Now()
	var err error
	switch a.Fault {
	case lab.FaultStop:
		err = s.cluster.StopNode(ctx, a.Node)
	case lab.FaultKill:
		err = s.cluster.KillNode(ctx, a.Node)
	case lab.FaultStart:
		err = s.cluster.StartNode(ctx, a.Node)
	case lab.FaultDisconnect:
		err = s.cluster.DisconnectNode(ctx, a.Node)
	case lab.FaultConnect:
		err = s.cluster.ConnectNode(ctx, a.Node)
	default:
		err = fmt.Errorf("unknown fault %q", a.Fault)
	}
	cmd.End = time.Now()
	cmd.Outcome = report.OutcomeOK
	if err != nil {
		cmd.Outcome, cmd.Reason = report.OutcomeFailed, err.Error()
	}
	return cmd
}

// render fills a reference command's placeholders from the live cluster.
func (s *session) render(ctx context.Context, command string) (string, error) {
	if !strings.Contains(command, "{{") {
		return command, nil
	}
	vars := lab.Vars{NodeIDs: s.nodeIDs()}
	init := s.lab.InitNode()
	addr, err := s.cluster.Addr(init)
	if err != nil {
		return "", err
	}
	vars.ManagerAddr = addr
	if lab.NeedsJoinTokens(command) {
		tokens, err := s.cluster.JoinTokens(ctx, s.managerNode())
		if err != nil {
			return "", fmt.Errorf("join tokens: %w", err)
		}
		vars.WorkerToken, vars.ManagerToken = tokens.Worker, tokens.Manager
	}
	return lab.RenderCommand(command, vars)
}

// managerNode is the node the swarm was last read from, else the init node.
func (s *session) managerNode() string {
	if s.last != nil && s.last.Manager != "" {
		return s.last.Manager
	}
	return s.lab.InitNode()
}
