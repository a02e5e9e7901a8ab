package checks

import (
	"fmt"
	"sort"
	"strings"

	"github.com/labcheck/labcheck/harness"
)

// isRunning is a task that counts: the swarm wants it running and it is.
// A drained node's task that is still stopping (desired shutdown, current
// running) does not count, or a half-converged drain would look finished.
func isRunning(t harness.Task) bool {
	return t.DesiredState == "running" && t.State == "running"
}

// taskName is how `docker service ps` names a task: service.slot for a
// replicated service, service.node-id for a global one.
func taskName(t harness.Task) string {
	if t.Slot > 0 {
		return fmt.Sprintf("%s.%d", t.ServiceName, t.Slot)
	}
	if t.NodeID != "" {
		return t.ServiceName + "." + shortID(t.NodeID)
	}
	return t.ServiceName + "." + shortID(t.ID)
}

func sortTasks(ts []harness.Task) {
	sort.SliceStable(ts, func(i, j int) bool {
		if ts[i].Slot != ts[j].Slot {
			return ts[i].Slot < ts[j].Slot
		}
		return ts[i].ID < ts[j].ID
	})
}

// runningByNode counts a service's running tasks per node hostname.
func runningByNode(s *harness.State, service string) (map[string]int, int) {
	m := map[string]int{}
	total := 0
	for _, t := range s.TasksOf(service) {
		if isRunning(t) {
			m[hostOf(s, t)]++
			total++
		}
	}
	return m, total
}

// taskTrouble explains why a service has fewer running tasks than wanted:
// tasks not running yet, tasks still stopping, and the latest failures.
func taskTrouble(s *harness.State, service string) []string {
	var pending, stopping, failures []harness.Task
	for _, t := range s.TasksOf(service) {
		switch {
		case t.DesiredState == "running" && t.State != "running":
			pending = append(pending, t)
		case t.DesiredState != "running" && t.State == "running":
			stopping = append(stopping, t)
		case (t.State == "failed" || t.State == "rejected") && t.Error != "":
			failures = append(failures, t)
		}
	}
	var out []string
	if len(pending) > 0 {
		out = append(out, fmt.Sprintf("%s not running: %s", plural(len(pending), "task", "tasks"), describeTasks(s, pending)))
	}
	if len(stopping) > 0 {
		out = append(out, fmt.Sprintf("%s still stopping: %s", plural(len(stopping), "task", "tasks"), describeTasks(s, stopping)))
	}
	if len(failures) > 0 {
		out = append(out, fmt.Sprintf("%s: %s", plural(len(failures), "failed task", "failed tasks"), describeTasks(s, failures)))
	}
	return out
}

const maxListed = 4

func describeTasks(s *harness.State, ts []harness.Task) string {
	sortTasks(ts)
	var parts []string
	for i, t := range ts {
		if i == maxListed {
			parts = append(parts, fmt.Sprintf("and %d more", len(ts)-maxListed))
			break
		}
		p := taskName(t)
		if h := hostOf(s, t); h != "" {
			p += " on " + h
		}
		p += " " + t.State
		if t.DesiredState != "running" {
			p += " (desired " + t.DesiredState + ")"
		}
		if why := firstNonEmpty(t.Error, t.Message); why != "" && why != t.State && t.State != "running" {
			p += fmt.Sprintf(" %q", why)
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, ", ")
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// schedulable are the nodes the scheduler may place new tasks on: Ready and
// Active. A drained or paused node is expected to have none.
func schedulable(s *harness.State) []string {
	var out []string
	for _, sn := range swarmNodes(s) {
		if sn.Status == "ready" && sn.Availability == "active" {
			out = append(out, sn.Hostname)
		}
	}
	return out
}

// idleNodes says which lab nodes run none of the tasks and why that may be:
// a schedulable node with none, a node that never joined, a node down.
func idleNodes(s *harness.State, byNode map[string]int) []string {
	var out []string
	for _, n := range s.Nodes {
		if byNode[n.Name] > 0 {
			continue
		}
		sn, ok := swarmNode(s, n.Name)
		switch {
		case !ok:
			out = append(out, absentFromSwarm(s, n.Name))
		case sn.Status != "ready":
			out = append(out, fmt.Sprintf("%s has none (it is %s)", n.Name, sn.Status))
		case sn.Availability == "active":
			out = append(out, n.Name+" has none")
		}
	}
	return out
}

func runningText(total int, byNode map[string]int) string {
	if total == 0 {
		return "0 running"
	}
	return fmt.Sprintf("%d running (%s)", total, counts(byNode, ", "))
}

func runningEvidence(total int, byNode map[string]int) string {
	if total == 0 {
		return "0 running"
	}
	return fmt.Sprintf("%d running: %s", total, counts(byNode, " "))
}
