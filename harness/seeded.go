package harness

import (
	"archive/tar"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/moby/moby/api/pkg/stdcopy"
	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/client"
)

// A seeded node image is the node image with a lab's workload images
// already in its /var/lib/docker. The node image declares that path a
// VOLUME, and the engine copies an image's content at a VOLUME path into
// each new anonymous volume when it creates a container: every node starts
// with the images, in a /var/lib/docker of its own, and nothing is loaded
// at start.
const (
	// seededRepo holds seeded node images, tagged by content hash.
	seededRepo = "labcheck/node-seeded"
	// seedFormat is hashed into every tag: bump it when what a seeded
	// image holds, or how it is made, changes, so old ones are not reused.
	seedFormat = "labcheck-node-seeded/1"
	// seededImageKind is the LabelImage value of a seeded node image.
	seededImageKind = "node-seeded"
)

// Labels of a seeded node image, besides LabelImage and LabelBuildOf.
const (
	// LabelSeededFrom names the node image a seeded image derives from.
	LabelSeededFrom = "io.labcheck.seeded-from"
	// LabelSeededImages lists the workload images it holds, as
	// name=host image, comma separated.
	LabelSeededImages = "io.labcheck.seeded-images"
)

// Bounds of the seeded image build. They sit here, not in timeouts.go,
// because nothing else waits on them.
const (
	// seedBuildTimeout bounds a whole seeded image build: a daemon start,
	// a load, a copy of the images' layers and a commit.
	seedBuildTimeout = 5 * time.Minute
	// seedDaemonStopTimeout bounds the build daemon's exit after SIGTERM;
	// it runs no container, so it has nothing to wait for but its files.
	seedDaemonStopTimeout = 30 * time.Second
	// seedUnmountTimeout bounds the wait for the build daemon's data root
	// to be released (its containerd exits just after it).
	seedUnmountTimeout = 10 * time.Second
)

// seedHolder is PID 1 of the build and proof containers: it only waits,
// and dockerd runs beside it, so that the daemon can be stopped and the
// data root read while the container lives.
var seedHolder = []string{"sh", "-c", `trap 'exit 0' TERM; while :; do sleep 3600 & wait $!; done`}

// Paths inside the build container.
const (
	dataRoot = "/var/lib/docker"
	// seedPidFile and seedLogFile sit on the container's /run tmpfs, so
	// they never reach the committed layer.
	seedPidFile = "/run/labcheck-seed-dockerd.pid"
	seedLogFile = "/run/labcheck-seed-dockerd.log"
)

// seedKeep is what of the build daemon's data root a seeded image keeps:
// the image store (image/: image configs, layer metadata, tags) and the
// layers themselves (overlay2/: layer directories and their short links in
// l/). Nothing else a daemon writes there is needed to know the images,
// and some of it identifies that one daemon or its state: swarm/ (node
// identity), network/ (local network ids), containers/, volumes/,
// buildkit/, containerd/ and runtimes/. The engine's own identity is
// /etc/docker/key.json, outside the data root; the build removes it.
var seedKeep = []string{"image", "overlay2"}

// seedInput is one workload image as the seeded tag sees it: the name the
// lab uses and the ID of the host image it is loaded from.
type seedInput struct {
	Name   string
	HostID string
}

// seededTag returns the seeded node image's tag for a node image and a
// set of workload images: a hash over the format version, the node
// image's ID and each workload image's lab name and host image ID, so a
// rebuilt node image, a new stand-in or a pulled ubuntu gives a new tag.
// The order the lab names its images in does not matter.
func seededTag(nodeImageID string, imgs []seedInput) string {
	return seededTagFor(seedFormat, nodeImageID, imgs)
}

func seededTagFor(format, nodeImageID string, imgs []seedInput) string {
	sorted := append([]seedInput(nil), imgs...)
	sort.Slice(sorted, func(i, j int) bool {
		if sorted[i].Name != sorted[j].Name {
			return sorted[i].Name < sorted[j].Name
		}
		return sorted[i].HostID < sorted[j].HostID
	})
	h := sha256.New()
	// Length-prefixed fields: no two input sets hash the same bytes.
	field := func(s string) { fmt.Fprintf(h, "%d:%s\n", len(s), s) }
	field(format)
	field(nodeImageID)
	for _, im := range sorted {
		field(im.Name)
		field(im.HostID)
	}
	return seededRepo + ":" + hex.EncodeToString(h.Sum(nil))[:12]
}

// SeededImage is a node image with a lab's workload images baked in.
type SeededImage struct {
	// Ref is labcheck/node-seeded:<12 hex>.
	Ref string
	// ID and Created are the engine's.
	ID, Created string
	// Built is true when this call built it, false when it was cached.
	Built bool
	// BuildTime is how long the build took (zero when cached).
	BuildTime time.Duration
}

