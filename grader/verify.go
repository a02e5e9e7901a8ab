package grader

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode"

	"github.com/moby/moby/client"

	"github.com/labcheck/labcheck/grader/checks"
	"github.com/labcheck/labcheck/grader/lab"
	"github.com/labcheck/labcheck/grader/report"
	"github.com/labcheck/labcheck/harness"
)

// VerifySettleTimeout bounds how long verify waits for a live swarm to settle.
const VerifySettleTimeout = harness.VerifySettleTimeout

// VerifyOptions configure Verify.
type VerifyOptions struct {
	// Step limits the judgement to one step's items; "" judges them all.
	Step string
	// Version is labcheck's version, written into the report.
	Version string
}

// Verify judges a student's live swarm through one engine, the one the
// student's terminal talks to: it observes the cluster, waits for it to
// settle and grades the rubric on what it sees now. It only reads (ping,
// info, lists): it never changes the cluster. With step set it judges only
// that step's items.
//
// A live look sees one moment from one engine, so some items cannot be
// judged and are reported as skipped, saying why: an item that must hold
// after another one did (the past is gone), and an item about a node whose
// containers only that node's engine can list. An engine that is a swarm
// worker cannot show the swarm: the error is a *harness.NotManagerError.
func Verify(ctx context.Context, cli *client.Client, l *lab.Lab, opts VerifyOptions) (*report.Report, error) {
	step := opts.Step
	items, err := itemsToVerify(l, step)
	if err != nil {
		return nil, err
	}
	started := time.Now().UTC()
	st, warnings, err := settleLive(ctx, cli)
	if err != nil {
		return nil, fmt.Errorf("verify: %w", err)
	}
	settled := time.Since(started)
	rep, err := judgeLive(l, step, items, st)
	if err != nil {
		return nil, err
	}
	rep.Warnings = append(warnings, rep.Warnings...)
	rep.Environment.Labcheck = opts.Version
	rep.StartedAt = started
	if v, err := cli.ServerVersion(ctx, client.ServerVersionOptions{}); err == nil {
		rep.Environment.HostEngine = v.Version
	}
	rep.Environment.Timings = []report.Timing{{Phase: "swarm settled", Duration: settled}}
	rep.FinishedAt = time.Now().UTC()
	return rep, nil
}

// itemsToVerify is the whole rubric, or the items of one step.
func itemsToVerify(l *lab.Lab, step string) ([]lab.Item, error) {
	if step == "" {
		return l.Rubric, nil
	}
	if _, ok := l.Step(step); !ok {
		return nil, fmt.Errorf("verify: lab %s has no step %q (steps: %s)", l.Name, step, strings.Join(l.StepIDs(), ", "))
	}
	return l.ItemsForStep(step), nil
}

// settleLive observes the engine once, then polls it until the swarm has
// converged. An engine that cannot be read at first is an error; trouble
// while waiting only means judging the last state seen, and says so.
func settleLive(ctx context.Context, cli *client.Client) (*harness.State, []string, error) {
	st, err := harness.ObserveEngine(ctx, cli)
	if err != nil {
		return nil, nil, err
	}
	err = harness.Wait(ctx, "the swarm to settle", VerifySettleTimeout, harness.PollDelay, func(ctx context.Context) harness.Poll {
		next, err := harness.ObserveEngine(ctx, cli)
		if err != nil {
			return harness.Failed(err)
		}
		st = next
		return harness.Converged(next)
	})
	var te *harness.TimeoutError
	switch {
	case err == nil:
		return st, nil, nil
	case ctx.Err() != nil:
		return nil, nil, ctx.Err()
	case errors.As(err, &te):
		return st, []string{fmt.Sprintf("the swarm was still changing after %s (%s); it was judged as it then was", VerifySettleTimeout, te.LastReason)}, nil
	}
	return st, []string{fmt.Sprintf("the engine stopped answering while verify waited for the swarm to settle (%v); it was judged on the last state seen", err)}, nil
}

// judgeLive grades items on one settled live state. It is pure, so that
// verdicts are tested on recorded states without Docker.
func judgeLive(l *lab.Lab, step string, items []lab.Item, st *harness.State) (*report.Report, error) {
	local := localNode(st)
	j := &liveJudge{local: local, raw: st, full: withLabNodes(l, st, local)}
	rep := &report.Report{
		SchemaVersion: report.SchemaVersion,
		Lab:           report.LabInfo{Name: l.Name, Title: l.Title, Version: l.Version, Source: l.Source},
		Subject:       "live swarm (" + local + ")",
		Mode:          "verify",
		Completed:     true,
		Environment: report.Environment{
			Notes: []string{
				"read-only: verify never changes the cluster",
				fmt.Sprintf("verify read %s's engine only and judged the swarm as it is now: items that must hold after another one, and items about containers on other nodes, are skipped (labcheck grade replays the whole lab and judges every item)", local),
			},
		},
	}
	if step == "" {
		rep.Environment.Notes = append(rep.Environment.Notes,
			"every item was judged on the present state: an earlier step's item fails once a later step changed that state on purpose (1/1 replicas before scaling); check the step just done with --step <id>")
	}
	if !slices.Contains(l.NodeNames(), local) {
		rep.Warnings = append(rep.Warnings, fmt.Sprintf("this engine's hostname is %s, which is not a node of lab %s (%s): items about named nodes cannot be judged from it", local, l.Name, strings.Join(l.NodeNames(), ", ")))
	}
	if step != "" && len(items) == 0 {
		rep.Warnings = append(rep.Warnings, fmt.Sprintf("step %s has no rubric item of its own: nothing to judge", step))
	}
	for _, it := range items {
		ri, err := j.judge(it)
		if err != nil {
			return nil, fmt.Errorf("verify: %w", err)
		}
		rep.MaxScore += ri.Points
		rep.Score += ri.Awarded
		rep.Items = append(rep.Items, ri)
	}
	return rep, nil
}

