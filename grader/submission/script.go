package submission

import (
	"regexp"
	"strings"
)

// scriptMarker matches the comments that say which node runs the lines
// after them: "# node: node2", "# node=node2", "#@node2".
var scriptMarker = regexp.MustCompile(`(?i)^#\s*node\s*[:=]\s*(\S+)\s*$|^#@\s*(\S+)\s*$`)

// script reads shell lines; comments other than node markers are ignored.
func (p *parser) script() error {
	p.node = p.opts.DefaultNode
	return p.scriptLines(0, len(p.lines))
}

// scriptLines reads lines[from:to] as shell lines, every one a command;
// Markdown sh and bash blocks use it too.
func (p *parser) scriptLines(from, to int) error {
	for i := from; i < to; i++ {
		lineNo := i + 1
		t := strings.TrimSpace(p.lines[i])
		switch {
		case t == "":
			continue
		case strings.HasPrefix(t, "#"):
			if m := scriptMarker.FindStringSubmatch(t); m != nil {
				name := m[1] + m[2]
				node, ok := p.nodes.resolve(name)
				if !ok {
					return p.errorf(lineNo, "%s", p.nodes.unknown(name))
				}
				p.switchTo(node, false)
			}
			continue
		}
		text, n := p.continuation(t, lineNo, i+1, to, false)
		i += n
		if ignorable(text) {
			p.ignoreNote(lineNo, text)
			continue
		}
		if err := p.add(Command{Line: lineNo, Text: text}); err != nil {
			return err
		}
	}
	return nil
}
