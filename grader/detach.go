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
//
// It also adds --no-resolve-image to a `service create`, and to a `service
// update` that changes the image: the CLI would first ask the image's
// registry for a digest, which in labcheck's offline nodes can only fail
// after a DNS round trip, and the nodes hold every lab image already.
func detach(line string) string {
	a := submission.Analyze(line)
	type insert struct {
		at   int
		flag string
	}
	var ins []insert
	for _, calls := range [][]*submission.DockerCall{a.Calls, a.Substituted} {
		for _, c := range calls {
			if _, detached := c.Flag("-d", "--detach"); waitingVerbs[c.Path] && !detached {
				ins = append(ins, insert{c.PathEnd, " --detach"})
			}
			if resolvesImage(c) {
				ins = append(ins, insert{c.PathEnd, " --no-resolve-image"})
			}
		}
	}
	if len(ins) == 0 {
		return line
	}
	sort.SliceStable(ins, func(i, j int) bool { return ins[i].at < ins[j].at })
	var b strings.Builder
	pos := 0
	for _, in := range ins {
		b.WriteString(line[pos:in.at])
		b.WriteString(in.flag)
		pos = in.at
	}
	b.WriteString(line[pos:])
	return b.String()
}

// resolvesImage reports whether the CLI would look the call's image up in
// its registry before sending it to the manager, and no flag of the
// student's already decides that.
func resolvesImage(c *submission.DockerCall) bool {
	if _, set := c.Flag("--no-resolve-image"); set {
		return false
	}
	switch c.Path {
	case "service create":
		return true
	case "service update":
		_, image := c.Flag("--image")
		return image
	}
	return false
}
