package harness

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/moby/moby/api/pkg/stdcopy"
	"github.com/moby/moby/client"
)

// DefaultOutputCap bounds each of stdout and stderr kept from one command.
const DefaultOutputCap = 1 << 20

// ExecResult is what one command in a node did.
type ExecResult struct {
	ExitCode        int           `json:"exitCode"`
	Stdout          string        `json:"stdout"`
	Stderr          string        `json:"stderr"`
	StdoutTruncated bool          `json:"stdoutTruncated,omitempty"`
	StderrTruncated bool          `json:"stderrTruncated,omitempty"`
	TimedOut        bool          `json:"timedOut,omitempty"`
	Duration        time.Duration `json:"duration"`
}

// Output returns stdout and stderr together, with truncation marked.
func (r ExecResult) Output() string {
	var b strings.Builder
	b.WriteString(r.Stdout)
	if r.StdoutTruncated {
		b.WriteString("\n[stdout truncated]\n")
	}
	if r.Stderr != "" && b.Len() > 0 && !strings.HasSuffix(b.String(), "\n") {
		b.WriteByte('\n')
	}
	b.WriteString(r.Stderr)
	if r.StderrTruncated {
		b.WriteString("\n[stderr truncated]\n")
	}
	return b.String()
}

// ExecOptions bound one command.
type ExecOptions struct {
	// Timeout bounds the command; zero means CommandTimeout. On timeout
	// the command's process group in the node is killed.
	Timeout time.Duration
	// OutputCap bounds each of stdout and stderr; zero means DefaultOutputCap.
	OutputCap int
}

// Exec runs argv on the named node (not through a shell) and returns its
// exit code and capped output. An error means the command could not be run
// or observed; a non-zero exit is not an error.
func (c *Cluster) Exec(ctx context.Context, node string, argv []string, opts ExecOptions) (ExecResult, error) {
	n, err := c.node(node)
	if err != nil {
		return ExecResult{}, err
	}
	if opts.Timeout <= 0 {
		opts.Timeout = CommandTimeout
	}
	if opts.OutputCap <= 0 {
		opts.OutputCap = DefaultOutputCap
	}
	// timeout(1) in the node kills what the command started even when our
	// side of the stream is gone; the outer deadline is a backstop.
	secs := fmt.Sprintf("%.1f", opts.Timeout.Seconds())
	wrapped := append([]string{"timeout", "-s", "KILL", secs}, argv...)
	start := time.Now()
	res, err := execIn(ctx, c.outer, n.containerID, wrapped, opts.OutputCap, opts.Timeout+execGrace)
	res.Duration = time.Since(start)
	if err == nil && res.ExitCode == 137 && res.Duration >= opts.Timeout {
		res.TimedOut = true
	}
	return res, err
}

// Shell runs a command line with `sh -c` on the named node. The line runs
// inside the node only; callers decide what they let through.
func (c *Cluster) Shell(ctx context.Context, node, line string, opts ExecOptions) (ExecResult, error) {
	return c.Exec(ctx, node, []string{"sh", "-c", line}, opts)
}

func execIn(parent context.Context, outer *client.Client, containerID string, argv []string, outputCap int, hardTimeout time.Duration) (ExecResult, error) {
	ctx, cancel := context.WithTimeout(parent, hardTimeout)
	defer cancel()
	created, err := outer.ExecCreate(ctx, containerID, client.ExecCreateOptions{
		Cmd:          argv,
		AttachStdout: true,
		AttachStderr: true,
	})
	if err != nil {
		return ExecResult{}, fmt.Errorf("exec %s: %w", argv[len(argv)-1], err)
	}
	attached, err := outer.ExecAttach(ctx, created.ID, client.ExecAttachOptions{})
	if err != nil {
		return ExecResult{}, fmt.Errorf("exec attach: %w", err)
	}
	defer attached.Close()
	stop := context.AfterFunc(ctx, attached.Close)
	defer stop()
	stdout, stderr := &cappedBuffer{limit: outputCap}, &cappedBuffer{limit: outputCap}
	_, copyErr := stdcopy.StdCopy(stdout, stderr, attached.Reader)
	res := ExecResult{
		Stdout: stdout.String(), Stderr: stderr.String(),
		StdoutTruncated: stdout.truncated, StderrTruncated: stderr.truncated,
	}
	if err := parent.Err(); err != nil {
		if errors.Is(err, context.Canceled) {
			return res, fmt.Errorf("%w: %w", ErrInterrupted, err)
		}
		return res, fmt.Errorf("the caller's deadline passed: %w", err)
	}
	if ctx.Err() != nil {
		res.TimedOut = true
		res.ExitCode = -1
		return res, nil
	}
	if copyErr != nil {
		return res, fmt.Errorf("exec output: %w", copyErr)
	}
	insp, err := outer.ExecInspect(ctx, created.ID, client.ExecInspectOptions{})
	if err != nil {
		return res, fmt.Errorf("exec inspect: %w", err)
	}
	res.ExitCode = insp.ExitCode
	return res, nil
}

// cappedBuffer keeps the first limit bytes and counts the rest.
type cappedBuffer struct {
	limit     int
	buf       []byte
	truncated bool
}

func (b *cappedBuffer) Write(p []byte) (int, error) {
	room := b.limit - len(b.buf)
	if room >= len(p) {
		b.buf = append(b.buf, p...)
		return len(p), nil
	}
	if room > 0 {
		b.buf = append(b.buf, p[:room]...)
	}
	b.truncated = true
	return len(p), nil
}

func (b *cappedBuffer) String() string { return strings.ToValidUTF8(string(b.buf), "\uFFFD") }

var errUnknownNode = errors.New("unknown node")
