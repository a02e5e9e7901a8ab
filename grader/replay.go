package grader

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/labcheck/labcheck/grader/lab"
	"github.com/labcheck/labcheck/grader/report"
	"github.com/labcheck/labcheck/grader/submission"
)

// ReplayLimits bound a replay of untrusted commands; every limit hit is
// reported, never silent.
type ReplayLimits struct {
	// Total bounds the whole replay; commands after it are skipped.
	Total time.Duration
}

// DefaultReplayTotal bounds one submission's replay.
const DefaultReplayTotal = 10 * time.Minute

// Grade replays a student's submission on a fresh cluster and grades the
// cluster after every command. Commands run only inside the nodes, and
// only those the submission policy allows; a rejected command is reported
// with its reason and grading goes on. The cluster is removed before it
// returns. The error is for replays that could not complete.
func Grade(ctx context.Context, l *lab.Lab, sub *submission.Submission, opts Options, limits ReplayLimits) (*report.Report, error) {
	if limits.Total <= 0 {
		limits.Total = DefaultReplayTotal
	}
	if opts.CommandTimeout <= 0 {
		opts.CommandTimeout = DefaultReplayCommandTimeout
	}
	s, err := newSession(l, opts, sub.Student, "grade")
	if err != nil {
		return nil, err
	}
	s.rep.Source = sub.Source
	for _, n := range sub.Notes {
		s.rep.Warnings = append(s.rep.Warnings, "submission: "+n)
	}

	return s.run(ctx, func(ctx context.Context) error {
		s.rep.Environment.Notes = append(s.rep.Environment.Notes, s.describeLimits(limits))
		s.replay(ctx, sub, limits)
		for _, n := range s.lab.NodeNames() {
			if hit := s.limitHits(ctx, n); hit != "" {
				s.rep.Warnings = append(s.rep.Warnings, "limit reached during the replay: "+hit)
			}
		}
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("interrupted: %w", err)
		}
		return nil
	})
}

func (s *session) replay(ctx context.Context, sub *submission.Submission, limits ReplayLimits) {
	deadline := time.Now().Add(limits.Total)
	tr := submission.NewTranslator()
	var step *report.Step
	var stepStart time.Time
	closeStep := func() {
		if step == nil {
			return
		}
		step.Duration = time.Since(stepStart)
		s.rep.Steps = append(s.rep.Steps, *step)
		s.opts.Progress.StepDone(step.ID, step.Status, step.Duration)
		step = nil
	}
	prevTerminal := -1
	sched := newScheduler(sub.Commands)
	for {
		if ctx.Err() != nil {
			break
		}
		c, why, ok := sched.next(s.last)
		if !ok {
			break
		}
		if why != "" {
			s.rep.Warnings = append(s.rep.Warnings, why)
		}
		if step == nil || c.Terminal != prevTerminal {
			closeStep()
			id := fmt.Sprintf("terminal-%d", c.Terminal+1)
			step = &report.Step{ID: id, Title: fmt.Sprintf("terminal %d (%s)", c.Terminal+1, c.Node), Status: report.StatusPass}
			stepStart = time.Now()
			s.opts.Progress.StepStart(id, step.Title)
		}
		crossTerminal := c.Terminal != prevTerminal && prevTerminal >= 0
		prevTerminal = c.Terminal
		if time.Now().After(deadline) {
			skipped := 1 + sched.remaining()
			for ok {
				s.nextCmd++
				step.Commands = append(step.Commands, report.Command{Index: s.nextCmd, Node: c.Node, Line: c.Line, Text: c.Text,
					Outcome: report.OutcomeSkipped, Reason: fmt.Sprintf("the replay hit its %s limit", limits.Total)})
				c, _, ok = sched.next(s.last)
			}
			s.rep.Warnings = append(s.rep.Warnings, fmt.Sprintf("the replay stopped at its %s limit: %d command(s) were not run", limits.Total, skipped))
			step.Status = report.StatusFail
			break
		}
		cmd := s.replayOne(ctx, tr, c, crossTerminal)
		if cmd.Outcome != report.OutcomeOK {
			step.Status = report.StatusFail
		}
		step.Commands = append(step.Commands, cmd)
		s.opts.Progress.Command(cmd)
	}
	closeStep()
}

