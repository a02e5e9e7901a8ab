package writeup

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/labcheck/labcheck/internal/textdist"
)

// SnapConfidence is the OCR confidence below which a docker verb or flag
// is snapped to the nearest one docker knows. A word read at least this
// sure is what the student typed, typos included: the policy judges it.
const SnapConfidence = 85

// ConfidenceBar is the OCR confidence below which a command is marked
// "check by hand".
const ConfidenceBar = 50

// largeEdit is the edit distance from which a correction counts as large:
// the command is marked "check by hand" whatever OCR's confidence.
const largeEdit = 3

// kind is what a screenshot line is.
type kind int

const (
	kindOutput  kind = iota
	kindHeader       // [node1] (local) root@192.168.0.18 ~
	kindCommand      // $ docker ...
	kindBanner       // the ##### rule of Play with Docker's welcome banner
)

// line is a screenshot line on its way to a transcript line.
type line struct {
	image int
	kind  kind
	text  string
	toks  []tok
	// header fields, once read.
	node, addr string
	// cmd is a header's own command ("... ~ $ docker ps"), one-line style.
	cmd         string
	corrections []string
	large       bool
	conf        float64
}

func (l *line) correct(from, to string, dist int) {
	if from == to {
		return
	}
	l.corrections = append(l.corrections, fmt.Sprintf("`%s` → `%s`", from, to))
	if dist >= largeEdit {
		l.large = true
	}
}

var (
	// headerish is a Play with Docker header as OCR bends it:
	// "Cnode1]  <local} root#@192,168.0,18 ~".
	headerish = regexp.MustCompile(`^\W{0,2}\S{3,7}\s*\S{0,2}\s+\S{0,2}\s*\S?[lI1][o0]ca[lI1]\S*\s+\S*?[@#]+\s*(\S+)`)
	// headerCmd is the command of a one-line header, after the address.
	headerCmd  = regexp.MustCompile(`^\s*(?:\S{1,2}\s+)?(?:[$*€&%S]\s+)?([a-z].*)$`)
	addrDigits = regexp.MustCompile(`(\d{1,4})[.,]\s?(\d{1,3})[.,]\s?(\d{1,3})[.,]\s?(\d{1,3})`)
	// nodeDigit reads the digit OCR bent: "nodel", "nodet" and "node?"
	// are node1, node1 and node2 as the shapes go.
	nodeDigit = map[byte]byte{'1': '1', 'l': '1', 'i': '1', 'I': '1', 't': '1', '|': '1', '!': '1', ']': '1', 'j': '1',
		'2': '2', '?': '2', 'z': '2', 'Z': '2', '3': '3', 's': '3', 'S': '3', '5': '3', '8': '3', 'B': '3',
		'4': '4', '6': '6', '7': '7', '9': '9', '0': '0'}
	// commandStart is the "$ " prompt of the line under a header; OCR
	// reads the dollar as other marks too.
	commandStart = regexp.MustCompile(`^(?:\$+|[€S&*%#]\s|[€&*%#]$)\s*(.*)$`)
	dashLike     = strings.NewReplacer("—", "--", "–", "--", "‒", "--", "―", "--", "−", "-", "‘", "'", "’", "'", "“", `"`, "”", `"`)
)

// classify sorts a screenshot's lines into banner rules, headers,
// commands and output.
func classify(image int, sls []screenLine) []*line {
	var out []*line
	prevHeader := false
	for _, sl := range sls {
		text := dashLike.Replace(strings.TrimSpace(sl.text))
		l := &line{image: image, text: text, toks: sl.toks, conf: 100}
		if sl.joined {
			l.corrections = append(l.corrections, "joined a row wrapped at the terminal's edge")
		}
		switch {
		case isBannerRule(text):
			l.kind = kindBanner
		case headerish.MatchString(text):
			l.kind = kindHeader
		case prevHeader && commandStart.MatchString(text) && !headerHasCmd(out[len(out)-1].text):
			l.kind = kindCommand
		}
		prevHeader = l.kind == kindHeader
		out = append(out, l)
	}
	return out
}