// seedFailures holds, per seeded tag, why its build failed in this
// process: the engine or node image that could not carry it will not do
// better for the next cluster of a batch, and each try costs seconds.
var seedFailures sync.Map // tag -> error

// seedSpec is everything one seeded image build needs.
type seedSpec struct {
	tag       string
	nodeRef   string
	node      imageConfig
	imgs      []WorkloadImage
	mode      SecurityMode
	imageKeys map[string]string // labels of the image
}

// imageConfig is what a seeded image keeps of the node image's config.
type imageConfig struct {
	Entrypoint, Cmd []string
}

// EnsureSeededImage returns the seeded node image for nodeImage and the
// lab's workload images, building it when the engine does not have it.
// mode is the security mode nodes run in ("" detects it). The build runs
// under the image build lock and is tagged only once it is whole and has
// been proven to give a fresh node the images.
func (b *Builder) EnsureSeededImage(ctx context.Context, nodeImage string, imgs []WorkloadImage, mode SecurityMode) (SeededImage, error) {
	spec, err := b.seedSpec(ctx, nodeImage, imgs)
	if err != nil {
		return SeededImage{}, err
	}
	if s, ok, err := b.findSeeded(ctx, spec.tag); err != nil || ok {
		return s, err
	}
	if failed, ok := seedFailures.Load(spec.tag); ok {
		return SeededImage{}, fmt.Errorf("%w (not tried again in this process)", failed.(error))
	}
	if mode == "" {
		if mode, err = DetectSecurityMode(ctx, b.cli, nodeImage, ownerLabels(newID())); err != nil {
			return SeededImage{}, err
		}
	}
	spec.mode = mode
	var out SeededImage
	err = withBuildLock(func() error {
		s, ok, err := b.findSeeded(ctx, spec.tag)
		if err != nil || ok {
			out = s // built by another process while we waited
			return err
		}
		if failed, ok := seedFailures.Load(spec.tag); ok {
			// Failed in another cluster of this process while we waited.
			return fmt.Errorf("%w (not tried again in this process)", failed.(error))
		}
		start := time.Now()
		if err := b.buildSeeded(ctx, spec); err != nil {
			if ctx.Err() == nil {
				seedFailures.Store(spec.tag, err)
			}
			return err
		}
		s, ok, err = b.findSeeded(ctx, spec.tag)
		if err == nil && !ok {
			err = fmt.Errorf("seeded image %s: tagged, then not found", spec.tag)
		}
		s.Built, s.BuildTime = true, time.Since(start)
		out = s
		return err
	})
	return out, err
}

func (b *Builder) seedSpec(ctx context.Context, nodeImage string, imgs []WorkloadImage) (seedSpec, error) {
	if len(imgs) == 0 {
		return seedSpec{}, errors.New("seeded node image: no workload images to bake in")
	}
	nodeRef, err := NormalizeImage(nodeImage)
	if err != nil {
		return seedSpec{}, fmt.Errorf("node image: %w", err)
	}
	node, err := b.cli.ImageInspect(ctx, nodeRef)
	if err != nil {
		return seedSpec{}, fmt.Errorf("inspect node image %s: %w", nodeRef, err)
	}
	spec := seedSpec{nodeRef: nodeRef, imgs: uniqueImages(imgs)}
	if node.Config != nil {
		spec.node = imageConfig{Entrypoint: node.Config.Entrypoint, Cmd: node.Config.Cmd}
		if _, ok := node.Config.Volumes[dataRoot]; !ok {
			return seedSpec{}, fmt.Errorf("node image %s declares no VOLUME %s: nodes would share the image's copy of the workload images", nodeRef, dataRoot)
		}
	}
	var inputs []seedInput
	var held []string
	for _, im := range spec.imgs {
		host, err := b.cli.ImageInspect(ctx, im.HostRef)
		if err != nil {
			return seedSpec{}, fmt.Errorf("inspect workload image %s (for %s): %w", im.HostRef, im.Name, err)
		}
		inputs = append(inputs, seedInput{Name: im.Name, HostID: host.ID})
		held = append(held, im.Name+"="+im.HostRef)
	}
	sort.Strings(held)
	spec.tag = seededTag(node.ID, inputs)
	spec.imageKeys = map[string]string{
		LabelImage:        seededImageKind,
		LabelBuildOf:      spec.tag,
		LabelSeededFrom:   nodeRef,
		LabelSeededImages: strings.Join(held, ","),
	}
	return spec, nil
}

// uniqueImages drops repeated lab names: a lab may name an image twice.
func uniqueImages(imgs []WorkloadImage) []WorkloadImage {
	seen := map[string]bool{}
	var out []WorkloadImage
	for _, im := range imgs {
		if !seen[im.Name] {
			seen[im.Name] = true
			out = append(out, im)
		}
	}
	return out
}

