package grader

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/labcheck/labcheck/grader/lab"
	"github.com/labcheck/labcheck/grader/report"
	"github.com/labcheck/labcheck/grader/submission"
	"github.com/labcheck/labcheck/harness"
)

// scripted is a fake cluster whose state moves through states captured from
// a real cluster as the lab's commands run: `swarm init` leads to the
// swarm-init state, and so on. block, when set, makes a command containing
// it run until its context ends.
type scripted struct {
	mu    sync.Mutex
	state *harness.State
	// after maps a fragment of a command to the state it leads to.
	after map[string]*harness.State
	// fail maps a fragment of a command to the output of its failure.
	fail  map[string]string
	block string
	// started is closed when the blocking command starts.
	started chan struct{}
}

func newScripted(t *testing.T) (*scripted, *fakeCluster) {
	s := &scripted{
		state: recordedState(t, "fresh"),
		after: map[string]*harness.State{
			"run -dt ubuntu":       recordedState(t, "standalone"),
			"swarm init":           recordedState(t, "swarm-init"),
			"swarm join":           recordedState(t, "joined"),
			"service create":       recordedState(t, "service-created"),
			"--replicas 7":         recordedState(t, "scaled-up"),
			"--replicas 4":         recordedState(t, "scaled-down"),
			"--availability drain": recordedState(t, "drained"),
		},
		fail:    map[string]string{},
		started: make(chan struct{}),
	}
	f := &fakeCluster{t: t, shell: s.shell, state: s.now}
	return s, f
}

func (s *scripted) now() *harness.State {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.state
}

