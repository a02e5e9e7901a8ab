package scenarios

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/labcheck/labcheck/harness"
)

// TestVerifyBinaryOnNode does what a student on Play with Docker does: put
// the static labcheck binary on node1 and run `labcheck verify` there,
// against the node's own engine, then try it on a worker.
func TestVerifyBinaryOnNode(t *testing.T) {
	c := startCluster(t)
	bin := filepath.Join(t.TempDir(), "labcheck")
	build := exec.Command("go", "build", "-trimpath", "-o", bin, "../cmd/labcheck")
	build.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux")
	out, err := build.CombinedOutput()
	require.NoError(t, err, "static build: %s", out)
	data, err := os.ReadFile(bin)
	require.NoError(t, err)

	sh(t, c, "node1", "docker swarm init --advertise-addr $(hostname -i)")
	token := sh(t, c, "node1", "docker swarm join-token -q worker")
	addr, err := c.Addr("node1")
	require.NoError(t, err)
	for _, n := range []string{"node2", "node3"} {
		sh(t, c, n, "docker swarm join --token "+token+" "+addr+":2377")
		require.NoError(t, c.CopyFile(context.Background(), n, "/usr/local/bin/labcheck", data, 0o755))
	}
	require.NoError(t, c.CopyFile(context.Background(), "node1", "/usr/local/bin/labcheck", data, 0o755))
	settle(t, c)

	res, err := c.Shell(context.Background(), "node1", "labcheck verify --step join", harness.ExecOptions{})
	require.NoError(t, err)
	assert.Equal(t, 0, res.ExitCode, res.Output())
	assert.Contains(t, res.Stdout, "workers-joined")
	assert.Contains(t, res.Stdout, "live swarm (node1)")

	res, err = c.Shell(context.Background(), "node1", "labcheck verify --step service-create", harness.ExecOptions{})
	require.NoError(t, err)
	assert.Equal(t, 3, res.ExitCode, "the service does not exist yet: %s", res.Output())
	assert.Contains(t, res.Stdout, "sleep-app")

	res, err = c.Shell(context.Background(), "node2", "labcheck verify", harness.ExecOptions{})
	require.NoError(t, err)
	assert.Equal(t, 1, res.ExitCode, res.Output())
	assert.Contains(t, res.Output(), "run verify on a manager")
}
