package checks

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// rubricChecks are the orchestration and HA labs' checks, kept here as data
// so that every recorded state is graded against all of them and the
// wording of every verdict is reviewed in one golden file per state.
var rubricChecks = []struct {
	name   string
	kind   string
	params map[string]any
}{
	{"standalone", "standalone_container", map[string]any{"node": "node1", "image": "ubuntu", "args": []any{"sleep", "infinity"}}},
	{"swarm-init", "swarm_leader", map[string]any{"node": "node1"}},
	{"workers-joined", "all_of", map[string]any{"checks": []any{
		map[string]any{"kind": "nodes_ready", "count": uint64(3)},
		map[string]any{"kind": "node_role", "node": "node2", "role": "worker"},
		map[string]any{"kind": "node_role", "node": "node3", "role": "worker"},
	}}},
	{"service-created", "all_of", map[string]any{"checks": []any{
		map[string]any{"kind": "service_exists", "service": "sleep-app", "image": "ubuntu", "args": []any{"sleep", "infinity"}},
		map[string]any{"kind": "running_tasks", "service": "sleep-app", "count": uint64(1)},
	}}},
	{"scaled-up", "all_of", map[string]any{"checks": []any{
		map[string]any{"kind": "running_tasks", "service": "sleep-app", "count": uint64(7)},
		map[string]any{"kind": "service_spread", "service": "sleep-app", "min_nodes": uint64(3)},
	}}},
	{"scaled-down", "running_tasks", map[string]any{"service": "sleep-app", "count": uint64(4)}},
	{"drained", "all_of", map[string]any{"checks": []any{
		map[string]any{"kind": "node_availability", "node": "node2", "availability": "drain"},
		map[string]any{"kind": "no_tasks_on_node", "service": "sleep-app", "node": "node2"},
		map[string]any{"kind": "running_tasks", "service": "sleep-app", "count": uint64(4), "on": []any{"node1", "node3"}},
	}}},
	{"cleanup", "all_of", map[string]any{"checks": []any{
		map[string]any{"kind": "service_absent", "service": "sleep-app"},
		map[string]any{"kind": "no_standalone_container", "node": "node1", "image": "ubuntu"},
		map[string]any{"kind": "not_in_swarm"},
	}}},
	{"ha-managers", "managers", map[string]any{"count": uint64(3)}},
	{"ha-service", "running_tasks", map[string]any{"service": "web", "count": uint64(3)}},
	{"ha-node1-down", "node_status", map[string]any{"node": "node1", "status": "down"}},
	{"ha-new-leader", "leader_elected", map[string]any{"not": "node1"}},
	{"ha-rescheduled", "running_tasks", map[string]any{"service": "web", "count": uint64(3), "on": []any{"node2", "node3"}}},
}

func TestGoldenVerdicts(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "states", "*.json"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".json")
		t.Run(name, func(t *testing.T) {
			s := loadState(t, name)
			var b strings.Builder
			for _, rc := range rubricChecks {
				c := mustNew(t, rc.kind, rc.params)
				r := c.Evaluate(s)
				fmt.Fprintf(&b, "%s: %s — %s\n", rc.name, r.Status, c.Describe())
				if r.Reason != "" {
					fmt.Fprintf(&b, "  reason:   %s\n", r.Reason)
				}
				if r.Evidence != "" {
					fmt.Fprintf(&b, "  evidence: %s\n", r.Evidence)
				}
			}
			golden(t, filepath.Join("golden", name+".txt"), b.String())
		})
	}
}
