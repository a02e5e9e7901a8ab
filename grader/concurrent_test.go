package grader

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/labcheck/labcheck/grader/report"
	"github.com/labcheck/labcheck/grader/submission"
	"github.com/labcheck/labcheck/harness"
)

// swarmModel is a fake cluster's swarm that follows the swarm commands run
// in it (init, join, leave), so the replay decides what to run at once on
// states shaped like a real cluster's: a join needs a manager at the
// address it names and the replay's token, a manager leaves only with
// --force. The fake cluster's nodes are at 10.0.0.N and its tokens are
// SWMTKN-1-worker and SWMTKN-1-manager.
type swarmModel struct {
	t     testing.TB
	mu    sync.Mutex
	nodes []string
	role  map[string]string // "manager", "worker", or "" when in no swarm
	// hold, when set, makes each command containing it wait until holdN of
	// them run at the same time (or fail the test after a deadline).
	hold    string
	holdN   int
	held    int
	allHeld chan struct{}
}

func newSwarmModel(t testing.TB) (*swarmModel, *fakeCluster) {
	m := &swarmModel{t: t, nodes: []string{"node1", "node2", "node3"}, role: map[string]string{}, allHeld: make(chan struct{})}
	return m, &fakeCluster{t: t, shell: m.shell, state: m.state}
}

func (m *swarmModel) wait(line string) {
	if m.hold == "" || !strings.Contains(line, m.hold) {
		return
	}
	m.mu.Lock()
	m.held++
	if m.held == m.holdN {
		close(m.allHeld)
	}
	m.mu.Unlock()
	select {
	case <-m.allHeld:
	case <-time.After(10 * time.Second):
		m.t.Errorf("`%s` waited 10 s for %d commands with %q to run at the same time; %d did", line, m.holdN, m.hold, m.held)
	}
}

func (m *swarmModel) shell(ctx context.Context, node, line string) (harness.ExecResult, error) {
	m.wait(line)
	m.mu.Lock()
	defer m.mu.Unlock()
	fail := func(msg string) (harness.ExecResult, error) {
		return harness.ExecResult{ExitCode: 1, Stderr: "Error response from daemon: " + msg + "\n"}, nil
	}
	var out strings.Builder
	for _, c := range submission.Analyze(line).Calls {
		switch c.Path {
		case "swarm init":
			if m.role[node] != "" {
				return fail("This node is already part of a swarm.")
			}
			m.role[node] = "manager"
			out.WriteString("Swarm initialized: current node (id-" + node + ") is now a manager.\n")
		case "swarm join":
			if m.role[node] != "" {
				return fail("This node is already part of a swarm.")
			}
			target := ""
			if n := len(c.Args); n > 0 {
				host, _, _ := strings.Cut(c.Words[c.Args[n-1]].Lit, ":")
				target = "node" + strings.TrimPrefix(host, "10.0.0.")
			}
			if m.role[target] != "manager" {
				return fail("Timeout was reached before node joined.")
			}
			tok, _ := c.Flag("--token")
			switch tok.Value {
			case "SWMTKN-1-worker":
				m.role[node] = "worker"
			case "SWMTKN-1-manager":
				m.role[node] = "manager"
			default:
				return fail("invalid join token")
			}
			out.WriteString("This node joined a swarm as a " + m.role[node] + ".\n")
		case "swarm leave":
			_, force := c.Flag("--force", "-f")
			switch {
			case m.role[node] == "":
				return fail("This node is not part of a swarm")
			case m.role[node] == "manager" && !force:
				return fail("You are attempting to leave the swarm on a node that is participating as a manager.")
			}
			m.role[node] = ""
			out.WriteString("Node left the swarm.\n")
		}
	}
	return harness.ExecResult{Stdout: out.String()}, nil
}

func (m *swarmModel) state() *harness.State {
	m.mu.Lock()
	defer m.mu.Unlock()
	st := &harness.State{}
	for _, n := range m.nodes {
		ns := harness.NodeState{Name: n, Reachable: true, Swarm: harness.LocalSwarm{State: "inactive"}}
		if r := m.role[n]; r != "" {
			ns.Swarm = harness.LocalSwarm{State: "active", NodeID: "id-" + n, ControlAvailable: r == "manager"}
			if st.Manager == "" && r == "manager" {
				st.Manager = n
			}
		}
		st.Nodes = append(st.Nodes, ns)
	}
	if st.Manager != "" {
		st.Swarm = &harness.SwarmState{}
		for _, n := range m.nodes {
			if r := m.role[n]; r != "" {
				st.Swarm.Nodes = append(st.Swarm.Nodes, harness.SwarmNode{ID: "id-" + n, Hostname: n, Role: r,
					Availability: "active", Status: "ready", Leader: n == st.Manager})
			}
		}
	}
	return st
}

