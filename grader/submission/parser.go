package submission

import (
	"fmt"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// parser holds what the three formats share: where commands go, which node
// and terminal they belong to, and the notes gathered on the way.
type parser struct {
	source string
	lines  []string
	opts   Options
	nodes  *nodeNames

	cmds     []Command
	notes    []string
	node     string
	terminal int
	// termUsed is whether the current terminal holds a command yet: a
	// marker before any command names the first terminal's node rather
	// than opening a second one.
	termUsed bool
	// addrs maps the addresses Play with Docker headers showed to nodes,
	// for prompts that name a node by IP.
	addrs map[string]string
	// addr is the address the current terminal's PWD header showed.
	addr string
	// machineMap is what mapMachines decided: the student's machine
	// names to lab nodes.
	machineMap map[string]string
}

func (p *parser) errorf(line int, format string, args ...any) error {
	return &ParseError{Source: p.source, Line: line, Msg: fmt.Sprintf(format, args...)}
}

func (p *parser) notef(format string, args ...any) {
	p.notes = append(p.notes, fmt.Sprintf(format, args...))
}

// switchTo makes node current; a change of node (or a fresh terminal
// forced by the caller) starts a new terminal once the current one has
// commands.
func (p *parser) switchTo(node string, fresh bool) {
	if (node != p.node || fresh) && p.termUsed {
		p.terminal++
		p.termUsed = false
	}
	p.node = node
}

func (p *parser) add(c Command) error {
	if len(p.cmds) >= p.opts.MaxCommands {
		return p.errorf(c.Line, "too many commands: more than %d", p.opts.MaxCommands)
	}
	c.Node, c.Terminal = p.node, p.terminal
	c.analysis = Analyze(c.Text)
	p.cmds = append(p.cmds, c)
	p.termUsed = true
	return nil
}

// maxContinuation bounds how far an unclosed quote may pull lines into one
// command, so a stray quote cannot swallow the rest of a submission.
const maxContinuation = 40

// continued reports whether text goes on on the next line: a trailing
// backslash (backslash is true) or an unclosed quote, $( or && (open).
func continued(text string) (backslash, open bool) {
	trail := len(text) - len(strings.TrimRight(text, `\`))
	if trail%2 == 1 {
		return true, false
	}
	_, err := syntax.NewParser().Parse(strings.NewReader(text), "")
	return false, syntax.IsIncomplete(err)
}

// joinContinuation appends next to text the way the shell reads it: a
// backslash-newline vanishes (one space kept between words), any other
// newline stays part of the command.
func joinContinuation(text, next string, backslash bool) string {
	if !backslash {
		return text + "\n" + next
	}
	left := strings.TrimSuffix(text, `\`)
	if strings.TrimRight(left, " \t") != left || strings.TrimLeft(next, " \t") != next {
		return strings.TrimRight(left, " \t") + " " + strings.TrimLeft(next, " \t")
	}
	return left + next
}

// housekeeping are commands students type out of habit that change nothing
// in the cluster; replaying them would only add noise to the report.
var housekeeping = map[string]bool{
	"clear": true, "reset": true, "history": true, "exit": true, "logout": true,
	"pwd": true, "cd": true, "ls": true, "whoami": true, "hostname": true,
	"sleep": true, "set": true, "true": true, "date": true,
}

// ignorable reports whether text is a single housekeeping command.
func ignorable(text string) bool {
	f, err := syntax.NewParser().Parse(strings.NewReader(text), "")
	if err != nil || len(f.Stmts) != 1 {
		return false
	}
	st := f.Stmts[0]
	call, ok := st.Cmd.(*syntax.CallExpr)
	if !ok || st.Background || len(st.Redirs) > 0 || len(call.Assigns) > 0 || len(call.Args) == 0 {
		return false
	}
	name := call.Args[0].Lit()
	if !housekeeping[name] {
		return false
	}
	for _, a := range call.Args[1:] {
		lit := a.Lit()
		switch {
		case lit == "":
			return false
		case name == "hostname" && !strings.HasPrefix(lit, "-"):
			return false // an argument would rename the node
		case name == "set" && !strings.HasPrefix(lit, "-") && !strings.HasPrefix(lit, "+") && lit != "pipefail":
			return false
		}
	}
	return true
}

func (p *parser) ignoreNote(line int, text string) {
	p.notef("ignored line %d: `%s` (shell housekeeping; it changes nothing in the cluster)", line, oneLine(text))
}

func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 80 {
		s = s[:77] + "..."
	}
	return s
}

func trimOutput(lines []string) string {
	for len(lines) > 0 && strings.TrimSpace(lines[len(lines)-1]) == "" {
		lines = lines[:len(lines)-1]
	}
	for len(lines) > 0 && strings.TrimSpace(lines[0]) == "" {
		lines = lines[1:]
	}
	return strings.Join(lines, "\n")
}

// lineRanges writes line numbers compactly: "3, 7-9, 12".
func lineRanges(lines []int) string {
	var parts []string
	for i := 0; i < len(lines); {
		j := i
		for j+1 < len(lines) && lines[j+1] == lines[j]+1 {
			j++
		}
		if j == i {
			parts = append(parts, fmt.Sprint(lines[i]))
		} else {
			parts = append(parts, fmt.Sprintf("%d-%d", lines[i], lines[j]))
		}
		i = j + 1
	}
	return strings.Join(parts, ", ")
}

// linesWord writes "line 3" or "lines 3, 7-9".
func linesWord(lines []int) string {
	if len(lines) == 1 {
		return fmt.Sprintf("line %d", lines[0])
	}
	return "lines " + lineRanges(lines)
}
