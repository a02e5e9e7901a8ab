// Package harness starts real Docker Swarm clusters for labcheck: one
// Docker-in-Docker container per node on a private network, each inner
// daemon reached through the outer engine, so labs and students' commands
// run against a real swarm and checks read its real state.
package harness

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"sync"
	"time"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/client"
	"github.com/testcontainers/testcontainers-go"
	tclog "github.com/testcontainers/testcontainers-go/log"
	tcnetwork "github.com/testcontainers/testcontainers-go/network"
	"golang.org/x/sync/errgroup"
)

// Options configure a cluster. The zero value is completed by defaults.
type Options struct {
	// Nodes are the node names, used as hostnames; the lab's names.
	Nodes []string
	// NodeImage is the dind image of every node.
	NodeImage string
	// Images are the workload images the lab needs inside the nodes.
	Images []string
	// Security forces a mode; empty means detect.
	Security SecurityMode
	// NodeMemory and NodePids bound each node container, so nothing run
	// inside a node can starve the host.
	NodeMemory int64
	NodePids   int64
	// InnerMemory, InnerPids and InnerCPUs bound all lab containers of a
	// node together, below the node's own limits, so that a fork bomb or a
	// memory hog leaves the node's dockerd room to work. Zero derives them
	// from the node limits (3/4 of the memory, half the processes, 1 CPU).
	InnerMemory int64
	InnerPids   int64
	InnerCPUs   float64
	// Logf receives progress lines; nil discards them.
	Logf func(format string, args ...any)
}

// Option changes Options.
type Option func(*Options)

// WithNodes names the cluster's nodes.
func WithNodes(names ...string) Option { return func(o *Options) { o.Nodes = names } }

// WithNodeImage names the dind image for the nodes.
func WithNodeImage(ref string) Option { return func(o *Options) { o.NodeImage = ref } }

// WithImages names the workload images to seed into every node.
func WithImages(refs ...string) Option { return func(o *Options) { o.Images = refs } }

// WithSecurityMode forces privileged or capability mode.
func WithSecurityMode(m SecurityMode) Option { return func(o *Options) { o.Security = m } }

// WithLimits bounds each node's memory (bytes) and number of processes.
func WithLimits(memory, pids int64) Option {
	return func(o *Options) { o.NodeMemory, o.NodePids = memory, pids }
}

// WithLogf receives progress lines.
func WithLogf(logf func(string, ...any)) Option { return func(o *Options) { o.Logf = logf } }

func defaultOptions() Options {
	return Options{
		Nodes:      []string{"node1", "node2", "node3"},
		NodeImage:  DefaultNodeImage,
		NodeMemory: 2 << 30,
		NodePids:   4096,
	}
}

// Cluster is a running set of dind nodes on one private network.
type Cluster struct {
	ID       string
	Security SecurityMode
	// NodeImage is the node image the cluster was asked for.
	NodeImage string
	// SeededImage is the node image with the workload images baked in
	// that the nodes run (labcheck/node-seeded:<hash>); empty when the
	// nodes run NodeImage and the images were loaded into each node.
	SeededImage string
	// UsrVolume is the volume holding the node image's /usr that every
	// node mounts read-only (see usrvolume.go); empty when they do not.
	UsrVolume string
	Images    []WorkloadImage
	// HostEngine and NodeEngine are the outer and inner engine versions.
	HostEngine, NodeEngine string
	// Timings records how long each start phase took.
	Timings []Timing

	opts Options
	// runImage is the image node containers are created from.
	runImage string
	outer    *client.Client
	network  *testcontainers.DockerNetwork
	nodes    []*node
	labels   map[string]string

	mu      sync.Mutex
	cleanup []func(context.Context) error
	closed  bool

	// watch follows the nodes' events for WaitState (see events.go).
	watchOnce sync.Once
	watch     *changes
	lastWait  WaitStats
	// manager is 1 + the index of the node the last look read the swarm
	// from; 0 for none yet.
	manager int
}

// Timing is the duration of one named phase.
type Timing struct {
	Phase    string        `json:"phase"`
	Duration time.Duration `json:"duration"`
}

type node struct {
	name        string
	containerID string
	inner       *client.Client
	addr        string
}

