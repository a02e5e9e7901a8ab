package harness

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWaitReportsLastReasonOnTimeout(t *testing.T) {
	n := 0
	err := Wait(context.Background(), "7 tasks running", 50*time.Millisecond, 5*time.Millisecond, func(context.Context) Poll {
		n++
		return Continue("%d running", n)
	})
	var te *TimeoutError
	require.ErrorAs(t, err, &te)
	assert.Equal(t, "7 tasks running", te.What)
	assert.Equal(t, te.Attempts, n)
	assert.Contains(t, err.Error(), "last: ")
	assert.Contains(t, te.LastReason, " running")
}

func TestWaitDoneAndFailed(t *testing.T) {
	calls := 0
	require.NoError(t, Wait(context.Background(), "x", time.Second, time.Millisecond, func(context.Context) Poll {
		calls++
		if calls == 3 {
			return Done()
		}
		return Continue("not yet")
	}))
	assert.Equal(t, 3, calls)

	boom := errors.New("engine gone")
	err := Wait(context.Background(), "x", time.Second, time.Millisecond, func(context.Context) Poll { return Failed(boom) })
	assert.ErrorIs(t, err, boom)
}

// A Wait ended by its caller says so: Ctrl-C is "interrupted", a replay's
// deadline is that deadline, and neither blames the cluster with "not
// reached within"; both keep the last reason.
func TestWaitStoppedByCaller(t *testing.T) {
	type ctxFunc func() (context.Context, context.CancelFunc)
	tests := []struct {
		name string
		// parent is the caller's context; stop, when set, ends it from
		// inside the third check, the way a signal handler would.
		parent   ctxFunc
		stop     func(cancel context.CancelFunc)
		failWith bool // the check reports ctx's error itself, as Observe does
		is       []error
		isNot    []error
		says     []string
	}{
		{
			name:   "cancel between checks",
			parent: func() (context.Context, context.CancelFunc) { return context.WithCancel(context.Background()) },
			stop:   func(cancel context.CancelFunc) { cancel() },
			is:     []error{context.Canceled, ErrInterrupted},
			isNot:  []error{context.DeadlineExceeded},
			says:   []string{"7 tasks running: interrupted after 3 checks; last: 2 running"},
		},
		{
			name:     "cancel during a check that then fails with ctx's error",
			parent:   func() (context.Context, context.CancelFunc) { return context.WithCancel(context.Background()) },
			stop:     func(cancel context.CancelFunc) { cancel() },
			failWith: true,
			is:       []error{context.Canceled, ErrInterrupted},
			says:     []string{"interrupted after 3 checks; last: 2 running"},
		},
		{
			name: "cancel with a cause",
			parent: func() (context.Context, context.CancelFunc) {
				ctx, cancel := context.WithCancelCause(context.Background())
				return ctx, func() { cancel(errors.New("interrupt signal received")) }
			},
			stop: func(cancel context.CancelFunc) { cancel() },
			is:   []error{context.Canceled, ErrInterrupted},
			says: []string{"interrupted (interrupt signal received) after 3 checks; last: 2 running"},
		},
		{
			name: "the caller's deadline",
			parent: func() (context.Context, context.CancelFunc) {
				return context.WithTimeout(context.Background(), 30*time.Millisecond)
			},
			is:    []error{context.DeadlineExceeded},
			isNot: []error{context.Canceled, ErrInterrupted},
			says:  []string{"7 tasks running: the caller's deadline passed after", "; last: ", " running"},
		},
		{
			name: "the caller's deadline during a check",
			parent: func() (context.Context, context.CancelFunc) {
				return context.WithTimeout(context.Background(), 30*time.Millisecond)
			},
			failWith: true,
			is:       []error{context.DeadlineExceeded},
			isNot:    []error{ErrInterrupted},
			says:     []string{"the caller's deadline passed after", "; last: ", " running"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			parent, cancel := tt.parent()
			defer cancel()
			n := 0
			err := Wait(parent, "7 tasks running", time.Hour, time.Millisecond, func(ctx context.Context) Poll {
				n++
				if n == 3 && tt.stop != nil {
					tt.stop(cancel)
				}
				if tt.failWith && ctx.Err() != nil {
					return Failed(fmt.Errorf("observe swarm: %w", ctx.Err()))
				}
				return Continue("%d running", min(n, 2))
			})
			require.Error(t, err)
			var te *TimeoutError
			assert.False(t, errors.As(err, &te), "a caller's stop is not a timeout: %v", err)
			assert.NotContains(t, err.Error(), "not reached within")
			var se *StoppedError
			require.ErrorAs(t, err, &se)
			for _, target := range tt.is {
				assert.ErrorIs(t, err, target)
			}
			for _, target := range tt.isNot {
				assert.NotErrorIs(t, err, target)
			}
			for _, s := range tt.says {
				assert.Contains(t, err.Error(), s)
			}
		})
	}
}

// The wait's own bound stays a TimeoutError even when the check is the one
// that notices, failing with the context's error.
func TestWaitOwnTimeoutDuringCheck(t *testing.T) {
	n := 0
	err := Wait(context.Background(), "swarm to settle", 30*time.Millisecond, time.Millisecond, func(ctx context.Context) Poll {
		n++
		if n < 3 {
			return Continue("web has %d of 3 replicas running", n)
		}
		<-ctx.Done()
		return Failed(fmt.Errorf("observe swarm: node1: %w", ctx.Err()))
	})
	var te *TimeoutError
	require.ErrorAs(t, err, &te)
	assert.Equal(t, "web has 2 of 3 replicas running", te.LastReason)
	assert.Equal(t, 3, te.Attempts)
	assert.NotErrorIs(t, err, ErrInterrupted)
}
