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

func TestHostOf(t *testing.T) {
	s := loadState(t, "joined")
	tests := []struct {
		name string
		task harness.Task
		want string
	}{
		{name: "hostname given", task: harness.Task{NodeHostname: "node2", NodeID: "x"}, want: "node2"},
		{name: "resolved from the node ID", task: harness.Task{NodeID: "p9t2y4u6i8o0a1s3d5f7g9h1k"}, want: "node3"},
		{name: "node the swarm no longer lists", task: harness.Task{NodeID: "e4r6t8y0u2i4o6p8a0s2d4f6g"}, want: "e4r6t8y0u2i4"},
		{name: "not scheduled", task: harness.Task{}, want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, hostOf(s, tt.task))
		})
	}
}
