package submission

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	tsHeader = "Script started on 2024-05-02 10:11:12+00:00 [COMMAND=\"bash\" TERM=\"xterm-256color\" TTY=\"/dev/pts/0\" COLUMNS=\"40\" LINES=\"10\"]\n"
	tsFooter = "\nScript done on 2024-05-02 10:20:00+00:00 [COMMAND_EXIT_CODE=\"0\"]\n"
	// tsPrompt is bash's coloured prompt with the bracketed-paste switch.
	tsPrompt = "\x1b[?2004h\x1b[01;32mroot@node1\x1b[00m:\x1b[01;34m~\x1b[00m# "
	tsEnter  = "\r\n\x1b[?2004l\r"
)

func TestTypescript(t *testing.T) {
	tests := []struct {
		name string
		body string
		want []string
	}{
		{name: "rubouts give the final line once",
			body: tsPrompt + "docker servce\b\x1b[K\b\x1b[Kice ls" + tsEnter + "ID  NAME\r\n",
			want: []string{"3 node1/0: docker service ls => ID  NAME"}},
		{name: "tty rubouts (backspace, space, backspace)",
			body: tsPrompt + "docker pss\b \b" + tsEnter,
			want: []string{"3 node1/0: docker ps"}},
		{name: "a paste drawn highlighted and redrawn is one command",
			body: tsPrompt + "\x1b[7mdocker service create --name sleep-app ubuntu sleep infinity\x1b[27m\x1b[A\r\x1b[C\x1b[C\x1b[C\x1b[C\x1b[C\x1b[C\x1b[C\x1b[C\x1b[C\x1b[C\x1b[C\x1b[C\x1b[C\x1b[Cdocker service create --name sleep-app ubuntu sleep infinity" + tsEnter + "abc123\r\n",
			want: []string{"3 node1/0: docker service create --name sleep-app ubuntu sleep infinity => abc123"}},
		{name: "a line longer than the terminal is joined",
			body: tsPrompt + "docker swarm join --token SWMTKN-1-abc 192.168.0.18:2377" + tsEnter,
			want: []string{"3 node1/0: docker swarm join --token SWMTKN-1-abc 192.168.0.18:2377"}},
		{name: "clear keeps what came before it",
			body: tsPrompt + "docker ps" + tsEnter + "CONTAINER ID\r\n" + tsPrompt + "clear" + tsEnter + "\x1b[H\x1b[2J\x1b[3J" + tsPrompt + "docker node ls" + tsEnter + "ID  HOSTNAME\r\n",
			want: []string{"3 node1/0: docker ps => CONTAINER ID", "6 node1/0: docker node ls => ID  HOSTNAME"}},
		{name: "a progress bar shows its last frame",
			body: tsPrompt + "docker service update --replicas 2 sleep-app" + tsEnter + "sleep-app\r\noverall progress: 0 out of 2 tasks\r\n1/2: preparing\r\n2/2: preparing\r\n\x1b[3A\x1b[2Koverall progress: 2 out of 2 tasks\r\n\x1b[2K1/2: running\r\n\x1b[2K2/2: running\r\n",
			want: []string{"3 node1/0: docker service update --replicas 2 sleep-app => sleep-app|overall progress: 2 out of 2 tasks|1/2: running|2/2: running"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := "student: Jane Doe\n" + tsHeader + tt.body + tsPrompt + "exit" + tsEnter + "exit\r\n" + tsFooter
			sub, err := Parse("jane.log", []byte(src), labOptions())
			require.NoError(t, err)
			assert.Equal(t, FormatTypescript, sub.Format)
			assert.Equal(t, "Jane Doe", sub.Student)
			assert.Equal(t, tt.want, brief(sub.Commands))
			assert.Contains(t, sub.Notes[0], "on a 40×10 terminal")
		})
	}
}

func TestTypescriptThenPlainTerminals(t *testing.T) {
	src := tsHeader + tsPrompt + "docker swarm init" + tsEnter + "Swarm initialized\r\n" + tsPrompt + "exit" + tsEnter + tsFooter +
		"\n[node2] (local) root@192.168.0.17 ~\n$ docker swarm join --token SWMTKN-1-abc 192.168.0.18:2377\nThis node joined a swarm as a worker.\n"
	sub := mustParse(t, src, labOptions())
	assert.Equal(t, []string{
		"2 node1/0: docker swarm init => Swarm initialized",
		"8 node2/1: docker swarm join --token SWMTKN-1-abc 192.168.0.18:2377 => This node joined a swarm as a worker.",
	}, brief(sub.Commands))
}

