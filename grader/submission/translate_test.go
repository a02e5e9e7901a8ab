package submission

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

const (
	studentToken  = "SWMTKN-1-49nj1cmql0jkz5s954yi3oex3nedyz0fb0xx14ie39trti4wxv-8vxv8rssmk743ojnwacrr2e7c"
	studentMgrTok = "SWMTKN-1-49nj1cmql0jkz5s954yi3oex3nedyz0fb0xx14ie39trti4wxv-2x9k3l1m0n8b7v6c5x4z3a2s1"
	node1ID       = "r75x6w2f1bq4zsmjcgy1b2cgw"
	node2ID       = "k2j9d8f7g6h5j4k3l2m1n0b9v"
	node3ID       = "p0o9i8u7y6t5r4e3w2q1a2s3d"
	replayNode2   = "zz2replay000000000000000n"
	runID         = "7c2f9d1e8a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5"
	replayRunID   = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	serviceID     = "kx1vq8n3m2b7c4d9e6f5a0z1y"
	replayService = "svcreplay0000000000000001"
)

// studentSession is what the translator learns from before each case.
var studentSession = []struct {
	cmd    Command
	replay string
}{
	{Command{Line: 2, Node: "node1", Prompt: "[node1] (local) root@192.168.0.18 ~", Text: "docker run -dt ubuntu sleep infinity", Output: runID}, replayRunID},
	{Command{Line: 5, Node: "node1", Prompt: "[node1] (local) root@192.168.0.18 ~", Text: "docker swarm init --advertise-addr 192.168.0.18",
		Output: "Swarm initialized: current node (" + node1ID + ") is now a manager.\n\nTo add a worker to this swarm, run the following command:\n\n    docker swarm join --token " + studentToken + " 192.168.0.18:2377\n"}, ""},
	{Command{Line: 9, Node: "node1", Text: "docker swarm join-token manager",
		Output: "To add a manager to this swarm, run the following command:\n\n    docker swarm join --token " + studentMgrTok + " 192.168.0.18:2377\n"}, ""},
	{Command{Line: 12, Node: "node2", Prompt: "[node2] (local) root@192.168.0.17 ~", Text: "docker swarm join --token " + studentToken + " 192.168.0.18:2377"}, ""},
	{Command{Line: 20, Node: "node1", Text: "docker node ls", Output: `ID                            HOSTNAME   STATUS    AVAILABILITY   MANAGER STATUS   ENGINE VERSION
` + node1ID + ` *   node1      Ready     Active         Leader           19.03.11
` + node2ID + `     node2      Ready     Active                          19.03.11
` + node3ID + `     node3      Ready     Active                          19.03.11`}, ""},
	{Command{Line: 25, Node: "node1", Text: "docker service create --name sleep-app ubuntu sleep infinity",
		Output: serviceID + "\noverall progress: 1 out of 1 tasks \n1/1: running   [==================================================>] \nverify: Service converged"},
		replayService + "\noverall progress: 1 out of 1 tasks \n1/1: running\nverify: Service converged"},
	{Command{Line: 30, Node: "node3", Text: "docker ps", Output: `CONTAINER ID   IMAGE           COMMAND            CREATED          STATUS          PORTS     NAMES
4f2a1b9c8d7e   ubuntu:latest   "sleep infinity"   12 seconds ago   Up 11 seconds             sleep-app.3.x8k2j4l6m9n1b3v5c7x9z1a2s
9e8d7c6b5a41   ubuntu          "sleep infinity"   2 minutes ago    Up 2 minutes              zealous_lovelace`},
		`CONTAINER ID   IMAGE           COMMAND            CREATED          STATUS          PORTS     NAMES
aaaaaaaaaaa1   ubuntu:latest   "sleep infinity"   1 second ago     Up 1 second               sleep-app.3.q1w2e3r4t5y6u7i8o9p0a1s2d
bbbbbbbbbbb2   ubuntu          "sleep infinity"   1 minute ago     Up 1 minute               amazing_turing`},
}

var replayEnv = Env{
	WorkerToken: "SWMTKN-1-replay-worker", ManagerToken: "SWMTKN-1-replay-manager",
	ManagerAddr: "172.20.0.2",
	NodeAddrs:   map[string]string{"node1": "172.20.0.2", "node2": "172.20.0.3", "node3": "172.20.0.4"},
	NodeIDs:     map[string]string{"node1": "zz1replay000000000000000n", "node2": replayNode2},
}

