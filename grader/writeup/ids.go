package writeup

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/labcheck/labcheck/internal/textdist"
)

// OCR cannot tell 1 from l from i in a 25-character swarm ID, so a
// command's ID is trusted only as far as the screenshots agree on it: the
// IDs the session shows are grouped by likeness, each group is settled by
// a vote per character, and every occurrence is replaced by its group's
// spelling. What matters for the replay is that a command names the same
// ID its `docker node ls` showed; the translator maps that to the
// replay's node.

var (
	swarmIDish = regexp.MustCompile(`^[a-z0-9]{22,28}$`)
	hexish     = regexp.MustCompile(`^[0-9a-fA-FoOlIiSBZ]{10,16}$|^[0-9a-fA-FoOlIiSBZ]{60,68}$`)
	wordRe     = regexp.MustCompile(`\S+`)
	notAlnum   = regexp.MustCompile(`[^a-z0-9]`)
	lsHeader   = regexp.MustCompile(`HOSTNAME`)
	psHeader   = regexp.MustCompile(`CONTAINER`)
)

// hexFix turns OCR's look-alikes into the hex digits a container ID is
// made of.
var hexFix = strings.NewReplacer("o", "0", "O", "0", "l", "1", "I", "1", "i", "1", "S", "5", "B", "8", "Z", "2")

// tables mends the rows of `docker node ls` and `docker ps` that the
// translator learns IDs from: an ID OCR split in two is joined, hostnames
// are snapped to the lab's nodes, container IDs made hex.
func (s *session) tables() {
	mode := ""
	for _, l := range s.lines {
		switch {
		case l.kind != kindOutput:
			mode = ""
			continue
		case lsHeader.MatchString(l.text):
			mode = "node"
			continue
		case psHeader.MatchString(l.text):
			mode = "ps"
			continue
		}
		f := strings.Fields(l.text)
		switch {
		case mode == "node" && len(f) >= 2:
			host := -1
			for i := 1; i < len(f); i++ {
				if s.nodeName(f[i]) != "" {
					host = i
					break
				}
			}
			if host < 1 {
				continue
			}
			var id []string
			star := ""
			for _, w := range f[:host] {
				if w == "*" || w == "x" {
					star = "*"
					continue
				}
				id = append(id, w)
			}
			row := []string{notAlnum.ReplaceAllString(strings.ToLower(strings.Join(id, "")), "")}
			if star != "" {
				row = append(row, star)
			}
			row = append(row, s.nodeName(f[host]))
			row = append(row, f[host+1:]...)
			l.text = strings.Join(row, "   ")
		case mode == "ps" && len(f) >= 2 && hexish.MatchString(f[0]):
			f[0] = strings.ToLower(hexFix.Replace(f[0]))
			l.text = strings.Join(f, "   ")
		case mode == "" && len(strings.ReplaceAll(l.text, " ", "")) >= 60 && len(f) <= 8 && hexish.MatchString(strings.ReplaceAll(l.text, " ", "")):
			// The 64-character ID `docker run -d` prints.
			l.text = strings.ToLower(hexFix.Replace(strings.ReplaceAll(l.text, " ", "")))
		}
	}
}

// idGroup is IDs that are one ID misread in different ways.
type idGroup struct {
	seen  []string
	canon string
}

