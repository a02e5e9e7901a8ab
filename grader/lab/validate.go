package lab

import (
	"errors"
	"regexp"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml/ast"

	"github.com/labcheck/labcheck/grader/checks"
)

var (
	idPattern   = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]*$`)
	nodePattern = regexp.MustCompile(`^[a-z][a-z0-9-]*$`)
)

const idRule = "lowercase letters, digits, '.', '_' and '-'"

// validate checks what the schema alone cannot: names, references between
// fields, placeholders and the checks' parameters.
func (d *decoder) validate(l *Lab) {
	if !idPattern.MatchString(l.Name) {
		d.errPath("name", "%q is not a valid lab name (%s)", l.Name, idRule)
	}
	d.validateNodes(l)
	nodes := l.NodeNames()
	for i, img := range l.Images {
		if strings.TrimSpace(img) == "" {
			d.errPath(index("images", i), "empty image name")
		}
	}
	for i, need := range l.Needs {
		if strings.TrimSpace(need) == "" {
			d.errPath(index("needs", i), "empty feature name")
		}
	}
	d.validateSteps(l, nodes)
	d.validateRubric(l, nodes)
}

func (d *decoder) validateNodes(l *Lab) {
	if len(l.Nodes) == 0 {
		d.errPath("nodes", "a lab needs at least one node")
		return
	}
	seen := map[string]int{}
	managers := 0
	for i, n := range l.Nodes {
		path := index("nodes", i)
		if !nodePattern.MatchString(n.Name) {
			d.errPath(join(path, "name"), "%q is not a valid node name (a hostname: lowercase letters, digits and '-', starting with a letter)", n.Name)
		}
		if j, dup := seen[n.Name]; dup {
			d.errPath(join(path, "name"), "duplicate node %q (also nodes[%d])", n.Name, j)
		}
		seen[n.Name] = i
		if n.Manager {
			managers++
		}
	}
	if managers == 0 {
		d.errPath("nodes", "no manager: mark the node where `docker swarm init` runs with manager: true")
	}
}

func (d *decoder) validateSteps(l *Lab, nodes []string) {
	if len(l.Steps) == 0 {
		d.errPath("steps", "a lab needs at least one step")
	}
	seen := map[string]int{}
	for i, s := range l.Steps {
		path := index("steps", i)
		d.validateID(path, s.ID, seen, i, "steps")
		if len(s.Run) == 0 {
			d.errPath(join(path, "run"), "a step needs at least one action")
		}
		for j, a := range s.Run {
			d.validateAction(index(join(path, "run"), j), a, nodes)
		}
	}
}

func (d *decoder) validateID(path, id string, seen map[string]int, i int, list string) {
	if !idPattern.MatchString(id) {
		d.errPath(join(path, "id"), "%q is not a valid id (%s)", id, idRule)
	}
	if j, dup := seen[id]; dup {
		d.errPath(join(path, "id"), "duplicate id %q (also %s[%d])", id, list, j)
	}
	seen[id] = i
}

func (d *decoder) validateAction(path string, a Action, nodes []string) {
	if !contains(nodes, a.Node) {
		d.errPath(join(path, "node"), "unknown node %q (lab nodes: %s)", a.Node, strings.Join(nodes, ", "))
	}
	switch {
	case a.Command == "" && a.Fault == "":
		if !d.unknownIn[path] {
			d.errPath(path, "an action needs a command or a fault")
		}
	case a.Command != "" && a.Fault != "":
		d.errPath(join(path, "fault"), "an action has either a command or a fault, not both; split it in two")
	case a.Fault != "" && !contains(Faults, a.Fault):
		d.errPath(join(path, "fault"), "%q is not one of %s", a.Fault, strings.Join(Faults, ", "))
	case a.Command != "":
		if msg := checkCommand(a.Command, nodes); msg != "" {
			d.errPath(join(path, "command"), "%s", msg)
		}
	}
}

func (d *decoder) validateRubric(l *Lab, nodes []string) {
	if len(l.Rubric) == 0 {
		d.errPath("rubric", "a lab needs at least one rubric item")
	}
	seen := map[string]int{}
	for i := range l.Rubric {
		it := &l.Rubric[i]
		path := index("rubric", i)
		d.validateID(path, it.ID, seen, i, "rubric")
		if it.Points < 0 {
			d.errPath(join(path, "points"), "must be 0 or more, got %d", it.Points)
		}
		switch it.When {
		case "":
			it.When = Eventually
		case Eventually, Final:
		default:
			d.errPath(join(path, "when"), "%q is not one of %s, %s", it.When, Eventually, Final)
		}
		if it.After != "" {
			d.validateAfter(l, i)
		}
		if it.Step != "" {
			if _, ok := l.Step(it.Step); !ok {
				d.errPath(join(path, "step"), "no step %q (steps: %s)", it.Step, strings.Join(l.StepIDs(), ", "))
			}
		}
		d.validateCheck(path, i, it.Check, nodes)
	}
}

func (d *decoder) validateAfter(l *Lab, i int) {
	path := join(index("rubric", i), "after")
	after := l.Rubric[i].After
	var earlier []string
	for _, prev := range l.Rubric[:i] {
		if prev.ID == after {
			return
		}
		earlier = append(earlier, prev.ID)
	}
	for _, later := range l.Rubric[i:] {
		if later.ID == after {
			d.errPath(path, "%q is not before this item; after must name an earlier item", after)
			return
		}
	}
	if len(earlier) == 0 {
		d.errPath(path, "no rubric item %q, and no item comes before this one", after)
		return
	}
	d.errPath(path, "no rubric item %q (earlier items: %s)", after, strings.Join(earlier, ", "))
}

// validateCheck builds the check and places each parameter error on its
// line; only a check that builds is searched for node names.
func (d *decoder) validateCheck(path string, i int, spec CheckSpec, nodes []string) {
	n, ok := d.checks[i]
	if !ok {
		return
	}
	params := map[string]any{"kind": spec.Kind}
	for k, v := range spec.Params {
		params[k] = v
	}
	_, err := checks.New(spec.Kind, params)
	if err == nil {
		d.nodeRefs(join(path, "check"), n, nodes)
		return
	}
	for _, pe := range paramErrors(err) {
		d.paramError(join(path, "check"), n, pe)
	}
}

func paramErrors(err error) []*checks.ParamError {
	var pe *checks.ParamError
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []*checks.ParamError
		for _, e := range j.Unwrap() {
			out = append(out, paramErrors(e)...)
		}
		return out
	}
	if errors.As(err, &pe) {
		return []*checks.ParamError{pe}
	}
	return []*checks.ParamError{{Msg: err.Error()}}
}

// paramError reports a check's parameter error at the value it is about.
// Errors about the kind are reported on the check itself, the way an
// instructor thinks of it: "rubric[3].check: unknown check kind".
func (d *decoder) paramError(checkPath string, n ast.Node, pe *checks.ParamError) {
	path := checkPath
	if pe.Path != "" {
		path += "." + pe.Path
	}
	at, key := locate(n, pe.Path)
	if pe.UnknownParam && key != nil {
		at = key
	}
	d.errAt(at, strings.TrimSuffix(path, ".kind"), "%s", pe.Msg)
}

// locate follows a parameter path ("checks[1].count") from a check's
// mapping; it returns the deepest node found and the key naming it.
func locate(n ast.Node, path string) (ast.Node, ast.Node) {
	var key ast.Node
	if path == "" {
		return n, nil
	}
	for _, seg := range strings.Split(path, ".") {
		name, idx := seg, []int(nil)
		if b := strings.Index(seg, "["); b >= 0 {
			name = seg[:b]
			for _, part := range strings.Split(strings.TrimSuffix(seg[b+1:], "]"), "][") {
				k, err := strconv.Atoi(part)
				if err != nil {
					return n, key
				}
				idx = append(idx, k)
			}
		}
		m, ok := n.(*ast.MappingNode)
		if !ok {
			return n, key
		}
		found := false
		for _, kv := range m.Values {
			if keyText(kv.Key) == name {
				n, key, found = kv.Value, kv.Key, true
				break
			}
		}
		if !found {
			return n, key
		}
		for _, k := range idx {
			seq, ok := n.(*ast.SequenceNode)
			if !ok || k >= len(seq.Values) {
				return n, key
			}
			n, key = seq.Values[k], nil
		}
	}
	return n, key
}

// nodeRefs checks the parameters documented as node names against the
// lab's nodes: a typo there would otherwise surface only as a failing
// grade for every student.
func (d *decoder) nodeRefs(path string, n ast.Node, nodes []string) {
	m, ok := n.(*ast.MappingNode)
	if !ok {
		return
	}
	var kind string
	for _, kv := range m.Values {
		if keyText(kv.Key) == "kind" {
			if s, ok := kv.Value.(*ast.StringNode); ok {
				kind = s.Value
			}
		}
	}
	k, ok := checks.LookupKind(kind)
	if !ok {
		return
	}
	for _, kv := range m.Values {
		name := keyText(kv.Key)
		for _, p := range k.Params {
			if p.Name != name {
				continue
			}
			ppath := join(path, name)
			switch p.Type {
			case "node":
				d.nodeRef(ppath, kv.Value, nodes)
			case "[]node":
				if seq, ok := kv.Value.(*ast.SequenceNode); ok {
					for i, v := range seq.Values {
						d.nodeRef(index(ppath, i), v, nodes)
					}
				}
			case "checks":
				if seq, ok := kv.Value.(*ast.SequenceNode); ok {
					for i, v := range seq.Values {
						d.nodeRefs(index(ppath, i), v, nodes)
					}
				}
			}
		}
	}
}

func (d *decoder) nodeRef(path string, n ast.Node, nodes []string) {
	s, ok := n.(*ast.StringNode)
	if ok && !contains(nodes, s.Value) {
		d.errAt(n, path, "unknown node %q (lab nodes: %s)", s.Value, strings.Join(nodes, ", "))
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
