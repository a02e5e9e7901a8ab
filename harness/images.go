package harness

import (
	"archive/tar"
	"bytes"
	"context"
	"crypto/rand"
	"debug/elf"
	"encoding/hex"
	"errors"
	"fmt"
	"github.com/labcheck/labcheck/internal/hostpkg"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"time"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/distribution/reference"
	"github.com/moby/moby/client"
)

// DefaultNodeImage is the dind node image labcheck builds from Debian
// packages when the host engine lacks it. Bump the tag when the package
// set changes so that old caches are not reused.
const DefaultNodeImage = "labcheck/node:bookworm-1"

// nodeBuildRepo is where a node image is imported while it is being built.
// It gets its final tag only once mmdebstrap has finished and the engine has
// the whole root file system, so an interrupted build (Ctrl-C, a failing
// Debian mirror) never leaves a half image under DefaultNodeImage that every
// later run would take for the real one.
const nodeBuildRepo = "labcheck/node-build"

// rootfsStopGrace is how long a cancelled mmdebstrap gets to clean up its
// temporary chroot after SIGTERM before it and its children are killed.
const rootfsStopGrace = 10 * time.Second

// standInTag is the host tag of the stand-in workload image; inside the
// nodes it is tagged with the name the lab uses (ubuntu:latest, ...).
const standInTag = "labcheck/stand-in:busybox-tini-1"

// nodePackages is what a node needs: dockerd and its CLI, and the tools the
// node entrypoint and `hostname -i` use.
var nodePackages = []string{"docker.io", "iptables", "procps", "ca-certificates", "iproute2"}

// HostPackages are the Debian packages labcheck itself needs on the host to
// build its images: mmdebstrap for the node image, busybox-static and tini
// for the stand-in.
var HostPackages = []string{"mmdebstrap", "busybox-static", "tini"}

// ImageSource says where a workload image in the nodes came from.
type ImageSource string

const (
	FromHost    ImageSource = "host"
	FromStandIn ImageSource = "stand-in"
)

// WorkloadImage is an image a lab needs inside the nodes.
type WorkloadImage struct {
	// Name is the reference the lab uses, normalised (ubuntu:latest).
	Name   string      `json:"name"`
	Source ImageSource `json:"source"`
	// HostRef is the host engine's image the nodes get loaded from.
	HostRef string `json:"hostRef"`
}

// StandIn reports whether the image is labcheck's stand-in, not the real one.
func (w WorkloadImage) StandIn() bool { return w.Source == FromStandIn }

// Builder builds and finds labcheck's images on the host engine.
type Builder struct {
	cli  *client.Client
	logf func(string, ...any)
	// rootfs makes the command that writes the node's root file system as
	// a tar stream on its stdout; nil means mmdebstrap. It must be created
	// with exec.CommandContext(ctx, ...) so cancelling the build stops it.
	rootfs func(ctx context.Context) *exec.Cmd
	// Install allows installing missing host packages with apt-get.
	Install bool
}

// NewBuilder returns a Builder over the host engine client.
func NewBuilder(cli *client.Client, logf func(string, ...any)) *Builder {
	if logf == nil {
		logf = func(string, ...any) {}
	}
	return &Builder{cli: cli, logf: logf, Install: true}
}

func (b *Builder) hasImage(ctx context.Context, ref string) (map[string]string, bool, error) {
	res, err := b.cli.ImageInspect(ctx, ref)
	if err != nil {
		if cerrdefs.IsNotFound(err) {
			return nil, false, nil
		}
		return nil, false, fmt.Errorf("inspect image %s: %w", ref, err)
	}
	var labels map[string]string
	if res.Config != nil {
		labels = res.Config.Labels
	}
	return labels, true, nil
}