// findSeeded returns the seeded image under tag when the engine has one
// labcheck built there.
func (b *Builder) findSeeded(ctx context.Context, tag string) (SeededImage, bool, error) {
	res, err := b.cli.ImageInspect(ctx, tag)
	if err != nil {
		if cerrdefs.IsNotFound(err) {
			return SeededImage{}, false, nil
		}
		return SeededImage{}, false, fmt.Errorf("inspect image %s: %w", tag, err)
	}
	if res.Config == nil || res.Config.Labels[LabelImage] != seededImageKind {
		return SeededImage{}, false, fmt.Errorf("image %s is not a seeded node image labcheck built (label %s is not %q): remove it", tag, LabelImage, seededImageKind)
	}
	return SeededImage{Ref: tag, ID: res.ID, Created: res.Created}, true, nil
}

// buildSeeded builds spec.tag: a container of the node image with a tmpfs
// over /var/lib/docker runs dockerd, which loads the workload images; once
// it has exited, the image store and layers are copied from the tmpfs into
// the container's own layer at /var/lib/docker, and the container is
// committed under a temporary tag. That image is proven on a fresh
// container before it gets its final tag; the temporary tag and the
// containers go on every path.
func (b *Builder) buildSeeded(ctx context.Context, spec seedSpec) (err error) {
	ctx, cancel := context.WithTimeout(ctx, seedBuildTimeout)
	defer cancel()
	tmp, err := buildTag()
	if err != nil {
		return fmt.Errorf("build seeded image: %w", err)
	}
	defer func() {
		rmCtx, rmCancel := context.WithTimeout(context.WithoutCancel(ctx), CleanupTimeout)
		defer rmCancel()
		if rmErr := b.removeImage(rmCtx, tmp); rmErr != nil && err == nil {
			err = fmt.Errorf("build seeded image: remove temporary %s: %w", tmp, rmErr)
		}
	}()
	b.logf("baking %s into node image %s (from %s)", imageNames(spec.imgs), spec.tag, spec.nodeRef)
	manifest, err := b.seedContainer(ctx, spec, tmp)
	if err != nil {
		return fmt.Errorf("build seeded image %s: %w", spec.tag, err)
	}
	if err := b.checkCommitted(ctx, spec, tmp); err != nil {
		return fmt.Errorf("build seeded image %s: %w", spec.tag, err)
	}
	if err := b.proveSeeded(ctx, spec, tmp, manifest); err != nil {
		return fmt.Errorf("build seeded image %s: a fresh node from it does not have the images: %w", spec.tag, err)
	}
	if _, err := b.cli.ImageTag(ctx, client.ImageTagOptions{Source: tmp, Target: spec.tag}); err != nil {
		return fmt.Errorf("build seeded image: tag %s as %s: %w", tmp, spec.tag, err)
	}
	return nil
}

func imageNames(imgs []WorkloadImage) string {
	var names []string
	for _, im := range imgs {
		names = append(names, im.Name)
	}
	return strings.Join(names, ", ")
}

// seedContainer runs the build container and commits it as tmp. It
// returns the manifest of what it put at /var/lib/docker.
func (b *Builder) seedContainer(ctx context.Context, spec seedSpec, tmp string) (seedManifest, error) {
	// The owner labels let `labcheck clean` and the stale sweep remove a
	// build container left by a labcheck killed mid-build. `docker commit`
	// merges a container's labels into the image and cannot drop one, so
	// the seeded image carries them too, saying which process built it;
	// nodes set their own.
	labels := ownerLabels(newID())
	for k, v := range spec.imageKeys {
		labels[k] = v
	}
	id, remove, err := b.startHelper(ctx, "build container", "labcheck-seed-"+labels[LabelCluster], &container.Config{
		Image:      spec.nodeRef,
		Entrypoint: seedHolder,
		Cmd:        []string{},
		Labels:     labels,
	}, seedHostConfig(spec.mode, true))
	defer remove()
	if err != nil {
		return nil, fmt.Errorf("%w (%s mode)", err, spec.mode)
	}
	// The copy needs a tar that keeps extended attributes (GNU tar; not
	// busybox's): found out before a daemon is started for nothing.
	if err := execStep(ctx, b.cli, id, []string{"tar", "--xattrs", "--xattrs-include=*", "-cf", "/dev/null", "-T", "/dev/null"}, nil, nil); err != nil {
		return nil, fmt.Errorf("the node image has no tar that keeps extended attributes (GNU tar): %w", err)
	}
	daemon, err := b.startSeedDaemon(ctx, id)
	if err != nil {
		return nil, err
	}
	inner, err := innerClient(b.cli, id)
	if err != nil {
		return nil, err
	}
	defer inner.Close()
	if err := b.waitSeedDaemon(ctx, id, daemon, inner); err != nil {
		return nil, err
	}
	rc, err := saveWorkloadImages(ctx, b.cli, spec.imgs)
	if err != nil {
		return nil, err
	}
	err = loadWorkloadImages(ctx, inner, rc, spec.imgs)
	rc.Close()
	if err != nil {
		return nil, err
	}
	_ = inner.Close()
	if err := b.stopSeedDaemon(ctx, id, daemon); err != nil {
		return nil, err
	}
	manifest, err := b.moveDataRoot(ctx, id)
	if err != nil {
		return nil, err
	}
	// What dockerd left outside its data root goes before the commit:
	// its identity (/etc/docker/key.json) and containerd's /opt/containerd.
	if err := b.scrubOutside(ctx, id); err != nil {
		return nil, err
	}
	changes := []string{}
	if spec.node.Entrypoint != nil {
		changes = append(changes, "ENTRYPOINT "+jsonArgs(spec.node.Entrypoint))
	}
	if spec.node.Cmd != nil {
		changes = append(changes, "CMD "+jsonArgs(spec.node.Cmd))
	}
	if _, err := b.cli.ContainerCommit(ctx, id, client.ContainerCommitOptions{
		Reference: tmp,
		Comment:   "labcheck: " + imageNames(spec.imgs) + " baked into " + spec.nodeRef,
		Changes:   changes,
		NoPause:   true,
	}); err != nil {
		return nil, fmt.Errorf("commit: %w", err)
	}
	return manifest, nil
}