// replayModel grades cmds on a swarm model, with batching on or off.
func replayModel(t *testing.T, cmds []submission.Command, sequential bool) (*report.Report, *fakeCluster) {
	t.Helper()
	_, f := newSwarmModel(t)
	sub := &submission.Submission{Source: "student.txt", Commands: cmds}
	rep, err := Grade(context.Background(), orchestration(t), sub, Options{Start: f.start, SequentialReplay: sequential}, ReplayLimits{})
	require.NoError(t, err)
	return rep, f
}

// batchesOf reads from a report which lines ran together: the commands
// of a batch share the one observation, attached to the last of them.
func batchesOf(rep *report.Report) [][]int {
	var out [][]int
	var cur []int
	for _, s := range rep.Steps {
		for _, c := range s.Commands {
			cur = append(cur, c.Line)
			if len(c.Observations) > 0 || c.Outcome == report.OutcomeRejected {
				out = append(out, cur)
				cur = nil
			}
		}
	}
	if cur != nil {
		out = append(out, cur)
	}
	return out
}

// shellsByNode is what each node was asked to run, in order.
func shellsByNode(f *fakeCluster) map[string][]string {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := map[string][]string{}
	for _, c := range f.calls {
		if rest, ok := strings.CutPrefix(c, "shell "); ok {
			node, line, _ := strings.Cut(rest, " ")
			out[node] = append(out[node], line)
		}
	}
	return out
}

func points(rep *report.Report) map[string]int {
	out := map[string]int{}
	for _, it := range rep.Items {
		out[it.ID] = it.Awarded
	}
	return out
}

const (
	batchTok  = "SWMTKN-1-3pu6hszjas19xyp7ghgosyx9k8atbfcr8p2is99znpy26u2lkl-1awxwuwd3z9j1z3puu7rcgdbx"
	batchMTok = "SWMTKN-1-3pu6hszjas19xyp7ghgosyx9k8atbfcr8p2is99znpy26u2lkl-7p8fohknvgc3qhhmlzb4wc3gm"
)

var batchInitOutput = "Swarm initialized: current node (m8w3d6nos5nv2eqmkf28xm4up) is now a manager.\n\n" +
	"To add a worker to this swarm, run the following command:\n\n    docker swarm join --token " + batchTok + " 192.168.0.18:2377\n"

func pwdPrompt(node, ip string) string { return "[" + node + "] (local) root@" + ip + " ~" }

func cmdAt(line int, node string, term int, text, output string) submission.Command {
	ip := map[string]string{"node1": "192.168.0.18", "node2": "192.168.0.17", "node3": "192.168.0.16"}[node]
	return submission.Command{Line: line, Node: node, Terminal: term, Text: text, Output: output, Prompt: pwdPrompt(node, ip)}
}

func joinAt(line int, node string, term int) submission.Command {
	return cmdAt(line, node, term, "docker swarm join --token "+batchTok+" 192.168.0.18:2377", "This node joined a swarm as a worker.\n")
}

func leaveAt(line int, node string, term int) submission.Command {
	return cmdAt(line, node, term, "docker swarm leave", "Node left the swarm.\n")
}

// The whole lab's swarm part, from PWD terminals pasted in order.
func swarmSession() []submission.Command {
	return []submission.Command{
		cmdAt(1, "node1", 0, "docker swarm init --advertise-addr 192.168.0.18", batchInitOutput),
		joinAt(10, "node2", 1),
		joinAt(20, "node3", 2),
		cmdAt(30, "node1", 3, "docker node ls", ""),
		leaveAt(40, "node2", 4),
		leaveAt(50, "node3", 5),
		cmdAt(60, "node1", 6, "docker swarm leave --force", "Node left the swarm.\n"),
	}
}

