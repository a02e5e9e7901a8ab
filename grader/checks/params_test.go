package checks

import (
	"errors"
	"fmt"
	"testing"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/labcheck/labcheck/internal/strictyaml"
)

func TestNewErrors(t *testing.T) {
	tests := []struct {
		name   string
		kind   string
		params map[string]any
		want   []ParamError
	}{
		{
			name: "unknown kind",
			kind: "running_task",
			want: []ParamError{{Path: "kind", Msg: `unknown check kind "running_task" (known: all_of, leader_elected, managers, no_standalone_container, no_tasks_on_node, node_availability, node_role, node_status, nodes_ready, not_in_swarm, running_tasks, service_absent, service_exists, service_spread, standalone_container, swarm_leader); did you mean "running_tasks"?`}},
		},
		{
			name:   "misspelt parameter",
			kind:   "running_tasks",
			params: map[string]any{"service": "sleep-app", "coutn": uint64(7)},
			want: []ParamError{
				{Path: "coutn", Msg: `unknown parameter "coutn" for running_tasks (takes: service, count, on?); did you mean "count"?`, UnknownParam: true},
				{Path: "", Msg: `running_tasks needs parameter "count" (number of running tasks)`},
			},
		},
		{
			name:   "null required",
			kind:   "swarm_leader",
			params: map[string]any{"node": nil},
			want:   []ParamError{{Path: "node", Msg: `swarm_leader needs parameter "node" (lab node expected to lead)`}},
		},
		{
			name:   "number for a string",
			kind:   "service_absent",
			params: map[string]any{"service": uint64(42)},
			want:   []ParamError{{Path: "service", Msg: `expected a string, got the number 42; quote it: "42"`}},
		},
		{
			name:   "kind not text",
			kind:   "all_of",
			params: map[string]any{"checks": []any{map[string]any{"kind": []any{"nodes_ready"}}}},
			want:   []ParamError{{Path: "checks[0].kind", Msg: `expected a check kind, got a list`}},
		},
		{
			name:   "checks not a list",
			kind:   "all_of",
			params: map[string]any{"checks": "nodes_ready"},
			want:   []ParamError{{Path: "checks", Msg: `expected a list of checks, got the string "nodes_ready"`}},
		},
		{
			name:   "missing required",
			kind:   "running_tasks",
			params: map[string]any{"service": "sleep-app"},
			want:   []ParamError{{Path: "", Msg: `running_tasks needs parameter "count" (number of running tasks)`}},
		},
		{
			name:   "count as a string",
			kind:   "running_tasks",
			params: map[string]any{"service": "sleep-app", "count": "7"},
			want:   []ParamError{{Path: "count", Msg: `expected a whole number, got the string "7"`}},
		},
		{
			name:   "count as a fraction",
			kind:   "managers",
			params: map[string]any{"count": 2.5},
			want:   []ParamError{{Path: "count", Msg: `expected a whole number, got the number 2.5`}},
		},
		{
			name:   "negative count",
			kind:   "nodes_ready",
			params: map[string]any{"count": int64(-1)},
			want:   []ParamError{{Path: "count", Msg: `must be at least 0, got -1`}},
		},
		{
			name:   "zero min_nodes",
			kind:   "service_spread",
			params: map[string]any{"service": "sleep-app", "min_nodes": uint64(0)},
			want:   []ParamError{{Path: "min_nodes", Msg: `must be at least 1, got 0`}},
		},
		{
			name:   "unknown parameters, all named",
			kind:   "running_tasks",
			params: map[string]any{"service": "sleep-app", "count": uint64(7), "replicas": uint64(7), "node": "node1"},
			want: []ParamError{
				{Path: "node", Msg: `unknown parameter "node" for running_tasks (takes: service, count, on?)`, UnknownParam: true},
				{Path: "replicas", Msg: `unknown parameter "replicas" for running_tasks (takes: service, count, on?)`, UnknownParam: true},
			},
		},
		{
			name:   "number in args",
			kind:   "service_exists",
			params: map[string]any{"service": "sleep-app", "args": []any{"sleep", uint64(100)}},
			want:   []ParamError{{Path: "args[1]", Msg: `expected a string, got the number 100; quote it: "100"`}},
		},
		{
			name:   "args not a list",
			kind:   "standalone_container",
			params: map[string]any{"node": "node1", "image": "ubuntu", "args": "sleep infinity"},
			want:   []ParamError{{Path: "args", Msg: `expected a list of strings, got the string "sleep infinity"`}},
		},
		{
			name:   "bad enum",
			kind:   "node_role",
			params: map[string]any{"node": "node2", "role": "leader"},
			want:   []ParamError{{Path: "role", Msg: `"leader" is not one of manager, worker`}},
		},
		{
			name:   "balanced as a string",
			kind:   "service_spread",
			params: map[string]any{"service": "sleep-app", "min_nodes": uint64(3), "balanced": "yes please"},
			want:   []ParamError{{Path: "balanced", Msg: `expected true or false, got the string "yes please"`}},
		},
		{
			name:   "empty on",
			kind:   "running_tasks",
			params: map[string]any{"service": "sleep-app", "count": uint64(4), "on": []any{}},
			want:   []ParamError{{Path: "on", Msg: `must list at least one node`}},
		},
		{
			name:   "empty service name",
			kind:   "service_absent",
			params: map[string]any{"service": " "},
			want:   []ParamError{{Path: "service", Msg: `must not be empty`}},
		},
		{
			name: "nested parts report their own paths",
			kind: "all_of",
			params: map[string]any{"checks": []any{
				map[string]any{"kind": "nodes_ready", "count": "three"},
				map[string]any{"count": uint64(3)},
				"nodes_ready",
				map[string]any{"kind": "all_of", "checks": []any{map[string]any{"kind": "node_rol"}}},
			}},
			want: []ParamError{
				{Path: "checks[0].count", Msg: `expected a whole number, got the string "three"`},
				{Path: "checks[1]", Msg: `missing check kind (known: all_of, leader_elected, managers, no_standalone_container, no_tasks_on_node, node_availability, node_role, node_status, nodes_ready, not_in_swarm, running_tasks, service_absent, service_exists, service_spread, standalone_container, swarm_leader)`},
				{Path: "checks[2]", Msg: `expected a check (a mapping with kind and its parameters), got the string "nodes_ready"`},
				{Path: "checks[3].checks[0].kind", Msg: `unknown check kind "node_rol" (known: all_of, leader_elected, managers, no_standalone_container, no_tasks_on_node, node_availability, node_role, node_status, nodes_ready, not_in_swarm, running_tasks, service_absent, service_exists, service_spread, standalone_container, swarm_leader); did you mean "node_role"?`},
			},
		},
		{
			name:   "empty all_of",
			kind:   "all_of",
			params: map[string]any{"checks": []any{}},
			want:   []ParamError{{Path: "checks", Msg: `must list at least one check`}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := New(tt.kind, tt.params)
			require.Error(t, err)
			assert.Nil(t, c)
			assert.Equal(t, tt.want, paramErrors(err))
		})
	}
}

