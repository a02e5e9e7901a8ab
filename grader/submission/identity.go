package submission

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// addressBook ties the student's IP addresses to the nodes they belong to,
// from the session's own evidence: prompts, `swarm init` and `join-token`
// outputs, --advertise-addr, `docker info` and `docker node inspect`. The
// replay maps an address through the node it belongs to, so a join to a
// worker's own address stays a join to that worker and fails as it did
// for the student; mapping every join to the manager would fix the
// student's mistake.
type addressBook struct {
	// claims maps an address to the nodes the session ties it to, each
	// with the first evidence seen.
	claims map[string]map[string]addrEvidence
	// managers are the nodes the student ran `docker swarm init` on.
	managers map[string]bool
	// machines maps the student's machine names, as outputs show them, to
	// lab nodes.
	machines map[string]string
}

// addrEvidence is where the session tied an address to a node.
type addrEvidence struct {
	line int
	how  string
}

func (e addrEvidence) String() string {
	if e.line > 0 {
		return fmt.Sprintf("%s, line %d", e.how, e.line)
	}
	return e.how
}

func newAddressBook() *addressBook {
	return &addressBook{claims: map[string]map[string]addrEvidence{}, managers: map[string]bool{}}
}

func (b *addressBook) claim(ip, node string, line int, how string) {
	if ip == "" || node == "" {
		return
	}
	if b.claims[ip] == nil {
		b.claims[ip] = map[string]addrEvidence{}
	}
	if _, seen := b.claims[ip][node]; !seen {
		b.claims[ip][node] = addrEvidence{line: line, how: how}
	}
}

// node returns the node the session ties ip to. ambiguous lists the nodes
// when the session ties it to more than one: then it belongs to none.
func (b *addressBook) node(ip string) (node string, ev addrEvidence, ambiguous []string) {
	c := b.claims[ip]
	if len(c) == 1 {
		for n, e := range c {
			return n, e, nil
		}
	}
	for n := range c {
		ambiguous = append(ambiguous, n)
	}
	sort.Strings(ambiguous)
	return "", addrEvidence{}, ambiguous
}

// managerAddrs lists the addresses the session ties to a node that ran
// `docker swarm init`.
func (b *addressBook) managerAddrs() []string {
	var out []string
	for ip, c := range b.claims {
		for n := range c {
			if b.managers[n] && len(c) == 1 {
				out = append(out, ip)
			}
		}
	}
	sort.Strings(out)
	return out
}

// survey reads every command's evidence before the replay starts: a join
// on node2 may come, in replay order, before the prompt or output that
// says whose address it names.
func (b *addressBook) survey(cmds []Command) {
	for _, c := range cmds {
		b.learn(c)
	}
}

// learn reads one command's evidence.
func (b *addressBook) learn(cmd Command) {
	if ip := firstSubmatch(promptAddrRe, cmd.Prompt); ip != "" {
		b.claim(ip, cmd.Node, cmd.Line, "its prompt")
	}
	calls := cmd.Analysis().Calls
	for _, c := range calls {
		if c.Path != "swarm init" && c.Path != "swarm join" {
			continue
		}
		if c.Path == "swarm init" {
			b.managers[cmd.Node] = true
		}
		for _, name := range []string{"--advertise-addr", "--listen-addr"} {
			if f, ok := c.Flag(name); ok && f.Literal {
				if ip := firstSubmatch(ipPortRe, f.Value); ip != "" {
					b.claim(ip, cmd.Node, cmd.Line, "its `"+c.Path+" "+name+"`")
				}
			}
		}
	}
	// Output belongs to the command as a whole: only a single docker
	// command's output can be read as that command's.
	if len(calls) != 1 {
		return
	}
	out := cmd.Output
	switch calls[0].Path {
	case "swarm init", "swarm join-token":
		if calls[0].Path == "swarm init" && !recordedFailure(out) || calls[0].Path == "swarm join-token" {
			if ip := firstSubmatch(joinLineAddrRe, out); ip != "" {
				b.claim(ip, cmd.Node, cmd.Line, "the join command its `docker "+calls[0].Path+"` printed")
			}
		}
	case "node inspect":
		ids, hosts, addrs := inspectedNodes(out)
		for i := range ids {
			b.claim(addrs[i], labNode(b.machines, hosts[i]), cmd.Line, "`docker node inspect`")
		}
	case "info":
		b.claim(firstSubmatch(infoAddrRe, out), cmd.Node, cmd.Line, "`docker info`")
	}
}

