package grader

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/labcheck/labcheck/harness"
)

// A Recording is every call the grader made to a cluster and what came
// back, in order. Recorded once from a real run (see Record), it feeds a
// fake cluster that lets unit tests replay the grader's paths in
// milliseconds without Docker.
type Recording struct {
	Info   ClusterInfo       `json:"info"`
	Addrs  map[string]string `json:"addrs"`
	Limits harness.Limits    `json:"limits"`
	Calls  []Call            `json:"calls"`
}

// Call is one call to the cluster and its result.
type Call struct {
	// Op is the method: shell, settle, observe, kill-container,
	// join-tokens, limit-hits, stop-node, kill-node, start-node,
	// disconnect-node, connect-node.
	Op     string              `json:"op"`
	Node   string              `json:"node,omitempty"`
	Line   string              `json:"line,omitempty"`
	Result *harness.ExecResult `json:"result,omitempty"`
	State  *harness.State      `json:"state,omitempty"`
	Tokens *harness.JoinTokens `json:"tokens,omitempty"`
	Hits   *harness.LimitHits  `json:"hits,omitempty"`
	// Err is the call's error; Timeout marks a *harness.TimeoutError,
	// whose last reason Err then holds.
	Err     string `json:"err,omitempty"`
	Timeout bool   `json:"timeout,omitempty"`
}

// ReadRecording reads a recording written by Recording.Save.
func ReadRecording(path string) (*Recording, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var r Recording
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("recording %s: %w", path, err)
	}
	return &r, nil
}

// Save writes the recording as indented JSON.
func (r *Recording) Save(path string) error {
	data, err := json.MarshalIndent(r, "", " ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(data, '\n'), 0o644)
}

// Record wraps start so that the cluster it starts records every call into
// rec.
func Record(start StartFunc, rec *Recording) StartFunc {
	if start == nil {
		start = StartHarness
	}
	return func(ctx context.Context, opts ...harness.Option) (Cluster, error) {
		c, err := start(ctx, opts...)
		if c == nil {
			return nil, err
		}
		rc := &recordingCluster{Cluster: c, rec: rec}
		rec.Info, rec.Limits, rec.Addrs = c.Info(), c.InnerLimits(), map[string]string{}
		for _, n := range []string{"node1", "node2", "node3", "node4", "node5"} {
			if a, aerr := c.Addr(n); aerr == nil {
				rec.Addrs[n] = a
			}
		}
		return rc, err
	}
}

type recordingCluster struct {
	Cluster
	mu  sync.Mutex
	rec *Recording
}

func (r *recordingCluster) add(c Call, err error) {
	if err != nil {
		var te *harness.TimeoutError
		if errors.As(err, &te) {
			c.Err, c.Timeout = te.LastReason, true
		} else {
			c.Err = err.Error()
		}
	}
	r.mu.Lock()
	r.rec.Calls = append(r.rec.Calls, c)
	r.mu.Unlock()
}

func (r *recordingCluster) Shell(ctx context.Context, node, line string, opts harness.ExecOptions) (harness.ExecResult, error) {
	res, err := r.Cluster.Shell(ctx, node, line, opts)
	res.Duration = res.Duration.Round(time.Millisecond)
	r.add(Call{Op: "shell", Node: node, Line: line, Result: &res}, err)
	return res, err
}

func (r *recordingCluster) Settle(ctx context.Context, timeout time.Duration) (*harness.State, error) {
	st, err := r.Cluster.Settle(ctx, timeout)
	r.add(Call{Op: "settle", State: st}, err)
	return st, err
}

func (r *recordingCluster) Observe(ctx context.Context) (*harness.State, error) {
	st, err := r.Cluster.Observe(ctx)
	r.add(Call{Op: "observe", State: st}, err)
	return st, err
}

func (r *recordingCluster) KillContainer(ctx context.Context, node, id string, since time.Time) error {
	err := r.Cluster.KillContainer(ctx, node, id, since)
	r.add(Call{Op: "kill-container", Node: node, Line: id}, err)
	return err
}

func (r *recordingCluster) JoinTokens(ctx context.Context, manager string) (harness.JoinTokens, error) {
	t, err := r.Cluster.JoinTokens(ctx, manager)
	r.add(Call{Op: "join-tokens", Node: manager, Tokens: &t}, err)
	return t, err
}

func (r *recordingCluster) InnerLimitHits(ctx context.Context, node string) (harness.LimitHits, error) {
	h, err := r.Cluster.InnerLimitHits(ctx, node)
	r.add(Call{Op: "limit-hits", Node: node, Hits: &h}, err)
	return h, err
}

func (r *recordingCluster) fault(ctx context.Context, op, node string, f func(context.Context, string) error) error {
	err := f(ctx, node)
	r.add(Call{Op: op, Node: node}, err)
	return err
}

func (r *recordingCluster) StopNode(ctx context.Context, node string) error {
	return r.fault(ctx, "stop-node", node, r.Cluster.StopNode)
}

func (r *recordingCluster) KillNode(ctx context.Context, node string) error {
	return r.fault(ctx, "kill-node", node, r.Cluster.KillNode)
}

func (r *recordingCluster) StartNode(ctx context.Context, node string) error {
	return r.fault(ctx, "start-node", node, r.Cluster.StartNode)
}

func (r *recordingCluster) DisconnectNode(ctx context.Context, node string) error {
	return r.fault(ctx, "disconnect-node", node, r.Cluster.DisconnectNode)
}

func (r *recordingCluster) ConnectNode(ctx context.Context, node string) error {
	return r.fault(ctx, "connect-node", node, r.Cluster.ConnectNode)
}
