package checks

import "testing"

func TestNoTasksOnNode(t *testing.T) {
	node2 := p("service", "sleep-app", "node", "node2")
	runEval(t, "no_tasks_on_node", []evalCase{
		{name: "drained", state: "drained", params: node2, want: Pass, evidence: "node2: no sleep-app task or container running"},
		{name: "half-converged drain", state: "draining", params: node2, want: Fail,
			reason: "the swarm shows 1 task of sleep-app running on node2: sleep-app.2 on node2 running (desired shutdown); node2 still runs 1 container of sleep-app: sleep-app.2.dz0oz2b3w5w3lf8490i1qrgz6"},
		{name: "not drained", state: "scaled-down", params: node2, want: Fail},
		{name: "a node that still runs tasks", state: "drained", params: p("service", "sleep-app", "node", "node1"), want: Fail},
		{name: "other containers do not count", state: "standalone", params: p("service", "sleep-app", "node", "node1"), want: Pass,
			evidence: "node1: no sleep-app task or container running (1 other running container)"},
		{name: "no swarm at all", state: "cleanup", params: node2, want: Pass},
		{name: "node unreachable", state: "node-down", params: p("service", "sleep-app", "node", "node3"), want: Error,
			reason: "cannot list node3's containers: Cannot connect to the Docker daemon at tcp://node3:2375. Is the docker daemon running?"},
		{name: "swarm unreadable", state: "manager-unreachable", params: node2, want: Error},
	})
}
