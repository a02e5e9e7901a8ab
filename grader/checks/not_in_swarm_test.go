package checks

import "testing"

func TestNotInSwarm(t *testing.T) {
	runEval(t, "not_in_swarm", []evalCase{
		{name: "all left", state: "cleanup", params: p(), want: Pass, evidence: "inactive: node1, node2, node3"},
		{name: "workers did not leave", state: "cleanup-partial", params: p(), want: Fail, reason: "still in a swarm: node2 (active, worker), node3 (active, worker)"},
		{name: "only the ones listed", state: "cleanup-partial", params: p("nodes", []string{"node1"}), want: Pass, evidence: "inactive: node1"},
		{name: "a node does not answer", state: "ha-no-leader", params: p("nodes", []string{"node1"}), want: Error,
			reason: "cannot tell whether every node left the swarm: node1 did not answer (Cannot connect to the Docker daemon at tcp://node1:2375. Is the docker daemon running?)"},
		{name: "fail outweighs silence", state: "manager-unreachable", params: p(), want: Fail, reason: "still in a swarm: node2 (active, worker), node3 (active, worker)"},
		{name: "unknown node", state: "cleanup", params: p("nodes", []string{"node4"}), want: Error},
	})
}
