package checks

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/labcheck/labcheck/harness"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata/")

// loadState reads a recorded cluster state from testdata/states.
func loadState(t testing.TB, name string) *harness.State {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "states", name+".json"))
	require.NoError(t, err)
	var s harness.State
	require.NoError(t, json.Unmarshal(data, &s))
	return &s
}

// mustNew builds a check or stops the test.
func mustNew(t testing.TB, kind string, params map[string]any) Check {
	t.Helper()
	c, err := New(kind, params)
	require.NoError(t, err)
	return c
}

// evalCase is one row of the per-kind tables: a check over a recorded
// state, its verdict and, where the wording matters, the exact reason.
type evalCase struct {
	name     string
	state    string
	params   map[string]any
	want     Status
	reason   string // compared exactly when set
	evidence string // compared exactly when set
}

func runEval(t *testing.T, kind string, tests []evalCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := mustNew(t, kind, tt.params)
			got := c.Evaluate(loadState(t, tt.state))
			assert.Equal(t, tt.want, got.Status, "reason: %s", got.Reason)
			if tt.reason != "" {
				assert.Equal(t, tt.reason, got.Reason)
			}
			if tt.evidence != "" {
				assert.Equal(t, tt.evidence, got.Evidence)
			}
			if got.Status != Pass {
				assert.NotEmpty(t, got.Reason, "a fail or error must say why")
			}
			assert.NotEmpty(t, c.Describe())
		})
	}
}

// golden compares got with testdata/<name>, rewriting it under -update.
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
