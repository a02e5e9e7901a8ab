package submission

import (
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// Analysis is what one submitted command does, read once from its shell
// syntax. The policy, the translator and the replay (its scheduler, its
// --detach, its join tokens) all ask it which docker commands a line runs,
// so none of them can come to a different answer by reading the text its
// own way.
type Analysis struct {
	// Text is the command the offsets of every call and word point into.
	Text string
	// Err says why Text is not a valid shell command; Calls is then empty.
	Err error
	// Calls are the docker commands Text runs, in order, not counting those
	// inside $(...).
	Calls []*DockerCall
	// Substituted are the docker commands inside $(...), backticks or
	// <(...), in order: their output becomes part of another command.
	Substituted []*DockerCall

	file *syntax.File
	// byExpr finds the call of a docker command in the syntax tree, for
	// the policy, which walks the tree statement by statement.
	byExpr map[*syntax.CallExpr]*DockerCall
}

// Analyze reads a command. It never returns nil: a command that is not
// valid shell has Err set and no calls.
func Analyze(text string) *Analysis {
	a := &Analysis{Text: text, byExpr: map[*syntax.CallExpr]*DockerCall{}}
	f, err := syntax.NewParser().Parse(strings.NewReader(text), "")
	if err != nil {
		a.Err = err
		return a
	}
	a.file = f
	a.walk(f, false)
	return a
}

// walk finds every docker command under n, substituted ones included, and
// models it: the only place the syntax tree is read for docker commands.
func (a *Analysis) walk(n syntax.Node, substituted bool) {
	syntax.Walk(n, func(n syntax.Node) bool {
		switch x := n.(type) {
		case *syntax.CmdSubst:
			for _, st := range x.Stmts {
				a.walk(st, true)
			}
			return false
		case *syntax.ProcSubst:
			for _, st := range x.Stmts {
				a.walk(st, true)
			}
			return false
		case *syntax.CallExpr:
			if len(x.Args) > 0 && x.Args[0].Lit() == "docker" {
				c := newDockerCall(x)
				a.byExpr[x] = c
				if substituted {
					a.Substituted = append(a.Substituted, c)
				} else {
					a.Calls = append(a.Calls, c)
				}
			}
		}
		return true
	})
}

// newDockerCall models a docker command and places it in the command text.
func newDockerCall(x *syntax.CallExpr) *DockerCall {
	words := make([]Word, len(x.Args)-1)
	for i, arg := range x.Args[1:] {
		words[i] = evalWord(arg)
	}
	c := parseDocker(words)
	c.Start, c.End = off(x.Args[0].Pos()), off(x.End())
	c.PathEnd = off(x.Args[0].End())
	if c.afterPath > 0 {
		c.PathEnd = words[c.afterPath-1].End
	}
	return c
}

// Analysis returns what the command does. Commands from Parse carry the
// analysis made when they were read; any other is analysed now.
func (c Command) Analysis() *Analysis {
	if c.analysis != nil && c.analysis.Text == c.Text {
		return c.analysis
	}
	return Analyze(c.Text)
}

// Runs reports whether the command runs a docker command of that path
// ("swarm join"), outside $(...).
func (a *Analysis) Runs(path string) bool {
	for _, c := range a.Calls {
		if c.Path == path {
			return true
		}
	}
	return false
}

// CarriesJoinToken reports whether replaying the command needs the
// replay's join tokens: it joins a swarm, or one of its docker commands is
// given a word shaped like a join token.
func (a *Analysis) CarriesJoinToken() bool {
	for _, calls := range [][]*DockerCall{a.Calls, a.Substituted} {
		for _, c := range calls {
			if c.Path == "swarm join" {
				return true
			}
			for _, w := range c.Words {
				if joinTokenRe.MatchString(w.Lit) {
					return true
				}
			}
		}
	}
	return false
}

// call is the model of a docker command in the syntax tree; nil when x is
// not one.
func (a *Analysis) call(x *syntax.CallExpr) *DockerCall {
	return a.byExpr[x]
}
