package grader

import (
	"fmt"
	"sort"

	"github.com/labcheck/labcheck/grader/submission"
	"github.com/labcheck/labcheck/harness"
)

// Terminals pasted one after another lose their real order: node2's whole
// terminal, with its `docker swarm join`, may come before node1's `docker
// swarm init`. Only the order within one terminal is reliable, so the
// replay takes commands terminal by terminal in document order, except
// that a command whose precondition the other terminals have not met yet
// waits for them:
//   - `docker swarm join` waits until some node runs a swarm, while another
//     terminal still has a `docker swarm init` to come;
//   - `docker swarm leave` waits until the other terminals have nothing left
//     but leaves: leaving ends a node's part in the lab.
// A transcript in the right order replays exactly in document order.

type scheduler struct {
	queues [][]queued // one per terminal, in order of first line
}

// queued is a command with the swarm verb the scheduler orders it by:
// "swarm join", "swarm init", "swarm leave" or "".
type queued struct {
	submission.Command
	verb string
}

// swarmVerb reads the verb from the command's docker calls. A line that
// both leaves and joins (a node rejoining) is a join: it needs a swarm to
// join rather than an end to the others' work.
func swarmVerb(c submission.Command) string {
	a := c.Analysis()
	for _, v := range []string{"swarm join", "swarm init", "swarm leave"} {
		if a.Runs(v) {
			return v
		}
	}
	return ""
}

func newScheduler(cmds []submission.Command) *scheduler {
	byTerm := map[int][]queued{}
	var terms []int
	for _, c := range cmds {
		if _, ok := byTerm[c.Terminal]; !ok {
			terms = append(terms, c.Terminal)
		}
		byTerm[c.Terminal] = append(byTerm[c.Terminal], queued{c, swarmVerb(c)})
	}
	s := &scheduler{}
	for _, t := range terms {
		s.queues = append(s.queues, byTerm[t])
	}
	return s
}

func (s *scheduler) remaining() int {
	n := 0
	for _, q := range s.queues {
		n += len(q)
	}
	return n
}

// next picks the next command given the cluster's last state, and says why
// when it is not the next one in document order.
func (s *scheduler) next(st *harness.State) (submission.Command, string, bool) {
	heads := s.headsByLine()
	if len(heads) == 0 {
		return submission.Command{}, "", false
	}
	pick := heads[0]
	for _, qi := range heads {
		if s.ready(qi, st) {
			pick = qi
			break
		}
	}
	c := s.queues[pick][0].Command
	s.queues[pick] = s.queues[pick][1:]
	why := ""
	if first := heads[0]; pick != first {
		waiting := s.queues[first][0]
		why = fmt.Sprintf("line %d (%s$ %s) was replayed before line %d (%s$ %s), which waits for the other terminals: %s",
			c.Line, c.Node, firstLine(c.Text), waiting.Line, waiting.Node, firstLine(waiting.Text), waitReason(waiting))
	}
	return c, why, true
}

func waitReason(c queued) string {
	if c.verb == "swarm join" {
		return "a join needs the swarm another terminal's `docker swarm init` creates (terminals pasted one after another lose their real order)"
	}
	return "a node leaves the swarm after the other terminals are done with it (terminals pasted one after another lose their real order)"
}

// headsByLine returns the indexes of non-empty queues, earliest head first.
func (s *scheduler) headsByLine() []int {
	var heads []int
	for i, q := range s.queues {
		if len(q) > 0 {
			heads = append(heads, i)
		}
	}
	sort.SliceStable(heads, func(a, b int) bool { return s.queues[heads[a]][0].Line < s.queues[heads[b]][0].Line })
	return heads
}

func (s *scheduler) ready(qi int, st *harness.State) bool {
	c := s.queues[qi][0]
	switch c.verb {
	case "swarm join":
		return swarmExists(st) || !s.othersHave(qi, func(v string) bool { return v == "swarm init" })
	case "swarm leave":
		return !s.othersHave(qi, func(v string) bool { return v != "swarm leave" })
	}
	return true
}

func (s *scheduler) othersHave(qi int, match func(string) bool) bool {
	for i, q := range s.queues {
		if i == qi {
			continue
		}
		for _, c := range q {
			if match(c.verb) {
				return true
			}
		}
	}
	return false
}

func swarmExists(st *harness.State) bool {
	if st == nil {
		return false
	}
	for _, n := range st.Nodes {
		if n.Swarm.ControlAvailable {
			return true
		}
	}
	return false
}
