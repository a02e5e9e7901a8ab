package grader

import (
	"fmt"

	"github.com/labcheck/labcheck/grader/checks"
	"github.com/labcheck/labcheck/grader/lab"
	"github.com/labcheck/labcheck/grader/report"
	"github.com/labcheck/labcheck/harness"
)

// itemState follows one rubric item across the observations of a run.
type itemState struct {
	item  lab.Item
	check checks.Check
	// passes are the observations at which the check held, in order, with
	// where and what was seen; ordering (After) is resolved at the end.
	passes []passAt
	// held is the observation at which the item counts as first held, or
	// -1; set when the run's verdicts are resolved.
	held    int
	heldAt  string
	proof   checks.Result
	relaxed string // why the item was graded without its order
	// best is the most telling verdict among the observations where the
	// item did not hold: see closeness.
	best      checks.Result
	bestScore int
	seen      bool
}

type passAt struct {
	obs int
	at  string
	res checks.Result
}

// rubric tracks every item of a lab's rubric.
type rubric struct {
	items []*itemState
	byID  map[string]*itemState
}

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
func (r *rubric) observe(obs int, at string, s *harness.State) {
	for _, it := range r.items {
		if it.item.When == lab.Final {
			continue
		}
		res := it.check.Evaluate(s)
		if res.Status == checks.Pass {
			it.passes = append(it.passes, passAt{obs: obs, at: at, res: res})
			continue
		}
		it.note(res)
	}
}

// final evaluates the `final` items on the end state.
func (r *rubric) final(obs int, at string, s *harness.State) {
	for _, it := range r.items {
		if it.item.When != lab.Final {
			continue
		}
		res := it.check.Evaluate(s)
		if res.Status == checks.Pass {
			it.passes = append(it.passes, passAt{obs: obs, at: at, res: res})
			continue
		}
		it.best, it.seen = res, true
	}
}

// resolve decides, in rubric order, when each item first held: at its
// first passing observation at or after the one where its prerequisite
// (After) first held. When the prerequisite never held, the item is graded
// without the order, and says so: a student who scaled to 6 instead of 7
// loses the scale-up's points, not those of every step after it too.
func (r *rubric) resolve() {
	for _, it := range r.items {
		it.held = -1
		from := 0
		if pre := r.byID[it.item.After]; pre != nil {
			if pre.held >= 0 {
				from = pre.held
			} else if len(it.passes) > 0 {
				it.relaxed = fmt.Sprintf("graded without its order: %q, which it follows, never held", it.item.After)
			}
		}
		for _, p := range it.passes {
			if p.obs >= from {
				it.held, it.heldAt, it.proof = p.obs, p.at, p.res
				break
			}
		}
		if it.held < 0 && len(it.passes) > 0 {
			first := it.passes[0]
			it.note(checks.Result{Status: checks.Fail, Evidence: first.res.Evidence,
				Reason: fmt.Sprintf("held at %s, before %q did: the lab wants it after that step", first.at, it.item.After)})
			it.bestScore = 3 // the most telling verdict: it held, in the wrong order
		}
	}
}

// note keeps the most telling failure: students learn most from the state
// where they came closest (the service existed but had 6 tasks), not from
// the last one (after cleanup nothing exists). Ties go to the later state.
func (it *itemState) note(res checks.Result) {
	score := closeness(res)
	if !it.seen || score >= it.bestScore {
		it.best, it.bestScore, it.seen = res, score, true
	}
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

// items renders the rubric's verdicts into report items and the score.
func (r *rubric) report() ([]report.Item, int) {
	r.resolve()
	var out []report.Item
	score := 0
	for _, it := range r.items {
		ri := report.Item{
			ID: it.item.ID, Title: it.item.Title, Points: it.item.Points,
			When: string(it.item.When), Check: it.check.Describe(),
		}
		if ri.When == "" {
			ri.When = string(lab.Eventually)
		}
		switch {
		case it.held >= 0:
			ri.Status, ri.Awarded = report.StatusPass, it.item.Points
			ri.Evidence, ri.FirstHeld = it.proof.Evidence, it.heldAt
			if it.relaxed != "" {
				ri.FirstHeld += " (" + it.relaxed + ")"
			}
			score += it.item.Points
		case !it.seen:
			ri.Status, ri.Reason = report.StatusError, "never evaluated: the run ended before any state was observed"
			ri.Hint = it.item.Hint
		default:
			ri.Status = report.StatusFail
			if it.best.Status == checks.Error {
				ri.Status = report.StatusError
			}
			ri.Reason, ri.Evidence, ri.Hint = it.best.Reason, it.best.Evidence, it.item.Hint
		}
		out = append(out, ri)
	}
	return out, score
}
