package checks

import (
	"fmt"
	"strings"

	"github.com/labcheck/labcheck/harness"
	"github.com/labcheck/labcheck/internal/strictyaml"
)

func init() {
	register(Kind{
		Name:    "not_in_swarm",
		Doc:     "Each listed node (default: every node) reports its own swarm state as inactive, as after `docker swarm leave --force`.",
		Example: "kind: not_in_swarm\n",
	}, &notInSwarmParams{})
}

type notInSwarmParams struct {
	Nodes []strictyaml.String `yaml:"nodes" type:"[]node" min:"1" doc:"lab nodes (default: all)"`
}

func (p *notInSwarmParams) check() Check { return notInSwarm{nodes: strictyaml.Strings(p.Nodes)} }

type notInSwarm struct{ nodes []string }

func (c notInSwarm) Describe() string {
	if len(c.nodes) == 0 {
		return "no node is in a swarm"
	}
	return list(c.nodes) + " " + isAre(c.nodes) + " not in a swarm"
}

func (c notInSwarm) Evaluate(s *harness.State) Result {
	if r, bad := noState(s); bad {
		return r
	}
	names := c.nodes
	if len(names) == 0 {
		for _, n := range s.Nodes {
			names = append(names, n.Name)
		}
	}
	var inSwarm, unknown, quiet, out []string
	for _, name := range names {
		n, ok := s.Node(name)
		switch {
		case !ok:
			unknown = append(unknown, name)
		case !n.Reachable:
			quiet = append(quiet, fmt.Sprintf("%s did not answer (%s)", name, orUnknown(n.Error)))
		case n.Swarm.InSwarm():
			role := "worker"
			if n.Swarm.ControlAvailable {
				role = "manager"
			}
			inSwarm = append(inSwarm, fmt.Sprintf("%s (%s, %s)", name, n.Swarm.State, role))
		default:
			out = append(out, name)
		}
	}
	ev := ""
	if len(out) > 0 {
		ev = "inactive: " + list(out)
	}
	// A node still in a swarm fails the check whatever the silent nodes
	// would have said.
	if len(inSwarm) > 0 {
		return failed("still in a swarm: "+list(inSwarm), ev)
	}
	if len(unknown) > 0 {
		return unknownNode(s, unknown[0])
	}
	if len(quiet) > 0 {
		return errored("cannot tell whether every node left the swarm: " + strings.Join(quiet, "; "))
	}
	return passed(ev)
}
