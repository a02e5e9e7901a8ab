package scenarios

import (
	"context"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/moby/moby/client"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/labcheck/labcheck/harness"
)

// startCluster starts a fresh three-node cluster for one test and removes
// it when the test ends. Without a Docker engine the test is skipped
// locally and fails under CI=true, where scenarios must run.
func startCluster(t testing.TB, opts ...harness.Option) *harness.Cluster {
	t.Helper()
	requireDocker(t)
	ctx := context.Background()
	opts = append([]harness.Option{
		harness.WithImages("ubuntu"),
		harness.WithLogf(func(format string, args ...any) { t.Logf(format, args...) }),
	}, opts...)
	c, err := harness.Start(ctx, opts...)
	t.Cleanup(func() {
		require.NoError(t, c.Close(context.Background()), "removing the cluster")
	})
	require.NoError(t, err, "starting the cluster")
	return c
}

// requireDocker skips a scenario test with -short, and without a Docker
// engine unless CI=true: in CI a missing engine is a failure.
func requireDocker(t testing.TB) {
	t.Helper()
	if testing.Short() {
		t.Skip("scenario tests need Docker; skipped with -short")
	}
	cli, err := harness.OuterClient(context.Background())
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI=true and no Docker engine: scenario tests must run here: %v", err)
		}
		t.Skipf("no Docker engine: %v", err)
	}
	_ = cli.Close()
}

// assertNothingLeft checks that no cluster of this process is left on the
// host engine.
func assertNothingLeft(t testing.TB) {
	t.Helper()
	cli, err := harness.OuterClient(context.Background())
	require.NoError(t, err)
	defer cli.Close()
	f := client.Filters{}.Add("label", harness.LabelOwnerPID+"="+strconv.Itoa(os.Getpid()))
	ctrs, err := cli.ContainerList(context.Background(), client.ContainerListOptions{All: true, Filters: f})
	require.NoError(t, err)
	assert.Empty(t, ctrs.Items, "containers left behind")
	nets, err := cli.NetworkList(context.Background(), client.NetworkListOptions{Filters: f})
	require.NoError(t, err)
	assert.Empty(t, nets.Items, "networks left behind")
}

// sh runs a command line in a node with the real docker CLI, as a student
// would type it, and requires it to succeed.
func sh(t testing.TB, c *harness.Cluster, node, line string) string {
	t.Helper()
	start := time.Now()
	res, err := c.Shell(context.Background(), node, line, harness.ExecOptions{Timeout: 60 * time.Second})
	t.Logf("%s$ %s (%s)", node, line, time.Since(start).Round(time.Millisecond))
	require.NoError(t, err, "%s$ %s", node, line)
	require.Equalf(t, 0, res.ExitCode, "%s$ %s\n%s", node, line, res.Output())
	return strings.TrimSpace(res.Stdout)
}

// settle waits for the swarm to converge and returns the settled state.
func settle(t testing.TB, c *harness.Cluster) *harness.State {
	t.Helper()
	start := time.Now()
	st, err := c.Settle(context.Background(), harness.SettleTimeout)
	require.NoError(t, err)
	t.Logf("settled (%s)", time.Since(start).Round(time.Millisecond))
	return st
}
