package harness

import (
	"context"
	"fmt"
	"net"

	"github.com/moby/moby/client"
)

// JoinTokens are a swarm's join secrets.
type JoinTokens struct {
	Worker  string `json:"worker"`
	Manager string `json:"manager"`
}

// InitSwarm makes node the first manager of a new swarm, advertising its
// address on the cluster network, and returns the swarm's join tokens.
func (c *Cluster) InitSwarm(ctx context.Context, manager string) (JoinTokens, error) {
	n, err := c.node(manager)
	if err != nil {
		return JoinTokens{}, err
	}
	if _, err := n.inner.SwarmInit(ctx, client.SwarmInitOptions{ListenAddr: "0.0.0.0:2377", AdvertiseAddr: n.addr}); err != nil {
		return JoinTokens{}, fmt.Errorf("swarm init on %s: %w", manager, err)
	}
	return c.JoinTokens(ctx, manager)
}

// JoinTokens reads the join tokens from a manager.
func (c *Cluster) JoinTokens(ctx context.Context, manager string) (JoinTokens, error) {
	n, err := c.node(manager)
	if err != nil {
		return JoinTokens{}, err
	}
	res, err := n.inner.SwarmInspect(ctx, client.SwarmInspectOptions{})
	if err != nil {
		return JoinTokens{}, fmt.Errorf("join tokens from %s: %w", manager, err)
	}
	return JoinTokens{Worker: res.Swarm.JoinTokens.Worker, Manager: res.Swarm.JoinTokens.Manager}, nil
}

// JoinSwarm joins node to the swarm managed by manager, with the token
// (worker or manager) deciding its role.
func (c *Cluster) JoinSwarm(ctx context.Context, nodeName, manager, token string) error {
	n, err := c.node(nodeName)
	if err != nil {
		return err
	}
	m, err := c.node(manager)
	if err != nil {
		return err
	}
	_, err = n.inner.SwarmJoin(ctx, client.SwarmJoinOptions{
		ListenAddr:    "0.0.0.0:2377",
		AdvertiseAddr: n.addr,
		RemoteAddrs:   []string{net.JoinHostPort(m.addr, "2377")},
		JoinToken:     token,
	})
	if err != nil {
		return fmt.Errorf("swarm join %s -> %s: %w", nodeName, manager, err)
	}
	return nil
}

// LeaveSwarm makes node leave its swarm (forced, as `docker swarm leave --force`).
func (c *Cluster) LeaveSwarm(ctx context.Context, nodeName string) error {
	n, err := c.node(nodeName)
	if err != nil {
		return err
	}
	if _, err := n.inner.SwarmLeave(ctx, client.SwarmLeaveOptions{Force: true}); err != nil {
		return fmt.Errorf("swarm leave on %s: %w", nodeName, err)
	}
	return nil
}