// ids settles every ID-shaped word of the session by vote.
func (s *session) ids() {
	var swarm, hex []string
	for _, l := range s.lines {
		_, body, isCmd := split(l)
		for _, w := range wordRe.FindAllString(body, -1) {
			w = strings.Trim(w, "().,")
			switch {
			case swarmIDish.MatchString(strings.ToLower(w)) && hasDigitAndLetter(w):
				swarm = append(swarm, strings.ToLower(w))
			case isCmd && hexish.MatchString(w) && hasDigitAndLetter(w):
				hex = append(hex, strings.ToLower(hexFix.Replace(w)))
			case l.kind == kindOutput && regexp.MustCompile(`^[0-9a-f]{12}$|^[0-9a-f]{64}$`).MatchString(w):
				hex = append(hex, w)
			}
		}
	}
	canon := map[string]string{}
	for _, g := range group(swarm, 8) {
		if len(g.canon) != 25 {
			// OCR added or lost a character in every reading. What the
			// replay needs is one spelling of docker's shape for output
			// and commands alike: the translator maps it by hostname.
			g.canon = (g.canon + "0000")[:25]
		}
		for _, w := range g.seen {
			canon[w] = g.canon
		}
	}
	// A 12-character container ID is the start of a 64-character one.
	var short []string
	for _, w := range hex {
		if len(w) > 16 {
			short = append(short, w[:12])
		} else {
			short = append(short, w)
		}
	}
	for _, g := range group(short, 4) {
		for _, w := range g.seen {
			canon[w] = g.canon
		}
	}
	for _, w := range hex {
		if len(w) > 16 {
			canon[w] = canon[w[:12]] + w[12:]
		}
	}
	for _, l := range s.lines {
		prefix, body, isCmd := split(l)
		if body == "" {
			continue
		}
		l.text = prefix + wordRe.ReplaceAllStringFunc(body, func(w string) string {
			core := strings.Trim(w, "().,")
			key := core
			if swarmIDish.MatchString(strings.ToLower(core)) {
				key = strings.ToLower(core)
			} else if l.kind == kindCommand && hexish.MatchString(core) && hasDigitAndLetter(core) && !swarmIDish.MatchString(core) {
				key = strings.ToLower(hexFix.Replace(core))
			}
			c, ok := canon[key]
			if !ok || c == core {
				return w
			}
			if isCmd {
				d := textdist.Distance(core, c)
				l.corrections = append(l.corrections, fmt.Sprintf("ID `%s` → `%s`, as the session's other screenshots show it", core, c))
				if d >= largeEdit {
					l.large = true
				}
			}
			return strings.Replace(w, core, c, 1)
		})
	}
}

// split is the part of a line whose IDs are settled: a command, a
// one-line header's command, or output. Headers' own text has none.
func split(l *line) (prefix, body string, isCmd bool) {
	switch l.kind {
	case kindCommand:
		return "", l.text, true
	case kindHeader:
		if i := strings.Index(l.text, " ~ $ "); i >= 0 && l.cmd != "" {
			return l.text[:i+5], l.text[i+5:], true
		}
		return l.text, "", false
	}
	return "", l.text, false
}

func hasDigitAndLetter(w string) bool {
	return strings.ContainsAny(w, "0123456789") && strings.ContainsAny(strings.ToLower(w), "abcdefghijklmnopqrstuvwxyz")
}

// group clusters words within maxDist of a group's first member and
// settles each group by a vote per character among its members of the
// most common length.
func group(words []string, maxDist int) []idGroup {
	var gs []idGroup
	for _, w := range words {
		placed := false
		for i := range gs {
			if textdist.Distance(gs[i].seen[0], w) <= maxDist {
				gs[i].seen = append(gs[i].seen, w)
				placed = true
				break
			}
		}
		if !placed {
			gs = append(gs, idGroup{seen: []string{w}})
		}
	}
	for i := range gs {
		gs[i].canon = vote(gs[i].seen)
	}
	return gs
}

func vote(seen []string) string {
	lengths := map[int]int{}
	for _, w := range seen {
		lengths[len(w)]++
	}
	ns := make([]int, 0, len(lengths))
	for n := range lengths {
		ns = append(ns, n)
	}
	sort.Ints(ns)
	best := 0
	for _, n := range ns {
		c := lengths[n]
		// Docker's own lengths win a tie: 25, 12, 64.
		if c > lengths[best] || c == lengths[best] && (n == 25 || n == 12 || n == 64) {
			best = n
		}
	}
	var same []string
	for _, w := range seen {
		if len(w) == best {
			same = append(same, w)
		}
	}
	out := make([]byte, best)
	for i := 0; i < best; i++ {
		counts := map[byte]int{}
		for _, w := range same {
			counts[w[i]]++
		}
		cs := make([]byte, 0, len(counts))
		for c := range counts {
			cs = append(cs, c)
		}
		sort.Slice(cs, func(a, b int) bool { return cs[a] < cs[b] })
		var pick byte
		for _, c := range cs {
			// On a tie the first reading wins: it is usually the table.
			if pick == 0 || counts[c] > counts[pick] || counts[c] == counts[pick] && same[0][i] == c {
				pick = c
			}
		}
		out[i] = pick
	}
	return string(out)
}