// EnsureNodeImage makes sure ref exists on the host engine. The default
// node image is built from Debian packages when missing; another image is
// pulled (users name e.g. docker:dind where the engine can pull).
func (b *Builder) EnsureNodeImage(ctx context.Context, ref string) error {
	ref, err := NormalizeImage(ref)
	if err != nil {
		return fmt.Errorf("node image: %w", err)
	}
	if _, ok, err := b.hasImage(ctx, ref); err != nil || ok {
		return err
	}
	if ref == DefaultNodeImage {
		return withBuildLock(func() error {
			if _, ok, err := b.hasImage(ctx, ref); err != nil || ok {
				return err // built by another process while we waited
			}
			return b.BuildNodeImage(ctx)
		})
	}
	b.logf("node image %s not on the host engine: pulling it", ref)
	if err := b.pull(ctx, ref); err != nil {
		return fmt.Errorf("node image %s: not on the host engine and the pull failed: %w\n"+
			"  pull it yourself, or drop --node-image to let labcheck build %s from Debian packages", ref, err, DefaultNodeImage)
	}
	return nil
}

func (b *Builder) pull(ctx context.Context, ref string) error {
	rc, err := b.cli.ImagePull(ctx, ref, client.ImagePullOptions{})
	if err != nil {
		return err
	}
	defer rc.Close()
	// A pull that fails once under way (a registry gone mid-way, a layer
	// refused) is reported inside the progress stream, behind a 200.
	return jsonStreamError(rc)
}

// BuildNodeImage builds DefaultNodeImage: a Debian bookworm root file
// system with dockerd, made by mmdebstrap and imported into the host engine.
func (b *Builder) BuildNodeImage(ctx context.Context) error {
	return b.buildNodeImage(ctx, DefaultNodeImage)
}

// buildNodeImage imports the root file system under a temporary tag and
// moves it to ref only when both mmdebstrap and the import succeeded; the
// temporary tag is removed on every path.
func (b *Builder) buildNodeImage(ctx context.Context, ref string) (err error) {
	rootfs := b.rootfs
	if rootfs == nil {
		if err := b.needTools(ctx, "mmdebstrap"); err != nil {
			return fmt.Errorf("build node image: %w", err)
		}
		rootfs = mmdebstrap
	}
	ctx, cancel := context.WithTimeout(ctx, ImageBuildTimeout)
	defer cancel()
	tmp, err := buildTag()
	if err != nil {
		return fmt.Errorf("build node image: %w", err)
	}
	defer func() {
		// Runs after a cancelled build too: the temporary image must go.
		rmCtx, rmCancel := context.WithTimeout(context.WithoutCancel(ctx), CleanupTimeout)
		defer rmCancel()
		if rmErr := b.removeImage(rmCtx, tmp); rmErr != nil && err == nil {
			err = fmt.Errorf("build node image: remove temporary %s: %w", tmp, rmErr)
		}
	}()

	start := time.Now()
	b.logf("building node image %s from Debian packages (%s); this takes about a minute, once", ref, strings.Join(nodePackages, ", "))
	cmd := rootfs(ctx)
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
	cmd.WaitDelay = rootfsStopGrace
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return fmt.Errorf("build node image: %w", err)
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("build node image: start %s: %w", cmd.Path, err)
	}
	importErr := b.importTar(ctx, out, tmp, []string{
		`ENTRYPOINT ["dockerd"]`,
		// overlay2 cannot sit on the container's own overlay file system.
		`VOLUME /var/lib/docker`,
		`LABEL ` + LabelImage + `=node`,
		`LABEL ` + LabelBuildOf + `=` + ref,
	})
	if importErr != nil {
		// Nobody reads its output any more: it would block on the pipe.
		_ = cmd.Process.Kill()
	}
	waitErr := cmd.Wait()
	if ctx.Err() != nil {
		return fmt.Errorf("build node image %s: stopped after %s, nothing tagged: %w", ref, time.Since(start).Round(time.Second), ctx.Err())
	}
	if waitErr != nil {
		return fmt.Errorf("build node image: mmdebstrap failed: %w\n%s\n"+
			"  mmdebstrap downloads Debian bookworm's packages: check that the Debian mirror is reachable, "+
			"or name a ready node image with --node-image (e.g. docker:dind where the engine can pull)", waitErr, lastLines(stderr.String(), 15))
	}
	if importErr != nil {
		return fmt.Errorf("build node image: import: %w", importErr)
	}
	if _, err := b.cli.ImageTag(ctx, client.ImageTagOptions{Source: tmp, Target: ref}); err != nil {
		return fmt.Errorf("build node image: tag %s as %s: %w", tmp, ref, err)
	}
	b.logf("built %s in %s", ref, time.Since(start).Round(time.Second))
	return nil
}

