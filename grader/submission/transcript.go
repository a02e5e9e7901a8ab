package submission

import (
	"strings"
)

// transcript reads a terminal capture: Play with Docker headers, shell
// prompts, commands and what they printed.
func (p *parser) transcript() error {
	p.node = p.opts.DefaultNode
	return p.transcriptLines(0, len(p.lines))
}

// transcriptLines reads lines[from:to] as a terminal capture; Markdown
// console blocks use it too.
func (p *parser) transcriptLines(from, to int) error {
	const (
		noCmd      = -1
		ignoredCmd = -2 // output of a housekeeping command: dropped with it
	)
	cur := noCmd
	var out []string
	var header string // the last PWD header, the prompt of the `$` lines after it
	var stray, banners, inContainer []int
	flush := func() {
		if cur >= 0 {
			p.cmds[cur].Output = trimOutput(out)
		}
		cur, out = noCmd, nil
	}
	for i := from; i < to; i++ {
		lineNo := i + 1
		line := strings.TrimRight(p.lines[i], " \t")
		t := strings.TrimLeft(line, " \t")

		if isPWDBannerEdge(t) && i+1 < to && strings.HasPrefix(strings.TrimSpace(p.lines[i+1]), "#") {
			// A banner opens every Play with Docker terminal: what follows
			// is another terminal even on the same node.
			flush()
			banners = append(banners, lineNo)
			for i++; i+1 < to && !isPWDBannerEdge(strings.TrimSpace(p.lines[i])); i++ {
			}
			p.switchTo(p.node, true)
			p.addr = ""
			header = ""
			continue
		}

		pr, ok := matchPrompt(t)
		if ok {
			var err error
			if ok, err = p.acceptPrompt(&pr, lineNo); err != nil {
				return err
			}
		}
		switch {
		case !ok && cur == ignoredCmd:
			continue
		case !ok && cur >= 0:
			out = append(out, line)
			continue
		case !ok:
			if t != "" {
				stray = append(stray, lineNo)
			}
			continue
		case pr.kind == promptContainer:
			// A shell inside a container (docker run -it ubuntu bash):
			// what is typed there is part of that docker command's session.
			if cur >= 0 {
				out = append(out, line)
				inContainer = append(inContainer, lineNo)
			} else if cur == noCmd {
				stray = append(stray, lineNo)
			}
			continue
		}

		flush()
		prompt := pr.text
		switch pr.kind {
		case promptPWD:
			p.switchTo(pr.host, p.addr != "" && p.addr != pr.addr && pr.host == p.node)
			p.addr = pr.addr
			header = pr.text
		case promptUserHost, promptHost:
			if pr.host != p.node {
				p.addr = ""
			}
			p.switchTo(pr.host, false)
			header = ""
		case promptBare:
			if header != "" {
				prompt = header
			}
		}
		if pr.cmd == "" {
			continue
		}
		text, n := p.continuation(pr.cmd, lineNo, i+1, to, true)
		i += n
		if ignorable(text) {
			p.ignoreNote(lineNo, text)
			cur = ignoredCmd
			continue
		}
		if err := p.add(Command{Line: lineNo, Text: text, Prompt: prompt}); err != nil {
			return err
		}
		cur = len(p.cmds) - 1
	}
	flush()

	if len(banners) > 0 {
		p.notef("ignored the Play with Docker welcome banner (%s); each starts a new terminal", linesWord(banners))
	}
	if len(stray) > 0 {
		p.notef("ignored %s that follow%s no command (%s)", plural(len(stray), "line"), map[bool]string{true: "s"}[len(stray) == 1], linesWord(stray))
	}
	if len(inContainer) > 0 {
		p.notef("%s typed inside a container's shell: kept as output of the docker command that opened it, not run on a node", linesWord(inContainer))
	}
	return nil
}

// acceptPrompt resolves the node a prompt names. A strong prompt naming a
// node the lab lacks is an error; a weak one ("word$ ...") is only a prompt
// when it names a lab node or a near miss of one, otherwise it is output.
func (p *parser) acceptPrompt(pr *prompt, line int) (bool, error) {
	switch pr.kind {
	case promptBare, promptContainer:
		return true, nil
	case promptHost:
		if len(p.nodes.names) == 0 {
			return false, nil
		}
		if node, ok := p.nodes.resolve(pr.host); ok {
			pr.host = node
			return true, nil
		}
		if p.nodes.near(pr.host) {
			return false, p.errorf(line, "%s", p.nodes.unknown(pr.host))
		}
		return false, nil
	}
	if pr.kind == promptUserHost && pr.addr != "" && pr.addr == pr.host {
		// root@192.168.0.18: the node is the one a header showed at that
		// address, else the current one.
		if node, ok := p.addrs[pr.addr]; ok {
			pr.host = node
		} else {
			pr.host = p.node
		}
		return true, nil
	}
	node, ok := p.nodes.resolve(pr.host)
	if !ok && pr.kind == promptUserHost && !p.nodes.near(pr.host) {
		// root@manager1:~# — a machine of the student's own setup, mapped
		// to a lab node once the whole session is read (see machines).
		return true, nil
	}
	if !ok {
		return false, p.errorf(line, "%s", p.nodes.unknown(pr.host))
	}
	pr.host = node
	if pr.kind == promptPWD {
		if p.addrs == nil {
			p.addrs = map[string]string{}
		}
		p.addrs[pr.addr] = node
	}
	return true, nil
}

// continuation joins the lines that continue a command whose first line
// is lineNo, reading from lines[next:to]. In a terminal (prompted) the
// shell shows "> " before each continuation line; a backslash continues
// even when the student's copy lost those. It returns the command and how
// many lines it consumed.
func (p *parser) continuation(text string, lineNo, next, to int, prompted bool) (string, int) {
	first := text
	n := 0
	for ; n < maxContinuation && next+n < to; n++ {
		backslash, open := continued(text)
		if !backslash && !open {
			return text, n
		}
		raw := strings.TrimRight(p.lines[next+n], " \t")
		t := strings.TrimLeft(raw, " \t")
		if prompted {
			if rest, ok := strings.CutPrefix(t, ">"); ok {
				raw = strings.TrimPrefix(rest, " ")
			} else if _, isPrompt := matchPrompt(t); !backslash || isPrompt {
				break
			} else {
				raw = t
			}
		} else if !backslash && t == "" {
			break
		}
		text = joinContinuation(text, raw, backslash)
	}
	backslash, open := continued(text)
	if open {
		p.notef("line %d: a quote or $( is never closed; read the line on its own", lineNo)
		return first, 0
	}
	if backslash {
		// The last line of the block ends in '\': nothing follows.
		text = strings.TrimRight(strings.TrimSuffix(text, `\`), " \t")
	}
	return text, n
}
