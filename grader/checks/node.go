package checks

import (
	"fmt"

	"github.com/labcheck/labcheck/harness"
)

func init() {
	register(Kind{
		Name: "node_role",
		Doc:  "The swarm lists the node with this role.",
		Params: []Param{
			{Name: "node", Type: "node", Doc: "lab node", Required: true},
			{Name: "role", Type: "manager|worker", Doc: "expected role", Required: true},
		},
		Example: "kind: node_role\nnode: node2\nrole: worker\n",
	}, func(r *reader) Check {
		return nodeField{node: r.str("node"), field: "role", want: r.enum("role", "manager", "worker"),
			get: func(sn harness.SwarmNode) string { return sn.Role }}
	})

	register(Kind{
		Name: "node_availability",
		Doc:  "The swarm lists the node with this availability (`docker node update --availability`).",
		Params: []Param{
			{Name: "node", Type: "node", Doc: "lab node", Required: true},
			{Name: "availability", Type: "active|pause|drain", Doc: "expected availability", Required: true},
		},
		Example: "kind: node_availability\nnode: node2\navailability: drain\n",
	}, func(r *reader) Check {
		return nodeField{node: r.str("node"), field: "availability", want: r.enum("availability", "active", "pause", "drain"),
			get: func(sn harness.SwarmNode) string { return sn.Availability }}
	})

	register(Kind{
		Name: "node_status",
		Doc:  "The swarm lists the node with this status; a stopped node shows down once the managers notice.",
		Params: []Param{
			{Name: "node", Type: "node", Doc: "lab node", Required: true},
			{Name: "status", Type: "ready|down|unknown|disconnected", Doc: "expected status", Required: true},
		},
		Example: "kind: node_status\nnode: node1\nstatus: down\n",
	}, func(r *reader) Check {
		return nodeField{node: r.str("node"), field: "status", want: r.enum("status", "ready", "down", "unknown", "disconnected"),
			get: func(sn harness.SwarmNode) string { return sn.Status }}
	})
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
