package grader

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/labcheck/labcheck/grader/lab"
	"github.com/labcheck/labcheck/grader/report"
	"github.com/labcheck/labcheck/grader/submission"
	"github.com/labcheck/labcheck/harness"
)

// countedCluster is a cluster that only counts: how many were started and
// how many of them are still up.
type countedCluster struct {
	Cluster
	live   *atomic.Int64
	closed atomic.Bool
}

func (c *countedCluster) Close(context.Context) error {
	if c.closed.CompareAndSwap(false, true) {
		c.live.Add(-1)
	}
	return nil
}

// countingStart starts countedClusters; failAfter > 0 makes the starts
// after that many fail, with the partial cluster returned as the harness
// does.
func countingStart(started, live *atomic.Int64, failAfter int64) StartFunc {
	return func(ctx context.Context, _ ...harness.Option) (Cluster, error) {
		n := started.Add(1)
		live.Add(1)
		c := &countedCluster{live: live}
		if failAfter > 0 && n > failAfter {
			return c, errors.New("node start failed")
		}
		return c, ctx.Err()
	}
}

// gradeWithCluster grades a file by starting a cluster through
// opts.Start and closing it, as a real session does.
func gradeWithCluster(ctx context.Context, l *lab.Lab, path string, _ submission.Format, opts Options, _ ReplayLimits) (*report.Report, error) {
	c, err := opts.Start(ctx)
	if c != nil {
		defer c.Close(ctx)
	}
	if err != nil {
		return graded(path, 0), err
	}
	return graded(path, 1), nil
}

func TestGradeBatchPipelinesClusters(t *testing.T) {
	tests := []struct {
		name      string
		files     int
		jobs      int
		warm      int
		failAfter int64
		cancel    bool
	}{
		{name: "one file", files: 1, jobs: 3, warm: 2},
		{name: "a class", files: 12, jobs: 3, warm: 2},
		{name: "one job, one warm", files: 5, jobs: 1, warm: 1},
		{name: "no warm pool", files: 5, jobs: 2},
		{name: "starts failing", files: 8, jobs: 2, warm: 1, failAfter: 3},
		{name: "interrupted", files: 10, jobs: 2, warm: 2, cancel: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var started, live atomic.Int64
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var mu sync.Mutex
			done := 0
			opts := BatchOptions{
				Jobs:      tt.jobs,
				Warm:      tt.warm,
				Options:   Options{Start: countingStart(&started, &live, tt.failAfter)},
				GradeFile: gradeWithCluster,
				OnDone: func(int, BatchResult) {
					mu.Lock()
					defer mu.Unlock()
					if done++; tt.cancel && done == 3 {
						cancel()
					}
				},
			}
			res, err := GradeBatch(ctx, batchLab(t), paths(tt.files), opts)
			assert.Zero(t, live.Load(), "every cluster is removed before GradeBatch returns")
			require.Len(t, res, tt.files)
			// Warm clusters are bounded: never more than one per file plus
			// the warm pool.
			assert.LessOrEqual(t, started.Load(), int64(tt.files+tt.warm))
			if tt.cancel {
				assert.Error(t, err)
				return
			}
			require.NoError(t, err)
			failed := 0
			for _, r := range res {
				if r.Err != nil {
					failed++
				}
			}
			if tt.failAfter > 0 {
				assert.Positive(t, failed)
			} else {
				assert.Zero(t, failed)
				assert.LessOrEqual(t, started.Load(), int64(tt.files), "no cluster is warmed that no file takes")
			}
		})
	}
}
