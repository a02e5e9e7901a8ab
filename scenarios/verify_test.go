package scenarios

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/labcheck/labcheck/grader"
	"github.com/labcheck/labcheck/grader/lab"
	"github.com/labcheck/labcheck/grader/report"
	"github.com/labcheck/labcheck/harness"
)

// TestVerifyLive walks the orchestration lab with the docker CLI in the
// nodes, as a student on Play with Docker would, and runs labcheck verify
// from node1's engine after every stage: what it judges, what it skips and
// why. One cluster for the whole walk; a worker's engine is tried on the
// way.
func TestVerifyLive(t *testing.T) {
	c := startCluster(t)
	l, err := lab.Get("orchestration")
	require.NoError(t, err)

	sh(t, c, "node1", "docker run -dt ubuntu sleep infinity")
	rep := verify(t, c, l, "node1", "")
	assert.Equal(t, map[string]report.Status{
		"standalone": pass, "swarm-init": fail, "workers-joined": fail, "service-created": fail,
		"scaled-up": skip, "scaled-down": skip, "drained": skip, "cleanup": fail,
	}, statuses(rep))
	assert.Equal(t, "no swarm: node1 is not in a swarm (state inactive)", item(t, rep, "workers-joined").Reason)
	assert.Equal(t, 10, rep.Score)
	assert.Equal(t, "live swarm (node1)", rep.Subject)
	assert.NotEmpty(t, rep.Environment.HostEngine, "the engine's version")

	sh(t, c, "node1", "docker swarm init --advertise-addr $(hostname -i)")
	rep = verify(t, c, l, "node1", "")
	assert.Equal(t, pass, item(t, rep, "swarm-init").Status)
	joined := item(t, rep, "workers-joined")
	assert.Equal(t, fail, joined.Status)
	assert.Contains(t, joined.Reason, "1 node ready: node1, want 3; node2 is not in the swarm")

	token := sh(t, c, "node1", "docker swarm join-token -q worker")
	addr, err := c.Addr("node1")
	require.NoError(t, err)
	for _, n := range []string{"node2", "node3"} {
		sh(t, c, n, fmt.Sprintf("docker swarm join --token %s %s:2377", token, addr))
	}
	_, err = c.WaitState(context.Background(), "3 nodes ready", harness.SettleTimeout, func(s *harness.State) harness.Poll {
		if n := readyNodes(s); n != 3 {
			return harness.Continue("%d of 3 nodes ready", n)
		}
		return harness.Done()
	})
	require.NoError(t, err)
	rep = verify(t, c, l, "node1", "join")
	assert.Equal(t, map[string]report.Status{"workers-joined": pass}, statuses(rep))

	// A worker cannot list the swarm: verify says which node it is and
	// where the manager is.
	worker, err := c.Client("node2")
	require.NoError(t, err)
	_, err = grader.Verify(context.Background(), worker, l, grader.VerifyOptions{})
	require.True(t, errors.Is(err, harness.ErrNotManager), "%v", err)
	var nm *harness.NotManagerError
	require.True(t, errors.As(err, &nm))
	assert.Equal(t, "node2", nm.Node)
	assert.Equal(t, []string{addr + ":2377"}, nm.Managers)
	assert.Contains(t, err.Error(), "node2 is a swarm worker")
	assert.Contains(t, err.Error(), "run verify on a manager: the managers are at "+addr+":2377")

	// Not settled by the test: verify waits for the service itself.
	sh(t, c, "node1", "docker service create --detach --name sleep-app ubuntu sleep infinity")
	rep = verify(t, c, l, "node1", "service-create")
	assert.Equal(t, map[string]report.Status{"service-created": pass}, statuses(rep))

	sh(t, c, "node1", "docker service update --detach --replicas 7 sleep-app")
	rep = verify(t, c, l, "node1", "")
	up := item(t, rep, "scaled-up")
	assert.Equal(t, skip, up.Status, "it must hold after service-created: the past is out of sight")
	assert.Equal(t, "cannot be judged live: it must hold after service-created, and a live check sees only the present", up.Reason)
	assert.True(t, strings.HasPrefix(up.Evidence, "holds now: 7 running: "), up.Evidence)
	created := item(t, rep, "service-created")
	assert.Equal(t, fail, created.Status, "scaling changed the 1/1 on purpose")
	assert.Contains(t, created.Reason, "7 running")

	sh(t, c, "node1", "docker service update --detach --replicas 4 sleep-app")
	rep = verify(t, c, l, "node1", "scale-down")
	down := item(t, rep, "scaled-down")
	assert.Equal(t, skip, down.Status)
	assert.True(t, strings.HasPrefix(down.Evidence, "holds now: 4 running: "), down.Evidence)

	// node2's tasks stop only after the 10 s grace period; verify waits.
	sh(t, c, "node1", "docker node update --availability drain node2")
	rep = verify(t, c, l, "node1", "drain")
	assert.Empty(t, rep.Warnings, "the drain settled within verify's wait")
	drained := item(t, rep, "drained")
	assert.Equal(t, skip, drained.Status)
	assert.Equal(t, "cannot be judged live: it must hold after scaled-down, and a live check sees only the present", drained.Reason)
	assert.True(t, strings.HasPrefix(drained.Evidence, "holds now as far as node1 can see (node2: worker, ready, drain; 4 running: node1×"), drained.Evidence)
	assert.Contains(t, drained.Evidence, "the rest depends on what node2 reports about itself")

	sh(t, c, "node1", "docker service rm sleep-app")
	sh(t, c, "node1", "docker kill $(docker ps -q --filter is-task=false --filter ancestor=ubuntu)")
	for _, n := range []string{"node1", "node2", "node3"} {
		sh(t, c, n, "docker swarm leave --force")
	}
	rep = verify(t, c, l, "node1", "cleanup")
	cleanup := item(t, rep, "cleanup")
	assert.Equal(t, skip, cleanup.Status, "node1 alone cannot tell whether node2 and node3 left")
	assert.Equal(t, "cannot be judged from node1: it depends on what node2 and node3 report about themselves, and verify reads node1's engine only", cleanup.Reason)
}

const (
	pass = report.StatusPass
	fail = report.StatusFail
	skip = report.StatusSkipped
)

// verify runs labcheck verify against a node's engine and logs the report
// as the student would read it.
func verify(t *testing.T, c *harness.Cluster, l *lab.Lab, node, step string) *report.Report {
	t.Helper()
	cli, err := c.Client(node)
	require.NoError(t, err)
	start := time.Now()
	rep, err := grader.Verify(context.Background(), cli, l, grader.VerifyOptions{Step: step})
	require.NoError(t, err)
	var b strings.Builder
	require.NoError(t, report.WriteText(&b, rep, report.TextOptions{}))
	t.Logf("verify on %s (step %q, %s):\n%s", node, step, time.Since(start).Round(time.Millisecond), b.String())
	assert.Equal(t, "verify", rep.Mode)
	assert.True(t, rep.Completed)
	assert.Contains(t, rep.Environment.Notes, "read-only: verify never changes the cluster")
	return rep
}

func statuses(rep *report.Report) map[string]report.Status {
	out := map[string]report.Status{}
	for _, it := range rep.Items {
		out[it.ID] = it.Status
	}
	return out
}

func item(t *testing.T, rep *report.Report, id string) report.Item {
	t.Helper()
	for _, it := range rep.Items {
		if it.ID == id {
			return it
		}
	}
	t.Fatalf("no item %s in the report", id)
	return report.Item{}
}
