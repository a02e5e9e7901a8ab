package checks

import (
	"strings"

	"github.com/labcheck/labcheck/harness"
)

func init() {
	register(Kind{
		Name:    "all_of",
		Doc:     "Every listed check passes. A failure lists every failing part; the result is an error only when some part could not be evaluated and none failed.",
		Example: "kind: all_of\nchecks:\n  - kind: nodes_ready\n    count: 3\n  - kind: node_role\n    node: node2\n    role: worker\n",
	}, &allOfParams{})
}

type allOf struct{ parts []Check }

type allOfParams struct {
	Checks []Spec `yaml:"checks" required:"true" type:"checks" min:"1" doc:"list of check specs, each a mapping with kind and its parameters"`
}

func (p *allOfParams) check() Check {
	c := allOf{}
	for _, s := range p.Checks {
		c.parts = append(c.parts, s.Check())
	}
	return c
}

func (c allOf) Describe() string {
	var ds []string
	for _, p := range c.parts {
		ds = append(ds, p.Describe())
	}
	return strings.Join(ds, "; ")
}

func (c allOf) Evaluate(s *harness.State) Result {
	var fails, errs, evidence []string
	for _, p := range c.parts {
		r := p.Evaluate(s)
		switch r.Status {
		case Fail:
			fails = append(fails, r.Reason)
		case Error:
			errs = append(errs, r.Reason)
		}
		if r.Evidence != "" {
			evidence = append(evidence, r.Evidence)
		}
	}
	ev := joinClauses(evidence)
	switch {
	case len(fails) > 0:
		return failed(joinClauses(fails), ev)
	case len(errs) > 0:
		return Result{Status: Error, Reason: joinClauses(errs), Evidence: ev}
	}
	return passed(ev)
}

// joinClauses joins the parts' texts, dropping clauses already said: parts
// often share a cause ("no swarm: ...", "node3 has not joined ...") and a
// student should read it once.
func joinClauses(texts []string) string {
	seen := map[string]bool{}
	var out []string
	for _, t := range texts {
		for _, clause := range strings.Split(t, "; ") {
			if clause == "" || seen[clause] {
				continue
			}
			seen[clause] = true
			out = append(out, clause)
		}
	}
	return strings.Join(out, "; ")
}