func jsonArgs(args []string) string {
	b, _ := json.Marshal(args)
	return string(b)
}

// seedHostConfig is a node's host config for the build and proof
// containers: the same security mode as nodes, no network at all (nothing
// is pulled), and for the build a tmpfs over /var/lib/docker, which
// overrides the node image's VOLUME and is what overlay2 runs on until its
// content is copied into the container's layer.
func seedHostConfig(mode SecurityMode, build bool) *container.HostConfig {
	hc := &container.HostConfig{
		NetworkMode: "none",
		Tmpfs:       map[string]string{"/run": ""},
	}
	if build {
		hc.Tmpfs[dataRoot] = "rw,exec,dev"
	}
	applySecurity(hc, mode)
	return hc
}

// startSeedDaemon starts the node entrypoint (and so dockerd) as a
// detached exec; it writes its pid first, which dockerd keeps (each step
// execs the next), so the daemon can be sent SIGTERM.
func (b *Builder) startSeedDaemon(ctx context.Context, id string) (string, error) {
	created, err := b.cli.ExecCreate(ctx, id, client.ExecCreateOptions{
		Cmd: []string{"sh", "-c",
			`echo $$ > ` + seedPidFile + `; exec sh -c "$0" labcheck-node-entrypoint "$@" >` + seedLogFile + ` 2>&1`,
			nodeEntrypoint, "--host=unix:///var/run/docker.sock", "--log-level=error"},
	})
	if err != nil {
		return "", fmt.Errorf("start build dockerd: %w", err)
	}
	if _, err := b.cli.ExecStart(ctx, created.ID, client.ExecStartOptions{Detach: true}); err != nil {
		return "", fmt.Errorf("start build dockerd: %w", err)
	}
	return created.ID, nil
}

func (b *Builder) waitSeedDaemon(ctx context.Context, id, daemon string, inner *client.Client) error {
	return Wait(ctx, "build dockerd", NodeStartTimeout, daemonPollDelay, func(ctx context.Context) Poll {
		if ins, err := b.cli.ExecInspect(ctx, daemon, client.ExecInspectOptions{}); err != nil {
			return Failed(err)
		} else if !ins.Running && ins.PID != 0 {
			return Failed(fmt.Errorf("dockerd exited (code %d): %s", ins.ExitCode, b.seedDaemonLog(ctx, id)))
		}
		pctx, cancel := context.WithTimeout(ctx, daemonPingTimeout)
		defer cancel()
		if _, err := inner.ServerVersion(pctx, client.ServerVersionOptions{}); err != nil {
			return Continue("daemon not answering yet: %v", err)
		}
		return Done()
	})
}

func (b *Builder) seedDaemonLog(ctx context.Context, id string) string {
	var out strings.Builder
	if err := execStep(ctx, b.cli, id, []string{"tail", "-n", "10", seedLogFile}, nil, &out); err != nil {
		return "(no log: " + err.Error() + ")"
	}
	return strings.TrimSpace(out.String())
}