// liveJudge judges items on one live state seen from local's engine.
type liveJudge struct {
	local string
	// raw is the state as the engine showed it; full adds the lab's nodes
	// it did not show, as not observable, so that no check passes for
	// want of a node it never saw.
	raw, full *harness.State
}

func (j *liveJudge) judge(it lab.Item) (report.Item, error) {
	c, err := it.Build()
	if err != nil {
		return report.Item{}, err
	}
	ri := report.Item{ID: it.ID, Title: it.Title, Points: it.Points, When: string(it.When), Check: c.Describe()}
	if ri.When == "" {
		ri.When = string(lab.Eventually)
	}
	res, observable := j.now(c)
	if it.After != "" {
		ri.Status = report.StatusSkipped
		ri.Reason = fmt.Sprintf("cannot be judged live: it must hold after %s, and a live check sees only the present", it.After)
		ri.Evidence = j.describeNow(res, observable)
		return ri, nil
	}
	switch {
	case !observable:
		ri.Status, ri.Reason, ri.Evidence = report.StatusSkipped, fmt.Sprintf("cannot be judged from %s: it depends on %s, and verify reads %s's engine only", j.local, j.unseen(res), j.local), res.Evidence
	case res.Status == checks.Pass:
		ri.Status, ri.Awarded, ri.Evidence = report.StatusPass, it.Points, res.Evidence
	case res.Status == checks.Fail:
		ri.Status, ri.Reason, ri.Evidence, ri.Hint = report.StatusFail, res.Reason, res.Evidence, it.Hint
	default:
		ri.Status, ri.Reason, ri.Evidence, ri.Hint = report.StatusError, res.Reason, res.Evidence, it.Hint
	}
	return ri, nil
}

// now evaluates a check on the live state. observable is false when the
// verdict turns on a node this engine cannot see; a failure in what the
// engine does see still counts, since the unseen nodes cannot undo it.
func (j *liveJudge) now(c checks.Check) (checks.Result, bool) {
	res := c.Evaluate(j.full)
	if res.Status != checks.Error || !strings.Contains(res.Reason, harness.NotObservable(j.local)) {
		return res, true
	}
	if raw := c.Evaluate(j.raw); raw.Status == checks.Fail {
		return raw, true
	}
	return res, false
}

// describeNow tells a student what a skipped item's check sees now: it
// cannot grade the past, but it can show whether the present agrees.
func (j *liveJudge) describeNow(res checks.Result, observable bool) string {
	switch {
	case !observable && res.Evidence != "":
		// A check errs only where no part failed: what the engine sees holds.
		return fmt.Sprintf("holds now as far as %s can see (%s); the rest depends on %s", j.local, res.Evidence, j.unseen(res))
	case !observable:
		return fmt.Sprintf("cannot be seen from %s now: it depends on %s", j.local, j.unseen(res))
	case res.Status == checks.Pass && res.Evidence != "":
		return "holds now: " + res.Evidence
	case res.Status == checks.Pass:
		return "holds now"
	case res.Status == checks.Fail:
		return "does not hold now: " + res.Reason
	}
	return "cannot be checked now: " + res.Reason
}

// unseen names the nodes a verdict needed but this engine cannot read:
// "what node2 reports about itself".
func (j *liveJudge) unseen(res checks.Result) string {
	words := map[string]bool{}
	for _, w := range strings.FieldsFunc(res.Reason, func(r rune) bool {
		return !(r == '-' || r == '_' || r == '.' || unicode.IsLetter(r) || unicode.IsDigit(r))
	}) {
		words[w] = true
	}
	var unseen, named []string
	for _, n := range j.full.Nodes {
		if n.Reachable || !strings.Contains(n.Error, harness.NotObservable(j.local)) {
			continue
		}
		unseen = append(unseen, n.Name)
		if words[n.Name] {
			named = append(named, n.Name)
		}
	}
	if len(named) == 0 {
		named = unseen
	}
	if len(named) == 1 {
		return "what " + named[0] + " reports about itself"
	}
	return "what " + strings.Join(named[:len(named)-1], ", ") + " and " + named[len(named)-1] + " report about themselves"
}

// localNode is the node whose engine was read: the only one it could ask.
func localNode(st *harness.State) string {
	if st.Manager != "" {
		return st.Manager
	}
	for _, n := range st.Nodes {
		if n.Reachable {
			return n.Name
		}
	}
	return ""
}

// withLabNodes returns a copy of st that also lists the lab's nodes the
// engine did not show, as not observable, in lab order.
func withLabNodes(l *lab.Lab, st *harness.State, local string) *harness.State {
	why := "verify reads one engine, and " + local + " lists no swarm"
	if st.Swarm != nil {
		why = "the swarm does not list it, and verify reads one engine"
	}
	full := *st
	full.Nodes = append([]harness.NodeState(nil), st.Nodes...)
	for _, name := range l.NodeNames() {
		if _, ok := st.Node(name); !ok {
			full.Nodes = append(full.Nodes, harness.NodeState{Name: name, Error: harness.NotObservable(local) + ": " + why})
		}
	}
	order := map[string]int{}
	for i, name := range l.NodeNames() {
		order[name] = i
	}
	rank := func(name string) int {
		if i, ok := order[name]; ok {
			return i
		}
		return len(order)
	}
	sort.SliceStable(full.Nodes, func(a, b int) bool {
		ra, rb := rank(full.Nodes[a].Name), rank(full.Nodes[b].Name)
		if ra != rb {
			return ra < rb
		}
		return full.Nodes[a].Name < full.Nodes[b].Name
	})
	return &full
}
