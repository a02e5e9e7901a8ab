package harness

import (
	"context"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/moby/moby/api/types/swarm"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// stallingEngine is a fakeEngine whose task list, from the nth request on,
// hangs until the caller gives up; onStall runs when it starts hanging.
type stallingEngine struct {
	*fakeEngine
	from    int32
	onStall func()
	tasks   atomic.Int32
}

func (e *stallingEngine) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasSuffix(r.URL.Path, "/tasks") && e.tasks.Add(1) >= e.from {
		if e.onStall != nil {
			e.onStall()
		}
		<-r.Context().Done()
		return
	}
	e.fakeEngine.ServeHTTP(w, r)
}

// clusterOf is a started cluster whose nodes' inner engines are fakes.
func clusterOf(t *testing.T, engines map[string]http.Handler, names ...string) *Cluster {
	t.Helper()
	c := &Cluster{ID: "test"}
	for _, name := range names {
		c.nodes = append(c.nodes, &node{name: name, inner: serve(t, engines[name])})
	}
	return c
}

// unsettled is a manager that wants three replicas and runs two, so
// Settle keeps waiting with a reason to give.
func unsettled(name string) *fakeEngine {
	f := managerEngine()
	f.info.Name = name
	three := uint64(3)
	f.services[0].Spec.Mode = swarm.ServiceMode{Replicated: &swarm.ReplicatedService{Replicas: &three}}
	return f
}

// A deadline that hits while a manager lists the swarm keeps the last
// reason: the settle wait times out saying where the swarm was, rather
// than failing with the manager's "context deadline exceeded".
func TestSettleTimeoutDuringObserveKeepsLastReason(t *testing.T) {
	c := clusterOf(t, map[string]http.Handler{"node1": &stallingEngine{fakeEngine: unsettled("node1"), from: 2}}, "node1")
	st, err := c.Settle(context.Background(), time.Second)
	var te *TimeoutError
	require.ErrorAs(t, err, &te, "%v", err)
	assert.Equal(t, "sleep-app has 2 of 3 replicas running", te.LastReason)
	require.NotNil(t, st, "the last state seen is returned")
	assert.Equal(t, "node1", st.Manager)
}

// Ctrl-C while a manager lists the swarm is an interrupt, with the reason.
func TestSettleInterruptedDuringObserve(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	c := clusterOf(t, map[string]http.Handler{"node1": &stallingEngine{fakeEngine: unsettled("node1"), from: 2, onStall: cancel}}, "node1")
	_, err := c.Settle(ctx, time.Hour)
	require.ErrorIs(t, err, ErrInterrupted)
	require.ErrorIs(t, err, context.Canceled)
	assert.Contains(t, err.Error(), "swarm to settle: interrupted after 2 checks; last: sleep-app has 2 of 3 replicas running")
}

// Every manager's error survives into Observe's, with the context's.
func TestObserveJoinsManagerErrors(t *testing.T) {
	noLeader := unsettled("node1")
	noLeader.nodesErr = "rpc error: code = Unknown desc = The swarm does not have a leader."
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	c := clusterOf(t, map[string]http.Handler{
		"node1": noLeader,
		"node2": &stallingEngine{fakeEngine: unsettled("node2"), from: 1},
	}, "node1", "node2")
	st, err := c.Observe(ctx)
	require.Error(t, err)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Contains(t, err.Error(), "observe swarm: node1: ")
	assert.Contains(t, err.Error(), "The swarm does not have a leader.")
	assert.Contains(t, err.Error(), "; node2: ")
	assert.NotContains(t, err.Error(), "\n", "one line in a report")
	require.NotNil(t, st)
	assert.Contains(t, st.Nodes[0].Swarm.Error, "does not have a leader", "the manager says why in its own entry")
}

func TestObserveFirstAnsweringManager(t *testing.T) {
	noLeader := unsettled("node1")
	noLeader.nodesErr = "The swarm does not have a leader."
	c := clusterOf(t, map[string]http.Handler{"node1": noLeader, "node2": unsettled("node2")}, "node1", "node2")
	st, err := c.Observe(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "node2", st.Manager)
}
