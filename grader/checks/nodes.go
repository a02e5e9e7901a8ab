package checks

import (
	"fmt"
	"strings"

	"github.com/labcheck/labcheck/harness"
	"github.com/labcheck/labcheck/internal/strictyaml"
)

func init() {
	register(Kind{
		Name:    "managers",
		Doc:     "Exactly count manager nodes are Ready in the swarm (`docker node ls`, MANAGER STATUS set).",
		Example: "kind: managers\ncount: 3\n",
	}, &managersParams{})

	register(Kind{
		Name:    "nodes_ready",
		Doc:     "Exactly count nodes are Ready in the swarm. A node that left and rejoined is listed twice; its down duplicate does not count.",
		Example: "kind: nodes_ready\ncount: 3\n",
	}, &nodesReadyParams{})
}

type managersParams struct {
	Count strictyaml.Int `yaml:"count" required:"true" min:"0" doc:"number of ready managers"`
}

func (p *managersParams) check() Check { return managers{count: int(p.Count)} }

type nodesReadyParams struct {
	Count strictyaml.Int `yaml:"count" required:"true" min:"0" doc:"number of ready nodes"`
}

func (p *nodesReadyParams) check() Check { return nodesReady{count: int(p.Count)} }

type managers struct{ count int }

func (c managers) Describe() string { return plural(c.count, "ready manager", "ready managers") }

func (c managers) Evaluate(s *harness.State) Result {
	if r, bad := noState(s); bad {
		return r
	}
	if _, r, ok := swarmView(s); !ok {
		return r
	}
	var ready, notes []string
	listed := map[string]bool{}
	for _, sn := range swarmNodes(s) {
		listed[sn.Hostname] = true
		switch {
		case sn.Role == "manager" && sn.Status == "ready":
			name := sn.Hostname
			if sn.Leader {
				name += " (leader)"
			}
			ready = append(ready, name)
		case sn.Role == "manager":
			notes = append(notes, fmt.Sprintf("%s is a manager but %s", sn.Hostname, sn.Status))
		default:
			notes = append(notes, fmt.Sprintf("%s is a %s", sn.Hostname, sn.Role))
		}
	}
	notes = append(notes, unlisted(s, listed)...)
	ev := fmt.Sprintf("%s: %s", plural(len(ready), "ready manager", "ready managers"), list(ready))
	if len(ready) == 0 {
		ev = "no ready manager"
	}
	if len(ready) == c.count {
		return passed(ev)
	}
	return failed(joinNotes(fmt.Sprintf("%s, want %d", ev, c.count), notes), ev)
}

type nodesReady struct{ count int }

func (c nodesReady) Describe() string { return plural(c.count, "node ready", "nodes ready") }

func (c nodesReady) Evaluate(s *harness.State) Result {
	if r, bad := noState(s); bad {
		return r
	}
	if _, r, ok := swarmView(s); !ok {
		return r
	}
	var ready, notes []string
	listed := map[string]bool{}
	for _, sn := range swarmNodes(s) {
		listed[sn.Hostname] = true
		if sn.Status == "ready" {
			ready = append(ready, sn.Hostname)
		} else {
			notes = append(notes, fmt.Sprintf("%s is %s", sn.Hostname, sn.Status))
		}
	}
	notes = append(notes, unlisted(s, listed)...)
	ev := fmt.Sprintf("%s: %s", plural(len(ready), "node ready", "nodes ready"), list(ready))
	if len(ready) == 0 {
		ev = "no node ready"
	}
	if len(ready) == c.count {
		return passed(ev)
	}
	return failed(joinNotes(fmt.Sprintf("%s, want %d", ev, c.count), notes), ev)
}

// unlisted explains the lab nodes the swarm does not list, in cluster
// order: "node3 has not joined the swarm" is usually the whole story.
func unlisted(s *harness.State, listed map[string]bool) []string {
	var out []string
	for _, n := range s.Nodes {
		if !listed[n.Name] {
			out = append(out, absentFromSwarm(s, n.Name))
		}
	}
	return out
}

func joinNotes(head string, notes []string) string {
	if len(notes) == 0 {
		return head
	}
	return head + "; " + strings.Join(notes, "; ")
}
