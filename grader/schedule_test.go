package grader

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/labcheck/labcheck/grader/submission"
	"github.com/labcheck/labcheck/harness"
)

func TestSchedulerInterleavesTerminals(t *testing.T) {
	// node2's terminal pasted before node1's: join and leave come first in
	// the document.
	cmds := []submission.Command{
		{Line: 1, Node: "node2", Terminal: 0, Text: "docker swarm join --token SWMTKN-1-a-b 192.168.0.28:2377"},
		{Line: 2, Node: "node2", Terminal: 0, Text: "docker ps"},
		{Line: 3, Node: "node2", Terminal: 0, Text: "docker swarm leave"},
		{Line: 10, Node: "node1", Terminal: 1, Text: "docker swarm init --advertise-addr $(hostname -i)"},
		{Line: 11, Node: "node1", Terminal: 1, Text: "docker service create --name sleep-app ubuntu sleep infinity"},
		{Line: 12, Node: "node1", Terminal: 1, Text: "docker swarm leave --force"},
	}
	noSwarm := &harness.State{Nodes: []harness.NodeState{{Name: "node1"}}}
	swarm := &harness.State{Nodes: []harness.NodeState{{Name: "node1", Swarm: harness.LocalSwarm{State: "active", ControlAvailable: true}}}}
	s := newScheduler(cmds)
	var order []int
	state := noSwarm
	for {
		c, _, ok := s.next(state)
		if !ok {
			break
		}
		order = append(order, c.Line)
		if initCmd.MatchString(c.Text) {
			state = swarm
		}
	}
	assert.Equal(t, []int{10, 1, 2, 11, 3, 12}, order)
}

func TestSchedulerKeepsDocumentOrder(t *testing.T) {
	cmds := []submission.Command{
		{Line: 1, Node: "node1", Terminal: 0, Text: "docker swarm init"},
		{Line: 2, Node: "node2", Terminal: 1, Text: "docker swarm join --token T 1.2.3.4:2377"},
		{Line: 3, Node: "node1", Terminal: 2, Text: "docker service create --name x ubuntu"},
		{Line: 4, Node: "node2", Terminal: 3, Text: "docker swarm leave"},
		{Line: 5, Node: "node1", Terminal: 4, Text: "docker swarm leave --force"},
	}
	swarm := &harness.State{Nodes: []harness.NodeState{{Name: "node1", Swarm: harness.LocalSwarm{State: "active", ControlAvailable: true}}}}
	s := newScheduler(cmds)
	var order []int
	for {
		c, why, ok := s.next(swarm)
		if !ok {
			break
		}
		assert.Empty(t, why)
		order = append(order, c.Line)
	}
	assert.Equal(t, []int{1, 2, 3, 4, 5}, order)
}
