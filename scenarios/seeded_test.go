package scenarios

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/client"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/labcheck/labcheck/harness"
)

// TestSeededNodeImage: the workload images are baked into a seeded node
// image once; a second cluster reuses it as it is, every node of both
// holds the images in a /var/lib/docker of its own, runs them, and forms a
// swarm of distinct nodes.
func TestSeededNodeImage(t *testing.T) {
	requireDocker(t)
	ctx := context.Background()
	cli, err := harness.OuterClient(ctx)
	require.NoError(t, err)
	defer cli.Close()

	// A lab image name of this run's own makes the seeded tag this test's
	// own, so it is built here (not found from an earlier run) and can be
	// removed at the end without touching a cached image someone else uses.
	own := "labcheck-seeded-test-" + randomHex(t) + ":latest"
	images := []string{"ubuntu", own}
	var seeded string
	t.Cleanup(func() {
		if seeded == "" {
			return
		}
		_, err := cli.ImageRemove(context.Background(), seeded, client.ImageRemoveOptions{PruneChildren: true})
		require.NoError(t, err, "removing the test's seeded image %s", seeded)
		_, err = cli.ImageInspect(context.Background(), seeded)
		assert.True(t, cerrdefs.IsNotFound(err), "seeded image %s still there: %v", seeded, err)
	})

	started := time.Now()
	c1 := startSeeded(t, harness.WithImages(images...))
	require.NotEmpty(t, c1.SeededImage, "the nodes run a seeded node image")
	seeded = c1.SeededImage
	assert.Regexp(t, `^labcheck/node-seeded:[0-9a-f]{12}$`, seeded)
	assert.Equal(t, harness.DefaultNodeImage, c1.NodeImage)
	first, err := cli.ImageInspect(ctx, seeded)
	require.NoError(t, err)
	created, err := time.Parse(time.RFC3339Nano, first.Created)
	require.NoError(t, err)
	assert.True(t, created.After(started.Add(-2*time.Second)), "built by this test (created %s, test started %s)", created, started)
	labels := first.Config.Labels
	assert.Equal(t, "node-seeded", labels[harness.LabelImage])
	assert.Equal(t, harness.DefaultNodeImage, labels[harness.LabelSeededFrom])
	assert.Contains(t, labels[harness.LabelSeededImages], "ubuntu:latest=")
	assert.Contains(t, labels[harness.LabelSeededImages], own+"=")
	assert.Contains(t, first.Config.Volumes, "/var/lib/docker", "each node still gets its own /var/lib/docker")
	assert.Equal(t, []string{"dockerd"}, first.Config.Entrypoint, "the node image's entrypoint is kept")
	assert.Contains(t, phases(c1), "seeded image ready")
	assert.Contains(t, phases(c1), "images seeded")

	daemonIDs := map[string]string{}
	for _, n := range c1.Nodes() {
		assertHoldsImages(t, c1, n, "ubuntu:latest", own)
		id := sh(t, c1, n, "docker info --format '{{.ID}}'")
		require.NotEmpty(t, id)
		daemonIDs[id] = "first cluster's " + n
	}
	assert.Len(t, daemonIDs, 3, "every node's daemon has its own identity: %v", daemonIDs)
	assert.Equal(t, "baked", sh(t, c1, "node2", "docker run --rm ubuntu echo baked"))
	assert.Equal(t, "baked too", sh(t, c1, "node3", "docker run --rm "+own+" echo baked too"))

	// A swarm of three distinct nodes: nothing of a swarm came with the image.
	formSwarm(t, c1)
	nodeIDs := map[string]string{}
	for _, n := range c1.Nodes() {
		id := sh(t, c1, n, "docker info --format '{{.Swarm.NodeID}}'")
		require.NotEmpty(t, id, "%s has a swarm node ID", n)
		nodeIDs[id] = n
	}
	assert.Len(t, nodeIDs, 3, "three distinct swarm node IDs: %v", nodeIDs)
	assert.Len(t, strings.Fields(sh(t, c1, "node1", "docker node ls -q")), 3, "the manager lists three nodes")
	require.NoError(t, c1.Close(ctx))

	// The second cluster finds the same image and does not build it again.
	c2 := startSeeded(t, harness.WithImages(images...))
	assert.Equal(t, seeded, c2.SeededImage)
	second, err := cli.ImageInspect(ctx, seeded)
	require.NoError(t, err)
	assert.Equal(t, first.ID, second.ID, "same image, not rebuilt")
	assert.Equal(t, first.Created, second.Created, "same image, not rebuilt")
	for _, n := range c2.Nodes() {
		assertHoldsImages(t, c2, n, "ubuntu:latest", own)
		// Fresh data roots: nothing of the first cluster's swarm or
		// containers, a daemon identity of its own.
		assert.Equal(t, "inactive", sh(t, c2, n, "docker info --format '{{.Swarm.LocalNodeState}}'"), n)
		assert.Empty(t, sh(t, c2, n, "docker ps -aq"), "%s has no containers", n)
		id := sh(t, c2, n, "docker info --format '{{.ID}}'")
		assert.NotContains(t, daemonIDs, id, "%s's daemon identity is new", n)
		daemonIDs[id] = "second cluster's " + n
	}
	assert.Equal(t, "again", sh(t, c2, "node1", "docker run --rm ubuntu echo again"))
	require.NoError(t, c2.Close(ctx))
	assertNothingLeft(t)
}

