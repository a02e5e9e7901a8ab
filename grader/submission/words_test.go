package submission

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"mvdan.cc/sh/v3/syntax"
)

func TestEvalWord(t *testing.T) {
	tests := []struct {
		name    string
		word    string
		lit     string
		literal bool
		whole   bool
		vars    []string
		substs  int
	}{
		{name: "plain", word: "sleep-app", lit: "sleep-app", literal: true},
		{name: "escaped space", word: `a\ b`, lit: "a b", literal: true},
		{name: "single quotes", word: `'{{.ID}}'`, lit: "{{.ID}}", literal: true, whole: true},
		{name: "double quotes with escapes", word: `"a\"b\n"`, lit: `a"b\n`, literal: true, whole: true},
		{name: "mixed quoting", word: `--name="web"1`, lit: "--name=web1", literal: true},
		{name: "substitution", word: "$(hostname -i)", substs: 1},
		{name: "prefix before a substitution", word: "--advertise-addr=$(hostname -i)", lit: "--advertise-addr=", substs: 1},
		{name: "variable in quotes", word: `"$TOKEN"`, whole: true, vars: []string{"TOKEN"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := parseShell("x " + tt.word)
			require.NoError(t, err)
			w := evalWord(f.Stmts[0].Cmd.(*syntax.CallExpr).Args[1])
			assert.Equal(t, tt.lit, w.Lit)
			assert.Equal(t, tt.literal, w.Literal)
			assert.Equal(t, tt.whole, w.whole)
			assert.Equal(t, tt.vars, w.vars)
			assert.Len(t, w.substs, tt.substs)
		})
	}
}
