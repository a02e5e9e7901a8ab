package submission

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
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
			a := Analyze(tt.cmd)
			require.NoError(t, a.Err)
			require.Len(t, a.Calls, 1)
			c := a.Calls[0]
			assert.Equal(t, tt.path, c.Path)
			var flags, args []string
			for _, f := range c.Flags {
				flags = append(flags, f.spelled())
			}
			for _, i := range c.Args {
				args = append(args, c.Words[i].Lit)
			}
			assert.Equal(t, tt.flags, flags)
			assert.Equal(t, tt.args, args)
			rest := ""
			if c.Rest >= 0 {
				rest = c.Words[c.Rest].Lit
			}
			assert.Equal(t, tt.rest, rest)
		})
	}
}
