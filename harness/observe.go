package harness

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/moby/moby/api/types/swarm"
	"github.com/moby/moby/client"
)

// Observe returns the cluster's state now: every node's own view (swarm
// membership, containers) and the swarm's view from a reachable manager.
func (c *Cluster) Observe(ctx context.Context) (*State, error) {
	st := &State{ObservedAt: time.Now().UTC(), Nodes: make([]NodeState, len(c.nodes))}
	var wg sync.WaitGroup
	for i, n := range c.nodes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			st.Nodes[i] = observeNode(ctx, n)
		}()
	}
	// The manager that answered last time is asked for the swarm's view
	// beside the nodes' own looks, which halves a look's time: a settling
	// swarm is looked at every few milliseconds. It counts only if its node
	// still says it is a manager.
	guess := c.lastManager()
	var early *SwarmState
	var earlyErr error
	if guess >= 0 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			early, earlyErr = observeSwarm(ctx, c.nodes[guess].inner)
		}()
	}
	wg.Wait()
	// Ask managers in cluster order, leader-agnostic: any manager that
	// answers has the raft store's view.
	var errs []error
	for i, ns := range st.Nodes {
		if !ns.Reachable || !ns.Swarm.ControlAvailable {
			continue
		}
		var sw *SwarmState
		var err error
		if i == guess {
			sw, err = early, earlyErr
		} else {
			sw, err = observeSwarm(ctx, c.nodes[i].inner)
		}
		if err != nil {
			// A manager that cannot list the swarm (no leader during an
			// election) says why in its own entry.
			errs = append(errs, fmt.Errorf("%s: %w", ns.Name, err))
			if st.Nodes[i].Swarm.Error == "" {
				st.Nodes[i].Swarm.Error = err.Error()
			}
			continue
		}
		st.Swarm, st.Manager = sw, ns.Name
		c.setLastManager(i)
		break
	}
	if st.Swarm == nil {
		c.setLastManager(-1)
	}
	err := ctx.Err()
	if err == nil {
		return st, nil
	}
	// The caller's context ended the look: say what each manager answered,
	// and keep ctx's own error in the chain (a manager's call may have hit
	// only its per-call bound), so that Wait tells an interrupt or a
	// deadline from a broken engine and keeps its last reason.
	if st.Swarm == nil && len(errs) > 0 {
		if !errors.Is(errorList(errs), err) {
			errs = append(errs, err)
		}
		return st, fmt.Errorf("observe swarm: %w", errorList(errs))
	}
	return st, err
}

// lastManager is the index of the node whose swarm view the last look
// used, or -1.
func (c *Cluster) lastManager() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.manager == 0 {
		return -1
	}
	return c.manager - 1
}

func (c *Cluster) setLastManager(i int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.manager = i + 1
}

// errorList is errors.Join on one line: its text goes into one line of a
// report, and errors.Is still finds every error in it.
type errorList []error

func (l errorList) Error() string {
	s := make([]string, len(l))
	for i, err := range l {
		s[i] = err.Error()
	}
	return strings.Join(s, "; ")
}

func (l errorList) Unwrap() []error { return l }

func observeNode(ctx context.Context, n *node) NodeState {
	return observeEngineNode(ctx, n.name, n.inner)
}

// observeEngineNode is what one engine says about itself, under the name
// the caller knows it by.
func observeEngineNode(ctx context.Context, name string, cli *client.Client) NodeState {
	ns := NodeState{Name: name}
	ctx, cancel := context.WithTimeout(ctx, observeTimeout)
	defer cancel()
	info, err := cli.Info(ctx, client.InfoOptions{})
	if err != nil {
		ns.Error = describeErr(err)
		return ns
	}
	sw := info.Info.Swarm
	ns.Swarm = LocalSwarm{
		State:            string(sw.LocalNodeState),
		NodeID:           sw.NodeID,
		NodeAddr:         sw.NodeAddr,
		ControlAvailable: sw.ControlAvailable,
		Error:            sw.Error,
	}
	if sw.Cluster != nil {
		ns.Swarm.ClusterID = sw.Cluster.ID
	}
	if ns.Containers, err = listContainers(ctx, cli); err != nil {
		ns.Error = describeErr(err)
		return ns
	}
	ns.Reachable = true
	return ns
}

