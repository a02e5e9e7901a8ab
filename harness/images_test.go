package harness

import (
	"archive/tar"
	"bytes"
	"io"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNormalizeImage(t *testing.T) {
	for in, want := range map[string]string{
		"ubuntu":                   "ubuntu:latest",
		"ubuntu:22.04":             "ubuntu:22.04",
		"localhost:5000/app":       "localhost:5000/app:latest",
		"alpine@sha256:abc":        "alpine@sha256:abc",
		"docker.io/library/ubuntu": "docker.io/library/ubuntu:latest",
	} {
		assert.Equal(t, want, NormalizeImage(in), in)
	}
}

func TestStandInRootfs(t *testing.T) {
	dir := t.TempDir()
	bb, tini := dir+"/busybox", dir+"/tini"
	require.NoError(t, os.WriteFile(bb, []byte("BUSYBOX"), 0o755))
	require.NoError(t, os.WriteFile(tini, []byte("TINI"), 0o755))
	layer, err := standInRootfs(bb, tini)
	require.NoError(t, err)
	files := map[string]*tar.Header{}
	tr := tar.NewReader(bytes.NewReader(layer))
	var sleep []byte
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		require.NoError(t, err)
		files[h.Name] = h
		if h.Name == "bin/sleep" {
			sleep, _ = io.ReadAll(tr)
		}
	}
	assert.Equal(t, "busybox", files["bin/sh"].Linkname)
	assert.Contains(t, files, "sbin/tini")
	assert.Contains(t, files, "bin/bash")
	// sleep as PID 1 runs under tini, so SIGTERM stops a task at once.
	assert.Contains(t, string(sleep), "exec /sbin/tini -s -- /bin/busybox sleep")
}

func TestCappedBuffer(t *testing.T) {
	b := &cappedBuffer{limit: 5}
	n, err := b.Write([]byte("abc"))
	require.NoError(t, err)
	assert.Equal(t, 3, n)
	n, _ = b.Write([]byte("defgh"))
	assert.Equal(t, 5, n, "reports everything written so the stream keeps flowing")
	assert.Equal(t, "abcde", b.String())
	assert.True(t, b.truncated)
}

func TestIsStale(t *testing.T) {
	host, _ := os.Hostname()
	self := ownerLabels("x")
	stale, _ := isStale(self)
	assert.False(t, stale, "this process owns it")

	gone := map[string]string{LabelOwnerHost: host, LabelOwnerPID: "999999999", LabelOwnerStart: "1"}
	stale, why := isStale(gone)
	assert.True(t, stale, why)

	elsewhere := map[string]string{LabelOwnerHost: "another-host", LabelOwnerPID: "1"}
	stale, _ = isStale(elsewhere)
	assert.False(t, stale, "clusters of other hosts are never swept from here")

	reused := map[string]string{LabelOwnerHost: host, LabelOwnerPID: "1", LabelOwnerStart: "not-the-start-time"}
	stale, _ = isStale(reused)
	assert.True(t, stale, "a reused pid with another start time is not the owner")
}
