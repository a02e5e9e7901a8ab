package submission

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/labcheck/labcheck/internal/textdist"
)

// nodeNames resolves the node names a submission writes to the lab's.
type nodeNames struct {
	names []string
	// loose matches a node written the way people write it in prose:
	// "Node 2", "NODE-2", "node2".
	loose map[string]*regexp.Regexp
}

func newNodeNames(names []string) *nodeNames {
	n := &nodeNames{names: names, loose: map[string]*regexp.Regexp{}}
	for _, name := range names {
		n.loose[name] = looseNodePattern(name)
	}
	return n
}

var letterDigits = regexp.MustCompile(`^([A-Za-z]+)[-_]?(\d+)$`)

func looseNodePattern(name string) *regexp.Regexp {
	if m := letterDigits.FindStringSubmatch(name); m != nil {
		return regexp.MustCompile(`(?i)\b` + regexp.QuoteMeta(m[1]) + `[\s_-]?` + m[2] + `\b`)
	}
	return regexp.MustCompile(`(?i)\b` + regexp.QuoteMeta(name) + `\b`)
}

// resolve returns the lab's spelling of name (case does not matter: PWD
// hostnames are lower case, students capitalise).
func (n *nodeNames) resolve(name string) (string, bool) {
	if len(n.names) == 0 {
		return name, name != ""
	}
	for _, x := range n.names {
		if strings.EqualFold(x, name) {
			return x, true
		}
	}
	return "", false
}

// near reports whether name looks like a misspelt lab node ("nodo2"), so
// that a prompt naming it is an error rather than output that happens to
// end in '$'.
func (n *nodeNames) near(name string) bool {
	for _, x := range n.names {
		if textdist.Distance(strings.ToLower(x), strings.ToLower(name)) <= 2 {
			return true
		}
	}
	return false
}

// unknown is the error for a node the lab does not have.
func (n *nodeNames) unknown(name string) string {
	return fmt.Sprintf("unknown node %q (this lab's nodes: %s)", name, strings.Join(n.names, ", "))
}

// mentioned returns the lab nodes a piece of prose names, in lab order.
func (n *nodeNames) mentioned(text string) []string {
	var out []string
	for _, name := range n.names {
		if n.loose[name].MatchString(text) {
			out = append(out, name)
		}
	}
	return out
}

// exactly returns the node when text is nothing but a node's name
// ("node2", "Node 2").
func (n *nodeNames) exactly(text string) (string, bool) {
	for _, name := range n.names {
		if loc := n.loose[name].FindStringIndex(text); loc != nil && loc[0] == 0 && loc[1] == len(text) {
			return name, true
		}
	}
	return "", false
}
