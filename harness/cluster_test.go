package harness

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/testcontainers/testcontainers-go"
)

// testCluster is a cluster whose outer engine is fake, as Start leaves it
// just before starting nodes.
func testCluster(t *testing.T, outer *routeEngine, nodes ...string) *Cluster {
	t.Helper()
	return &Cluster{
		ID:      "test",
		opts:    Options{Nodes: nodes, Logf: t.Logf},
		outer:   outer.client(t),
		network: &testcontainers.DockerNetwork{ID: "net1", Name: "labnet"},
	}
}

func inspectBody(id string, running bool, exitCode int, addr string) map[string]any {
	return map[string]any{
		"Id":              id,
		"Created":         "2025-12-01T10:00:00.123456789Z",
		"State":           map[string]any{"Running": running, "ExitCode": exitCode},
		"NetworkSettings": map[string]any{"Networks": map[string]any{"labnet": map[string]any{"IPAddress": addr}}},
	}
}

// When one node cannot start, the others stop starting at once, and every
// container that was created is still removed by Close, newest first.
func TestStartNodesStopsSiblingsOnFailure(t *testing.T) {
	outer := &routeEngine{routes: map[string]http.HandlerFunc{}}
	for _, id := range []string{"ctr-node1", "ctr-node2", "ctr-node3"} {
		outer.routes["DELETE /containers/"+id] = func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNoContent) }
	}
	c := testCluster(t, outer, "node1", "node2", "node3")
	sawStop := make(chan string, 3)
	err := c.startNodes(context.Background(), func(ctx context.Context, name string) (string, error) {
		id := "ctr-" + name
		if name == "node2" {
			// Created, then the start failed: the container exists.
			return id, errors.New("start: OCI runtime create failed: no space left on device")
		}
		select {
		case <-ctx.Done():
			sawStop <- name + " stopped"
			return id, ctx.Err()
		case <-time.After(10 * time.Second):
			sawStop <- name + " never told to stop"
			return id, errors.New("never told to stop")
		}
	})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "start nodes (")
	assert.Contains(t, err.Error(), "node2: start: OCI runtime create failed: no space left on device")
	assert.NotContains(t, err.Error(), "never told to stop")
	assert.ElementsMatch(t, []string{"node1 stopped", "node3 stopped"}, []string{<-sawStop, <-sawStop})
	assert.Equal(t, []string{"node1", "node2", "node3"}, c.Nodes(), "the partial cluster knows every container it has")

	require.NoError(t, c.Close(context.Background()))
	assert.ElementsMatch(t, []string{"DELETE /containers/ctr-node1", "DELETE /containers/ctr-node2", "DELETE /containers/ctr-node3"},
		outer.requests("DELETE "), "every node is removed, the failed one too (all at once)")
}

func TestStartNodesKeepsWhatWasCreated(t *testing.T) {
	outer := &routeEngine{routes: map[string]http.HandlerFunc{
		"DELETE /containers/ctr-node1": func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNoContent) },
	}}
	c := testCluster(t, outer, "node1", "node2")
	err := c.startNodes(context.Background(), func(ctx context.Context, name string) (string, error) {
		if name == "node2" {
			return "", errors.New("create: image not found") // nothing created
		}
		select {
		case <-ctx.Done():
			return "ctr-node1", ctx.Err()
		case <-time.After(10 * time.Second):
			return "ctr-node1", errors.New("never told to stop")
		}
	})
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "never told to stop")
	assert.Equal(t, []string{"node1"}, c.Nodes())
	require.NoError(t, c.Close(context.Background()))
	assert.Equal(t, []string{"DELETE /containers/ctr-node1"}, outer.requests("DELETE "))
}

func TestStartNodesAddressesAndClients(t *testing.T) {
	outer := &routeEngine{routes: map[string]http.HandlerFunc{}}
	for i, name := range []string{"node1", "node2", "node3"} {
		id := "ctr-" + name
		outer.routes["GET /containers/"+id+"/json"] = reply(http.StatusOK, inspectBody(id, true, 0, fmt.Sprintf("10.0.0.%d", i+2)))
	}
	c := testCluster(t, outer, "node1", "node2", "node3")
	require.NoError(t, c.startNodes(context.Background(), func(_ context.Context, name string) (string, error) {
		return "ctr-" + name, nil
	}))
	for i, name := range []string{"node1", "node2", "node3"} {
		addr, err := c.Addr(name)
		require.NoError(t, err)
		assert.Equal(t, fmt.Sprintf("10.0.0.%d", i+2), addr)
		cli, err := c.Client(name)
		require.NoError(t, err)
		assert.NotNil(t, cli)
	}
}

