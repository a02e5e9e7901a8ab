package checks

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// exampleParams decodes a kind's documented example the way a lab loader
// does, so the examples in the docs are known to build.
func exampleParams(t testing.TB, k Kind) map[string]any {
	t.Helper()
	var m map[string]any
	require.NoError(t, yaml.Unmarshal([]byte(k.Example), &m), k.Name)
	return m
}

func TestKinds(t *testing.T) {
	want := []string{
		"all_of", "leader_elected", "managers", "no_standalone_container", "no_tasks_on_node",
		"node_availability", "node_role", "node_status", "nodes_ready", "not_in_swarm",
		"running_tasks", "service_absent", "service_exists", "service_spread",
		"standalone_container", "swarm_leader",
	}
	var names []string
	for _, k := range Kinds() {
		names = append(names, k.Name)
	}
	assert.Equal(t, want, names, "Kinds is sorted and complete")
	assert.True(t, sort.StringsAreSorted(KindNames()))

	for _, k := range Kinds() {
		t.Run(k.Name, func(t *testing.T) {
			assert.NotEmpty(t, k.Doc)
			params := exampleParams(t, k)
			assert.Equal(t, k.Name, params["kind"], "the example names its own kind")
			c, err := New(k.Name, params)
			require.NoError(t, err)
			assert.NotEmpty(t, c.Describe())
			for _, p := range k.Params {
				assert.NotEmpty(t, p.Doc, p.Name)
				assert.NotEmpty(t, p.Type, p.Name)
			}
		})
	}
}

// TestKindsGolden keeps the reference an instructor reads in one reviewed
// file; `labcheck lab check` and the docs render the same data.
func TestKindsGolden(t *testing.T) {
	var b strings.Builder
	for _, k := range Kinds() {
		fmt.Fprintf(&b, "## %s\n%s\n", k.Name, k.Doc)
		for _, p := range k.Params {
			req := "optional"
			if p.Required {
				req = "required"
			}
			fmt.Fprintf(&b, "- %s (%s, %s): %s\n", p.Name, p.Type, req, p.Doc)
		}
		fmt.Fprintf(&b, "example:\n%s\n\n", indent(k.Example))
	}
	golden(t, "kinds.md", b.String())
}

func indent(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for i, l := range lines {
		lines[i] = "    " + l
	}
	return strings.Join(lines, "\n")
}