func TestTranslatorRewrite(t *testing.T) {
	tests := []struct {
		name  string
		cmd   Command
		env   *Env
		want  string
		notes []string
	}{
		{
			name: "worker join token and manager address",
			cmd:  Command{Node: "node3", Text: "docker swarm join --token " + studentToken + " 192.168.0.18:2377"},
			want: "docker swarm join --token SWMTKN-1-replay-worker 172.20.0.2:2377",
			notes: []string{
				"join token: the student's worker token replaced with the replay's (as the submission's own output showed)",
				"join address: 192.168.0.18:2377 is the manager node1's in the submission (its prompt, line 2) → 172.20.0.2:2377, node1's address in the replay",
			},
		},
		{
			name: "manager join token",
			cmd:  Command{Node: "node2", Text: "docker swarm join --token=" + studentMgrTok + " 192.168.0.18:2377"},
			want: "docker swarm join --token=SWMTKN-1-replay-manager 172.20.0.2:2377",
			notes: []string{
				"join token: the student's manager token replaced with the replay's (as the submission's own output showed)",
				"join address: 192.168.0.18:2377 is the manager node1's in the submission (its prompt, line 2) → 172.20.0.2:2377, node1's address in the replay",
			},
		},
		{
			name: "unknown token defaults to worker; an address that is no node's stays",
			cmd:  Command{Node: "node2", Text: "docker swarm join --token SWMTKN-1-aaaa-bbbb 10.0.0.9:2377"},
			want: "docker swarm join --token SWMTKN-1-replay-worker 10.0.0.9:2377",
			notes: []string{
				"join token: the student's worker token replaced with the replay's (worker assumed: the submission never showed which kind it is)",
				"join address: 10.0.0.9:2377 is no node's in the submission (the manager's is 192.168.0.18): left as is",
			},
		},
		{
			name: "a join to a worker's own address stays a join to that worker",
			cmd:  Command{Node: "node3", Text: "docker swarm join --token " + studentToken + " 192.168.0.17:2377"},
			want: "docker swarm join --token SWMTKN-1-replay-worker 172.20.0.3:2377",
			notes: []string{
				"join token: the student's worker token replaced with the replay's (as the submission's own output showed)",
				"join address: 192.168.0.17:2377 is node node2's in the submission (its prompt, line 12) → 172.20.0.3:2377, node2's address in the replay",
			},
		},
		{
			name: "a join to a lab node's name",
			cmd:  Command{Node: "node3", Text: "docker swarm join --token " + studentToken + " node1:2377"},
			want: "docker swarm join --token SWMTKN-1-replay-worker 172.20.0.2:2377",
			notes: []string{
				"join token: the student's worker token replaced with the replay's (as the submission's own output showed)",
				"join address: node1:2377 names node node1 → 172.20.0.2:2377, node1's address in the replay",
			},
		},
		{
			name: "token variable",
			cmd:  Command{Node: "node2", Text: "docker swarm join --token $TOKEN $MANAGER:2377"},
			want: "docker swarm join --token SWMTKN-1-replay-worker 172.20.0.2:2377",
			notes: []string{
				"join token: the student's worker token replaced with the replay's (worker assumed: the submission never showed which kind it is)",
				"manager address: $MANAGER:2377 → 172.20.0.2:2377 (not an address the submission shows: taken to be the replay's manager)",
			},
		},
		{
			name:  "advertise address of the node",
			cmd:   Command{Node: "node1", Text: "docker swarm init --advertise-addr 192.168.0.18"},
			want:  "docker swarm init --advertise-addr 172.20.0.2",
			notes: []string{"address: 192.168.0.18 (node1) → 172.20.0.2, node1's address in the replay"},
		},
		{
			name:  "address learnt from a PWD prompt",
			cmd:   Command{Node: "node1", Text: "docker run --add-host n2:192.168.0.17 ubuntu"},
			want:  "docker run --add-host n2:172.20.0.3 ubuntu",
			notes: []string{"address: 192.168.0.17 (node2) → 172.20.0.3, node2's address in the replay"},
		},
		{
			name: "hostname(-i) is left alone",
			cmd:  Command{Node: "node1", Text: "docker swarm init --advertise-addr $(hostname -i)"},
			want: "docker swarm init --advertise-addr $(hostname -i)",
		},
		{
			name:  "node ID in full",
			cmd:   Command{Node: "node1", Text: "docker node update --availability drain " + node2ID},
			want:  "docker node update --availability drain " + replayNode2,
			notes: []string{"node ID: " + node2ID + " (node2) → " + replayNode2 + ", node2's ID in the replay"},
		},
		{
			name:  "node ID prefix",
			cmd:   Command{Node: "node1", Text: "docker node update --availability drain k2j9"},
			want:  "docker node update --availability drain " + replayNode2,
			notes: []string{"node ID: k2j9 (node2) → " + replayNode2 + ", node2's ID in the replay"},
		},
		{
			name: "hostnames are left alone",
			cmd:  Command{Node: "node1", Text: "docker node update --availability drain node2"},
			want: "docker node update --availability drain node2",
		},
		{
			name:  "node ID without a replay counterpart yet",
			cmd:   Command{Node: "node1", Text: "docker node inspect p0o9"},
			want:  "docker node inspect p0o9",
			notes: []string{"node ID p0o9 is node3's in the submission, but the replay has no ID for node3 yet: left as is"},
		},
		{
			name:  "node ID in a constraint",
			cmd:   Command{Node: "node1", Text: "docker service create --constraint node.id==k2j9d8 --name x ubuntu"},
			want:  "docker service create --constraint node.id==" + replayNode2 + " --name x ubuntu",
			notes: []string{"node ID: k2j9d8 (node2) → " + replayNode2 + ", node2's ID in the replay"},
		},
		{
			name:  "container ID from docker run -d, by prefix",
			cmd:   Command{Node: "node1", Text: "docker kill 7c2f"},
			want:  "docker kill " + replayRunID,
			notes: []string{"container ID: 7c2f (line 2) → " + replayRunID},
		},
		{
			name:  "container ID from docker ps, paired by task slot",
			cmd:   Command{Node: "node3", Text: "docker logs 4f2a1b9c8d7e"},
			want:  "docker logs aaaaaaaaaaa1",
			notes: []string{"container ID: 4f2a1b9c8d7e (line 30) → aaaaaaaaaaa1"},
		},
		{
			name:  "container ID from docker ps, paired by image and order",
			cmd:   Command{Node: "node3", Text: "docker container stop 9e8d"},
			want:  "docker container stop bbbbbbbbbbb2",
			notes: []string{"container ID: 9e8d (line 30) → bbbbbbbbbbb2"},
		},
		{
			name:  "container ID in docker cp",
			cmd:   Command{Node: "node1", Text: "docker cp 7c2f9d1e:/etc/hosts /tmp/h"},
			want:  "docker cp " + replayRunID + ":/etc/hosts /tmp/h",
			notes: []string{"container ID: 7c2f9d1e (line 2) → " + replayRunID},
		},
		{
			name:  "service ID",
			cmd:   Command{Node: "node1", Text: "docker service ps kx1v"},
			want:  "docker service ps " + replayService,
			notes: []string{"service ID: kx1v (line 25) → " + replayService},
		},
		{
			name:  "service ID in docker service scale",
			cmd:   Command{Node: "node1", Text: "docker service scale kx1vq8n3=7"},
			want:  "docker service scale " + replayService + "=7",
			notes: []string{"service ID: kx1vq8n3 (line 25) → " + replayService},
		},
		{
			name: "service names are left alone",
			cmd:  Command{Node: "node1", Text: "docker service scale sleep-app=7"},
			want: "docker service scale sleep-app=7",
		},
		{
			name: "quoted strings that are not IDs are left alone",
			cmd:  Command{Node: "node1", Text: `docker run ubuntu echo "7c2f 192.168.0.18"`},
			want: `docker run ubuntu echo "7c2f 192.168.0.18"`,
		},
		{
			name:  "a quoted ID is rewritten inside its quotes",
			cmd:   Command{Node: "node1", Text: `docker kill "7c2f9d1e8a3b"`},
			want:  `docker kill "` + replayRunID + `"`,
			notes: []string{"container ID: 7c2f9d1e8a3b (line 2) → " + replayRunID},
		},
		{
			name: "IDs in other places are left alone",
			cmd:  Command{Node: "node1", Text: "docker service create --name 7c2f ubuntu"},
			want: "docker service create --name 7c2f ubuntu",
		},
		{
			name: "no replay values yet: join left as is",
			cmd:  Command{Node: "node2", Text: "docker swarm join --token " + studentToken + " 192.168.0.18:2377"},
			env:  &Env{},
			want: "docker swarm join --token " + studentToken + " 192.168.0.18:2377",
		},
		{
			name: "every docker command of a line is rewritten",
			cmd:  Command{Node: "node1", Text: "docker kill 7c2f && docker service rm kx1v"},
			want: "docker kill " + replayRunID + " && docker service rm " + replayService,
			notes: []string{
				"container ID: 7c2f (line 2) → " + replayRunID,
				"service ID: kx1v (line 25) → " + replayService,
			},
		},
		{
			name: "not shell: left as is",
			cmd:  Command{Node: "node1", Text: "docker kill '7c2f"},
			want: "docker kill '7c2f",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr := NewTranslator()
			for _, s := range studentSession {
				tr.Learn(s.cmd, s.replay)
			}
			env := replayEnv
			if tt.env != nil {
				env = *tt.env
			}
			got, notes := tr.Rewrite(tt.cmd, env)
			assert.Equal(t, tt.want, got)
			assert.Equal(t, tt.notes, notes)
		})
	}
}

