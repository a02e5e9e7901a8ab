package harness

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"regexp"
	"sync"
	"testing"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/api/types/swarm"
	"github.com/moby/moby/api/types/system"
	"github.com/moby/moby/client"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fakeEngine answers the read-only calls ObserveEngine makes, the way a
// Docker engine would, so the conversion is tested without Docker.
type fakeEngine struct {
	api        string
	info       system.Info
	containers []container.Summary
	nodes      []swarm.Node
	services   []swarm.Service
	tasks      []swarm.Task
	// nodesErr, when set, is the daemon's error for the node list (a
	// manager without a leader).
	nodesErr string
	// calls records every request, to prove that observing only reads.
	// A look asks the manager's swarm view beside the node's own, so
	// requests come at once.
	mu    sync.Mutex
	calls []string
}

var versionPrefix = regexp.MustCompile(`^/v[0-9.]+`)

func (f *fakeEngine) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.calls = append(f.calls, r.Method+" "+versionPrefix.ReplaceAllString(r.URL.Path, ""))
	f.mu.Unlock()
	w.Header().Set("Api-Version", f.api)
	w.Header().Set("Content-Type", "application/json")
	var body any
	switch versionPrefix.ReplaceAllString(r.URL.Path, "") {
	case "/_ping":
		_, _ = w.Write([]byte("OK"))
		return
	case "/info":
		body = f.info
	case "/containers/json":
		body = f.containers
	case "/nodes":
		if f.nodesErr != "" {
			w.WriteHeader(http.StatusServiceUnavailable)
			body = map[string]string{"message": f.nodesErr}
			break
		}
		body = f.nodes
	case "/services":
		body = f.services
	case "/tasks":
		body = f.tasks
	default:
		w.WriteHeader(http.StatusNotFound)
		body = map[string]string{"message": "not faked: " + r.URL.Path}
	}
	_ = json.NewEncoder(w).Encode(body)
}

func (f *fakeEngine) client(t *testing.T) *client.Client {
	t.Helper()
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	cli, err := client.New(client.WithHost("tcp://"+srv.Listener.Addr().String()), client.WithAPIVersionNegotiation())
	require.NoError(t, err)
	t.Cleanup(func() { _ = cli.Close() })
	return cli
}

func swarmNode(id, host string, role swarm.NodeRole, state swarm.NodeState, leader bool) swarm.Node {
	n := swarm.Node{ID: id, Description: swarm.NodeDescription{Hostname: host},
		Spec:   swarm.NodeSpec{Role: role, Availability: swarm.NodeAvailabilityActive},
		Status: swarm.NodeStatus{State: state, Addr: "10.0.0." + id[len(id)-1:]}}
	if role == swarm.NodeRoleManager {
		n.ManagerStatus = &swarm.ManagerStatus{Leader: leader, Reachability: swarm.ReachabilityReachable}
	}
	return n
}

func managerEngine() *fakeEngine {
	replicas := uint64(2)
	return &fakeEngine{
		api: "1.45",
		info: system.Info{Name: "node1", Swarm: swarm.Info{
			NodeID: "id1", NodeAddr: "10.0.0.1", LocalNodeState: swarm.LocalNodeStateActive, ControlAvailable: true,
			Cluster: &swarm.ClusterInfo{ID: "cluster1"},
		}},
		containers: []container.Summary{
			{ID: "c2", Names: []string{"/sleep-app.1.abc"}, Image: "ubuntu:latest", Command: "sleep infinity", State: "running", Status: "Up 3 seconds",
				Labels: map[string]string{"com.docker.swarm.service.name": "sleep-app", "com.docker.swarm.task.id": "t1"}},
			{ID: "c1", Names: []string{"/brave_turing"}, Image: "ubuntu", Command: "sleep infinity", State: "running", Status: "Up 1 minute"},
		},
		nodes: []swarm.Node{
			swarmNode("id3", "node3", swarm.NodeRoleWorker, swarm.NodeStateReady, false),
			swarmNode("id1", "node1", swarm.NodeRoleManager, swarm.NodeStateReady, true),
			swarmNode("id2", "node2", swarm.NodeRoleWorker, swarm.NodeStateReady, false),
		},
		services: []swarm.Service{{ID: "s1", Spec: swarm.ServiceSpec{
			Annotations:  swarm.Annotations{Name: "sleep-app"},
			TaskTemplate: swarm.TaskSpec{ContainerSpec: &swarm.ContainerSpec{Image: "ubuntu:latest@sha256:abcd", Args: []string{"sleep", "infinity"}}},
			Mode:         swarm.ServiceMode{Replicated: &swarm.ReplicatedService{Replicas: &replicas}},
		}}},
		tasks: []swarm.Task{
			{ID: "t2", ServiceID: "s1", Slot: 2, NodeID: "id2", DesiredState: swarm.TaskStateRunning, Status: swarm.TaskStatus{State: swarm.TaskStateRunning}},
			{ID: "t1", ServiceID: "s1", Slot: 1, NodeID: "id1", DesiredState: swarm.TaskStateRunning,
				Status: swarm.TaskStatus{State: swarm.TaskStateRunning, ContainerStatus: &swarm.ContainerStatus{ContainerID: "c2"}}},
		},
	}
}