func mmdebstrap(ctx context.Context) *exec.Cmd {
	return exec.CommandContext(ctx, "mmdebstrap", "--variant=minbase", "--include="+strings.Join(nodePackages, ","), "bookworm", "-")
}

// buildTag returns a temporary tag no other build uses, so two builds of
// different processes never retag each other's half image.
func buildTag() (string, error) {
	var id [6]byte
	if _, err := rand.Read(id[:]); err != nil {
		return "", err
	}
	return nodeBuildRepo + ":" + hex.EncodeToString(id[:]), nil
}

// removeImage removes the tag ref, and the image when no other tag holds
// it; an image already gone is success.
func (b *Builder) removeImage(ctx context.Context, ref string) error {
	_, err := b.cli.ImageRemove(ctx, ref, client.ImageRemoveOptions{PruneChildren: true})
	if err != nil && !cerrdefs.IsNotFound(err) {
		return err
	}
	return nil
}

func (b *Builder) importTar(ctx context.Context, r io.Reader, ref string, changes []string) error {
	rc, err := b.cli.ImageImport(ctx, client.ImageImportSource{Source: r, SourceName: "-"}, ref, client.ImageImportOptions{Changes: changes})
	if err != nil {
		return err
	}
	defer rc.Close()
	return jsonStreamError(rc)
}

// EnsureWorkloadImages resolves every image a lab names: the host's own
// image when it has one, else labcheck's stand-in.
func (b *Builder) EnsureWorkloadImages(ctx context.Context, names []string) ([]WorkloadImage, error) {
	var out []WorkloadImage
	for _, name := range names {
		named, err := parseImage(name)
		if err != nil {
			return nil, err
		}
		ref := reference.FamiliarString(named)
		labels, ok, err := b.hasImage(ctx, ref)
		if err != nil {
			return nil, err
		}
		if ok && labels[LabelImage] == "" {
			out = append(out, WorkloadImage{Name: ref, Source: FromHost, HostRef: ref})
			continue
		}
		if _, ok := named.(reference.Digested); ok {
			// The stand-in is tagged with the lab's name inside the nodes,
			// and the engine refuses a tag that carries a digest.
			return nil, fmt.Errorf("image %s is not on the host engine, and a stand-in cannot take a digest reference: pull it first", ref)
		}
		if err := b.EnsureStandIn(ctx); err != nil {
			return nil, fmt.Errorf("image %s is not on the host engine, and its stand-in: %w", ref, err)
		}
		out = append(out, WorkloadImage{Name: ref, Source: FromStandIn, HostRef: standInTag})
	}
	return out, nil
}

// NormalizeImage returns a reference the way the docker CLI prints it, with
// the :latest tag added when it names neither tag nor digest: "ubuntu" is
// "ubuntu:latest", "docker.io/library/ubuntu" too, and a registry
// ("127.0.0.1:5000/labcheck/node:x") is kept.
func NormalizeImage(name string) (string, error) {
	named, err := parseImage(name)
	if err != nil {
		return "", err
	}
	return reference.FamiliarString(named), nil
}

// parseImage parses a reference as the engine does, tag defaulted to latest.
func parseImage(name string) (reference.Named, error) {
	named, err := reference.ParseNormalizedNamed(name)
	if err != nil {
		return nil, fmt.Errorf("image reference %q: %w", name, err)
	}
	return reference.TagNameOnly(named), nil
}

// EnsureStandIn builds the stand-in workload image when missing: busybox
// and tini from Debian packages, about 2 MB. `sleep` runs under tini so a
// task stops at once on SIGTERM instead of waiting out the stop grace
// period, and the container's command still reads `sleep infinity`.
func (b *Builder) EnsureStandIn(ctx context.Context) error {
	if _, ok, err := b.hasImage(ctx, standInTag); err != nil || ok {
		return err
	}
	return withBuildLock(func() error {
		if _, ok, err := b.hasImage(ctx, standInTag); err != nil || ok {
			return err // built by another process while we waited
		}
		return b.buildStandIn(ctx)
	})
}