// The session's evidence is read before the replay: in terminals pasted
// one after another, node2's join may run before the node2 prompt or the
// node1 output that says whose address it names.
func TestSessionTranslatorTiesAddressesFromTheWholeSession(t *testing.T) {
	const initOut = "Swarm initialized: current node (" + node1ID + ") is now a manager.\n\n" +
		"To add a worker to this swarm, run the following command:\n\n    docker swarm join --token " + studentToken + " 192.168.0.28:2377\n"
	tests := []struct {
		name string
		cmds []Command
		join Command
		want string
		note string
	}{
		{
			name: "the worker's own address, from its PWD header",
			cmds: []Command{
				{Line: 3, Node: "node1", Prompt: "[node1] (local) root@192.168.0.28 ~", Text: "docker swarm init --advertise-addr $(hostname -i)", Output: initOut},
				{Line: 20, Node: "node2", Prompt: "[node2] (local) root@192.168.0.27 ~", Text: "docker ps"},
			},
			join: Command{Line: 10, Node: "node3", Text: "docker swarm join --token " + studentToken + " 192.168.0.27:2377"},
			want: "docker swarm join --token SWMTKN-1-replay-worker 172.20.0.3:2377",
			note: "join address: 192.168.0.27:2377 is node node2's in the submission (its prompt, line 20) → 172.20.0.3:2377, node2's address in the replay",
		},
		{
			name: "the manager's, from the join line its init printed",
			cmds: []Command{{Line: 3, Node: "node1", Text: "docker swarm init --advertise-addr $(hostname -i)", Output: initOut}},
			join: Command{Line: 10, Node: "node2", Text: "docker swarm join --token " + studentToken + " 192.168.0.28:2377"},
			want: "docker swarm join --token SWMTKN-1-replay-worker 172.20.0.2:2377",
			note: "join address: 192.168.0.28:2377 is the manager node1's in the submission (the join command its `docker swarm init` printed, line 3) → 172.20.0.2:2377, node1's address in the replay",
		},
		{
			name: "a failed init's output ties nothing",
			cmds: []Command{
				{Line: 3, Node: "node2", Text: "docker swarm init", Output: "Error response from daemon: could not choose an IP address to advertise"},
				{Line: 4, Node: "node1", Text: "docker swarm init --advertise-addr 192.168.0.28", Output: initOut},
			},
			join: Command{Line: 10, Node: "node3", Text: "docker swarm join --token " + studentToken + " 192.168.0.28"},
			want: "docker swarm join --token SWMTKN-1-replay-worker 172.20.0.2",
			note: "join address: 192.168.0.28 is the manager node1's in the submission (its `swarm init --advertise-addr`, line 4) → 172.20.0.2, node1's address in the replay",
		},
		{
			name: "an address two nodes claim is no node's",
			cmds: []Command{
				{Line: 3, Node: "node1", Prompt: "root@192.168.0.28:~#", Text: "docker swarm init"},
				{Line: 9, Node: "node2", Prompt: "root@192.168.0.28:~#", Text: "docker ps"},
			},
			join: Command{Line: 10, Node: "node3", Text: "docker swarm join --token " + studentToken + " 192.168.0.28:2377"},
			want: "docker swarm join --token SWMTKN-1-replay-worker 192.168.0.28:2377",
			note: "join address: 192.168.0.28:2377 is claimed by node1 and node2 in the submission: left as is",
		},
		{
			name: "no evidence at all (a history dump): taken to be the manager's",
			cmds: []Command{{Line: 3, Node: "node1", Text: "docker swarm init --advertise-addr $(hostname -i)"}},
			join: Command{Line: 10, Node: "node2", Text: "docker swarm join --token " + studentToken + " 192.168.0.28:2377"},
			want: "docker swarm join --token SWMTKN-1-replay-worker 172.20.0.2:2377",
			note: "manager address: 192.168.0.28:2377 → 172.20.0.2:2377 (the submission ties it to no node and never shows the manager's address: taken to be the manager's)",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr := NewSessionTranslator(&Submission{Commands: append(tt.cmds, tt.join)})
			got, notes := tr.Rewrite(tt.join, replayEnv)
			assert.Equal(t, tt.want, got)
			assert.Contains(t, notes, tt.note)
		})
	}
}

