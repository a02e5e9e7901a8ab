package harness

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/moby/moby/api/types/network"
	"github.com/moby/moby/client"
)

// StopNode stops a node's container gracefully (its dockerd shuts down).
func (c *Cluster) StopNode(ctx context.Context, name string) error {
	n, err := c.node(name)
	if err != nil {
		return err
	}
	timeout := int(nodeStopGrace.Seconds())
	if _, err := c.outer.ContainerStop(ctx, n.containerID, client.ContainerStopOptions{Timeout: &timeout}); err != nil {
		return fmt.Errorf("stop %s: %w", name, err)
	}
	return nil
}

// KillNode kills a node's container at once, as a power loss would.
func (c *Cluster) KillNode(ctx context.Context, name string) error {
	n, err := c.node(name)
	if err != nil {
		return err
	}
	if _, err := c.outer.ContainerKill(ctx, n.containerID, client.ContainerKillOptions{Signal: "KILL"}); err != nil {
		return fmt.Errorf("kill %s: %w", name, err)
	}
	return nil
}

// StartNode starts a stopped or killed node again and waits for its
// dockerd; the node keeps its /var/lib/docker, so it rejoins its swarm.
func (c *Cluster) StartNode(ctx context.Context, name string) error {
	n, err := c.node(name)
	if err != nil {
		return err
	}
	if _, err := c.outer.ContainerStart(ctx, n.containerID, client.ContainerStartOptions{}); err != nil {
		return fmt.Errorf("start %s: %w", name, err)
	}
	if err := c.refreshAddr(ctx, n); err != nil {
		return err
	}
	_, err = c.waitDaemon(ctx, n)
	return err
}

// RestartNode stops and starts a node.
func (c *Cluster) RestartNode(ctx context.Context, name string) error {
	if err := c.StopNode(ctx, name); err != nil {
		return err
	}
	return c.StartNode(ctx, name)
}

// DisconnectNode cuts a node off the cluster network, as a partition would.
func (c *Cluster) DisconnectNode(ctx context.Context, name string) error {
	n, err := c.node(name)
	if err != nil {
		return err
	}
	if _, err := c.outer.NetworkDisconnect(ctx, c.network.ID, client.NetworkDisconnectOptions{Container: n.containerID, Force: true}); err != nil {
		return fmt.Errorf("disconnect %s: %w", name, err)
	}
	return nil
}

// ConnectNode puts a disconnected node back on the cluster network, with
// its name as alias and, where the engine allows, its old address.
func (c *Cluster) ConnectNode(ctx context.Context, name string) error {
	n, err := c.node(name)
	if err != nil {
		return err
	}
	_, err = c.outer.NetworkConnect(ctx, c.network.ID, client.NetworkConnectOptions{
		Container:      n.containerID,
		EndpointConfig: &network.EndpointSettings{Aliases: []string{name}},
	})
	if err != nil {
		return fmt.Errorf("connect %s: %w", name, err)
	}
	return c.refreshAddr(ctx, n)
}

func (c *Cluster) refreshAddr(ctx context.Context, n *node) error {
	insp, err := c.outer.ContainerInspect(ctx, n.containerID, client.ContainerInspectOptions{})
	if err != nil {
		return fmt.Errorf("inspect %s: %w", n.name, err)
	}
	if ep, ok := insp.Container.NetworkSettings.Networks[c.network.Name]; ok && ep.IPAddress.IsValid() {
		n.addr = ep.IPAddress.String()
	}
	return nil
}

// ErrPredatesCommand says KillContainer spared a container because it was
// created before the command it was asked to clean up after.
var ErrPredatesCommand = errors.New("container predates the command")

// KillContainer kills a container inside a node if it was created at or
// after since (so older containers the student meant to keep are spared,
// with ErrPredatesCommand; nodes share the host's clock). A container
// whose creation time cannot be read is not killed: sparing it wrongly
// costs a slower run, killing it wrongly costs the student's work.
func (c *Cluster) KillContainer(ctx context.Context, node, id string, since time.Time) error {
	n, err := c.node(node)
	if err != nil {
		return err
	}
	insp, err := n.inner.ContainerInspect(ctx, id, client.ContainerInspectOptions{})
	if err != nil {
		return fmt.Errorf("kill container %s on %s: %w", id, node, err)
	}
	created, err := time.Parse(time.RFC3339Nano, insp.Container.Created)
	if err != nil {
		return fmt.Errorf("kill container %s on %s: creation time: %w", id, node, err)
	}
	if created.Before(since) {
		return fmt.Errorf("kill container %s on %s: %w", id, node, ErrPredatesCommand)
	}
	if _, err := n.inner.ContainerKill(ctx, id, client.ContainerKillOptions{Signal: "KILL"}); err != nil {
		return fmt.Errorf("kill container %s on %s: %w", id, node, err)
	}
	return nil
}
