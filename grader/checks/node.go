package checks

import (
	"fmt"

	"github.com/labcheck/labcheck/harness"
	"github.com/labcheck/labcheck/internal/strictyaml"
)

func init() {
	register(Kind{
		Name:    "node_role",
		Doc:     "The swarm lists the node with this role.",
		Example: "kind: node_role\nnode: node2\nrole: worker\n",
	}, &nodeRoleParams{})

	register(Kind{
		Name:    "node_availability",
		Doc:     "The swarm lists the node with this availability (`docker node update --availability`).",
		Example: "kind: node_availability\nnode: node2\navailability: drain\n",
	}, &nodeAvailabilityParams{})

	register(Kind{
		Name:    "node_status",
		Doc:     "The swarm lists the node with this status; a stopped node shows down once the managers notice.",
		Example: "kind: node_status\nnode: node1\nstatus: down\n",
	}, &nodeStatusParams{})
}

type nodeRoleParams struct {
	Node strictyaml.String `yaml:"node" required:"true" type:"node" doc:"lab node"`
	Role strictyaml.String `yaml:"role" required:"true" type:"manager|worker" doc:"expected role"`
}

func (p *nodeRoleParams) check() Check {
	return nodeField{node: string(p.Node), field: "role", want: string(p.Role),
		get: func(sn harness.SwarmNode) string { return sn.Role }}
}

type nodeAvailabilityParams struct {
	Node         strictyaml.String `yaml:"node" required:"true" type:"node" doc:"lab node"`
	Availability strictyaml.String `yaml:"availability" required:"true" type:"active|pause|drain" doc:"expected availability"`
}

func (p *nodeAvailabilityParams) check() Check {
	return nodeField{node: string(p.Node), field: "availability", want: string(p.Availability),
		get: func(sn harness.SwarmNode) string { return sn.Availability }}
}

type nodeStatusParams struct {
	Node   strictyaml.String `yaml:"node" required:"true" type:"node" doc:"lab node"`
	Status strictyaml.String `yaml:"status" required:"true" type:"ready|down|unknown|disconnected" doc:"expected status"`
}

func (p *nodeStatusParams) check() Check {
	return nodeField{node: string(p.Node), field: "status", want: string(p.Status),
		get: func(sn harness.SwarmNode) string { return sn.Status }}
}

// nodeField is one column of `docker node ls` for one node.
type nodeField struct {
	node, field, want string
	get               func(harness.SwarmNode) string
}

func (c nodeField) Describe() string {
	if c.field == "role" {
		return fmt.Sprintf("%s is a %s", c.node, c.want)
	}
	return fmt.Sprintf("%s %s is %s", c.node, c.field, c.want)
}

func (c nodeField) Evaluate(s *harness.State) Result {
	if r, bad := noState(s); bad {
		return r
	}
	if _, ok := s.Node(c.node); !ok {
		return unknownNode(s, c.node)
	}
	if _, r, ok := swarmView(s); !ok {
		return r
	}
	sn, ok := swarmNode(s, c.node)
	if !ok {
		return failed(absentFromSwarm(s, c.node), "")
	}
	got := c.get(sn)
	if got != c.want {
		if c.field == "role" {
			return failed(fmt.Sprintf("%s is a %s, want %s", c.node, got, c.want), nodeEvidence(sn))
		}
		return failed(fmt.Sprintf("%s %s is %s, want %s", c.node, c.field, got, c.want), nodeEvidence(sn))
	}
	return passed(nodeEvidence(sn))
}
