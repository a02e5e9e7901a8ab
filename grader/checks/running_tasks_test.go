package checks

import "testing"

func TestRunningTasks(t *testing.T) {
	runEval(t, "running_tasks", []evalCase{
		{name: "one replica", state: "service-created", params: p("service", "sleep-app", "count", 1), want: Pass, evidence: "1 running: node1×1"},
		{name: "scaled up", state: "scaled-up", params: p("service", "sleep-app", "count", 7), want: Pass, evidence: "7 running: node1×3 node2×2 node3×2"},
		{name: "still pulling on node3", state: "scaling", params: p("service", "sleep-app", "count", 7), want: Fail,
			reason: "sleep-app: 5 running (node1×3, node2×2), want 7; node3 has none; 2 tasks not running: sleep-app.3 on node3 preparing, sleep-app.6 on node3 preparing"},
		{name: "removed tasks do not count", state: "scaled-down", params: p("service", "sleep-app", "count", 4), want: Pass, evidence: "4 running: node1×2 node2×1 node3×1"},
		{name: "stopping task not counted", state: "draining", params: p("service", "sleep-app", "count", 4, "on", []string{"node1", "node3"}), want: Pass,
			evidence: "4 running: node1×2 node3×2"},
		{name: "drained the wrong node", state: "drained-node3", params: p("service", "sleep-app", "count", 4, "on", []string{"node1", "node3"}), want: Fail,
			reason: "sleep-app: 4 running (node1×2, node2×2), 2 on node2, want only on node1, node3"},
		{name: "node down", state: "node-down", params: p("service", "sleep-app", "count", 5), want: Fail,
			reason: "sleep-app: 4 running (node1×2, node2×2), want 5; node3 has none (it is down); 1 task still stopping: sleep-app.3 on node3 running (desired shutdown)"},
		{name: "rescheduled after leader stopped", state: "ha-leader-stopped", params: p("service", "web", "count", 3, "on", []string{"node2", "node3"}), want: Pass,
			evidence: "3 running: node2×2 node3×1"},
		{name: "no service", state: "joined", params: p("service", "sleep-app", "count", 1), want: Fail, reason: "no service sleep-app (the swarm has no services)"},
		{name: "manager unreachable", state: "manager-unreachable", params: p("service", "sleep-app", "count", 1), want: Error},
	})
}
