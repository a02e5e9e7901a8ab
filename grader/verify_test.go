package grader

import (
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/labcheck/labcheck/grader/lab"
	"github.com/labcheck/labcheck/grader/report"
	"github.com/labcheck/labcheck/harness"
)

// The package's other tests may register -update too; whoever comes first
// owns it and the golden files below honour it either way.
func init() {
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite golden files in testdata/")
	}
}

// liveState is a state recorded by the checks package (one per row of the
// lab's state table) as node's engine alone shows it.
func liveState(t *testing.T, name, node string) *harness.State {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("checks", "testdata", "states", name+".json"))
	require.NoError(t, err)
	var full harness.State
	require.NoError(t, json.Unmarshal(data, &full))
	st, err := harness.SeenFrom(&full, node)
	require.NoError(t, err)
	return st
}

func statuses(rep *report.Report) map[string]report.Status {
	out := map[string]report.Status{}
	for _, it := range rep.Items {
		out[it.ID] = it.Status
	}
	return out
}

const (
	pass = report.StatusPass
	fail = report.StatusFail
	skip = report.StatusSkipped
)

// TestJudgeLiveOrchestration follows the lab from node1's terminal, stage
// by stage: what a student running labcheck verify there is told.
func TestJudgeLiveOrchestration(t *testing.T) {
	// Items with after: are always skipped live; listed once here.
	afterItems := map[string]report.Status{"scaled-up": skip, "scaled-down": skip, "drained": skip}
	tests := []struct {
		state string
		want  map[string]report.Status
	}{
		{"fresh", map[string]report.Status{"standalone": fail, "swarm-init": fail, "workers-joined": fail, "service-created": fail, "cleanup": skip}},
		{"standalone", map[string]report.Status{"standalone": pass, "swarm-init": fail, "workers-joined": fail, "service-created": fail, "cleanup": fail}},
		{"swarm-init", map[string]report.Status{"standalone": pass, "swarm-init": pass, "workers-joined": fail, "service-created": fail, "cleanup": fail}},
		{"joined", map[string]report.Status{"standalone": pass, "swarm-init": pass, "workers-joined": pass, "service-created": fail, "cleanup": fail}},
		{"service-created", map[string]report.Status{"standalone": pass, "swarm-init": pass, "workers-joined": pass, "service-created": pass, "cleanup": fail}},
		// Scaling changes the 1/1 the service-created item wants, on purpose.
		{"scaled-up", map[string]report.Status{"standalone": pass, "swarm-init": pass, "workers-joined": pass, "service-created": fail, "cleanup": fail}},
		{"drained", map[string]report.Status{"standalone": pass, "swarm-init": pass, "workers-joined": pass, "service-created": fail, "cleanup": fail}},
		// node1 alone cannot tell whether node2 and node3 left the swarm.
		{"cleanup", map[string]report.Status{"standalone": fail, "swarm-init": fail, "workers-joined": fail, "service-created": fail, "cleanup": skip}},
	}
	l, err := lab.Get("orchestration")
	require.NoError(t, err)
	for _, tt := range tests {
		t.Run(tt.state, func(t *testing.T) {
			rep, err := judgeLive(l, "", l.Rubric, liveState(t, tt.state, "node1"))
			require.NoError(t, err)
			for id, s := range afterItems {
				tt.want[id] = s
			}
			assert.Equal(t, tt.want, statuses(rep))
			for _, it := range rep.Items {
				switch it.Status {
				case pass:
					assert.Equal(t, it.Points, it.Awarded, it.ID)
					assert.Empty(t, it.Hint, it.ID)
				case fail:
					assert.NotEmpty(t, it.Reason, it.ID)
					assert.NotEmpty(t, it.Hint, "%s: a failing item teaches", it.ID)
				case skip:
					assert.Zero(t, it.Awarded, it.ID)
					assert.NotContains(t, it.Reason, "not observable", "%s: says which node, not the harness's wording", it.ID)
				}
			}
		})
	}
}

func TestJudgeLiveReasons(t *testing.T) {
	tests := []struct {
		name, lab, state, node, item string
		reason, evidence             string
	}{
		{
			name: "after item that holds now", lab: "orchestration", state: "scaled-up", node: "node1", item: "scaled-up",
			reason:   "cannot be judged live: it must hold after service-created, and a live check sees only the present",
			evidence: "holds now: 7 running: node1×3 node2×2 node3×2; on 3 nodes: node1×3 node2×2 node3×2",
		},
		{
			name: "after item that does not hold now", lab: "orchestration", state: "scaled-up", node: "node1", item: "scaled-down",
			reason:   "cannot be judged live: it must hold after scaled-up, and a live check sees only the present",
			evidence: "does not hold now: sleep-app: 7 running (node1×3, node2×2, node3×2), want 4",
		},
		{
			name: "after item partly out of sight", lab: "orchestration", state: "drained", node: "node1", item: "drained",
			reason:   "cannot be judged live: it must hold after scaled-down, and a live check sees only the present",
			evidence: "holds now as far as node1 can see (node2: worker, ready, drain; 4 running: node1×2 node3×2); the rest depends on what node2 reports about itself",
		},
		{
			name: "item about nodes out of sight", lab: "orchestration", state: "cleanup", node: "node1", item: "cleanup",
			reason:   "cannot be judged from node1: it depends on what node2 and node3 report about themselves, and verify reads node1's engine only",
			evidence: "node1: 782930bd9217 ubuntu \"sleep infinity\" (Exited (137) 1 minute ago)",
		},
		{
			name: "a failure seen from one engine stands", lab: "orchestration", state: "standalone", node: "node1", item: "workers-joined",
			reason: "no swarm: node1 is not in a swarm (state inactive)",
		},
		{
			name: "lab node the swarm does not list", lab: "orchestration", state: "swarm-init", node: "node1", item: "workers-joined",
			reason: "1 node ready: node1, want 3; node2 is not in the swarm and did not answer (not observable from node1: the swarm does not list it, and verify reads one engine); " +
				"node3 is not in the swarm and did not answer (not observable from node1: the swarm does not list it, and verify reads one engine)",
			evidence: "1 node ready: node1",
		},
		{
			name: "another manager after the leader stopped", lab: "ha", state: "ha-leader-stopped", node: "node2", item: "new-leader",
			reason:   "cannot be judged live: it must hold after leader-down, and a live check sees only the present",
			evidence: "holds now: leader: node2 (swarm view from node2)",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, err := lab.Get(tt.lab)
			require.NoError(t, err)
			it, ok := l.Item(tt.item)
			require.True(t, ok)
			rep, err := judgeLive(l, "", []lab.Item{it}, liveState(t, tt.state, tt.node))
			require.NoError(t, err)
			require.Len(t, rep.Items, 1)
			assert.Equal(t, tt.reason, rep.Items[0].Reason)
			assert.Equal(t, tt.evidence, rep.Items[0].Evidence)
		})
	}
}