func TestTranslatorLearnsReplayNodeIDs(t *testing.T) {
	tr := NewTranslator()
	tr.Learn(Command{Node: "node1", Text: "docker node ls", Output: "ID  HOSTNAME  STATUS\n" + node2ID + "  node2  Ready"},
		"ID  HOSTNAME  STATUS\n"+replayNode2+"  node2  Ready")
	got, _ := tr.Rewrite(Command{Node: "node1", Text: "docker node update --availability drain " + node2ID[:6]}, Env{})
	assert.Equal(t, "docker node update --availability drain "+replayNode2, got, "the replay's own node ls stands in for Env.NodeIDs")
}

func TestTranslatorNodeInspect(t *testing.T) {
	tr := NewTranslator()
	tr.Learn(Command{Node: "node1", Text: "docker node inspect node2", Output: `[
    {
        "ID": "` + node2ID + `",
        "Description": {"Hostname": "node2"},
        "Status": {"State": "ready", "Addr": "192.168.0.17"}
    }
]`}, "")
	got, notes := tr.Rewrite(Command{Node: "node1", Text: "docker node update --availability drain " + node2ID[:4]}, replayEnv)
	assert.Equal(t, "docker node update --availability drain "+replayNode2, got)
	assert.Len(t, notes, 1)
	got, _ = tr.Rewrite(Command{Node: "node2", Text: "docker swarm join --advertise-addr 192.168.0.17 --token T 192.168.0.18:2377"}, replayEnv)
	assert.Equal(t, "docker swarm join --advertise-addr 172.20.0.3 --token SWMTKN-1-replay-worker 172.20.0.2:2377", got)
}

