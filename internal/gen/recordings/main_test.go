package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/labcheck/labcheck/grader/submission"
)

// TestCommittedRecordingsAreGenerated makes every recording again and
// checks that labcheck reads the same session from it as from the
// committed file: the pseudo-terminal may group output into other events,
// but what the screen showed must not differ.
func TestCommittedRecordingsAreGenerated(t *testing.T) {
	for _, tool := range []string{"bash", "script", "clear", "hostname", "cat", "sh", "printf"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatalf("the recording generator needs %s: %v", tool, err)
			}
			t.Skipf("the recording generator needs %s", tool)
		}
	}
	out := t.TempDir()
	require.NoError(t, run(out, ""))
	opts := submission.Options{Nodes: []string{"node1", "node2", "node3"}}
	for _, r := range recordings {
		t.Run(r.file, func(t *testing.T) {
			committed, err := os.ReadFile(filepath.Join("..", "..", "..", "testdata", "submissions", r.file))
			require.NoError(t, err, "go run ./internal/gen/recordings writes it")
			fresh, err := os.ReadFile(filepath.Join(out, r.file))
			require.NoError(t, err)
			want, err := submission.Parse(r.file, committed, opts)
			require.NoError(t, err)
			got, err := submission.Parse(r.file, fresh, opts)
			require.NoError(t, err)
			assert.Equal(t, want.Format, got.Format)
			assert.Equal(t, sessionOf(want), sessionOf(got))
		})
	}
}

type ran struct {
	Line, Terminal     int
	Node, Text, Output string
}

func sessionOf(sub *submission.Submission) []ran {
	out := make([]ran, len(sub.Commands))
	for i, c := range sub.Commands {
		out[i] = ran{c.Line, c.Terminal, c.Node, c.Text, c.Output}
	}
	return out
}