func TestObserveEngineManager(t *testing.T) {
	f := managerEngine()
	st, err := ObserveEngine(context.Background(), f.client(t))
	require.NoError(t, err)

	assert.Equal(t, "node1", st.Manager)
	require.Len(t, st.Nodes, 3)
	local := st.Nodes[0]
	assert.Equal(t, "node1", local.Name)
	assert.True(t, local.Reachable)
	assert.Equal(t, LocalSwarm{State: "active", NodeID: "id1", NodeAddr: "10.0.0.1", ControlAvailable: true, ClusterID: "cluster1"}, local.Swarm)
	require.Len(t, local.Containers, 2)
	assert.Equal(t, "brave_turing", local.Containers[0].Name, "containers sorted by name")
	assert.Equal(t, "sleep-app", local.Containers[1].ServiceName())

	why := "not observable from node1: verify reads one engine; that node's containers are on its own engine"
	assert.Equal(t, []NodeState{
		{Name: "node2", Error: why, Swarm: LocalSwarm{State: "active", NodeID: "id2", NodeAddr: "10.0.0.2"}},
		{Name: "node3", Error: why, Swarm: LocalSwarm{State: "active", NodeID: "id3", NodeAddr: "10.0.0.3"}},
	}, st.Nodes[1:])

	require.NotNil(t, st.Swarm)
	assert.Equal(t, []string{"node1", "node2", "node3"}, hostnames(st.Swarm.Nodes))
	assert.True(t, st.Swarm.Nodes[0].Leader)
	assert.Equal(t, []Service{{ID: "s1", Name: "sleep-app", Image: "ubuntu:latest", Args: []string{"sleep", "infinity"}, Mode: "replicated", Replicas: ptr(uint64(2))}}, st.Swarm.Services)
	require.Len(t, st.Swarm.Tasks, 2)
	assert.Equal(t, Task{ID: "t1", ServiceID: "s1", ServiceName: "sleep-app", Slot: 1, NodeID: "id1", NodeHostname: "node1",
		DesiredState: "running", State: "running", ContainerID: "c2"}, st.Swarm.Tasks[0])
	assert.Equal(t, "node2", st.Swarm.Tasks[1].NodeHostname)

	for _, call := range f.calls {
		assert.Regexp(t, `^(GET|HEAD) `, call, "observing only reads")
	}
}

func TestObserveEngineStates(t *testing.T) {
	tests := []struct {
		name   string
		engine func(f *fakeEngine)
		check  func(t *testing.T, st *State)
	}{
		{
			name: "outside any swarm",
			engine: func(f *fakeEngine) {
				f.info.Swarm = swarm.Info{LocalNodeState: swarm.LocalNodeStateInactive}
			},
			check: func(t *testing.T, st *State) {
				assert.Nil(t, st.Swarm)
				assert.Empty(t, st.Manager)
				require.Len(t, st.Nodes, 1, "an engine outside a swarm knows no other node")
				assert.Equal(t, "inactive", st.Nodes[0].Swarm.State)
				assert.True(t, st.Nodes[0].Reachable)
			},
		},
		{
			name:   "manager without a leader",
			engine: func(f *fakeEngine) { f.nodesErr = "rpc error: code = Unknown desc = The swarm does not have a leader." },
			check: func(t *testing.T, st *State) {
				assert.Nil(t, st.Swarm)
				require.Len(t, st.Nodes, 1)
				assert.Contains(t, st.Nodes[0].Swarm.Error, "does not have a leader")
			},
		},
		{
			name: "node listed twice after leaving and rejoining",
			engine: func(f *fakeEngine) {
				f.nodes = append(f.nodes, swarmNode("id9", "node3", swarm.NodeRoleWorker, swarm.NodeStateDown, false))
			},
			check: func(t *testing.T, st *State) {
				require.Len(t, st.Nodes, 3, "one entry per hostname")
				assert.Equal(t, "id3", st.Nodes[2].Swarm.NodeID, "the ready entry stands for the node")
			},
		},
		{
			name: "node down",
			engine: func(f *fakeEngine) {
				f.nodes[0] = swarmNode("id3", "node3", swarm.NodeRoleWorker, swarm.NodeStateDown, false)
			},
			check: func(t *testing.T, st *State) {
				assert.Equal(t, "", st.Nodes[2].Swarm.State, "a down node may have left: its state is unknown")
				assert.False(t, st.Nodes[2].Swarm.InSwarm())
			},
		},
		{
			name: "another manager",
			engine: func(f *fakeEngine) {
				f.nodes[2] = swarmNode("id2", "node2", swarm.NodeRoleManager, swarm.NodeStateReady, false)
			},
			check: func(t *testing.T, st *State) {
				assert.True(t, st.Nodes[1].Swarm.ControlAvailable)
				assert.False(t, st.Nodes[1].Reachable)
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := managerEngine()
			tt.engine(f)
			st, err := ObserveEngine(context.Background(), f.client(t))
			require.NoError(t, err)
			tt.check(t, st)
		})
	}
}

