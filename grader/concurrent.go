package grader

import (
	"context"
	"fmt"
	"strings"

	"golang.org/x/sync/errgroup"

	"github.com/labcheck/labcheck/grader/report"
	"github.com/labcheck/labcheck/grader/submission"
	"github.com/labcheck/labcheck/harness"
)

// A replay runs commands one at a time and lets the swarm settle after
// each, but a few commands of different terminals do not depend on one
// another, and each of them costs a whole round trip to the swarm (a worker
// leaving takes over a second). So the replay runs at once, and looks at the
// swarm once after them, a batch of consecutive commands of the
// scheduler's order when every one of them is
//   - a line that is exactly one `docker swarm join` or `docker swarm
//     leave` (no global flag, no $(...), nothing before or after it: `a &&
//     b`, `a; b`, a redirection or a comment keep it alone), allowed by the
//     policy, whose recorded output shows no error (a doubted command's
//     effect is judged on the look right after it alone);
//   - of the same verb as the others, on its own node from its own
//     terminal;
//   - for a join: the node is in no swarm, a manager runs one (the join is
//     handed out, so its init or token printer ran), and the translated
//     line joins that manager's address as a worker, with no other flag;
//   - for a leave: the node is a worker (--force at most) that the
//     manager's view lists, ready, in the swarm it still runs; a manager's leave is never batched, since the
//     workers' leaves need it to let them go.
// Such commands commute: whichever finishes first, each joins the manager
// or leaves it, and the state after the batch is the state after the same
// commands one by one. The batch is a prefix of the sequential order: the
// scheduler decides on the state before the batch, and it reads no more of
// a state than whether a manager runs a swarm, which no such batch
// changes. Everything that reads the commands in order does so in order:
// the translator translates (and learns from) each before the next and
// before any runs, which is the sequential order for these lines (the
// translator reads nothing from the replay's output of a join or a leave);
// integrity, doubts, the output ledger and the report's numbering after the
// batch ran, member by member.

// replayed is one submitted command on its way through the replay.
type replayed struct {
	sc  scheduled
	pos placement
	// run is the line that runs in the node, translated (before detach);
	// notes are the translations made; env is what they were made with.
	run   string
	notes []string
	env   submission.Env
	// learned says the translator has read the command already: a batch's
	// members are read before the next is translated.
	learned bool
	cmd     report.Command
}

// loneSwarmCall returns the docker command of a line that is exactly one
// `docker swarm join` or `docker swarm leave` and nothing else, or nil.
func loneSwarmCall(a *submission.Analysis) *submission.DockerCall {
	if a.Err != nil || len(a.Calls) != 1 || len(a.Substituted) != 0 {
		return nil
	}
	c := a.Calls[0]
	if c.Path != "swarm join" && c.Path != "swarm leave" || len(c.Globals) != 0 {
		return nil
	}
	if strings.TrimSpace(a.Text[:c.Start]) != "" || strings.TrimSpace(a.Text[c.End:]) != "" {
		return nil
	}
	for _, w := range c.Words {
		if !w.Literal {
			return nil
		}
	}
	return c
}

// swarmManager is the node the last state read the swarm from, when it
// runs one.
func swarmManager(st *harness.State) (harness.NodeState, bool) {
	if st == nil || st.Swarm == nil || st.Manager == "" {
		return harness.NodeState{}, false
	}
	m, ok := st.Node(st.Manager)
	if !ok || !m.Reachable || !m.Swarm.ControlAvailable {
		return harness.NodeState{}, false
	}
	return m, true
}

// mayBatch says whether sc may run in a batch with members (its batch so
// far, empty for the first), on what st shows before the batch: everything
// but the translated line, which fitsBatch reads.
func mayBatch(sc scheduled, st *harness.State, members []replayed) bool {
	c := sc.Command
	a := c.Analysis()
	call := loneSwarmCall(a)
	if call == nil || !a.Check().Allowed || recordedError.MatchString(c.Output) {
		return false
	}
	for _, m := range members {
		if m.sc.Terminal == c.Terminal || m.sc.Node == c.Node || loneSwarmCall(m.sc.Analysis()).Path != call.Path {
			return false
		}
	}
	mgr, ok := swarmManager(st)
	if !ok {
		return false
	}
	n, ok := st.Node(c.Node)
	if !ok || !n.Reachable || n.Name == mgr.Name {
		return false
	}
	if call.Path == "swarm join" {
		return !n.Swarm.InSwarm()
	}
	for _, f := range call.Flags {
		if f.Name != "--force" && f.Name != "-f" {
			return false
		}
	}
	return len(call.Args) == 0 && n.Swarm.State == "active" && !n.Swarm.ControlAvailable && listedWorker(st, n.Swarm.NodeID)
}

// listedWorker says whether the manager's view lists the node of that ID
// as a ready worker: the node is a worker of the swarm the manager runs.
func listedWorker(st *harness.State, id string) bool {
	if id == "" {
		return false
	}
	for _, sn := range st.Swarm.Nodes {
		if sn.ID == id {
			return sn.Role == "worker" && sn.Status == "ready"
		}
	}
	return false
}