// Start creates a cluster and waits until every inner daemon answers and
// holds the lab's images. On error it returns the partial cluster too:
// callers Close it either way.
func Start(ctx context.Context, opt ...Option) (*Cluster, error) {
	o := defaultOptions()
	for _, f := range opt {
		f(&o)
	}
	if o.Logf == nil {
		o.Logf = func(string, ...any) {}
	}
	if o.InnerMemory == 0 {
		o.InnerMemory = o.NodeMemory / 4 * 3
	}
	if o.InnerPids == 0 {
		o.InnerPids = o.NodePids / 2
	}
	if o.InnerCPUs == 0 {
		o.InnerCPUs = 1
	}
	c := &Cluster{ID: newID(), opts: o, NodeImage: o.NodeImage, runImage: o.NodeImage}
	c.labels = ownerLabels(c.ID)

	phase := time.Now()
	outer, err := OuterClient(ctx)
	if err != nil {
		return c, err
	}
	c.outer = outer
	c.addCleanup(func(context.Context) error { return outer.Close() })
	if v, err := outer.ServerVersion(ctx, client.ServerVersionOptions{}); err == nil {
		c.HostEngine = v.Version
	} else {
		o.Logf("warning: host engine version unknown: %v", err)
	}
	if err := sweepStaleOnce(ctx, outer, o.Logf); err != nil {
		o.Logf("warning: sweeping stale clusters: %v", err)
	}

	// The cluster's network is made while the images are looked for: it
	// needs nothing of them, and the host engine takes a while to set up a
	// bridge. Every return below waits for it, so that it is removed too.
	netReady := c.createNetwork(ctx)

	b := NewBuilder(outer, o.Logf)
	if err := b.EnsureNodeImage(ctx, o.NodeImage); err != nil {
		return c, errors.Join(err, netReady())
	}
	if c.UsrVolume, err = b.EnsureUsrVolume(ctx, o.NodeImage); err != nil {
		// Slower without it, and as good.
		o.Logf("warning: nodes read their binaries from their own root file system: %v", err)
		c.UsrVolume = ""
	}
	c.Images, err = b.EnsureWorkloadImages(ctx, o.Images)
	if err != nil {
		return c, errors.Join(err, netReady())
	}
	c.Security = o.Security
	if c.Security == "" {
		if c.Security, err = DetectSecurityMode(ctx, outer, o.NodeImage, c.labels); err != nil {
			return c, errors.Join(err, netReady())
		}
	}
	c.mark("images ready", &phase)
	if len(c.Images) > 0 {
		c.bakeImages(ctx, b)
		if err := ctx.Err(); err != nil {
			return c, errors.Join(err, netReady())
		}
		c.mark("seeded image ready", &phase)
	}

	if err := netReady(); err != nil {
		return c, err
	}

	if err := c.startNodes(ctx, c.runNode); err != nil {
		return c, err
	}
	c.mark("nodes started", &phase)
	if err := c.waitDaemons(ctx); err != nil {
		return c, err
	}
	c.mark("inner daemons up", &phase)
	if c.SeededImage != "" {
		err = c.checkSeeded(ctx)
	} else {
		err = c.seedImages(ctx)
	}
	if err != nil {
		return c, err
	}
	c.mark("images seeded", &phase)
	return c, nil
}

// bakeImages finds or builds the seeded node image for the cluster's
// workload images and has the nodes run it. When that cannot be done (a
// --node-image without tar, an engine whose layers cannot carry an
// image's whiteouts), it says why and leaves the nodes on the node image,
// with the images loaded into each node after start: slower, and as good.
func (c *Cluster) bakeImages(ctx context.Context, b *Builder) {
	s, err := b.EnsureSeededImage(ctx, c.opts.NodeImage, c.Images, c.Security)
	if err != nil {
		if ctx.Err() == nil {
			c.opts.Logf("warning: could not bake the workload images into a node image, loading them into each node instead: %v", err)
		}
		return
	}
	if s.Built {
		c.opts.Logf("built seeded node image %s in %s", s.Ref, s.BuildTime.Round(time.Millisecond))
	}
	c.SeededImage, c.runImage = s.Ref, s.Ref
}

// checkSeeded makes sure every node's daemon has every workload image
// from the seeded node image, so a broken seed is reported here, naming
// the node and the image, rather than as a task that never starts.
func (c *Cluster) checkSeeded(ctx context.Context) error {
	g, gctx := errgroup.WithContext(ctx)
	for _, n := range c.nodes {
		g.Go(func() error {
			for _, im := range c.Images {
				if _, err := n.inner.ImageInspect(gctx, im.Name); err != nil {
					return fmt.Errorf("%s has no image %s from the seeded node image %s: %w", n.name, im.Name, c.SeededImage, err)
				}
			}
			return nil
		})
	}
	return g.Wait()
}

