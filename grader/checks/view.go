package checks

import (
	"fmt"
	"sort"
	"strings"

	"github.com/labcheck/labcheck/harness"
)

// whyNoSwarm explains a state without a swarm view. It fails when every
// node answered and none is a manager (there really is no swarm to look
// at), and errors when a manager, or a node that might be one, could not
// be asked: then the swarm may well exist and labcheck simply cannot see it.
func whyNoSwarm(s *harness.State) Result {
	var unreachable []string
	managers := groups{}
	local := groups{}
	for _, n := range s.Nodes {
		switch {
		case !n.Reachable:
			unreachable = append(unreachable, fmt.Sprintf("%s did not answer (%s)", n.Name, orUnknown(n.Error)))
		case n.Swarm.ControlAvailable:
			managers.add(orUnknown(firstNonEmpty(n.Swarm.Error, n.Error)), n.Name)
		default:
			local.add(localState(n.Swarm), n.Name)
		}
	}
	if len(managers.keys) > 0 {
		var parts []string
		for _, why := range managers.keys {
			names := managers.names[why]
			parts = append(parts, fmt.Sprintf("%s %s but could not show the swarm (%s)", list(names), pluralWord(len(names), "is a manager", "are managers"), why))
		}
		return errored("no swarm view: " + strings.Join(parts, "; "))
	}
	if len(unreachable) > 0 {
		return errored("no swarm view: no manager answered; " + strings.Join(unreachable, "; "))
	}
	var parts []string
	for _, st := range local.keys {
		names := local.names[st]
		if st == "inactive" {
			parts = append(parts, fmt.Sprintf("%s %s not in a swarm (state inactive)", list(names), isAre(names)))
		} else {
			parts = append(parts, fmt.Sprintf("%s %s in a swarm (state %s) with no manager", list(names), isAre(names), st))
		}
	}
	return failed("no swarm: "+strings.Join(parts, "; "), "")
}

// groups collects node names under a key, keeping keys in the order first
// seen so that messages follow cluster order.
type groups struct {
	keys  []string
	names map[string][]string
}

func (g *groups) add(key, name string) {
	if g.names == nil {
		g.names = map[string][]string{}
	}
	if _, ok := g.names[key]; !ok {
		g.keys = append(g.keys, key)
	}
	g.names[key] = append(g.names[key], name)
}

// swarmView returns the swarm's view, or the verdict a check that needs it
// must give.
func swarmView(s *harness.State) (*harness.SwarmState, Result, bool) {
	if s.Swarm == nil {
		return nil, whyNoSwarm(s), false
	}
	return s.Swarm, Result{}, true
}

func localState(l harness.LocalSwarm) string {
	if l.State == "" {
		return "inactive"
	}
	return l.State
}

// swarmNode finds the swarm's entry for a lab node. A node that left and
// rejoined is listed twice under one hostname; the entry carrying the
// node's current ID wins, then a ready one, then one that is not down.
func swarmNode(s *harness.State, name string) (harness.SwarmNode, bool) {
	if s.Swarm == nil {
		return harness.SwarmNode{}, false
	}
	var current string
	if n, ok := s.Node(name); ok && n.Reachable {
		current = n.Swarm.NodeID
	}
	var best harness.SwarmNode
	found := false
	for _, sn := range s.Swarm.Nodes {
		if sn.Hostname != name {
			continue
		}
		if !found || entryRank(sn, current) > entryRank(best, current) {
			best, found = sn, true
		}
	}
	return best, found
}

func entryRank(sn harness.SwarmNode, currentID string) int {
	switch {
	case currentID != "" && sn.ID == currentID:
		return 3
	case sn.Status == "ready":
		return 2
	case sn.Status != "down":
		return 1
	}
	return 0
}

