package checks

import "testing"

func TestAllOf(t *testing.T) {
	workers := p("checks", []any{
		p("kind", "nodes_ready", "count", 3),
		p("kind", "node_role", "node", "node2", "role", "worker"),
		p("kind", "node_role", "node", "node3", "role", "worker"),
	})
	runEval(t, "all_of", []evalCase{
		{name: "all pass", state: "joined", params: workers, want: Pass,
			evidence: "3 nodes ready: node1, node2, node3; node2: worker, ready, active; node3: worker, ready, active"},
		{name: "every failing part listed, shared clauses once", state: "swarm-init", params: workers, want: Fail,
			reason: "1 node ready: node1, want 3; node2 has not joined the swarm (state inactive); node3 has not joined the swarm (state inactive)"},
		{name: "fail outweighs error", state: "manager-unreachable", params: p("checks", []any{
			p("kind", "nodes_ready", "count", 3),
			p("kind", "not_in_swarm"),
		}), want: Fail, reason: "still in a swarm: node2 (active, worker), node3 (active, worker)"},
		{name: "error when nothing failed", state: "manager-unreachable", params: workers, want: Error,
			reason: "no swarm view: no manager answered; node1 did not answer (Cannot connect to the Docker daemon at tcp://node1:2375. Is the docker daemon running?)"},
	})
}