// createNetwork starts creating the cluster's network and returns the
// wait for it, which registers its removal and says why it failed.
func (c *Cluster) createNetwork(ctx context.Context) func() error {
	done := make(chan struct{})
	var err error
	go func() {
		defer close(done)
		var net *testcontainers.DockerNetwork
		net, err = tcnetwork.New(ctx, tcnetwork.WithLabels(c.labels))
		if net != nil {
			c.network = net
			c.addCleanup(func(ctx context.Context) error { return ignoreNotFound(net.Remove(ctx)) })
		}
	}()
	return func() error {
		<-done
		if err != nil {
			return fmt.Errorf("create network: %w", err)
		}
		return nil
	}
}

func (c *Cluster) mark(phase string, since *time.Time) {
	d := time.Since(*since)
	c.Timings = append(c.Timings, Timing{Phase: phase, Duration: d})
	c.opts.Logf("%s (%s)", phase, d.Round(time.Millisecond))
	*since = time.Now()
}

var disableReaper sync.Once

// OuterClient connects to the host engine the way testcontainers does
// (DOCKER_HOST, docker contexts, the default socket). Ryuk, testcontainers'
// reaper, is an image that cannot be pulled offline, so it is turned off:
// labcheck removes what it creates itself.
func OuterClient(ctx context.Context) (*client.Client, error) {
	disableReaper.Do(func() {
		if os.Getenv("TESTCONTAINERS_RYUK_DISABLED") == "" {
			_ = os.Setenv("TESTCONTAINERS_RYUK_DISABLED", "true")
		}
		tclog.SetDefault(tclog.NewNoopLogger())
	})
	dc, err := testcontainers.NewDockerClientWithOpts(ctx)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNoEngine, err)
	}
	if _, err := dc.Ping(ctx, client.PingOptions{}); err != nil {
		dc.Close()
		return nil, fmt.Errorf("%w: %v", ErrNoEngine, err)
	}
	return dc.Client, nil
}

// ErrNoEngine says the host's Docker engine could not be reached.
var ErrNoEngine = errors.New("no Docker engine reachable (labcheck needs one: start it, e.g. `sudo systemctl start docker`, or set DOCKER_HOST)")

// nodeRunner starts one node container and returns its ID. On error the
// ID is still that of any container it created, so that it is removed.
type nodeRunner func(ctx context.Context, name string) (string, error)

// startNodes starts every node at once; the first failure stops the
// others, since a cluster missing a node is of no use to a lab.
func (c *Cluster) startNodes(ctx context.Context, run nodeRunner) error {
	c.nodes = make([]*node, len(c.opts.Nodes))
	g, gctx := errgroup.WithContext(ctx)
	for i, name := range c.opts.Nodes {
		g.Go(func() error {
			id, err := run(gctx, name)
			if id != "" {
				c.nodes[i] = &node{name: name, containerID: id}
			}
			if err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
			return nil
		})
	}
	err := g.Wait()
	// Register removal after all returned, so Close removes the nodes, the
	// partial ones too, before the network: all at once, since nothing of
	// one node waits on another's.
	var ids []string
	for _, n := range c.nodes {
		if n != nil {
			ids = append(ids, n.containerID)
		}
	}
	c.addCleanup(func(ctx context.Context) error { return removeContainers(ctx, c.outer, ids) })
	if err != nil {
		return fmt.Errorf("start nodes (%s mode): %w\n  %s", c.Security, err, securityHint(c.Security))
	}
	for _, n := range c.nodes {
		insp, err := c.outer.ContainerInspect(ctx, n.containerID, client.ContainerInspectOptions{})
		if err != nil {
			return fmt.Errorf("inspect %s: %w", n.name, err)
		}
		if ep, ok := insp.Container.NetworkSettings.Networks[c.network.Name]; ok && ep.IPAddress.IsValid() {
			n.addr = ep.IPAddress.String()
		}
		inner, err := innerClient(c.outer, n.containerID)
		if err != nil {
			return fmt.Errorf("client for %s: %w", n.name, err)
		}
		n.inner = inner
	}
	return nil
}

