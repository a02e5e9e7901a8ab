package checks

import (
	"fmt"

	"github.com/labcheck/labcheck/harness"
	"github.com/labcheck/labcheck/internal/strictyaml"
)

func init() {
	register(Kind{
		Name:    "service_spread",
		Doc:     "The service's running tasks sit on at least min_nodes distinct nodes; when balanced (the default), per-node counts differ by at most one across the Ready, Active nodes, counting those with none. This is what the spread scheduler does after `docker service update --replicas`.",
		Example: "kind: service_spread\nservice: sleep-app\nmin_nodes: 3\n",
	}, &serviceSpreadParams{})
}

type serviceSpreadParams struct {
	Service  strictyaml.String `yaml:"service" required:"true" doc:"service name"`
	MinNodes strictyaml.Int    `yaml:"min_nodes" required:"true" min:"1" doc:"least number of distinct nodes with running tasks"`
	Balanced *bool             `yaml:"balanced" doc:"per-node counts within one of each other (default true)"`
}

func (p *serviceSpreadParams) check() Check {
	balanced := p.Balanced == nil || *p.Balanced
	return serviceSpread{service: string(p.Service), minNodes: int(p.MinNodes), balanced: balanced}
}

type serviceSpread struct {
	service  string
	minNodes int
	balanced bool
}

func (c serviceSpread) Describe() string {
	d := fmt.Sprintf("%s runs on at least %s", c.service, plural(c.minNodes, "node", "nodes"))
	if c.balanced {
		d += ", balanced"
	}
	return d
}

func (c serviceSpread) Evaluate(s *harness.State) Result {
	if r, ok := serviceView(s, c.service); !ok {
		return r
	}
	byNode, total := runningByNode(s, c.service)
	distinct := 0
	for h := range byNode {
		if h != "" {
			distinct++
		}
	}
	ev := fmt.Sprintf("on %s: %s", plural(distinct, "node", "nodes"), counts(byNode, " "))
	if total == 0 {
		ev = "0 running"
	}
	if distinct < c.minNodes {
		head := fmt.Sprintf("%s: %s, on %s, want at least %d", c.service, runningText(total, byNode), plural(distinct, "node", "nodes"), c.minNodes)
		return failed(joinNotes(head, idleNodes(s, byNode)), ev)
	}
	if c.balanced {
		eligible := schedulable(s)
		per := map[string]int{}
		lo, hi := -1, -1
		for _, h := range eligible {
			n := byNode[h]
			per[h] = n
			if lo < 0 || n < lo {
				lo = n
			}
			if n > hi {
				hi = n
			}
		}
		if hi-lo > 1 {
			return failed(fmt.Sprintf("%s is unbalanced: %s on the ready, active nodes differ by more than one", c.service, counts(per, ", ")), ev)
		}
	}
	return passed(ev)
}