// recordedFailureRe is how a docker command's recorded output says it
// failed.
var recordedFailureRe = regexp.MustCompile(`(?im)^(error response from daemon|error:|docker: )`)

func recordedFailure(out string) bool { return recordedFailureRe.MatchString(out) }

// joinTarget is how a join's address is to be replayed.
type joinTarget struct {
	// repl is the replay address to use; "" leaves the word as is.
	repl string
	note string
}

// target decides where a `docker swarm join` to addr (as typed: an IP with
// or without a port, a variable, a name) goes in the replay.
func (b *addressBook) target(addr string, literal bool, env Env) joinTarget {
	toManager := func(why string) joinTarget {
		repl := env.ManagerAddr + ":2377"
		return joinTarget{repl: repl, note: fmt.Sprintf("manager address: %s → %s (%s)", addr, repl, why)}
	}
	m := ipPortRe.FindStringSubmatch(addr)
	if !literal || m == nil {
		if name, port, _ := strings.Cut(addr, ":"); literal && env.NodeAddrs[name] != "" {
			repl := env.NodeAddrs[name] + portSuffix(port, addr)
			return joinTarget{repl: repl, note: fmt.Sprintf("join address: %s names node %s → %s, %s's address in the replay", addr, name, repl, name)}
		}
		return toManager("not an address the submission shows: taken to be the replay's manager")
	}
	ip := m[1]
	port := strings.TrimPrefix(addr, ip)
	node, ev, ambiguous := b.node(ip)
	switch {
	case node != "" && env.NodeAddrs[node] != "":
		repl := env.NodeAddrs[node] + port
		role := "node " + node
		if b.managers[node] {
			role = "the manager " + node
		}
		return joinTarget{repl: repl, note: fmt.Sprintf("join address: %s is %s's in the submission (%s) → %s, %s's address in the replay", addr, role, ev, repl, node)}
	case node != "" && b.managers[node]:
		return toManager(fmt.Sprintf("the manager %s's in the submission (%s)", node, ev))
	case node != "":
		return joinTarget{note: fmt.Sprintf("join address: %s is %s's in the submission (%s), a node the replay does not have: left as is", addr, node, ev)}
	case len(ambiguous) > 0:
		return joinTarget{note: fmt.Sprintf("join address: %s is claimed by %s in the submission: left as is", addr, strings.Join(ambiguous, " and "))}
	}
	if known := b.managerAddrs(); len(known) > 0 {
		return joinTarget{note: fmt.Sprintf("join address: %s is no node's in the submission (the manager's is %s): left as is", addr, strings.Join(known, ", "))}
	}
	return toManager("the submission ties it to no node and never shows the manager's address: taken to be the manager's")
}

func portSuffix(port, addr string) string {
	if strings.Contains(addr, ":") {
		return ":" + port
	}
	return ""
}

// JoinToken returns the literal join token a line's `docker swarm join`
// gives, "" when it joins with none or with an expansion.
func (a *Analysis) JoinToken() string {
	for _, c := range a.Calls {
		if c.Path != "swarm join" {
			continue
		}
		if f, ok := c.Flag("--token"); ok && f.Literal && joinTokenRe.MatchString(f.Value) {
			return f.Value
		}
	}
	return ""
}

// PrintedTokens returns the join tokens the command's recorded output
// shows, when the command is a `docker swarm init` or `docker swarm
// join-token`: the tokens the student had to join with.
func (c Command) PrintedTokens() []string {
	calls := c.Analysis().Calls
	if len(calls) != 1 || (calls[0].Path != "swarm init" && calls[0].Path != "swarm join-token") {
		return nil
	}
	return joinTokenRe.FindAllString(c.Output, -1)
}
