package grader

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/labcheck/labcheck/grader/lab"
	"github.com/labcheck/labcheck/grader/report"
	"github.com/labcheck/labcheck/grader/submission"
	"github.com/labcheck/labcheck/harness"
)

// ReplayLimits bound a replay of untrusted commands; every limit hit is
// reported, never silent.
type ReplayLimits struct {
	// Total bounds the whole replay, as a deadline on its context: a
	// command running when it passes is stopped, the rest are skipped, and
	// the cluster is still graded as it then is.
	Total time.Duration
}

// DefaultReplayTotal bounds one submission's replay.
const DefaultReplayTotal = harness.ReplayTimeout

// errReplayLimit is the cause of a replay context that hit ReplayLimits.Total.
var errReplayLimit = errors.New("the replay hit its time limit")

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
		opts.CommandTimeout = harness.CommandTimeout
	}
	s, err := newSession(l, opts, sub.Key(), "grade")
	if err != nil {
		return nil, err
	}
	identify(s.rep, sub)
	s.rep.Source = sub.Source
	for _, n := range sub.Notes {
		s.rep.Warnings = append(s.rep.Warnings, "submission: "+n)
	}

	return s.run(ctx, func(ctx context.Context) error {
		s.rep.Environment.Notes = append(s.rep.Environment.Notes, s.describeLimits(limits))
		rctx, cancel := context.WithTimeoutCause(ctx, limits.Total, errReplayLimit)
		defer cancel()
		s.replay(rctx, sub, limits)
		if err := ctx.Err(); err != nil {
			return interrupted(ctx)
		}
		for _, n := range s.lab.NodeNames() {
			if hit := s.limitHits(ctx, n); hit != "" {
				s.rep.Warnings = append(s.rep.Warnings, "limit reached during the replay: "+hit)
			}
		}
		return nil
	})
}

// replay runs the submission's commands in the scheduler's order, one step
// per stretch of commands from one terminal; commands of different
// terminals that nothing orders may run at once (concurrent.go). It stops
// at the context's end: the commands not run are listed as skipped, with
// why.
func (s *session) replay(ctx context.Context, sub *submission.Submission, limits ReplayLimits) {
	tr := submission.NewSessionTranslator(sub)
	ledger := newOutputLedger()
	var step *report.Step
	closeStep := func() {
		if step == nil {
			return
		}
		step.End = time.Now()
		s.rep.Steps = append(s.rep.Steps, *step)
		s.opts.Progress.StepDone(step.ID, step.Status(), step.Duration())
		step = nil
	}
	// openStep starts the step of c's terminal; one that never runs (its
	// commands are skipped) has no start and no progress line.
	openStep := func(c submission.Command, runs bool) {
		closeStep()
		step = &report.Step{ID: fmt.Sprintf("terminal-%d", c.Terminal+1), Title: fmt.Sprintf("terminal %d (%s)", c.Terminal+1, c.Node)}
		if runs {
			step.Start = time.Now()
			s.opts.Progress.StepStart(step.ID, step.Title)
		}
	}
	prevTerminal := -1
	replayLimitHit := false
	sched := newScheduler(sub.Commands)
	for {
		sc, ok := sched.next(s.last)
		if !ok {
			break
		}
		c, why := sc.Command, sc.why
		if step == nil || c.Terminal != prevTerminal {
			openStep(c, true)
		}
		crossTerminal := c.Terminal != prevTerminal && prevTerminal >= 0
		before := prevTerminal
		prevTerminal = c.Terminal
		if ctx.Err() != nil {
			skipped := 1 + sched.remaining()
			reason := "not run: " + interrupted(ctx).Error()
			if errors.Is(context.Cause(ctx), errReplayLimit) {
				reason = fmt.Sprintf("not run: the replay hit its %s limit", limits.Total)
				replayLimitHit = true
				s.rep.Warnings = append(s.rep.Warnings, fmt.Sprintf("the replay stopped at its %s limit: %d command(s) were not run", limits.Total, skipped))
			}
			for term := c.Terminal; ok; {
				if c.Terminal != term {
					openStep(c, false)
					term = c.Terminal
				}
				cmd := s.newCommand(report.KindShell, c.Node, c.Line, c.Text)
				cmd.Outcome, cmd.Reason = report.OutcomeSkipped, reason
				step.Commands = append(step.Commands, cmd)
				sc, ok = sched.next(s.last)
				c = sc.Command
			}
			break
		}
		var batch []replayed
		if !s.opts.SequentialReplay {
			batch = s.gather(ctx, sched, tr, sc)
		}
		if batch != nil {
			// The batch's commands open their terminals' steps in order
			// once they ran: they started together.
			start := time.Now()
			for i, cmd := range s.runBatch(ctx, tr, ledger, batch, before) {
				if m := batch[i].sc; i > 0 && m.Terminal != prevTerminal {
					openStep(m.Command, true)
					step.Start = start
					prevTerminal = m.Terminal
				}
				step.Commands = append(step.Commands, cmd)
				s.opts.Progress.Command(cmd)
			}
			continue
		}
		if why != "" {
			s.rep.Warnings = append(s.rep.Warnings, why)
		}
		cmd := s.replayOne(ctx, tr, ledger, sc, placement{crossTerminal: crossTerminal, moved: sc.moved})
		step.Commands = append(step.Commands, cmd)
		s.opts.Progress.Command(cmd)
	}
	closeStep()
	if errors.Is(context.Cause(ctx), errReplayLimit) && !replayLimitHit {
		s.rep.Warnings = append(s.rep.Warnings, fmt.Sprintf("the replay hit its %s limit during its last command", limits.Total))
	}
}

