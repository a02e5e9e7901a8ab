package submission

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

var labNodes = []string{"node1", "node2", "node3"}

func labOptions() Options {
	return Options{Nodes: labNodes, DefaultNode: "node1"}
}

func mustParse(t testing.TB, src string, opts Options) *Submission {
	t.Helper()
	sub, err := Parse("jane.txt", []byte(src), opts)
	require.NoError(t, err)
	return sub
}

// brief writes commands one a line: "line node/terminal: text => output".
func brief(cmds []Command) []string {
	out := make([]string, len(cmds))
	for i, c := range cmds {
		s := fmt.Sprintf("%d %s/%d: %s", c.Line, c.Node, c.Terminal, c.Text)
		if c.Output != "" {
			s += " => " + strings.ReplaceAll(c.Output, "\n", "|")
		}
		out[i] = s
	}
	return out
}