func (c *Cluster) runNode(ctx context.Context, name string) (string, error) {
	labels := map[string]string{LabelNode: name}
	for k, v := range c.labels {
		labels[k] = v
	}
	ctr, err := testcontainers.Run(ctx, c.runImage,
		testcontainers.WithName("labcheck-"+c.ID+"-"+name),
		testcontainers.WithLabels(labels),
		tcnetwork.WithNetwork([]string{name}, c.network),
		testcontainers.WithEntrypoint("sh", "-c", nodeEntrypoint, "labcheck-node-entrypoint"),
		testcontainers.WithCmd("--host=unix:///var/run/docker.sock", "--log-level=error"),
		testcontainers.WithTmpfs(nodeTmpfs(c.UsrVolume)),
		testcontainers.WithEnv(nodeEnv(c.opts, c.UsrVolume)),
		testcontainers.WithConfigModifier(func(cfg *container.Config) {
			cfg.Hostname = name
		}),
		testcontainers.WithHostConfigModifier(func(hc *container.HostConfig) {
			applySecurity(hc, c.Security)
			// Nothing of a node is published: inner daemons are reached
			// through dial-stdio (docker:dind exposes 2375/2376).
			hc.PublishAllPorts = false
			hc.PortBindings = nil
			if c.UsrVolume != "" {
				hc.Mounts = append(hc.Mounts, usrMount(c.UsrVolume))
			}
			hc.Memory = c.opts.NodeMemory
			hc.MemorySwap = c.opts.NodeMemory
			if c.opts.NodePids > 0 {
				pids := c.opts.NodePids
				hc.PidsLimit = &pids
			}
		}),
	)
	if ctr == nil {
		return "", err
	}
	return ctr.GetContainerID(), err
}

// nodeTmpfs are a node's tmpfs mounts: /run, and with the shared /usr
// volume a writable /usr/local/bin.
func nodeTmpfs(usrVolume string) map[string]string {
	t := map[string]string{"/run": ""}
	if usrVolume != "" {
		t[usrLocalBin] = "rw,exec,mode=755"
	}
	return t
}

// nodeEnv is the node entrypoint's environment, which dockerd inherits.
// DOCKER_SERVICE_PREFER_OFFLINE_IMAGE=1 (as moby's own integration tests
// set it) stops the swarm executor from pulling a task's image before it
// creates the container, and the manager from pinning a new service's
// image to a registry digest: the nodes are offline and hold every lab
// image, so each attempt could only fail after a DNS round trip.
func nodeEnv(o Options, usrVolume string) map[string]string {
	env := innerLimitsEnv(o)
	env["DOCKER_SERVICE_PREFER_OFFLINE_IMAGE"] = "1"
	if usrVolume != "" {
		env[usrVolumeEnv] = usrVolume
	}
	return env
}

