package submission

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"mvdan.cc/sh/v3/syntax"
)

func TestParseDocker(t *testing.T) {
	tests := []struct {
		name  string
		cmd   string
		path  string
		flags []string // spelled
		args  []string
		rest  string
	}{
		{name: "run stops at the image", cmd: "docker run -dt --name web -v data:/d ubuntu sleep --privileged",
			path: "run", flags: []string{"-d", "-t", "--name web", "-v data:/d"}, args: []string{"ubuntu"}, rest: "sleep"},
		{name: "management form", cmd: "docker container run --rm=true ubuntu", path: "run", flags: []string{"--rm=true"}, args: []string{"ubuntu"}},
		{name: "short flag with glued value", cmd: "docker run -itv/:/x ubuntu", path: "run", flags: []string{"-i", "-t", "-v=/:/x"}, args: []string{"ubuntu"}},
		{name: "global flags", cmd: "docker -H tcp://x:2375 --debug node ls -q", path: "node ls", flags: []string{"-q"}},
		{name: "interspersed flags", cmd: "docker node update node2 --availability drain", path: "node update", flags: []string{"--availability drain"}, args: []string{"node2"}},
		{name: "service scale", cmd: "docker service scale sleep-app=7 --detach", path: "service scale", flags: []string{"--detach"}, args: []string{"sleep-app=7"}},
		{name: "end of flags", cmd: "docker rm -f -- -odd-name", path: "rm", flags: []string{"-f"}, args: []string{"-odd-name"}},
		{name: "aliases", cmd: "docker image build -t app .", path: "build", flags: []string{"-t app"}, args: []string{"."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := syntax.NewParser().Parse(strings.NewReader(tt.cmd), "")
			require.NoError(t, err)
			call := f.Stmts[0].Cmd.(*syntax.CallExpr)
			words := make([]shellWord, len(call.Args)-1)
			for i, a := range call.Args[1:] {
				words[i] = evalWord(a)
			}
			c := parseDocker(words)
			assert.Equal(t, tt.path, c.path)
			var flags, args []string
			for _, f := range c.flags {
				flags = append(flags, f.spelled())
			}
			for _, i := range c.args {
				args = append(args, words[i].lit)
			}
			assert.Equal(t, tt.flags, flags)
			assert.Equal(t, tt.args, args)
			rest := ""
			if c.rest >= 0 {
				rest = words[c.rest].lit
			}
			assert.Equal(t, tt.rest, rest)
		})
	}
}
