package grader

import (
	"sort"
	"strings"

	"github.com/labcheck/labcheck/grader/submission"
)

// waitingVerbs are the docker commands that wait on the CLI's convergence
// monitor (5 s of stability per command) unless detached.
var waitingVerbs = map[string]bool{
	"service create": true, "service update": true, "service scale": true, "service rollback": true,
}

// detach adds --detach right after the command path of every docker
// command in line that would otherwise wait on the convergence monitor:
// labcheck waits for the swarm itself. A command that already says -d or
// --detach[=x] is left as the student wrote it.
func detach(line string) string {
	a := submission.Analyze(line)
	var at []int
	for _, calls := range [][]*submission.DockerCall{a.Calls, a.Substituted} {
		for _, c := range calls {
			if _, detached := c.Flag("-d", "--detach"); waitingVerbs[c.Path] && !detached {
				at = append(at, c.PathEnd)
			}
		}
	}
	if len(at) == 0 {
		return line
	}
	sort.Ints(at)
	var b strings.Builder
	pos := 0
	for _, i := range at {
		b.WriteString(line[pos:i])
		b.WriteString(" --detach")
		pos = i
	}
	b.WriteString(line[pos:])
	return b.String()
}
