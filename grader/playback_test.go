package grader

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/labcheck/labcheck/grader/lab"
	"github.com/labcheck/labcheck/grader/report"
)

// recordedReport is the report the recorded run produced on a real cluster.
func recordedReport(t *testing.T, name string) *report.Report {
	t.Helper()
	f, err := os.Open(filepath.Join("report", "testdata", "recorded", name+".json"))
	require.NoError(t, err)
	defer f.Close()
	rep, err := report.ReadJSON(f)
	require.NoError(t, err)
	return rep
}

// TestPlaybackOfRecordedRuns replays real runs through the grader against a
// fake cluster that answers as the real one did: the grader must make the
// same calls in the same order and reach the same verdicts, in
// milliseconds. A change to what the grader runs or when it looks shows up
// here as the first call that differs.
func TestPlaybackOfRecordedRuns(t *testing.T) {
	orch := orchestration(t)
	ha, err := lab.Get("ha")
	require.NoError(t, err)
	tests := []struct {
		name string
		run  func(Options) (*report.Report, error)
	}{
		{"reference", func(o Options) (*report.Report, error) { return RunReference(context.Background(), orch, o) }},
		{"ha", func(o Options) (*report.Report, error) { return RunReference(context.Background(), ha, o) }},
		{"student", func(o Options) (*report.Report, error) {
			return GradeFile(context.Background(), orch, "../testdata/submissions/typo-fabricated.txt", "", o, ReplayLimits{})
		}},
		{"full-lab-pwd", func(o Options) (*report.Report, error) {
			return GradeFile(context.Background(), orch, "../testdata/submissions/full-lab-pwd.txt", "", o, ReplayLimits{})
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := playback(t, tt.name)
			want := recordedReport(t, tt.name)
			got, err := tt.run(Options{Start: f.start, Version: "record"})
			require.NoError(t, err)
			f.exhausted(t)
			assert.True(t, f.closed)

			assert.Equal(t, want.Score, got.Score)
			assert.Equal(t, itemVerdicts(want), itemVerdicts(got))
			assert.Equal(t, commandShape(want), commandShape(got), "steps, command numbering, outcomes and observations")
			assert.Equal(t, want.Warnings, got.Warnings)
		})
	}
}

func itemVerdicts(r *report.Report) []string {
	var out []string
	for _, it := range r.Items {
		out = append(out, it.ID+" "+string(it.Status)+" "+it.Reason)
	}
	return out
}

func commandShape(r *report.Report) []string {
	var out []string
	for _, s := range r.Steps {
		out = append(out, "step "+s.ID+" "+string(s.Status()))
		for _, c := range s.Commands {
			shape := []any{c.Index, c.Kind, c.Node, c.Line, c.Text, c.Outcome, c.ExitCode, len(c.Observations)}
			for _, o := range c.Observations {
				shape = append(shape, o.Index, o.Status)
			}
			out = append(out, fmtShape(shape))
		}
	}
	return out
}

func fmtShape(parts []any) string {
	s := ""
	for _, p := range parts {
		s += " " + anyString(p)
	}
	return s
}

func anyString(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case report.Outcome:
		return string(x)
	case report.Status:
		return string(x)
	case report.CommandKind:
		return string(x)
	case int:
		return itoa(x)
	}
	return "?"
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	neg := n < 0
	if neg {
		n = -n
	}
	var b []byte
	for n > 0 {
		b = append([]byte{byte('0' + n%10)}, b...)
		n /= 10
	}
	if neg {
		b = append([]byte{'-'}, b...)
	}
	return string(b)
}
