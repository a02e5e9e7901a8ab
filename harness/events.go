package harness

import (
	"context"
	"sync"
	"time"

	"github.com/moby/moby/client"
)

// Pacing of the looks at a converging cluster. A look follows every event
// a node's engine sends (a container started or died, a service or node
// changed) at once; the swarm's task states, which 20.10 sends no event
// for, follow such an event within a few hundred milliseconds (the
// dispatcher batches task updates every 100 ms), so looks come quickly for
// a while after each event and after a wait begins, and slowly otherwise.
const (
	// eventLookDelay is the pause between looks shortly after a change:
	// it bounds how late a settled swarm is noticed.
	eventLookDelay = 10 * time.Millisecond
	// eventBurst is how long after an event (or the start of a wait) the
	// looks stay that quick.
	eventBurst = 500 * time.Millisecond
	// eventResubscribeDelay paces new subscriptions to a node whose
	// stream broke (a stopped or killed node, a restarting dockerd).
	eventResubscribeDelay = 250 * time.Millisecond
)

// eventTypes are the engine event types that announce a change Converged
// looks at.
var eventTypes = []string{"container", "service", "node"}

// changes tells waiters that some node's engine reported an event. It
// keeps every node's event stream open from the first wait until the
// cluster is closed, so that a wait starts with no subscription to make.
type changes struct {
	mu   sync.Mutex
	ch   chan struct{}
	last time.Time
	stop context.CancelFunc
	done sync.WaitGroup
}

// next returns a channel that is closed at the next event after this call,
// so that an event arriving while a look is under way still wakes the wait.
func (w *changes) next() <-chan struct{} {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.ch
}

// lastEvent is when the latest event arrived.
func (w *changes) lastEvent() time.Time {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.last
}

func (w *changes) fire(at time.Time) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.last = at
	close(w.ch)
	w.ch = make(chan struct{})
}

// watchChanges subscribes to every node's events, once per cluster; a
// closed cluster gets no subscription. Close ends the streams before it
// removes the nodes.
func (c *Cluster) watchChanges() *changes {
	c.watchOnce.Do(func() {
		w := &changes{ch: make(chan struct{})}
		c.watch = w
		ctx, cancel := context.WithCancel(context.Background())
		w.stop = cancel
		c.mu.Lock()
		defer c.mu.Unlock()
		if c.closed {
			cancel()
			return
		}
		// Under the lock, so that Close either runs this or finds no
		// stream started.
		c.cleanup = append(c.cleanup, func(context.Context) error {
			cancel()
			w.done.Wait()
			return nil
		})
		for _, n := range c.nodes {
			if n == nil || n.inner == nil {
				continue
			}
			w.done.Add(1)
			go func() {
				defer w.done.Done()
				w.follow(ctx, n.inner)
			}()
		}
	})
	return c.watch
}

// follow relays one engine's events until ctx ends, subscribing again
// after a broken stream: a stopped node comes back with StartNode.
func (w *changes) follow(ctx context.Context, cli *client.Client) {
	f := client.Filters{}
	f.Add("type", eventTypes...)
	for ctx.Err() == nil {
		sub, cancel := context.WithCancel(ctx)
		res := cli.Events(sub, client.EventsListOptions{Filters: f})
		// A new stream may have missed events while none was open.
		w.fire(time.Now())
	stream:
		for {
			select {
			case <-res.Messages:
				w.fire(time.Now())
			case <-res.Err:
				break stream
			}
		}
		cancel()
		t := time.NewTimer(eventResubscribeDelay)
		select {
		case <-ctx.Done():
		case <-t.C:
		}
		t.Stop()
	}
}

// WaitStats says how the last WaitState went: how many looks it took, how
// long one look takes, and how late it noticed the state it returned:
// from the end of the look before, which still saw the cluster moving, to
// the return (zero when the first look was already done). The change came
// after that look read the state, so this is the wait's own part of the
// delay, the next look's pause and the look itself.
type WaitStats struct {
	Looks    int
	Latency  time.Duration
	LastLook time.Duration
	Wall     time.Duration
}

// LastWait returns the statistics of the latest WaitState or Settle.
func (c *Cluster) LastWait() WaitStats {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.lastWait
}

// eventPaced wraps a look so that Wait, which calls it back to back,
// looks again as soon as a node reports an event, quickly during a burst
// after a change and every PollDelay otherwise (a stream that missed an
// event still cannot stall a wait).
func (c *Cluster) eventPaced(look func(context.Context) Poll) (func(context.Context) Poll, func() WaitStats) {
	w := c.watchChanges()
	start := time.Now()
	var looks int
	var lookStart, prevEnd, lastEnd time.Time
	var wake <-chan struct{}
	check := func(ctx context.Context) Poll {
		if looks > 0 {
			delay := PollDelay
			if since := time.Since(later(w.lastEvent(), start)); since < eventBurst {
				delay = eventLookDelay
			}
			t := time.NewTimer(delay)
			select {
			case <-ctx.Done():
				t.Stop()
				return Failed(ctx.Err())
			case <-wake:
			case <-t.C:
			}
			t.Stop()
		}
		wake = w.next()
		looks++
		lookStart = time.Now()
		p := look(ctx)
		prevEnd, lastEnd = lastEnd, time.Now()
		return p
	}
	stats := func() WaitStats {
		s := WaitStats{Looks: looks, Wall: time.Since(start), LastLook: lastEnd.Sub(lookStart)}
		if looks > 1 {
			s.Latency = time.Since(prevEnd)
		}
		return s
	}
	return check, stats
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// fullLookEvery bounds how old the kept part of a quick look may get.
const fullLookEvery = time.Second

// lookAgain observes the cluster for a wait that has looked in full
// before (prev): each node's swarm membership, which `docker info` gives
// and which costs an inner dockerd about 20 ms of CPU (it runs runc and
// docker-init to print their versions), is kept from prev, and only the
// containers and the swarm's view are read again. A node that was not
// reachable in prev is asked in full, and so is everything when prev has
// no swarm view or its manager does not answer now: lookAgain then is
// Observe.
func (c *Cluster) lookAgain(ctx context.Context, prev *State) (*State, error) {
	mgr := -1
	for i, n := range c.nodes {
		if prev.Swarm != nil && n.name == prev.Manager && i < len(prev.Nodes) && prev.Nodes[i].Reachable {
			mgr = i
		}
	}
	if mgr < 0 || len(prev.Nodes) != len(c.nodes) {
		return c.Observe(ctx)
	}
	st := &State{ObservedAt: time.Now().UTC(), Nodes: make([]NodeState, len(c.nodes))}
	var sw *SwarmState
	var swErr error
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		sw, swErr = observeSwarm(ctx, c.nodes[mgr].inner)
	}()
	for i, n := range c.nodes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			was := prev.Nodes[i]
			if !was.Reachable {
				st.Nodes[i] = observeNode(ctx, n)
				return
			}
			lctx, cancel := context.WithTimeout(ctx, observeTimeout)
			defer cancel()
			ctrs, err := listContainers(lctx, n.inner)
			if err != nil {
				st.Nodes[i] = NodeState{Name: n.name, Error: describeErr(err)}
				return
			}
			st.Nodes[i] = NodeState{Name: was.Name, Reachable: true, Swarm: was.Swarm, Containers: ctrs}
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return st, err
	}
	if swErr != nil || !st.Nodes[mgr].Reachable {
		return c.Observe(ctx)
	}
	st.Swarm, st.Manager = sw, c.nodes[mgr].name
	return st, nil
}