// stopSeedDaemon sends dockerd SIGTERM and waits for it to exit: its bolt
// databases (the image store's among them) are consistent on disk only
// once it has closed them.
func (b *Builder) stopSeedDaemon(ctx context.Context, id, daemon string) error {
	if err := execStep(ctx, b.cli, id, []string{"sh", "-c", `kill -TERM "$(cat ` + seedPidFile + `)"`}, nil, nil); err != nil {
		return fmt.Errorf("stop build dockerd: %w", err)
	}
	return Wait(ctx, "build dockerd to exit after SIGTERM", seedDaemonStopTimeout, PollDelay, func(ctx context.Context) Poll {
		ins, err := b.cli.ExecInspect(ctx, daemon, client.ExecInspectOptions{})
		switch {
		case err != nil:
			return Failed(err)
		case ins.Running:
			return Continue("dockerd (pid %d on the host) still running", ins.PID)
		case ins.ExitCode != 0:
			return Failed(fmt.Errorf("dockerd exited with code %d: %s", ins.ExitCode, b.seedDaemonLog(ctx, id)))
		}
		return Done()
	})
}

// seedTarFlags keep what overlay2 layers hold: owners as numbers and
// every extended attribute (file capabilities among them).
var seedTarFlags = []string{"--xattrs", "--xattrs-include=*", "--numeric-owner"}

// readDataRoot streams the tar of the image store and layers under
// /var/lib/docker in a container through checkSeedArchive, to w (nil
// discards it), and returns its manifest.
func (b *Builder) readDataRoot(ctx context.Context, id string, w io.Writer) (seedManifest, error) {
	if w == nil {
		w = io.Discard
	}
	pr, pw := io.Pipe()
	type checked struct {
		m   seedManifest
		err error
	}
	done := make(chan checked, 1)
	go func() {
		m, err := checkSeedArchive(io.TeeReader(pr, w))
		// Drain what tar writes after the end marker, so it exits.
		_, _ = io.Copy(io.Discard, pr)
		pr.CloseWithError(err)
		done <- checked{m, err}
	}()
	argv := append(append([]string{"tar", "-C", dataRoot}, seedTarFlags...), append([]string{"-cf", "-"}, seedKeep...)...)
	err := execStep(ctx, b.cli, id, argv, nil, pw)
	pw.Close()
	res := <-done
	// tar's own failure says more than what its output then looked like.
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", dataRoot, err)
	}
	return res.m, res.err
}

// moveDataRoot copies the image store and layers out of the tmpfs, checks
// that a layer can carry them, unmounts the tmpfs and unpacks them into the
// directory it covered, which is the container's own layer. It returns
// the manifest of what it unpacked.
func (b *Builder) moveDataRoot(ctx context.Context, id string) (seedManifest, error) {
	spool, err := os.CreateTemp("", "labcheck-seed-*.tar")
	if err != nil {
		return nil, err
	}
	defer os.Remove(spool.Name())
	defer spool.Close()
	manifest, err := b.readDataRoot(ctx, id, spool)
	if err != nil {
		return nil, err
	}
	err = Wait(ctx, "unmount the build tmpfs at "+dataRoot, seedUnmountTimeout, PollDelay, func(ctx context.Context) Poll {
		err := execStep(ctx, b.cli, id, []string{"umount", dataRoot}, nil, nil)
		if err != nil && strings.Contains(err.Error(), "busy") {
			return Continue("%v", err)
		}
		if err != nil {
			return Failed(err)
		}
		return Done()
	})
	if err != nil {
		return nil, err
	}
	if _, err := spool.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	err = execStep(ctx, b.cli, id, append(append([]string{"tar", "-C", dataRoot}, seedTarFlags...), "-xpf", "-"), spool, nil)
	if err != nil {
		return nil, fmt.Errorf("copy the data root into the layer: %w", err)
	}
	return manifest, nil
}

