package submission

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// Env is what the replay cluster has where the student's had its own.
type Env struct {
	WorkerToken, ManagerToken string
	// ManagerAddr is the replay manager's IP address.
	ManagerAddr string
	// NodeAddrs maps a lab node name to its replay IP address.
	NodeAddrs map[string]string
	// NodeIDs maps a hostname to its replay swarm node ID; it may be empty
	// before the swarm forms.
	NodeIDs map[string]string
}

// Translator rewrites what belonged to the student's cluster into the
// replay's: join tokens, node addresses, node, container and service IDs.
// It learns the student's identifiers from what the submission recorded
// and pairs each with the replay's from the replay's output of the same
// command. Hostnames and anything it does not recognise are left alone.
type Translator struct {
	// tokens maps a student's join token to "worker" or "manager".
	tokens map[string]string
	// book ties the student's addresses to nodes.
	book *addressBook
	// nodeIDs maps a student's swarm node ID to its hostname.
	nodeIDs map[string]string
	// replayNodeIDs maps hostnames to replay node IDs seen in replay
	// output, for when Env.NodeIDs lacks one.
	replayNodeIDs map[string]string
	containers    []idPair
	services      []idPair
	// unshown are containers the replay created for a `docker run` whose
	// output the submission did not record (scripts record none), per node.
	unshown map[string][]idPair
	// node is the node of the command being rewritten.
	node string
	// machines maps the student's machine names to lab nodes
	// (Submission.Machines).
	machines map[string]string
}

// idPair is a container or service of the student's and the replay's
// counterpart, when one was found.
type idPair struct {
	student, replay string
	// line is where the submission first showed the student's ID.
	line int
}

// NewTranslator returns a Translator that knows nothing yet.
func NewTranslator() *Translator {
	return &Translator{
		tokens:        map[string]string{},
		book:          newAddressBook(),
		nodeIDs:       map[string]string{},
		replayNodeIDs: map[string]string{},
		unshown:       map[string][]idPair{},
	}
}

// NewSessionTranslator returns a Translator that knows, before any command
// runs, which node each of the student's addresses belongs to, from the
// evidence of the whole session: a join on node2 may be replayed before
// the prompt or output that says whose address it names. It also knows
// which lab node each of the student's own machines stands for, so that a
// `docker node ls` row naming worker1 teaches worker1's ID as node2's.
func NewSessionTranslator(sub *Submission) *Translator {
	t := NewTranslator()
	t.machines = sub.Machines
	t.book.machines = sub.Machines
	t.book.survey(sub.Commands)
	return t
}

// labNode is the lab node a hostname in the student's output stands for:
// a machine's lab node, else the name itself.
func labNode(machines map[string]string, host string) string {
	if n, ok := machines[host]; ok {
		return n
	}
	return host
}

// Learn reads what the submission recorded for a command and what the
// replay printed for it. Call it for every command in replay order, after
// the command ran (replayStdout "" when it did not).
func (t *Translator) Learn(cmd Command, replayStdout string) {
	t.book.learn(cmd)
	calls := cmd.Analysis().Calls
	// Output belongs to the command as a whole: only a single docker
	// command's output can be read as that command's.
	if len(calls) != 1 {
		return
	}
	c := calls[0]
	out, replay := cmd.Output, replayStdout
	switch c.Path {
	case "swarm init":
		t.learnTokens(out, "worker")
		if id := firstSubmatch(initNodeRe, out); id != "" {
			t.nodeIDs[id] = cmd.Node
		}
		if id := firstSubmatch(initNodeRe, replay); id != "" {
			t.replayNodeIDs[cmd.Node] = id
		}
	case "swarm join-token":
		kind := "worker"
		for _, i := range c.Args {
			if w := c.Words[i]; w.Literal && w.Lit == "manager" {
				kind = "manager"
			}
		}
		t.learnTokens(out, kind)
	case "node ls":
		for _, r := range nodeTable(out) {
			t.nodeIDs[r.id] = labNode(t.machines, r.name)
		}
		for _, r := range nodeTable(replay) {
			t.replayNodeIDs[r.name] = r.id
		}
	case "node inspect":
		ids, hosts, _ := inspectedNodes(out)
		for i := range ids {
			t.nodeIDs[ids[i]] = labNode(t.machines, hosts[i])
		}
		ids, hosts, _ = inspectedNodes(replay)
		for i := range ids {
			t.replayNodeIDs[hosts[i]] = ids[i]
		}
	case "info":
		if id := firstSubmatch(infoNodeIDRe, out); id != "" {
			t.nodeIDs[id] = cmd.Node
		}
	case "run", "create":
		if id := lastMatch(containerLineRe, out); id != "" {
			t.containers = addPair(t.containers, id, lastMatch(containerLineRe, replay), cmd.Line)
		} else if id := lastMatch(containerLineRe, replay); id != "" {
			t.unshown[cmd.Node] = append(t.unshown[cmd.Node], idPair{replay: id, line: cmd.Line})
		}
	case "ps":
		for _, pr := range pairRows(containerTable(out), containerTable(replay)) {
			t.containers = addPair(t.containers, pr[0].id, pr[1].id, cmd.Line)
		}
		for _, r := range containerTable(out) {
			t.containers = addPair(t.containers, r.id, "", cmd.Line)
		}
	case "service create":
		if id := firstMatch(serviceLineRe, out); id != "" {
			t.services = addPair(t.services, id, firstMatch(serviceLineRe, replay), cmd.Line)
		}
	case "service ls":
		for _, pr := range pairRows(serviceTable(out), serviceTable(replay)) {
			t.services = addPair(t.services, pr[0].id, pr[1].id, cmd.Line)
		}
	case "service inspect":
		for _, pr := range pairRows(inspectedServices(out), inspectedServices(replay)) {
			t.services = addPair(t.services, pr[0].id, pr[1].id, cmd.Line)
		}
	}
}

