package grader

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/labcheck/labcheck/harness"
)

// fakeCluster stands in for a real cluster in the grader's unit tests. It
// either plays back a Recording of a real run, call by call, failing the
// test on the first call the real run did not make; or it answers from the
// script a test gives it (shell, state).
type fakeCluster struct {
	t testing.TB

	mu    sync.Mutex
	rec   *Recording
	next  int
	calls []string // what was asked, for assertions and mismatch reports

	// Scripted mode: shell answers every command; state is the cluster's
	// state now.
	shell  func(ctx context.Context, node, line string) (harness.ExecResult, error)
	state  func() *harness.State
	closed bool
}

func (f *fakeCluster) start(ctx context.Context, _ ...harness.Option) (Cluster, error) { return f, nil }

// playback returns a fake that replays the named recording.
func playback(t testing.TB, name string) *fakeCluster {
	t.Helper()
	rec, err := ReadRecording(filepath.Join("testdata", "recorded", name+".recording.json"))
	require.NoError(t, err, "recordings are made by `go run ./internal/gen/record`")
	return &fakeCluster{t: t, rec: rec}
}

// take returns the next recorded call, which must be op on node (and line,
// for shell); a mismatch means the grader no longer does what the recorded
// run did, and says where.
func (f *fakeCluster) take(op, node, line string) (Call, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, strings.TrimSpace(op+" "+node+" "+line))
	if f.next >= len(f.rec.Calls) {
		return Call{}, fmt.Errorf("fake: call %d (%s %s %q) is past the end of the recording (%d calls)", f.next+1, op, node, line, len(f.rec.Calls))
	}
	c := f.rec.Calls[f.next]
	if c.Op != op || c.Node != node || (op == "shell" && c.Line != line) {
		// Commands of a lab's group run at once: the recording has them in
		// the order they finished, which need not be the order they
		// start in now. Any of the run of shell calls there may answer.
		if j := f.laterShell(op, node, line); j > f.next {
			c = f.rec.Calls[j]
			copy(f.rec.Calls[f.next+1:j+1], f.rec.Calls[f.next:j])
			f.rec.Calls[f.next] = c
			f.next++
			return c, nil
		}
		f.t.Errorf("fake: call %d is %s %s %q, the recording has %s %s %q", f.next+1, op, node, line, c.Op, c.Node, c.Line)
		return Call{}, fmt.Errorf("fake: unexpected call %s", op)
	}
	f.next++
	return c, nil
}

// laterShell finds a shell call on node of line in the run of shell calls
// that starts at the next recorded call, or returns -1. f.mu is held.
func (f *fakeCluster) laterShell(op, node, line string) int {
	if op != "shell" {
		return -1
	}
	for j := f.next; j < len(f.rec.Calls) && f.rec.Calls[j].Op == "shell"; j++ {
		if c := f.rec.Calls[j]; c.Node == node && c.Line == line {
			return j
		}
	}
	return -1
}

func callErr(c Call) error {
	switch {
	case c.Timeout:
		return &harness.TimeoutError{What: "the swarm to settle", Timeout: harness.SettleTimeout, LastReason: c.Err}
	case c.Err != "":
		return errors.New(c.Err)
	}
	return nil
}

func (f *fakeCluster) Shell(ctx context.Context, node, line string, opts harness.ExecOptions) (harness.ExecResult, error) {
	if f.rec == nil {
		f.mu.Lock()
		f.calls = append(f.calls, "shell "+node+" "+line)
		f.mu.Unlock()
		return f.shell(ctx, node, line)
	}
	c, err := f.take("shell", node, line)
	if err != nil {
		return harness.ExecResult{}, err
	}
	return *c.Result, callErr(c)
}

func (f *fakeCluster) look(op string) (*harness.State, error) {
	if f.rec == nil {
		return f.state(), nil
	}
	c, err := f.take(op, "", "")
	if err != nil {
		return nil, err
	}
	return c.State, callErr(c)
}

func (f *fakeCluster) Settle(ctx context.Context, _ time.Duration) (*harness.State, error) {
	if err := ctx.Err(); err != nil && f.rec == nil {
		return nil, err
	}
	return f.look("settle")
}

func (f *fakeCluster) Observe(ctx context.Context) (*harness.State, error) { return f.look("observe") }

func (f *fakeCluster) KillContainer(ctx context.Context, node, id string, since time.Time) error {
	if f.rec == nil {
		return nil
	}
	c, err := f.take("kill-container", node, "")
	if err != nil {
		return err
	}
	return callErr(c)
}

func (f *fakeCluster) Addr(node string) (string, error) {
	if f.rec == nil {
		return "10.0.0." + strings.TrimPrefix(node, "node"), nil
	}
	if a, ok := f.rec.Addrs[node]; ok {
		return a, nil
	}
	return "", fmt.Errorf("no node %q", node)
}

func (f *fakeCluster) JoinTokens(ctx context.Context, manager string) (harness.JoinTokens, error) {
	if f.rec == nil {
		return harness.JoinTokens{Worker: "SWMTKN-1-worker", Manager: "SWMTKN-1-manager"}, nil
	}
	c, err := f.take("join-tokens", manager, "")
	if err != nil {
		return harness.JoinTokens{}, err
	}
	return *c.Tokens, callErr(c)
}

func (f *fakeCluster) InnerLimits() harness.Limits {
	if f.rec == nil {
		return harness.Limits{Pids: 2048, Memory: 1536 << 20, CPUs: 1}
	}
	return f.rec.Limits
}

func (f *fakeCluster) InnerLimitHits(ctx context.Context, node string) (harness.LimitHits, error) {
	if f.rec == nil {
		return harness.LimitHits{}, nil
	}
	c, err := f.take("limit-hits", node, "")
	if err != nil {
		return harness.LimitHits{}, err
	}
	return *c.Hits, callErr(c)
}

func (f *fakeCluster) fault(op, node string) error {
	if f.rec == nil {
		return nil
	}
	c, err := f.take(op, node, "")
	if err != nil {
		return err
	}
	return callErr(c)
}

func (f *fakeCluster) StopNode(ctx context.Context, node string) error {
	return f.fault("stop-node", node)
}
func (f *fakeCluster) KillNode(ctx context.Context, node string) error {
	return f.fault("kill-node", node)
}
func (f *fakeCluster) StartNode(ctx context.Context, node string) error {
	return f.fault("start-node", node)
}
func (f *fakeCluster) DisconnectNode(ctx context.Context, node string) error {
	return f.fault("disconnect-node", node)
}
func (f *fakeCluster) ConnectNode(ctx context.Context, node string) error {
	return f.fault("connect-node", node)
}

func (f *fakeCluster) Info() ClusterInfo {
	if f.rec == nil {
		return ClusterInfo{HostEngine: "fake", NodeEngine: "fake", Security: harness.Capabilities, NodeImage: "fake"}
	}
	return f.rec.Info
}

func (f *fakeCluster) Close(context.Context) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.closed = true
	return nil
}

// exhausted asserts that a playback used every recorded call.
func (f *fakeCluster) exhausted(t testing.TB) {
	t.Helper()
	if f.rec != nil && f.next != len(f.rec.Calls) {
		t.Errorf("fake: %d of %d recorded calls were made; next unmade: %+v", f.next, len(f.rec.Calls), f.rec.Calls[f.next])
	}
}

// recordedState is a state the checks package captured from a real cluster
// (one per row of the lab's state table).
func recordedState(t testing.TB, name string) *harness.State {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("checks", "testdata", "states", name+".json"))
	require.NoError(t, err)
	var st harness.State
	require.NoError(t, json.Unmarshal(data, &st))
	return &st
}