// swarmNodes returns one entry per hostname, sorted by hostname, so that
// counts are not inflated by the stale entry of a node that rejoined.
func swarmNodes(s *harness.State) []harness.SwarmNode {
	if s.Swarm == nil {
		return nil
	}
	seen := map[string]bool{}
	var out []harness.SwarmNode
	for _, sn := range s.Swarm.Nodes {
		if seen[sn.Hostname] {
			continue
		}
		seen[sn.Hostname] = true
		best, _ := swarmNode(s, sn.Hostname)
		out = append(out, best)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Hostname < out[j].Hostname })
	return out
}

// hostOf names the node a task was scheduled on.
func hostOf(s *harness.State, t harness.Task) string {
	if t.NodeHostname != "" {
		return t.NodeHostname
	}
	if t.NodeID == "" {
		return ""
	}
	if s.Swarm != nil {
		for _, sn := range s.Swarm.Nodes {
			if sn.ID == t.NodeID {
				return sn.Hostname
			}
		}
	}
	return shortID(t.NodeID)
}

// absentFromSwarm says, for a lab node the swarm view does not list, what
// the node itself reports: usually that it never joined.
func absentFromSwarm(s *harness.State, name string) string {
	n, ok := s.Node(name)
	switch {
	case !ok:
		return fmt.Sprintf("%s is not a node of this cluster", name)
	case !n.Reachable:
		return fmt.Sprintf("%s is not in the swarm and did not answer (%s)", name, orUnknown(n.Error))
	case !n.Swarm.InSwarm():
		return fmt.Sprintf("%s has not joined the swarm (state inactive)", name)
	}
	return fmt.Sprintf("%s is not listed by the swarm (its own state: %s)", name, localState(n.Swarm))
}

// unknownNode is the error for a node name the state does not have: the
// lab and the cluster disagree, which is labcheck's problem, not the
// student's.
func unknownNode(s *harness.State, name string) Result {
	var names []string
	for _, n := range s.Nodes {
		names = append(names, n.Name)
	}
	return errored(fmt.Sprintf("%s is not a node of this cluster (nodes: %s)", name, strings.Join(names, ", ")))
}

func shortID(id string) string {
	if len(id) > 12 {
		return id[:12]
	}
	return id
}

func orUnknown(s string) string {
	if s == "" {
		return "no reason given"
	}
	return s
}

// list joins names as "node1, node2".
func list(names []string) string {
	return strings.Join(names, ", ")
}

func isAre(names []string) string {
	if len(names) == 1 {
		return "is"
	}
	return "are"
}

func plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// counts renders per-node counts in node order: "node1×3, node2×2".
func counts(m map[string]int, sep string) string {
	var parts []string
	for _, k := range sortedKeys(m) {
		if k != "" {
			parts = append(parts, fmt.Sprintf("%s×%d", k, m[k]))
		}
	}
	// Tasks not yet placed on a node come last.
	if n, ok := m[""]; ok {
		parts = append(parts, fmt.Sprintf("unassigned×%d", n))
	}
	return strings.Join(parts, sep)
}

// reachableNode finds a lab node whose engine answered. When it cannot,
// ok is false and r is the verdict to return: an unknown node, or an error
// saying what could not be asked (cannot is a format with %s for the node).
func reachableNode(s *harness.State, name, cannot string) (n harness.NodeState, r Result, ok bool) {
	if r, bad := noState(s); bad {
		return n, r, false
	}
	if n, ok = s.Node(name); !ok {
		return n, unknownNode(s, name), false
	}
	if !n.Reachable {
		return n, errored(fmt.Sprintf(cannot+": %s", name, orUnknown(n.Error))), false
	}
	return n, Result{}, true
}

// serviceView checks there is a state, a swarm view and the named service
// in it; when not, ok is false and r is the verdict to return.
func serviceView(s *harness.State, service string) (r Result, ok bool) {
	if r, bad := noState(s); bad {
		return r, false
	}
	if _, r, ok := swarmView(s); !ok {
		return r, false
	}
	if _, ok := s.Service(service); !ok {
		return failed(noService(s, service), servicesEvidence(s)), false
	}
	return Result{}, true
}
