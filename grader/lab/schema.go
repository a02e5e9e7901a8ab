package lab

import (
	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
)

// The lab file's schema: one function per mapping, fields in the order the
// docs present them.

func (d *decoder) lab(n ast.Node) *Lab {
	l := &Lab{}
	d.mapping("", n, "a lab", []field{
		{name: "name", required: true, doc: "short id of the lab, e.g. orchestration", set: func(p string, v ast.Node) { d.str(p, v, &l.Name) }},
		{name: "title", required: true, doc: "the lab's title", set: func(p string, v ast.Node) { d.str(p, v, &l.Title) }},
		{name: "version", doc: "version of the lab text", set: func(p string, v ast.Node) { d.str(p, v, &l.Version) }},
		{name: "description", doc: "what the lab teaches", set: func(p string, v ast.Node) { d.str(p, v, &l.Description) }},
		{name: "nodes", required: true, doc: "the cluster's nodes, each a name and manager: true for the managers", set: func(p string, v ast.Node) {
			d.list(p, v, func(ip string, _ int, item ast.Node) { l.Nodes = append(l.Nodes, d.node(ip, item)) })
		}},
		{name: "images", doc: "images to pull onto every node before the lab", set: func(p string, v ast.Node) { d.strings(p, v, &l.Images) }},
		{name: "needs", doc: "kernel features the lab relies on, e.g. ipvs", set: func(p string, v ast.Node) { d.strings(p, v, &l.Needs) }},
		{name: "steps", required: true, doc: "the steps a student performs", set: func(p string, v ast.Node) {
			d.list(p, v, func(ip string, _ int, item ast.Node) { l.Steps = append(l.Steps, d.step(ip, item)) })
		}},
		{name: "rubric", required: true, doc: "the graded items", set: func(p string, v ast.Node) {
			d.list(p, v, func(ip string, i int, item ast.Node) { l.Rubric = append(l.Rubric, d.item(ip, i, item)) })
		}},
	})
	return l
}

func (d *decoder) node(path string, n ast.Node) Node {
	var nd Node
	d.mapping(path, n, "a node", []field{
		{name: "name", required: true, doc: "the node's hostname, e.g. node1", set: func(p string, v ast.Node) { d.str(p, v, &nd.Name) }},
		{name: "manager", doc: "true for a manager", set: func(p string, v ast.Node) { d.boolean(p, v, &nd.Manager) }},
	})
	return nd
}

func (d *decoder) step(path string, n ast.Node) Step {
	var s Step
	d.mapping(path, n, "a step", []field{
		{name: "id", required: true, doc: "short id of the step, e.g. swarm-init", set: func(p string, v ast.Node) { d.str(p, v, &s.ID) }},
		{name: "title", required: true, doc: "the step's title", set: func(p string, v ast.Node) { d.str(p, v, &s.Title) }},
		{name: "instructions", doc: "what the student is told to do, Markdown", set: func(p string, v ast.Node) { d.str(p, v, &s.Instructions) }},
		{name: "run", required: true, doc: "the reference actions, each a node and a command or a fault", set: func(p string, v ast.Node) {
			d.list(p, v, func(ip string, _ int, item ast.Node) { s.Run = append(s.Run, d.action(ip, item)) })
		}},
	})
	return s
}

func (d *decoder) action(path string, n ast.Node) Action {
	a := Action{}
	a.Line, _ = d.position(n)
	d.mapping(path, n, "an action", []field{
		{name: "node", required: true, doc: "the node whose terminal runs it", set: func(p string, v ast.Node) { d.str(p, v, &a.Node) }},
		{name: "command", doc: "a shell command", set: func(p string, v ast.Node) { d.str(p, v, &a.Command) }},
		{name: "fault", doc: "stop, kill, start, disconnect or connect", set: func(p string, v ast.Node) { d.str(p, v, &a.Fault) }},
	})
	return a
}

func (d *decoder) item(path string, i int, n ast.Node) Item {
	it := Item{}
	it.Line, _ = d.position(n)
	var when string
	d.mapping(path, n, "a rubric item", []field{
		{name: "id", required: true, doc: "short id of the item, e.g. scaled-up", set: func(p string, v ast.Node) { d.str(p, v, &it.ID) }},
		{name: "title", required: true, doc: "what is graded, in a line", set: func(p string, v ast.Node) { d.str(p, v, &it.Title) }},
		{name: "points", required: true, doc: "points the item is worth", set: func(p string, v ast.Node) { d.integer(p, v, &it.Points) }},
		{name: "when", doc: "eventually (default) or final", set: func(p string, v ast.Node) { d.str(p, v, &when) }},
		{name: "after", doc: "id of an earlier item", set: func(p string, v ast.Node) { d.str(p, v, &it.After) }},
		{name: "step", doc: "id of the step the item grades", set: func(p string, v ast.Node) { d.str(p, v, &it.Step) }},
		{name: "hint", doc: "shown to a student who fails the item", set: func(p string, v ast.Node) { d.str(p, v, &it.Hint) }},
		{name: "check", required: true, doc: "the check, e.g. kind: running_tasks", set: func(p string, v ast.Node) { it.Check = d.check(p, i, v) }},
	})
	it.When = When(when)
	return it
}

// check keeps the mapping for validation, which needs the lab's nodes,
// and decodes it the way checks.New expects.
func (d *decoder) check(path string, i int, n ast.Node) CheckSpec {
	m, ok := n.(*ast.MappingNode)
	if !ok {
		d.bad(n, path, "expected a check (a mapping with kind and its parameters), got %s", describeNode(n))
		return CheckSpec{}
	}
	d.checks[i] = m
	spec := CheckSpec{}
	spec.Line, _ = d.position(m)
	var raw map[string]any
	if err := yaml.NodeToValue(m, &raw); err != nil {
		d.bad(m, path, "cannot read the check: %v", err)
		return spec
	}
	if k, ok := raw["kind"]; ok {
		s, isStr := k.(string)
		if !isStr {
			d.bad(m, join(path, "kind"), "expected a check kind, got %v", k)
		}
		spec.Kind = s
	}
	spec.Params = map[string]any{}
	for k, v := range raw {
		if k != "kind" {
			spec.Params[k] = v
		}
	}
	return spec
}
