package checks

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/labcheck/labcheck/harness"
)

func TestWhyNoSwarm(t *testing.T) {
	tests := []struct {
		name   string
		state  string
		want   Status
		reason string
	}{
		{name: "nobody in a swarm", state: "fresh", want: Fail, reason: "no swarm: node1, node2, node3 are not in a swarm (state inactive)"},
		{name: "workers without manager", state: "cleanup-partial", want: Fail,
			reason: "no swarm: node1 is not in a swarm (state inactive); node2, node3 are in a swarm (state active) with no manager"},
		{name: "manager unreachable", state: "manager-unreachable", want: Error},
		{name: "managers cannot answer", state: "ha-no-leader", want: Error,
			reason: "no swarm view: node2, node3 are managers but could not show the swarm (rpc error: code = Unknown desc = The swarm does not have a leader. It's possible that too few managers are online. Make sure more than half of the managers are online.)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := whyNoSwarm(loadState(t, tt.state))
			assert.Equal(t, tt.want, got.Status)
			if tt.reason != "" {
				assert.Equal(t, tt.reason, got.Reason)
			}
		})
	}
}

func TestSwarmNodeDuplicates(t *testing.T) {
	s := loadState(t, "rejoined")
	sn, ok := swarmNode(s, "node3")
	assert.True(t, ok)
	assert.Equal(t, "p9t2y4u6i8o0a1s3d5f7g9h1k", sn.ID, "the entry with node3's current ID")
	assert.Len(t, swarmNodes(s), 3)

	// Without node3's own word, a ready entry still beats a down one.
	s.Nodes[2].Reachable = false
	sn, _ = swarmNode(s, "node3")
	assert.Equal(t, "ready", sn.Status)
}

func TestCounts(t *testing.T) {
	assert.Equal(t, "node1×3, node2×2, unassigned×1", counts(map[string]int{"node2": 2, "node1": 3, "": 1}, ", "))
}

func TestTaskName(t *testing.T) {
	tests := []struct {
		name string
		task harness.Task
		want string
	}{
		{name: "replicated", task: harness.Task{ServiceName: "sleep-app", Slot: 3}, want: "sleep-app.3"},
		{name: "global", task: harness.Task{ServiceName: "agent", NodeID: "r75x6w2f3k8vq1n0d5c7b9h2j"}, want: "agent.r75x6w2f3k8v"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, taskName(tt.task))
		})
	}
}
