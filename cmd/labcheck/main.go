// Command labcheck runs and grades Docker Swarm labs on real
// Docker-in-Docker clusters.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	os.Exit(run())
}

func run() int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		// The first signal cancels the run, whose clean-up still removes
		// the cluster; a second one kills at once (the next start sweeps).
		stop()
	}()
	cmd := newRootCommand()
	err := cmd.ExecuteContext(ctx)
	if err == nil {
		return 0
	}
	var ex *exitError
	if errors.As(err, &ex) {
		if ex.msg != "" {
			fmt.Fprintln(os.Stderr, "labcheck:", ex.msg)
		}
		return ex.code
	}
	fmt.Fprintln(os.Stderr, "labcheck:", err)
	if ctx.Err() != nil {
		return 130
	}
	return 1
}

// exitError carries a specific exit status: 2 for usage errors, 3 for a
// score under --min-score.
type exitError struct {
	code int
	msg  string
}

func (e *exitError) Error() string { return e.msg }