// waitDaemons polls every inner daemon until it answers; the first node
// that cannot come up stops the wait for the others.
func (c *Cluster) waitDaemons(ctx context.Context) error {
	versions := make([]string, len(c.nodes))
	g, gctx := errgroup.WithContext(ctx)
	for i, n := range c.nodes {
		g.Go(func() (err error) {
			versions[i], err = c.waitDaemon(gctx, n)
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	// Every node runs the same image, so one version stands for all.
	c.NodeEngine = versions[0]
	return nil
}

// waitDaemon polls a node's inner dockerd until it answers and returns its
// version.
func (c *Cluster) waitDaemon(ctx context.Context, n *node) (string, error) {
	var version string
	err := Wait(ctx, "inner dockerd on "+n.name, NodeStartTimeout, daemonPollDelay, func(ctx context.Context) Poll {
		insp, err := c.outer.ContainerInspect(ctx, n.containerID, client.ContainerInspectOptions{})
		if err != nil {
			return Failed(err)
		}
		if st := insp.Container.State; st != nil && !st.Running {
			return Failed(fmt.Errorf("node container exited (code %d): %s", st.ExitCode, c.nodeLogs(ctx, n)))
		}
		pctx, cancel := context.WithTimeout(ctx, daemonPingTimeout)
		defer cancel()
		v, err := n.inner.ServerVersion(pctx, client.ServerVersionOptions{})
		if err != nil {
			return Continue("daemon not answering yet: %v", err)
		}
		version = v.Version
		return Done()
	})
	var stopped *StoppedError
	switch {
	case errors.As(err, &stopped):
		// Stopped from outside (Ctrl-C, or a sibling node failed): the
		// node's logs and the security hint are not what went wrong.
		return "", err
	case err != nil:
		return "", fmt.Errorf("%w\n  node logs: %s\n  %s", err, c.nodeLogs(ctx, n), securityHint(c.Security))
	}
	return version, nil
}

func (c *Cluster) nodeLogs(ctx context.Context, n *node) string {
	rc, err := c.outer.ContainerLogs(ctx, n.containerID, client.ContainerLogsOptions{ShowStdout: true, ShowStderr: true, Tail: "10"})
	if err != nil {
		return "(no logs: " + err.Error() + ")"
	}
	defer rc.Close()
	var out, errb bytes.Buffer
	_, _ = stdcopyDemux(&out, &errb, rc)
	return lastLines(out.String()+errb.String(), 10)
}

// seedImages loads every workload image into every node, tagged with the
// name the lab uses: the path when the nodes do not run a seeded image.
func (c *Cluster) seedImages(ctx context.Context) error {
	if len(c.Images) == 0 {
		return nil
	}
	rc, err := saveWorkloadImages(ctx, c.outer, c.Images)
	if err != nil {
		return err
	}
	archive, err := io.ReadAll(rc)
	rc.Close()
	if err != nil {
		return fmt.Errorf("save images: %w", err)
	}
	errs := make([]error, len(c.nodes))
	var wg sync.WaitGroup
	for i, n := range c.nodes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := loadWorkloadImages(ctx, n.inner, bytes.NewReader(archive), c.Images); err != nil {
				errs[i] = fmt.Errorf("%s: %w", n.name, err)
			}
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

func (c *Cluster) addCleanup(f func(context.Context) error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.cleanup = append(c.cleanup, f)
}

// Close removes everything the cluster created, newest first: node
// containers with their volumes, then the network. It is safe to call more
// than once and on a partial cluster; what is already gone counts as done.
func (c *Cluster) Close(ctx context.Context) error {
	c.mu.Lock()
	fns := c.cleanup
	c.cleanup = nil
	c.closed = true
	c.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), CleanupTimeout)
	defer cancel()
	for _, n := range c.nodes {
		if n != nil && n.inner != nil {
			_ = n.inner.Close()
		}
	}
	var errs []error
	for i := len(fns) - 1; i >= 0; i-- {
		if err := fns[i](ctx); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// removeContainers removes the containers with their volumes at once and
// returns every failure.
func removeContainers(ctx context.Context, cli *client.Client, ids []string) error {
	errs := make([]error, len(ids))
	var wg sync.WaitGroup
	for i, id := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = removeContainer(ctx, cli, id)
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

func removeContainer(ctx context.Context, cli *client.Client, id string) error {
	_, err := cli.ContainerRemove(ctx, id, client.ContainerRemoveOptions{Force: true, RemoveVolumes: true})
	return ignoreNotFound(err)
}

// Nodes returns the node names in cluster order.
func (c *Cluster) Nodes() []string {
	out := make([]string, 0, len(c.nodes))
	for _, n := range c.nodes {
		if n != nil {
			out = append(out, n.name)
		}
	}
	return out
}

// Addr returns a node's IP address on the cluster network.
func (c *Cluster) Addr(name string) (string, error) {
	n, err := c.node(name)
	if err != nil {
		return "", err
	}
	return n.addr, nil
}

// Client returns the Docker client of a node's inner daemon.
func (c *Cluster) Client(name string) (*client.Client, error) {
	n, err := c.node(name)
	if err != nil {
		return nil, err
	}
	return n.inner, nil
}

func (c *Cluster) node(name string) (*node, error) {
	for _, n := range c.nodes {
		if n != nil && n.name == name {
			return n, nil
		}
	}
	return nil, fmt.Errorf("%w %q (cluster nodes: %v)", errUnknownNode, name, c.Nodes())
}

func newID() string {
	var b [4]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

func ownerLabels(id string) map[string]string {
	host, _ := os.Hostname()
	pid := os.Getpid()
	return map[string]string{
		LabelCluster:    id,
		LabelOwnerHost:  host,
		LabelOwnerPID:   strconv.Itoa(pid),
		LabelOwnerStart: processStart(pid),
	}
}
