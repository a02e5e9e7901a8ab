package harness

import (
	"archive/tar"
	"bytes"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/moby/moby/client"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNormalizeImage(t *testing.T) {
	const digest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	for _, tt := range []struct {
		name, in, want, wantErr string
	}{
		{name: "bare name gets latest", in: "ubuntu", want: "ubuntu:latest"},
		{name: "tag kept", in: "ubuntu:22.04", want: "ubuntu:22.04"},
		{name: "docker hub spelled out", in: "docker.io/library/ubuntu", want: "ubuntu:latest"},
		{name: "library namespace", in: "library/ubuntu:24.04", want: "ubuntu:24.04"},
		{name: "hub user image", in: "docker.io/labcheck/node:bookworm-1", want: "labcheck/node:bookworm-1"},
		{name: "default node image", in: DefaultNodeImage, want: DefaultNodeImage},
		{name: "registry with port, no tag", in: "localhost:5000/app", want: "localhost:5000/app:latest"},
		{name: "loopback registry", in: "127.0.0.1:5000/labcheck/node:x", want: "127.0.0.1:5000/labcheck/node:x"},
		{name: "registry port is not a tag", in: "127.0.0.1:5000/labcheck/node", want: "127.0.0.1:5000/labcheck/node:latest"},
		{name: "digest kept, no tag added", in: "alpine@" + digest, want: "alpine@" + digest},
		{name: "tag and digest", in: "alpine:3.19@" + digest, want: "alpine:3.19@" + digest},
		{name: "upper case", in: "Ubuntu", wantErr: `image reference "Ubuntu": invalid reference format: repository name (library/Ubuntu) must be lowercase`},
		{name: "empty tag", in: "ubuntu:", wantErr: `image reference "ubuntu:": invalid reference format`},
		{name: "empty", in: "", wantErr: `image reference "": invalid reference format`},
		{name: "short digest", in: "alpine@sha256:abc", wantErr: `image reference "alpine@sha256:abc": invalid reference format`},
		{name: "space", in: "ubuntu latest", wantErr: `image reference "ubuntu latest": invalid reference format`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := NormalizeImage(tt.in)
			if tt.wantErr != "" {
				assert.EqualError(t, err, tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

// A bad reference is refused before labcheck asks the engine anything, with
// the reference the user typed in the message.
func TestBadReferenceNamed(t *testing.T) {
	b := NewBuilder(nil, nil)
	err := b.EnsureNodeImage(context.Background(), "127.0.0.1:5000/Labcheck/node:x")
	assert.EqualError(t, err, `node image: image reference "127.0.0.1:5000/Labcheck/node:x": invalid reference format: repository name (Labcheck/node) must be lowercase`)
	_, err = b.EnsureWorkloadImages(context.Background(), []string{"ubuntu:"})
	assert.EqualError(t, err, `image reference "ubuntu:": invalid reference format`)
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

// TestBuildNodeImageAtomic runs the node image build with a stand-in for
// mmdebstrap that writes part of a root file system and then fails or is
// cancelled, against the real host engine: the tag users run must appear
// only after a whole build, and the temporary tag must never stay behind.
func TestBuildNodeImageAtomic(t *testing.T) {
	cli := hostEngine(t)
	full, partial := rootfsTars(t)
	for _, tt := range []struct {
		name string
		// script is run by sh with the tar file as $0 and fd 3 open for
		// telling the test it has written what it will write.
		script  string
		tar     string
		cancel  bool
		wantErr string
		tagged  bool
	}{
		{name: "complete", script: `cat "$0"`, tar: full, tagged: true},
		{name: "producer fails after part of the tar", script: `cat "$0"; echo "E: cannot reach the mirror" >&2; exit 1`, tar: partial,
			wantErr: "mmdebstrap failed: exit status 1\nE: cannot reach the mirror"},
		{name: "cancelled halfway", script: `cat "$0"; echo written >&3; exec sleep 600`, tar: partial, cancel: true,
			wantErr: "nothing tagged: context canceled"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			// Unique per run: two test processes on one engine must not
			// remove each other's images.
			tmp, err := buildTag()
			require.NoError(t, err)
			ref := "labcheck/node-atomic-test:" + strings.TrimPrefix(tmp, nodeBuildRepo+":")
			b := NewBuilder(cli, t.Logf)
			t.Cleanup(func() { require.NoError(t, b.removeImage(context.Background(), ref)) })
			ready, written, err := os.Pipe()
			require.NoError(t, err)
			defer ready.Close()
			defer written.Close()
			b.rootfs = func(ctx context.Context) *exec.Cmd {
				cmd := exec.CommandContext(ctx, "sh", "-c", tt.script, tt.tar)
				cmd.ExtraFiles = []*os.File{written}
				return cmd
			}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			if tt.cancel {
				go func() {
					// The producer has written its part when it says so;
					// closing our end first lets the read end at its exit.
					_, _ = io.ReadAll(io.LimitReader(ready, int64(len("written\n"))))
					cancel()
				}()
			}
			err = b.buildNodeImage(ctx, ref)
			_ = written.Close()
			if tt.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.wantErr)
			} else {
				require.NoError(t, err)
			}

			_, tagged, err := b.hasImage(context.Background(), ref)
			require.NoError(t, err)
			assert.Equal(t, tt.tagged, tagged, "image under the final tag %s", ref)
			imgs, err := cli.ImageList(context.Background(), client.ImageListOptions{
				All: true, Filters: client.Filters{}.Add("label", LabelBuildOf+"="+ref),
			})
			require.NoError(t, err)
			var tags [][]string
			for _, im := range imgs.Items {
				tags = append(tags, im.RepoTags)
			}
			if tt.tagged {
				assert.Equal(t, [][]string{{ref}}, tags, "one image, under the final tag only")
			} else {
				assert.Empty(t, tags, "images of the failed build left on the engine")
			}
		})
	}
}

// hostEngine returns a client of the host engine. Without one the test is
// skipped, except under CI=true, where it must run.
func hostEngine(t *testing.T) *client.Client {
	t.Helper()
	cli, err := OuterClient(context.Background())
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI=true and no Docker engine: this test must run here: %v", err)
		}
		t.Skipf("no Docker engine: %v", err)
	}
	t.Cleanup(func() { _ = cli.Close() })
	return cli
}

// rootfsTars writes a tiny root file system as a whole tar and as the part
// of it a producer killed mid-way has written: whole entries, no end of
// archive, which the engine's import accepts as it stands.
func rootfsTars(t *testing.T) (full, partial string) {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for i, name := range []string{"etc/hostname", "etc/os-release"} {
		data := bytes.Repeat([]byte{'a' + byte(i)}, 700)
		require.NoError(t, tw.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: name, Mode: 0o644, Size: int64(len(data))}))
		_, err := tw.Write(data)
		require.NoError(t, err)
		if i == 0 {
			require.NoError(t, tw.Flush())
			partial = filepath.Join(t.TempDir(), "partial.tar")
			require.NoError(t, os.WriteFile(partial, buf.Bytes(), 0o644))
		}
	}
	require.NoError(t, tw.Close())
	full = filepath.Join(t.TempDir(), "full.tar")
	require.NoError(t, os.WriteFile(full, buf.Bytes(), 0o644))
	return full, partial
}
