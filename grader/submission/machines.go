package submission

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// Students who do the lab on their own machines drive them from a laptop:
// docker-machine (`eval $(docker-machine env manager1)`, `docker-machine
// ssh worker1 "docker swarm join ..."`), multipass (`multipass exec
// worker1 -- docker ...`), Vagrant (`vagrant ssh worker1 -c "..."`) or
// plain ssh. A command sent to a machine ran on that machine, so the
// command replayed is the docker command inside, on the lab node that
// machine stands for. Machines are mapped to lab nodes by role: the one
// where `swarm init` ran is the lab's manager, the ones that joined are the
// other nodes in the order they joined.

// wrapKind is what a command does with the machines.
type wrapKind int

const (
	wrapNone   wrapKind = iota
	wrapRun             // runs inner on machine
	wrapEnv             // points the following docker commands at machine
	wrapUnenv           // points them back at the local engine
	wrapShell           // opens a shell on machine: its prompt follows
	wrapManage          // creates, lists or stops machines: nothing in a node
)

// wrapped is a command read for what it sends where.
type wrapped struct {
	kind    wrapKind
	tool    string // "docker-machine ssh", "multipass exec", ...
	machine string
	inner   string
}

// machineTools are the programs that manage or reach machines, with the
// subcommands that only manage them.
var machineTools = map[string]map[string]bool{
	"docker-machine": set("create ls ip env active start stop restart rm kill inspect config url status regenerate-certs upgrade version provision mount scp help"),
	"multipass":      set("launch list ls info delete purge stop start restart suspend recover transfer copy-files mount umount find networks version help get set alias aliases"),
	"vagrant":        set("up status halt destroy provision reload global-status suspend resume box init port ssh-config validate version help"),
}

// sshValueFlags are ssh's options that take a value.
var sshValueFlags = set("-b -c -D -E -e -F -I -i -J -L -l -m -O -o -p -Q -R -S -W -w")

// machineIPs reads `docker-machine ip NAME` and the URL column of
// `docker-machine ls`, so that a $(docker-machine ip NAME) inside a
// command sent to a machine can be written out as the laptop's shell did.
var machineLsRow = regexp.MustCompile(`(?m)^(\S+)\s+[-*]?\s.*tcp://(\d{1,3}(?:\.\d{1,3}){3}):\d+`)

// machines unwraps the commands sent to machines, follows `docker-machine
// env`, drops what only manages machines, and maps the student's machines
// to the lab's nodes.
func (p *parser) machines() error {
	targets := map[string]string{} // a terminal's host → its docker-machine env
	ips := map[string]string{}
	var sent, envFollowed []int
	tools := map[string][]int{}
	var manage, shells, envSwitches []int
	kept := p.cmds[:0]
	for _, c := range p.cmds {
		w := unwrap(c.Text, c.Node, targets, ips)
		switch w.kind {
		case wrapNone:
			if t := targets[c.Node]; t != "" && len(c.Analysis().Calls) > 0 {
				c.Node = t
				envFollowed = append(envFollowed, c.Line)
			}
		case wrapRun:
			c.Node, c.Text = w.machine, w.inner
			c.analysis = Analyze(c.Text)
			sent = append(sent, c.Line)
			tools[w.tool] = append(tools[w.tool], c.Line)
		case wrapEnv:
			targets[c.Node] = w.machine
			envSwitches = append(envSwitches, c.Line)
			continue
		case wrapUnenv:
			delete(targets, c.Node)
			envSwitches = append(envSwitches, c.Line)
			continue
		case wrapShell:
			shells = append(shells, c.Line)
			continue
		case wrapManage:
			learnMachineIPs(w, c.Output, ips)
			manage = append(manage, c.Line)
			continue
		}
		kept = append(kept, c)
	}
	p.cmds = kept
	if len(sent) > 0 {
		var how []string
		for _, t := range sortedKeys(tools) {
			how = append(how, fmt.Sprintf("%s (%s)", t, linesWord(tools[t])))
		}
		p.notef("replayed the docker command inside each command sent to a machine, on that machine: %s", strings.Join(how, ", "))
	}
	if len(envSwitches) > 0 {
		p.notef("followed `eval $(docker-machine env ...)` (%s): the docker commands after it ran on the machine it names (%s)", linesWord(envSwitches), linesOrNone(envFollowed))
	}
	if len(shells) > 0 {
		p.notef("%s open%s a shell on another machine (%s): not replayed; the prompt after it shows where the commands that follow ran", plural(len(shells), "command"), map[bool]string{true: "s"}[len(shells) == 1], linesWord(shells))
	}
	if len(manage) > 0 {
		p.notef("ignored %s that only %s the student's machines (%s): the replay's nodes already exist", plural(len(manage), "command"), map[bool]string{true: "manages", false: "manage"}[len(manage) == 1], linesWord(manage))
	}
	return p.mapMachines()
}

