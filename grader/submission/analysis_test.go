package submission

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// span is a call as the tests read it: its text, its path and where the
// path ends, each word's text by offsets.
type span struct {
	call, path, upToPath string
	words                []string
}

func spans(a *Analysis, calls []*DockerCall) []span {
	var out []span
	for _, c := range calls {
		s := span{call: a.Text[c.Start:c.End], path: c.Path, upToPath: a.Text[c.Start:c.PathEnd]}
		for _, w := range c.Words {
			s.words = append(s.words, a.Text[w.Start:w.End])
		}
		out = append(out, s)
	}
	return out
}

func TestAnalyze(t *testing.T) {
	tests := []struct {
		name        string
		text        string
		calls       []span
		substituted []span
	}{
		{
			name: "global flags and an and list",
			text: "docker -l error service create --name x ubuntu && docker --log-level=error swarm join --token T 1.2.3.4:2377",
			calls: []span{
				{"docker -l error service create --name x ubuntu", "service create", "docker -l error service create", []string{"-l", "error", "service", "create", "--name", "x", "ubuntu"}},
				{"docker --log-level=error swarm join --token T 1.2.3.4:2377", "swarm join", "docker --log-level=error swarm join", []string{"--log-level=error", "swarm", "join", "--token", "T", "1.2.3.4:2377"}},
			},
		},
		{
			name:  "quoted words keep their quotes in the offsets",
			text:  `docker container run --name "web 1" 'nginx'`,
			calls: []span{{`docker container run --name "web 1" 'nginx'`, "run", "docker container run", []string{"container", "run", "--name", `"web 1"`, `'nginx'`}}},
		},
		{
			name:  "no command path",
			text:  "docker --version",
			calls: []span{{"docker --version", "", "docker --version", []string{"--version"}}},
		},
		{
			name:        "substitutions apart",
			text:        "docker kill $(docker ps -q)",
			calls:       []span{{"docker kill $(docker ps -q)", "kill", "docker kill", []string{"kill", "$(docker ps -q)"}}},
			substituted: []span{{"docker ps -q", "ps", "docker ps", []string{"ps", "-q"}}},
		},
		{
			name:        "docker inside a program that is not docker",
			text:        "echo $(docker swarm join-token -q worker)",
			substituted: []span{{"docker swarm join-token -q worker", "swarm join-token", "docker swarm join-token", []string{"swarm", "join-token", "-q", "worker"}}},
		},
		{
			name: "continuation lines",
			text: "docker service create \\\n  --name x ubuntu",
			calls: []span{{"docker service create \\\n  --name x ubuntu", "service create", "docker service create",
				[]string{"service", "create", "--name", "x", "ubuntu"}}},
		},
		{name: "not docker", text: "sudo docker ps"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := Analyze(tt.text)
			require.NoError(t, a.Err)
			assert.Equal(t, tt.calls, spans(a, a.Calls))
			assert.Equal(t, tt.substituted, spans(a, a.Substituted))
		})
	}
}

func TestAnalyzeFlags(t *testing.T) {
	a := Analyze("docker --log-level=error -H unix:///x swarm join --token=$T --advertise-addr eth0 1.2.3.4:2377")
	require.Len(t, a.Calls, 1)
	c := a.Calls[0]
	assert.Equal(t, []Flag{
		{Name: "--log-level", Word: 0, Value: "error", HasValue: true, ValueWord: -1, Inline: true, Literal: true},
		{Name: "-H", Word: 1, Value: "unix:///x", HasValue: true, ValueWord: 2, Literal: true},
	}, c.Globals)
	assert.Equal(t, []Flag{
		{Name: "--token", Word: 5, Value: "", HasValue: true, ValueWord: -1, Inline: true},
		{Name: "--advertise-addr", Word: 6, Value: "eth0", HasValue: true, ValueWord: 7, Literal: true},
	}, c.Flags)
	assert.Equal(t, []int{8}, c.Args)
	f, ok := c.Flag("--advertise-addr")
	assert.True(t, ok)
	assert.Equal(t, "eth0", a.Text[c.Words[f.ValueWord].Start:c.Words[f.ValueWord].End])
}

func TestAnalyzeInvalid(t *testing.T) {
	a := Analyze("docker run 'ubuntu")
	assert.EqualError(t, a.Err, "1:12: reached EOF without closing quote `'`")
	assert.Empty(t, a.Calls)
	assert.False(t, a.Runs("run"))
	assert.False(t, a.CarriesJoinToken())
}

func TestRuns(t *testing.T) {
	a := Analyze("docker swarm leave --force; docker -l error swarm join --token T 1.2.3.4:2377 && docker node ls -q")
	for _, p := range []string{"swarm leave", "swarm join", "node ls"} {
		assert.True(t, a.Runs(p), p)
	}
	assert.False(t, a.Runs("swarm init"))
	assert.False(t, Analyze("docker node ls $(docker swarm init)").Runs("swarm init"), "a substituted command is not run by the line itself")
}

func TestCarriesJoinToken(t *testing.T) {
	tests := []struct {
		text string
		want bool
	}{
		{"docker swarm join --token SWMTKN-1-aaa-bbb 192.168.0.18:2377", true},
		{"docker -l error swarm join --token $(docker swarm join-token -q worker) 192.168.0.18:2377", true},
		{"docker swarm join 192.168.0.18:2377", true},
		{"docker swarm join-token worker", false},
		{"docker secret create t <(echo SWMTKN-1-aaa-bbb)", false},
		{"docker run --rm ubuntu echo SWMTKN-1-aaa-bbb", true},
		{"docker run --rm -e TOKEN=SWMTKN-1-aaa-bbb ubuntu env", true},
		{"docker node ls", false},
		{"echo docker swarm join --token SWMTKN-1-aaa-bbb 192.168.0.18:2377", false},
		{"# docker swarm join --token SWMTKN-1-aaa-bbb 192.168.0.18:2377", false},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, Analyze(tt.text).CarriesJoinToken(), tt.text)
	}
}

// Parse reads each command once; the grader asks the command, not the text.
func TestCommandAnalysisIsParsedOnce(t *testing.T) {
	sub := mustParse(t, "docker swarm init\n# node: node2\ndocker swarm join --token SWMTKN-1-aaa-bbb 192.168.0.18:2377\n", Options{Nodes: labNodes, Format: FormatScript})
	require.Len(t, sub.Commands, 2)
	c := sub.Commands[1]
	a := c.Analysis()
	assert.Same(t, a, c.Analysis(), "a parsed command carries its analysis")
	assert.True(t, a.Runs("swarm join"))

	lit := Command{Text: "docker swarm init"}
	assert.True(t, lit.Analysis().Runs("swarm init"), "a command built by hand is analysed on demand")

	c.Text = "docker swarm leave"
	assert.True(t, c.Analysis().Runs("swarm leave"), "a command whose text changed is analysed again")
}
