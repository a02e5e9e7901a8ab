package lab

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestNeedsJoinTokens(t *testing.T) {
	tests := []struct {
		name string
		cmd  string
		want bool
	}{
		{"worker token", "docker swarm join --token {{.WorkerToken}} {{.ManagerAddr}}:2377", true},
		{"manager token", "docker swarm join --token {{ .ManagerToken }} {{.ManagerAddr}}:2377", true},
		{"token in a condition", "docker swarm join {{if .WorkerToken}}--token x{{end}} 1.2.3.4:2377", true},
		{"address only", "docker swarm init --advertise-addr {{.ManagerAddr}}", false},
		{"node ID only", `docker node update --availability drain {{nodeID "node2"}}`, false},
		{"Token in docker's own format", "docker service ls --format {{`{{.Token}}`}}", false},
		{"Token in the command's words", "docker secret create Token-file ./f", false},
		{"no placeholders", "docker service ls", false},
		{"broken placeholder", "docker swarm join --token {{.WorkerToken", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, NeedsJoinTokens(tt.cmd), tt.cmd)
		})
	}
}
