package harness

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func replicas(n uint64) *uint64 { return &n }

func at(sec int) time.Time { return time.Unix(int64(sec), 0) }

func TestConverged(t *testing.T) {
	nodes := []SwarmNode{{Hostname: "node1", Status: "ready"}, {Hostname: "node2", Status: "ready"}, {Hostname: "node3", Status: "down"}}
	tests := []struct {
		name  string
		state State
		done  bool
		why   string
	}{
		{name: "no swarm", state: State{}, done: true},
		{name: "all running", done: true, state: State{Swarm: &SwarmState{Nodes: nodes,
			Services: []Service{{Name: "s", Replicas: replicas(2)}},
			Tasks: []Task{{ServiceName: "s", Slot: 1, NodeHostname: "node1", DesiredState: "running", State: "running"},
				{ServiceName: "s", Slot: 2, NodeHostname: "node2", DesiredState: "running", State: "running"}}}}},
		{name: "task starting", why: "s.2 starting on node2", state: State{Swarm: &SwarmState{Nodes: nodes,
			Services: []Service{{Name: "s", Replicas: replicas(2)}},
			Tasks: []Task{{ServiceName: "s", Slot: 1, NodeHostname: "node1", DesiredState: "running", State: "running"},
				{ServiceName: "s", Slot: 2, NodeHostname: "node2", DesiredState: "running", State: "starting"}}}}},
		{name: "drained task still stopping", why: "stopping", state: State{Swarm: &SwarmState{Nodes: nodes,
			Services: []Service{{Name: "s", Replicas: replicas(1)}},
			Tasks: []Task{{ServiceName: "s", Slot: 1, NodeHostname: "node1", DesiredState: "running", State: "running"},
				{ID: "old", ServiceName: "s", Slot: 1, NodeHostname: "node2", DesiredState: "shutdown", State: "running"}}}}},
		{name: "container of a shut-down task still running", why: "container s.1.old on node2 still running", state: State{
			Nodes: []NodeState{{Name: "node2", Containers: []Container{{Name: "s.1.old", State: "running", Labels: map[string]string{"com.docker.swarm.task.id": "old"}}}}},
			Swarm: &SwarmState{Nodes: nodes, Services: []Service{{Name: "s", Replicas: replicas(1)}},
				Tasks: []Task{{ServiceName: "s", Slot: 1, NodeHostname: "node1", DesiredState: "running", State: "running"},
					{ID: "old", ServiceName: "s", Slot: 1, NodeHostname: "node2", DesiredState: "shutdown", State: "shutdown"}}}}},
		{name: "tasks on a down node are ignored", done: true, state: State{Swarm: &SwarmState{Nodes: nodes,
			Services: []Service{{Name: "s", Replicas: replicas(1)}},
			Tasks: []Task{{ServiceName: "s", Slot: 1, NodeHostname: "node1", DesiredState: "running", State: "running"},
				{ServiceName: "s", Slot: 1, NodeHostname: "node3", DesiredState: "running", State: "running"}}}}},
		{name: "stopping tasks of a node that left are ignored", done: true, state: State{
			Nodes: []NodeState{{Name: "node2", Reachable: true, Swarm: LocalSwarm{State: "inactive"}}},
			Swarm: &SwarmState{Nodes: nodes, Tasks: []Task{{ID: "old", ServiceName: "s", Slot: 1, NodeID: "n2", NodeHostname: "node2", DesiredState: "remove", State: "running"}}}}},
		{name: "stopping tasks of a node still in the swarm are waited for", why: "s.1 stopping (running) on node2", state: State{
			Nodes: []NodeState{{Name: "node2", Reachable: true, Swarm: LocalSwarm{State: "active", NodeID: "n2"}}},
			Swarm: &SwarmState{Nodes: nodes, Tasks: []Task{{ID: "old", ServiceName: "s", Slot: 1, NodeID: "n2", NodeHostname: "node2", DesiredState: "remove", State: "running"}}}}},
		{name: "an unreachable node's word is not taken", why: "s.1 stopping (running) on node2", state: State{
			Nodes: []NodeState{{Name: "node2", Error: "connection refused"}},
			Swarm: &SwarmState{Nodes: nodes, Tasks: []Task{{ID: "old", ServiceName: "s", Slot: 1, NodeID: "n2", NodeHostname: "node2", DesiredState: "remove", State: "running"}}}}},
		{name: "a failing service is at rest", done: true, state: State{Swarm: &SwarmState{Nodes: nodes,
			Services: []Service{{Name: "bad", Replicas: replicas(1)}},
			Tasks:    []Task{{ServiceName: "bad", Slot: 1, DesiredState: "running", State: "rejected", Error: "No such image: nope:latest"}}}}},
		{name: "a slot retrying after failures is at rest", done: true, state: State{Swarm: &SwarmState{Nodes: nodes,
			Services: []Service{{Name: "bad", Replicas: replicas(1)}},
			Tasks: []Task{{ServiceName: "bad", Slot: 1, DesiredState: "shutdown", State: "rejected", CreatedAt: at(1)},
				{ServiceName: "bad", Slot: 1, NodeHostname: "node1", DesiredState: "running", State: "pending", CreatedAt: at(2)}}}}},
		{name: "an old failure replaced by a running task does not stop the wait", why: "s has 1 of 2 replicas running", state: State{Swarm: &SwarmState{Nodes: nodes,
			Services: []Service{{Name: "s", Replicas: replicas(2)}},
			Tasks: []Task{{ServiceName: "s", Slot: 1, NodeHostname: "node1", DesiredState: "shutdown", State: "failed", CreatedAt: at(1)},
				{ServiceName: "s", Slot: 1, NodeHostname: "node1", DesiredState: "running", State: "running", CreatedAt: at(2)},
				{ServiceName: "s", Slot: 2, NodeHostname: "node2", DesiredState: "running", State: "starting", CreatedAt: at(3)}}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := Converged(&tt.state)
			assert.Equal(t, tt.done, p.done, p.reason)
			if tt.why != "" {
				assert.Contains(t, p.reason, tt.why)
			}
		})
	}
}
