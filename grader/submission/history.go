package submission

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// A history dump is what `history` prints: "   12  docker node ls", with
// HISTTIMEFORMAT a time after the number ("  12  2024-05-02 10:11:12
// docker node ls"), and no outputs. Students paste one per node, under a
// `$ history` prompt or a heading naming the node ("node2:", "## node2").

var (
	historyTime = `(?:\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(?::\d{2})?|\d{1,2}/\d{1,2}/\d{2,4} \d{2}:\d{2}(?::\d{2})?|\d{2}:\d{2}(?::\d{2})?)`
	// historyEntry is a numbered line: bash marks an edited entry with '*'.
	historyEntry = regexp.MustCompile(`^\s*(\d{1,6})\*?\s+(?:` + historyTime + `\s*)?(\S.*)$`)
	// headingDecoration is what surrounds a node's name in a heading:
	// "## node2", "=== node2 ===", "**node2:**", "node2 (history):".
	headingDecoration = regexp.MustCompile(`^[#=*\s-]*|[#=*:\s-]*$`)
	historyWord       = regexp.MustCompile(`(?i)^(?:history\s+(?:of\s+|on\s+|from\s+)?(.+)|(.+?)\s*\(?history\)?)$`)
	machineName       = regexp.MustCompile(`^[A-Za-z][\w.-]{0,62}$`)
)

// isHistory reports whether most lines are history entries, numbered
// one after another as `history` prints them (a dump restarting at a lower
// number is the next node's).
func isHistory(lines []string) bool {
	entries, other, next, last := 0, 0, 0, -1
	for _, line := range lines {
		t := strings.TrimSpace(line)
		if t == "" {
			continue
		}
		if m := historyEntry.FindStringSubmatch(line); m != nil {
			n, _ := strconv.Atoi(m[1])
			if last >= 0 && (n == last+1 || n < last) {
				next++
			}
			last = n
			entries++
			continue
		}
		other++
	}
	return entries >= 3 && entries > other && next*5 >= (entries-1)*4
}

// history reads history dumps: every entry is a command run on the dump's
// node, in order; a dump is a terminal.
func (p *parser) history() error {
	p.node = p.opts.DefaultNode
	last := -1
	var stray []int
	for i := 0; i < len(p.lines); i++ {
		lineNo := i + 1
		t := strings.TrimSpace(p.lines[i])
		if t == "" {
			continue
		}
		if m := historyEntry.FindStringSubmatch(p.lines[i]); m != nil {
			n, _ := strconv.Atoi(m[1])
			if n <= last && p.termUsed {
				// The numbers start again: another terminal's dump, whose
				// node the submission does not say.
				name := fmt.Sprintf("dump%d", p.terminal+2)
				p.switchTo(name, true)
				p.notef("line %d: a history dump with no heading naming its node: read as machine %s, mapped to a lab node by what it ran", lineNo, name)
			}
			last = n
			text, used := p.continuation(strings.TrimSpace(m[2]), lineNo, i+1, len(p.lines), false)
			i += used
			if ignorable(text) {
				p.ignoreNote(lineNo, text)
				continue
			}
			if err := p.add(Command{Line: lineNo, Text: text}); err != nil {
				return err
			}
			continue
		}
		node, ok, err := p.historyHeading(t, lineNo)
		if err != nil {
			return err
		}
		if ok {
			if node != p.node || p.termUsed {
				p.switchTo(node, true)
			}
			last = -1
			continue
		}
		stray = append(stray, lineNo)
	}
	p.notef("read as shell history (%s): history records commands only, so the outputs are missing and nothing the student saw can be compared with the replay; that costs no points", plural(p.terminal+1, "dump"))
	if len(stray) > 0 {
		p.notef("ignored %s that %s neither history entries nor a heading naming a node (%s)", plural(len(stray), "line"), map[bool]string{true: "is", false: "are"}[len(stray) == 1], linesWord(stray))
	}
	return nil
}

// historyHeading reads a line above a dump that says whose it is: a
// prompt ("$ history", "[node2] (local) root@192.168.0.17 ~",
// "root@worker1:~# history") or a heading ("node2:", "## Node 2",
// "history of worker1").
func (p *parser) historyHeading(t string, line int) (string, bool, error) {
	if pr, ok := matchPrompt(t); ok && (pr.cmd == "" || isHistoryCommand(pr.cmd)) {
		accepted, err := p.acceptPrompt(&pr, line)
		if err != nil || !accepted {
			return "", false, err
		}
		if pr.host == "" {
			return p.node, true, nil
		}
		return pr.host, true, nil
	}
	name := strings.TrimSpace(headingDecoration.ReplaceAllString(t, ""))
	if m := historyWord.FindStringSubmatch(name); m != nil {
		name = strings.TrimSpace(m[1] + m[2])
	}
	if node, ok := p.nodes.exactly(name); ok {
		return node, true, nil
	}
	if node, ok := p.nodes.resolve(name); ok && len(p.nodes.names) > 0 {
		return node, true, nil
	}
	// A heading that names another machine ("manager1:") is a node of the
	// student's own setup; one that is merely prose is not a heading.
	heading := strings.HasSuffix(strings.TrimRight(t, "*"), ":") || strings.HasPrefix(t, "#") || strings.HasPrefix(t, "=")
	switch {
	case !heading || !machineName.MatchString(name):
		return "", false, nil
	case p.nodes.near(name):
		return "", false, p.errorf(line, "%s", p.nodes.unknown(name))
	}
	return name, true, nil
}

func isHistoryCommand(cmd string) bool {
	f := strings.Fields(cmd)
	return len(f) > 0 && f[0] == "history"
}
