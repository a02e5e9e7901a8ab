package checks

import "testing"

func TestNodeRole(t *testing.T) {
	runEval(t, "node_role", []evalCase{
		{name: "worker", state: "joined", params: p("node", "node2", "role", "worker"), want: Pass, evidence: "node2: worker, ready, active"},
		{name: "joined as manager", state: "ha-formed", params: p("node", "node2", "role", "worker"), want: Fail, reason: "node2 is a manager, want worker"},
		{name: "not joined", state: "swarm-init", params: p("node", "node3", "role", "worker"), want: Fail, reason: "node3 has not joined the swarm (state inactive)"},
		{name: "rejoined uses the current entry", state: "rejoined", params: p("node", "node3", "role", "worker"), want: Pass, evidence: "node3: worker, ready, active"},
		{name: "unknown node", state: "joined", params: p("node", "node9", "role", "worker"), want: Error},
	})
}

func TestNodeAvailability(t *testing.T) {
	runEval(t, "node_availability", []evalCase{
		{name: "drained", state: "draining", params: p("node", "node2", "availability", "drain"), want: Pass, evidence: "node2: worker, ready, drain"},
		{name: "other node drained", state: "drained-node3", params: p("node", "node2", "availability", "drain"), want: Fail, reason: "node2 availability is active, want drain"},
		{name: "no swarm view", state: "manager-unreachable", params: p("node", "node2", "availability", "drain"), want: Error},
	})
}

func TestNodeStatus(t *testing.T) {
	runEval(t, "node_status", []evalCase{
		{name: "stopped leader seen down", state: "ha-leader-stopped", params: p("node", "node1", "status", "down"), want: Pass, evidence: "node1: manager, down, active"},
		{name: "still ready", state: "ha-formed", params: p("node", "node1", "status", "down"), want: Fail, reason: "node1 status is ready, want down"},
		{name: "worker down", state: "node-down", params: p("node", "node3", "status", "down"), want: Pass},
		{name: "rejoined node is ready", state: "rejoined", params: p("node", "node3", "status", "ready"), want: Pass},
	})
}
