package harness

import (
	"archive/tar"
	"bytes"
	"context"
	"fmt"
	"path"
	"time"

	"github.com/moby/moby/client"
)

// CopyFile writes data to path inside a node (as a student downloading a
// file on their node would), with the given mode.
func (c *Cluster) CopyFile(ctx context.Context, node, dst string, data []byte, mode int64) error {
	n, err := c.node(node)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	hdr := &tar.Header{Typeflag: tar.TypeReg, Name: path.Base(dst), Mode: mode, Size: int64(len(data)), ModTime: time.Now()}
	if err := tw.WriteHeader(hdr); err != nil {
		return err
	}
	if _, err := tw.Write(data); err != nil {
		return err
	}
	if err := tw.Close(); err != nil {
		return err
	}
	if _, err := c.outer.CopyToContainer(ctx, n.containerID, client.CopyToContainerOptions{DestinationPath: path.Dir(dst), Content: &buf}); err != nil {
		return fmt.Errorf("copy %s to %s: %w", dst, node, err)
	}
	return nil
}
