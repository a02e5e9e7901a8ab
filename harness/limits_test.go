package harness

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestParseLimitHits(t *testing.T) {
	v1 := "/sys/fs/cgroup/pids/labcheck-inner/pids.max 2048\n" +
		"/sys/fs/cgroup/pids/labcheck-inner/pids.peak 2048\n" +
		"/sys/fs/cgroup/pids/labcheck-inner/0123abcd/pids.events max 1281\n" +
		"/sys/fs/cgroup/memory/labcheck-inner/memory.oom_control oom_kill_disable 0\n" +
		"/sys/fs/cgroup/memory/labcheck-inner/memory.oom_control oom_kill 2\n"
	h := parseLimitHits(v1)
	assert.Equal(t, LimitHits{PidsPeak: 2048, PidsMax: 2048, PidsRefused: 1281, OOMKills: 2}, h)
	assert.True(t, h.AtPidsLimit())

	v2 := "/sys/fs/cgroup/labcheck-inner/pids.max max\n" +
		"/sys/fs/cgroup/labcheck-inner/pids.peak 12\n" +
		"/sys/fs/cgroup/labcheck-inner/memory.events max 40\n" +
		"/sys/fs/cgroup/labcheck-inner/memory.events oom_kill 1\n"
	h = parseLimitHits(v2)
	assert.Equal(t, LimitHits{PidsPeak: 12, OOMKills: 1}, h, "memory.events max is not a process limit hit")
	assert.False(t, h.AtPidsLimit(), "no process limit set")

	gone := "/sys/fs/cgroup/pids/labcheck-inner/pids.max 2048\n/sys/fs/cgroup/pids/labcheck-inner/pids.peak 2048\n"
	assert.True(t, parseLimitHits(gone).AtPidsLimit(), "the peak remembers a fork bomb whose container is gone")
	assert.Equal(t, LimitHits{}, parseLimitHits(""))
}

func TestInnerLimitsEnv(t *testing.T) {
	env := innerLimitsEnv(Options{InnerPids: 2048, InnerMemory: 1 << 30, InnerCPUs: 1.5})
	assert.Equal(t, map[string]string{
		"LABCHECK_INNER_PIDS":      "2048",
		"LABCHECK_INNER_MEMORY":    "1073741824",
		"LABCHECK_INNER_CPU_QUOTA": "150000",
	}, env)
}