func headerHasCmd(t string) bool {
	m := headerish.FindStringSubmatch(t)
	return m != nil && headerCmd.MatchString(t[strings.Index(t, m[1])+len(m[1]):])
}

// isBannerRule is a row of '#' as OCR reads it: "HHHPHHEHH...".
func isBannerRule(t string) bool {
	if len(t) < 20 || strings.Count(t, " ") > len(t)/8 {
		return false
	}
	n := 0
	for _, c := range t {
		if strings.ContainsRune("#HPERSEMBNK", c) {
			n++
		}
	}
	return n*10 >= len(t)*8
}

// session corrects the lines of the screenshots of one write-up together:
// what one screenshot shows clearly (node1's address, an ID in `docker
// node ls`) fixes what another shows badly.
type session struct {
	nodes []string
	lines []*line
	// nodeAt maps the address each node's prompts show to the node.
	nodeAt map[string]string
}

func (s *session) run() {
	s.banners()
	s.headers()
	for _, l := range s.lines {
		if l.kind == kindCommand {
			s.command(l)
		}
	}
	s.tables()
	s.ids()
	s.joinAddrs()
	for _, l := range s.lines {
		for _, t := range l.toks {
			l.conf = min(l.conf, t.conf)
		}
	}
}

// banners rebuilds the welcome banner the transcript reader knows.
func (s *session) banners() {
	in := false
	for _, l := range s.lines {
		switch {
		case l.kind == kindBanner:
			l.text = strings.Repeat("#", 63)
			in = !in
		case in:
			l.text = "# " + strings.TrimLeft(l.text, "#tH ")
		}
	}
}

// headers reads each Play with Docker header's node and address, then
// settles the ones OCR bent by the address other headers show for the
// same node.
func (s *session) headers() {
	votes := map[string]map[string]int{} // node → addr → count
	for _, l := range s.lines {
		if l.kind != kindHeader {
			continue
		}
		m := headerish.FindStringSubmatch(l.text)
		if m == nil {
			continue
		}
		first := strings.Fields(l.text)[0]
		l.node = s.nodeName(first)
		exact := strings.Trim(first, "[]") == l.node
		addr := regexp.MustCompile(`[.,]+`).ReplaceAllString(strings.NewReplacer("i", "1", "l", "1", "I", "1", "O", "0", "o", "0").Replace(m[1]), ".")
		if a := addrDigits.FindStringSubmatch(addr); a != nil {
			first := a[1]
			if len(first) == 4 {
				first = first[:3] // "1927": a stray mark before the dot
			}
			l.addr = first + "." + a[2] + "." + a[3] + "." + a[4]
		}
		rest := l.text[strings.Index(l.text, m[1])+len(m[1]):]
		if c := headerCmd.FindStringSubmatch(rest); c != nil {
			l.cmd = strings.TrimSpace(c[1])
		}
		if exact && l.addr != "" {
			if votes[l.node] == nil {
				votes[l.node] = map[string]int{}
			}
			votes[l.node][l.addr]++
		}
	}
	addrOf := map[string]string{}
	nodeAt := map[string]string{}
	for node, as := range votes {
		addrOf[node] = top(as)
		nodeAt[addrOf[node]] = node
	}
	s.nodeAt = nodeAt
	prev := ""
	for _, l := range s.lines {
		if l.kind != kindHeader {
			continue
		}
		was := l.text
		if l.node == "" {
			if n, ok := nodeAt[l.addr]; ok {
				l.node = n
			} else if n := nearestAddr(l.addr, nodeAt); n != "" {
				l.node = n
			} else {
				l.node = prev
			}
		}
		if l.node == "" {
			l.kind = kindOutput
			continue
		}
		if a, ok := addrOf[l.node]; ok {
			l.addr = a
		}
		prev = l.node
		l.text = fmt.Sprintf("[%s] (local) root@%s ~", l.node, l.addr)
		if l.cmd != "" {
			l.text += " $ " + l.cmd
		}
		if l.text != was {
			l.corrections = append(l.corrections, fmt.Sprintf("prompt read as `%s`", was))
		}
	}
	// A one-line header's command is corrected like any other.
	for _, l := range s.lines {
		if l.kind == kindHeader && l.cmd != "" {
			c := &line{image: l.image, kind: kindCommand, text: "$ " + l.cmd, toks: l.toks}
			s.command(c)
			l.text = fmt.Sprintf("[%s] (local) root@%s ~ %s", l.node, l.addr, c.text)
			l.corrections = append(l.corrections, c.corrections...)
			l.large = l.large || c.large
		}
	}
}

