package grader

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/labcheck/labcheck/grader/submission"
)

const psHeader = "ID                  NAME                IMAGE               NODE                DESIRED STATE       CURRENT STATE            ERROR               PORTS\n"

func TestOutputLedger(t *testing.T) {
	type step struct {
		text, output, replay string
	}
	create := step{text: "docker service create --name sleep-app ubuntu sleep infinity"}
	scale7 := step{text: "docker service update --replicas 7 sleep-app"}
	before := step{text: "docker service ps sleep-app",
		output: psHeader +
			"orojhv592oy6        sleep-app.1         ubuntu:latest       node1               Running             Running 2 minutes ago\n" +
			"qka6edxxfcef        sleep-app.2         ubuntu:latest       node2               Running             Running 2 minutes ago\n",
		replay: psHeader +
			"aaaaaaaaaaa1        sleep-app.1         ubuntu:latest       node1               Running             Running 5 seconds ago\n" +
			"aaaaaaaaaaa2        sleep-app.2         ubuntu:latest       node2               Running             Running 5 seconds ago\n"}
	tests := []struct {
		name  string
		steps []step
		want  []string // one substring per warning, in order
	}{
		{
			name: "a drain that rescheduled, shown with its history, is consistent",
			steps: []step{create, scale7, before,
				{text: "docker node update --availability drain node2"},
				{text: "docker service ps sleep-app", output: psHeader +
					"orojhv592oy6        sleep-app.1         ubuntu:latest       node1               Running             Running 3 minutes ago\n" +
					"nqdk63qutz8m        sleep-app.2         ubuntu:latest       node3               Running             Running 38 seconds ago\n" +
					`qka6edxxfcef         \_ sleep-app.2     ubuntu:latest       node2               Shutdown            Shutdown 40 seconds ago` + "\n",
					replay: psHeader +
						"aaaaaaaaaaa1        sleep-app.1         ubuntu:latest       node1               Running             Running 9 seconds ago\n" +
						"bbbbbbbbbbb2        sleep-app.2         ubuntu:latest       node3               Running             Running 1 second ago\n"}},
		},
		{
			name: "a task the session never produced, where the replay replaced nothing",
			steps: []step{create, scale7, before,
				{text: "docker node update --availability drain k2j9", output: "Error: No such node: k2j9"},
				{text: "docker service ps sleep-app", output: psHeader +
					"orojhv592oy6        sleep-app.1         ubuntu:latest       node1               Running             Running 3 minutes ago\n" +
					"x7c2m1q9w3e4        sleep-app.2         ubuntu:latest       node3               Running             Running 38 seconds ago\n",
					replay: before.replay}},
			want: []string{"line 5: `docker service ps sleep-app` shows task x7c2m1q9w3e4 in slot sleep-app.2, which the session never produced: the slot's task was qka6edxxfcef (line 3)"},
		},
		{
			name: "a new task the replay also made is not suspect",
			steps: []step{create, scale7, before,
				{text: "docker service ps sleep-app", output: psHeader +
					"x7c2m1q9w3e4        sleep-app.2         ubuntu:latest       node3               Running             Running 38 seconds ago\n",
					replay: psHeader + "ccccccccccc2        sleep-app.2         ubuntu:latest       node3               Running             Running 1 second ago\n"}},
		},
		{
			name: "a slot beyond the replicas the service ever had",
			steps: []step{create, {text: "docker service scale sleep-app=4"},
				{text: "docker service ps sleep-app", output: psHeader +
					"orojhv592oy6        sleep-app.9         ubuntu:latest       node1               Running             Running 2 minutes ago\n"}},
			want: []string{"line 3: `docker service ps sleep-app` shows slot sleep-app.9, but the session never asked sleep-app for more than 4 replicas"},
		},
		{
			name: "replicas from an expansion are unknown",
			steps: []step{create, {text: "docker service update --replicas $N sleep-app"},
				{text: "docker service ps sleep-app", output: psHeader +
					"orojhv592oy6        sleep-app.9         ubuntu:latest       node1               Running             Running 2 minutes ago\n"}},
		},
		{
			name: "a task younger than it was",
			steps: []step{create, scale7, before,
				{text: "docker service ps sleep-app", output: psHeader +
					"orojhv592oy6        sleep-app.1         ubuntu:latest       node1               Running             Running 30 seconds ago\n"}},
			want: []string{"line 4: `docker service ps sleep-app` shows task orojhv592oy6 30 seconds old, younger than the 2 minutes it showed at line 3"},
		},
		{
			name: "a container younger than it was",
			steps: []step{
				{text: "docker ps", output: "CONTAINER ID        IMAGE               COMMAND             CREATED             STATUS              PORTS               NAMES\n" +
					"203bde70bd5b        ubuntu              \"sleep infinity\"    12 minutes ago      Up 10 minutes                           trusting_turing\n"},
				{text: "docker ps", output: "CONTAINER ID        IMAGE               COMMAND             CREATED             STATUS              PORTS               NAMES\n" +
					"203bde70bd5b        ubuntu              \"sleep infinity\"    6 minutes ago       Up 5 minutes                            trusting_turing\n"},
			},
			want: []string{"line 2: `docker ps` shows container 203bde70bd5b 5 minutes old, younger than the 10 minutes it showed at line 1"},
		},
		{
			name: "a restarted container starts its age again",
			steps: []step{
				{text: "docker ps", output: "CONTAINER ID   IMAGE   COMMAND   CREATED   STATUS   PORTS   NAMES\n203bde70bd5b   ubuntu   \"sleep\"   1 hour ago   Up About an hour   x\n"},
				{text: "docker restart 203bde"},
				{text: "docker ps", output: "CONTAINER ID   IMAGE   COMMAND   CREATED   STATUS   PORTS   NAMES\n203bde70bd5b   ubuntu   \"sleep\"   1 hour ago   Up 3 seconds   x\n"},
			},
		},
		{
			name: "ages within one phrase's span are not backwards",
			steps: []step{create,
				{text: "docker service ps sleep-app", output: psHeader + "orojhv592oy6        sleep-app.1   ubuntu   node1   Running   Running About a minute ago\n"},
				{text: "docker service ps sleep-app", output: psHeader + "orojhv592oy6        sleep-app.1   ubuntu   node1   Running   Running 59 seconds ago\n"},
			},
			want: []string{"shows task orojhv592oy6 59 seconds old, younger than the About a minute"},
		},
		{
			name: "a container no command created, after the only docker run failed",
			steps: []step{
				{text: "docker run -dt ubunut sleep infinity", output: "docker: Error response from daemon: pull access denied for ubunut.\n"},
				{text: "docker ps", output: "CONTAINER ID   IMAGE   COMMAND   CREATED   STATUS   PORTS   NAMES\n7e49c814f3ad   ubuntu   \"sleep infinity\"   2 hours ago   Up 2 hours      vigilant_euler\n"},
			},
			want: []string{"shows container 7e49c814f3ad (vigilant_euler), which no command of this session created"},
		},
		{
			name: "the container the run printed, and swarm tasks' containers, are the session's",
			steps: []step{
				{text: "docker run -dt ubuntu sleep infinity", output: "7e49c814f3ad0c1a6e9f6d1b9e6a1f7c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a\n"},
				{text: "docker ps", output: "CONTAINER ID   IMAGE   COMMAND   CREATED   STATUS   PORTS   NAMES\n" +
					"7e49c814f3ad   ubuntu   \"sleep infinity\"   9 seconds ago   Up 8 seconds      vigilant_euler\n" +
					"1b2c3d4e5f60   ubuntu   \"sleep infinity\"   3 seconds ago   Up 2 seconds      sleep-app.1.orojhv592oy6abcdefghijklm\n"},
			},
		},
		{
			name: "a script's runs record no output: nothing to compare with",
			steps: []step{
				{text: "docker run -dt ubuntu sleep infinity"},
				{text: "docker ps", output: "CONTAINER ID   IMAGE   COMMAND   CREATED   STATUS   PORTS   NAMES\n7e49c814f3ad   ubuntu   \"sleep\"   2 hours ago   Up 2 hours      x\n"},
			},
		},
		{
			name: "a filtered listing proves nothing",
			steps: []step{create, scale7, before,
				{text: "docker service ps -f desired-state=running sleep-app", output: psHeader +
					"x7c2m1q9w3e4        sleep-app.2         ubuntu:latest       node3               Running             Running 38 seconds ago\n",
					replay: before.replay}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := newOutputLedger()
			var got []string
			for i, s := range tt.steps {
				got = append(got, l.check(submission.Command{Line: i + 1, Node: "node1", Text: s.text, Output: s.output}, s.replay)...)
			}
			if assert.Len(t, got, len(tt.want), "%q", got) {
				for i := range tt.want {
					assert.Contains(t, got[i], tt.want[i])
				}
			}
		})
	}
}

func TestParseAge(t *testing.T) {
	for _, s := range []string{"Less than a second", "1 second", "59 seconds", "About a minute", "2 minutes", "59 minutes", "About an hour", "2 hours", "47 hours", "2 days", "2 weeks", "2 months", "2 years"} {
		_, ok := parseAge(s)
		assert.True(t, ok, s)
	}
	a, _ := parseAge("59 seconds")
	b, _ := parseAge("About a minute")
	c, _ := parseAge("2 minutes")
	assert.True(t, a.hi <= b.lo && b.hi <= c.lo, "docker's phrases are in order: %v %v %v", a, b, c)
}