func linesOrNone(lines []int) string {
	if len(lines) == 0 {
		return "none"
	}
	return linesWord(lines)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// mapMachines gives every machine the submission names a lab node: the
// one that ran `swarm init` gets the lab's manager, the ones that joined
// get the other nodes in the order they joined, any other the nodes left,
// in the order they first appear.
func (p *parser) mapMachines() error {
	lab := p.opts.Nodes
	if len(lab) == 0 {
		return nil
	}
	var machines []string
	taken := map[string]bool{}
	seen := map[string]bool{}
	for _, c := range p.cmds {
		if contains(lab, c.Node) {
			taken[c.Node] = true
		} else if !seen[c.Node] {
			seen[c.Node] = true
			machines = append(machines, c.Node)
		}
	}
	if len(machines) == 0 {
		return nil
	}
	var initOn string
	var joined []string
	joinedSeen := map[string]bool{}
	for _, c := range p.cmds {
		if !seen[c.Node] {
			continue
		}
		a := c.Analysis()
		if a.Runs("swarm init") && initOn == "" {
			initOn = c.Node
		}
		if a.Runs("swarm join") && !joinedSeen[c.Node] && c.Node != initOn {
			joinedSeen[c.Node] = true
			joined = append(joined, c.Node)
		}
	}
	order := []string{}
	if initOn != "" {
		order = append(order, initOn)
	}
	order = append(order, joined...)
	for _, m := range machines {
		if m != initOn && !joinedSeen[m] {
			order = append(order, m)
		}
	}
	free := []string{}
	if initOn != "" && !taken[p.opts.DefaultNode] {
		free = append(free, p.opts.DefaultNode)
	}
	for _, n := range lab {
		if !taken[n] && !contains(free, n) {
			free = append(free, n)
		}
	}
	if len(order) > len(free) {
		return &ParseError{Source: p.source, Msg: fmt.Sprintf("commands run on %s (%s), but the lab has %s (%s)",
			plural(len(order)+len(taken), "machine"), strings.Join(append(sortedKeys(taken), order...), ", "), plural(len(lab), "node"), strings.Join(lab, ", "))}
	}
	to := map[string]string{}
	var pairs []string
	for i, m := range order {
		to[m] = free[i]
		pairs = append(pairs, fmt.Sprintf("%s → %s", m, free[i]))
	}
	p.machineMap = to
	var renamed []int
	for i := range p.cmds {
		c := &p.cmds[i]
		if n, ok := to[c.Node]; ok {
			c.Node = n
		}
		if text, ok := renameNodes(c.Analysis(), to); ok {
			c.Text = text
			c.analysis = Analyze(text)
			renamed = append(renamed, c.Line)
		}
	}
	if len(renamed) > 0 {
		p.notef("%s: a machine named in a docker node command is written as the lab node it maps to", linesWord(renamed))
	}
	why := "by role: the machine that ran `docker swarm init` is " + p.opts.DefaultNode + ", the ones that joined follow in the order they joined"
	if initOn == "" {
		why = "in the order they first appear: no machine ran `docker swarm init`"
	}
	p.notef("machines: %s (%s; names and addresses that differ from the lab's cost nothing)", strings.Join(pairs, ", "), why)
	return nil
}

// unwrap reads what a command sends where. host is the machine the
// command was typed on; targets and ips are what the session set up so
// far.
func unwrap(text, host string, targets, ips map[string]string) wrapped {
	f, err := syntax.NewParser().Parse(strings.NewReader(text), "")
	if err != nil || len(f.Stmts) != 1 {
		return wrapped{}
	}
	st := f.Stmts[0]
	call, ok := st.Cmd.(*syntax.CallExpr)
	if !ok || st.Background || len(st.Redirs) > 0 || len(call.Assigns) > 0 || len(call.Args) == 0 {
		return wrapped{}
	}
	args := call.Args
	prog := evalWord(args[0])
	if !prog.Literal {
		return wrapped{}
	}
	target := targets[host]
	switch prog.Lit {
	case "eval":
		return unwrapEval(args[1:])
	case "docker-machine":
		sub, i := subcommand(args, 1)
		switch {
		case sub == "ssh":
			return sendTo("docker-machine ssh", text, args, i+1, target, ips)
		case machineTools[prog.Lit][sub]:
			return wrapped{kind: wrapManage, tool: "docker-machine " + sub, machine: firstLiteral(args, i+1)}
		}
	case "multipass":
		sub, i := subcommand(args, 1)
		switch {
		case sub == "exec":
			w := sendTo("multipass exec", text, args, i+1, target, ips)
			w.inner = strings.TrimPrefix(w.inner, "-- ")
			return w
		case sub == "shell" || sub == "sh":
			return wrapped{kind: wrapShell, machine: firstLiteral(args, i+1)}
		case machineTools[prog.Lit][sub]:
			return wrapped{kind: wrapManage, tool: "multipass " + sub}
		}
	case "vagrant":
		sub, i := subcommand(args, 1)
		switch {
		case sub == "ssh":
			return vagrantSSH(text, args[i+1:], target, ips)
		case machineTools[prog.Lit][sub]:
			return wrapped{kind: wrapManage, tool: "vagrant " + sub}
		}
	case "ssh":
		i := 1
		for i < len(args) {
			w := evalWord(args[i])
			if !w.Literal || !strings.HasPrefix(w.Lit, "-") {
				break
			}
			if sshValueFlags[w.Lit] {
				i++
			}
			i++
		}
		return sendTo("ssh", text, args, i, target, ips)
	}
	return wrapped{}
}

// subcommand is the first word from i on that is not a flag.
func subcommand(args []*syntax.Word, i int) (string, int) {
	for ; i < len(args); i++ {
		w := evalWord(args[i])
		if !w.Literal {
			return "", i
		}
		if !strings.HasPrefix(w.Lit, "-") {
			return w.Lit, i
		}
	}
	return "", i
}

func firstLiteral(args []*syntax.Word, i int) string {
	if i < len(args) {
		if w := evalWord(args[i]); w.Literal {
			return w.Lit
		}
	}
	return ""
}

// sendTo reads "TOOL MACHINE [CMD...]": args[i] names the machine
// (user@ stripped), the rest is the command it runs there.
func sendTo(tool, text string, args []*syntax.Word, i int, target string, ips map[string]string) wrapped {
	name := firstLiteral(args, i)
	if name == "" {
		return wrapped{}
	}
	if at := strings.LastIndex(name, "@"); at >= 0 {
		name = name[at+1:]
	}
	if i+1 >= len(args) {
		return wrapped{kind: wrapShell, machine: name}
	}
	inner := withoutSudo(remoteCommand(text, args[i+1:], name, ips))
	if inner == "" {
		return wrapped{}
	}
	return wrapped{kind: wrapRun, tool: tool, machine: name, inner: inner}
}

// vagrantSSH reads `vagrant ssh [NAME] [-c CMD]`: without -c it opens a
// shell; with no NAME it is Vagrant's "default" machine.
func vagrantSSH(text string, args []*syntax.Word, target string, ips map[string]string) wrapped {
	name := "default"
	var cmd *syntax.Word
	for i := 0; i < len(args); i++ {
		w := evalWord(args[i])
		switch {
		case w.Literal && (w.Lit == "-c" || w.Lit == "--command") && i+1 < len(args):
			cmd = args[i+1]
			i++
		case w.Literal && strings.HasPrefix(w.Lit, "--command="):
			// the value is inside the same word: read it below
			cmd = args[i]
		case w.Literal && w.Lit == "--":
			i = len(args)
		case w.Literal && !strings.HasPrefix(w.Lit, "-"):
			name = w.Lit
		}
	}
	if cmd == nil {
		return wrapped{kind: wrapShell, machine: name}
	}
	inner := remoteCommand(text, []*syntax.Word{cmd}, name, ips)
	inner = withoutSudo(strings.TrimPrefix(inner, "--command="))
	if inner == "" {
		return wrapped{}
	}
	return wrapped{kind: wrapRun, tool: "vagrant ssh -c", machine: name, inner: inner}
}

// withoutSudo drops the sudo before a docker command sent to a machine:
// on a VM the student's user needs it, in a replay node docker already
// runs as root.
func withoutSudo(cmd string) string {
	f, err := syntax.NewParser().Parse(strings.NewReader(cmd), "")
	if err != nil || len(f.Stmts) != 1 {
		return cmd
	}
	c, ok := f.Stmts[0].Cmd.(*syntax.CallExpr)
	if !ok || len(c.Args) < 2 || c.Args[0].Lit() != "sudo" || c.Args[1].Lit() != "docker" {
		return cmd
	}
	return cmd[off(c.Args[1].Pos()):]
}

// unwrapEval reads `eval $(docker-machine env NAME)` and its unset form.
func unwrapEval(args []*syntax.Word) wrapped {
	if len(args) != 1 {
		return wrapped{}
	}
	var inner *syntax.CallExpr
	syntax.Walk(args[0], func(n syntax.Node) bool {
		if cs, ok := n.(*syntax.CmdSubst); ok && len(cs.Stmts) == 1 {
			if c, ok := cs.Stmts[0].Cmd.(*syntax.CallExpr); ok {
				inner = c
			}
			return false
		}
		return true
	})
	if inner == nil || len(inner.Args) < 2 || inner.Args[0].Lit() != "docker-machine" {
		return wrapped{}
	}
	sub, i := subcommand(inner.Args, 1)
	if sub != "env" {
		return wrapped{}
	}
	for _, a := range inner.Args[i+1:] {
		w := evalWord(a)
		switch {
		case !w.Literal:
			return wrapped{}
		case w.Lit == "-u" || w.Lit == "--unset":
			return wrapped{kind: wrapUnenv, tool: "docker-machine env"}
		case !strings.HasPrefix(w.Lit, "-"):
			return wrapped{kind: wrapEnv, tool: "docker-machine env", machine: w.Lit}
		}
	}
	return wrapped{}
}

// remoteCommand is the command line words send to a machine, as the
// machine's shell reads it: one quoted word is its content; several are
// joined by spaces, as ssh joins them. A $(docker-machine ip NAME) is
// what the laptop's shell put there: NAME's address when the session
// showed it, $(hostname -i) when NAME is the machine itself; any other
// expansion leaves the command unread, for the policy to judge whole.
func remoteCommand(text string, words []*syntax.Word, machine string, ips map[string]string) string {
	var parts []string
	for _, w := range words {
		s, ok := remoteWord(text, w, machine, ips)
		if !ok {
			return ""
		}
		parts = append(parts, s)
	}
	return strings.TrimSpace(strings.Join(parts, " "))
}

func remoteWord(text string, w *syntax.Word, machine string, ips map[string]string) (string, bool) {
	var b strings.Builder
	var walk func(parts []syntax.WordPart, quoted bool) bool
	walk = func(parts []syntax.WordPart, quoted bool) bool {
		for _, part := range parts {
			switch x := part.(type) {
			case *syntax.Lit:
				if quoted {
					b.WriteString(unescape(x.Value, true))
				} else {
					b.WriteString(x.Value)
				}
			case *syntax.SglQuoted:
				if quoted || len(parts) == 1 {
					b.WriteString(x.Value)
				} else {
					b.WriteString(text[off(x.Pos()):off(x.End())])
				}
			case *syntax.DblQuoted:
				if !walk(x.Parts, true) {
					return false
				}
			case *syntax.CmdSubst:
				repl, ok := machineIPSubst(x, machine, ips)
				if !ok {
					// The machine's shell expands it: $(hostname -i) there
					// is the machine's own address.
					if quoted && isHostnameSubst(x) {
						b.WriteString(text[off(x.Pos()):off(x.End())])
						continue
					}
					if !quoted {
						b.WriteString(text[off(x.Pos()):off(x.End())])
						continue
					}
					return false
				}
				b.WriteString(repl)
			default:
				if quoted {
					return false
				}
				b.WriteString(text[off(part.Pos()):off(part.End())])
			}
		}
		return true
	}
	ok := walk(w.Parts, false)
	return b.String(), ok
}

// machineIPSubst is $(docker-machine ip NAME) written out.
func machineIPSubst(cs *syntax.CmdSubst, machine string, ips map[string]string) (string, bool) {
	if len(cs.Stmts) != 1 {
		return "", false
	}
	c, ok := cs.Stmts[0].Cmd.(*syntax.CallExpr)
	if !ok || len(c.Args) != 3 || c.Args[0].Lit() != "docker-machine" || c.Args[1].Lit() != "ip" {
		return "", false
	}
	name := c.Args[2].Lit()
	if ip, ok := ips[name]; ok {
		return ip, true
	}
	if name == machine {
		return "$(hostname -i)", true
	}
	return "", false
}

func isHostnameSubst(cs *syntax.CmdSubst) bool {
	if len(cs.Stmts) != 1 {
		return false
	}
	c, ok := cs.Stmts[0].Cmd.(*syntax.CallExpr)
	return ok && len(c.Args) > 0 && c.Args[0].Lit() == "hostname"
}

var ipOnly = regexp.MustCompile(`^\s*(\d{1,3}(?:\.\d{1,3}){3})\s*$`)

func learnMachineIPs(w wrapped, out string, ips map[string]string) {
	switch w.tool {
	case "docker-machine ip":
		if m := ipOnly.FindStringSubmatch(out); m != nil && w.machine != "" {
			ips[w.machine] = m[1]
		}
	case "docker-machine ls":
		for _, m := range machineLsRow.FindAllStringSubmatch(out, -1) {
			ips[m[1]] = m[2]
		}
	}
}

// renameNodes writes the machines a docker node command names by hostname
// (`docker node update --availability drain worker1`) as their lab nodes,
// which is what the replay's swarm calls them.
func renameNodes(a *Analysis, to map[string]string) (string, bool) {
	type edit struct {
		start, end int
		text       string
	}
	var edits []edit
	for _, c := range a.Calls {
		if !strings.HasPrefix(c.Path, "node ") {
			continue
		}
		for _, i := range c.Args {
			w := c.Words[i]
			if n, ok := to[w.Lit]; ok && w.Literal {
				edits = append(edits, edit{w.Start, w.End, n})
			}
		}
	}
	if len(edits) == 0 {
		return a.Text, false
	}
	text := a.Text
	for i := len(edits) - 1; i >= 0; i-- {
		e := edits[i]
		text = text[:e.start] + e.text + text[e.end:]
	}
	return text, true
}