func (b *Builder) buildStandIn(ctx context.Context) error {
	busybox, tini, cleanup, err := b.standInBinaries(ctx)
	if err != nil {
		return err
	}
	defer cleanup()
	layer, err := standInRootfs(busybox, tini)
	if err != nil {
		return fmt.Errorf("stand-in rootfs: %w", err)
	}
	b.logf("building stand-in image %s (busybox-static + tini)", standInTag)
	return b.importTar(ctx, bytes.NewReader(layer), standInTag, []string{
		`CMD ["/bin/bash"]`,
		`ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`,
		`LABEL ` + LabelImage + `=stand-in`,
	})
}

// standInBinaries finds a static busybox and tini on the host, or unpacks
// them from Debian packages downloaded with apt-get (no root needed).
func (b *Builder) standInBinaries(ctx context.Context) (busybox, tini string, cleanup func(), err error) {
	cleanup = func() {}
	busybox, tini = findStatic("/bin/busybox", "/usr/bin/busybox"), findStatic("/usr/bin/tini-static", "/sbin/tini-static")
	if busybox != "" && tini != "" {
		return busybox, tini, cleanup, nil
	}
	if _, lookErr := exec.LookPath("apt-get"); lookErr != nil {
		return "", "", cleanup, errors.New("needs a static busybox and tini-static on the host: install Debian's busybox-static and tini packages")
	}
	dir, err := os.MkdirTemp("", "labcheck-standin-")
	if err != nil {
		return "", "", cleanup, err
	}
	cleanup = func() { _ = os.RemoveAll(dir) }
	b.logf("downloading busybox-static and tini from Debian packages for the stand-in image")
	dl := exec.CommandContext(ctx, "apt-get", "download", "busybox-static", "tini")
	dl.Dir = dir
	if out, err := dl.CombinedOutput(); err != nil {
		return "", "", cleanup, fmt.Errorf("apt-get download busybox-static tini: %w\n%s", err, lastLines(string(out), 10))
	}
	debs, _ := filepath.Glob(filepath.Join(dir, "*.deb"))
	for _, deb := range debs {
		if out, err := exec.CommandContext(ctx, "dpkg-deb", "-x", deb, filepath.Join(dir, "root")).CombinedOutput(); err != nil {
			return "", "", cleanup, fmt.Errorf("dpkg-deb -x %s: %w\n%s", deb, err, out)
		}
	}
	busybox = findStatic(filepath.Join(dir, "root/bin/busybox"), filepath.Join(dir, "root/usr/bin/busybox"))
	tini = findStatic(filepath.Join(dir, "root/usr/bin/tini-static"))
	if busybox == "" || tini == "" {
		return "", "", cleanup, errors.New("the downloaded busybox-static/tini packages hold no static binaries")
	}
	return busybox, tini, cleanup, nil
}

// findStatic returns the first path that is a statically linked ELF file.
func findStatic(paths ...string) string {
	for _, p := range paths {
		f, err := elf.Open(p)
		if err != nil {
			continue
		}
		static := true
		for _, prog := range f.Progs {
			if prog.Type == elf.PT_INTERP {
				static = false
			}
		}
		f.Close()
		if static {
			return p
		}
	}
	return ""
}

// standInApplets are the busybox applets the stand-in links; enough for the
// shells and tools students run inside a lab container.
var standInApplets = []string{
	"sh", "ash", "cat", "echo", "env", "false", "grep", "head", "hostname", "id", "kill", "ls",
	"mkdir", "ps", "pwd", "rm", "seq", "tail", "top", "touch", "true", "uname", "wc", "yes",
	"printf", "test", "[", "date", "uptime", "free", "df", "sed", "awk", "tr", "cut", "find", "xargs",
}