// TestSeededFallsBackToLoading: a node image whose seeded build cannot be
// made (no tar in it) still gives a working cluster, with the images
// loaded into each node, and the log says why.
func TestSeededFallsBackToLoading(t *testing.T) {
	requireDocker(t)
	ctx := context.Background()
	cli, err := harness.OuterClient(ctx)
	require.NoError(t, err)
	defer cli.Close()

	noTar := "labcheck/node-notar-test:" + randomHex(t)
	makeNoTarImage(t, cli, noTar)

	var mu sync.Mutex
	var logs []string
	c := startSeeded(t, harness.WithNodeImage(noTar), harness.WithImages("ubuntu"),
		harness.WithLogf(func(format string, args ...any) {
			mu.Lock()
			logs = append(logs, strings.TrimSpace(fmt.Sprintf(format, args...)))
			mu.Unlock()
			t.Logf(format, args...)
		}))
	assert.Empty(t, c.SeededImage, "no seeded image: the nodes run %s", noTar)
	mu.Lock()
	joined := strings.Join(logs, "\n")
	mu.Unlock()
	assert.Contains(t, joined, "could not bake the workload images into a node image, loading them into each node instead")
	assert.Contains(t, joined, "no tar that keeps extended attributes")
	for _, n := range c.Nodes() {
		assertHoldsImages(t, c, n, "ubuntu:latest")
	}
	assert.Equal(t, "loaded", sh(t, c, "node1", "docker run --rm ubuntu echo loaded"))
	require.NoError(t, c.Close(ctx))
	assertNothingLeft(t)
	seeded, err := cli.ImageList(ctx, client.ImageListOptions{All: true,
		Filters: client.Filters{}.Add("label", harness.LabelSeededFrom+"="+noTar)})
	require.NoError(t, err)
	assert.Empty(t, seeded.Items, "no image of the failed build is left")
}

// startSeeded starts a cluster with the test's log and closes it when the
// test ends, if the test has not.
func startSeeded(t *testing.T, opts ...harness.Option) *harness.Cluster {
	t.Helper()
	opts = append([]harness.Option{harness.WithLogf(func(format string, args ...any) { t.Logf(format, args...) })}, opts...)
	c, err := harness.Start(context.Background(), opts...)
	t.Cleanup(func() { require.NoError(t, c.Close(context.Background()), "removing the cluster") })
	require.NoError(t, err, "starting the cluster")
	return c
}

// assertHoldsImages checks that a node's daemon lists each image.
func assertHoldsImages(t *testing.T, c *harness.Cluster, node string, images ...string) {
	t.Helper()
	listed := strings.Fields(sh(t, c, node, "docker image ls --format '{{.Repository}}:{{.Tag}}'"))
	for _, im := range images {
		assert.Contains(t, listed, im, "%s lists %s", node, im)
	}
}

func phases(c *harness.Cluster) []string {
	var out []string
	for _, tm := range c.Timings {
		out = append(out, tm.Phase)
	}
	return out
}

// makeNoTarImage commits labcheck's node image without tar as ref, a
// stand-in for a user's --node-image that lacks it, and removes it when
// the test ends.
func makeNoTarImage(t *testing.T, cli *client.Client, ref string) {
	t.Helper()
	ctx := context.Background()
	host, _ := os.Hostname()
	created, err := cli.ContainerCreate(ctx, client.ContainerCreateOptions{
		Config: &container.Config{
			Image:      harness.DefaultNodeImage,
			Entrypoint: []string{"rm", "-f", "/usr/bin/tar"},
			Labels: map[string]string{
				harness.LabelCluster:   "notar-" + randomHex(t),
				harness.LabelOwnerHost: host,
				harness.LabelOwnerPID:  strconv.Itoa(os.Getpid()),
			},
		},
	})
	require.NoError(t, err)
	defer func() {
		_, err := cli.ContainerRemove(ctx, created.ID, client.ContainerRemoveOptions{Force: true, RemoveVolumes: true})
		require.NoError(t, err)
	}()
	_, err = cli.ContainerStart(ctx, created.ID, client.ContainerStartOptions{})
	require.NoError(t, err)
	wait := cli.ContainerWait(ctx, created.ID, client.ContainerWaitOptions{Condition: container.WaitConditionNotRunning})
	select {
	case res := <-wait.Result:
		require.Equal(t, int64(0), res.StatusCode, "rm /usr/bin/tar")
	case err := <-wait.Error:
		require.NoError(t, err)
	}
	// Labelled as a user's image, not labcheck's node image: nothing of
	// labcheck's caches for its own node image (its /usr volume) is made
	// for it.
	_, err = cli.ContainerCommit(ctx, created.ID, client.ContainerCommitOptions{Reference: ref, Changes: []string{
		`ENTRYPOINT ["dockerd"]`, `LABEL ` + harness.LabelImage + `=test-user-node`,
	}})
	require.NoError(t, err)
	t.Cleanup(func() {
		_, err := cli.ImageRemove(context.Background(), ref, client.ImageRemoveOptions{PruneChildren: true})
		require.NoError(t, err, "removing %s", ref)
	})
}

func randomHex(t *testing.T) string {
	var b [4]byte
	_, err := rand.Read(b[:])
	require.NoError(t, err)
	return hex.EncodeToString(b[:])
}