// withDaemons gives each node of c an inner engine answering /version
// with version, or with a 500 (a daemon still starting) when version is "".
// It returns the inner engines by node name.
func withDaemons(t *testing.T, c *Cluster, outer *routeEngine, versions map[string]string, exited string) map[string]*routeEngine {
	t.Helper()
	inners := map[string]*routeEngine{}
	for _, name := range c.opts.Nodes {
		id := "ctr-" + name
		outer.routes["GET /containers/"+id+"/json"] = reply(http.StatusOK, inspectBody(id, name != exited, 1, "10.0.0.9"))
		outer.routes["GET /containers/"+id+"/logs"] = func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusOK) }
		inner := &routeEngine{routes: map[string]http.HandlerFunc{}}
		if v := versions[name]; v != "" {
			inner.routes["GET /version"] = reply(http.StatusOK, map[string]string{"Version": v, "ApiVersion": "1.41"})
		} else {
			inner.routes["GET /version"] = reply(http.StatusInternalServerError, map[string]string{"message": "daemon starting"})
		}
		inners[name] = inner
		c.nodes = append(c.nodes, &node{name: name, containerID: id, inner: inner.client(t)})
	}
	return inners
}

// The nodes' daemons are waited for at once; the version is set once,
// after all answered (go test -race catches the nodes writing it together).
func TestWaitDaemonsRecordsVersion(t *testing.T) {
	outer := &routeEngine{routes: map[string]http.HandlerFunc{}}
	c := testCluster(t, outer, "node1", "node2", "node3")
	withDaemons(t, c, outer, map[string]string{"node1": "20.10.24", "node2": "20.10.24", "node3": "20.10.24"}, "")
	require.NoError(t, c.waitDaemons(context.Background()))
	assert.Equal(t, "20.10.24", c.NodeEngine)
}

// A node whose container exited stops the wait for the others, which
// would otherwise wait out NodeStartTimeout for daemons never coming up.
func TestWaitDaemonsStopsSiblingsOnFailure(t *testing.T) {
	outer := &routeEngine{routes: map[string]http.HandlerFunc{}}
	c := testCluster(t, outer, "node1", "node2", "node3")
	withDaemons(t, c, outer, nil, "node2")
	start := time.Now()
	err := c.waitDaemons(context.Background())
	assert.Less(t, time.Since(start), NodeStartTimeout/2, "the other nodes were stopped, not waited out")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "inner dockerd on node2: node container exited (code 1)")
	assert.Contains(t, err.Error(), "node logs: ", "the failing node's own error keeps its logs")
	var te *TimeoutError
	assert.False(t, errors.As(err, &te), "no node waited out its timeout: %v", err)
	assert.Empty(t, c.NodeEngine)
}

// Ctrl-C while the daemons come up is an interrupt, not a slow node.
func TestWaitDaemonsInterrupted(t *testing.T) {
	outer := &routeEngine{routes: map[string]http.HandlerFunc{}}
	c := testCluster(t, outer, "node1", "node2")
	inners := withDaemons(t, c, outer, nil, "")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// The user presses Ctrl-C while node2's daemon is being asked.
	inners["node2"].routes["GET /version"] = func(w http.ResponseWriter, _ *http.Request) {
		cancel()
		writeJSON(w, http.StatusInternalServerError, map[string]string{"message": "daemon starting"})
	}
	err := c.waitDaemons(ctx)
	require.Error(t, err)
	assert.ErrorIs(t, err, ErrInterrupted)
	assert.ErrorIs(t, err, context.Canceled)
	assert.NotContains(t, err.Error(), "not reached within")
	assert.NotContains(t, err.Error(), "node logs", "an interrupt is not the node's fault")
}