func TestTypescriptWithoutHeader(t *testing.T) {
	src := tsPrompt + "docker pz\b\x1b[Ks" + tsEnter + "CONTAINER ID\r\n"
	sub := mustParse(t, src, labOptions())
	assert.Equal(t, FormatTypescript, sub.Format)
	assert.Equal(t, []string{"1 node1/0: docker ps => CONTAINER ID"}, brief(sub.Commands))
	assert.Contains(t, sub.Notes[0], "without its `script` header")
}

func TestRenderWideCharacters(t *testing.T) {
	got := renderTerminal([]byte("ノード1 ok\r\n"), 20, 5)
	assert.Equal(t, "ノード1 ok\n", got)
}

func TestRenderAnswersQueriesWithoutBlocking(t *testing.T) {
	// A cursor-position query makes the emulator write an answer nobody
	// reads: rendering must still finish.
	got := renderTerminal([]byte("\x1b[6n\x1b[cdone\r\n"), 20, 5)
	assert.Equal(t, "done\n", got)
}

func TestCast(t *testing.T) {
	header := `{"version": 2, "width": 40, "height": 10, "timestamp": 1714644672, "title": "Swarm lab", "env": {"TERM": "xterm-256color", "SHELL": "/bin/bash"}}`
	events := []string{
		`[0.1, "o", "` + jsonEsc(tsPrompt) + `"]`,
		`[0.5, "i", "d"]`,
		`[0.51, "o", "d"]`, `[0.6, "o", "ocker p"]`, `[0.7, "o", "z"]`, `[0.8, "o", "\b\u001b[K"]`, `[0.9, "o", "s"]`,
		`[1.0, "o", "` + jsonEsc(tsEnter) + `CONTAINER ID\r\n"]`,
		`[1.1, "r", "80x24"]`,
		`[1.2, "m", ""]`,
		`not an event`,
		`[1.3, "o", "` + jsonEsc(tsPrompt) + `docker node ls` + jsonEsc(tsEnter) + `ID\r\n"]`,
	}
	sub := mustParse(t, header+"\n"+strings.Join(events, "\n")+"\n", labOptions())
	assert.Equal(t, FormatCast, sub.Format)
	assert.Equal(t, []string{"1 node1/0: docker ps => CONTAINER ID", "3 node1/0: docker node ls => ID"}, brief(sub.Commands))
	assert.Equal(t, `asciinema recording: title "Swarm lab", env SHELL=/bin/bash TERM=xterm-256color, size 40×10`, sub.Notes[0])
	assert.Contains(t, sub.Notes[1], "played 8 output events of the asciinema v2 recording on a 40×10 terminal")
	assert.Contains(t, sub.Notes[1], "1 input event")
	assert.Contains(t, sub.Notes[2], "skipped 1 line that is not asciinema events (first on line 12)")
}

func TestCastVersions(t *testing.T) {
	v3 := `{"version": 3, "term": {"cols": 50, "rows": 20, "type": "xterm"}, "title": "v3"}` + "\n" +
		`[0.1, "o", "$ docker ps\r\nCONTAINER ID\r\n"]` + "\n"
	sub := mustParse(t, v3, labOptions())
	assert.Equal(t, FormatCast, sub.Format)
	assert.Equal(t, []string{"1 node1/0: docker ps => CONTAINER ID"}, brief(sub.Commands))
	assert.Equal(t, `asciinema recording: title "v3", env TERM=xterm, size 50×20`, sub.Notes[0])

	v1 := "{\n  \"version\": 1, \"width\": 50, \"height\": 20,\n  \"stdout\": [[0.1, \"$ docker ps\\r\\n\"], [0.2, \"CONTAINER ID\\r\\n\"]]\n}\n"
	sub = mustParse(t, v1, labOptions())
	assert.Equal(t, FormatCast, sub.Format)
	assert.Equal(t, []string{"1 node1/0: docker ps => CONTAINER ID"}, brief(sub.Commands))

	_, err := Parse("jane.cast", []byte(`{"version": 2, "width": 80, "height": 24}`+"\n"+`[0.1, "i", "x"]`+"\n"), labOptions())
	assert.EqualError(t, err, "jane.cast: an asciinema recording with no output events: nothing was recorded")
}