func top(counts map[string]int) string {
	keys := make([]string, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	best := ""
	for _, k := range keys {
		if best == "" || counts[k] > counts[best] {
			best = k
		}
	}
	return best
}

// joinTail is the manager address at the end of a `docker swarm join` as
// OCR bends it: "192.168.0.332:2377", "197.168 .0,33:2377".
var joinTail = regexp.MustCompile(`(\d{1,4}\s?[.,]\s?\d{1,3}\s?[.,]\s?\d{1,3}\s?[.,]\s?\d{1,4})\s?[:;]\s?(\d{3,5})\s*$`)

// joinAddrs snaps the address a join dials to the nearest address the
// session's prompts show: a join names a node of the session (usually the
// manager), and OCR's stray digit must not send the replay's join nowhere.
// An address near none of them stays as read: the translator then decides,
// and a join to a worker's own address stays that worker's.
func (s *session) joinAddrs() {
	for _, l := range s.lines {
		prefix, body, isCmd := split(l)
		if !isCmd || !strings.Contains(body, "swarm join") {
			continue
		}
		m := joinTail.FindStringSubmatchIndex(body)
		if m == nil {
			continue
		}
		read := body[m[2]:m[3]]
		addr := strings.NewReplacer(" ", "", ",", ".").Replace(read)
		node := s.nodeAt[addr]
		if node == "" {
			switch ns := nearestNodes(addr, s.nodeAt); {
			case len(ns) == 1:
				node = ns[0]
			case slices.Contains(ns, s.initNode()):
				// As near the manager as a worker: a join dials the manager.
				node = s.initNode()
			}
		}
		if node == "" {
			continue
		}
		var canon string
		for a, n := range s.nodeAt {
			if n == node {
				canon = a
			}
		}
		port := body[m[4]:m[5]]
		if textdist.Distance(port, "2377") <= 1 {
			port = "2377"
		}
		fixed := canon + ":" + port
		if was := body[m[2]:m[5]]; was != fixed {
			l.correct(was, fixed, textdist.Distance(was, fixed))
			l.corrections[len(l.corrections)-1] += " (the address " + node + "'s prompts show)"
			// A student's own typo in the address would be snapped too:
			// an instructor compares it with the image.
			l.large = true
			l.text = prefix + body[:m[2]] + fixed + body[m[5]:]
		}
	}
}

// nearestAddr is the node whose address addr is nearest to; "" when none
// is near or two nodes are as near: "192.168.0.332" is as near node1's
// .33 as node2's .32, and a guess would be wrong half the time.
func nearestAddr(addr string, nodeAt map[string]string) string {
	if ns := nearestNodes(addr, nodeAt); len(ns) == 1 {
		return ns[0]
	}
	return ""
}

// nearestNodes are the nodes whose addresses are nearest to addr, within
// an edit distance of 2, in the addresses' order.
func nearestNodes(addr string, nodeAt map[string]string) []string {
	if addr == "" {
		return nil
	}
	var best []string
	bestD := 3
	for _, a := range keys(nodeAt) {
		n := nodeAt[a]
		switch d := textdist.Distance(a, addr); {
		case d < bestD:
			best, bestD = []string{n}, d
		case d == bestD && !slices.Contains(best, n):
			best = append(best, n)
		}
	}
	return best
}

// initNode is the node the session's `docker swarm init` ran on: the
// manager a join dials.
func (s *session) initNode() string {
	cur := ""
	for _, l := range s.lines {
		if l.kind == kindHeader {
			cur = l.node
		}
		if _, body, isCmd := split(l); isCmd && strings.Contains(body, "swarm init") || l.kind == kindHeader && strings.Contains(l.cmd, "swarm init") {
			return cur
		}
	}
	return ""
}

// nodeName reads a lab node's name from what OCR made of it: "nodel",
// "node?", "Cnode2". "" when it cannot tell which node.
func (s *session) nodeName(w string) string {
	w = strings.TrimLeft(strings.Trim(w, "[](){}<>| "), "C({[")
	for _, n := range s.nodes {
		if w == n {
			return n
		}
	}
	if len(w) >= 5 {
		stem, last := w[:len(w)-1], w[len(w)-1]
		if d, ok := nodeDigit[last]; ok && textdist.Distance(strings.ToLower(stem), "node") <= 1 {
			name := "node" + string(d)
			for _, n := range s.nodes {
				if n == name {
					return n
				}
			}
		}
	}
	return ""
}

// command corrects a `$ docker ...` line against the docker CLI's words.
func (s *session) command(l *line) {
	m := commandStart.FindStringSubmatch(l.text)
	if m == nil {
		return
	}
	words := strings.Fields(m[1])
	confs := tokConfs(l.toks, len(words))
	if len(words) == 0 {
		l.text = "$"
		return
	}
	if w := words[0]; w != "docker" && textdist.Distance(strings.ToLower(w), "docker") <= 2 {
		l.correct(w, "docker", textdist.Distance(w, "docker"))
		words[0] = "docker"
	}
	if words[0] == "docker" {
		words = s.dockerWords(l, words, confs)
	}
	text := strings.Join(words, " ")
	// "$(hostname -i}": OCR bends the closing parenthesis.
	if strings.Contains(text, "$(") && !strings.Contains(text, ")") {
		fixed := regexp.MustCompile(`[}\]|?]`).ReplaceAllString(text, ")")
		l.correct(text, fixed, 1)
		text = fixed
	}
	l.text = "$ " + text
}

// tokConfs gives each of the n words of a command its confidence: they
// are the line's last n tokens, the prompt before them.
func tokConfs(toks []tok, n int) []float64 {
	out := make([]float64, n)
	off := len(toks) - n
	for i := range out {
		if i+off >= 0 {
			out[i] = toks[i+off].conf
		}
	}
	return out
}

// lsLike are the ways OCR reads "ls".
var lsLike = map[string]bool{"1s": true, "Is": true, "is": true, "1S": true, "|s": true, "Ls": true}

var (
	plainWord = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)
	tokenWord = regexp.MustCompile(`^S[A-Z]{3,6}-?[1lI]?-`)
	notToken  = regexp.MustCompile(`[^A-Za-z0-9-]`)
	addrMore  = regexp.MustCompile(`^[:.,\d]+$`)
	addrWord  = regexp.MustCompile(`^\d{1,3}[.,]\d{1,3}[.,]?\d{0,3}`)
)

