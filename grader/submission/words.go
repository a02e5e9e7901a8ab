package submission

import (
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// Word is a shell word of a submitted command as far as it can be known
// before it runs.
type Word struct {
	// Start and End are the word's byte offsets in the command text, so a
	// rewrite can splice it.
	Start, End int
	// Lit is the word after quote removal when Literal is true; otherwise
	// the literal text before the first expansion (prefix).
	Lit     string
	Literal bool

	node *syntax.Word
	// whole is true when the word is one quoted string: the shell does not
	// split what it expands to.
	whole  bool
	substs []*syntax.CmdSubst
	vars   []string
	// other names an expansion the replay does not support ("$((...))").
	other string
}

func evalWord(w *syntax.Word) Word {
	sw := Word{node: w, Literal: true, Start: off(w.Pos()), End: off(w.End())}
	var b strings.Builder
	stop := func() {
		if sw.Literal {
			sw.Literal = false
			sw.Lit = b.String()
		}
	}
	var walk func(parts []syntax.WordPart, quoted bool)
	walk = func(parts []syntax.WordPart, quoted bool) {
		for _, part := range parts {
			switch x := part.(type) {
			case *syntax.Lit:
				if sw.Literal {
					b.WriteString(unescape(x.Value, quoted))
				}
			case *syntax.SglQuoted:
				if sw.Literal {
					b.WriteString(x.Value)
				}
			case *syntax.DblQuoted:
				walk(x.Parts, true)
			case *syntax.CmdSubst:
				stop()
				sw.substs = append(sw.substs, x)
			case *syntax.ParamExp:
				stop()
				if x.Param != nil {
					sw.vars = append(sw.vars, x.Param.Value)
				}
			case *syntax.ArithmExp:
				stop()
				sw.other = "arithmetic $((...))"
			case *syntax.ProcSubst:
				stop()
				sw.other = "process substitution <(...)"
			case *syntax.ExtGlob, *syntax.BraceExp:
				// Globs and braces only widen the node's own arguments.
				stop()
			}
		}
	}
	walk(w.Parts, false)
	if sw.Literal {
		sw.Lit = b.String()
	}
	if len(w.Parts) == 1 {
		switch w.Parts[0].(type) {
		case *syntax.DblQuoted, *syntax.SglQuoted:
			sw.whole = true
		}
	}
	return sw
}

// unescape removes the backslashes the shell would: every one outside
// quotes, and before $ ` " \ inside double quotes.
func unescape(s string, quoted bool) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			next := s[i+1]
			if !quoted || strings.IndexByte("$`\"\\\n", next) >= 0 {
				if next != '\n' {
					b.WriteByte(next)
				}
				i++
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func parseShell(text string) (*syntax.File, error) {
	return syntax.NewParser(syntax.KeepComments(true)).Parse(strings.NewReader(text), "")
}

// off is a position as a byte offset into the command text.
func off(p syntax.Pos) int { return int(p.Offset()) }
