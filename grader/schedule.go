package grader

import (
	"fmt"
	"sort"
	"strings"

	"github.com/labcheck/labcheck/grader/submission"
	"github.com/labcheck/labcheck/harness"
)

// Terminals pasted one after another lose their real order: node2's whole
// terminal, with its `docker swarm join`, may come before node1's `docker
// swarm init`, or after node1's whole session. Only the order within one
// terminal is reliable, so the replay takes commands terminal by terminal
// in document order, except that:
//   - a `docker swarm join` whose token a recorded `swarm init` or
//     `join-token` output printed (in a history dump, which shows no
//     output, the session's one `swarm init`) waits for that command, and
//     when that command's terminal was pasted whole before the joiner's, is
//     replayed right after it, ahead of that terminal's later commands: the
//     workers were in the swarm when the student scaled and drained;
//   - any other `docker swarm join` waits until some node runs a swarm,
//     while another terminal still has a `docker swarm init` to come;
//   - `docker swarm leave` waits until the other terminals have nothing left
//     but leaves: leaving ends a node's part in the lab.
// A transcript in the right order replays exactly in document order.
// The replay may run a prefix of this order at once where nothing orders
// its commands (concurrent.go): it peeks at what next would hand out.

type scheduler struct {
	queues [][]queued // one per terminal, in order of first line
	// ran holds the ids of the commands already handed out, and last the
	// terminal and line of each, to tell whether a command was moved.
	ran  map[int]bool
	done []queued
}

// queued is a command with the swarm verb the scheduler orders it by:
// "swarm join", "swarm init", "swarm leave" or "".
type queued struct {
	submission.Command
	id   int
	verb string
	// after is the id of the command a join must follow (the one whose
	// output printed its token), -1 when none; pull says it is replayed
	// right after it, and why says why, for the report.
	after int
	pull  bool
	why   string
	// printed: after printed the join's token (else it is the session's
	// one init, in a submission that shows the token nowhere).
	printed bool
}

// scheduled is the next command to replay, and where it stands.
type scheduled struct {
	submission.Command
	// why says why it is not the next command in document order.
	why string
	// moved is true when the replay runs it on the other side of a command
	// from another terminal than the document does: a difference between
	// what the submission recorded and what the replay does may then be the
	// order, not the student.
	moved bool
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
	all := make([]queued, len(cmds))
	for i, c := range cmds {
		all[i] = queued{Command: c, id: i, verb: swarmVerb(c), after: -1}
	}
	for i := range all {
		if all[i].verb == "swarm join" {
			placeJoin(&all[i], all)
		}
	}
	byTerm := map[int][]queued{}
	var terms []int
	for _, q := range all {
		if _, ok := byTerm[q.Terminal]; !ok {
			terms = append(terms, q.Terminal)
		}
		byTerm[q.Terminal] = append(byTerm[q.Terminal], q)
	}
	s := &scheduler{ran: map[int]bool{}}
	for _, t := range terms {
		s.queues = append(s.queues, byTerm[t])
	}
	return s
}

