package checks

import (
	"fmt"
	"sort"

	"github.com/labcheck/labcheck/internal/strictyaml"

	"github.com/labcheck/labcheck/harness"
)

func init() {
	register(Kind{
		Name:    "running_tasks",
		Doc:     "Exactly count tasks of the service are running (desired state running and current state running, as in `docker service ps`); with `on`, every one of them runs on those nodes.",
		Example: "kind: running_tasks\nservice: sleep-app\ncount: 4\non: [node1, node3]\n",
	}, &runningTasksParams{})
}

type runningTasksParams struct {
	Service strictyaml.String   `yaml:"service" required:"true" doc:"service name"`
	Count   strictyaml.Int      `yaml:"count" required:"true" min:"0" doc:"number of running tasks"`
	On      []strictyaml.String `yaml:"on" type:"[]node" min:"1" doc:"nodes the running tasks must all be on"`
}

func (p *runningTasksParams) check() Check {
	return runningTasks{service: string(p.Service), count: int(p.Count), on: strictyaml.Strings(p.On)}
}

type runningTasks struct {
	service string
	count   int
	on      []string
}

func (c runningTasks) Describe() string {
	d := fmt.Sprintf("%s of %s", plural(c.count, "running task", "running tasks"), c.service)
	if len(c.on) > 0 {
		d += ", all on " + list(c.on)
	}
	return d
}

func (c runningTasks) Evaluate(s *harness.State) Result {
	if r, ok := serviceView(s, c.service); !ok {
		return r
	}
	byNode, total := runningByNode(s, c.service)
	ev := runningEvidence(total, byNode)

	var problems []string
	if total != c.count {
		problems = append(problems, fmt.Sprintf("want %d", c.count))
	}
	if len(c.on) > 0 {
		allowed := map[string]bool{}
		for _, n := range c.on {
			allowed[n] = true
		}
		var off []string
		for _, h := range sortedKeys(byNode) {
			if !allowed[h] {
				off = append(off, fmt.Sprintf("%d on %s", byNode[h], orUnassigned(h)))
			}
		}
		if len(off) > 0 {
			sort.Strings(off)
			problems = append(problems, fmt.Sprintf("%s, want only on %s", list(off), list(c.on)))
		}
	}
	if len(problems) == 0 {
		return passed(ev)
	}
	var notes []string
	if total < c.count {
		notes = idleNodes(s, byNode)
	}
	notes = append(notes, taskTrouble(s, c.service)...)
	head := fmt.Sprintf("%s: %s, %s", c.service, runningText(total, byNode), list(problems))
	return failed(joinNotes(head, notes), ev)
}

func orUnassigned(h string) string {
	if h == "" {
		return "no node"
	}
	return h
}
