package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/moby/moby/client"
	"github.com/spf13/cobra"

	"github.com/labcheck/labcheck/grader"
	"github.com/labcheck/labcheck/grader/lab"
	"github.com/labcheck/labcheck/grader/report"
	"github.com/labcheck/labcheck/harness"
)

type verifyOptions struct {
	lab     string
	step    string
	format  string
	host    string
	verbose bool
}

func newVerifyCommand() *cobra.Command {
	var opts verifyOptions
	cmd := &cobra.Command{
		Use:   "verify",
		Short: "Check your own live swarm against a lab, read-only",
		Long: `Verify checks the swarm you built yourself, for instance on Play with
Docker: run it in node1's terminal and it grades the lab's rubric on what
the swarm looks like now, with a hint for each item that fails.

Verify never changes the cluster. It only reads: it asks the Docker engine
for its info and lists the swarm's nodes, services and tasks and the
node's containers. It creates, updates and removes nothing.

It reads one engine, the one your terminal talks to (DOCKER_HOST, the
current docker context, or the default socket; --host names another).
Run it on a manager: a worker cannot list the swarm, and verify says where
the managers are. Some items cannot be judged from a live look and are
shown as skipped, with the reason: an item that must hold after another
one (verify sees only the present, not what happened before), and an item
about containers on other nodes (only their own engines list them).
Check the step you just did with --step; labcheck grade replays a whole
submission and judges every item.

Exit status: 0 when every judged item passed, 3 when one failed, 1 when
verify could not look (no engine, a worker, an item it could not check),
2 on usage errors.`,
		Example: `  labcheck verify
  labcheck verify --step scale-up
  labcheck verify --lab ha --format md
  labcheck verify --host tcp://192.168.0.13:2375`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runVerify(cmd, &opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.lab, "lab", "orchestration", "embedded lab name or path to a lab YAML file (see `labcheck labs`)")
	f.StringVar(&opts.step, "step", "", "judge only this step's items (default: every item)")
	f.StringVar(&opts.format, "format", "text", "report format: "+strings.Join(report.Formats(), ", "))
	f.StringVar(&opts.host, "host", "", "Docker engine to read, e.g. tcp://192.168.0.13:2375 (default: DOCKER_HOST, the docker context, or the local socket)")
	f.BoolVarP(&opts.verbose, "verbose", "v", false, "show the evidence and check of passed items too in text reports")
	return cmd
}

func runVerify(cmd *cobra.Command, opts *verifyOptions) error {
	if !knownFormat(opts.format) {
		return &exitError{code: 2, msg: fmt.Sprintf("unknown --format %q (known: %s)", opts.format, strings.Join(report.Formats(), ", "))}
	}
	l, err := lab.Get(opts.lab)
	if err != nil {
		return &exitError{code: 2, msg: err.Error()}
	}
	if opts.step != "" {
		if _, ok := l.Step(opts.step); !ok {
			return &exitError{code: 2, msg: fmt.Sprintf("unknown --step %q: lab %s has steps %s", opts.step, l.Name, strings.Join(l.StepIDs(), ", "))}
		}
	}
	ctx := cmd.Context()
	cli, err := verifyClient(ctx, opts.host)
	if err != nil {
		return err
	}
	defer cli.Close()
	rep, err := grader.Verify(ctx, cli, l, grader.VerifyOptions{Step: opts.step, Version: version()})
	var nm *harness.NotManagerError
	switch {
	case errors.As(err, &nm):
		return &exitError{code: 1, msg: nm.Error()}
	case err != nil:
		return &exitError{code: 1, msg: err.Error()}
	}
	out := cmd.OutOrStdout()
	if err := report.Write(out, opts.format, rep, report.TextOptions{Color: isTerminal(out), Verbose: opts.verbose}); err != nil {
		return err
	}
	return verifyExit(rep)
}

// verifyExit maps the verdicts to the exit status: a failure is the
// student's to fix (3); an item verify could not check is not (1).
func verifyExit(rep *report.Report) error {
	pass, fail, errored, _ := rep.Counts()
	judged := pass + fail + errored
	switch {
	case fail > 0:
		return &exitError{code: 3, msg: fmt.Sprintf("%d of %d judged %s failed", fail, judged, itemWord(judged))}
	case errored > 0:
		return &exitError{code: 1, msg: fmt.Sprintf("%d of %d judged %s could not be checked", errored, judged, itemWord(judged))}
	}
	return nil
}

func itemWord(n int) string {
	if n == 1 {
		return "item"
	}
	return "items"
}

func knownFormat(f string) bool {
	for _, k := range report.Formats() {
		if f == k {
			return true
		}
	}
	return false
}

// hostPingTimeout bounds the first contact with a --host engine, so that
// an address nothing answers on fails in seconds, not minutes.
const hostPingTimeout = 10 * time.Second

// verifyClient connects to the engine to read: --host when given, else
// the one the docker CLI would use (DOCKER_HOST, docker context, socket).
func verifyClient(ctx context.Context, host string) (*client.Client, error) {
	if host == "" {
		// testcontainers would fall back to another engine when
		// DOCKER_HOST does not answer; verify must read the one named.
		host = os.Getenv("DOCKER_HOST")
	}
	if host == "" {
		cli, err := harness.OuterClient(ctx)
		if err != nil {
			return nil, &exitError{code: 1, msg: err.Error()}
		}
		return cli, nil
	}
	cli, err := client.New(client.FromEnv, client.WithHost(host), client.WithAPIVersionNegotiation())
	if err != nil {
		return nil, &exitError{code: 2, msg: fmt.Sprintf("--host %s: %v", host, err)}
	}
	pctx, cancel := context.WithTimeout(ctx, hostPingTimeout)
	defer cancel()
	if _, err := cli.Ping(pctx, client.PingOptions{}); err != nil {
		_ = cli.Close()
		return nil, &exitError{code: 1, msg: fmt.Sprintf("no Docker engine reachable at %s: %v", host, err)}
	}
	return cli, nil
}
