package lab

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// miniWithStep is testdata/valid-mini.yaml with a step: line (at line 30)
// on its second rubric item.
func miniWithStep(t *testing.T, line string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "valid-mini.yaml"))
	require.NoError(t, err)
	s := strings.Replace(string(data), "    after: leader\n", "    after: leader\n"+line+"\n", 1)
	require.NotEqual(t, string(data), s)
	return []byte(s)
}

func TestParseItemStep(t *testing.T) {
	tests := []struct {
		name    string
		line    string
		want    string
		wantErr string
	}{
		{name: "known step", line: "    step: join", want: "join"},
		{name: "unknown step", line: "    step: joins", wantErr: `mini.yaml:30:11: rubric[1].step: no step "joins" (steps: init, join)`},
		{name: "not text", line: "    step: [join]", wantErr: `mini.yaml:30:11: rubric[1].step: expected text, got a list`},
		{name: "misspelt field", line: "    stpe: join", wantErr: `mini.yaml:30:5: rubric[1].stpe: unknown field in a rubric item (fields: id, title, points, when, after, step, hint, check); did you mean "step"?`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, err := Parse("mini.yaml", miniWithStep(t, tt.line))
			if tt.wantErr != "" {
				assert.EqualError(t, err, tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, l.Rubric[1].Step)
			assert.Empty(t, l.Rubric[0].Step, "step is optional")
		})
	}
}

func TestItemsForStep(t *testing.T) {
	tests := []struct {
		name, lab, step string
		want            []string
	}{
		{name: "one item", lab: "orchestration", step: "scale-up", want: []string{"scaled-up"}},
		{name: "two items", lab: "ha", step: "observe", want: []string{"new-leader", "tasks-rescheduled"}},
		{name: "a step with no item of its own", lab: "ha", step: "swarm-init"},
		{name: "unknown step", lab: "orchestration", step: "scale"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, err := Get(tt.lab)
			require.NoError(t, err)
			var got []string
			for _, it := range l.ItemsForStep(tt.step) {
				got = append(got, it.ID)
			}
			assert.Equal(t, tt.want, got)
		})
	}
}

// Students check one step at a time with labcheck verify --step; each
// orchestration step grades exactly one item.
func TestOrchestrationItemSteps(t *testing.T) {
	l, err := Get("orchestration")
	require.NoError(t, err)
	got := map[string]string{}
	for _, it := range l.Rubric {
		got[it.ID] = it.Step
	}
	assert.Equal(t, map[string]string{
		"standalone":      "standalone",
		"swarm-init":      "swarm-init",
		"workers-joined":  "join",
		"service-created": "service-create",
		"scaled-up":       "scale-up",
		"scaled-down":     "scale-down",
		"drained":         "drain",
		"cleanup":         "cleanup",
	}, got)
	assert.Equal(t, []string{"standalone", "swarm-init", "join", "service-create", "scale-up", "scale-down", "drain", "cleanup"}, l.StepIDs())
}