func standInRootfs(busyboxPath, tiniPath string) ([]byte, error) {
	busybox, err := os.ReadFile(busyboxPath)
	if err != nil {
		return nil, err
	}
	tini, err := os.ReadFile(tiniPath)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	mod := time.Unix(0, 0)
	dir := func(name string, mode int64) error {
		return tw.WriteHeader(&tar.Header{Typeflag: tar.TypeDir, Name: name + "/", Mode: mode, ModTime: mod})
	}
	file := func(name string, mode int64, data []byte) error {
		if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: name, Mode: mode, Size: int64(len(data)), ModTime: mod}); err != nil {
			return err
		}
		_, err := tw.Write(data)
		return err
	}
	link := func(name, target string) error {
		return tw.WriteHeader(&tar.Header{Typeflag: tar.TypeSymlink, Name: name, Linkname: target, Mode: 0o777, ModTime: mod})
	}
	for _, d := range []string{"bin", "sbin", "etc", "root", "tmp", "usr", "usr/bin", "var", "proc", "sys", "dev"} {
		mode := int64(0o755)
		if d == "tmp" {
			mode = 0o1777
		}
		if err := dir(d, mode); err != nil {
			return nil, err
		}
	}
	steps := []error{
		file("bin/busybox", 0o755, busybox),
		file("sbin/tini", 0o755, tini),
		// tini as PID 1 forwards SIGTERM to sleep, so a task stops at once.
		file("bin/sleep", 0o755, []byte("#!/bin/busybox sh\nif [ $$ = 1 ]; then exec /sbin/tini -s -- /bin/busybox sleep \"$@\"; fi\nexec /bin/busybox sleep \"$@\"\n")),
		file("bin/bash", 0o755, []byte("#!/bin/busybox sh\nexec /bin/busybox sh \"$@\"\n")),
		file("etc/passwd", 0o644, []byte("root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n")),
		file("etc/group", 0o644, []byte("root:x:0:\nnogroup:x:65534:\n")),
		file("etc/os-release", 0o644, []byte("NAME=\"labcheck stand-in\"\nID=labcheck-stand-in\nPRETTY_NAME=\"labcheck stand-in (busybox + tini), not the real image\"\n")),
	}
	applets := append([]string(nil), standInApplets...)
	sort.Strings(applets)
	for _, a := range applets {
		steps = append(steps, link("bin/"+a, "busybox"))
	}
	for _, err := range steps {
		if err != nil {
			return nil, err
		}
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// needTools makes sure the named host tools exist, installing the Debian
// packages labcheck's images need (HostPackages) when one is missing.
func (b *Builder) needTools(ctx context.Context, tools ...string) error {
	need := hostpkg.Need{}
	for _, t := range tools {
		need[t] = t
	}
	return hostpkg.Ensure(ctx, need, b.Install,
		"building labcheck's images (or name a ready node image with --node-image, e.g. docker:dind where the engine can pull)",
		b.logf, HostPackages...)
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// saveWorkloadImages streams the host images the workload images come
// from as one `docker save` archive, each host image once.
func saveWorkloadImages(ctx context.Context, outer *client.Client, imgs []WorkloadImage) (io.ReadCloser, error) {
	seen := map[string]bool{}
	var hostRefs []string
	for _, im := range imgs {
		if !seen[im.HostRef] {
			seen[im.HostRef] = true
			hostRefs = append(hostRefs, im.HostRef)
		}
	}
	rc, err := outer.ImageSave(ctx, hostRefs)
	if err != nil {
		return nil, fmt.Errorf("save images %s: %w", strings.Join(hostRefs, ", "), err)
	}
	return rc, nil
}

// loadWorkloadImages loads a `docker save` archive of the host images into
// an inner daemon and tags each workload image with the name the lab uses.
func loadWorkloadImages(ctx context.Context, inner *client.Client, archive io.Reader, imgs []WorkloadImage) error {
	res, err := inner.ImageLoad(ctx, archive, client.ImageLoadWithQuiet(true))
	if err != nil {
		return fmt.Errorf("load images: %w", err)
	}
	err = jsonStreamError(res)
	res.Close()
	if err != nil {
		return fmt.Errorf("load images: %w", err)
	}
	for _, im := range imgs {
		if im.HostRef == im.Name {
			continue
		}
		if _, err := inner.ImageTag(ctx, client.ImageTagOptions{Source: im.HostRef, Target: im.Name}); err != nil {
			return fmt.Errorf("tag %s as %s: %w", im.HostRef, im.Name, err)
		}
	}
	return nil
}
