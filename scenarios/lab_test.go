package scenarios

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/labcheck/labcheck/harness"
)

// TestOrchestrationLab runs ../shared/LAB.md step by step with the docker
// CLI inside the nodes and checks the state table after every step.
func TestOrchestrationLab(t *testing.T) {
	c := startCluster(t)

	// Standalone container, before any swarm.
	sh(t, c, "node1", "docker run -dt ubuntu sleep infinity")
	st := settle(t, c)
	n1, _ := st.Node("node1")
	require.Len(t, runningStandalone(n1), 1, "node1 runs one standalone container")
	assert.Equal(t, "sleep infinity", runningStandalone(n1)[0].Command)
	assert.Nil(t, st.Swarm, "no swarm yet")

	// 2.1: node1 becomes the manager and Leader.
	sh(t, c, "node1", "docker swarm init --advertise-addr $(hostname -i)")
	st = settle(t, c)
	require.NotNil(t, st.Swarm)
	leader, ok := st.SwarmNodeByHostname("node1")
	require.True(t, ok)
	assert.True(t, leader.Leader, "node1 is the Leader")
	assert.Equal(t, "manager", leader.Role)

	// 2.2: workers join with the token node1 prints.
	token := sh(t, c, "node1", "docker swarm join-token -q worker")
	addr, err := c.Addr("node1")
	require.NoError(t, err)
	for _, n := range []string{"node2", "node3"} {
		out := sh(t, c, n, "docker swarm join --token "+token+" "+addr+":2377")
		assert.Contains(t, out, "This node joined a swarm as a worker.")
	}
	st, err = c.WaitState(context.Background(), "3 nodes ready", harness.SettleTimeout, func(s *harness.State) harness.Poll {
		if n := readyNodes(s); n != 3 {
			return harness.Continue("%d nodes ready", n)
		}
		return harness.Done()
	})
	require.NoError(t, err)
	for _, n := range []string{"node2", "node3"} {
		sn, _ := st.SwarmNodeByHostname(n)
		assert.Equal(t, "worker", sn.Role, n)
	}

	// 3: the service, 1/1. Detached: the harness waits, not the CLI's monitor.
	sh(t, c, "node1", "docker service create --detach --name sleep-app ubuntu sleep infinity")
	st = settle(t, c)
	svc, ok := st.Service("sleep-app")
	require.True(t, ok)
	assert.Equal(t, "ubuntu:latest", svc.Image)
	assert.Equal(t, []string{"sleep", "infinity"}, svc.Args)
	assert.Equal(t, 1, len(running(st, "sleep-app")))

	// 4 up: 7 tasks over 3 nodes, balanced within one.
	sh(t, c, "node1", "docker service update --detach --replicas 7 sleep-app")
	st = settle(t, c)
	perNode := countByNode(running(st, "sleep-app"))
	assert.Equal(t, 7, sum(perNode), "running tasks: %v", perNode)
	assert.Len(t, perNode, 3, "spread over 3 nodes: %v", perNode)
	assert.LessOrEqual(t, spreadGap(perNode), 1, "balanced within one: %v", perNode)

	// 4 down: 4 running.
	sh(t, c, "node1", "docker service update --detach --replicas 4 sleep-app")
	st = settle(t, c)
	assert.Len(t, running(st, "sleep-app"), 4)

	// 5: drain node2 by its ID, as the lab does.
	node2, _ := st.SwarmNodeByHostname("node2")
	sh(t, c, "node1", "docker node update --availability drain "+node2.ID)
	st = settle(t, c)
	node2, _ = st.SwarmNodeByHostname("node2")
	assert.Equal(t, "drain", node2.Availability)
	perNode = countByNode(running(st, "sleep-app"))
	assert.Equal(t, 4, sum(perNode))
	assert.Zero(t, perNode["node2"], "no running task on node2: %v", perNode)
	n2, _ := st.Node("node2")
	for _, ctr := range n2.Containers {
		assert.False(t, ctr.ServiceName() == "sleep-app" && ctr.State == "running", "sleep-app container %s still runs on node2", ctr.Name)
	}
	assert.Empty(t, sh(t, c, "node2", "docker ps -q"), "node2$ docker ps is empty")

	// Cleanup.
	sh(t, c, "node1", "docker service rm sleep-app")
	sh(t, c, "node1", "docker kill $(docker ps -q --filter is-task=false --filter ancestor=ubuntu)")
	for _, n := range []string{"node1", "node2", "node3"} {
		sh(t, c, n, "docker swarm leave --force")
	}
	st = settle(t, c)
	assert.Nil(t, st.Swarm, "no manager left")
	for _, n := range st.Nodes {
		assert.Equal(t, "inactive", n.Swarm.State, "%s is not in a swarm", n.Name)
	}
	n1, _ = st.Node("node1")
	assert.Empty(t, runningStandalone(n1), "standalone container gone")
}

func runningStandalone(n harness.NodeState) []harness.Container {
	var out []harness.Container
	for _, ctr := range n.Containers {
		if ctr.State == "running" && ctr.ServiceName() == "" {
			out = append(out, ctr)
		}
	}
	return out
}

func running(s *harness.State, service string) []harness.Task {
	var out []harness.Task
	for _, t := range s.TasksOf(service) {
		if t.DesiredState == "running" && t.State == "running" {
			out = append(out, t)
		}
	}
	return out
}

func countByNode(tasks []harness.Task) map[string]int {
	m := map[string]int{}
	for _, t := range tasks {
		m[t.NodeHostname]++
	}
	return m
}

func sum(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

func spreadGap(m map[string]int) int {
	lo, hi := -1, 0
	for _, v := range m {
		if lo < 0 || v < lo {
			lo = v
		}
		if v > hi {
			hi = v
		}
	}
	return hi - lo
}

func readyNodes(s *harness.State) int {
	if s.Swarm == nil {
		return 0
	}
	n := 0
	for _, sn := range s.Swarm.Nodes {
		if sn.Status == "ready" {
			n++
		}
	}
	return n
}
