package grader

import (
	"context"
	"time"

	"github.com/labcheck/labcheck/harness"
)

// Cluster is what the grader needs of a running cluster: run a command in a
// node, inject a fault, wait for the swarm to settle and look at it. The
// harness's real cluster is one; a fake fed by recorded states is another,
// so the grader's paths are tested without Docker.
type Cluster interface {
	Shell(ctx context.Context, node, line string, opts harness.ExecOptions) (harness.ExecResult, error)
	Settle(ctx context.Context, timeout time.Duration) (*harness.State, error)
	Observe(ctx context.Context) (*harness.State, error)
	KillContainer(ctx context.Context, node, id string, since time.Time) error
	Addr(node string) (string, error)
	JoinTokens(ctx context.Context, manager string) (harness.JoinTokens, error)
	InnerLimits() harness.Limits
	InnerLimitHits(ctx context.Context, node string) (harness.LimitHits, error)
	StopNode(ctx context.Context, node string) error
	KillNode(ctx context.Context, node string) error
	StartNode(ctx context.Context, node string) error
	DisconnectNode(ctx context.Context, node string) error
	ConnectNode(ctx context.Context, node string) error
	// Info describes the cluster for the report's environment.
	Info() ClusterInfo
	Close(ctx context.Context) error
}

// ClusterInfo is what a report says about the cluster it was graded on.
type ClusterInfo struct {
	HostEngine, NodeEngine string
	Security               harness.SecurityMode
	NodeImage              string
	// SeededImage is the node image with the lab's images baked in that
	// the nodes ran, UsrVolume the shared read-only /usr they mounted.
	SeededImage, UsrVolume string
	Images                 []harness.WorkloadImage
	Timings                []harness.Timing
}

// StartFunc starts a fresh cluster. It returns the partial cluster with its
// error, so that whatever did start is still removed.
type StartFunc func(ctx context.Context, opts ...harness.Option) (Cluster, error)

// StartHarness starts a real cluster of Docker-in-Docker nodes.
func StartHarness(ctx context.Context, opts ...harness.Option) (Cluster, error) {
	c, err := harness.Start(ctx, opts...)
	if c == nil {
		return nil, err
	}
	return harnessCluster{c}, err
}

// harnessCluster adapts *harness.Cluster, whose facts are fields.
type harnessCluster struct{ *harness.Cluster }

func (h harnessCluster) Info() ClusterInfo {
	c := h.Cluster
	return ClusterInfo{HostEngine: c.HostEngine, NodeEngine: c.NodeEngine, Security: c.Security,
		NodeImage: c.NodeImage, SeededImage: c.SeededImage, UsrVolume: c.UsrVolume, Images: c.Images, Timings: c.Timings}
}