func jsonEsc(s string) string {
	r := strings.NewReplacer("\x1b", `\u001b`, "\r", `\r`, "\n", `\n`, "\b", `\b`, `"`, `\"`)
	return r.Replace(s)
}

func TestDetectFormats(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want Format
	}{
		{"typescript", tsHeader + tsPrompt + "docker ps" + tsEnter + tsFooter, FormatTypescript},
		{"cast", `{"version": 2, "width": 80, "height": 24}` + "\n" + `[0.1, "o", "$ "]` + "\n", FormatCast},
		{"history", "node1:\n    1  docker ps\n    2  docker node ls\n    3  history\n", FormatHistory},
		{"history under a prompt", "[node1] (local) root@192.168.0.18 ~\n$ history\n    1  docker ps\n    2  docker node ls\n    3  history\n", FormatHistory},
		{"history with times", "  1  2024-05-02 10:11:12 docker ps\n  2  2024-05-02 10:11:13 docker info\n  3  2024-05-02 10:11:14 history\n", FormatHistory},
		{"transcript with numbered output", "$ docker service ps x\n1 running\n$ docker ps\n", FormatTranscript},
		{"coloured transcript stays a transcript", "\x1b[1;32mroot@node1\x1b[0m:~# docker ps\n", FormatTranscript},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, Detect([]byte(tt.src)))
		})
	}
}

func TestHistory(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string
	}{
		{name: "headings and HISTTIMEFORMAT",
			src:  "node1:\n    1  2024-05-02 10:02:11 docker swarm init\n    2  2024-05-02 10:02:40 dokcer ps\n    3  history\n\n## Node 2\n    1  02/05/24 10:04:02 docker swarm join --token SWMTKN-1-abc 192.168.0.18:2377\n",
			want: []string{"2 node1/0: docker swarm init", "3 node1/0: dokcer ps", "7 node2/1: docker swarm join --token SWMTKN-1-abc 192.168.0.18:2377"}},
		{name: "PWD prompts above each dump",
			src:  "[node1] (local) root@192.168.0.18 ~\n$ history\n    1  docker node ls\n    2  docker ps\n    3  history\n[node3] (local) root@192.168.0.16 ~\n$ history\n    1  docker swarm leave\n    2  history\n",
			want: []string{"3 node1/0: docker node ls", "4 node1/0: docker ps", "8 node3/1: docker swarm leave"}},
		{name: "a dump without a heading is another terminal",
			src:  "    1  docker swarm init\n    2  docker node ls\n    1  docker swarm join --token SWMTKN-1-abc 192.168.0.18:2377\n    2  docker ps\n",
			want: []string{"1 node1/0: docker swarm init", "2 node1/0: docker node ls", "3 node2/1: docker swarm join --token SWMTKN-1-abc 192.168.0.18:2377", "4 node2/1: docker ps"}},
		{name: "an edited entry and a continued one",
			src:  "node1:\n   12* docker ps\n   13  docker service create \\\n  --name sleep-app ubuntu sleep infinity\n   14  history\n",
			want: []string{"2 node1/0: docker ps", "3 node1/0: docker service create --name sleep-app ubuntu sleep infinity"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sub := mustParse(t, tt.src, labOptions())
			assert.Equal(t, FormatHistory, sub.Format)
			assert.Equal(t, tt.want, brief(sub.Commands))
			assert.Contains(t, strings.Join(sub.Notes, "\n"), "the outputs are missing")
		})
	}
	t.Run("a misspelt node is an error", func(t *testing.T) {
		_, err := Parse("jane.txt", []byte("nodo2:\n    1  docker ps\n    2  docker ps\n    3  docker ps\n"), labOptions())
		assert.EqualError(t, err, `jane.txt:1: unknown node "nodo2" (this lab's nodes: node1, node2, node3)`)
	})
}