// checkSeedArchive reads the tar of a build daemon's image store and
// layers and refuses what a layer of the outer engine cannot carry or
// what a node must not inherit. Whiteouts (0/0 character devices, which
// overlay2 uses for files a later layer deletes) and opaque or redirected
// directories (trusted.overlay.* extended attributes) belong to the outer
// engine's own overlay once they sit in a container's layer: it would hide
// or drop them, and the images would be corrupt in every node.
func checkSeedArchive(r io.Reader) (seedManifest, error) {
	tr := tar.NewReader(r)
	manifest := seedManifest{}
	var repositories bool
	layers := map[string]bool{}
	links := map[string]string{}
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("read the build data root: %w", err)
		}
		name := strings.TrimSuffix(path.Clean(h.Name), "/")
		top, rest, _ := strings.Cut(name, "/")
		if !keepTop(top) {
			return nil, fmt.Errorf("the build data root copy holds %s, outside %v", name, seedKeep)
		}
		if h.Typeflag == tar.TypeChar && h.Devmajor == 0 && h.Devminor == 0 {
			return nil, fmt.Errorf("%s is a whiteout (a file a later layer deletes): a node image layer cannot carry it; the images are loaded into each node instead", name)
		}
		for k := range h.PAXRecords {
			if attr, ok := strings.CutPrefix(k, "SCHILY.xattr."); ok && strings.HasPrefix(attr, "trusted.overlay.") {
				return nil, fmt.Errorf("%s has the overlay attribute %s (an opaque or redirected directory): a node image layer cannot carry it; the images are loaded into each node instead", name, attr)
			}
		}
		manifest[name] = entryManifest(h)
		switch {
		case name == "image/overlay2/repositories.json":
			repositories = true
		case top == "overlay2" && h.Typeflag == tar.TypeDir && rest != "" && rest != "l" && !strings.Contains(rest, "/"):
			layers[rest] = true
		case top == "overlay2" && strings.HasPrefix(rest, "l/") && h.Typeflag == tar.TypeSymlink:
			links[rest] = h.Linkname
		}
	}
	if !repositories {
		return nil, errors.New("the build daemon's data root has no image/overlay2/repositories.json: no image store")
	}
	if len(layers) == 0 {
		return nil, errors.New("the build daemon's data root has no overlay2 layers")
	}
	for l, target := range links {
		dir, ok := strings.CutSuffix(strings.TrimPrefix(target, "../"), "/diff")
		if !ok || !layers[dir] {
			return nil, fmt.Errorf("overlay2/%s points to %s, not to a layer in the copy", l, target)
		}
	}
	if len(links) < len(layers) {
		return nil, fmt.Errorf("overlay2/l has %d links for %d layers", len(links), len(layers))
	}
	return manifest, nil
}

// seedManifest describes each entry of a data root copy by what a layer
// must keep of it (type, mode, owner, size, link target, extended
// attributes), not its times: the engine's copy into a volume need not
// keep those.
type seedManifest map[string]string

func entryManifest(h *tar.Header) string {
	var xattrs []string
	for k, v := range h.PAXRecords {
		if attr, ok := strings.CutPrefix(k, "SCHILY.xattr."); ok {
			sum := sha256.Sum256([]byte(v))
			xattrs = append(xattrs, attr+"="+hex.EncodeToString(sum[:4]))
		}
	}
	sort.Strings(xattrs)
	size := h.Size
	if h.Typeflag != tar.TypeReg {
		size = 0
	}
	return fmt.Sprintf("type %c mode %o owner %d:%d size %d link %q xattrs [%s]",
		h.Typeflag, h.Mode&0o7777, h.Uid, h.Gid, size, h.Linkname, strings.Join(xattrs, " "))
}

// manifestDiff lists, sorted and at most limit of them, the entries whose
// description differs between want and got, or that only one has.
func manifestDiff(want, got seedManifest, limit int) []string {
	var diffs []string
	for name, w := range want {
		g, ok := got[name]
		switch {
		case !ok:
			diffs = append(diffs, name+": missing")
		case g != w:
			diffs = append(diffs, name+": "+g+", want "+w)
		}
	}
	for name := range got {
		if _, ok := want[name]; !ok {
			diffs = append(diffs, name+": not in the build")
		}
	}
	sort.Strings(diffs)
	if len(diffs) > limit {
		diffs = append(diffs[:limit], fmt.Sprintf("and %d more", len(diffs)-limit))
	}
	return diffs
}

func keepTop(top string) bool {
	for _, k := range seedKeep {
		if top == k {
			return true
		}
	}
	return false
}

// scrubOutside removes what the build added to the container outside the
// data root, so a seeded image differs from its node image only by
// /var/lib/docker; anything it changed or deleted there is an error, since
// a later layer cannot undo it cleanly. One look at the changes is enough:
// they are listed once the build daemon is gone and nothing else runs,
// and each costs a walk of the whole file system on engines that diff
// naively (fuse-overlayfs, about 2 s for labcheck's node image).
func (b *Builder) scrubOutside(ctx context.Context, id string) error {
	diff, err := b.cli.ContainerDiff(ctx, id, client.ContainerDiffOptions{})
	if err != nil {
		return fmt.Errorf("list the build container's changes: %w", err)
	}
	remove, err := strayChanges(diff.Changes, dataRoot)
	if err != nil {
		return err
	}
	if len(remove) == 0 {
		return nil
	}
	if err := execStep(ctx, b.cli, id, append([]string{"rm", "-rf", "--"}, remove...), nil, nil); err != nil {
		return fmt.Errorf("remove what the build left outside %s: %w", dataRoot, err)
	}
	return nil
}

