package harness

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"
)

// StateCheck looks at one observed state.
type StateCheck func(*State) Poll

// WaitState observes the cluster until check is done or timeout passes,
// looking again on every event a node's engine reports (see eventPaced),
// and returns the last state it saw either way: a timeout error then says
// the last reason, and the state says the rest.
func (c *Cluster) WaitState(ctx context.Context, what string, timeout time.Duration, check StateCheck) (*State, error) {
	return c.waitState(ctx, what, timeout, check, false)
}

// Settle waits until the swarm has converged (see Converged) and returns
// the settled state. Its looks after the first are quick ones (see
// lookAgain): nothing runs in the nodes while the swarm settles, so their
// swarm membership is what the first look saw, and only tasks, services
// and containers move.
func (c *Cluster) Settle(ctx context.Context, timeout time.Duration) (*State, error) {
	return c.waitState(ctx, "swarm to settle", timeout, Converged, true)
}

func (c *Cluster) waitState(ctx context.Context, what string, timeout time.Duration, check StateCheck, quick bool) (*State, error) {
	var last *State
	var fullAt time.Time
	look, stats := c.eventPaced(func(ctx context.Context) Poll {
		var st *State
		var err error
		if quick && last != nil && time.Since(fullAt) < fullLookEvery {
			st, err = c.lookAgain(ctx, last)
		} else {
			fullAt = time.Now()
			st, err = c.Observe(ctx)
		}
		if err != nil {
			return Failed(err)
		}
		last = st
		return check(st)
	})
	// Pacing is eventPaced's: Wait itself adds no pause between looks.
	err := Wait(ctx, what, timeout, 0, look)
	s := stats()
	c.mu.Lock()
	c.lastWait = s
	c.mu.Unlock()
	return last, err
}

// terminalTaskStates are task states a task never leaves.
var terminalTaskStates = map[string]bool{
	"complete": true, "shutdown": true, "failed": true, "rejected": true, "orphaned": true, "remove": true,
}

// Converged is done when the swarm is at rest, so that a check reads a
// final state rather than half a change: every replicated service has as
// many running tasks as it wants, no task is on its way up or down, and no
// container of a task told to stop still runs. A cluster with no swarm is
// at rest by definition. Nodes that are down are left to checks: they say
// whether that is expected.
func Converged(s *State) Poll {
	if s.Swarm == nil {
		return Done()
	}
	running := map[string]int{}
	desiredShutdown := map[string]bool{}
	failing := failingServices(s.Swarm.Tasks)
	var moving []string
	for _, t := range s.Swarm.Tasks {
		if failing[t.ServiceName] {
			continue
		}
		if t.NodeHostname != "" && !nodeUp(s, t.NodeHostname) {
			continue // a lost node's tasks never report again
		}
		if t.DesiredState != "running" && leftSwarm(s, t) {
			continue // nor do the stopping tasks of a node that left
		}
		switch {
		case t.DesiredState == "running" && t.State == "running":
			running[t.ServiceName]++
		case t.DesiredState == "running" && !terminalTaskStates[t.State]:
			moving = append(moving, fmt.Sprintf("%s.%d %s on %s", t.ServiceName, t.Slot, t.State, orNone(t.NodeHostname)))
		case t.DesiredState != "running" && !terminalTaskStates[t.State]:
			moving = append(moving, fmt.Sprintf("%s.%d stopping (%s) on %s", t.ServiceName, t.Slot, t.State, orNone(t.NodeHostname)))
		}
		if t.DesiredState != "running" {
			desiredShutdown[t.ID] = true
		}
	}
	for _, svc := range s.Swarm.Services {
		if svc.Replicas != nil && uint64(running[svc.Name]) != *svc.Replicas && !failing[svc.Name] {
			moving = append(moving, fmt.Sprintf("%s has %d of %d replicas running", svc.Name, running[svc.Name], *svc.Replicas))
		}
	}
	for _, n := range s.Nodes {
		for _, ctr := range n.Containers {
			if id := ctr.Labels["com.docker.swarm.task.id"]; id != "" && desiredShutdown[id] && ctr.State == "running" {
				moving = append(moving, fmt.Sprintf("container %s on %s still running", ctr.Name, n.Name))
			}
		}
	}
	if len(moving) > 0 {
		sort.Strings(moving)
		return Continue("%s", strings.Join(moving, "; "))
	}
	return Done()
}

// leftSwarm reports whether the node a task was given to has left the
// swarm, by the node's own word: its engine answers and is no longer that
// swarm node (it left, or left and joined again under a new node ID). The
// manager goes on listing the node as ready until its heartbeat runs out,
// some seconds later; `docker swarm leave` has already removed the node's
// task containers.
func leftSwarm(s *State, t Task) bool {
	if t.NodeID == "" || t.NodeHostname == "" {
		return false
	}
	n, ok := s.Node(t.NodeHostname)
	return ok && n.Reachable && n.Swarm.NodeID != t.NodeID
}

// nodeUp reports whether any swarm entry for hostname is ready (a node
// that left and rejoined is listed twice, once down).
func nodeUp(s *State, hostname string) bool {
	for _, sn := range s.Swarm.Nodes {
		if sn.Hostname == hostname && sn.Status == "ready" {
			return true
		}
	}
	return false
}

func orNone(s string) string {
	if s == "" {
		return "no node"
	}
	return s
}

// failingServices are services with a slot whose attempts failed or were
// rejected (a missing image, a bad command) and whose newest attempt is not
// running: swarm retries those forever, so they are at rest in their broken
// way. A slot whose newest attempt runs is fine whatever failed before.
func failingServices(tasks []Task) map[string]bool {
	type slot struct {
		service, node string
		n             int
	}
	newest := map[slot]Task{}
	failed := map[slot]bool{}
	for _, t := range tasks {
		k := slot{service: t.ServiceName, n: t.Slot}
		if t.Slot == 0 { // global services: one slot per node
			k.node = t.NodeID
		}
		if t.State == "failed" || t.State == "rejected" {
			failed[k] = true
		}
		if cur, ok := newest[k]; !ok || t.CreatedAt.After(cur.CreatedAt) {
			newest[k] = t
		}
	}
	failing := map[string]bool{}
	for k, t := range newest {
		if failed[k] && t.State != "running" {
			failing[t.ServiceName] = true
		}
	}
	return failing
}