func TestTranslatorAmbiguousPrefix(t *testing.T) {
	tr := NewTranslator()
	tr.Learn(Command{Node: "node1", Text: "docker node ls", Output: "ID HOSTNAME\nabc00000000000000000000001 node1\nabc00000000000000000000002 node2"}, "")
	tr.Learn(Command{Node: "node1", Text: "docker node ls", Output: "ID  HOSTNAME\nabcd000000000000000000001  node1\nabce000000000000000000002  node2"}, "")
	got, notes := tr.Rewrite(Command{Node: "node1", Text: "docker node inspect abc"}, replayEnv)
	assert.Equal(t, "docker node inspect abc", got, "a prefix of two IDs names neither")
	assert.Empty(t, notes)
}

func TestTranslatorLearns(t *testing.T) {
	tests := []struct {
		name   string
		learn  []Command
		replay []string
		cmd    Command
		want   string
	}{
		{
			name:   "service IDs from docker service ls, by name",
			learn:  []Command{{Line: 3, Node: "node1", Text: "docker service ls", Output: "ID                  NAME                MODE                REPLICAS            IMAGE\nkx1vq8n3m2b7        sleep-app           replicated          1/1                 ubuntu:latest"}},
			replay: []string{"ID             NAME        MODE         REPLICAS   IMAGE\nsvcreplay000   other       replicated   1/1        nginx\nsvcreplay111   sleep-app   replicated   1/1        ubuntu:latest"},
			cmd:    Command{Node: "node1", Text: "docker service rm kx1vq8n3m2b7"},
			want:   "docker service rm svcreplay111",
		},
		{
			name: "manager token asked for by $(docker swarm join-token -q manager)",
			cmd:  Command{Node: "node2", Text: "docker swarm join --token $(docker swarm join-token -q manager) 192.168.0.18:2377"},
			want: "docker swarm join --token SWMTKN-1-replay-manager 172.20.0.2:2377",
		},
		{
			name:  "token kinds from docker swarm join-token -q",
			learn: []Command{{Node: "node1", Text: "docker swarm join-token -q manager", Output: studentMgrTok}},
			cmd:   Command{Node: "node2", Text: "docker swarm join --token " + studentMgrTok + " 192.168.0.18:2377"},
			want:  "docker swarm join --token SWMTKN-1-replay-manager 172.20.0.2:2377",
		},
		{
			name:  "node ID and address from docker info",
			learn: []Command{{Node: "node1", Text: "docker info", Output: "Server:\n Swarm: active\n  NodeID: " + node1ID + "\n  Node Address: 192.168.0.44\n"}},
			cmd:   Command{Node: "node1", Text: "docker node inspect " + node1ID[:5] + " --format {{.Status.Addr}}"},
			want:  "docker node inspect zz1replay000000000000000n --format {{.Status.Addr}}",
		},
		{
			name:   "container created without recorded output is left alone",
			learn:  []Command{{Line: 4, Node: "node1", Text: "docker run -d ubuntu sleep 1"}},
			replay: []string{replayRunID},
			cmd:    Command{Node: "node1", Text: "docker rm 0123"},
			want:   "docker rm 0123",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr := NewTranslator()
			for i, c := range tt.learn {
				replay := ""
				if i < len(tt.replay) {
					replay = tt.replay[i]
				}
				tr.Learn(c, replay)
			}
			got, _ := tr.Rewrite(tt.cmd, replayEnv)
			assert.Equal(t, tt.want, got)
		})
	}
}