// strayChanges sorts a container's file system changes against the one
// directory a seeded image may add, keep. It returns the topmost added
// paths outside keep, to be removed. A directory marked changed is fine
// when it is an ancestor of keep or of an added path (its entries
// changed, not the directory); any other change or a deletion is an error.
func strayChanges(changes []container.FilesystemChange, keep string) ([]string, error) {
	var added []string
	for _, c := range changes {
		if c.Kind == container.ChangeAdd && !within(c.Path, keep) {
			added = append(added, c.Path)
		}
	}
	var remove, bad []string
	for _, c := range changes {
		if within(c.Path, keep) || isAncestor(c.Path, keep) {
			continue
		}
		switch c.Kind {
		case container.ChangeAdd:
			if !anyAncestor(added, c.Path) {
				remove = append(remove, c.Path)
			}
		case container.ChangeModify:
			if !anyDescendant(c.Path, added) {
				bad = append(bad, "changed "+c.Path)
			}
		default:
			bad = append(bad, "deleted "+c.Path)
		}
	}
	if len(bad) > 0 {
		sort.Strings(bad)
		return nil, fmt.Errorf("the build %s in the node image's file system: a seeded image may only add %s", strings.Join(bad, ", "), keep)
	}
	sort.Strings(remove)
	return remove, nil
}

// within reports whether p is dir or inside it.
func within(p, dir string) bool { return p == dir || isAncestor(dir, p) }

// isAncestor reports whether dir is a proper ancestor of p.
func isAncestor(dir, p string) bool {
	return dir == "/" && p != "/" || strings.HasPrefix(p, dir+"/")
}

// anyAncestor reports whether one of dirs is a proper ancestor of p.
func anyAncestor(dirs []string, p string) bool {
	for _, d := range dirs {
		if isAncestor(d, p) {
			return true
		}
	}
	return false
}

// anyDescendant reports whether dir is a proper ancestor of one of paths.
func anyDescendant(dir string, paths []string) bool {
	for _, p := range paths {
		if isAncestor(dir, p) {
			return true
		}
	}
	return false
}

// checkCommitted makes sure the commit kept what nodes rely on: the node
// image's entrypoint and command, VOLUME /var/lib/docker (without it every
// node would share the image's copy) and the seeded image's labels.
func (b *Builder) checkCommitted(ctx context.Context, spec seedSpec, tmp string) error {
	res, err := b.cli.ImageInspect(ctx, tmp)
	if err != nil {
		return fmt.Errorf("inspect the committed image: %w", err)
	}
	cfg := res.Config
	if cfg == nil {
		return errors.New("the committed image has no config")
	}
	if _, ok := cfg.Volumes[dataRoot]; !ok {
		return fmt.Errorf("the committed image lost VOLUME %s", dataRoot)
	}
	if !slices.Equal(cfg.Entrypoint, spec.node.Entrypoint) || !slices.Equal(cfg.Cmd, spec.node.Cmd) {
		return fmt.Errorf("the committed image runs %q %q, not the node image's %q %q", cfg.Entrypoint, cfg.Cmd, spec.node.Entrypoint, spec.node.Cmd)
	}
	for k, v := range spec.imageKeys {
		if cfg.Labels[k] != v {
			return fmt.Errorf("the committed image has label %s=%q, want %q", k, cfg.Labels[k], v)
		}
	}
	return nil
}

// startHelper creates and starts a container the seeded image's build
// needs. remove, to be deferred even on error, removes it with its
// volumes, bounded by CleanupTimeout, whatever happened to ctx.
func (b *Builder) startHelper(ctx context.Context, what, name string, cfg *container.Config, hc *container.HostConfig) (id string, remove func(), err error) {
	remove = func() {}
	created, err := b.cli.ContainerCreate(ctx, client.ContainerCreateOptions{Name: name, Config: cfg, HostConfig: hc})
	if err != nil {
		return "", remove, fmt.Errorf("create %s: %w", what, err)
	}
	remove = func() {
		rmCtx, rmCancel := context.WithTimeout(context.WithoutCancel(ctx), CleanupTimeout)
		defer rmCancel()
		_ = removeContainer(rmCtx, b.cli, created.ID)
	}
	if _, err := b.cli.ContainerStart(ctx, created.ID, client.ContainerStartOptions{}); err != nil {
		return created.ID, remove, fmt.Errorf("start %s: %w", what, err)
	}
	return created.ID, remove, nil
}

