package checks

import (
	"fmt"
	"strings"

	"github.com/labcheck/labcheck/harness"
)

func init() {
	register(Kind{
		Name: "all_of",
		Doc:  "Every listed check passes. A failure lists every failing part; the result is an error only when some part could not be evaluated and none failed.",
		Params: []Param{
			{Name: "checks", Type: "checks", Doc: "list of check specs, each a mapping with kind and its parameters", Required: true},
		},
		Example: "kind: all_of\nchecks:\n  - kind: nodes_ready\n    count: 3\n  - kind: node_role\n    node: node2\n    role: worker\n",
	}, buildAllOf)
}

type allOf struct{ parts []Check }

func buildAllOf(r *reader) Check {
	v, ok := r.get("checks")
	if !ok {
		return nil
	}
	items, isList := v.([]any)
	if !isList {
		r.fail("checks", "expected a list of checks, got %s", describeValue(v))
		return nil
	}
	if len(items) == 0 {
		r.fail("checks", "must list at least one check")
		return nil
	}
	c := allOf{}
	for i, it := range items {
		prefix := fmt.Sprintf("%schecks[%d]", r.prefix, i)
		m, isMap := asMap(it)
		if !isMap {
			r.errs = append(r.errs, &ParamError{Path: prefix, Msg: fmt.Sprintf("expected a check (a mapping with kind and its parameters), got %s", describeValue(it))})
			continue
		}
		kind, _ := m["kind"].(string)
		if k, present := m["kind"]; present && kind == "" {
			r.errs = append(r.errs, &ParamError{Path: prefix + ".kind", Msg: fmt.Sprintf("expected a check kind, got %s", describeValue(k))})
			continue
		}
		part, err := build(kind, m, prefix+".")
		if err != nil {
			r.errs = append(r.errs, err)
			continue
		}
		c.parts = append(c.parts, part)
	}
	return c
}

// asMap accepts the map shapes a YAML decoder may produce.
func asMap(v any) (map[string]any, bool) {
	switch m := v.(type) {
	case map[string]any:
		return m, true
	case map[any]any:
		out := make(map[string]any, len(m))
		for k, val := range m {
			ks, ok := k.(string)
			if !ok {
				return nil, false
			}
			out[ks] = val
		}
		return out, true
	}
	return nil, false
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