func TestReplayRunsAtOnceOnlyWhatNothingOrders(t *testing.T) {
	tests := []struct {
		name    string
		cmds    []submission.Command
		batches [][]int
	}{
		{
			name:    "joins into the manager and workers' leaves run at once; the manager's leave alone",
			cmds:    swarmSession(),
			batches: [][]int{{1}, {10, 20}, {30}, {40, 50}, {60}},
		},
		{
			name: "never two commands of one terminal",
			cmds: []submission.Command{
				cmdAt(1, "node1", 0, "docker swarm init --advertise-addr 192.168.0.18", batchInitOutput),
				joinAt(10, "node2", 1),
				joinAt(11, "node3", 1), // one terminal that moved to node3 (ssh)
			},
			batches: [][]int{{1}, {10}, {11}},
		},
		{
			name: "a manager's leave never joins a batch, nor the workers' leaves after it",
			cmds: []submission.Command{
				cmdAt(1, "node1", 0, "docker swarm init --advertise-addr 192.168.0.18", batchInitOutput),
				joinAt(10, "node2", 1),
				joinAt(20, "node3", 2),
				leaveAt(40, "node2", 3),
				cmdAt(50, "node1", 4, "docker swarm leave --force", "Node left the swarm.\n"),
				leaveAt(60, "node3", 5),
			},
			batches: [][]int{{1}, {10, 20}, {40}, {50}, {60}},
		},
		{
			name: "joins pasted before their init wait for it, and only then run at once",
			cmds: []submission.Command{
				joinAt(1, "node2", 0),
				joinAt(5, "node3", 1),
				cmdAt(10, "node1", 2, "docker swarm init --advertise-addr 192.168.0.18", batchInitOutput),
				cmdAt(11, "node1", 2, "docker node ls", ""),
			},
			batches: [][]int{{10}, {1, 5}, {11}},
		},
		{
			name: "no swarm: joins run one by one",
			cmds: []submission.Command{
				joinAt(1, "node2", 0),
				joinAt(5, "node3", 1),
			},
			batches: [][]int{{1}, {5}},
		},
		{
			name: "a join with another docker command in its line runs alone",
			cmds: []submission.Command{
				cmdAt(1, "node1", 0, "docker swarm init --advertise-addr 192.168.0.18", batchInitOutput),
				cmdAt(10, "node2", 1, "docker swarm join --token "+batchTok+" 192.168.0.18:2377 && docker info", ""),
				joinAt(20, "node3", 2),
				cmdAt(30, "node1", 3, "docker node ls", ""),
			},
			batches: [][]int{{1}, {10}, {20}, {30}},
		},
		{
			name: "a line that leaves and joins runs alone",
			cmds: []submission.Command{
				cmdAt(1, "node1", 0, "docker swarm init --advertise-addr 192.168.0.18", batchInitOutput),
				joinAt(10, "node2", 1),
				cmdAt(20, "node3", 2, "docker swarm leave --force; docker swarm join --token "+batchTok+" 192.168.0.18:2377", ""),
				cmdAt(30, "node1", 3, "docker node ls", ""),
			},
			batches: [][]int{{1}, {10}, {20}, {30}},
		},
		{
			name: "a join as a manager runs alone",
			cmds: []submission.Command{
				cmdAt(1, "node1", 0, "docker swarm init --advertise-addr 192.168.0.18", batchInitOutput),
				cmdAt(2, "node1", 0, "docker swarm join-token manager",
					"To add a manager to this swarm, run the following command:\n\n    docker swarm join --token "+batchMTok+" 192.168.0.18:2377\n"),
				cmdAt(10, "node2", 1, "docker swarm join --token "+batchMTok+" 192.168.0.18:2377", "This node joined a swarm as a manager.\n"),
				joinAt(20, "node3", 2),
				cmdAt(30, "node1", 3, "docker node ls", ""),
			},
			batches: [][]int{{1}, {2}, {10}, {20}, {30}},
		},
		{
			name: "a join through another joiner's address runs alone",
			cmds: []submission.Command{
				cmdAt(1, "node1", 0, "docker swarm init --advertise-addr 192.168.0.18", batchInitOutput),
				cmdAt(10, "node2", 1, "docker swarm join --token "+batchTok+" 192.168.0.16:2377", ""),
				joinAt(20, "node3", 2),
				cmdAt(30, "node1", 3, "docker node ls", ""),
			},
			batches: [][]int{{1}, {10}, {20}, {30}},
		},
		{
			name: "a join the submission shows failing runs alone: its doubt is judged on the look right after it",
			cmds: []submission.Command{
				cmdAt(1, "node1", 0, "docker swarm init --advertise-addr 192.168.0.18", batchInitOutput),
				cmdAt(10, "node2", 1, "docker swarm join --token "+batchTok+" 192.168.0.18:2377", "Error response from daemon: Timeout was reached before node joined.\n"),
				joinAt(20, "node3", 2),
				cmdAt(30, "node1", 3, "docker node ls", ""),
			},
			batches: [][]int{{1}, {10}, {20}, {30}},
		},
		{
			name: "a join with a flag beyond its token runs alone",
			cmds: []submission.Command{
				cmdAt(1, "node1", 0, "docker swarm init --advertise-addr 192.168.0.18", batchInitOutput),
				cmdAt(10, "node2", 1, "docker swarm join --advertise-addr 192.168.0.18 --token "+batchTok+" 192.168.0.18:2377", ""),
				joinAt(20, "node3", 2),
				cmdAt(30, "node1", 3, "docker node ls", ""),
			},
			batches: [][]int{{1}, {10}, {20}, {30}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep, f := replayModel(t, tt.cmds, false)
			assert.Equal(t, tt.batches, batchesOf(rep), "lines run at once")
			notes := 0
			for _, n := range rep.Environment.Notes {
				if strings.Contains(n, "ran at once") {
					notes++
				}
			}
			want := 0
			for _, b := range tt.batches {
				if len(b) > 1 {
					want++
				}
			}
			assert.Equal(t, want, notes, "a note per batch: %q", rep.Environment.Notes)

			seq, sf := replayModel(t, tt.cmds, true)
			var singles [][]int
			for _, b := range tt.batches {
				for _, l := range b {
					singles = append(singles, []int{l})
				}
			}
			assert.Equal(t, singles, batchesOf(seq), "SequentialReplay runs one at a time")
			assert.Equal(t, points(seq), points(rep), "the grade is the sequential one")
			assert.Equal(t, seq.Score, rep.Score)
			assert.Equal(t, shellsByNode(sf), shellsByNode(f), "each node ran the same lines, translated the same")
			assert.Equal(t, commandOrder(seq), commandOrder(rep), "commands are numbered and placed as in the sequential replay")
		})
	}
}