func (t *Translator) learnTokens(out, kind string) {
	for _, tok := range joinTokenRe.FindAllString(out, -1) {
		if _, known := t.tokens[tok]; !known || kind == "manager" {
			t.tokens[tok] = kind
		}
	}
}

func firstMatch(re *regexp.Regexp, s string) string { return re.FindString(s) }

// addPair records a student ID and its replay counterpart, merging with an
// entry for the same object (a short ID from docker ps and the full one
// docker run printed are one container).
func addPair(pairs []idPair, student, replay string, line int) []idPair {
	if student == "" {
		return pairs
	}
	for i := range pairs {
		p := &pairs[i]
		if strings.HasPrefix(p.student, student) || strings.HasPrefix(student, p.student) {
			if len(student) > len(p.student) {
				p.student = student
			}
			if p.replay == "" || (replay != "" && len(replay) > len(p.replay) && strings.HasPrefix(replay, p.replay)) {
				p.replay = replay
			}
			return pairs
		}
	}
	return append(pairs, idPair{student: student, replay: replay, line: line})
}

// edit replaces text[start:end].
type edit struct {
	start, end int
	repl, note string
}

// Commands whose arguments name nodes, containers or services.
var (
	nodeArgCommands      = set("node-update node-inspect node-rm node-ps node-promote node-demote")
	containerArgCommands = set("kill stop start restart rm logs inspect exec attach top port pause unpause update wait stats commit export diff rename cp")
	serviceArgCommands   = set("service-rm service-ps service-inspect service-update service-logs service-scale service-rollback")
	// firstArgOnly are the commands whose later arguments are not IDs.
	firstArgOnly = set("exec rename commit export")
	idFragment   = regexp.MustCompile(`^[0-9a-z]+$`)
	constraintRe = regexp.MustCompile(`^(node\.id\s*[!=]=\s*)([0-9a-z]+)$`)
	ipInWordRe   = regexp.MustCompile(`\b\d{1,3}(?:\.\d{1,3}){3}\b`)
)

// Rewrite returns the command to run in the replay and one note per
// translation made.
func (t *Translator) Rewrite(cmd Command, env Env) (string, []string) {
	t.node = cmd.Node
	a := cmd.Analysis()
	var edits []edit
	for _, c := range a.Calls {
		edits = append(edits, t.rewriteCall(a, c, env)...)
	}
	if len(edits) == 0 {
		return cmd.Text, nil
	}
	sort.SliceStable(edits, func(i, j int) bool { return edits[i].start < edits[j].start })
	var b strings.Builder
	var notes []string
	pos := 0
	for _, e := range edits {
		if e.start < pos {
			continue // overlapping: the first (leftmost) edit wins
		}
		b.WriteString(cmd.Text[pos:e.start])
		b.WriteString(e.repl)
		pos = e.end
		if e.note != "" {
			notes = append(notes, e.note)
		}
	}
	b.WriteString(cmd.Text[pos:])
	return b.String(), notes
}