func (s *session) dockerWords(l *line, words []string, confs []float64) []string {
	snap := func(i int, cands []string) {
		w := words[i]
		if confs[i] >= SnapConfidence || !plainWord.MatchString(w) {
			return
		}
		if best, d := nearest(w, cands); best != "" && best != w {
			l.correct(w, best, d)
			words[i] = best
		}
	}
	if len(words) > 1 {
		if lsLike[words[1]] {
			l.correct(words[1], "ls", 1)
			words[1] = "ls"
		}
		snap(1, keys(dockerCommands))
	}
	argStart := 2
	if len(words) > 2 && isManagement(words[1]) {
		if lsLike[words[2]] {
			l.correct(words[2], "ls", 1)
			words[2] = "ls"
		}
		snap(2, dockerCommands[words[1]])
		argStart = 3
	}
	path := commandPath(words[1:])
	var out []string
	out = append(out, words[:min(argStart, len(words))]...)
	for i := argStart; i < len(words); i++ {
		w := words[i]
		switch {
		case strings.HasPrefix(strings.TrimLeft(w, "-~=_"), "SWM") || (len(out) > 0 && out[len(out)-1] == "--token"):
			// A join token: OCR splits it at the 1/l/i it cannot tell
			// apart. Glue it up to the address.
			tokn := w
			for i+1 < len(words) && !addrWord.MatchString(words[i+1]) {
				i++
				tokn += words[i]
			}
			fixed := notToken.ReplaceAllString(tokenWord.ReplaceAllString(tokn, "SWMTKN-1-"), "")
			if fixed != w {
				l.correct(strings.Join(words[len(out):i+1], " "), fixed, 0)
			}
			out = append(out, fixed)
		case addrWord.MatchString(w):
			addr := w
			for i+1 < len(words) && addrMore.MatchString(words[i+1]) {
				i++
				addr += words[i]
			}
			fixed := regexp.MustCompile(`\.{2,}`).ReplaceAllString(strings.ReplaceAll(addr, ",", "."), ".")
			if !strings.Contains(fixed, ":") && strings.HasSuffix(fixed, "2377") && strings.Count(fixed, ".") == 3 {
				// The swarm port, its colon lost.
				fixed = strings.TrimSuffix(fixed, "2377") + ":2377"
			}
			if fixed != w {
				l.correct(w, fixed, 0)
			}
			out = append(out, fixed)
		case strings.HasPrefix(w, "-") || strings.HasPrefix(w, "~") || strings.HasPrefix(w, "="):
			out = append(out, s.flag(l, path, w, confs[i]))
		default:
			if confs[i] < SnapConfidence && plainWord.MatchString(w) {
				if n := s.nodeName(w); n != "" && n != w && len(w) <= 6 {
					l.correct(w, n, 1)
					w = n
				} else if best, d := nearest(w, commonArgs); best != "" && best != w {
					l.correct(w, best, d)
					w = best
				}
			}
			out = append(out, w)
		}
	}
	return out
}