// placeJoin finds the command a join follows: the first, in another
// terminal, whose recorded output printed the join's token; failing that,
// when the token was shown nowhere, the session's one `swarm init` if its
// output is missing too (a history dump). The join is pulled forward to
// right after it when that terminal was pasted whole before the joiner's:
// it goes on past the printer before the join's line, and its node has no
// later terminal that would show where the join fell.
func placeJoin(j *queued, all []queued) {
	token := j.Analysis().JoinToken()
	printer, how := -1, ""
	shown := false
	for _, c := range all {
		for _, tok := range c.PrintedTokens() {
			if tok != token || token == "" {
				continue
			}
			shown = true
			if c.Terminal != j.Terminal && printer < 0 {
				printer, how = c.id, "the join uses the token that command printed"
			}
		}
	}
	if printer < 0 && !shown {
		var inits []queued
		for _, c := range all {
			if c.verb == "swarm init" && c.Terminal != j.Terminal {
				inits = append(inits, c)
			}
		}
		if len(inits) == 1 && strings.TrimSpace(inits[0].Output) == "" {
			printer, how = inits[0].id, "the submission shows no output with the join's token, and that is the session's one `docker swarm init`"
		}
	}
	if printer < 0 {
		return
	}
	j.after, j.printed = printer, shown
	p := all[printer]
	if p.Line > j.Line {
		return // the join waits for it; nothing later in p's terminal comes first
	}
	between, laterElsewhere := false, false
	for _, c := range all {
		if c.Node != p.Node {
			continue
		}
		if c.Terminal == p.Terminal && c.Line > p.Line && c.Line < j.Line {
			between = true
		}
		if c.Terminal != p.Terminal && c.Line > j.Line {
			laterElsewhere = true
		}
	}
	if between && !laterElsewhere {
		j.pull = true
		j.why = fmt.Sprintf("%s, and %s's terminal, pasted whole before %s's, does not show when %s joined (terminals pasted one after another lose their real order)",
			how, p.Node, j.Node, j.Node)
	}
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
func (s *scheduler) next(st *harness.State) (scheduled, bool) {
	heads := s.headsByLine()
	if len(heads) == 0 {
		return scheduled{}, false
	}
	if qi, why, ok := s.pulled(st); ok {
		return s.take(qi, why), true
	}
	pick := heads[0]
	for _, qi := range heads {
		if s.ready(qi, st) {
			pick = qi
			break
		}
	}
	why := ""
	if first := heads[0]; pick != first {
		waiting := s.queues[first][0]
		c := s.queues[pick][0]
		why = fmt.Sprintf("line %d (%s$ %s) was replayed before line %d (%s$ %s), which waits for the other terminals: %s",
			c.Line, c.Node, firstLine(c.Text), waiting.Line, waiting.Node, firstLine(waiting.Text), waitReason(waiting))
	}
	return s.take(pick, why), true
}

// pulled finds a join due right after the command it follows, now that
// that command ran: the head of the join's terminal (the join, or a
// command before it in that terminal, which must go first).
func (s *scheduler) pulled(st *harness.State) (int, string, bool) {
	for qi, q := range s.queues {
		for _, j := range q {
			if !j.pull || !s.ran[j.after] {
				continue
			}
			if !s.ready(qi, st) {
				break
			}
			p := s.find(j.after)
			c := q[0]
			why := fmt.Sprintf("line %d (%s$ %s) was replayed right after line %d (%s$ %s), ahead of %s's later commands: %s",
				c.Line, c.Node, firstLine(c.Text), p.Line, p.Node, firstLine(p.Text), p.Node, j.why)
			if c.id != j.id {
				why = fmt.Sprintf("line %d (%s$ %s) was replayed right after line %d (%s$ %s), ahead of %s's later commands: it comes before %s's join (line %d) in its terminal, and the join is placed there because %s",
					c.Line, c.Node, firstLine(c.Text), p.Line, p.Node, firstLine(p.Text), p.Node, c.Node, j.Line, j.why)
			}
			return qi, why, true
		}
	}
	return 0, "", false
}

func (s *scheduler) find(id int) queued {
	for _, q := range s.done {
		if q.id == id {
			return q
		}
	}
	return queued{}
}

// take hands out the head of queue qi.
func (s *scheduler) take(qi int, why string) scheduled {
	c := s.queues[qi][0]
	s.queues[qi] = s.queues[qi][1:]
	moved := false
	for _, d := range s.done {
		moved = moved || (d.Terminal != c.Terminal && d.Line > c.Line)
	}
	for i, q := range s.queues {
		if i != qi && len(q) > 0 && q[0].Line < c.Line {
			moved = true
		}
	}
	s.ran[c.id] = true
	s.done = append(s.done, c)
	return scheduled{Command: c.Command, why: why, moved: moved}
}

// peek returns what next would hand out given st, without handing it out:
// the replay asks it whether the next command may join a batch that runs at
// once before the swarm is looked at again.
func (s *scheduler) peek(st *harness.State) (scheduled, bool) {
	c := &scheduler{
		queues: append([][]queued(nil), s.queues...),
		ran:    make(map[int]bool, len(s.ran)),
		done:   append([]queued(nil), s.done...),
	}
	for id := range s.ran {
		c.ran[id] = true
	}
	return c.next(st)
}

func waitReason(c queued) string {
	switch {
	case c.verb == "swarm join" && c.printed:
		return "a join follows the command that printed its token (terminals pasted one after another lose their real order)"
	case c.verb == "swarm join":
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
		if c.after >= 0 {
			return s.ran[c.after]
		}
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
