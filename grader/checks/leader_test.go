package checks

import "testing"

func TestSwarmLeader(t *testing.T) {
	runEval(t, "swarm_leader", []evalCase{
		{name: "after init", state: "swarm-init", params: p("node", "node1"), want: Pass, evidence: "node1: manager, leader, ready, active"},
		{name: "before init", state: "standalone", params: p("node", "node1"), want: Fail, reason: "node1 is not in a swarm (state inactive)"},
		{name: "a worker", state: "joined", params: p("node", "node2"), want: Fail, reason: "node2 is in a swarm but as a worker, not a manager"},
		{name: "manager but not leader", state: "ha-formed", params: p("node", "node2"), want: Fail, reason: "node2 is a manager but the leader is node1"},
		{name: "node stopped", state: "ha-leader-stopped", params: p("node", "node1"), want: Error,
			reason: "cannot ask node1 about its swarm state: Cannot connect to the Docker daemon at tcp://node1:2375. Is the docker daemon running?"},
		{name: "new leader", state: "ha-leader-stopped", params: p("node", "node2"), want: Pass},
		{name: "election under way", state: "ha-no-leader", params: p("node", "node2"), want: Error},
		{name: "not a lab node", state: "joined", params: p("node", "node4"), want: Error, reason: "node4 is not a node of this cluster (nodes: node1, node2, node3)"},
	})
}

func TestLeaderElected(t *testing.T) {
	runEval(t, "leader_elected", []evalCase{
		{name: "any leader", state: "ha-formed", params: p(), want: Pass, evidence: "leader: node1 (swarm view from node1)"},
		{name: "old leader still leads", state: "ha-formed", params: p("not", "node1"), want: Fail, reason: "node1 is still the leader (swarm view from node1)"},
		{name: "new leader elected", state: "ha-leader-stopped", params: p("not", "node1"), want: Pass, evidence: "leader: node2 (swarm view from node2)"},
		{name: "dead leader still flagged", state: "ha-leader-stale", params: p("not", "node1"), want: Fail,
			reason: "no leader elected among managers node1 (down, unreachable), node2 (ready, reachable), node3 (ready, reachable)"},
		{name: "no manager answers", state: "ha-no-leader", params: p("not", "node1"), want: Error},
		{name: "no swarm", state: "fresh", params: p(), want: Fail, reason: "no swarm: node1, node2, node3 are not in a swarm (state inactive)"},
	})
}

// p builds a params map from name, value pairs, converting ints the way
// the YAML decoder hands them over.
func p(kv ...any) map[string]any {
	m := map[string]any{}
	for i := 0; i+1 < len(kv); i += 2 {
		v := kv[i+1]
		switch x := v.(type) {
		case int:
			v = uint64(x)
		case []string:
			l := make([]any, len(x))
			for j, s := range x {
				l[j] = s
			}
			v = l
		}
		m[kv[i].(string)] = v
	}
	return m
}
