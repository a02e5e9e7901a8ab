package harness

import "time"

// State is one observation of a cluster: what every node says about itself
// and, when a manager answered, what the swarm says about its nodes,
// services and tasks. It is plain data (JSON round-trips it) so that checks
// can be tested against states recorded from real clusters.
type State struct {
	ObservedAt time.Time `json:"observedAt"`
	// Nodes holds one entry per cluster node, in cluster order, whether or
	// not it is in a swarm or reachable at all.
	Nodes []NodeState `json:"nodes"`
	// Swarm is the control plane's view, read from Manager; nil when no node
	// is a reachable manager (no swarm yet, or every manager is down).
	Swarm *SwarmState `json:"swarm,omitempty"`
	// Manager is the lab name of the node the swarm view was read from.
	Manager string `json:"manager,omitempty"`
}

// NodeState is what one node's own engine reports.
type NodeState struct {
	// Name is the node's lab name and hostname (node1, node2, ...).
	Name string `json:"name"`
	// Reachable is false when the node's engine could not be asked (node
	// stopped, killed, or its daemon not answering); Error then says why.
	Reachable bool   `json:"reachable"`
	Error     string `json:"error,omitempty"`
	// Swarm is the node's local swarm membership.
	Swarm LocalSwarm `json:"swarm"`
	// Containers lists every container on the node, running or not.
	Containers []Container `json:"containers"`
}

// LocalSwarm is a node's own view of its swarm membership.
type LocalSwarm struct {
	// State is the engine's LocalNodeState: "inactive" for a node that is not
	// in a swarm, "active", "pending", "error" or "locked".
	State            string `json:"state"`
	NodeID           string `json:"nodeID,omitempty"`
	NodeAddr         string `json:"nodeAddr,omitempty"`
	ControlAvailable bool   `json:"controlAvailable"`
	ClusterID        string `json:"clusterID,omitempty"`
	Error            string `json:"error,omitempty"`
}

// InSwarm reports whether the node takes part in a swarm.
func (l LocalSwarm) InSwarm() bool {
	return l.State != "" && l.State != "inactive"
}

// Container is one container on a node.
type Container struct {
	ID      string            `json:"id"`
	Name    string            `json:"name"`
	Image   string            `json:"image"`
	Command string            `json:"command"`
	State   string            `json:"state"` // running, exited, created, ...
	Status  string            `json:"status"`
	Labels  map[string]string `json:"labels,omitempty"`
}

// ServiceName returns the swarm service the container is a task of, or "".
func (c Container) ServiceName() string {
	return c.Labels["com.docker.swarm.service.name"]
}

// SwarmState is the control plane's view of the swarm.
type SwarmState struct {
	Nodes    []SwarmNode `json:"nodes"`
	Services []Service   `json:"services"`
	Tasks    []Task      `json:"tasks"`
}

// SwarmNode is a node as the swarm lists it (docker node ls).
type SwarmNode struct {
	ID           string `json:"id"`
	Hostname     string `json:"hostname"`
	Role         string `json:"role"`         // manager, worker
	Availability string `json:"availability"` // active, pause, drain
	Status       string `json:"status"`       // ready, down, unknown, disconnected
	Addr         string `json:"addr,omitempty"`
	Leader       bool   `json:"leader"`
	// Reachability is the manager's raft reachability (reachable,
	// unreachable); empty for workers.
	Reachability string `json:"reachability,omitempty"`
}

// Service is a swarm service's spec (docker service inspect).
type Service struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// Image is the image as the user named it, with any @digest the
	// manager pinned removed.
	Image string `json:"image"`
	// Args is the container command followed by its args, as given after
	// the image on `docker service create`.
	Args []string `json:"args"`
	Mode string   `json:"mode"` // replicated, global
	// Replicas is the desired replica count of a replicated service.
	Replicas *uint64 `json:"replicas,omitempty"`
}

// Task is one task of a service (docker service ps).
type Task struct {
	ID           string `json:"id"`
	ServiceID    string `json:"serviceID"`
	ServiceName  string `json:"serviceName"`
	Slot         int    `json:"slot,omitempty"`
	NodeID       string `json:"nodeID,omitempty"`
	NodeHostname string `json:"nodeHostname,omitempty"`
	DesiredState string `json:"desiredState"` // running, shutdown, ...
	State        string `json:"state"`        // the current state: new, pending, ..., running, shutdown, failed, ...
	Message      string `json:"message,omitempty"`
	Error        string `json:"error,omitempty"`
	ContainerID  string `json:"containerID,omitempty"`
	// CreatedAt orders the tasks of one slot: the newest is the current
	// attempt, older ones are history.
	CreatedAt time.Time `json:"createdAt,omitzero"`
}

// Node returns the cluster node with the given lab name, if any.
func (s *State) Node(name string) (NodeState, bool) {
	for _, n := range s.Nodes {
		if n.Name == name {
			return n, true
		}
	}
	return NodeState{}, false
}

// Service returns the swarm service with the given name, if the swarm view
// has one.
func (s *State) Service(name string) (Service, bool) {
	if s.Swarm == nil {
		return Service{}, false
	}
	for _, svc := range s.Swarm.Services {
		if svc.Name == name {
			return svc, true
		}
	}
	return Service{}, false
}

// TasksOf returns the tasks of the named service, in the order observed.
func (s *State) TasksOf(service string) []Task {
	if s.Swarm == nil {
		return nil
	}
	var out []Task
	for _, t := range s.Swarm.Tasks {
		if t.ServiceName == service {
			out = append(out, t)
		}
	}
	return out
}

// SwarmNodeByHostname returns the swarm's entry for a hostname.
func (s *State) SwarmNodeByHostname(hostname string) (SwarmNode, bool) {
	if s.Swarm == nil {
		return SwarmNode{}, false
	}
	for _, n := range s.Swarm.Nodes {
		if n.Hostname == hostname {
			return n, true
		}
	}
	return SwarmNode{}, false
}
