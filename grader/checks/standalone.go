package checks

import (
	"fmt"
	"slices"
	"strings"

	"github.com/labcheck/labcheck/harness"
	"github.com/labcheck/labcheck/internal/strictyaml"
)

func init() {
	register(Kind{
		Name:    "standalone_container",
		Doc:     "The node runs a container from the image, started with `docker run` rather than by a service (no com.docker.swarm.service.name label), whose command is args joined by spaces.",
		Example: "kind: standalone_container\nnode: node1\nimage: ubuntu\nargs: [sleep, infinity]\n",
	}, &standaloneParams{})
	register(Kind{
		Name:    "no_standalone_container",
		Doc:     "The node runs no such standalone container any more: it was removed, killed or stopped.",
		Example: "kind: no_standalone_container\nnode: node1\nimage: ubuntu\n",
	}, &noStandaloneParams{})
}

type standaloneParams struct {
	Node  strictyaml.String   `yaml:"node" required:"true" type:"node" doc:"lab node"`
	Image strictyaml.String   `yaml:"image" required:"true" doc:"image the container was run from (loose match)"`
	Args  []strictyaml.String `yaml:"args" doc:"the container's command, word by word"`
}

func (p *standaloneParams) check() Check {
	return standalone{node: string(p.Node), image: string(p.Image), args: strictyaml.Strings(p.Args)}
}

// noStandaloneParams takes the same parameters as standalone_container.
type noStandaloneParams standaloneParams

func (p *noStandaloneParams) check() Check {
	return noStandalone{(*standaloneParams)(p).check().(standalone)}
}

type standalone struct {
	node, image string
	args        []string // nil: any command
}

func (c standalone) what() string {
	w := "standalone " + c.image + " container"
	if c.args != nil {
		w += fmt.Sprintf(" running %q", strings.Join(c.args, " "))
	}
	return w
}

func (c standalone) Describe() string { return c.node + " runs a " + c.what() }

// commandMatches compares word by word, so spacing in what the engine
// reports does not matter.
func (c standalone) commandMatches(ct harness.Container) bool {
	return c.args == nil || slices.Equal(strings.Fields(ct.Command), c.args)
}

// matches are the running containers the check is about.
func (c standalone) matches(n harness.NodeState) []harness.Container {
	var out []harness.Container
	for _, ct := range n.Containers {
		if ct.State == "running" && ct.ServiceName() == "" && sameImage(c.image, ct.Image) && c.commandMatches(ct) {
			out = append(out, ct)
		}
	}
	return out
}

func (c standalone) Evaluate(s *harness.State) Result {
	n, r, ok := reachableNode(s, c.node, "cannot list %s's containers")
	if !ok {
		return r
	}
	if m := c.matches(n); len(m) > 0 {
		return passed(c.node + ": " + containerText(m[0]))
	}
	return failed(fmt.Sprintf("%s runs no %s: %s", c.node, c.what(), c.nearMisses(n)), "")
}

// nearMisses tells the student what is there instead: the container they
// started but that stopped, the one with another command, or only service
// tasks from the same image.
func (c standalone) nearMisses(n harness.NodeState) string {
	if len(n.Containers) == 0 {
		return "it has no containers at all"
	}
	var notes []string
	var others []string
	for _, ct := range n.Containers {
		switch {
		case !sameImage(c.image, ct.Image):
			if ct.State == "running" {
				others = append(others, ct.Image)
			}
		case ct.ServiceName() != "":
			if ct.State == "running" {
				notes = append(notes, fmt.Sprintf("%s is a task of service %s, not a standalone container", ct.Name, ct.ServiceName()))
			}
		case ct.State != "running":
			notes = append(notes, fmt.Sprintf("%s is %s", containerText(ct), ct.State))
		default:
			notes = append(notes, fmt.Sprintf("%s runs %q", shortID(ct.ID), ct.Command))
		}
	}
	if len(notes) == 0 {
		if len(others) == 0 {
			return fmt.Sprintf("no container from %s", c.image)
		}
		return fmt.Sprintf("no container from %s (running: %s)", c.image, list(dedupe(others)))
	}
	if len(notes) > maxListed {
		notes = append(notes[:maxListed], fmt.Sprintf("and %d more", len(notes)-maxListed))
	}
	return strings.Join(notes, "; ")
}

// containerText renders a container the way `docker ps` shows it.
func containerText(ct harness.Container) string {
	t := fmt.Sprintf("%s %s %q", shortID(ct.ID), ct.Image, ct.Command)
	if ct.Status != "" {
		t += " (" + ct.Status + ")"
	}
	return t
}

func dedupe(ss []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range ss {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

type noStandalone struct{ standalone }

func (c noStandalone) Describe() string { return c.node + " runs no " + c.what() }

func (c noStandalone) Evaluate(s *harness.State) Result {
	n, r, ok := reachableNode(s, c.node, "cannot list %s's containers")
	if !ok {
		return r
	}
	if m := c.matches(n); len(m) > 0 {
		var texts []string
		for _, ct := range m {
			texts = append(texts, containerText(ct))
		}
		return failed(fmt.Sprintf("%s still runs a %s: %s", c.node, c.what(), strings.Join(texts, "; ")), c.node+": "+texts[0])
	}
	for _, ct := range n.Containers {
		if ct.ServiceName() == "" && sameImage(c.image, ct.Image) && c.commandMatches(ct) {
			return passed(fmt.Sprintf("%s: %s", c.node, containerText(ct)))
		}
	}
	return passed(fmt.Sprintf("%s: no %s container", c.node, c.image))
}
