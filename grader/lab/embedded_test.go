package lab

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/labcheck/labcheck/grader/checks"
	"github.com/labcheck/labcheck/harness"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata/")

func TestEmbedded(t *testing.T) {
	assert.Equal(t, []string{"ha", "orchestration"}, Embedded())
}

func TestEmbeddedLabsLoad(t *testing.T) {
	for _, name := range Embedded() {
		t.Run(name, func(t *testing.T) {
			l, err := Get(name)
			require.NoError(t, err)
			assert.Equal(t, name, l.Name)
			assert.Equal(t, "embedded:"+name+".yaml", l.Source)
			assert.Equal(t, 100, l.MaxScore())
			assert.Equal(t, "node1", l.InitNode())
			for _, it := range l.Rubric {
				_, err := it.Build()
				assert.NoError(t, err, it.ID)
				assert.NotEmpty(t, it.Hint, "%s: every item teaches on failure", it.ID)
			}
			for _, s := range l.Steps {
				assert.NotEmpty(t, s.Instructions, s.ID)
			}
		})
	}
}

// Other parts of labcheck (reports, docs, scenario tests) refer to these
// ids and points; changing them is a breaking change.
func TestOrchestrationShape(t *testing.T) {
	l, err := Get("orchestration")
	require.NoError(t, err)

	var steps []string
	for _, s := range l.Steps {
		steps = append(steps, s.ID)
	}
	assert.Equal(t, []string{"standalone", "swarm-init", "join", "service-create", "scale-up", "scale-down", "drain", "cleanup"}, steps)

	type row struct {
		id     string
		points int
		when   When
		after  string
		kind   string
	}
	var rubric []row
	for _, it := range l.Rubric {
		rubric = append(rubric, row{it.ID, it.Points, it.When, it.After, it.Check.Kind})
	}
	assert.Equal(t, []row{
		{"standalone", 10, Eventually, "", "standalone_container"},
		{"swarm-init", 10, Eventually, "", "swarm_leader"},
		{"workers-joined", 15, Eventually, "", "all_of"},
		{"service-created", 10, Eventually, "", "all_of"},
		{"scaled-up", 15, Eventually, "service-created", "all_of"},
		{"scaled-down", 10, Eventually, "scaled-up", "running_tasks"},
		{"drained", 20, Eventually, "scaled-down", "all_of"},
		{"cleanup", 10, Final, "", "all_of"},
	}, rubric)
	assert.Equal(t, []string{"ubuntu"}, l.Images)
}

func TestHAShape(t *testing.T) {
	l, err := Get("ha")
	require.NoError(t, err)
	for _, n := range l.Nodes {
		assert.True(t, n.Manager, n.Name)
	}
	stop, ok := l.Step("leader-stop")
	require.True(t, ok)
	assert.Equal(t, []Action{{Node: "node1", Fault: FaultStop, Line: stop.Run[0].Line}}, stop.Run)
	observe, ok := l.Step("observe")
	require.True(t, ok)
	assert.Equal(t, "node2", observe.Run[0].Node, "node1 is gone by then")
}

// TestRubricsOnRecordedStates grades the embedded rubrics against the
// states the checks package records, one per row of the lab's state table:
// each item passes on the state its step leads to and not before.
func TestRubricsOnRecordedStates(t *testing.T) {
	tests := []struct {
		lab, item, state string
		want             checks.Status
	}{
		{"orchestration", "standalone", "fresh", checks.Fail},
		{"orchestration", "standalone", "standalone", checks.Pass},
		{"orchestration", "swarm-init", "standalone", checks.Fail},
		{"orchestration", "swarm-init", "swarm-init", checks.Pass},
		{"orchestration", "workers-joined", "swarm-init", checks.Fail},
		{"orchestration", "workers-joined", "joined", checks.Pass},
		{"orchestration", "workers-joined", "ha-formed", checks.Fail},
		{"orchestration", "service-created", "service-created", checks.Pass},
		{"orchestration", "scaled-up", "scaling", checks.Fail},
		{"orchestration", "scaled-up", "scaled-late-join", checks.Fail},
		{"orchestration", "scaled-up", "unbalanced", checks.Fail},
		{"orchestration", "scaled-up", "scaled-up", checks.Pass},
		{"orchestration", "scaled-down", "scaled-down", checks.Pass},
		{"orchestration", "drained", "scaled-down", checks.Fail},
		{"orchestration", "drained", "draining", checks.Fail},
		{"orchestration", "drained", "drained-node3", checks.Fail},
		{"orchestration", "drained", "drained", checks.Pass},
		{"orchestration", "cleanup", "drained", checks.Fail},
		{"orchestration", "cleanup", "cleanup-partial", checks.Fail},
		{"orchestration", "cleanup", "cleanup", checks.Pass},
		{"orchestration", "drained", "manager-unreachable", checks.Error},
		{"ha", "managers-joined", "joined", checks.Fail},
		{"ha", "managers-joined", "ha-formed", checks.Pass},
		{"ha", "service-running", "ha-formed", checks.Pass},
		{"ha", "leader-down", "ha-formed", checks.Fail},
		{"ha", "leader-down", "ha-leader-stopped", checks.Pass},
		{"ha", "new-leader", "ha-leader-stale", checks.Fail},
		{"ha", "new-leader", "ha-no-leader", checks.Error},
		{"ha", "new-leader", "ha-leader-stopped", checks.Pass},
		{"ha", "tasks-rescheduled", "ha-leader-stale", checks.Fail},
		{"ha", "tasks-rescheduled", "ha-leader-stopped", checks.Pass},
	}
	for _, tt := range tests {
		t.Run(tt.lab+"/"+tt.item+"/"+tt.state, func(t *testing.T) {
			l, err := Get(tt.lab)
			require.NoError(t, err)
			it, ok := l.Item(tt.item)
			require.True(t, ok)
			c, err := it.Build()
			require.NoError(t, err)
			got := c.Evaluate(recordedState(t, tt.state))
			assert.Equal(t, tt.want, got.Status, got.Reason)
		})
	}
}

