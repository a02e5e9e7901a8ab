package harness

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"time"

	"github.com/moby/moby/api/pkg/stdcopy"
	"github.com/moby/moby/client"
)

// dialStdio opens a connection to a node's inner dockerd through the outer
// engine: `docker system dial-stdio` runs in the node and relays its stdin
// and stdout to the inner socket. No inner port is published anywhere, and
// it works the same against a remote outer engine.
func dialStdio(ctx context.Context, outer *client.Client, containerID string) (net.Conn, error) {
	created, err := outer.ExecCreate(ctx, containerID, client.ExecCreateOptions{
		Cmd:          []string{"docker", "system", "dial-stdio"},
		AttachStdin:  true,
		AttachStdout: true,
		AttachStderr: true,
	})
	if err != nil {
		return nil, fmt.Errorf("dial-stdio: %w", err)
	}
	hijacked, err := outer.ExecAttach(ctx, created.ID, client.ExecAttachOptions{})
	if err != nil {
		return nil, fmt.Errorf("dial-stdio: %w", err)
	}
	pr, pw := io.Pipe()
	c := &stdioConn{hijacked: hijacked.HijackedResponse, r: pr}
	go func() {
		// The exec stream multiplexes stdout and stderr; stdout carries the
		// inner daemon's HTTP bytes.
		_, err := stdcopy.StdCopy(pw, &c.stderr, hijacked.Reader)
		if err == nil {
			err = io.EOF
		}
		pw.CloseWithError(err)
	}()
	return c, nil
}

type stdioConn struct {
	hijacked client.HijackedResponse
	r        *io.PipeReader
	stderr   lockedBuffer
	once     sync.Once
}

func (c *stdioConn) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	if errors.Is(err, io.EOF) && n == 0 {
		if msg := c.stderr.String(); msg != "" {
			return 0, fmt.Errorf("inner daemon connection closed: %s", lastLines(msg, 3))
		}
	}
	return n, err
}

func (c *stdioConn) Write(p []byte) (int, error) { return c.hijacked.Conn.Write(p) }

func (c *stdioConn) Close() error {
	c.once.Do(func() {
		c.hijacked.Close()
		_ = c.r.Close()
	})
	return nil
}

func (c *stdioConn) LocalAddr() net.Addr              { return stdioAddr{} }
func (c *stdioConn) RemoteAddr() net.Addr             { return stdioAddr{} }
func (c *stdioConn) SetDeadline(time.Time) error      { return nil }
func (c *stdioConn) SetReadDeadline(time.Time) error  { return nil }
func (c *stdioConn) SetWriteDeadline(time.Time) error { return nil }

type stdioAddr struct{}

func (stdioAddr) Network() string { return "dial-stdio" }
func (stdioAddr) String() string  { return "dial-stdio" }

type lockedBuffer struct {
	mu  sync.Mutex
	buf []byte
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.buf) < 64<<10 {
		b.buf = append(b.buf, p...)
	}
	return len(p), nil
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return string(b.buf)
}

// innerClient returns a Docker client for a node's inner daemon whose every
// connection is a dial-stdio exec in that node.
func innerClient(outer *client.Client, containerID string) (*client.Client, error) {
	return client.New(
		// The host only shapes the request URLs; the dialer decides where bytes go.
		client.WithHost("tcp://labcheck-node.invalid:2375"),
		client.WithDialContext(func(ctx context.Context, _, _ string) (net.Conn, error) {
			return dialStdio(ctx, outer, containerID)
		}),
		client.WithAPIVersionNegotiation(),
	)
}