func TestItemsToVerify(t *testing.T) {
	l, err := lab.Get("orchestration")
	require.NoError(t, err)
	tests := []struct {
		name, step string
		want       []string
		wantErr    string
	}{
		{name: "every item", step: "", want: []string{"standalone", "swarm-init", "workers-joined", "service-created", "scaled-up", "scaled-down", "drained", "cleanup"}},
		{name: "one step", step: "join", want: []string{"workers-joined"}},
		{name: "unknown step", step: "scale", wantErr: `verify: lab orchestration has no step "scale" (steps: standalone, swarm-init, join, service-create, scale-up, scale-down, drain, cleanup)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			items, err := itemsToVerify(l, tt.step)
			if tt.wantErr != "" {
				assert.EqualError(t, err, tt.wantErr)
				return
			}
			require.NoError(t, err)
			var ids []string
			for _, it := range items {
				ids = append(ids, it.ID)
			}
			assert.Equal(t, tt.want, ids)
		})
	}
}

func TestJudgeLiveReport(t *testing.T) {
	l, err := lab.Get("orchestration")
	require.NoError(t, err)
	rep, err := judgeLive(l, "scale-up", l.ItemsForStep("scale-up"), liveState(t, "scaled-up", "node1"))
	require.NoError(t, err)
	assert.Equal(t, "verify", rep.Mode)
	assert.Equal(t, "live swarm (node1)", rep.Subject)
	assert.True(t, rep.Completed)
	assert.Equal(t, 0, rep.Score)
	assert.Equal(t, 15, rep.MaxScore, "out of the items judged, not the whole lab")
	assert.Contains(t, rep.Environment.Notes, "read-only: verify never changes the cluster")

	ha, err := lab.Get("ha")
	require.NoError(t, err)
	rep, err = judgeLive(ha, "swarm-init", ha.ItemsForStep("swarm-init"), liveState(t, "ha-formed", "node1"))
	require.NoError(t, err)
	assert.Empty(t, rep.Items)
	assert.Equal(t, []string{"step swarm-init has no rubric item of its own: nothing to judge"}, rep.Warnings)
}

func TestJudgeLiveForeignHostname(t *testing.T) {
	l, err := lab.Get("orchestration")
	require.NoError(t, err)
	st := liveState(t, "standalone", "node1")
	st.Nodes[0].Name = "ip-10-0-0-5"
	rep, err := judgeLive(l, "standalone", l.ItemsForStep("standalone"), st)
	require.NoError(t, err)
	assert.Equal(t, "live swarm (ip-10-0-0-5)", rep.Subject)
	assert.Equal(t, []string{"this engine's hostname is ip-10-0-0-5, which is not a node of lab orchestration (node1, node2, node3): items about named nodes cannot be judged from it"}, rep.Warnings)
	assert.Equal(t, skip, rep.Items[0].Status, rep.Items[0].Reason)
}

func TestSeenFromWorker(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("checks", "testdata", "states", "joined.json"))
	require.NoError(t, err)
	var full harness.State
	require.NoError(t, json.Unmarshal(data, &full))
	_, err = harness.SeenFrom(&full, "node2")
	assert.True(t, errors.Is(err, harness.ErrNotManager), "%v", err)
}

// TestJudgeLiveGolden renders what a student reads in their terminal.
func TestJudgeLiveGolden(t *testing.T) {
	tests := []struct {
		name, state, step string
	}{
		{name: "standalone-all", state: "standalone"},
		{name: "drained-all", state: "drained"},
		{name: "drained-step-drain", state: "drained", step: "drain"},
		{name: "scaled-up-step-scale-up", state: "scaled-up", step: "scale-up"},
		{name: "cleanup-step-cleanup", state: "cleanup", step: "cleanup"},
	}
	l, err := lab.Get("orchestration")
	require.NoError(t, err)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			items, err := itemsToVerify(l, tt.step)
			require.NoError(t, err)
			rep, err := judgeLive(l, tt.step, items, liveState(t, tt.state, "node1"))
			require.NoError(t, err)
			rep.Environment.Labcheck = "test"
			rep.Environment.HostEngine = "27.5.1"
			var b strings.Builder
			require.NoError(t, report.WriteText(&b, rep, report.TextOptions{}))
			verifyGolden(t, filepath.Join("verify", tt.name+".txt"), b.String())
		})
	}
}

func verifyGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if f := flag.Lookup("update"); f != nil && f.Value.String() == "true" {
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test -update to create it")
	assert.Equal(t, string(want), got)
}
