package submission

import (
	"regexp"
	"sort"
	"strings"
)

// blockKind is how a fenced block's lines are read.
type blockKind int

const (
	blockOther   blockKind = iota // yaml, json, Dockerfile...: not commands
	blockShell                    // sh, bash: every line a command
	blockConsole                  // console: prompt lines are commands, the rest output
	blockText                     // text or no info string: a console only if it has prompts
)

var blockKinds = map[string]blockKind{
	"sh": blockShell, "bash": blockShell, "shell": blockShell, "zsh": blockShell,
	"console": blockConsole, "shell-session": blockConsole, "shellsession": blockConsole, "terminal": blockConsole,
	"": blockText, "text": blockText, "txt": blockText, "plaintext": blockText, "plain": blockText, "output": blockText, "log": blockText,
}

var (
	fenceOpen   = regexp.MustCompile("^ {0,3}(`{3,}|~{3,})\\s*([^`\\s{]*)")
	heading     = regexp.MustCompile(`^ {0,3}#{1,6}(?:\s|$)`)
	htmlMarker  = regexp.MustCompile(`(?i)^<!--\s*node\s*[:=]\s*(\S+?)\s*-->$`)
	fieldMarker = regexp.MustCompile(`(?i)^node\s*[:=]\s*(\S+)$`)
	decoration  = regexp.MustCompile(`^(?:#{1,6}\s+|>\s*|[-*+]\s+|\d+[.)]\s+)+`)
	// cue is a word that puts the node after it in charge: "on node2",
	// "di node1" (Indonesian), "in the node3 terminal".
	cue = regexp.MustCompile(`(?i)\b(?:on|in|at|from|di|pada|dari|terminal|inside)\s+(?:the\s+)?$`)
	// joiner continues a list of nodes: "on node2 and node3".
	joiner = regexp.MustCompile(`(?i)^\s*(?:,|and|&|dan|\+|/)\s*(?:on\s+)?$`)
	// after is what may follow a node to put it in charge: "node2's
	// terminal", "node2 terminal", "(node2)".
	after = regexp.MustCompile(`(?i)^(?:'s)?\s*(?:terminal|shell|console)\b|^\)`)
)

// markerWords bounds how long a prose line may be and still say where a
// block runs: a long sentence naming node2 is about node2, not run on it
// ("drain node2 so its tasks move to node1 and node3:").
const markerWords = 12

// markdown reads the fenced shell and console blocks of a write-up. The
// node a block runs on comes from, in order: prompts and `# node:`
// comments inside it; the latest marker before it in the same section
// (see markdownMarker); the default node.
func (p *parser) markdown() error {
	p.node = p.opts.DefaultNode
	var marker []string
	lastCmd := -1
	for i := 0; i < len(p.lines); i++ {
		m := fenceOpen.FindStringSubmatch(p.lines[i])
		if m == nil {
			t := strings.TrimSpace(p.lines[i])
			nodes, ok, err := p.markdownMarker(t, i+1)
			switch {
			case err != nil:
				return err
			case ok:
				marker = nodes
			case heading.MatchString(t):
				marker = nil
			}
			continue
		}
		end := i + 1
		for end < len(p.lines) && !closesFence(p.lines[end], m[1]) {
			end++
		}
		var err error
		if lastCmd, err = p.block(strings.ToLower(m[2]), i+1, end, marker, lastCmd); err != nil {
			return err
		}
		i = end
	}
	return nil
}

func closesFence(line, fence string) bool {
	t := strings.TrimSpace(line)
	return strings.HasPrefix(t, fence) && strings.Trim(t, fence[:1]) == ""
}

