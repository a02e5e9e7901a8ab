package harness

import (
	"archive/tar"
	"bytes"
	"context"
	"fmt"
	"path"
	"strings"
	"time"

	"github.com/moby/moby/client"
)

// CopyFile writes data to path inside a node (as a student downloading a
// file on their node would), with the given mode. The engine's archive
// API writes only to a node's own root file system, not into its tmpfs
// mounts (/usr/local/bin on the shared read-only /usr, see usrvolume.go),
// so the file goes to /tmp first and is moved into place inside the node.
func (c *Cluster) CopyFile(ctx context.Context, node, dst string, data []byte, mode int64) error {
	n, err := c.node(node)
	if err != nil {
		return err
	}
	staged := ".labcheck-copy-" + newID()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	hdr := &tar.Header{Typeflag: tar.TypeReg, Name: staged, Mode: mode, Size: int64(len(data)), ModTime: time.Now()}
	if err := tw.WriteHeader(hdr); err != nil {
		return err
	}
	if _, err := tw.Write(data); err != nil {
		return err
	}
	if err := tw.Close(); err != nil {
		return err
	}
	if _, err := c.outer.CopyToContainer(ctx, n.containerID, client.CopyToContainerOptions{DestinationPath: "/tmp", Content: &buf}); err != nil {
		return fmt.Errorf("copy %s to %s: %w", dst, node, err)
	}
	res, err := c.Exec(ctx, node, []string{"mv", "-f", path.Join("/tmp", staged), dst}, ExecOptions{})
	if err != nil {
		return fmt.Errorf("copy %s to %s: %w", dst, node, err)
	}
	if res.ExitCode != 0 {
		return fmt.Errorf("copy %s to %s: mv exited %d: %s", dst, node, res.ExitCode, strings.TrimSpace(res.Output()))
	}
	return nil
}