func (t *Translator) rewriteCall(a *Analysis, c *DockerCall, env Env) []edit {
	var edits []edit
	joinAddr := -1
	if c.Path == "swarm join" {
		edits = append(edits, t.rewriteJoin(a, c, env, &joinAddr)...)
	}
	key := strings.ReplaceAll(c.Path, " ", "-")
	for n, i := range c.Args {
		if i == joinAddr || (firstArgOnly[key] && n > 0) {
			continue
		}
		w := c.Words[i]
		switch {
		case nodeArgCommands[key]:
			edits = append(edits, t.nodeIDEdit(w, "", env)...)
		case serviceArgCommands[key]:
			edits = append(edits, t.idEdit(w, t.services, "service", "=")...)
		case containerArgCommands[key]:
			if c.Path == "inspect" {
				if e := t.idEdit(w, t.services, "service", ""); len(e) > 0 {
					edits = append(edits, e...)
					continue
				}
				if e := t.nodeIDEdit(w, "", env); len(e) > 0 {
					edits = append(edits, e...)
					continue
				}
			}
			edits = append(edits, t.containerEdit(w)...)
		}
	}
	for _, fl := range c.Flags {
		if (fl.Name == "--constraint" || fl.Name == "--constraint-add") && fl.ValueWord >= 0 {
			edits = append(edits, t.nodeIDEdit(c.Words[fl.ValueWord], "constraint", env)...)
		}
	}
	for i, w := range c.Words {
		if i != joinAddr {
			edits = append(edits, t.addrEdits(w, env)...)
		}
	}
	return edits
}

// rewriteJoin gives `docker swarm join` the replay's token of the same
// kind and the replay manager's address.
func (t *Translator) rewriteJoin(a *Analysis, c *DockerCall, env Env, addrWord *int) []edit {
	var edits []edit
	if f, ok := c.Flag("--token"); ok {
		kind, how := "worker", "worker assumed: the submission never showed which kind it is"
		if f.Literal && !(f.Inline && !c.Words[f.Word].Literal) {
			if k, known := t.tokens[f.Value]; known {
				kind, how = k, "as the submission's own output showed"
			}
		} else {
			w := c.Words[f.Word]
			if f.ValueWord >= 0 {
				w = c.Words[f.ValueWord]
			}
			if k := a.tokenKind(w); k != "" {
				kind, how = k, "as its $(docker swarm join-token) asks"
			}
		}
		token := env.WorkerToken
		if kind == "manager" {
			token = env.ManagerToken
		}
		if token != "" {
			w := c.Words[f.Word]
			start, end, repl := w.Start, w.End, f.Name+"="+token
			if f.ValueWord >= 0 {
				w = c.Words[f.ValueWord]
				start, end, repl = w.Start, w.End, token
			}
			edits = append(edits, edit{start, end, repl, fmt.Sprintf("join token: the student's %s token replaced with the replay's (%s)", kind, how)})
		}
	}
	if n := len(c.Args); n > 0 && env.ManagerAddr != "" {
		i := c.Args[n-1]
		*addrWord = i
		w := c.Words[i]
		text, start, end, ok := idText(w)
		if !ok {
			text, start, end = a.Text[w.Start:w.End], w.Start, w.End
		}
		tg := t.book.target(text, ok, env)
		if tg.repl == "" {
			// Left as is, and said so: the join goes where the student's went.
			edits = append(edits, edit{start, start, "", tg.note})
		} else {
			edits = append(edits, edit{start, end, tg.repl, tg.note})
		}
	}
	return edits
}

// tokenKind reads $(docker swarm join-token -q manager) as "manager".
func (a *Analysis) tokenKind(w Word) string {
	for _, s := range w.substs {
		if len(s.Stmts) != 1 {
			continue
		}
		x, ok := s.Stmts[0].Cmd.(*syntax.CallExpr)
		if !ok {
			continue
		}
		c := a.call(x)
		if c == nil || c.Path != "swarm join-token" {
			continue
		}
		for _, i := range c.Args {
			if c.Words[i].Lit == "manager" || c.Words[i].Lit == "worker" {
				return c.Words[i].Lit
			}
		}
	}
	return ""
}

// idText returns the rewritable text of a word: a literal that is either
// unquoted or one quoted string, with its offsets (inside the quotes for a
// quoted one). Anything else is not rewritten.
func idText(w Word) (text string, start, end int, ok bool) {
	text, start, end, _, ok = quotedText(w)
	return text, start, end, ok
}

