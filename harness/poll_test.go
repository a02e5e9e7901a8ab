package harness

import (
	"context"
	"errors"
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
