package submission

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestContinued(t *testing.T) {
	tests := []struct {
		text            string
		backslash, open bool
	}{
		{text: "docker ps"},
		{text: `docker service create \`, backslash: true},
		{text: `docker ps \\`},
		{text: "docker run ubuntu sh -c 'echo", open: true},
		{text: "docker ps &&", open: true},
		{text: "docker kill $(docker ps -q", open: true},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			b, o := continued(tt.text)
			assert.Equal(t, tt.backslash, b)
			assert.Equal(t, tt.open, o)
		})
	}
}

func TestJoinContinuation(t *testing.T) {
	assert.Equal(t, "docker service create --name x", joinContinuation(`docker service create \`, "    --name x", true))
	assert.Equal(t, "docker service create --name x", joinContinuation(`docker service create\`, " --name x", true))
	assert.Equal(t, "sleep-app", joinContinuation(`sleep-\`, "app", true))
	assert.Equal(t, "echo 'a\nb'", joinContinuation("echo 'a", "b'", false))
}

func TestIgnorable(t *testing.T) {
	for _, s := range []string{"clear", "ls -la", "sleep 10", "set -euo pipefail", "hostname -i", "exit", "cd /tmp"} {
		assert.True(t, ignorable(s), s)
	}
	for _, s := range []string{"docker ps", "hostname evil", "ls > x", "sleep 10 &", "clear; rm -rf /", "set x", "rm -rf /"} {
		assert.False(t, ignorable(s), s)
	}
}

func TestLineRanges(t *testing.T) {
	assert.Equal(t, "1-3, 7, 9-10", lineRanges([]int{1, 2, 3, 7, 9, 10}))
	assert.Equal(t, "line 4", linesWord([]int{4}))
	assert.Equal(t, "lines 4-5", linesWord([]int{4, 5}))
}