// A session on the student's own machines shows their names in outputs:
// `docker node ls` on manager1 lists worker1, which the lab calls node2.
// A drain by worker1's node ID must reach node2 in the replay.
func TestSessionTranslatorReadsMachineNames(t *testing.T) {
	const worker1ID = "t4wq8zr1m6ck0vd3yn7bx5hs2"
	src := "student: Jo\n" +
		"jo@laptop:~$ multipass exec manager1 -- docker swarm init\n" +
		"Swarm initialized: current node (f8k2m4q6s8u0w2y4a6c8e0g2i) is now a manager.\n" +
		"jo@laptop:~$ multipass exec worker1 -- docker swarm join --token " + studentToken + " 10.44.0.5:2377\n" +
		"This node joined a swarm as a worker.\n" +
		"jo@laptop:~$ multipass exec worker2 -- docker swarm join --token " + studentToken + " 10.44.0.5:2377\n" +
		"This node joined a swarm as a worker.\n" +
		"jo@laptop:~$ multipass exec manager1 -- docker node ls\n" +
		"ID                            HOSTNAME   STATUS    AVAILABILITY   MANAGER STATUS   ENGINE VERSION\n" +
		"f8k2m4q6s8u0w2y4a6c8e0g2i *   manager1   Ready     Active         Leader           24.0.7\n" +
		worker1ID + "     worker1    Ready     Active                          24.0.7\n" +
		"jo@laptop:~$ multipass exec manager1 -- docker node update --availability drain " + worker1ID[:5] + "\n" +
		worker1ID + "\n"
	sub := mustParse(t, src, labOptions())
	assert.Equal(t, map[string]string{"manager1": "node1", "worker1": "node2", "worker2": "node3"}, sub.Machines)
	tr := NewSessionTranslator(sub)
	var got string
	var notes []string
	for _, c := range sub.Commands {
		got, notes = tr.Rewrite(c, replayEnv)
		tr.Learn(c, "")
	}
	last := sub.Commands[len(sub.Commands)-1]
	assert.Equal(t, "docker node update --availability drain "+replayEnv.NodeIDs["node2"], got, "line %d", last.Line)
	assert.Contains(t, notes, "node ID: "+worker1ID[:5]+" (node2) → "+replayEnv.NodeIDs["node2"]+", node2's ID in the replay")

	// Without the machine map the row's hostname is no lab node, and the
	// drain is left failing as it would for a mistyped ID.
	sub.Machines = nil
	tr = NewSessionTranslator(sub)
	for _, c := range sub.Commands {
		got, _ = tr.Rewrite(c, replayEnv)
		tr.Learn(c, "")
	}
	assert.Equal(t, "docker node update --availability drain "+worker1ID[:5], got)
}
