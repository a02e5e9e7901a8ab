package checks

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/labcheck/labcheck/harness"
)

func TestStandaloneContainer(t *testing.T) {
	sleep := p("node", "node1", "image", "ubuntu", "args", []string{"sleep", "infinity"})
	runEval(t, "standalone_container", []evalCase{
		{name: "running", state: "standalone", params: sleep, want: Pass, evidence: `node1: 782930bd9217 ubuntu "sleep infinity" (Up 6 minutes)`},
		{name: "any command", state: "standalone", params: p("node", "node1", "image", "ubuntu:latest"), want: Pass},
		{name: "other command", state: "standalone", params: p("node", "node1", "image", "ubuntu", "args", []string{"sleep", "100"}), want: Fail,
			reason: `node1 runs no standalone ubuntu container running "sleep 100": 782930bd9217 runs "sleep infinity"`},
		{name: "nothing yet", state: "fresh", params: sleep, want: Fail, reason: `node1 runs no standalone ubuntu container running "sleep infinity": it has no containers at all`},
		{name: "killed", state: "cleanup", params: sleep, want: Fail,
			reason: `node1 runs no standalone ubuntu container running "sleep infinity": 782930bd9217 ubuntu "sleep infinity" (Exited (137) 1 minute ago) is exited`},
		{name: "service tasks are not standalone", state: "ha-formed", params: sleep, want: Fail,
			reason: `node1 runs no standalone ubuntu container running "sleep infinity": web.1.74i64hnx9ctx6e9cap9eiim10 is a task of service web, not a standalone container`},
		{name: "on another node", state: "standalone", params: p("node", "node2", "image", "ubuntu"), want: Fail},
		{name: "unreachable", state: "manager-unreachable", params: sleep, want: Error},
	})
}

func TestNoStandaloneContainer(t *testing.T) {
	ubuntu := p("node", "node1", "image", "ubuntu")
	runEval(t, "no_standalone_container", []evalCase{
		{name: "killed", state: "cleanup", params: ubuntu, want: Pass, evidence: `node1: 782930bd9217 ubuntu "sleep infinity" (Exited (137) 1 minute ago)`},
		{name: "never run", state: "fresh", params: ubuntu, want: Pass, evidence: "node1: no ubuntu container"},
		{name: "still running", state: "drained", params: ubuntu, want: Fail,
			reason: `node1 still runs a standalone ubuntu container: 782930bd9217 ubuntu "sleep infinity" (Up 6 minutes)`},
		{name: "service tasks are not standalone", state: "ha-formed", params: ubuntu, want: Pass},
		{name: "unreachable", state: "manager-unreachable", params: ubuntu, want: Error},
	})
}

func TestStandaloneOtherImages(t *testing.T) {
	s := &harness.State{Nodes: []harness.NodeState{{
		Name: "node1", Reachable: true, Swarm: harness.LocalSwarm{State: "inactive"},
		Containers: []harness.Container{
			{ID: "9b1c2d3e4f5a6b7c", Name: "web", Image: "nginx", Command: "nginx -g 'daemon off;'", State: "running", Status: "Up 1 minute"},
			{ID: "0a1b2c3d4e5f6a7b", Name: "web2", Image: "nginx", Command: "nginx -g 'daemon off;'", State: "running", Status: "Up 1 minute"},
		},
	}}}
	got := mustNew(t, "standalone_container", p("node", "node1", "image", "ubuntu")).Evaluate(s)
	assert.Equal(t, Fail, got.Status)
	assert.Equal(t, "node1 runs no standalone ubuntu container: no container from ubuntu (running: nginx)", got.Reason)
}