// listContainers lists every container of one engine, sorted by name.
func listContainers(ctx context.Context, cli *client.Client) ([]Container, error) {
	list, err := cli.ContainerList(ctx, client.ContainerListOptions{All: true})
	if err != nil {
		return nil, err
	}
	out := make([]Container, 0, len(list.Items))
	for _, s := range list.Items {
		name := ""
		if len(s.Names) > 0 {
			name = strings.TrimPrefix(s.Names[0], "/")
		}
		out = append(out, Container{
			ID: s.ID, Name: name, Image: s.Image, Command: s.Command,
			State: string(s.State), Status: s.Status, Labels: s.Labels,
		})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

func describeErr(err error) string {
	if errors.Is(err, context.DeadlineExceeded) {
		return "engine did not answer within " + observeTimeout.String()
	}
	return err.Error()
}

func observeSwarm(ctx context.Context, cli *client.Client) (*SwarmState, error) {
	ctx, cancel := context.WithTimeout(ctx, observeTimeout)
	defer cancel()
	nodes, err := cli.NodeList(ctx, client.NodeListOptions{})
	if err != nil {
		return nil, err
	}
	services, err := cli.ServiceList(ctx, client.ServiceListOptions{})
	if err != nil {
		return nil, err
	}
	tasks, err := cli.TaskList(ctx, client.TaskListOptions{})
	if err != nil {
		return nil, err
	}
	sw := &SwarmState{Nodes: []SwarmNode{}, Services: []Service{}, Tasks: []Task{}}
	hostnames := map[string]string{}
	for _, n := range nodes.Items {
		sn := SwarmNode{
			ID: n.ID, Hostname: n.Description.Hostname, Role: string(n.Spec.Role),
			Availability: string(n.Spec.Availability), Status: string(n.Status.State), Addr: n.Status.Addr,
		}
		if n.ManagerStatus != nil {
			sn.Leader = n.ManagerStatus.Leader
			sn.Reachability = string(n.ManagerStatus.Reachability)
		}
		hostnames[n.ID] = sn.Hostname
		sw.Nodes = append(sw.Nodes, sn)
	}
	sort.Slice(sw.Nodes, func(i, j int) bool {
		if sw.Nodes[i].Hostname != sw.Nodes[j].Hostname {
			return sw.Nodes[i].Hostname < sw.Nodes[j].Hostname
		}
		return sw.Nodes[i].ID < sw.Nodes[j].ID
	})
	names := map[string]string{}
	for _, s := range services.Items {
		svc := Service{ID: s.ID, Name: s.Spec.Name, Mode: "replicated"}
		if cs := s.Spec.TaskTemplate.ContainerSpec; cs != nil {
			svc.Image = stripDigest(cs.Image)
			svc.Args = append(append([]string{}, cs.Command...), cs.Args...)
		}
		switch {
		case s.Spec.Mode.Global != nil:
			svc.Mode = "global"
		case s.Spec.Mode.Replicated != nil && s.Spec.Mode.Replicated.Replicas != nil:
			r := *s.Spec.Mode.Replicated.Replicas
			svc.Replicas = &r
		}
		names[s.ID] = svc.Name
		sw.Services = append(sw.Services, svc)
	}
	sort.Slice(sw.Services, func(i, j int) bool { return sw.Services[i].Name < sw.Services[j].Name })
	for _, t := range tasks.Items {
		sw.Tasks = append(sw.Tasks, convertTask(t, names, hostnames))
	}
	sort.Slice(sw.Tasks, func(i, j int) bool {
		a, b := sw.Tasks[i], sw.Tasks[j]
		if a.ServiceName != b.ServiceName {
			return a.ServiceName < b.ServiceName
		}
		if a.Slot != b.Slot {
			return a.Slot < b.Slot
		}
		return a.ID < b.ID
	})
	return sw, nil
}

func convertTask(t swarm.Task, serviceNames, hostnames map[string]string) Task {
	task := Task{
		ID: t.ID, ServiceID: t.ServiceID, ServiceName: serviceNames[t.ServiceID], Slot: t.Slot,
		NodeID: t.NodeID, NodeHostname: hostnames[t.NodeID],
		DesiredState: string(t.DesiredState), State: string(t.Status.State),
		Message: t.Status.Message, Error: t.Status.Err, CreatedAt: t.CreatedAt.UTC(),
	}
	if t.Status.ContainerStatus != nil {
		task.ContainerID = t.Status.ContainerStatus.ContainerID
	}
	return task
}

func stripDigest(image string) string {
	if i := strings.Index(image, "@"); i >= 0 {
		return image[:i]
	}
	return image
}