// commandOrder is the report's commands as index, step, node and line.
func commandOrder(rep *report.Report) []string {
	var out []string
	for _, s := range rep.Steps {
		for _, c := range s.Commands {
			out = append(out, fmt.Sprintf("%d %s %s %d %s", c.Index, s.ID, c.Node, c.Line, c.Outcome))
		}
	}
	return out
}

func TestBatchRunsItsCommandsAtTheSameTimeAndLooksOnceAfter(t *testing.T) {
	m, f := newSwarmModel(t)
	m.hold, m.holdN = "swarm leave", 2
	sub := &submission.Submission{Source: "student.txt", Commands: swarmSession()[:6]}
	start := func(context.Context, ...harness.Option) (Cluster, error) { return settlesLogged{f}, nil }
	rep, err := Grade(context.Background(), orchestration(t), sub, Options{Start: start}, ReplayLimits{})
	require.NoError(t, err)
	assert.Equal(t, [][]int{{1}, {10, 20}, {30}, {40, 50}}, batchesOf(rep))

	f.mu.Lock()
	calls := append([]string(nil), f.calls...)
	f.mu.Unlock()
	at := func(call string) int {
		for i, c := range calls {
			if c == call {
				return i
			}
		}
		t.Fatalf("no call %q in %q", call, calls)
		return -1
	}
	first, second := at("shell node2 docker swarm leave"), at("shell node3 docker swarm leave")
	if first > second {
		first, second = second, first
	}
	assert.Equal(t, []string{"settle"}, calls[second+1:second+2], "the swarm is looked at after both leaves")
	for _, c := range calls[first+1 : second] {
		assert.True(t, strings.HasPrefix(c, "shell "), "nothing but the other leave runs between the two: %q", c)
	}

	var leaves []report.Command
	var steps []string
	for _, s := range rep.Steps {
		for _, c := range s.Commands {
			if c.Line == 40 || c.Line == 50 {
				leaves = append(leaves, c)
				steps = append(steps, s.ID)
			}
		}
	}
	require.Len(t, leaves, 2)
	assert.Equal(t, []string{"terminal-5", "terminal-6"}, steps, "each command stays in its terminal's step")
	assert.Equal(t, leaves[0].Index+1, leaves[1].Index, "numbered in the sequential order")
	assert.Empty(t, leaves[0].Observations)
	require.Len(t, leaves[1].Observations, 1, "one look after the batch, on its last command")
	assert.Equal(t, report.OutcomeOK, leaves[0].Outcome)
	assert.Equal(t, report.OutcomeOK, leaves[1].Outcome)
	assert.True(t, leaves[0].End.After(leaves[1].Start) && leaves[1].End.After(leaves[0].Start), "the two leaves overlapped in time")
	assert.Contains(t, rep.Environment.Notes,
		"lines 40 and 50 (`docker swarm leave` on node2 and node3, from different terminals) ran at once: nothing in the submission orders them "+
			"and each is a worker leaving the swarm the manager node1 runs, so the swarm was looked at once, after all of them")
	for _, it := range rep.Items {
		if strings.HasPrefix(it.FirstHeld, "lines 10, 20") {
			assert.Equal(t, "lines 10, 20 (node2, node3 at once: docker swarm join --token "+batchTok+" 192.168.0.18:2377)", it.FirstHeld)
		}
	}
}

