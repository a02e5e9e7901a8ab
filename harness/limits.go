package harness

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// innerLimitsEnv passes the lab containers' shared budget to the node
// entrypoint, which puts it on the cgroup the inner dockerd uses as parent.
func innerLimitsEnv(o Options) map[string]string {
	env := map[string]string{}
	if o.InnerPids > 0 {
		env["LABCHECK_INNER_PIDS"] = strconv.FormatInt(o.InnerPids, 10)
	}
	if o.InnerMemory > 0 {
		env["LABCHECK_INNER_MEMORY"] = strconv.FormatInt(o.InnerMemory, 10)
	}
	if o.InnerCPUs > 0 {
		env["LABCHECK_INNER_CPU_QUOTA"] = strconv.Itoa(int(o.InnerCPUs * 100000))
	}
	return env
}

// Limits are the bounds lab containers run under on each node.
type Limits struct {
	Pids   int64   `json:"pids"`
	Memory int64   `json:"memory"`
	CPUs   float64 `json:"cpus"`
}

// InnerLimits returns the budget all lab containers of one node share.
func (c *Cluster) InnerLimits() Limits {
	return Limits{Pids: c.opts.InnerPids, Memory: c.opts.InnerMemory, CPUs: c.opts.InnerCPUs}
}

// LimitHits counts how a node's lab containers ran into their shared
// budget: the most processes they ever had against the limit, forks
// refused (counted by the containers still there), and processes killed
// for memory.
type LimitHits struct {
	PidsPeak    int `json:"pidsPeak"`
	PidsMax     int `json:"pidsMax"`
	PidsRefused int `json:"pidsRefused"`
	OOMKills    int `json:"oomKills"`
}

// AtPidsLimit reports whether the lab containers reached their process limit.
func (h LimitHits) AtPidsLimit() bool {
	return h.PidsRefused > 0 || (h.PidsMax > 0 && h.PidsPeak >= h.PidsMax)
}

// innerCgroupFiles are the lab containers' cgroup counters for cgroup v1
// and v2; files that do not exist are skipped. A refused fork is counted
// in the forking container's own cgroup, hence the per-container files.
var innerCgroupFiles = []string{
	"/sys/fs/cgroup/pids/labcheck-inner/pids.max",
	"/sys/fs/cgroup/pids/labcheck-inner/pids.peak",
	"/sys/fs/cgroup/pids/labcheck-inner/*/pids.events",
	"/sys/fs/cgroup/memory/labcheck-inner/memory.oom_control",
	"/sys/fs/cgroup/labcheck-inner/pids.max",
	"/sys/fs/cgroup/labcheck-inner/pids.peak",
	"/sys/fs/cgroup/labcheck-inner/*/pids.events",
	"/sys/fs/cgroup/labcheck-inner/memory.events",
}

// InnerLimitHits reads a node's counters of limit hits. A read that
// timed out, failed or gave counters it cannot parse is an error, not
// zero hits: the grader says it could not look.
func (c *Cluster) InnerLimitHits(ctx context.Context, node string) (LimitHits, error) {
	script := "for f in " + strings.Join(innerCgroupFiles, " ") + `; do [ -r "$f" ] && sed "s|^|$f |" "$f"; done; true`
	res, err := c.Shell(ctx, node, script, ExecOptions{})
	if err != nil {
		return LimitHits{}, fmt.Errorf("read limit counters on %s: %w", node, err)
	}
	h, err := limitHitsFrom(res)
	if err != nil {
		return LimitHits{}, fmt.Errorf("read limit counters on %s: %w", node, err)
	}
	return h, nil
}

func limitHitsFrom(res ExecResult) (LimitHits, error) {
	switch {
	case res.TimedOut:
		return LimitHits{}, fmt.Errorf("no answer within %s", res.Duration.Round(time.Millisecond))
	case res.ExitCode != 0:
		return LimitHits{}, fmt.Errorf("exit code %d: %s", res.ExitCode, strings.TrimSpace(lastLines(res.Stderr, 3)))
	case res.StdoutTruncated:
		return LimitHits{}, errors.New("counters cut short")
	}
	return parseLimitHits(res.Stdout)
}

func parseLimitHits(out string) (LimitHits, error) {
	var h LimitHits
	var bad []string
	count := func(file, s string) int {
		n, err := strconv.Atoi(s)
		if err != nil {
			bad = append(bad, file+" "+strconv.Quote(s))
		}
		return n
	}
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		switch {
		case len(f) == 2 && strings.HasSuffix(f[0], "/pids.max"):
			if f[1] != "max" { // "max" is no limit: PidsMax stays 0
				h.PidsMax = count(f[0], f[1])
			}
		case len(f) == 2 && strings.HasSuffix(f[0], "/pids.peak"):
			h.PidsPeak = count(f[0], f[1])
		case len(f) == 3 && strings.HasSuffix(f[0], "/pids.events") && f[1] == "max":
			h.PidsRefused += count(f[0], f[2])
		case len(f) == 3 && f[1] == "oom_kill":
			h.OOMKills += count(f[0], f[2])
		}
	}
	if len(bad) > 0 {
		return h, fmt.Errorf("counters that are not numbers: %s", strings.Join(bad, ", "))
	}
	return h, nil
}