// placement is where the replay ran a command relative to the other
// terminals: what may explain a difference from the submission.
type placement struct {
	// crossTerminal: it follows a command from another terminal.
	crossTerminal bool
	// moved: the replay ran it on the other side of a command from another
	// terminal than the document shows (the scheduler reordered them).
	moved bool
}

// replayOne checks, translates, runs and observes one submitted command.
func (s *session) replayOne(ctx context.Context, tr *submission.Translator, ledger *outputLedger, sc scheduled, pos placement) report.Command {
	c := sc.Command
	at := fmt.Sprintf("line %d (%s$ %s)", c.Line, c.Node, firstLine(c.Text))
	if d := c.Analysis().Check(); !d.Allowed {
		tr.Learn(c, "")
		s.rep.Warnings = append(s.rep.Warnings, ledger.check(c, "")...)
		cmd := s.newCommand(report.KindShell, c.Node, c.Line, c.Text)
		cmd.Outcome, cmd.Reason = report.OutcomeRejected, d.Reason
		cmd.Evidence = evidenceOf(c)
		return cmd
	}
	r := s.translate(ctx, tr, sc)
	r.pos = pos
	r.cmd = s.runCommand(ctx, c.Node, c.Text, detach(r.run), c.Line)
	s.review(ctx, tr, ledger, &r)
	r.cmd.Observations = append(r.cmd.Observations, s.settleAndObserve(ctx, at, s.opts.SettleTimeout))
	return r.cmd
}

// translate rewrites an allowed command for the replay cluster as it now is.
func (s *session) translate(ctx context.Context, tr *submission.Translator, sc scheduled) replayed {
	r := replayed{sc: sc, env: s.translationEnv(ctx, sc.Analysis())}
	r.run, r.notes = tr.Rewrite(sc.Command, r.env)
	return r
}

// review reads a command that ran: the translator learns from it (unless
// it read it before it ran), and its outcome is compared with what the
// submission recorded.
func (s *session) review(ctx context.Context, tr *submission.Translator, ledger *outputLedger, r *replayed) {
	c, cmd := r.sc.Command, &r.cmd
	cmd.Evidence = evidenceOf(c)
	if len(r.notes) > 0 {
		cmd.Reason = joinReason(cmd.Reason, "replayed as `"+r.run+"` ("+strings.Join(r.notes, "; ")+")")
	}
	if !r.learned {
		tr.Learn(c, cmd.Output)
	}
	if cmd.Outcome != report.OutcomeOK {
		if hit := s.limitHits(ctx, c.Node); hit != "" {
			cmd.Reason = joinReason(cmd.Reason, hit)
		}
	}
	if w := integrity(c, *cmd, r.pos); w != "" {
		s.rep.Warnings = append(s.rep.Warnings, w)
	}
	s.rep.Warnings = append(s.rep.Warnings, ledger.check(c, cmd.Output)...)
	if d, ok := doubtOf(c, *cmd, r.pos); ok {
		// The observation that follows is the next one made.
		d.obs = s.obs + 1
		s.rubric.doubt(d)
	}
}

