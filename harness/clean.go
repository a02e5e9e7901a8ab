package harness

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/moby/moby/api/pkg/stdcopy"
	"github.com/moby/moby/client"
)

func ignoreNotFound(err error) error {
	if err == nil || cerrdefs.IsNotFound(err) {
		return nil
	}
	return err
}

func stdcopyDemux(stdout, stderr io.Writer, r io.Reader) (int64, error) {
	return stdcopy.StdCopy(stdout, stderr, r)
}

// CleanReport says what Clean found and removed.
type CleanReport struct {
	Clusters   []string
	Containers int
	Networks   int
	Skipped    []string // clusters left alone, with why
	// Images are the image tags removed (with all: seeded node images and
	// the temporary tags of interrupted image builds).
	Images []string
	// Volumes are the volumes removed (with all: the node images' shared
	// /usr copies and their ready marks).
	Volumes []string
}

// Clean removes labcheck's clusters from the host engine, found by label:
// every cluster when all is true, else only the stale ones, whose owner
// process on this host is gone (killed with SIGKILL, a crashed CI job).
// With all it also removes the images labcheck can remake in seconds:
// seeded node images and the temporary images of interrupted builds. The
// node image and the stand-in, which take a build from Debian packages,
// stay either way.
func Clean(ctx context.Context, cli *client.Client, all bool) (CleanReport, error) {
	var rep CleanReport
	f := client.Filters{}.Add("label", LabelCluster)
	ctrs, err := cli.ContainerList(ctx, client.ContainerListOptions{All: true, Filters: f})
	if err != nil {
		return rep, fmt.Errorf("list labcheck containers: %w", err)
	}
	nets, err := cli.NetworkList(ctx, client.NetworkListOptions{Filters: f})
	if err != nil {
		return rep, fmt.Errorf("list labcheck networks: %w", err)
	}
	remove := map[string]bool{}
	decide := func(labels map[string]string) bool {
		id := labels[LabelCluster]
		if v, ok := remove[id]; ok {
			return v
		}
		stale, why := isStale(labels)
		v := all || stale
		remove[id] = v
		if !v {
			rep.Skipped = append(rep.Skipped, id+": "+why)
		}
		return v
	}
	var errs []error
	for _, ctr := range ctrs.Items {
		if decide(ctr.Labels) {
			if err := removeContainer(ctx, cli, ctr.ID); err != nil {
				errs = append(errs, err)
				continue
			}
			rep.Containers++
		}
	}
	for _, n := range nets.Items {
		if decide(n.Labels) {
			if _, err := cli.NetworkRemove(ctx, n.ID, client.NetworkRemoveOptions{}); ignoreNotFound(err) != nil {
				errs = append(errs, err)
				continue
			}
			rep.Networks++
		}
	}
	for id, v := range remove {
		if v {
			rep.Clusters = append(rep.Clusters, id)
		}
	}
	sort.Strings(rep.Clusters)
	sort.Strings(rep.Skipped)
	if all {
		// After the clusters: a seeded image is in use while its nodes run.
		removed, err := cleanImages(ctx, cli)
		rep.Images = removed
		errs = append(errs, err)
		vols, err := cleanVolumes(ctx, cli)
		rep.Volumes = vols
		errs = append(errs, err)
	}
	return rep, errors.Join(errs...)
}

