package checks

import "testing"

func TestManagers(t *testing.T) {
	runEval(t, "managers", []evalCase{
		{name: "three managers", state: "ha-formed", params: p("count", 3), want: Pass, evidence: "3 ready managers: node1 (leader), node2, node3"},
		{name: "workers joined instead", state: "joined", params: p("count", 3), want: Fail,
			reason: "1 ready manager: node1 (leader), want 3; node2 is a worker; node3 is a worker"},
		{name: "one manager down", state: "ha-leader-stopped", params: p("count", 3), want: Fail,
			reason: "2 ready managers: node2 (leader), node3, want 3; node1 is a manager but down"},
		{name: "nodes not joined yet", state: "swarm-init", params: p("count", 3), want: Fail,
			reason: "1 ready manager: node1 (leader), want 3; node2 has not joined the swarm (state inactive); node3 has not joined the swarm (state inactive)"},
		{name: "manager unreachable", state: "manager-unreachable", params: p("count", 1), want: Error,
			reason: "no swarm view: no manager answered; node1 did not answer (Cannot connect to the Docker daemon at tcp://node1:2375. Is the docker daemon running?)"},
	})
}

func TestNodesReady(t *testing.T) {
	runEval(t, "nodes_ready", []evalCase{
		{name: "all joined", state: "joined", params: p("count", 3), want: Pass, evidence: "3 nodes ready: node1, node2, node3"},
		{name: "rejoined node counted once", state: "rejoined", params: p("count", 3), want: Pass, evidence: "3 nodes ready: node1, node2, node3"},
		{name: "only the manager", state: "swarm-init", params: p("count", 3), want: Fail,
			reason: "1 node ready: node1, want 3; node2 has not joined the swarm (state inactive); node3 has not joined the swarm (state inactive)"},
		{name: "node down", state: "node-down", params: p("count", 3), want: Fail, reason: "2 nodes ready: node1, node2, want 3; node3 is down"},
		{name: "drained nodes are still ready", state: "drained", params: p("count", 3), want: Pass},
		{name: "no swarm", state: "cleanup", params: p("count", 3), want: Fail, reason: "no swarm: node1, node2, node3 are not in a swarm (state inactive)"},
		{name: "workers left behind", state: "cleanup-partial", params: p("count", 0), want: Fail,
			reason: "no swarm: node1 is not in a swarm (state inactive); node2, node3 are in a swarm (state active) with no manager"},
	})
}