func (s *scripted) shell(ctx context.Context, node, line string) (harness.ExecResult, error) {
	if s.block != "" && strings.Contains(line, s.block) {
		close(s.started)
		<-ctx.Done()
		return harness.ExecResult{ExitCode: -1}, ctx.Err()
	}
	for frag, out := range s.fail {
		if strings.Contains(line, frag) {
			return harness.ExecResult{ExitCode: 1, Stderr: out}, nil
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for frag, st := range s.after {
		if strings.Contains(line, frag) {
			s.state = st
		}
	}
	return harness.ExecResult{Stdout: "ok\n"}, nil
}

func parseScript(t *testing.T, l *lab.Lab, text string) *submission.Submission {
	t.Helper()
	sub, err := submission.Parse("student.sh", []byte(text), submission.Options{Nodes: l.NodeNames(), DefaultNode: l.InitNode()})
	require.NoError(t, err)
	return sub
}

func orchestration(t *testing.T) *lab.Lab {
	t.Helper()
	l, err := lab.Get("orchestration")
	require.NoError(t, err)
	return l
}

const fullLabScript = `# node: node1
docker run -dt ubuntu sleep infinity
docker swarm init --advertise-addr 10.0.0.1
# node: node2
docker swarm join --token SWMTKN-1-aaaa 10.0.0.1:2377
# node: node1
docker service create --name sleep-app ubuntu sleep infinity
docker service update --replicas 7 sleep-app
docker node update --availability drain node2
docker service update --replicas 4 sleep-app
`

func TestReplayDeadlineStopsTheRunningCommandAndSkipsTheRest(t *testing.T) {
	l := orchestration(t)
	s, f := newScripted(t)
	s.block = "--replicas 7"
	sub := parseScript(t, l, fullLabScript)
	rep, err := Grade(context.Background(), l, sub, Options{Start: f.start}, ReplayLimits{Total: 300 * time.Millisecond})
	require.NoError(t, err, "a replay that hits its limit still completes: the cluster is graded as it then is")
	require.True(t, rep.Completed)

	var outcomes []report.Outcome
	var reasons []string
	for _, st := range rep.Steps {
		for _, c := range st.Commands {
			outcomes = append(outcomes, c.Outcome)
			reasons = append(reasons, c.Reason)
		}
	}
	assert.Equal(t, []report.Outcome{"ok", "ok", "ok", "ok", "skipped", "skipped", "skipped"}, outcomes)
	assert.Equal(t, "stopped while it ran: the replay hit its time limit", reasons[4])
	assert.Equal(t, "not run: the replay hit its 300ms limit", reasons[5])
	assert.Contains(t, rep.Warnings, "the replay stopped at its 300ms limit: 2 command(s) were not run")
	for _, w := range rep.Warnings {
		assert.NotContains(t, w, "did not settle", "a deadline is not a swarm that did not settle")
	}
	assert.Equal(t, 10+10+15+10, rep.Score, "what held before the limit is credited; the final items are graded on the last state")
	assert.True(t, f.closed, "the cluster is removed")
}

func TestInterruptIsReportedAsInterruptedNeverAsATimeout(t *testing.T) {
	l := orchestration(t)
	s, f := newScripted(t)
	s.block = "service create"
	sub := parseScript(t, l, fullLabScript)
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-s.started
		cancel()
	}()
	rep, err := Grade(ctx, l, sub, Options{Start: f.start}, ReplayLimits{})
	require.Error(t, err)
	assert.True(t, errors.Is(err, context.Canceled), "the error says the run was cancelled: %v", err)
	assert.False(t, rep.Completed)
	assert.Contains(t, rep.Error, "interrupted")
	for _, w := range rep.Warnings {
		assert.NotContains(t, w, "did not settle")
	}
	var text bytes.Buffer
	require.NoError(t, report.WriteText(&text, rep, report.TextOptions{}))
	assert.Contains(t, text.String(), "INCOMPLETE: grading could not complete: interrupted")
	assert.True(t, f.closed, "the cluster is removed after Ctrl-C too")
}

func TestStepsAreTerminalsAndCommandsAreNumberedAcrossThem(t *testing.T) {
	l := orchestration(t)
	s, f := newScripted(t)
	s.fail["--replicas 4"] = "Error: No such service: sleep-ap"
	sub := parseScript(t, l, fullLabScript)
	rep, err := Grade(context.Background(), l, sub, Options{Start: f.start}, ReplayLimits{})
	require.NoError(t, err)

	var ids []string
	var statuses []report.Status
	index := 0
	for _, st := range rep.Steps {
		ids = append(ids, st.ID)
		statuses = append(statuses, st.Status())
		for _, c := range st.Commands {
			index++
			assert.Equal(t, index, c.Index, "commands are numbered in run order across steps")
			require.Len(t, c.Observations, 1, "every command run is followed by one observation")
			assert.Equal(t, report.StatusPass, c.Observations[0].Status)
			assert.False(t, c.Start.IsZero() || c.End.Before(c.Start), "command %d has real start and end", c.Index)
		}
	}
	assert.Equal(t, []string{"terminal-1", "terminal-2", "terminal-3"}, ids)
	assert.Equal(t, []report.Status{report.StatusPass, report.StatusPass, report.StatusFail}, statuses,
		"a step's status comes from its commands: the failed scale-down fails terminal 3")
	for _, it := range rep.Items {
		assert.Positive(t, it.Duration, "item %s: its evaluation time is measured", it.ID)
	}
}

func TestSwallowedHarnessErrorsBecomeNotes(t *testing.T) {
	l := orchestration(t)
	_, f := newScripted(t)
	lf := &limitFailing{fakeCluster: f}
	sub := parseScript(t, l, "docker swarm init --advertise-addr 10.0.0.1\n")
	rep, err := Grade(context.Background(), l, sub, Options{Start: func(context.Context, ...harness.Option) (Cluster, error) { return lf, nil }}, ReplayLimits{})
	require.NoError(t, err)
	require.NotEmpty(t, rep.Notes)
	assert.Contains(t, rep.Notes[0], "reading the limit counters of node1: cgroup counters unreadable")
}

type limitFailing struct{ *fakeCluster }

func (l *limitFailing) InnerLimitHits(context.Context, string) (harness.LimitHits, error) {
	return harness.LimitHits{}, errors.New("cgroup counters unreadable")
}

func TestIntegrityWarningWhenTheSubmissionShowsSuccessTheReplayDoesNotGet(t *testing.T) {
	l := orchestration(t)
	s, f := newScripted(t)
	s.fail["swarm init"] = "Error response from daemon: could not choose an IP address to advertise"
	transcript := "[node1] (local) root@192.168.0.18 ~\n$ docker swarm init --advertise-addr 192.168.0.18\n" +
		"Swarm initialized: current node (m8w3d6nos5nv2eqmkf28xm4up) is now a manager.\n"
	sub, err := submission.Parse("t.txt", []byte(transcript), submission.Options{Nodes: l.NodeNames(), DefaultNode: "node1"})
	require.NoError(t, err)
	rep, err := Grade(context.Background(), l, sub, Options{Start: f.start}, ReplayLimits{})
	require.NoError(t, err)
	require.NotEmpty(t, rep.Warnings)
	found := false
	for _, w := range rep.Warnings {
		found = found || strings.Contains(w, "the submission shows `docker swarm init --advertise-addr 192.168.0.18` succeeding")
	}
	assert.True(t, found, "warnings: %q", rep.Warnings)
	assert.Equal(t, report.StatusFail, statuses(rep)["swarm-init"], "the failed init earns nothing; the warning itself never deducts")
}

func TestReferenceFaultThatWasInjectedSucceeds(t *testing.T) {
	ha, err := lab.Get("ha")
	require.NoError(t, err)
	_, f := newScripted(t)
	rep, err := RunReference(context.Background(), ha, Options{Start: f.start})
	require.NoError(t, err)
	var fault *report.Command
	for i := range rep.Steps {
		for j := range rep.Steps[i].Commands {
			if c := &rep.Steps[i].Commands[j]; c.Kind == report.KindFault {
				fault = c
				assert.NotEqual(t, report.StatusFail, rep.Steps[i].Status(), "a step whose fault was injected does not fail for it")
			}
		}
	}
	require.NotNil(t, fault, "the HA lab injects a fault")
	assert.Equal(t, report.OutcomeOK, fault.Outcome)
	var md bytes.Buffer
	require.NoError(t, report.WriteMarkdown(&md, rep))
	assert.NotContains(t, md.String(), fault.Text, "a fault that was injected is not a command that did not succeed")
}
