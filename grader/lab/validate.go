package lab

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/labcheck/labcheck/grader/submission"
	"github.com/labcheck/labcheck/internal/strictyaml"
)

var (
	idPattern   = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]*$`)
	nodePattern = regexp.MustCompile(`^[a-z][a-z0-9-]*$`)
)

const idRule = "lowercase letters, digits, '.', '_' and '-'"

// validator checks what the types alone cannot: names, references between
// fields, placeholders and the nodes the checks name. It runs on a file
// that decoded, and places each error with the document's index.
type validator struct {
	ix     *strictyaml.Index
	res    *strictyaml.Result
	checks []itemSpec // the rubric as decoded, for its checks
	errs   []*strictyaml.Error
}

func (d *validator) errPath(path, format string, args ...any) {
	d.errs = append(d.errs, d.ix.At(path, fmt.Sprintf(format, args...)))
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func index(path string, i int) string {
	return fmt.Sprintf("%s[%d]", path, i)
}

func (d *validator) validate(l *Lab) {
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

func (d *validator) validateNodes(l *Lab) {
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

func (d *validator) validateSteps(l *Lab, nodes []string) {
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
		d.validateGroups(join(path, "run"), l, s)
		d.validateNoSettle(join(path, "run"), s)
	}
}

// validateNoSettle keeps `settle: false` to a command alone that another
// action of its step follows: a fault or a group is always waited for, and
// a step always settles after its last action.
func (d *validator) validateNoSettle(path string, s Step) {
	for i, a := range s.Run {
		if !a.NoSettle {
			continue
		}
		at := join(index(path, i), "settle")
		switch {
		case a.Fault != "":
			d.errPath(at, "a fault cannot skip the settle: the cluster must notice it before anything else runs")
		case a.Group != "":
			d.errPath(at, "settle: false cannot be in group %q: a group settles once after all its commands", a.Group)
		case i == len(s.Run)-1:
			d.errPath(at, "settle: false on the step's last action: a step always settles after its last action, so this does nothing")
		}
	}
}

// validateGroups keeps to commands that can really run at once: one per
// terminal (a terminal runs one command at a time), no fault (the cluster
// must notice it alone), nothing that another command of the group needs
// first (`swarm init` before a join or a service command), and no manager
// leaving beside the nodes that need it (a worker's leave waits on gossip
// with its manager).
func (d *validator) validateGroups(path string, l *Lab, s Step) {
	managers := map[string]bool{}
	for _, n := range l.Nodes {
		managers[n.Name] = n.Manager
	}
	closed := map[string]int{} // groups whose run of actions has ended
	parts := map[string]int{}
	for _, batch := range s.Batches() {
		parts[batch[0].Group]++
	}
	start := 0
	for _, batch := range s.Batches() {
		i := start
		start += len(batch)
		g := batch[0].Group
		if g == "" {
			continue
		}
		at := index(path, i)
		if j, seen := closed[g]; seen {
			d.errPath(join(at, "group"), "group %q is split: its actions must follow each other (it also holds run[%d])", g, j)
		}
		closed[g] = i
		if len(batch) == 1 && parts[g] == 1 {
			d.errPath(join(at, "group"), "group %q has one action: a group names commands that run at once", g)
			continue
		}
		seen := map[string]int{}
		for k, a := range batch {
			at := index(path, i+k)
			if j, dup := seen[a.Node]; dup {
				d.errPath(join(at, "node"), "group %q runs two commands in %s's terminal (also run[%d]); a terminal runs one command at a time", g, a.Node, j)
			}
			seen[a.Node] = i + k
			if a.Fault != "" {
				d.errPath(join(at, "fault"), "a fault cannot be in a group: the cluster must notice it before anything else runs")
				continue
			}
			an := submission.Analyze(a.Command)
			switch {
			case an.Runs("swarm init"):
				d.errPath(join(at, "command"), "`docker swarm init` cannot be in group %q: the others would need the swarm it creates; put it before the group", g)
			case an.Runs("swarm leave") && managers[a.Node]:
				d.errPath(join(at, "command"), "manager %s leaves in group %q: the nodes leaving beside it need it to let them go; let it leave after the group", a.Node, g)
			}
		}
	}
}

func (d *validator) validateID(path, id string, seen map[string]int, i int, list string) {
	if !idPattern.MatchString(id) {
		d.errPath(join(path, "id"), "%q is not a valid id (%s)", id, idRule)
	}
	if j, dup := seen[id]; dup {
		d.errPath(join(path, "id"), "duplicate id %q (also %s[%d])", id, list, j)
	}
	seen[id] = i
}

func (d *validator) validateAction(path string, a Action, nodes []string) {
	if !contains(nodes, a.Node) {
		d.errPath(join(path, "node"), "unknown node %q (lab nodes: %s)", a.Node, strings.Join(nodes, ", "))
	}
	switch {
	case a.Command == "" && a.Fault == "":
		if !d.res.HasUnknown(path) {
			d.errPath(path, "an action needs a command or a fault")
		}
	case a.Command != "" && a.Fault != "":
		d.errPath(join(path, "fault"), "an action has either a command or a fault, not both; split it in two")
	case a.Command != "":
		if msg := checkCommand(a.Command, nodes); msg != "" {
			d.errPath(join(path, "command"), "%s", msg)
		}
	}
}

func (d *validator) validateRubric(l *Lab, nodes []string) {
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
		if it.When == "" {
			it.When = Eventually
		}
		if it.After != "" {
			d.validateAfter(l, i)
		}
		if it.Step != "" {
			if _, ok := l.Step(it.Step); !ok {
				d.errPath(join(path, "step"), "no step %q (steps: %s)", it.Step, strings.Join(l.StepIDs(), ", "))
			}
		}
		d.validateCheck(path, i, nodes)
	}
}

func (d *validator) validateAfter(l *Lab, i int) {
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

// validateCheck checks the node names a check's parameters give.
func (d *validator) validateCheck(path string, i int, nodes []string) {
	if i >= len(d.checks) {
		return
	}
	for _, ref := range d.checks[i].Check.NodeRefs() {
		if !contains(nodes, ref.Name) {
			d.errPath(join(join(path, "check"), ref.Path), "unknown node %q (lab nodes: %s)", ref.Name, strings.Join(nodes, ", "))
		}
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
