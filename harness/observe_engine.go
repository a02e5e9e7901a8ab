package harness

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/moby/moby/api/types/swarm"
	"github.com/moby/moby/client"
	"github.com/moby/moby/client/pkg/versions"
)

// minSwarmAPI is the engine API version that brought swarm mode (Docker
// 1.12); an older engine has no swarm to look at.
const minSwarmAPI = "1.24"

// ErrNotManager says the engine is a swarm worker: only a manager can list
// the swarm's nodes, services and tasks, so a worker cannot show the
// cluster's state. errors.Is finds it in a *NotManagerError.
var ErrNotManager = errors.New("not a swarm manager")

// NotManagerError is ErrNotManager with what a student needs to go on:
// which node answered and where its managers are.
type NotManagerError struct {
	// Node is the worker's hostname.
	Node string
	// Managers are the managers' addresses as the worker knows them
	// (docker info: Swarm.RemoteManagers), sorted.
	Managers []string
}

func (e *NotManagerError) Error() string {
	where := "this node does not know its managers' addresses"
	if len(e.Managers) > 0 {
		where = "the managers are at " + strings.Join(e.Managers, ", ")
	}
	return fmt.Sprintf("%s is a swarm worker, and a worker cannot list the swarm's nodes, services or tasks: run verify on a manager: %s", e.Node, where)
}

// Is makes errors.Is(err, ErrNotManager) true.
func (e *NotManagerError) Is(target error) bool { return target == ErrNotManager }

// NotObservable starts the Error of every node ObserveEngine lists but
// cannot read; a check whose reason contains it could not see that node,
// which says nothing about the student's cluster.
func NotObservable(local string) string {
	return "not observable from " + local
}

// ObserveEngine returns the cluster's state as one engine sees it: the
// engine's own node (containers included) and, when it is a manager, the
// swarm's view of nodes, services and tasks. The swarm's other nodes are
// listed as not reachable, their swarm membership taken from the swarm's
// view: their containers live on their own engines, which a student's
// single terminal cannot ask. It only reads (ping, info and lists).
//
// An engine outside any swarm is a valid state (before `docker swarm
// init`, after `docker swarm leave`): the state then holds that node
// alone. A worker returns a *NotManagerError.
func ObserveEngine(ctx context.Context, cli *client.Client) (*State, error) {
	name, sw, err := engineIdentity(ctx, cli)
	if err != nil {
		return nil, err
	}
	if sw.LocalNodeState == swarm.LocalNodeStateActive && !sw.ControlAvailable {
		return nil, notManager(name, sw.RemoteManagers)
	}
	local := observeEngineNode(ctx, name, cli)
	if !local.Reachable {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("observe %s: %w", name, err)
		}
		return nil, fmt.Errorf("observe %s: %s", name, local.Error)
	}
	st := &State{ObservedAt: time.Now().UTC(), Nodes: []NodeState{local}}
	if !local.Swarm.ControlAvailable {
		return st, nil
	}
	view, err := observeSwarm(ctx, cli)
	if err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("observe swarm from %s: %w", name, ctx.Err())
		}
		// A manager that cannot list the swarm (no leader, lost quorum)
		// is a state the checks explain, not a failure to observe.
		if st.Nodes[0].Swarm.Error == "" {
			st.Nodes[0].Swarm.Error = err.Error()
		}
		return st, nil
	}
	st.Swarm, st.Manager = view, name
	st.Nodes = append(st.Nodes, remoteNodes(local, view)...)
	sort.Slice(st.Nodes, func(i, j int) bool { return st.Nodes[i].Name < st.Nodes[j].Name })
	return st, nil
}

// engineIdentity checks that the engine answers and speaks a swarm-capable
// API, and returns its hostname and local swarm membership.
func engineIdentity(ctx context.Context, cli *client.Client) (string, swarm.Info, error) {
	ctx, cancel := context.WithTimeout(ctx, observeTimeout)
	defer cancel()
	ping, err := cli.Ping(ctx, client.PingOptions{NegotiateAPIVersion: true})
	if v := ping.APIVersion; v != "" && versions.LessThan(v, minSwarmAPI) {
		return "", swarm.Info{}, fmt.Errorf("observe engine: engine API %s is too old (swarm needs %s)", v, minSwarmAPI)
	}
	if err != nil {
		return "", swarm.Info{}, fmt.Errorf("observe engine: %w", err)
	}
	info, err := cli.Info(ctx, client.InfoOptions{})
	if err != nil {
		return "", swarm.Info{}, fmt.Errorf("observe engine: %w", err)
	}
	return info.Info.Name, info.Info.Swarm, nil
}

func notManager(name string, peers []swarm.Peer) error {
	e := &NotManagerError{Node: name}
	for _, p := range peers {
		e.Managers = append(e.Managers, p.Addr)
	}
	sort.Strings(e.Managers)
	return e
}

// SeenFrom returns what ObserveEngine shows on name's engine, given a
// full observation of the cluster (Cluster.Observe or a recorded state),
// so that what one engine can judge is tested on recorded states. A
// worker's engine gives a *NotManagerError, as ObserveEngine does.
func SeenFrom(s *State, name string) (*State, error) {
	local, ok := s.Node(name)
	if !ok {
		return nil, fmt.Errorf("seen from %s: no such node in the state", name)
	}
	if !local.Reachable {
		return nil, fmt.Errorf("observe %s: %s", name, local.Error)
	}
	if local.Swarm.State == string(swarm.LocalNodeStateActive) && !local.Swarm.ControlAvailable {
		e := &NotManagerError{Node: name}
		if s.Swarm != nil {
			for _, sn := range s.Swarm.Nodes {
				// The swarm lists a node's IP; managers listen on the
				// default swarm port unless told otherwise.
				if sn.Role == "manager" && sn.Addr != "" {
					e.Managers = append(e.Managers, sn.Addr+":2377")
				}
			}
			sort.Strings(e.Managers)
		}
		return nil, e
	}
	out := &State{ObservedAt: s.ObservedAt, Nodes: []NodeState{local}}
	if !local.Swarm.ControlAvailable || s.Swarm == nil {
		return out, nil
	}
	out.Swarm, out.Manager = s.Swarm, name
	out.Nodes = append(out.Nodes, remoteNodes(local, s.Swarm)...)
	sort.Slice(out.Nodes, func(i, j int) bool { return out.Nodes[i].Name < out.Nodes[j].Name })
	return out, nil
}

// remoteNodes lists the swarm's nodes other than local, one per hostname.
// A node that left and rejoined is listed twice by the swarm; its ready
// entry stands for it.
func remoteNodes(local NodeState, view *SwarmState) []NodeState {
	best := map[string]SwarmNode{}
	for _, sn := range view.Nodes {
		if sn.ID == local.Swarm.NodeID || sn.Hostname == local.Name {
			continue
		}
		if cur, seen := best[sn.Hostname]; !seen || (cur.Status != "ready" && sn.Status == "ready") {
			best[sn.Hostname] = sn
		}
	}
	why := NotObservable(local.Name) + ": verify reads one engine; that node's containers are on its own engine"
	out := make([]NodeState, 0, len(best))
	for _, sn := range best {
		ns := NodeState{Name: sn.Hostname, Error: why, Swarm: LocalSwarm{
			NodeID: sn.ID, NodeAddr: sn.Addr, ControlAvailable: sn.Role == "manager",
		}}
		// Only a ready node is known to be in the swarm: a down one may
		// have left it, and its own state cannot be asked.
		if sn.Status == "ready" {
			ns.Swarm.State = string(swarm.LocalNodeStateActive)
		}
		out = append(out, ns)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}
