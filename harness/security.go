package harness

import (
	"context"
	_ "embed"
	"fmt"
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

var (
	detectOnce sync.Map // engine host -> *detected
)

type detected struct {
	once sync.Once
	mode SecurityMode
	err  error
}

// DetectSecurityMode finds out, once per engine and process, whether the
// engine runs privileged containers; where it refuses (`unable to apply
// caps: operation not permitted`), nodes use the capability set instead.
func DetectSecurityMode(ctx context.Context, cli *client.Client, image string, labels map[string]string) (SecurityMode, error) {
	v, _ := detectOnce.LoadOrStore(cli.DaemonHost()+"|"+image, &detected{})
	d := v.(*detected)
	d.once.Do(func() { d.mode, d.err = probePrivileged(ctx, cli, image, labels) })
	return d.mode, d.err
}

func probePrivileged(ctx context.Context, cli *client.Client, image string, labels map[string]string) (SecurityMode, error) {
	created, err := cli.ContainerCreate(ctx, client.ContainerCreateOptions{
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
		_, _ = cli.ContainerRemove(context.WithoutCancel(ctx), created.ID, client.ContainerRemoveOptions{Force: true, RemoveVolumes: true})
	}()
	if _, err := cli.ContainerStart(ctx, created.ID, client.ContainerStartOptions{}); err != nil {
		// Typically "unable to apply caps: operation not permitted": the
		// engine's own bounding set lacks a capability privileged needs.
		return Capabilities, nil
	}
	return Privileged, nil
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
