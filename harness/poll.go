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

// ErrInterrupted says the user stopped labcheck (Ctrl-C) while it was
// waiting or running a command: nothing is known about the cluster beyond
// the last look, and the wait's own bound had nothing to do with it.
var ErrInterrupted = errors.New("interrupted")

// StoppedError is returned when the caller's context ended a wait before
// the wait's own bound did: an interrupt, or a deadline of the caller's
// (a whole replay's). It keeps the last reason, so a report still says
// where the cluster was. errors.Is finds context.Canceled (and
// ErrInterrupted) or context.DeadlineExceeded in it.
type StoppedError struct {
	What       string
	LastReason string
	Attempts   int
	// Err is the caller's ctx.Err(); Cause is context.Cause when it says
	// more (which signal, which deadline).
	Err, Cause error
}

func (e *StoppedError) Error() string {
	how := "interrupted"
	if errors.Is(e.Err, context.DeadlineExceeded) {
		how = "the caller's deadline passed"
	}
	if e.Cause != nil {
		how += " (" + e.Cause.Error() + ")"
	}
	return fmt.Sprintf("%s: %s after %d checks; last: %s", e.What, how, e.Attempts, e.LastReason)
}

// Unwrap exposes the context's error and its cause to errors.Is.
func (e *StoppedError) Unwrap() []error {
	if e.Cause != nil {
		return []error{e.Err, e.Cause}
	}
	return []error{e.Err}
}

// Is makes a cancelled wait an ErrInterrupted; a passed deadline is not.
func (e *StoppedError) Is(target error) bool {
	return target == ErrInterrupted && errors.Is(e.Err, context.Canceled)
}

// Wait polls check every delay until it is done, fails, or timeout passes.
// what names the condition in the error. Only its own timeout gives a
// *TimeoutError; when the caller's ctx ends first, Wait returns a
// *StoppedError, so that Ctrl-C is never reported as the cluster being slow.
func Wait(ctx context.Context, what string, timeout, delay time.Duration, check func(context.Context) Poll) error {
	parent := ctx
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	attempts := 0
	last := "not checked yet"
	stopped := func() error {
		if parent.Err() == nil {
			return &TimeoutError{What: what, Timeout: timeout, LastReason: last, Attempts: attempts}
		}
		e := &StoppedError{What: what, LastReason: last, Attempts: attempts, Err: parent.Err()}
		if cause := context.Cause(parent); cause != nil && cause != e.Err {
			e.Cause = cause
		}
		return e
	}
	for {
		attempts++
		p := check(ctx)
		switch {
		case p.err != nil:
			if ctx.Err() != nil && errors.Is(p.err, ctx.Err()) {
				return stopped()
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
			return stopped()
		case <-t.C:
		}
	}
}
