package lab

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseNoSettle(t *testing.T) {
	const (
		rm1    = "node: node1; command: docker service rm web; settle: false"
		ls1    = "node: node1; command: docker node ls"
		leave2 = "node: node2; command: docker swarm leave --force; group: leaves"
		leave3 = "node: node3; command: docker swarm leave --force; group: leaves"
	)
	l, err := Parse("settle.yaml", labWithRun(rm1, leave2, leave3, ls1))
	require.NoError(t, err)
	run := l.Steps[0].Run
	assert.True(t, run[0].NoSettle, "settle: false is read")
	assert.False(t, run[3].NoSettle, "settle defaults to true")

	tests := []struct {
		name    string
		run     []string
		wantErr string
	}{
		{name: "on the last action", run: []string{ls1, rm1},
			wantErr: `settle.yaml:16:17: steps[0].run[1].settle: settle: false on the step's last action: a step always settles after its last action, so this does nothing`},
		{name: "in a group", run: []string{leave2 + "; settle: false", leave3, ls1},
			wantErr: `settle.yaml:15:17: steps[0].run[0].settle: settle: false cannot be in group "leaves": a group settles once after all its commands`},
		{name: "on a fault", run: []string{"node: node2; fault: stop; settle: false", ls1},
			wantErr: `settle.yaml:14:17: steps[0].run[0].settle: a fault cannot skip the settle: the cluster must notice it before anything else runs`},
		{name: "not a boolean", run: []string{"node: node1; command: docker ps; settle: later", ls1},
			wantErr: `settle.yaml:14:17: steps[0].run[0].settle: expected true or false, got "later"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("settle.yaml", labWithRun(tt.run...))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.wantErr)
		})
	}
}