func TestObserveEngineErrors(t *testing.T) {
	tests := []struct {
		name    string
		engine  func(f *fakeEngine)
		wantErr string
		is      error
	}{
		{
			name: "worker",
			engine: func(f *fakeEngine) {
				f.info = system.Info{Name: "node2", Swarm: swarm.Info{LocalNodeState: swarm.LocalNodeStateActive,
					RemoteManagers: []swarm.Peer{{NodeID: "id5", Addr: "10.0.0.5:2377"}, {NodeID: "id1", Addr: "10.0.0.1:2377"}}}}
			},
			wantErr: "node2 is a swarm worker, and a worker cannot list the swarm's nodes, services or tasks: run verify on a manager: the managers are at 10.0.0.1:2377, 10.0.0.5:2377",
			is:      ErrNotManager,
		},
		{
			name:    "engine too old for swarm",
			engine:  func(f *fakeEngine) { f.api = "1.23" },
			wantErr: "observe engine: engine API 1.23 is too old (swarm needs 1.24)",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := managerEngine()
			tt.engine(f)
			st, err := ObserveEngine(context.Background(), f.client(t))
			assert.Nil(t, st)
			require.EqualError(t, err, tt.wantErr)
			if tt.is != nil {
				assert.True(t, errors.Is(err, tt.is))
			}
		})
	}
}

func TestObserveEngineUnreachable(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	addr := srv.Listener.Addr().String()
	srv.Close()
	cli, err := client.New(client.WithHost("tcp://" + addr))
	require.NoError(t, err)
	defer cli.Close()
	_, err = ObserveEngine(context.Background(), cli)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "observe engine: ")
}

func TestNotManagerErrorWithoutAddresses(t *testing.T) {
	err := notManager("node3", nil)
	assert.EqualError(t, err, "node3 is a swarm worker, and a worker cannot list the swarm's nodes, services or tasks: run verify on a manager: this node does not know its managers' addresses")
	var nm *NotManagerError
	require.True(t, errors.As(err, &nm))
	assert.Equal(t, "node3", nm.Node)
}

func hostnames(nodes []SwarmNode) []string {
	var out []string
	for _, n := range nodes {
		out = append(out, n.Hostname)
	}
	return out
}

func ptr[T any](v T) *T { return &v }

func TestSeenFrom(t *testing.T) {
	full := &State{
		Nodes: []NodeState{
			{Name: "node1", Reachable: true, Swarm: LocalSwarm{State: "active", NodeID: "id1", ControlAvailable: true}, Containers: []Container{{ID: "c1"}}},
			{Name: "node2", Reachable: true, Swarm: LocalSwarm{State: "active", NodeID: "id2"}, Containers: []Container{{ID: "c2"}}},
			{Name: "node3", Reachable: true, Swarm: LocalSwarm{State: "inactive"}},
		},
		Swarm: &SwarmState{Nodes: []SwarmNode{
			{ID: "id1", Hostname: "node1", Role: "manager", Status: "ready", Addr: "10.0.0.1", Leader: true},
			{ID: "id2", Hostname: "node2", Role: "worker", Status: "ready", Addr: "10.0.0.2"},
		}},
		Manager: "node1",
	}
	tests := []struct {
		name    string
		from    string
		want    *State
		wantErr string
	}{
		{
			name: "manager",
			from: "node1",
			want: &State{Nodes: []NodeState{
				full.Nodes[0],
				{Name: "node2", Error: "not observable from node1: verify reads one engine; that node's containers are on its own engine",
					Swarm: LocalSwarm{State: "active", NodeID: "id2", NodeAddr: "10.0.0.2"}},
			}, Swarm: full.Swarm, Manager: "node1"},
		},
		{
			name:    "worker",
			from:    "node2",
			wantErr: "node2 is a swarm worker, and a worker cannot list the swarm's nodes, services or tasks: run verify on a manager: the managers are at 10.0.0.1:2377",
		},
		{
			name: "outside the swarm",
			from: "node3",
			want: &State{Nodes: []NodeState{full.Nodes[2]}},
		},
		{name: "unknown node", from: "node4", wantErr: "seen from node4: no such node in the state"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := SeenFrom(full, tt.from)
			if tt.wantErr != "" {
				assert.EqualError(t, err, tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}
