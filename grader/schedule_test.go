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
		c, ok := s.next(state)
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
		c, ok := s.next(swarm)
		if !ok {
			break
		}
		assert.Empty(t, c.why)
		assert.False(t, c.moved, "line %d", c.Line)
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
			why:   "line 5 (node2$ docker swarm join --token T 1.2.3.4:2377) was replayed right after line 1 (node1$ docker swarm init), ahead of node1's later commands",
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
				c, ok := s.next(state)
				if !ok {
					break
				}
				order = append(order, c.Line)
				if c.why != "" {
					whys = append(whys, c.why)
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

// run drains a scheduler; a `swarm init` creates the swarm.
func runSchedule(t *testing.T, cmds []submission.Command) (order []int, whys []string, moved []int) {
	t.Helper()
	noSwarm := &harness.State{Nodes: []harness.NodeState{{Name: "node1"}}}
	swarm := &harness.State{Nodes: []harness.NodeState{{Name: "node1", Swarm: harness.LocalSwarm{State: "active", ControlAvailable: true}}}}
	s := newScheduler(cmds)
	state := noSwarm
	for {
		c, ok := s.next(state)
		if !ok {
			break
		}
		order = append(order, c.Line)
		if c.why != "" {
			whys = append(whys, c.why)
		}
		if c.moved {
			moved = append(moved, c.Line)
		}
		if c.Analysis().Runs("swarm init") {
			state = swarm
		}
	}
	return order, whys, moved
}

const tok = "SWMTKN-1-p5kntsxpab0n00lwnxcy22u72kq3pkmp4m5ls548rs3ydw5ow5-rd3xgr6jnc7qj57scw6wrjqvt"

var initOutput = "Swarm initialized: current node (brb49wp1betit5st1vzm3ytc7) is now a manager.\n\n" +
	"To add a worker to this swarm, run the following command:\n\n    docker swarm join --token " + tok + " 192.168.0.28:2377\n"

func TestSchedulerPlacesJoinsRightAfterTheInitThatPrintedTheirToken(t *testing.T) {
	tests := []struct {
		name  string
		cmds  []submission.Command
		order []int
		why   string // the first reordering's reason
		moved []int
	}{
		{
			name: "node1's terminal pasted whole before the workers'",
			cmds: []submission.Command{
				{Line: 1, Node: "node1", Terminal: 0, Text: "docker run -dt ubuntu sleep infinity"},
				{Line: 2, Node: "node1", Terminal: 0, Text: "docker swarm init --advertise-addr $(hostname -i)", Output: initOutput},
				{Line: 3, Node: "node1", Terminal: 0, Text: "docker service create --name sleep-app ubuntu sleep infinity"},
				{Line: 4, Node: "node1", Terminal: 0, Text: "docker service update --replicas 7 sleep-app"},
				{Line: 5, Node: "node1", Terminal: 0, Text: "docker swarm leave --force"},
				{Line: 10, Node: "node2", Terminal: 1, Text: "docker swarm join --token " + tok + " 192.168.0.28:2377"},
				{Line: 11, Node: "node2", Terminal: 1, Text: "docker swarm leave"},
				{Line: 20, Node: "node3", Terminal: 2, Text: "docker ps"},
				{Line: 21, Node: "node3", Terminal: 2, Text: "docker swarm join --token " + tok + " 192.168.0.28:2377"},
			},
			order: []int{1, 2, 10, 20, 21, 3, 4, 5, 11},
			why: "line 10 (node2$ docker swarm join --token " + tok + " 192.168.0.28:2377) was replayed right after line 2 (node1$ docker swarm init --advertise-addr $(hostname -i)), " +
				"ahead of node1's later commands: the join uses the token that command printed, and node1's terminal, pasted whole before node2's, does not show when node2 joined (terminals pasted one after another lose their real order)",
			moved: []int{10, 20, 21, 3, 4, 5, 11},
		},
		{
			name: "a history dump shows no token: the session's one init",
			cmds: []submission.Command{
				{Line: 1, Node: "node1", Terminal: 0, Text: "docker swarm init --advertise-addr $(hostname -i)"},
				{Line: 2, Node: "node1", Terminal: 0, Text: "docker service update --replicas 7 sleep-app"},
				{Line: 10, Node: "node2", Terminal: 1, Text: "docker swarm join --token " + tok + " 192.168.0.28:2377"},
			},
			order: []int{1, 10, 2},
			why:   "the submission shows no output with the join's token, and that is the session's one `docker swarm init`",
			moved: []int{10, 2},
		},
		{
			name: "terminals in their real order are left alone",
			cmds: []submission.Command{
				{Line: 1, Node: "node1", Terminal: 0, Text: "docker swarm init", Output: initOutput},
				{Line: 2, Node: "node1", Terminal: 0, Text: "docker info"},
				{Line: 10, Node: "node2", Terminal: 1, Text: "docker swarm join --token " + tok + " 192.168.0.28:2377"},
				{Line: 20, Node: "node1", Terminal: 2, Text: "docker service update --replicas 7 sleep-app"},
			},
			order: []int{1, 2, 10, 20},
		},
		{
			name: "a token no output shows, with the init's output shown, is not placed",
			cmds: []submission.Command{
				{Line: 1, Node: "node1", Terminal: 0, Text: "docker swarm init", Output: initOutput},
				{Line: 2, Node: "node1", Terminal: 0, Text: "docker service update --replicas 7 sleep-app"},
				{Line: 10, Node: "node2", Terminal: 1, Text: "docker swarm join --token SWMTKN-1-other-token 192.168.0.28:2377"},
			},
			order: []int{1, 2, 10},
		},
		{
			name: "a join pasted before the init that printed its token waits for it",
			cmds: []submission.Command{
				{Line: 1, Node: "node2", Terminal: 0, Text: "docker swarm join --token " + tok + " 192.168.0.28:2377"},
				{Line: 2, Node: "node2", Terminal: 0, Text: "docker ps"},
				{Line: 10, Node: "node1", Terminal: 1, Text: "docker swarm init", Output: initOutput},
				{Line: 11, Node: "node1", Terminal: 1, Text: "docker node ls"},
			},
			order: []int{10, 1, 2, 11},
			why:   "which waits for the other terminals: a join follows the command that printed its token",
			moved: []int{10, 1, 2},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			order, whys, moved := runSchedule(t, tt.cmds)
			assert.Equal(t, tt.order, order)
			assert.Equal(t, tt.moved, moved, "commands replayed across another terminal's")
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
