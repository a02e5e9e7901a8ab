package checks

import (
	"fmt"
	"strings"

	"github.com/labcheck/labcheck/harness"
	"github.com/labcheck/labcheck/internal/strictyaml"
)

func init() {
	register(Kind{
		Name:    "no_tasks_on_node",
		Doc:     "No task of the service is running on the node, by the swarm's account, and the node itself runs no container of the service (label com.docker.swarm.service.name). Both matter after a drain: tasks stop only after their grace period.",
		Example: "kind: no_tasks_on_node\nservice: sleep-app\nnode: node2\n",
	}, &noTasksOnNodeParams{})
}

type noTasksOnNodeParams struct {
	Service strictyaml.String `yaml:"service" required:"true" doc:"service name"`
	Node    strictyaml.String `yaml:"node" required:"true" type:"node" doc:"lab node"`
}

func (p *noTasksOnNodeParams) check() Check {
	return noTasksOnNode{service: string(p.Service), node: string(p.Node)}
}

type noTasksOnNode struct{ service, node string }

func (c noTasksOnNode) Describe() string {
	return fmt.Sprintf("no %s task on %s", c.service, c.node)
}

func (c noTasksOnNode) Evaluate(s *harness.State) Result {
	n, r, ok := reachableNode(s, c.node, "cannot list %s's containers")
	if !ok {
		return r
	}
	var problems []string
	if s.Swarm == nil {
		if r := whyNoSwarm(s); r.Status == Error {
			return r
		}
	} else {
		var tasks []harness.Task
		for _, t := range s.TasksOf(c.service) {
			if t.State == "running" && hostOf(s, t) == c.node {
				tasks = append(tasks, t)
			}
		}
		if len(tasks) > 0 {
			problems = append(problems, fmt.Sprintf("the swarm shows %s of %s running on %s: %s",
				plural(len(tasks), "task", "tasks"), c.service, c.node, describeTasks(s, tasks)))
		}
	}
	var containers []string
	others := 0
	for _, ct := range n.Containers {
		if ct.State != "running" {
			continue
		}
		if ct.ServiceName() == c.service {
			containers = append(containers, ct.Name)
		} else {
			others++
		}
	}
	if len(containers) > 0 {
		problems = append(problems, fmt.Sprintf("%s still runs %s of %s: %s",
			c.node, plural(len(containers), "container", "containers"), c.service, strings.Join(containers, ", ")))
	}
	if len(problems) > 0 {
		return failed(strings.Join(problems, "; "), fmt.Sprintf("%s: %d running %s of %s", c.node, len(containers), pluralWord(len(containers), "container", "containers"), c.service))
	}
	ev := fmt.Sprintf("%s: no %s task or container running", c.node, c.service)
	if others > 0 {
		ev += fmt.Sprintf(" (%s)", plural(others, "other running container", "other running containers"))
	}
	return passed(ev)
}

func pluralWord(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
