// Package lab is the model of a labcheck lab as an instructor writes it in
// YAML: the cluster's nodes, the steps a student performs (with reference
// commands labcheck can replay), and the rubric that grades the cluster
// after them. It holds only the spec and its validation; running a lab is
// the engine's business. Instructors write or adapt a lab without Go, so
// every load error says where in the file, which field, and what was
// expected.
package lab

import (
	"fmt"

	"github.com/labcheck/labcheck/grader/checks"
)

// Lab is one lab as loaded and validated.
type Lab struct {
	Name, Title, Version, Description string
	Nodes                             []Node
	// Images are pulled onto the nodes before the lab starts, so a step
	// does not wait on the network.
	Images []string
	// Needs lists kernel features the lab relies on, e.g. "ipvs"; an
	// environment without them skips the lab and says so.
	Needs  []string
	Steps  []Step
	Rubric []Item
	// Source is the file the lab was loaded from, as given, or
	// "embedded:<name>.yaml" for a lab shipped with labcheck.
	Source string
}

// Node is one Docker engine of the lab's cluster.
type Node struct {
	Name string
	// Manager marks the nodes that start as managers; the first one is
	// where `docker swarm init` runs.
	Manager bool
}

// Step is one section of the lab as a student performs it.
type Step struct {
	ID, Title string
	// Instructions are shown to the student, Markdown.
	Instructions string
	// Run are the reference actions, in order, that a correct student
	// performs; the engine replays them to check the lab itself.
	Run []Action
}

// Action is one reference action: a shell command typed in a node's
// terminal, or a fault injected into the node. Exactly one of Command and
// Fault is set.
type Action struct {
	Node string
	// Command may hold placeholders the engine fills in: see RenderCommand.
	Command string
	// Fault is one of the Fault* values.
	Fault string
	// Group, when set, is shared by consecutive commands of a step, each
	// in another node's terminal, that need nothing of each other: they
	// run at once, and the cluster settles once after them all.
	Group string
	// NoSettle says the next action needs nothing of this command's
	// aftermath: it runs as soon as the command returns, without waiting
	// for the swarm to come to rest (`docker service rm` before the nodes
	// leave: leaving removes a node's stopping tasks anyway). The step
	// still settles after its last action.
	NoSettle bool
	Line     int // line in the lab file, for reports
}

// Batches splits the step's actions into what runs at once: a run of
// consecutive actions with the same group, or one action alone, in lab
// order.
func (s Step) Batches() [][]Action {
	var out [][]Action
	for i := 0; i < len(s.Run); {
		j := i + 1
		for s.Run[i].Group != "" && j < len(s.Run) && s.Run[j].Group == s.Run[i].Group {
			j++
		}
		out = append(out, s.Run[i:j])
		i = j
	}
	return out
}

// Faults an action may inject into a node.
const (
	FaultStop       = "stop"
	FaultKill       = "kill"
	FaultStart      = "start"
	FaultDisconnect = "disconnect"
	FaultConnect    = "connect"
)

// Faults lists the fault names in the order the docs show them.
var Faults = []string{FaultStop, FaultKill, FaultStart, FaultDisconnect, FaultConnect}

// When says which observations of the cluster an item is graded on.
type When string

const (
	// Eventually passes if any state observed after a step (and after the
	// item named by After passed) satisfies the check: students' clusters
	// converge at their own pace, and a later step may undo an earlier
	// state on purpose (scaling down after scaling up).
	Eventually When = "eventually"
	// Final grades only the state at the end of the lab, e.g. cleanup.
	Final When = "final"
)

// Item is one graded line of the rubric.
type Item struct {
	ID, Title string
	Points    int
	When      When
	// After names an earlier item; this one is graded only on states
	// observed once that item has passed, so "4 running tasks" after
	// scaling down is not satisfied by the state before scaling up.
	After string
	// Step names the step whose work the item grades, so that a student
	// checking one step (labcheck verify --step) sees only its items.
	Step string
	// Hint is shown with a failure: what to look at, not the answer.
	Hint  string
	Check CheckSpec
	Line  int // line in the lab file, for reports
}

// CheckSpec is a check as written in the rubric: a kind and its
// parameters, as decoded from YAML.
type CheckSpec struct {
	Kind   string
	Params map[string]any // without "kind"
	Line   int
}

// MaxScore is the sum of the rubric's points.
func (l *Lab) MaxScore() int {
	total := 0
	for _, it := range l.Rubric {
		total += it.Points
	}
	return total
}

// InitNode is the node where the swarm is initialised: the first manager.
func (l *Lab) InitNode() string {
	for _, n := range l.Nodes {
		if n.Manager {
			return n.Name
		}
	}
	return ""
}

// NodeNames lists the lab's nodes in order.
func (l *Lab) NodeNames() []string {
	names := make([]string, len(l.Nodes))
	for i, n := range l.Nodes {
		names[i] = n.Name
	}
	return names
}

// Step returns the step with the given id.
func (l *Lab) Step(id string) (Step, bool) {
	for _, s := range l.Steps {
		if s.ID == id {
			return s, true
		}
	}
	return Step{}, false
}

// Item returns the rubric item with the given id.
func (l *Lab) Item(id string) (Item, bool) {
	for _, it := range l.Rubric {
		if it.ID == id {
			return it, true
		}
	}
	return Item{}, false
}

// ItemsForStep returns the rubric items that grade the step with the
// given id, in rubric order.
func (l *Lab) ItemsForStep(id string) []Item {
	var out []Item
	for _, it := range l.Rubric {
		if it.Step == id {
			out = append(out, it)
		}
	}
	return out
}

// StepIDs lists the steps' ids in order.
func (l *Lab) StepIDs() []string {
	ids := make([]string, len(l.Steps))
	for i, s := range l.Steps {
		ids[i] = s.ID
	}
	return ids
}

// Build makes the item's check. A lab that loaded has checks that build;
// the error is for items assembled in code.
func (i Item) Build() (checks.Check, error) {
	c, err := checks.New(i.Check.Kind, i.Check.Params)
	if err != nil {
		return nil, fmt.Errorf("rubric item %s: %w", i.ID, err)
	}
	return c, nil
}