// replayOne checks, translates, runs and observes one submitted command.
func (s *session) replayOne(ctx context.Context, tr *submission.Translator, c submission.Command, crossTerminal bool) report.Command {
	at := fmt.Sprintf("line %d (%s$ %s)", c.Line, c.Node, firstLine(c.Text))
	if d := submission.Check(c.Text); !d.Allowed {
		s.nextCmd++
		tr.Learn(c, "")
		return report.Command{Index: s.nextCmd, Node: c.Node, Line: c.Line, Text: c.Text,
			Outcome: report.OutcomeRejected, Reason: d.Reason}
	}
	text, notes := tr.Rewrite(c, s.translationEnv(ctx, c.Text))
	cmd := s.runCommand(ctx, c.Node, text, c.Line)
	cmd.Text = c.Text
	if len(notes) > 0 {
		cmd.Reason = strings.TrimPrefix(cmd.Reason+"; replayed as `"+text+"` ("+strings.Join(notes, "; ")+")", "; ")
	}
	tr.Learn(c, cmd.Output)
	if cmd.Outcome != report.OutcomeOK {
		if hit := s.limitHits(ctx, c.Node); hit != "" {
			cmd.Reason = strings.TrimPrefix(cmd.Reason+"; "+hit, "; ")
		}
	}
	if w := integrity(c, cmd, crossTerminal); w != "" {
		s.rep.Warnings = append(s.rep.Warnings, w)
	}
	s.settleAndObserve(ctx, at, s.opts.SettleTimeout)
	return cmd
}

// translationEnv is what the translator needs from the replay cluster now.
func (s *session) translationEnv(ctx context.Context, text string) submission.Env {
	env := submission.Env{NodeAddrs: map[string]string{}, NodeIDs: s.nodeIDs()}
	for _, n := range s.lab.NodeNames() {
		if addr, err := s.cluster.Addr(n); err == nil {
			env.NodeAddrs[n] = addr
		}
	}
	env.ManagerAddr = env.NodeAddrs[s.managerNode()]
	if s.last != nil && s.last.Swarm != nil {
		if strings.Contains(text, "SWMTKN-") {
			if tokens, err := s.cluster.JoinTokens(ctx, s.managerNode()); err == nil {
				env.WorkerToken, env.ManagerToken = tokens.Worker, tokens.Manager
			}
		}
	}
	return env
}

var (
	recordedError   = regexp.MustCompile(`(?im)^(error response from daemon|error:|docker: |.*: command not found|.*is not a docker command|unknown (shorthand )?flag)`)
	recordedSuccess = regexp.MustCompile(`(?i)(this node joined a swarm as a (worker|manager)|swarm initialized|verify: service converged|node left the swarm)`)
)

// integrity compares what the submission recorded for a command with what
// the replay did, so a fabricated output shows up in the report. It never
// deducts points: pasted terminals can disagree innocently.
func integrity(c submission.Command, cmd report.Command, crossTerminal bool) string {
	if c.Output == "" || cmd.Outcome == report.OutcomeTimeout {
		return ""
	}
	innocent := ""
	if crossTerminal {
		innocent = " This may be innocent: it follows a command from another terminal, and terminals pasted one after another lose their real order."
	}
	switch {
	case recordedSuccess.MatchString(c.Output) && cmd.Outcome == report.OutcomeFailed:
		return fmt.Sprintf("line %d: the submission shows `%s` succeeding (%q), but in the replay it failed: %s.%s",
			c.Line, firstLine(c.Text), firstMatch(recordedSuccess, c.Output), firstLine(strings.TrimSpace(cmd.Output)), innocent)
	case recordedError.MatchString(c.Output) && cmd.Outcome == report.OutcomeOK:
		return fmt.Sprintf("line %d: the submission shows `%s` failing (%q), but in the replay it succeeded.%s",
			c.Line, firstLine(c.Text), firstLine(firstMatch(recordedError, c.Output)), innocent)
	}
	return ""
}

func firstMatch(re *regexp.Regexp, s string) string {
	return strings.TrimSpace(re.FindString(s))
}
