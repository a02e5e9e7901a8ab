package scenarios

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/labcheck/labcheck/harness"
)

// formSwarm builds the lab's swarm with the CLI and a service of four
// replicas on it. The 1 s dispatcher heartbeat makes managers notice a lost
// node in seconds instead of the default 5 s period's multiples.
func formSwarm(t *testing.T, c *harness.Cluster) {
	t.Helper()
	sh(t, c, "node1", "docker swarm init --advertise-addr $(hostname -i) --dispatcher-heartbeat 1s")
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
	sh(t, c, "node1", "docker service create --detach --name sleep-app --replicas 4 ubuntu sleep infinity")
	st := settle(t, c)
	require.Len(t, running(st, "sleep-app"), 4)
}

// lostAndRescheduled waits until lost is reported down (or whatever status
// the swarm gives a node it cannot hear) and all four replicas run on the
// other nodes.
func lostAndRescheduled(lost string) harness.StateCheck {
	return func(s *harness.State) harness.Poll {
		if s.Swarm == nil {
			return harness.Continue("no manager answered")
		}
		sn, _ := s.SwarmNodeByHostname(lost)
		if sn.Status == "ready" {
			return harness.Continue("%s still reported ready", lost)
		}
		per := countByNode(running(s, "sleep-app"))
		if per[lost] > 0 || sum(per) != 4 {
			return harness.Continue("running tasks per node: %v", per)
		}
		return harness.Done()
	}
}

// TestNodeLoss: with four replicas, node3 is killed; the managers report it
// down and the four tasks run on node1 and node2.
func TestNodeLoss(t *testing.T) {
	c := startCluster(t)
	formSwarm(t, c)

	require.NoError(t, c.KillNode(context.Background(), "node3"))
	st, err := c.WaitState(context.Background(), "node3 down, tasks rescheduled", harness.NodeDownTimeout, lostAndRescheduled("node3"))
	require.NoError(t, err)
	sn, _ := st.SwarmNodeByHostname("node3")
	require.Equal(t, "down", sn.Status)
	per := countByNode(running(st, "sleep-app"))
	require.Equal(t, 4, per["node1"]+per["node2"], "per node: %v", per)
	n3, _ := st.Node("node3")
	require.False(t, n3.Reachable, "a killed node's engine cannot answer")
}

// TestPartition: node2 is cut off the network; its tasks are rescheduled,
// and after it is reconnected it is Ready again.
func TestPartition(t *testing.T) {
	c := startCluster(t)
	formSwarm(t, c)

	require.NoError(t, c.DisconnectNode(context.Background(), "node2"))
	st, err := c.WaitState(context.Background(), "node2 cut off, tasks rescheduled", harness.NodeDownTimeout, lostAndRescheduled("node2"))
	require.NoError(t, err)
	per := countByNode(running(st, "sleep-app"))
	require.Equal(t, 4, per["node1"]+per["node3"], "per node: %v", per)

	require.NoError(t, c.ConnectNode(context.Background(), "node2"))
	_, err = c.WaitState(context.Background(), "node2 ready again", harness.NodeDownTimeout, func(s *harness.State) harness.Poll {
		sn, ok := s.SwarmNodeByHostname("node2")
		if !ok || sn.Status != "ready" {
			return harness.Continue("node2 is %q", sn.Status)
		}
		return harness.Done()
	})
	require.NoError(t, err)
}