// paramErrors flattens the joined errors New returns.
func paramErrors(err error) []ParamError {
	var out []ParamError
	var pe *ParamError
	if errors.As(err, &pe) && pe == err {
		return []ParamError{*pe}
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range j.Unwrap() {
			out = append(out, paramErrors(e)...)
		}
		return out
	}
	if errors.As(err, &pe) {
		out = append(out, *pe)
	}
	return out
}

func TestNewAcceptsDecodedNumbers(t *testing.T) {
	for _, n := range []any{int(3), int64(3), uint64(3), float64(3)} {
		t.Run(fmt.Sprintf("%T", n), func(t *testing.T) {
			c, err := New("managers", map[string]any{"count": n})
			require.NoError(t, err)
			assert.Equal(t, "3 ready managers", c.Describe())
		})
	}
}

// TestNodeRefs lists the parameters a lab loader checks against its nodes,
// nested parts included.
func TestNodeRefs(t *testing.T) {
	var s Spec
	res := strictyaml.Decode(parseYAML(t, "kind: all_of\nchecks:\n  - kind: running_tasks\n    service: web\n    count: 2\n    on: [node1, node3]\n  - kind: node_role\n    node: node2\n    role: worker\n"), &s)
	require.Empty(t, res.Errors)
	assert.Equal(t, []NodeRef{{Path: "checks[0].on[0]", Name: "node1"}, {Path: "checks[0].on[1]", Name: "node3"}, {Path: "checks[1].node", Name: "node2"}}, s.NodeRefs())
	assert.Equal(t, "2 running tasks of web, all on node1, node3; node2 is a worker", s.Check().Describe())
}

func parseYAML(t testing.TB, src string) ast.Node {
	t.Helper()
	f, err := parser.ParseBytes([]byte(src), 0)
	require.NoError(t, err)
	return f.Docs[0].Body
}

func TestParamErrorMessage(t *testing.T) {
	_, err := New("running_tasks", map[string]any{"service": "sleep-app", "count": "7"})
	assert.EqualError(t, err, `count: expected a whole number, got the string "7"`)
}
