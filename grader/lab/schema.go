package lab

import (
	"context"
	"fmt"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"

	"github.com/labcheck/labcheck/grader/checks"
	"github.com/labcheck/labcheck/internal/strictyaml"
	"github.com/labcheck/labcheck/internal/textdist"
)

// The lab file as written: one struct per mapping, fields in the order the
// docs present them. The tags drive the decoder's errors and the JSON
// Schema editors use (lab.schema.json); Lab is what the rest of labcheck
// reads once the file is valid.

type labFile struct {
	Name        strictyaml.Text   `yaml:"name" required:"true" doc:"short id of the lab, e.g. orchestration"`
	Title       strictyaml.Text   `yaml:"title" required:"true" doc:"the lab's title"`
	Version     strictyaml.Text   `yaml:"version" doc:"version of the lab text"`
	Description strictyaml.Text   `yaml:"description" doc:"what the lab teaches"`
	Nodes       []nodeSpec        `yaml:"nodes" required:"true" doc:"the cluster's nodes, each a name and manager: true for the managers"`
	Images      []strictyaml.Text `yaml:"images" doc:"images to pull onto every node before the lab"`
	Needs       []strictyaml.Text `yaml:"needs" doc:"kernel features the lab relies on, e.g. ipvs"`
	Steps       []stepSpec        `yaml:"steps" required:"true" doc:"the steps a student performs"`
	Rubric      []itemSpec        `yaml:"rubric" required:"true" doc:"the graded items"`
}

type nodeSpec struct {
	Name    strictyaml.Text `yaml:"name" required:"true" doc:"the node's hostname, e.g. node1"`
	Manager bool            `yaml:"manager" doc:"true for a manager"`
}

type stepSpec struct {
	ID           strictyaml.Text `yaml:"id" required:"true" doc:"short id of the step, e.g. swarm-init"`
	Title        strictyaml.Text `yaml:"title" required:"true" doc:"the step's title"`
	Instructions strictyaml.Text `yaml:"instructions" doc:"what the student is told to do, Markdown"`
	Run          []actionSpec    `yaml:"run" required:"true" doc:"the reference actions, each a node and a command or a fault"`
}

type actionSpec struct {
	Node    strictyaml.Text `yaml:"node" required:"true" doc:"the node whose terminal runs it"`
	Command strictyaml.Text `yaml:"command" doc:"a shell command"`
	Fault   strictyaml.Text `yaml:"fault" type:"stop|kill|start|disconnect|connect" doc:"stop, kill, start, disconnect or connect"`
	Group   strictyaml.Text `yaml:"group" doc:"a name shared by consecutive commands on different nodes that need nothing of each other, e.g. the workers' joins: they run at once"`
	Settle  *bool           `yaml:"settle" doc:"false: the next action runs as soon as this command returns, without waiting for the swarm to come to rest (default true; never on a step's last action, a fault or a group)"`
	line    int
}

type itemSpec struct {
	ID     strictyaml.Text `yaml:"id" required:"true" doc:"short id of the item, e.g. scaled-up"`
	Title  strictyaml.Text `yaml:"title" required:"true" doc:"what is graded, in a line"`
	Points strictyaml.Int  `yaml:"points" required:"true" doc:"points the item is worth"`
	When   strictyaml.Text `yaml:"when" type:"eventually|final" doc:"eventually (default) or final"`
	After  strictyaml.Text `yaml:"after" doc:"id of an earlier item"`
	Step   strictyaml.Text `yaml:"step" doc:"id of the step the item grades"`
	Hint   strictyaml.Text `yaml:"hint" doc:"shown to a student who fails the item"`
	Check  checkSpec       `yaml:"check" required:"true" doc:"the check, e.g. kind: running_tasks"`
	line   int
}

// checkSpec keeps, besides the decoded check, the parameters as YAML
// holds them: CheckSpec carries those to reports and to Item.Build.
type checkSpec struct {
	checks.Spec
	raw  map[string]any
	line int
}

func (f *labFile) UnmarshalYAML(ctx context.Context, n ast.Node) error {
	type plain labFile
	return strictyaml.Part(ctx, n, (*plain)(f), words("a lab"))
}

func (s *nodeSpec) UnmarshalYAML(ctx context.Context, n ast.Node) error {
	type plain nodeSpec
	return strictyaml.Part(ctx, n, (*plain)(s), words("a node"))
}

func (s *stepSpec) UnmarshalYAML(ctx context.Context, n ast.Node) error {
	type plain stepSpec
	return strictyaml.Part(ctx, n, (*plain)(s), words("a step"))
}

func (a *actionSpec) UnmarshalYAML(ctx context.Context, n ast.Node) error {
	type plain actionSpec
	a.line, _ = strictyaml.Position(n)
	return strictyaml.Part(ctx, n, (*plain)(a), words("an action"))
}

func (it *itemSpec) UnmarshalYAML(ctx context.Context, n ast.Node) error {
	type plain itemSpec
	it.line, _ = strictyaml.Position(n)
	return strictyaml.Part(ctx, n, (*plain)(it), words("a rubric item"))
}

func (c *checkSpec) UnmarshalYAML(ctx context.Context, n ast.Node) error {
	c.line, _ = strictyaml.Position(n)
	if err := yaml.NodeToValue(n, &c.raw); err == nil {
		delete(c.raw, "kind")
	}
	return c.Spec.UnmarshalYAML(ctx, n)
}

// words is how the lab file's own fields word their errors.
func words(what string) strictyaml.Words {
	return strictyaml.Words{
		What: what,
		Got:  strictyaml.Describe,
		Missing: func(f strictyaml.Field) string {
			return fmt.Sprintf("missing field %q (%s)", f.Name, f.Doc)
		},
		MissingValue: func(f strictyaml.Field) string {
			return fmt.Sprintf("missing value (%s)", f.Doc)
		},
		Unknown: func(key string, fields []strictyaml.Field) string {
			msg := fmt.Sprintf("unknown field in %s (fields: %s)", what, strictyaml.FieldNames(fields))
			best, bestDist := "", 3
			for _, f := range fields {
				if d := textdist.Distance(key, f.Name); d < bestDist {
					best, bestDist = f.Name, d
				}
			}
			if best != "" {
				msg += fmt.Sprintf("; did you mean %q?", best)
			}
			return msg
		},
	}
}

// lab is the model of a file that decoded.
func (f *labFile) lab() *Lab {
	l := &Lab{
		Name: string(f.Name), Title: string(f.Title), Version: string(f.Version), Description: string(f.Description),
		Images: strictyaml.Strings(f.Images), Needs: strictyaml.Strings(f.Needs),
	}
	for _, n := range f.Nodes {
		l.Nodes = append(l.Nodes, Node{Name: string(n.Name), Manager: n.Manager})
	}
	for _, s := range f.Steps {
		st := Step{ID: string(s.ID), Title: string(s.Title), Instructions: string(s.Instructions)}
		for _, a := range s.Run {
			st.Run = append(st.Run, Action{Node: string(a.Node), Command: string(a.Command), Fault: string(a.Fault), Group: string(a.Group), NoSettle: a.Settle != nil && !*a.Settle, Line: a.line})
		}
		l.Steps = append(l.Steps, st)
	}
	for _, it := range f.Rubric {
		l.Rubric = append(l.Rubric, Item{
			ID: string(it.ID), Title: string(it.Title), Points: int(it.Points), When: When(it.When),
			After: string(it.After), Step: string(it.Step), Hint: string(it.Hint), Line: it.line,
			Check: CheckSpec{Kind: it.Check.Kind, Params: it.Check.raw, Line: it.Check.line},
		})
	}
	return l
}