func TestMachines(t *testing.T) {
	tests := []struct {
		name  string
		src   string
		want  []string
		notes []string
	}{
		{name: "docker-machine env and ssh",
			src: "me@laptop:~$ docker-machine ls\nNAME       ACTIVE   DRIVER       STATE     URL\nmanager1   -        virtualbox   Running   tcp://192.168.99.100:2376\n" +
				"me@laptop:~$ eval $(docker-machine env manager1)\n" +
				"me@laptop:~$ docker swarm init --advertise-addr 192.168.99.100\nSwarm initialized\n" +
				"me@laptop:~$ docker-machine ssh worker1 \"docker swarm join --token SWMTKN-1-abc $(docker-machine ip manager1):2377\"\n" +
				"me@laptop:~$ docker-machine ssh worker2 'sudo docker swarm join --token SWMTKN-1-abc 192.168.99.100:2377'\n" +
				"me@laptop:~$ docker node update --availability drain worker1\n" +
				"me@laptop:~$ eval \"$(docker-machine env --unset)\"\n",
			want: []string{"5 node1/0: docker swarm init --advertise-addr 192.168.99.100 => Swarm initialized",
				"7 node2/0: docker swarm join --token SWMTKN-1-abc 192.168.99.100:2377",
				"8 node3/0: docker swarm join --token SWMTKN-1-abc 192.168.99.100:2377",
				"9 node1/0: docker node update --availability drain node2"},
			notes: []string{"machines: manager1 → node1, worker1 → node2, worker2 → node3 (by role",
				"followed `eval $(docker-machine env ...)` (lines 4, 10)", "ignored 1 command that only manages the student's machines (line 1)"}},
		{name: "multipass and vagrant",
			src: "me@pc:~$ multipass exec vm-b -- docker swarm join --token SWMTKN-1-abc 10.0.0.1:2377\n" +
				"me@pc:~$ vagrant ssh -c \"docker swarm init\" vm-a\n" +
				"me@pc:~$ vagrant ssh vm-c --command 'docker swarm join --token SWMTKN-1-abc 10.0.0.1:2377'\n",
			want:  []string{"1 node2/0: docker swarm join --token SWMTKN-1-abc 10.0.0.1:2377", "2 node1/0: docker swarm init", "3 node3/0: docker swarm join --token SWMTKN-1-abc 10.0.0.1:2377"},
			notes: []string{"multipass exec (line 1), vagrant ssh -c (lines 2-3)", "machines: vm-a → node1, vm-b → node2, vm-c → node3"}},
		{name: "ordinary prompts of other hosts",
			src:   "root@worker1:~# docker swarm join --token SWMTKN-1-abc 10.0.0.1:2377\nroot@manager1:~# docker swarm init\nstudent@MacBook-Pro ~ % docker-machine ssh manager1 docker node ls\n",
			want:  []string{"1 node2/0: docker swarm join --token SWMTKN-1-abc 10.0.0.1:2377", "2 node1/1: docker swarm init", "3 node1/2: docker node ls"},
			notes: []string{"machines: manager1 → node1, worker1 → node2"}},
		{name: "an interactive ssh is a terminal switch",
			src:   "root@node1:~# ssh node2\nroot@node2:~# docker swarm leave\n",
			want:  []string{"2 node2/1: docker swarm leave"},
			notes: []string{"1 command opens a shell on another machine (line 1)"}},
		{name: "an unknown expansion is left for the policy",
			src:  "me@laptop:~$ docker-machine ssh m1 \"docker swarm join $TOKEN\"\n",
			want: []string{`1 laptop/0: docker-machine ssh m1 "docker swarm join $TOKEN"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sub := mustParse(t, tt.src, labOptions())
			got := brief(sub.Commands)
			if tt.name == "an unknown expansion is left for the policy" {
				// One machine, mapped to the manager: its text stays whole.
				assert.Equal(t, []string{`1 node1/0: docker-machine ssh m1 "docker swarm join $TOKEN"`}, got)
				assert.False(t, Check(sub.Commands[0].Text).Allowed)
				return
			}
			assert.Equal(t, tt.want, got)
			notes := strings.Join(sub.Notes, "\n")
			for _, n := range tt.notes {
				assert.Contains(t, notes, n)
			}
		})
	}
	t.Run("more machines than nodes", func(t *testing.T) {
		src := "root@a:~# docker swarm init\nroot@b:~# docker ps\nroot@c:~# docker ps\nroot@d:~# docker ps\n"
		_, err := Parse("jane.txt", []byte(src), labOptions())
		assert.EqualError(t, err, "jane.txt: commands run on 4 machines (a, b, c, d), but the lab has 3 nodes (node1, node2, node3)")
	})
}
