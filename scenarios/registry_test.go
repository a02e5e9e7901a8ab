package scenarios

import (
	"context"
	"encoding/base64"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/moby/moby/client"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/labcheck/labcheck/harness"
)

const (
	// registryStartTimeout bounds a local docker-registry coming up.
	registryStartTimeout = 15 * time.Second
	// registryRunTimeout bounds the whole `labcheck run`: pull, a three-node
	// lab and its teardown (about 30 s here).
	registryRunTimeout = 5 * time.Minute
)

// TestNodeImageFromRegistry does what users running labcheck next to
// docker:dind do: name a node image that lives in a registry with
// --node-image, so the CLI must pull it before it can start a node. The
// registry is Debian's docker-registry on 127.0.0.1, which the engine
// reaches over plain HTTP.
func TestNodeImageFromRegistry(t *testing.T) {
	requireDocker(t)
	ctx := context.Background()
	cli, err := harness.OuterClient(ctx)
	require.NoError(t, err)
	defer cli.Close()
	require.NoError(t, harness.NewBuilder(cli, t.Logf).EnsureNodeImage(ctx, harness.DefaultNodeImage))

	addr := startRegistry(t)
	ref := addr + "/labcheck/node:test"
	_, err = cli.ImageTag(ctx, client.ImageTagOptions{Source: harness.DefaultNodeImage, Target: ref})
	require.NoError(t, err)
	t.Cleanup(func() { removeTag(t, cli, ref) })
	// Engine 20.10 refuses a push without an X-Registry-Auth header; the
	// local registry needs no credentials, so an empty auth config.
	noAuth := base64.URLEncoding.EncodeToString([]byte("{}"))
	push, err := cli.ImagePush(ctx, ref, client.ImagePushOptions{RegistryAuth: noAuth})
	require.NoError(t, err, "push %s", ref)
	require.NoError(t, push.Wait(ctx), "push %s", ref)
	// Only the registry has it now: labcheck must take the pull path.
	removeTag(t, cli, ref)
	_, err = cli.ImageInspect(ctx, ref)
	require.True(t, cerrdefs.IsNotFound(err), "%s still on the host engine after removing it: %v", ref, err)

	// A tag the registry lacks fails in the registry's words, with labcheck's hint.
	missing := addr + "/labcheck/node:missing"
	err = harness.NewBuilder(cli, t.Logf).EnsureNodeImage(ctx, missing)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "node image "+missing+": not on the host engine and the pull failed")
	assert.Contains(t, err.Error(), "manifest unknown")

	bin := filepath.Join(t.TempDir(), "labcheck")
	out, err := exec.Command("go", "build", "-o", bin, "../cmd/labcheck").CombinedOutput()
	require.NoError(t, err, "go build: %s", out)
	runCtx, cancel := context.WithTimeout(ctx, registryRunTimeout)
	defer cancel()
	run := exec.CommandContext(runCtx, bin, "run", "--node-image", ref)
	var stdout, stderr strings.Builder
	run.Stdout, run.Stderr = &stdout, &stderr
	start := time.Now()
	err = run.Run()
	t.Logf("labcheck run --node-image %s: %s\n%s", ref, time.Since(start).Round(time.Second), stderr.String())
	require.NoError(t, err, "labcheck run --node-image %s\nstdout:\n%s", ref, stdout.String())
	assert.Contains(t, stdout.String(), "100/100")
	assert.Contains(t, stderr.String(), "node image "+ref+" not on the host engine: pulling it")

	pulled, err := cli.ImageInspect(ctx, ref)
	require.NoError(t, err, "the pulled node image on the host engine")
	built, err := cli.ImageInspect(ctx, harness.DefaultNodeImage)
	require.NoError(t, err)
	assert.Equal(t, built.ID, pulled.ID, "the nodes ran the image pushed, by its ID")
}

// startRegistry runs Debian's docker-registry on a free loopback port with
// its storage in a temporary directory, until the test ends, and returns
// its host:port. Without the binary the test is skipped, except under
// CI=true, where .ci/run installs it.
func startRegistry(t *testing.T) string {
	t.Helper()
	bin, err := exec.LookPath("docker-registry")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI=true and no docker-registry: install Debian's docker-registry package (apt-get install docker-registry): %v", err)
		}
		t.Skipf("no docker-registry (Debian package docker-registry): %v", err)
	}
	addr := freeLoopbackAddr(t)
	dir := t.TempDir()
	config := filepath.Join(dir, "config.yml")
	require.NoError(t, os.WriteFile(config, []byte(fmt.Sprintf(`version: 0.1
log:
  level: warn
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: %s
http:
  addr: %s
`, filepath.Join(dir, "data"), addr)), 0o644))
	logPath := filepath.Join(dir, "registry.log")
	logFile, err := os.Create(logPath)
	require.NoError(t, err)
	defer logFile.Close()

	cmd := exec.Command(bin, "serve", config)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	require.NoError(t, cmd.Start(), "start docker-registry")
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-exited
	})

	httpc := &http.Client{Timeout: time.Second}
	err = harness.Wait(context.Background(), "docker-registry on "+addr+" answering", registryStartTimeout, harness.PollDelay,
		func(ctx context.Context) harness.Poll {
			select {
			case err := <-exited:
				exited <- err // for the cleanup
				log, _ := os.ReadFile(logPath)
				return harness.Failed(fmt.Errorf("docker-registry exited: %v\n%s", err, log))
			default:
			}
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+addr+"/v2/", nil)
			if err != nil {
				return harness.Failed(err)
			}
			resp, err := httpc.Do(req)
			if err != nil {
				return harness.Continue("GET /v2/: %v", err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				return harness.Continue("GET /v2/: %s", resp.Status)
			}
			return harness.Done()
		})
	require.NoError(t, err)
	return addr
}

// freeLoopbackAddr returns a 127.0.0.1 port nothing listens on. The engine
// allows plain HTTP to registries on 127.0.0.0/8 only, so it must be there.
func freeLoopbackAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	port := l.Addr().(*net.TCPAddr).Port
	require.NoError(t, l.Close())
	return net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
}

// removeTag untags ref on the host engine; a tag already gone is fine.
func removeTag(t *testing.T, cli *client.Client, ref string) {
	t.Helper()
	_, err := cli.ImageRemove(context.Background(), ref, client.ImageRemoveOptions{})
	if err != nil && !cerrdefs.IsNotFound(err) {
		t.Errorf("remove %s: %v", ref, err)
	}
}
