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
		if c.Analysis().Runs("swarm init") {
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

// The scheduler knows a join by its docker verb, whatever global flags or
// lists surround it.
func TestSchedulerReadsVerbsFromTheModel(t *testing.T) {
	noSwarm := &harness.State{Nodes: []harness.NodeState{{Name: "node1"}}}
	swarm := &harness.State{Nodes: []harness.NodeState{{Name: "node1", Swarm: harness.LocalSwarm{State: "active", ControlAvailable: true}}}}
	tests := []struct {
		name  string
		cmds  []submission.Command
		order []int
		why   string // the first reordering's reason
	}{
		{
			name: "join with a global flag before the init",
			cmds: []submission.Command{
				{Line: 1, Node: "node2", Terminal: 0, Text: "docker --log-level=error swarm join --token SWMTKN-1-a-b 192.168.0.7:2377"},
				{Line: 5, Node: "node1", Terminal: 1, Text: "docker swarm init --advertise-addr 192.168.0.7"},
			},
			order: []int{5, 1},
			why: "line 5 (node1$ docker swarm init --advertise-addr 192.168.0.7) was replayed before line 1 (node2$ docker --log-level=error swarm join --token SWMTKN-1-a-b 192.168.0.7:2377), " +
				"which waits for the other terminals: a join needs the swarm another terminal's `docker swarm init` creates (terminals pasted one after another lose their real order)",
		},
		{
			name: "init with a global flag and a join in an and list",
			cmds: []submission.Command{
				{Line: 1, Node: "node2", Terminal: 0, Text: "docker swarm leave --force; docker -l error swarm join --token SWMTKN-1-a-b 192.168.0.7:2377"},
				{Line: 2, Node: "node2", Terminal: 0, Text: "docker ps"},
				{Line: 5, Node: "node1", Terminal: 1, Text: "docker -l error swarm init && docker node ls"},
			},
			order: []int{5, 1, 2},
			why:   "line 5 (node1$ docker -l error swarm init && docker node ls) was replayed before line 1",
		},
		{
			name: "leave with a global flag waits for the others",
			cmds: []submission.Command{
				{Line: 1, Node: "node1", Terminal: 0, Text: "docker swarm init"},
				{Line: 2, Node: "node1", Terminal: 0, Text: "docker --debug swarm leave --force"},
				{Line: 5, Node: "node2", Terminal: 1, Text: "docker swarm join --token T 1.2.3.4:2377"},
			},
			order: []int{1, 5, 2},
			why:   "line 5 (node2$ docker swarm join --token T 1.2.3.4:2377) was replayed before line 2 (node1$ docker --debug swarm leave --force), which waits for the other terminals: a node leaves the swarm after the other terminals are done with it",
		},
		{
			name: "swarm join as an argument is no join",
			cmds: []submission.Command{
				{Line: 1, Node: "node2", Terminal: 0, Text: "docker run --rm ubuntu echo docker swarm join"},
				{Line: 5, Node: "node1", Terminal: 1, Text: "docker swarm init"},
			},
			order: []int{1, 5},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newScheduler(tt.cmds)
			state := noSwarm
			var order []int
			var whys []string
			for {
				c, why, ok := s.next(state)
				if !ok {
					break
				}
				order = append(order, c.Line)
				if why != "" {
					whys = append(whys, why)
				}
				if c.Analysis().Runs("swarm init") {
					state = swarm
				}
			}
			assert.Equal(t, tt.order, order)
			if tt.why == "" {
				assert.Empty(t, whys)
				return
			}
			if assert.NotEmpty(t, whys) {
				assert.Contains(t, whys[0], tt.why)
			}
		})
	}
}