func recordedState(t *testing.T, name string) *harness.State {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "checks", "testdata", "states", name+".json"))
	require.NoError(t, err)
	var s harness.State
	require.NoError(t, json.Unmarshal(data, &s))
	return &s
}

// TestEmbeddedGolden renders each embedded lab as a student and a grader
// see it, so that a change in wording is reviewed in the diff.
func TestEmbeddedGolden(t *testing.T) {
	for _, name := range Embedded() {
		t.Run(name, func(t *testing.T) {
			l, err := Get(name)
			require.NoError(t, err)
			var b strings.Builder
			fmt.Fprintf(&b, "%s — %s (version %s, %d points)\nnodes: %s (init on %s)\n\n", l.Name, l.Title, l.Version, l.MaxScore(), strings.Join(l.NodeNames(), ", "), l.InitNode())
			for _, s := range l.Steps {
				fmt.Fprintf(&b, "step %s: %s\n", s.ID, s.Title)
				for _, a := range s.Run {
					if a.Fault != "" {
						fmt.Fprintf(&b, "  %s: fault %s\n", a.Node, a.Fault)
						continue
					}
					rendered, err := RenderCommand(a.Command, runVars3)
					require.NoError(t, err)
					fmt.Fprintf(&b, "  %s$ %s\n", a.Node, StudentCommand(a.Command))
					if rendered != a.Command {
						fmt.Fprintf(&b, "    replayed as: %s\n", rendered)
					}
				}
			}
			b.WriteString("\n")
			for _, it := range l.Rubric {
				c, err := it.Build()
				require.NoError(t, err)
				head := fmt.Sprintf("%-18s %3d  %-10s", it.ID, it.Points, it.When)
				if it.After != "" {
					head += " after " + it.After
				}
				fmt.Fprintf(&b, "%s\n  %s\n  check: %s\n", strings.TrimRight(head, " "), it.Title, c.Describe())
			}
			golden(t, filepath.Join("golden", name+".txt"), b.String())
		})
	}
}

var runVars3 = Vars{
	ManagerAddr:  runVars.ManagerAddr,
	WorkerToken:  runVars.WorkerToken,
	ManagerToken: runVars.ManagerToken,
	NodeIDs:      map[string]string{"node1": "r75x6w2f3k8vq1n0d5c7b9h2j", "node2": "m3kq8z0w1x5v7b2n4c6d8f0gh", "node3": "p9t2y4u6i8o0a1s3d5f7g9h1k"},
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test -update to create it")
	assert.Equal(t, string(want), got)
}

func TestGet(t *testing.T) {
	tests := []struct {
		name    string
		arg     string
		source  string
		wantErr string
	}{
		{name: "embedded", arg: "orchestration", source: "embedded:orchestration.yaml"},
		{name: "file", arg: filepath.Join("testdata", "valid-mini.yaml"), source: filepath.Join("testdata", "valid-mini.yaml")},
		{name: "unknown", arg: "orchestraton", wantErr: `get lab: "orchestraton" is neither an embedded lab (ha, orchestration) nor a readable file`},
		{name: "broken file", arg: filepath.Join("testdata", "broken", "no-manager.yaml"), wantErr: "no manager"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, err := Get(tt.arg)
			if tt.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.source, l.Source)
		})
	}
}