// quotedText is idText that also says whether the word was quoted.
func quotedText(w Word) (text string, start, end int, quoted, ok bool) {
	if !w.Literal || len(w.node.Parts) != 1 {
		return "", 0, 0, false, false
	}
	switch p := w.node.Parts[0].(type) {
	case *syntax.Lit:
		if strings.Contains(p.Value, `\`) {
			return "", 0, 0, false, false
		}
		return p.Value, off(p.Pos()), off(p.End()), false, true
	case *syntax.SglQuoted:
		return p.Value, off(p.Pos()) + 1, off(p.End()) - 1, true, !p.Dollar
	case *syntax.DblQuoted:
		if len(p.Parts) == 1 {
			if lit, ok := p.Parts[0].(*syntax.Lit); ok && !strings.Contains(lit.Value, `\`) {
				return lit.Value, off(lit.Pos()), off(lit.End()), true, true
			}
		}
	}
	return "", 0, 0, false, false
}

// nodeIDEdit rewrites a student's node ID, or a unique prefix of one, to
// the replay ID of the same hostname. In a constraint only the value after
// node.id== is an ID.
func (t *Translator) nodeIDEdit(w Word, kind string, env Env) []edit {
	text, start, end, ok := idText(w)
	if !ok {
		return nil
	}
	if kind == "constraint" {
		m := constraintRe.FindStringSubmatch(text)
		if m == nil {
			return nil
		}
		start += len(m[1])
		text = m[2]
	}
	if !idFragment.MatchString(text) || t.isHostname(text) {
		return nil
	}
	ids := make([]string, 0, len(t.nodeIDs))
	for id := range t.nodeIDs {
		ids = append(ids, id)
	}
	id, ok := uniquePrefix(text, ids)
	if !ok {
		return nil
	}
	host := t.nodeIDs[id]
	replay := env.NodeIDs[host]
	if replay == "" {
		replay = t.replayNodeIDs[host]
	}
	if replay == "" {
		return []edit{{start, start, "", fmt.Sprintf("node ID %s is %s's in the submission, but the replay has no ID for %s yet: left as is", text, host, host)}}
	}
	return []edit{{start, end, replay, fmt.Sprintf("node ID: %s (%s) → %s, %s's ID in the replay", text, host, replay, host)}}
}

func (t *Translator) isHostname(s string) bool {
	for _, h := range t.nodeIDs {
		if h == s {
			return true
		}
	}
	return false
}

// idEdit rewrites a container or service ID, or a unique prefix of one,
// standing alone or before sep (ID:/path for docker cp, ID=7 for docker
// service scale).
func (t *Translator) idEdit(w Word, pairs []idPair, what, sep string) []edit {
	text, start, end, ok := idText(w)
	if !ok {
		return nil
	}
	if sep != "" {
		if before, _, found := strings.Cut(text, sep); found {
			end = start + len(before)
			text = before
		}
	}
	if !idFragment.MatchString(text) {
		return nil
	}
	ids := make([]string, len(pairs))
	for i, p := range pairs {
		ids[i] = p.student
	}
	id, ok := uniquePrefix(text, ids)
	if !ok {
		return nil
	}
	for _, p := range pairs {
		if p.student != id {
			continue
		}
		if p.replay == "" {
			return []edit{{start, start, "", fmt.Sprintf("%s ID %s is the student's %s from line %d, which has no counterpart in the replay: left as is", what, text, what, p.line)}}
		}
		return []edit{{start, end, p.replay, fmt.Sprintf("%s ID: %s (line %d) → %s", what, text, p.line, p.replay)}}
	}
	return nil
}

// uniquePrefix returns the one ID that s is a prefix of.
func uniquePrefix(s string, ids []string) (string, bool) {
	found := ""
	for _, id := range ids {
		if strings.HasPrefix(id, s) {
			if found != "" && found != id {
				return "", false
			}
			found = id
		}
	}
	return found, found != ""
}

// addrEdits rewrites the student's node addresses in a word to the replay
// addresses of the same nodes.
func (t *Translator) addrEdits(w Word, env Env) []edit {
	text, start, _, quoted, ok := quotedText(w)
	if !ok || (quoted && !ipPortRe.MatchString(text)) {
		// Inside a quoted string only a lone address is one.
		return nil
	}
	var edits []edit
	for _, loc := range ipInWordRe.FindAllStringIndex(text, -1) {
		ip := text[loc[0]:loc[1]]
		node, _, _ := t.book.node(ip)
		if node == "" || env.NodeAddrs[node] == "" || env.NodeAddrs[node] == ip {
			continue
		}
		repl := env.NodeAddrs[node]
		edits = append(edits, edit{start + loc[0], start + loc[1], repl, fmt.Sprintf("address: %s (%s) → %s, %s's address in the replay", ip, node, repl, node)})
	}
	return edits
}

// hexID is what a container ID a student copied from `docker ps` looks like.
var hexID = regexp.MustCompile(`^[0-9a-f]{12,64}$`)

// containerEdit rewrites a container ID. An ID the submission never showed
// in any output (a script records none) is taken to be the one container
// the student's `docker run` created on this node whose ID was not
// recorded, when there is exactly one: the student copied its ID from a
// `docker ps` they did not paste.
func (t *Translator) containerEdit(w Word) []edit {
	if e := t.idEdit(w, t.containers, "container", ":"); e != nil {
		return e
	}
	text, start, end, ok := idText(w)
	if !ok || !hexID.MatchString(text) || len(t.unshown[t.node]) != 1 {
		return nil
	}
	p := t.unshown[t.node][0]
	t.unshown[t.node] = nil
	t.containers = addPair(t.containers, text, p.replay, p.line)
	return []edit{{start, end, p.replay, fmt.Sprintf("container ID: %s was never shown in the submission; taken to be the container `docker run` on line %d created on %s → %s", text, p.line, t.node, p.replay)}}
}
