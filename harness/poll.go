package harness

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Poll is the outcome of one look at a condition, in the style of
// gotest.tools/poll: done, not yet (with the reason), or could not look.
type Poll struct {
	done   bool
	reason string
	err    error
}

// Done says the condition holds.
func Done() Poll { return Poll{done: true} }

// Continue says the condition does not hold yet, and why.
func Continue(format string, args ...any) Poll {
	return Poll{reason: fmt.Sprintf(format, args...)}
}

// Failed says the condition cannot be evaluated; polling stops.
func Failed(err error) Poll { return Poll{err: err} }

// TimeoutError is returned when a condition did not hold before the
// deadline. It carries the last reason, which says far more than
// "context deadline exceeded".
type TimeoutError struct {
	What       string
	Timeout    time.Duration
	LastReason string
	Attempts   int
}

func (e *TimeoutError) Error() string {
	return fmt.Sprintf("%s: not reached within %s (%d checks); last: %s", e.What, e.Timeout, e.Attempts, e.LastReason)
}

// Wait polls check every delay until it is done, fails, or timeout passes.
// what names the condition in the error.
func Wait(ctx context.Context, what string, timeout, delay time.Duration, check func(context.Context) Poll) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	attempts := 0
	last := "not checked yet"
	for {
		attempts++
		p := check(ctx)
		switch {
		case p.err != nil:
			if ctx.Err() != nil && errors.Is(p.err, ctx.Err()) {
				return &TimeoutError{What: what, Timeout: timeout, LastReason: last, Attempts: attempts}
			}
			return fmt.Errorf("%s: %w", what, p.err)
		case p.done:
			return nil
		}
		last = p.reason
		t := time.NewTimer(delay)
		select {
		case <-ctx.Done():
			t.Stop()
			if errors.Is(ctx.Err(), context.DeadlineExceeded) {
				return &TimeoutError{What: what, Timeout: timeout, LastReason: last, Attempts: attempts}
			}
			return fmt.Errorf("%s: %w (last: %s)", what, ctx.Err(), last)
		case <-t.C:
		}
	}
}
