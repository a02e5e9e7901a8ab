package grader

import (
	"fmt"
	"sort"
	"time"

	"github.com/labcheck/labcheck/grader/checks"
	"github.com/labcheck/labcheck/grader/lab"
	"github.com/labcheck/labcheck/grader/report"
	"github.com/labcheck/labcheck/harness"
)

// itemState follows one rubric item across the observations of a run.
type itemState struct {
	item  lab.Item
	check checks.Check
	// passes and fails are the verdicts at every observation, in order;
	// ordering (After) and the failure to report are decided at the end.
	passes, fails []verdictAt
	// held is the observation at which the item counts as first held, or
	// -1; set when the run's verdicts are resolved.
	held    int
	heldAt  string
	proof   checks.Result
	relaxed string // why the item was graded without its order
	// best is the verdict reported when the item never held.
	best checks.Result
	// credible are the passes left once those a doubted command decided
	// are set aside; checkByHand and explained say what doubts touched it.
	credible    []verdictAt
	checkByHand string
	explained   string
	// doubted is the first pass set aside, and the doubt that did it.
	doubted   *verdictAt
	doubtedBy doubt
}

// doubt is a command the submission shows failing that succeeded in the
// replay: a translation or a reordering may have fixed the student's
// mistake, so what it alone made hold is not credited.
type doubt struct {
	// obs is the observation that follows the command.
	obs int
	// note quotes both outcomes: "line 12: the submission shows `...`
	// failing (...), the replay succeeded (...)".
	note string
	// order is set when the order of pasted terminals explains the
	// difference (the replay ran the command across another terminal's
	// commands): the item is then credited and the report says why.
	order string
}

// spent is the time it took to establish the item's verdict: every look at
// the cluster it was evaluated on, the settle waits included, up to the one
// where it first held (all of them when it never held).
func (it *itemState) spent() time.Duration {
	var d time.Duration
	for _, vs := range [][]verdictAt{it.passes, it.fails} {
		for _, v := range vs {
			if it.held < 0 || v.obs <= it.held {
				d += v.took
			}
		}
	}
	return d
}

// verdictAt is a check's verdict on the state seen at observation obs,
// which came after the command described by at.
type verdictAt struct {
	obs int
	at  string
	res checks.Result
	// took is the wait for the state it was evaluated on and the
	// evaluation itself.
	took time.Duration
}

// rubric tracks every item of a lab's rubric.
type rubric struct {
	items  []*itemState
	byID   map[string]*itemState
	doubts []doubt
}

// doubt records a command whose recorded failure the replay did not
// reproduce.
func (r *rubric) doubt(d doubt) { r.doubts = append(r.doubts, d) }

func newRubric(l *lab.Lab) (*rubric, error) {
	r := &rubric{byID: map[string]*itemState{}}
	for _, it := range l.Rubric {
		c, err := it.Build()
		if err != nil {
			return nil, err
		}
		st := &itemState{item: it, check: c, held: -1}
		r.items = append(r.items, st)
		r.byID[it.ID] = st
	}
	return r, nil
}

// observe evaluates every `eventually` item on the state seen after
// observation number obs, described by at (e.g. "line 12 (node1$ ...)").
// waited is how long the look that produced s took (the settle wait).
func (r *rubric) observe(obs int, at string, s *harness.State, waited time.Duration) {
	r.evaluate(obs, at, s, waited, func(w lab.When) bool { return w != lab.Final })
}

// final evaluates the `final` items on the end state.
func (r *rubric) final(obs int, at string, s *harness.State, waited time.Duration) {
	r.evaluate(obs, at, s, waited, func(w lab.When) bool { return w == lab.Final })
}

func (r *rubric) evaluate(obs int, at string, s *harness.State, waited time.Duration, judged func(lab.When) bool) {
	for _, it := range r.items {
		if !judged(it.item.When) {
			continue
		}
		start := time.Now()
		v := verdictAt{obs: obs, at: at, res: it.check.Evaluate(s)}
		v.took = waited + time.Since(start)
		if v.res.Status == checks.Pass {
			it.passes = append(it.passes, v)
		} else {
			it.fails = append(it.fails, v)
		}
	}
}

// resolve decides, in rubric order, when each item first held: at its
// first passing observation at or after the one where its prerequisite
// (After) first held. When the prerequisite never held, the item is graded
// without the order, and says so: a student who scaled to 6 instead of 7
// loses the scale-up's points, not those of every step after it too.
func (r *rubric) resolve() {
	for _, it := range r.items {
		r.setAsideDoubted(it)
	}
	for _, it := range r.items {
		it.held = -1
		from := 0
		if pre := r.byID[it.item.After]; pre != nil {
			if pre.held >= 0 {
				from = pre.held
			} else if len(it.credible) > 0 {
				it.relaxed = fmt.Sprintf("graded without its order: %q, which it follows, never held", it.item.After)
			}
		}
		for _, p := range it.credible {
			if p.obs >= from {
				it.held, it.heldAt, it.proof = p.obs, p.at, p.res
				break
			}
		}
		if it.held < 0 {
			it.best = r.mostTelling(it)
		}
	}
}

