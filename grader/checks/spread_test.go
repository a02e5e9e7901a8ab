package checks

import "testing"

func TestServiceSpread(t *testing.T) {
	runEval(t, "service_spread", []evalCase{
		{name: "spread over three", state: "scaled-up", params: p("service", "sleep-app", "min_nodes", 3), want: Pass, evidence: "on 3 nodes: node1×3 node2×2 node3×2"},
		{name: "node3 joined too late", state: "scaled-late-join", params: p("service", "sleep-app", "min_nodes", 3), want: Fail,
			reason: "sleep-app: 7 running (node1×4, node2×3), on 2 nodes, want at least 3; node3 has none"},
		{name: "unbalanced", state: "unbalanced", params: p("service", "sleep-app", "min_nodes", 3), want: Fail,
			reason: "sleep-app is unbalanced: node1×4, node2×2, node3×1 on the ready, active nodes differ by more than one"},
		{name: "unbalanced allowed", state: "unbalanced", params: p("service", "sleep-app", "min_nodes", 3, "balanced", false), want: Pass},
		{name: "late join is balanced over two when node3 has none", state: "scaled-late-join", params: p("service", "sleep-app", "min_nodes", 2), want: Fail,
			reason: "sleep-app is unbalanced: node1×4, node2×3, node3×0 on the ready, active nodes differ by more than one"},
		{name: "drained node left out of the balance", state: "drained", params: p("service", "sleep-app", "min_nodes", 2), want: Pass},
		{name: "no service", state: "joined", params: p("service", "sleep-app", "min_nodes", 1), want: Fail},
	})
}
