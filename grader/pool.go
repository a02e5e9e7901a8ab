package grader

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/labcheck/labcheck/harness"
)

// clusterPool is a batch's pipeline of clusters: while one submission
// replays, the cluster of a later one is already starting, and a finished
// submission's cluster is removed in the background. Every cluster it
// started is gone before drain returns, on every path (Ctrl-C, errors, a
// warm cluster nobody took).
//
// Every session of a batch starts its cluster with the same options (one
// lab, one set of cluster options), so the options of the first request
// stand for all: a warm cluster is started with those.
type clusterPool struct {
	start StartFunc
	// ctx is the batch's: once it ends no cluster is warmed any more.
	ctx context.Context
	// spare is how many clusters are kept warming ahead.
	spare int

	mu        sync.Mutex
	opts      []harness.Option
	learnt    bool
	warm      []chan pooled
	remaining int // submissions not yet started, that may want a cluster
	errs      []error
	bg        sync.WaitGroup
}

type pooled struct {
	c   Cluster
	err error
}

func newClusterPool(ctx context.Context, start StartFunc, spare, files int) *clusterPool {
	return &clusterPool{start: start, ctx: ctx, spare: spare, remaining: files}
}

// starting says that one more submission has begun; the pool warms no
// more clusters than the submissions still to come.
func (p *clusterPool) starting() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.remaining--
}

// Start is a StartFunc: a warm cluster if one is ready or on its way,
// else a fresh one; either way it warms the next ones.
func (p *clusterPool) Start(ctx context.Context, opts ...harness.Option) (Cluster, error) {
	p.mu.Lock()
	if !p.learnt {
		p.opts, p.learnt = opts, true
	}
	var next chan pooled
	if len(p.warm) > 0 {
		next, p.warm = p.warm[0], p.warm[1:]
	}
	p.refill()
	p.mu.Unlock()
	if next == nil {
		c, err := p.start(ctx, opts...)
		return p.wrap(c), err
	}
	select {
	case r := <-next:
		return p.wrap(r.c), r.err
	case <-ctx.Done():
		// The submission was stopped while its cluster was starting: the
		// cluster still comes, and goes at once.
		p.bg.Add(1)
		go func() {
			defer p.bg.Done()
			if r := <-next; r.c != nil {
				p.remove(r.c)
			}
		}()
		return nil, fmt.Errorf("waiting for a warm cluster: %w", context.Cause(ctx))
	}
}

// refill starts warm clusters up to spare, and no more than the
// submissions still to come can take. p.mu is held.
func (p *clusterPool) refill() {
	for len(p.warm) < min(p.spare, p.remaining) && p.ctx.Err() == nil {
		ch := make(chan pooled, 1)
		p.warm = append(p.warm, ch)
		opts := p.opts
		p.bg.Add(1)
		go func() {
			defer p.bg.Done()
			c, err := p.start(p.ctx, opts...)
			ch <- pooled{c, err}
		}()
	}
}

func (p *clusterPool) wrap(c Cluster) Cluster {
	if c == nil {
		return nil
	}
	return &pooledCluster{Cluster: c, pool: p}
}

// remove takes a cluster down in the background; drain waits for it.
func (p *clusterPool) remove(c Cluster) {
	p.bg.Add(1)
	go func() {
		defer p.bg.Done()
		if err := c.Close(context.Background()); err != nil {
			p.mu.Lock()
			p.errs = append(p.errs, err)
			p.mu.Unlock()
		}
	}()
}

// drain removes the warm clusters nobody took and waits until every
// cluster the pool started is gone. The error lists removals that failed.
func (p *clusterPool) drain() error {
	p.mu.Lock()
	warm := p.warm
	p.warm, p.remaining = nil, 0
	p.mu.Unlock()
	for _, ch := range warm {
		if r := <-ch; r.c != nil {
			p.remove(r.c)
		}
	}
	p.bg.Wait()
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.errs) > 0 {
		return fmt.Errorf("removing clusters: %w", errors.Join(p.errs...))
	}
	return nil
}

// pooledCluster is a cluster whose removal leaves the submission's
// critical path: Close hands it to the pool and returns.
type pooledCluster struct {
	Cluster
	pool *clusterPool
	once sync.Once
}

func (c *pooledCluster) Close(context.Context) error {
	c.once.Do(func() { c.pool.remove(c.Cluster) })
	return nil
}