// cleanImages removes every seeded node image and every temporary tag of
// a node or seeded image build (labcheck/node-build:*, labelled
// LabelBuildOf). It removes tags, not image IDs: a finished node image
// build shares its image with the tag users run until its temporary tag
// goes, and removing that tag leaves the image under its final tag.
func cleanImages(ctx context.Context, cli *client.Client) ([]string, error) {
	var tags []string
	seeded, err := cli.ImageList(ctx, client.ImageListOptions{Filters: client.Filters{}.Add("label", LabelImage+"="+seededImageKind)})
	if err != nil {
		return nil, fmt.Errorf("list seeded node images: %w", err)
	}
	for _, im := range seeded.Items {
		tags = append(tags, im.RepoTags...)
	}
	builds, err := cli.ImageList(ctx, client.ImageListOptions{Filters: client.Filters{}.Add("label", LabelBuildOf)})
	if err != nil {
		return nil, fmt.Errorf("list image builds: %w", err)
	}
	for _, im := range builds.Items {
		for _, tag := range im.RepoTags {
			if strings.HasPrefix(tag, nodeBuildRepo+":") {
				tags = append(tags, tag)
			}
		}
	}
	sort.Strings(tags)
	tags = slices.Compact(tags)
	var removed []string
	var errs []error
	for _, tag := range tags {
		_, err := cli.ImageRemove(ctx, tag, client.ImageRemoveOptions{PruneChildren: true})
		if err := ignoreNotFound(err); err != nil {
			errs = append(errs, fmt.Errorf("remove image %s: %w", tag, err))
			continue
		}
		removed = append(removed, tag)
	}
	return removed, errors.Join(errs...)
}

// cleanVolumes removes the volumes labcheck keeps between runs (the
// shared /usr copies, see usrvolume.go), ready marks first, so that a
// removal cut short never leaves a mark on a half-gone copy.
func cleanVolumes(ctx context.Context, cli *client.Client) ([]string, error) {
	res, err := cli.VolumeList(ctx, client.VolumeListOptions{Filters: client.Filters{}.Add("label", LabelVolume)})
	if err != nil {
		return nil, fmt.Errorf("list labcheck's volumes: %w", err)
	}
	var ready, data []string
	for _, v := range res.Items {
		if v.Labels[LabelVolume] == usrReadyVolumeKind {
			ready = append(ready, v.Name)
		} else {
			data = append(data, v.Name)
		}
	}
	sort.Strings(ready)
	sort.Strings(data)
	var removed []string
	var errs []error
	for _, name := range append(ready, data...) {
		_, err := cli.VolumeRemove(ctx, name, client.VolumeRemoveOptions{})
		if err := ignoreNotFound(err); err != nil {
			errs = append(errs, fmt.Errorf("remove volume %s (in use by a running node?): %w", name, err))
			continue
		}
		removed = append(removed, name)
	}
	return removed, errors.Join(errs...)
}

// isStale reports whether the process that created a cluster is gone.
// Clusters made on another host are never stale from here: we cannot see
// their owner.
func isStale(labels map[string]string) (bool, string) {
	host, _ := os.Hostname()
	if labels[LabelOwnerHost] != host {
		return false, "created on host " + labels[LabelOwnerHost]
	}
	pid, err := strconv.Atoi(labels[LabelOwnerPID])
	if err != nil {
		return true, "no owner pid"
	}
	if pid == os.Getpid() {
		return false, "owned by this process"
	}
	start := processStart(pid)
	if start == "" || start != labels[LabelOwnerStart] {
		return true, "owner gone"
	}
	return false, fmt.Sprintf("owner pid %d still running", pid)
}

// processStart returns a process's start time in clock ticks since boot
// (field 22 of /proc/PID/stat), which tells a live owner from a reused
// pid; "" when the process does not exist or /proc is not there.
func processStart(pid int) string {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return ""
	}
	s := string(b)
	// The command name may hold spaces; fields resume after its ')'.
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return ""
	}
	fields := strings.Fields(s[i+1:])
	if len(fields) < 20 {
		return ""
	}
	return fields[19]
}

var sweepOnce sync.Once

// sweepStaleOnce removes stale clusters once per process, at the first start.
func sweepStaleOnce(ctx context.Context, cli *client.Client, logf func(string, ...any)) error {
	var err error
	sweepOnce.Do(func() {
		var rep CleanReport
		rep, err = Clean(ctx, cli, false)
		if len(rep.Clusters) > 0 {
			logf("removed %d stale cluster(s) left by an earlier run: %s", len(rep.Clusters), strings.Join(rep.Clusters, ", "))
		}
	})
	return err
}