// block reads one fenced block whose body is lines[from:to]. lastCmd is
// the last command of the shell block before it; a plain block right after
// one holds that command's output, as students paste it. It returns the
// new lastCmd.
func (p *parser) block(info string, from, to int, marker []string, lastCmd int) (int, error) {
	kind, known := blockKinds[info]
	if !known {
		return -1, nil
	}
	prompts := p.blockHasPrompts(from, to)
	switch {
	case kind == blockShell && prompts:
		p.notef("line %d: the ```%s block shows prompts: read it as a console session (prompt lines are commands, the rest output)", from, info)
		kind = blockConsole
	case kind == blockText && prompts:
		kind = blockConsole
	case kind == blockText:
		if lastCmd >= 0 && p.cmds[lastCmd].Output == "" {
			p.cmds[lastCmd].Output = trimOutput(p.lines[from:to])
		}
		return -1, nil
	}

	nodes := marker
	if len(nodes) == 0 {
		nodes = []string{p.opts.DefaultNode}
	}
	if len(nodes) > 1 {
		p.notef("line %d: the block runs on %s, as the line before it says", from, strings.Join(nodes, " and "))
	}
	before := len(p.cmds)
	for _, node := range nodes {
		p.switchTo(node, len(nodes) > 1)
		p.addr = ""
		var err error
		if kind == blockConsole {
			err = p.transcriptLines(from, to)
		} else {
			err = p.scriptLines(from, to)
		}
		if err != nil {
			return -1, err
		}
	}
	if len(p.cmds) == before {
		return -1, nil
	}
	return len(p.cmds) - 1, nil
}

func (p *parser) blockHasPrompts(from, to int) bool {
	for i := from; i < to; i++ {
		pr, ok := matchPrompt(strings.TrimSpace(p.lines[i]))
		if !ok || pr.cmd == "" && pr.kind != promptPWD {
			continue
		}
		if pr.kind != promptHost {
			return true
		}
		if _, known := p.nodes.resolve(pr.host); known && len(p.nodes.names) > 0 {
			return true
		}
	}
	return false
}

// markdownMarker reads a prose line that says which node the blocks after
// it run on. Accepted, after Markdown decoration (headings, quotes, list
// bullets, bold, code spans) is stripped:
//   - "node: node2" and "<!-- node: node2 -->" (an unknown name is an error);
//   - a line that is only a node's name: "node2", "**Node 2**", "### node2:";
//   - a heading, or a line of at most markerWords words ending in ':',
//     that names nodes right after a cue word or right before "terminal":
//     "On node2:", "Run this on node2 and node3:", "Di node1:",
//     "In node3's terminal:". Other nodes it names do not count, so
//     "On node1, drain node2:" means node1.
func (p *parser) markdownMarker(t string, line int) ([]string, bool, error) {
	if t == "" {
		return nil, false, nil
	}
	if m := htmlMarker.FindStringSubmatch(t); m != nil {
		return p.explicitMarker(m[1], line)
	}
	s := decoration.ReplaceAllString(t, "")
	s = strings.NewReplacer("**", "", "__", "", "`", "", "*", "").Replace(s)
	s = strings.TrimSpace(s)
	if m := fieldMarker.FindStringSubmatch(s); m != nil {
		return p.explicitMarker(m[1], line)
	}
	bare := strings.TrimSpace(strings.TrimSuffix(s, ":"))
	if node, ok := p.nodes.exactly(bare); ok {
		return []string{node}, true, nil
	}
	if !heading.MatchString(t) && (!strings.HasSuffix(s, ":") || len(strings.Fields(s)) > markerWords) {
		return nil, false, nil
	}
	if nodes := p.cuedNodes(bare); len(nodes) > 0 {
		return nodes, true, nil
	}
	return nil, false, nil
}

func (p *parser) explicitMarker(name string, line int) ([]string, bool, error) {
	node, ok := p.nodes.resolve(name)
	if !ok {
		return nil, false, p.errorf(line, "%s", p.nodes.unknown(name))
	}
	return []string{node}, true, nil
}

// cuedNodes returns the nodes s puts in charge, in the order it names them.
func (p *parser) cuedNodes(s string) []string {
	type mention struct {
		node       string
		start, end int
	}
	var ms []mention
	for _, name := range p.nodes.names {
		for _, loc := range p.nodes.loose[name].FindAllStringIndex(s, -1) {
			ms = append(ms, mention{name, loc[0], loc[1]})
		}
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].start < ms[j].start })
	var out []string
	prevEnd, prevKept := -1, false
	for _, m := range ms {
		before := s[:m.start]
		kept := cue.MatchString(before) ||
			after.MatchString(s[m.end:]) ||
			(prevKept && joiner.MatchString(s[prevEnd:m.start]))
		if kept && !contains(out, m.node) {
			out = append(out, m.node)
		}
		prevEnd, prevKept = m.end, kept
	}
	return out
}
