package harness

import (
	"context"
	_ "embed"
	"fmt"
	"strings"
	"sync"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/client"
)

// SecurityMode is how node containers get the rights dockerd needs.
type SecurityMode string

const (
	// Privileged is `--privileged`, what users' laptops and CI runners allow.
	Privileged SecurityMode = "privileged"
	// Capabilities is the explicit set that works where the engine refuses
	// --privileged: every capability but CAP_SYS_RESOURCE, no seccomp or
	// AppArmor profile, and unmasked /proc and /sys paths.
	Capabilities SecurityMode = "capabilities"
)

// nodeEntrypoint gives the inner dockerd cgroups of its own before it
// starts; it is passed to `sh -c` so that any node image with sh and dockerd
// (labcheck's own, docker:dind) runs it unchanged.
//
//go:embed assets/node-entrypoint.sh
var nodeEntrypoint string

// applySecurity sets the host config of a node for the mode. Both modes use
// a private cgroup namespace and never bind the host's /sys/fs/cgroup: a
// node that saw the host's cgroup v1 roots could reach release_agent.
func applySecurity(hc *container.HostConfig, mode SecurityMode) {
	hc.CgroupnsMode = container.CgroupnsModePrivate
	switch mode {
	case Privileged:
		hc.Privileged = true
	default:
		hc.Privileged = false
		hc.CapAdd = []string{"ALL"}
		hc.CapDrop = []string{"SYS_RESOURCE"}
		hc.SecurityOpt = []string{"seccomp=unconfined", "apparmor=unconfined"}
		// What the CLI calls systempaths=unconfined: /proc and /sys unmasked.
		hc.MaskedPaths = []string{}
		hc.ReadonlyPaths = []string{}
	}
}

// probeEngine is what the privileged probe needs of an engine, so that its
// answers, the refusal and the hiccups alike, are tested with a fake.
type probeEngine interface {
	DaemonHost() string
	ContainerCreate(ctx context.Context, options client.ContainerCreateOptions) (client.ContainerCreateResult, error)
	ContainerStart(ctx context.Context, id string, options client.ContainerStartOptions) (client.ContainerStartResult, error)
	ContainerRemove(ctx context.Context, id string, options client.ContainerRemoveOptions) (client.ContainerRemoveResult, error)
}

// detectCache holds, per engine and node image, the one definite answer of
// the probe; a batch of gradings asks it once, not once per submission.
var detectCache sync.Map // engine host "|" image -> *detected

type detected struct {
	// lock serialises probes of one engine (a batch starts clusters at
	// once) and, being a channel, gives way to a cancelled context.
	lock chan struct{}
	mode SecurityMode // "" until an answer is definite
}

// DetectSecurityMode finds out whether the engine runs privileged
// containers; where it refuses (`unable to apply caps: operation not
// permitted`), nodes use the capability set instead. The answer is kept
// for the process once it is definite; a probe that could not tell (an
// engine hiccup, an interrupt) returns its error and the next call asks
// again, so one bad moment does not fail a whole batch.
func DetectSecurityMode(ctx context.Context, cli *client.Client, image string, labels map[string]string) (SecurityMode, error) {
	return detectSecurityMode(ctx, cli, image, labels)
}

func detectSecurityMode(ctx context.Context, eng probeEngine, image string, labels map[string]string) (SecurityMode, error) {
	v, _ := detectCache.LoadOrStore(eng.DaemonHost()+"|"+image, &detected{lock: make(chan struct{}, 1)})
	d := v.(*detected)
	select {
	case d.lock <- struct{}{}:
	case <-ctx.Done():
		return "", fmt.Errorf("probe privileged mode: %w", ctx.Err())
	}
	defer func() { <-d.lock }()
	if d.mode != "" {
		return d.mode, nil
	}
	mode, err := probePrivileged(ctx, eng, image, labels)
	if err != nil {
		return "", err
	}
	d.mode = mode
	return mode, nil
}

// probePrivileged starts a privileged container that exits at once. It
// answers only when the engine did: privileged started, or the start was
// refused for want of capabilities. Anything else is an error, never
// taken to mean "use capabilities".
func probePrivileged(ctx context.Context, eng probeEngine, image string, labels map[string]string) (SecurityMode, error) {
	created, err := eng.ContainerCreate(ctx, client.ContainerCreateOptions{
		Config: &container.Config{
			Image:      image,
			Entrypoint: []string{"true"},
			Labels:     labels,
		},
		HostConfig: &container.HostConfig{Privileged: true, CgroupnsMode: container.CgroupnsModePrivate},
	})
	if err != nil {
		return "", fmt.Errorf("probe privileged mode: create: %w", err)
	}
	defer func() {
		// The probe carries the cluster's owner labels: if this removal
		// fails, `labcheck clean` or a later run's sweep removes it once
		// this process is gone.
		_, _ = eng.ContainerRemove(context.WithoutCancel(ctx), created.ID, client.ContainerRemoveOptions{Force: true, RemoveVolumes: true})
	}()
	_, err = eng.ContainerStart(ctx, created.ID, client.ContainerStartOptions{})
	switch {
	case err == nil:
		return Privileged, nil
	case ctx.Err() != nil:
		return "", fmt.Errorf("probe privileged mode: %w", ctx.Err())
	case refusesPrivileged(err):
		return Capabilities, nil
	}
	return "", fmt.Errorf("probe privileged mode: start: %w", err)
}

// refusesPrivileged reports whether a start error is the engine refusing
// privileged for want of capabilities in its own bounding set, as Debian's
// engine in a Firecracker VM does: "unable to apply caps: operation not
// permitted".
func refusesPrivileged(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "unable to apply caps") || strings.Contains(msg, "operation not permitted")
}

// securityHint says what to try when a node will not start or its dockerd
// will not come up, for the mode that ran.
func securityHint(mode SecurityMode) string {
	if mode == Capabilities {
		return "this engine refused --privileged, so nodes ran with an explicit capability set, and that failed too: " +
			"check that the engine allows --cap-add ALL and seccomp/apparmor=unconfined, or run labcheck where --privileged works " +
			"(see docs/troubleshooting.md, \"--privileged is refused\" and \"cgroup v1 and v2\")"
	}
	return "nodes ran --privileged: check the node image (--node-image) runs dockerd, and the host's cgroup setup " +
		"(see docs/troubleshooting.md, \"cgroup v1 and v2\")"
}