// setAsideDoubted finds the passes a doubted command decided. The passes
// of an item come in runs of consecutive observations; a run is set aside
// when a doubted command since the item last held changed the item's
// verdict (made it hold, or brought it closer: node2's doubted join counts
// toward three nodes ready even when node3's join completes them). The
// item then holds only if it holds again later for another reason. A
// doubt the order of pasted terminals explains sets nothing aside, and is
// said.
func (r *rubric) setAsideDoubted(it *itemState) {
	it.credible, it.checkByHand, it.explained, it.doubted = nil, "", "", nil
	if it.item.When == lab.Final || len(r.doubts) == 0 {
		it.credible = it.passes
		return
	}
	all := append(append([]verdictAt(nil), it.passes...), it.fails...)
	sort.Slice(all, func(i, j int) bool { return all[i].obs < all[j].obs })
	verdict := map[int]int{} // obs -> index in all
	for i, v := range all {
		verdict[v.obs] = i
	}
	changedAt := func(obs int) bool {
		i, ok := verdict[obs]
		if !ok {
			return false
		}
		if i == 0 {
			return all[i].res.Status == checks.Pass
		}
		a, b := all[i-1].res, all[i].res
		return a.Status != b.Status || a.Reason != b.Reason || a.Evidence != b.Evidence
	}
	lastHeld, dropping := 0, false
	for i, v := range all {
		pass := v.res.Status == checks.Pass
		startsRun := pass && (i == 0 || all[i-1].res.Status != checks.Pass)
		if startsRun {
			dropping = false
			for _, d := range r.doubts {
				if d.obs <= lastHeld || d.obs > v.obs || !changedAt(d.obs) {
					continue
				}
				if d.order != "" {
					if it.explained == "" {
						it.explained = d.note + "; " + d.order
					}
					continue
				}
				dropping = true
				if it.checkByHand == "" {
					it.checkByHand = d.note + ": check by hand"
				}
				if it.doubted == nil {
					vv := v
					it.doubted, it.doubtedBy = &vv, d
				}
			}
		}
		if pass {
			if !dropping {
				it.credible = append(it.credible, v)
			}
			lastHeld = v.obs
		}
	}
}

// mostTelling picks the failure a student learns most from. It held but
// in the wrong order: say so. Otherwise look at the states before the
// student went on to the next step (the first time an item that follows
// this one held: scaling to 4 comes after the attempt to scale to 7), and
// among those prefer a verdict that cites evidence over one that does not,
// and a failure over an error; ties go to the later state. So a student who
// scaled to 6 reads "6 running, want 7", not what cleanup left.
func (r *rubric) mostTelling(it *itemState) checks.Result {
	if len(it.credible) == 0 && it.doubted != nil {
		return checks.Result{Status: checks.Fail, Evidence: it.doubted.res.Evidence,
			Reason: fmt.Sprintf("held only after %s, which the submission shows failing while the replay succeeded: not credited from the replay (%s)", it.doubted.at, it.doubtedBy.note)}
	}
	if len(it.credible) > 0 {
		first := it.credible[0]
		return checks.Result{Status: checks.Fail, Evidence: first.res.Evidence,
			Reason: fmt.Sprintf("held at %s, before %q did: the lab wants it after that step", first.at, it.item.After)}
	}
	end := -1
	for _, d := range r.items {
		if d.item.After == it.item.ID && len(d.credible) > 0 && (end < 0 || d.credible[0].obs < end) {
			end = d.credible[0].obs
		}
	}
	var best *verdictAt
	for i := range it.fails {
		f := &it.fails[i]
		if end >= 0 && f.obs >= end && best != nil {
			break
		}
		if best == nil || closeness(f.res) >= closeness(best.res) {
			best = f
		}
	}
	if best == nil {
		return checks.Result{Status: checks.Error, Reason: "never evaluated: the run ended before any state was observed"}
	}
	return best.res
}

// closeness ranks failures: a verdict that cites evidence saw the thing it
// is about; an error says least.
func closeness(res checks.Result) int {
	switch {
	case res.Status == checks.Error:
		return 0
	case res.Evidence != "":
		return 2
	default:
		return 1
	}
}

// report renders the rubric's verdicts into report items and the score.
func (r *rubric) report() ([]report.Item, int) {
	r.resolve()
	var out []report.Item
	score := 0
	for _, it := range r.items {
		ri := report.Item{
			ID: it.item.ID, Title: it.item.Title, Points: it.item.Points,
			When: string(it.item.When), Check: it.check.Describe(), Duration: it.spent(),
		}
		if ri.When == "" {
			ri.When = string(lab.Eventually)
		}
		if it.held >= 0 {
			ri.Status, ri.Awarded = report.StatusPass, it.item.Points
			ri.Evidence, ri.FirstHeld = it.proof.Evidence, it.heldAt
			if it.relaxed != "" {
				ri.FirstHeld += " (" + it.relaxed + ")"
			}
			if it.explained != "" {
				ri.FirstHeld += " (" + it.explained + ")"
			}
			score += it.item.Points
		} else {
			ri.Status = report.StatusFail
			if it.best.Status == checks.Error {
				ri.Status = report.StatusError
			}
			ri.Reason, ri.Evidence, ri.Hint = it.best.Reason, it.best.Evidence, it.item.Hint
		}
		ri.CheckByHand = it.checkByHand
		out = append(out, ri)
	}
	return out, score
}