// flag snaps a flag OCR bent ("-~-token", "—replicas", "--replicaz").
func (s *session) flag(l *line, path, w string, conf float64) string {
	name, value, inline := strings.Cut(w, "=")
	if !strings.HasPrefix(name, "-") {
		inline = false
		name, value = w, ""
	}
	letters := strings.TrimLeft(name, "-~=_")
	fixed := name
	if len(letters) > 1 && !(len(name)-len(letters) == 1 && len(letters) <= 3) {
		fixed = "--" + letters
	} else {
		fixed = "-" + letters
	}
	if !knownFlag(path, fixed) && conf < SnapConfidence {
		if best, _ := nearest(fixed, dockerFlags[path]); best != "" {
			fixed = best
		}
	}
	if inline {
		fixed += "=" + value
	}
	if fixed != w {
		l.correct(w, fixed, textdist.Distance(w, fixed)-strings.Count(w, "~"))
	}
	return fixed
}

// nearest is the candidate closest to w within a bound that grows with
// the word's length; "" when none is or two are equally close.
func nearest(w string, cands []string) (string, int) {
	bound := 1
	if len(w) >= 5 {
		bound = 2
	}
	best, bestD, tie := "", bound+1, false
	lw := strings.ToLower(w)
	// "rn" and "m", "vv" and "w" are one shape to OCR.
	alt := strings.NewReplacer("rn", "m", "vv", "w").Replace(lw)
	for _, c := range cands {
		d := min(textdist.Distance(lw, c), textdist.Distance(alt, c))
		switch {
		case d < bestD:
			best, bestD, tie = c, d, false
		case d == bestD:
			tie = true
		}
	}
	if tie || best == "" {
		return "", 0
	}
	return best, bestD
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
