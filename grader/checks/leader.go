package checks

import (
	"fmt"
	"strings"

	"github.com/labcheck/labcheck/harness"
	"github.com/labcheck/labcheck/internal/strictyaml"
)

func init() {
	register(Kind{
		Name:    "swarm_leader",
		Doc:     "The node's own swarm state is active, it is a manager, and the swarm lists it as Leader (what `docker info` and `docker node ls` show after `docker swarm init`).",
		Example: "kind: swarm_leader\nnode: node1\n",
	}, &swarmLeaderParams{})

	register(Kind{
		Name:    "leader_elected",
		Doc:     "The swarm has a Leader that is a reachable manager; with `not`, the leader is another node (a new leader was elected after that one went away).",
		Example: "kind: leader_elected\nnot: node1\n",
	}, &leaderElectedParams{})
}

type swarmLeaderParams struct {
	Node strictyaml.String `yaml:"node" required:"true" type:"node" doc:"lab node expected to lead"`
}

func (p *swarmLeaderParams) check() Check { return swarmLeader{node: string(p.Node)} }

type leaderElectedParams struct {
	Not strictyaml.String `yaml:"not" type:"node" doc:"node that must not be the leader"`
}

func (p *leaderElectedParams) check() Check { return leaderElected{not: string(p.Not)} }

type swarmLeader struct{ node string }

func (c swarmLeader) Describe() string { return c.node + " is the swarm leader" }

func (c swarmLeader) Evaluate(s *harness.State) Result {
	n, r, ok := reachableNode(s, c.node, "cannot ask %s about its swarm state")
	if !ok {
		return r
	}
	st := localState(n.Swarm)
	switch {
	case st == "inactive":
		return failed(fmt.Sprintf("%s is not in a swarm (state inactive)", c.node), "")
	case st != "active":
		reason := fmt.Sprintf("%s's swarm state is %s, not active", c.node, st)
		if n.Swarm.Error != "" {
			reason += " (" + n.Swarm.Error + ")"
		}
		return failed(reason, "")
	case !n.Swarm.ControlAvailable:
		return failed(fmt.Sprintf("%s is in a swarm but as a worker, not a manager", c.node), "")
	}
	if _, r, ok := swarmView(s); !ok {
		return r
	}
	sn, ok := swarmNode(s, c.node)
	if !ok {
		return failed(absentFromSwarm(s, c.node), "")
	}
	if !sn.Leader {
		if l, ok := leader(s); ok {
			return failed(fmt.Sprintf("%s is a manager but the leader is %s", c.node, l.Hostname), nodeEvidence(sn))
		}
		return failed(fmt.Sprintf("%s is a manager but the swarm has no leader", c.node), nodeEvidence(sn))
	}
	return passed(nodeEvidence(sn))
}

type leaderElected struct{ not string }

func (c leaderElected) Describe() string {
	if c.not == "" {
		return "the swarm has a leader"
	}
	return "a leader other than " + c.not + " is elected"
}

func (c leaderElected) Evaluate(s *harness.State) Result {
	if r, bad := noState(s); bad {
		return r
	}
	if _, r, ok := swarmView(s); !ok {
		return r
	}
	l, ok := leader(s)
	if !ok {
		var managers []string
		for _, sn := range swarmNodes(s) {
			if sn.Role == "manager" {
				managers = append(managers, fmt.Sprintf("%s (%s, %s)", sn.Hostname, sn.Status, orDash(sn.Reachability)))
			}
		}
		if len(managers) == 0 {
			return failed("no leader: the swarm lists no managers", "")
		}
		return failed("no leader elected among managers "+strings.Join(managers, ", "), "")
	}
	ev := "leader: " + l.Hostname + readFrom(s)
	if c.not != "" && l.Hostname == c.not {
		return failed(fmt.Sprintf("%s is still the leader%s", c.not, readFrom(s)), ev)
	}
	return passed(ev)
}

// leader is the swarm's leader, if it is a manager the others can reach;
// right after a leader dies the view may still flag it, and that is not an
// elected leader.
func leader(s *harness.State) (harness.SwarmNode, bool) {
	for _, sn := range swarmNodes(s) {
		if sn.Leader && sn.Role == "manager" && sn.Reachability != "unreachable" {
			return sn, true
		}
	}
	return harness.SwarmNode{}, false
}

func readFrom(s *harness.State) string {
	if s.Manager == "" {
		return ""
	}
	return " (swarm view from " + s.Manager + ")"
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// nodeEvidence renders a swarm node the way `docker node ls` would.
func nodeEvidence(sn harness.SwarmNode) string {
	role := sn.Role
	if sn.Leader {
		role = "manager, leader"
	}
	return fmt.Sprintf("%s: %s, %s, %s", sn.Hostname, role, sn.Status, sn.Availability)
}