// translationEnv is what the translator needs from the replay cluster now.
func (s *session) translationEnv(ctx context.Context, a *submission.Analysis) submission.Env {
	env := submission.Env{NodeAddrs: map[string]string{}, NodeIDs: s.nodeIDs()}
	for _, n := range s.lab.NodeNames() {
		addr, err := s.cluster.Addr(n)
		if err != nil {
			s.note("the replay address of %s is unknown (%v): commands naming it were not translated", n, err)
			continue
		}
		env.NodeAddrs[n] = addr
	}
	env.ManagerAddr = env.NodeAddrs[s.managerNode()]
	if s.last != nil && s.last.Swarm != nil && a.CarriesJoinToken() {
		tokens, err := s.cluster.JoinTokens(ctx, s.managerNode())
		if err != nil && ctx.Err() == nil {
			s.note("reading the replay swarm's join tokens from %s: %v (the join ran with the token as submitted)", s.managerNode(), err)
		}
		env.WorkerToken, env.ManagerToken = tokens.Worker, tokens.Manager
	}
	return env
}

var (
	recordedError = regexp.MustCompile(`(?im)^(error response from daemon|error:|docker: |.*: command not found|.*is not a docker command|unknown (shorthand )?flag).*`)
	converged     = regexp.MustCompile(`(?i)verify: service converged`)
	// recordedSuccess is what each docker command prints only when it
	// worked; integrity reads it for the commands the line ran, so text
	// another command printed (pasted along) does not count.
	recordedSuccess = map[string]*regexp.Regexp{
		"swarm init":       regexp.MustCompile(`(?i)swarm initialized`),
		"swarm join":       regexp.MustCompile(`(?i)this node joined a swarm as a (worker|manager)`),
		"swarm leave":      regexp.MustCompile(`(?i)node left the swarm`),
		"service create":   converged,
		"service update":   converged,
		"service scale":    converged,
		"service rollback": converged,
	}
)

// integrity compares what the submission recorded for a command with what
// the replay did, so a fabricated output shows up in the report. It never
// deducts points: pasted terminals can disagree innocently.
func integrity(c submission.Command, cmd report.Command, pos placement) string {
	if c.Output == "" || cmd.Outcome == report.OutcomeTimeout {
		return ""
	}
	innocent := ""
	switch {
	case pos.moved:
		innocent = " The order of pasted terminals may explain it: the replay ran it on the other side of another terminal's commands than the submission shows them."
	case pos.crossTerminal:
		innocent = " This may be innocent: it follows a command from another terminal, and terminals pasted one after another lose their real order."
	}
	if cmd.Outcome == report.OutcomeFailed {
		for _, call := range c.Analysis().Calls {
			if re := recordedSuccess[call.Path]; re != nil && re.MatchString(c.Output) {
				return fmt.Sprintf("line %d: the submission shows `%s` succeeding (%q), but in the replay it failed: %s.%s",
					c.Line, firstLine(c.Text), firstMatch(re, c.Output), firstLine(strings.TrimSpace(cmd.Output)), innocent)
			}
		}
	}
	if cmd.Outcome == report.OutcomeOK && recordedError.MatchString(c.Output) {
		return fmt.Sprintf("line %d: the submission shows `%s` failing (%q), but in the replay it succeeded.%s",
			c.Line, firstLine(c.Text), firstLine(firstMatch(recordedError, c.Output)), innocent)
	}
	return ""
}

// doubtOf says whether the rubric must doubt what the command made hold:
// the submission shows it failing and the replay succeeded, so the
// replay (a translation, a retry in another order) may have fixed the
// student's mistake.
func doubtOf(c submission.Command, cmd report.Command, pos placement) (doubt, bool) {
	if c.Output == "" || cmd.Outcome != report.OutcomeOK || !recordedError.MatchString(c.Output) {
		return doubt{}, false
	}
	replayed := "the replay succeeded"
	if out := firstLine(strings.TrimSpace(cmd.Output)); out != "" {
		replayed += fmt.Sprintf(" (`%s`)", out)
	}
	d := doubt{note: fmt.Sprintf("line %d: the submission shows `%s` failing (`%s`), %s",
		c.Line, firstLine(c.Text), firstLine(firstMatch(recordedError, c.Output)), replayed)}
	if pos.moved {
		d.order = "the order of pasted terminals explains it: the replay ran it on the other side of another terminal's commands than the submission shows them"
	}
	return d, true
}

func firstMatch(re *regexp.Regexp, s string) string {
	return strings.TrimSpace(re.FindString(s))
}
