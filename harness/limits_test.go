package harness

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseLimitHits(t *testing.T) {
	v1 := "/sys/fs/cgroup/pids/labcheck-inner/pids.max 2048\n" +
		"/sys/fs/cgroup/pids/labcheck-inner/pids.peak 2048\n" +
		"/sys/fs/cgroup/pids/labcheck-inner/0123abcd/pids.events max 1281\n" +
		"/sys/fs/cgroup/memory/labcheck-inner/memory.oom_control oom_kill_disable 0\n" +
		"/sys/fs/cgroup/memory/labcheck-inner/memory.oom_control oom_kill 2\n"
	h, err := parseLimitHits(v1)
	require.NoError(t, err)
	assert.Equal(t, LimitHits{PidsPeak: 2048, PidsMax: 2048, PidsRefused: 1281, OOMKills: 2}, h)
	assert.True(t, h.AtPidsLimit())

	v2 := "/sys/fs/cgroup/labcheck-inner/pids.max max\n" +
		"/sys/fs/cgroup/labcheck-inner/pids.peak 12\n" +
		"/sys/fs/cgroup/labcheck-inner/memory.events max 40\n" +
		"/sys/fs/cgroup/labcheck-inner/memory.events oom_kill 1\n"
	h, err = parseLimitHits(v2)
	require.NoError(t, err, "pids.max \"max\" means no limit")
	assert.Equal(t, LimitHits{PidsPeak: 12, OOMKills: 1}, h, "memory.events max is not a process limit hit")
	assert.False(t, h.AtPidsLimit(), "no process limit set")

	gone := "/sys/fs/cgroup/pids/labcheck-inner/pids.max 2048\n/sys/fs/cgroup/pids/labcheck-inner/pids.peak 2048\n"
	h, err = parseLimitHits(gone)
	require.NoError(t, err)
	assert.True(t, h.AtPidsLimit(), "the peak remembers a fork bomb whose container is gone")
	h, err = parseLimitHits("")
	require.NoError(t, err)
	assert.Equal(t, LimitHits{}, h)
}

// A read of the counters that went wrong is an error, never "no hits":
// otherwise a fork bomb that also broke the read would go unreported.
func TestLimitHitsFromBadReads(t *testing.T) {
	tests := []struct {
		name string
		res  ExecResult
		says string
	}{
		{name: "timed out", res: ExecResult{TimedOut: true, ExitCode: -1, Duration: 30 * time.Second}, says: "no answer within 30s"},
		{name: "shell failed", res: ExecResult{ExitCode: 126, Stderr: "sh: fork: Resource temporarily unavailable\n"}, says: "exit code 126: sh: fork: Resource temporarily unavailable"},
		{name: "cut short", res: ExecResult{Stdout: "/sys/fs/cgroup/pids/labcheck-inner/pids.max 2048\n", StdoutTruncated: true}, says: "cut short"},
		{name: "not a number", res: ExecResult{Stdout: "/sys/fs/cgroup/pids/labcheck-inner/pids.peak 20x\n" +
			"/sys/fs/cgroup/labcheck-inner/memory.events oom_kill ?\n"},
			says: `not numbers: /sys/fs/cgroup/pids/labcheck-inner/pids.peak "20x", /sys/fs/cgroup/labcheck-inner/memory.events "?"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := limitHitsFrom(tt.res)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.says)
		})
	}
	h, err := limitHitsFrom(ExecResult{Stdout: "/sys/fs/cgroup/labcheck-inner/pids.peak 3\n"})
	require.NoError(t, err)
	assert.Equal(t, LimitHits{PidsPeak: 3}, h)
}

func TestInnerLimitsEnv(t *testing.T) {
	env := innerLimitsEnv(Options{InnerPids: 2048, InnerMemory: 1 << 30, InnerCPUs: 1.5})
	assert.Equal(t, map[string]string{
		"LABCHECK_INNER_PIDS":      "2048",
		"LABCHECK_INNER_MEMORY":    "1073741824",
		"LABCHECK_INNER_CPU_QUOTA": "150000",
	}, env)
}
