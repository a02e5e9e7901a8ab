package checks

import (
	"fmt"
	"slices"
	"strings"

	"github.com/labcheck/labcheck/harness"
	"github.com/labcheck/labcheck/internal/strictyaml"
)

func init() {
	register(Kind{
		Name:    "service_exists",
		Doc:     "A service with this name exists; image, args and mode are compared when given. Images match loosely: ubuntu, ubuntu:latest and docker.io/library/ubuntu:latest are one image, and a digest is ignored.",
		Example: "kind: service_exists\nservice: sleep-app\nimage: ubuntu\nargs: [sleep, infinity]\n",
	}, &serviceExistsParams{})

	register(Kind{
		Name:    "service_absent",
		Doc:     "No service with this name exists (`docker service rm`); passes when there is no swarm at all.",
		Example: "kind: service_absent\nservice: sleep-app\n",
	}, &serviceAbsentParams{})
}

type serviceExistsParams struct {
	Service strictyaml.String   `yaml:"service" required:"true" doc:"service name"`
	Image   strictyaml.String   `yaml:"image" doc:"image the service runs"`
	Args    []strictyaml.String `yaml:"args" doc:"command and args given after the image"`
	Mode    strictyaml.String   `yaml:"mode" type:"replicated|global" doc:"service mode"`
}

func (p *serviceExistsParams) check() Check {
	return serviceExists{service: string(p.Service), image: string(p.Image), args: strictyaml.Strings(p.Args), mode: string(p.Mode)}
}

type serviceAbsentParams struct {
	Service strictyaml.String `yaml:"service" required:"true" doc:"service name"`
}

func (p *serviceAbsentParams) check() Check { return serviceAbsent{service: string(p.Service)} }

type serviceExists struct {
	service, image string
	args           []string // nil: not compared
	mode           string
}

func (c serviceExists) Describe() string {
	var want []string
	if c.image != "" {
		want = append(want, c.image)
	}
	if c.args != nil {
		want = append(want, strings.Join(c.args, " "))
	}
	if c.mode != "" {
		want = append(want, c.mode)
	}
	if len(want) == 0 {
		return "service " + c.service + " exists"
	}
	return fmt.Sprintf("service %s exists (%s)", c.service, strings.Join(want, ", "))
}

func (c serviceExists) Evaluate(s *harness.State) Result {
	if r, bad := noState(s); bad {
		return r
	}
	if _, r, ok := swarmView(s); !ok {
		return r
	}
	svc, ok := s.Service(c.service)
	if !ok {
		return failed(noService(s, c.service), servicesEvidence(s))
	}
	var wrong []string
	if c.image != "" && !sameImage(c.image, svc.Image) {
		wrong = append(wrong, fmt.Sprintf("image is %s, want %s", svc.Image, c.image))
	}
	if c.args != nil && !slices.Equal(c.args, svc.Args) {
		wrong = append(wrong, fmt.Sprintf("args are %s, want %s", argsText(svc.Args), argsText(c.args)))
	}
	if c.mode != "" && svc.Mode != c.mode {
		wrong = append(wrong, fmt.Sprintf("mode is %s, want %s", svc.Mode, c.mode))
	}
	ev := serviceEvidence(svc)
	if len(wrong) > 0 {
		return failed(fmt.Sprintf("service %s: %s", c.service, strings.Join(wrong, "; ")), ev)
	}
	return passed(ev)
}

type serviceAbsent struct{ service string }

func (c serviceAbsent) Describe() string { return "no service " + c.service }

func (c serviceAbsent) Evaluate(s *harness.State) Result {
	if r, bad := noState(s); bad {
		return r
	}
	if s.Swarm == nil {
		// Without a swarm there can be no service, but only if labcheck
		// could tell there is no swarm.
		if r := whyNoSwarm(s); r.Status == Error {
			return r
		}
		return passed("no swarm, so no service " + c.service)
	}
	svc, ok := s.Service(c.service)
	if !ok {
		return passed(servicesEvidence(s))
	}
	running := 0
	for _, t := range s.TasksOf(c.service) {
		if isRunning(t) {
			running++
		}
	}
	return failed(fmt.Sprintf("service %s still exists (%s)", c.service, plural(running, "running task", "running tasks")), serviceEvidence(svc))
}

func noService(s *harness.State, name string) string {
	var names []string
	for _, svc := range s.Swarm.Services {
		names = append(names, svc.Name)
	}
	if len(names) == 0 {
		return fmt.Sprintf("no service %s (the swarm has no services)", name)
	}
	return fmt.Sprintf("no service %s (services: %s)", name, list(names))
}

func servicesEvidence(s *harness.State) string {
	if s.Swarm == nil || len(s.Swarm.Services) == 0 {
		return "no services"
	}
	var names []string
	for _, svc := range s.Swarm.Services {
		names = append(names, svc.Name)
	}
	return "services: " + list(names)
}

// serviceEvidence renders a service the way `docker service ls` would.
func serviceEvidence(svc harness.Service) string {
	ev := fmt.Sprintf("%s: %s", svc.Name, svc.Image)
	if len(svc.Args) > 0 {
		ev += " " + strings.Join(svc.Args, " ")
	}
	if svc.Mode != "" {
		ev += ", " + svc.Mode
	}
	if svc.Replicas != nil {
		ev += fmt.Sprintf(" %d", *svc.Replicas)
	}
	return ev
}

func argsText(args []string) string {
	if len(args) == 0 {
		return "empty (the image's default command)"
	}
	return fmt.Sprintf("%q", strings.Join(args, " "))
}
