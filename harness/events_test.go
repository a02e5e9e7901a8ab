package harness

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/moby/moby/api/types/events"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// eventEngine streams the events the test sends on its channel, one
// stream at a time; a stream ends when the channel says so (a nil event)
// and the engine counts the subscriptions it served.
type eventEngine struct {
	send    chan *events.Message
	streams atomic.Int32
	filters atomic.Value
}

func (e *eventEngine) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !strings.HasSuffix(r.URL.Path, "/events") {
		writeJSON(w, http.StatusNotFound, map[string]string{"message": "not faked"})
		return
	}
	e.streams.Add(1)
	e.filters.Store(r.URL.Query().Get("filters"))
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	w.(http.Flusher).Flush()
	for {
		select {
		case <-r.Context().Done():
			return
		case m := <-e.send:
			if m == nil {
				return // the engine went away: the stream breaks
			}
			_ = json.NewEncoder(w).Encode(m)
			w.(http.Flusher).Flush()
		}
	}
}

func TestChangesWakeWaiters(t *testing.T) {
	w := &changes{ch: make(chan struct{})}
	first := w.next()
	select {
	case <-first:
		t.Fatal("woken before any event")
	default:
	}
	at := time.Unix(100, 0)
	w.fire(at)
	select {
	case <-first:
	default:
		t.Fatal("an event must wake whoever waited before it")
	}
	assert.Equal(t, at, w.lastEvent())
	select {
	case <-w.next():
		t.Fatal("a waiter after the event waits for the next one")
	default:
	}
}

func TestFollowRelaysEventsAndResubscribes(t *testing.T) {
	e := &eventEngine{send: make(chan *events.Message)}
	cli := serve(t, e)
	w := &changes{ch: make(chan struct{})}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		w.follow(ctx, cli)
	}()

	// A new stream wakes waiters by itself (it may have missed events);
	// then each event wakes them again.
	waitWoken(t, w.next())
	woken := w.next()
	e.send <- &events.Message{Type: events.ContainerEventType, Action: events.ActionStart}
	waitWoken(t, woken)
	assert.Contains(t, e.filters.Load(), `"container"`)
	assert.Contains(t, e.filters.Load(), `"service"`)
	assert.Contains(t, e.filters.Load(), `"node"`)

	// A broken stream (a stopped node) is subscribed again.
	woken = w.next()
	e.send <- nil
	waitWoken(t, woken)
	require.Eventually(t, func() bool { return e.streams.Load() == 2 }, 5*time.Second, 10*time.Millisecond)

	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("follow did not stop with its context")
	}
}

func waitWoken(t *testing.T, ch <-chan struct{}) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(5 * time.Second):
		t.Fatal("not woken")
	}
}

func TestEventPacedStats(t *testing.T) {
	tests := []struct {
		name        string
		moving      int // looks that see the cluster moving
		wantLooks   int
		wantLatency bool
	}{
		{name: "at rest at once", moving: 0, wantLooks: 1},
		{name: "settles on the third look", moving: 2, wantLooks: 3, wantLatency: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &Cluster{ID: "test"}
			n := 0
			look, stats := c.eventPaced(func(context.Context) Poll {
				n++
				if n <= tt.moving {
					return Continue("moving")
				}
				return Done()
			})
			require.NoError(t, Wait(context.Background(), "test", time.Minute, 0, look))
			s := stats()
			assert.Equal(t, tt.wantLooks, s.Looks)
			if tt.wantLatency {
				// Within the burst after a wait starts, looks are
				// eventLookDelay apart.
				assert.GreaterOrEqual(t, s.Latency, eventLookDelay)
				assert.Less(t, s.Latency, PollDelay+time.Second)
			} else {
				assert.Zero(t, s.Latency)
			}
		})
	}
}

func TestEventPacedStopsWithItsContext(t *testing.T) {
	c := &Cluster{ID: "test"}
	ctx, cancel := context.WithCancel(context.Background())
	look, _ := c.eventPaced(func(context.Context) Poll {
		cancel()
		return Continue("moving")
	})
	err := Wait(ctx, "swarm to settle", time.Minute, 0, look)
	require.ErrorIs(t, err, ErrInterrupted)
	assert.Contains(t, err.Error(), "last: moving")
}

func (f *fakeEngine) asked(path string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, c := range f.calls {
		if c == "GET "+path {
			n++
		}
	}
	return n
}

func TestLookAgainKeepsMembership(t *testing.T) {
	mgr := unsettled("node1")
	c := clusterOf(t, map[string]http.Handler{"node1": mgr}, "node1")
	ctx := context.Background()
	prev, err := c.Observe(ctx)
	require.NoError(t, err)
	require.Equal(t, 1, mgr.asked("/info"))

	st, err := c.lookAgain(ctx, prev)
	require.NoError(t, err)
	assert.Equal(t, 1, mgr.asked("/info"), "a quick look does not ask docker info again")
	assert.Equal(t, 2, mgr.asked("/tasks"), "it reads the swarm's tasks again")
	assert.Equal(t, 2, mgr.asked("/containers/json"), "and the containers")
	assert.Equal(t, prev.Nodes[0].Swarm, st.Nodes[0].Swarm)
	assert.Equal(t, "node1", st.Manager)
	assert.Equal(t, prev.Swarm, st.Swarm)

	// Without a swarm view to start from, it is a full look.
	noSwarm := *prev
	noSwarm.Swarm, noSwarm.Manager = nil, ""
	_, err = c.lookAgain(ctx, &noSwarm)
	require.NoError(t, err)
	assert.Equal(t, 2, mgr.asked("/info"))
}