// fitsBatch says whether a translated join goes to the manager the
// translation was made for, as a worker, with nothing else: joins into one
// manager as workers commute, joins through another joiner or as managers
// might not.
func fitsBatch(r replayed) bool {
	a := submission.Analyze(r.run)
	call := loneSwarmCall(a)
	if call == nil {
		return false
	}
	if call.Path == "swarm leave" {
		return true
	}
	if len(call.Flags) != 1 || len(call.Args) != 1 || r.env.WorkerToken == "" || r.env.ManagerAddr == "" {
		return false
	}
	tok := call.Flags[0]
	addr := call.Words[call.Args[0]].Lit
	return tok.Name == "--token" && tok.Value == r.env.WorkerToken &&
		(addr == r.env.ManagerAddr || addr == r.env.ManagerAddr+":2377")
}

// gather starts a batch with sc, just handed out by the scheduler, and adds
// to it what the scheduler would hand out next while each fits. It
// translates every member in order; nil when sc may not start one.
func (s *session) gather(ctx context.Context, sched *scheduler, tr *submission.Translator, sc scheduled) []replayed {
	st := s.last
	if !mayBatch(sc, st, nil) {
		return nil
	}
	first := s.translate(ctx, tr, sc)
	if !fitsBatch(first) {
		return []replayed{first}
	}
	batch := []replayed{first}
	for {
		next, ok := sched.peek(st)
		if !ok || !mayBatch(next, st, batch) {
			return batch
		}
		// The translator reads the previous member before the next is
		// translated, as it would one by one.
		last := &batch[len(batch)-1]
		tr.Learn(last.sc.Command, "")
		last.learned = true
		r := s.translate(ctx, tr, next)
		if !fitsBatch(r) {
			// Not taken: it is translated again when it is handed out
			// (translating a join or leave changes nothing the
			// translator knows).
			return batch
		}
		// peek showed what next hands out on the same state.
		sched.next(st)
		batch = append(batch, r)
	}
}

// runBatch runs the members of a batch at once, numbered in the
// scheduler's order, and reviews each in that order; the swarm settles
// once, and that observation is attached to the last member. prev is the
// terminal of the command before the batch (-1 at the start).
func (s *session) runBatch(ctx context.Context, tr *submission.Translator, ledger *outputLedger, batch []replayed, prev int) []report.Command {
	for i := range batch {
		m := &batch[i]
		c := m.sc.Command
		m.pos = placement{crossTerminal: c.Terminal != prev && prev >= 0, moved: m.sc.moved}
		prev = c.Terminal
		m.cmd = s.newCommand(report.KindShell, c.Node, c.Line, c.Text)
	}
	if len(batch) == 1 {
		m := &batch[0]
		m.cmd = s.runNumbered(ctx, m.cmd, detach(m.run))
	} else {
		// A command that fails is the submission's to report, not a
		// reason to stop the others: nothing here returns an error.
		var g errgroup.Group
		for i := range batch {
			g.Go(func() error {
				batch[i].cmd = s.runNumbered(ctx, batch[i].cmd, detach(batch[i].run))
				return nil
			})
		}
		_ = g.Wait()
	}
	cmds := make([]report.Command, len(batch))
	for i := range batch {
		if batch[i].sc.why != "" {
			s.rep.Warnings = append(s.rep.Warnings, batch[i].sc.why)
		}
		s.review(ctx, tr, ledger, &batch[i])
		cmds[i] = batch[i].cmd
	}
	last := batch[len(batch)-1].sc.Command
	at := fmt.Sprintf("line %d (%s$ %s)", last.Line, last.Node, firstLine(last.Text))
	if len(batch) > 1 {
		lines, nodes := make([]string, len(batch)), make([]string, len(batch))
		for i, m := range batch {
			lines[i], nodes[i] = fmt.Sprint(m.sc.Line), m.sc.Node
		}
		at = fmt.Sprintf("lines %s (%s at once: %s)", strings.Join(lines, ", "), strings.Join(nodes, ", "), firstLine(last.Text))
		s.rep.Environment.Notes = append(s.rep.Environment.Notes, batchNote(batch, s.last))
	}
	cmds[len(cmds)-1].Observations = append(cmds[len(cmds)-1].Observations, s.settleAndObserve(ctx, at, s.opts.SettleTimeout))
	return cmds
}

// batchNote says what ran together and why that changes no grade.
func batchNote(batch []replayed, before *harness.State) string {
	lines, nodes := make([]string, len(batch)), make([]string, len(batch))
	for i, m := range batch {
		lines[i], nodes[i] = fmt.Sprint(m.sc.Line), m.sc.Node
	}
	verb := loneSwarmCall(batch[0].sc.Analysis()).Path
	mgr := "the manager"
	if before != nil && before.Manager != "" {
		mgr = "the manager " + before.Manager
	}
	what := "each joins " + mgr + " as a worker"
	if verb == "swarm leave" {
		what = "each is a worker leaving the swarm " + mgr + " runs"
	}
	return fmt.Sprintf("lines %s (`docker %s` on %s, from different terminals) ran at once: nothing in the submission orders them and %s, so the swarm was looked at once, after all of them",
		andList(lines), verb, andList(nodes), what)
}

func andList(xs []string) string {
	if len(xs) < 2 {
		return strings.Join(xs, "")
	}
	return strings.Join(xs[:len(xs)-1], ", ") + " and " + xs[len(xs)-1]
}