// settlesLogged adds the settles to a scripted fake's log of calls.
type settlesLogged struct{ *fakeCluster }

func (l settlesLogged) Settle(ctx context.Context, timeout time.Duration) (*harness.State, error) {
	l.mu.Lock()
	l.calls = append(l.calls, "settle")
	l.mu.Unlock()
	return l.fakeCluster.Settle(ctx, timeout)
}

// TestSchedulerPeekIsNext: what the replay peeks at is what the scheduler
// hands out next.
func TestSchedulerPeekIsNext(t *testing.T) {
	swarm := &harness.State{Nodes: []harness.NodeState{{Name: "node1", Swarm: harness.LocalSwarm{State: "active", ControlAvailable: true}}}}
	cmds := []submission.Command{
		joinAt(1, "node2", 0),
		cmdAt(2, "node2", 0, "docker ps", ""),
		cmdAt(10, "node1", 1, "docker swarm init", batchInitOutput),
		cmdAt(11, "node1", 1, "docker service create --name s ubuntu", ""),
		joinAt(20, "node3", 2),
		leaveAt(30, "node2", 3),
		leaveAt(40, "node3", 4),
	}
	s := newScheduler(cmds)
	for range cmds {
		p, ok := s.peek(swarm)
		require.True(t, ok)
		again, _ := s.peek(swarm)
		n, ok := s.next(swarm)
		require.True(t, ok)
		assert.Equal(t, n, p, "line %d", n.Line)
		assert.Equal(t, p, again, "peeking hands nothing out")
	}
	_, ok := s.peek(swarm)
	assert.False(t, ok)
}

// TestCorpusGradesTheSameWithBatching replays every text submission of the
// corpus on the swarm model with batching on and off: the same points, the
// same rejected commands and the same translated lines on every node. The
// model knows only the swarm's membership, so this checks the replay's
// bookkeeping (scheduling, translation, numbering); the scenario test
// checks the grades on real swarms.
func TestCorpusGradesTheSameWithBatching(t *testing.T) {
	entries, err := os.ReadDir("../testdata/submissions")
	require.NoError(t, err)
	batched := 0
	for _, e := range entries {
		name := e.Name()
		switch filepath.Ext(name) {
		case ".txt", ".sh", ".log", ".cast", ".md":
		default:
			continue
		}
		if strings.HasPrefix(name, "bad-") || name == "README.md" {
			continue
		}
		t.Run(name, func(t *testing.T) {
			path := filepath.Join("../testdata/submissions", name)
			grade := func(sequential bool) (*report.Report, *fakeCluster) {
				_, f := newSwarmModel(t)
				rep, err := GradeFile(context.Background(), orchestration(t), path, "", Options{Start: f.start, SequentialReplay: sequential}, ReplayLimits{})
				require.NoError(t, err)
				return rep, f
			}
			on, fon := grade(false)
			off, foff := grade(true)
			assert.Equal(t, points(off), points(on))
			assert.Equal(t, countRejected(off), countRejected(on))
			assert.Equal(t, shellsByNode(foff), shellsByNode(fon), "each node ran the same lines, translated the same")
			assert.Equal(t, commandOrder(off), commandOrder(on))
			var together [][]int
			for _, b := range batchesOf(on) {
				if len(b) > 1 {
					together = append(together, b)
				}
			}
			batched += len(together)
			t.Logf("lines run at once: %v", together)
		})
	}
	assert.Positive(t, batched, "some corpus submissions have commands that run at once")
}

func countRejected(rep *report.Report) int {
	n := 0
	for _, s := range rep.Steps {
		for _, c := range s.Commands {
			if c.Outcome == report.OutcomeRejected {
				n++
			}
		}
	}
	return n
}
