package lab

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var runVars = Vars{
	ManagerAddr:  "172.20.0.2",
	WorkerToken:  "SWMTKN-1-3pu6hszjas19xyp7ghgosyx9k8atbfcr8p2is99znpy26u2lkl-1awxwuwd3z9j1z3puu7rcgdbx",
	ManagerToken: "SWMTKN-1-3pu6hszjas19xyp7ghgosyx9k8atbfcr8p2is99znpy26u2lkl-7p73s1dx5in4tatdymyhg9hu2",
	NodeIDs:      map[string]string{"node1": "r75x6w2f3k8vq1n0d5c7b9h2j", "node2": "m3kq8z0w1x5v7b2n4c6d8f0gh"},
}

func TestRenderCommand(t *testing.T) {
	tests := []struct {
		name    string
		cmd     string
		want    string
		wantErr string
	}{
		{name: "no placeholders", cmd: "docker swarm init --advertise-addr $(hostname -i)", want: "docker swarm init --advertise-addr $(hostname -i)"},
		{name: "worker join", cmd: "docker swarm join --token {{.WorkerToken}} {{.ManagerAddr}}:2377",
			want: "docker swarm join --token SWMTKN-1-3pu6hszjas19xyp7ghgosyx9k8atbfcr8p2is99znpy26u2lkl-1awxwuwd3z9j1z3puu7rcgdbx 172.20.0.2:2377"},
		{name: "manager join", cmd: "docker swarm join --token {{.ManagerToken}} {{.ManagerAddr}}:2377",
			want: "docker swarm join --token SWMTKN-1-3pu6hszjas19xyp7ghgosyx9k8atbfcr8p2is99znpy26u2lkl-7p73s1dx5in4tatdymyhg9hu2 172.20.0.2:2377"},
		{name: "node ID", cmd: `docker node update --availability drain {{nodeID "node2"}}`, want: "docker node update --availability drain m3kq8z0w1x5v7b2n4c6d8f0gh"},
		{name: "docker format passed through", cmd: "docker node ls --format {{`'{{.Hostname}} {{.Status}}'`}}", want: "docker node ls --format '{{.Hostname}} {{.Status}}'"},
		{name: "node ID not known yet", cmd: `docker node update --availability drain {{nodeID "node3"}}`, wantErr: `no swarm node ID known for "node3"`},
		{name: "unknown placeholder", cmd: "echo {{.Token}}", wantErr: "can't evaluate field Token"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := RenderCommand(tt.cmd, runVars)
			if tt.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), "render command: ")
				assert.Contains(t, err.Error(), tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestStudentCommand(t *testing.T) {
	tests := []struct {
		name string
		cmd  string
		want string
	}{
		{name: "no placeholders", cmd: "docker service create --name sleep-app ubuntu sleep infinity", want: "docker service create --name sleep-app ubuntu sleep infinity"},
		{name: "worker join", cmd: "docker swarm join --token {{.WorkerToken}} {{.ManagerAddr}}:2377", want: "docker swarm join --token <worker-token> <manager-ip>:2377"},
		{name: "manager join", cmd: "docker swarm join --token {{.ManagerToken}} {{.ManagerAddr}}:2377", want: "docker swarm join --token <manager-token> <manager-ip>:2377"},
		{name: "node ID", cmd: `docker node update --availability drain {{nodeID "node2"}}`, want: "docker node update --availability drain <node2-ID>"},
		{name: "docker format", cmd: "docker ps --format {{`{{.ID}}`}}", want: "docker ps --format {{.ID}}"},
		{name: "broken placeholder shown as written", cmd: "echo {{.Nope", want: "echo {{.Nope"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, StudentCommand(tt.cmd))
		})
	}
}
