package grader

import (
	"context"
	"fmt"
	"strings"

	"github.com/labcheck/labcheck/grader/submission"
	"github.com/labcheck/labcheck/harness"
)

// limitHits reads a node's counters of lab containers running into their
// budget and says what is new since the last look; "" when nothing is.
func (s *session) limitHits(ctx context.Context, node string) string {
	now, err := s.cluster.InnerLimitHits(ctx, node)
	if err != nil {
		if ctx.Err() == nil {
			s.note("reading the limit counters of %s: %v (a limit hit there may be unreported)", node, err)
		}
		return ""
	}
	if s.hits == nil {
		s.hits = map[string]harness.LimitHits{}
	}
	before := s.hits[node]
	s.hits[node] = now
	lim := s.cluster.InnerLimits()
	var said []string
	if now.AtPidsLimit() && (!before.AtPidsLimit() || now.PidsRefused > before.PidsRefused) {
		said = append(said, fmt.Sprintf("the lab containers on %s reached their limit of %d processes (forks were refused)", node, lim.Pids))
	}
	if n := now.OOMKills - before.OOMKills; n > 0 {
		said = append(said, fmt.Sprintf("%d process(es) in lab containers on %s were killed for going over their %s memory budget", n, node, bytesText(lim.Memory)))
	}
	return strings.Join(said, "; ")
}

// describeLimits states every limit a replay runs under, for the report.
func (s *session) describeLimits(limits ReplayLimits) string {
	lim := s.cluster.InnerLimits()
	return fmt.Sprintf("limits: %s per command, %s per replay, %s of output kept per command, %d commands per submission; "+
		"lab containers on each node share %d processes, %s of memory and %.1f CPU",
		s.opts.CommandTimeout, limits.Total, bytesText(int64(s.opts.OutputCap)), submission.DefaultMaxCommands,
		lim.Pids, bytesText(lim.Memory), lim.CPUs)
}

func bytesText(n int64) string {
	switch {
	case n >= 1<<30:
		return strings.TrimSuffix(fmt.Sprintf("%.1f", float64(n)/(1<<30)), ".0") + " GiB"
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