// proveSeeded creates a node from the committed image as Start would,
// with an anonymous volume of its own, and checks what the engine copied
// into it: the image store and layers exactly as built (every file, link
// in overlay2/l, owner, mode and extended attribute), and then, with
// dockerd running, that it knows every image and can mount each one's
// layers (creating a container and reading its root resolves every
// layer's link). A copy the engine gets wrong fails here, once, and runs
// fall back to loading the images, rather than failing in every run.
func (b *Builder) proveSeeded(ctx context.Context, spec seedSpec, tmp string, want seedManifest) error {
	id, remove, err := b.startHelper(ctx, "proof container", "labcheck-seed-proof-"+newID(), &container.Config{
		Image:      tmp,
		Entrypoint: seedHolder,
		Cmd:        []string{},
		Labels:     ownerLabels(newID()),
	}, seedHostConfig(spec.mode, false))
	defer remove()
	if err != nil {
		return err
	}
	got, err := b.readDataRoot(ctx, id, nil)
	if err != nil {
		return fmt.Errorf("the node's copy: %w", err)
	}
	if diffs := manifestDiff(want, got, 5); len(diffs) > 0 {
		return fmt.Errorf("the engine's copy into the node's volume differs from the build: %s", strings.Join(diffs, "; "))
	}
	daemon, err := b.startSeedDaemon(ctx, id)
	if err != nil {
		return err
	}
	inner, err := innerClient(b.cli, id)
	if err != nil {
		return err
	}
	defer inner.Close()
	if err := b.waitSeedDaemon(ctx, id, daemon, inner); err != nil {
		return err
	}
	for _, im := range spec.imgs {
		if _, err := inner.ImageInspect(ctx, im.Name); err != nil {
			return fmt.Errorf("image %s: %w", im.Name, err)
		}
		// Never started: the entrypoint only satisfies images without a
		// command of their own.
		probe, err := inner.ContainerCreate(ctx, client.ContainerCreateOptions{Config: &container.Config{
			Image: im.Name, Entrypoint: []string{"/labcheck-proof-never-run"},
		}})
		if err != nil {
			return fmt.Errorf("create a container of %s: %w", im.Name, err)
		}
		_, statErr := inner.ContainerStatPath(ctx, probe.ID, client.ContainerStatPathOptions{Path: "/"})
		_, _ = inner.ContainerRemove(ctx, probe.ID, client.ContainerRemoveOptions{Force: true})
		if statErr != nil {
			return fmt.Errorf("mount the layers of %s: %w", im.Name, statErr)
		}
	}
	return nil
}

// execStep runs argv in a container to completion. stdin, when not nil,
// is fed to it and then closed; stdout goes to out (nil discards it). A
// non-zero exit is an error quoting the command's stderr.
func execStep(ctx context.Context, cli *client.Client, id string, argv []string, stdin io.Reader, out io.Writer) error {
	created, err := cli.ExecCreate(ctx, id, client.ExecCreateOptions{
		Cmd: argv, AttachStdin: stdin != nil, AttachStdout: true, AttachStderr: true,
	})
	if err != nil {
		return fmt.Errorf("%s: %w", argv[0], err)
	}
	att, err := cli.ExecAttach(ctx, created.ID, client.ExecAttachOptions{})
	if err != nil {
		return fmt.Errorf("%s: attach: %w", argv[0], err)
	}
	defer att.Close()
	stop := context.AfterFunc(ctx, func() { att.Close() })
	defer stop()
	fed := make(chan error, 1)
	if stdin != nil {
		go func() {
			_, err := io.Copy(att.Conn, stdin)
			if cerr := att.CloseWrite(); err == nil {
				err = cerr
			}
			fed <- err
		}()
	} else {
		fed <- nil
	}
	// Without a writer of the caller's, stdout is kept for the error: the
	// engine reports an exec that could not start (no such binary) there.
	stdout := &cappedBuffer{limit: 16 << 10}
	if out == nil {
		out = stdout
	}
	stderr := &cappedBuffer{limit: 16 << 10}
	_, copyErr := stdcopy.StdCopy(out, stderr, att.Reader)
	att.Close()
	feedErr := <-fed
	if ctx.Err() != nil {
		return fmt.Errorf("%s: %w", argv[0], ctx.Err())
	}
	if copyErr != nil {
		return fmt.Errorf("%s: output: %w", argv[0], copyErr)
	}
	var code int
	err = Wait(ctx, argv[0]+" to exit", CommandTimeout, daemonPollDelay, func(ctx context.Context) Poll {
		ins, err := cli.ExecInspect(ctx, created.ID, client.ExecInspectOptions{})
		if err != nil {
			return Failed(err)
		}
		if ins.Running {
			return Continue("still running")
		}
		code = ins.ExitCode
		return Done()
	})
	if err != nil {
		return err
	}
	if code != 0 {
		msg := strings.TrimSpace(lastLines(stderr.String(), 5))
		if msg == "" {
			msg = strings.TrimSpace(lastLines(stdout.String(), 5))
		}
		if feedErr != nil {
			msg += " (feeding its input: " + feedErr.Error() + ")"
		}
		return fmt.Errorf("%s exited with code %d: %s", strings.Join(argv, " "), code, msg)
	}
	return nil
}
