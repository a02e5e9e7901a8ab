package lab

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// labWithRun is a three-node lab (node1 the manager) whose only step runs
// the given actions, written as YAML list items.
func labWithRun(actions ...string) []byte {
	var run strings.Builder
	for _, a := range actions {
		fmt.Fprintf(&run, "      - %s\n", strings.ReplaceAll(a, "; ", "\n        "))
	}
	return []byte(`name: groups
title: Groups
nodes:
  - name: node1
    manager: true
  - name: node2
  - name: node3
steps:
  - id: s
    title: A step
    run:
` + run.String() + `rubric:
  - id: leader
    title: node1 leads
    points: 10
    check:
      kind: swarm_leader
      node: node1
`)
}

func TestParseGroups(t *testing.T) {
	const (
		init1  = "node: node1; command: docker swarm init"
		join2  = "node: node2; command: docker swarm join --token {{.WorkerToken}} {{.ManagerAddr}}:2377; group: joins"
		join3  = "node: node3; command: docker swarm join --token {{.WorkerToken}} {{.ManagerAddr}}:2377; group: joins"
		ls1    = "node: node1; command: docker node ls"
		leave2 = "node: node2; command: docker swarm leave --force; group: leaves"
		leave3 = "node: node3; command: docker swarm leave --force; group: leaves"
	)
	tests := []struct {
		name    string
		run     []string
		batches []int // sizes of Step.Batches
		wantErr string
	}{
		{name: "two joins at once", run: []string{init1, join2, join3, ls1}, batches: []int{1, 2, 1}},
		{name: "workers leave at once, the manager after", run: []string{leave2, leave3, "node: node1; command: docker swarm leave --force"}, batches: []int{2, 1}},
		{name: "no group runs one by one", run: []string{init1, ls1}, batches: []int{1, 1}},
		{name: "one terminal twice", run: []string{join2, "node: node2; command: docker ps; group: joins"},
			wantErr: `groups.yaml:15:15: steps[0].run[1].node: group "joins" runs two commands in node2's terminal (also run[0]); a terminal runs one command at a time`},
		{name: "init beside the joins it makes possible", run: []string{init1 + "; group: joins", join2},
			wantErr: "groups.yaml:13:18: steps[0].run[0].command: `docker swarm init` cannot be in group \"joins\": the others would need the swarm it creates; put it before the group"},
		{name: "the manager leaves beside its workers", run: []string{leave2, leave3, "node: node1; command: docker swarm leave --force; group: leaves"},
			wantErr: `groups.yaml:19:18: steps[0].run[2].command: manager node1 leaves in group "leaves": the nodes leaving beside it need it to let them go; let it leave after the group`},
		{name: "a split group", run: []string{join2, ls1, join3},
			wantErr: `groups.yaml:19:16: steps[0].run[2].group: group "joins" is split: its actions must follow each other (it also holds run[0])`},
		{name: "a group of one", run: []string{init1, join2, ls1},
			wantErr: `groups.yaml:16:16: steps[0].run[1].group: group "joins" has one action: a group names commands that run at once`},
		{name: "a fault in a group", run: []string{join2, "node: node3; fault: stop; group: joins"},
			wantErr: `groups.yaml:16:16: steps[0].run[1].fault: a fault cannot be in a group: the cluster must notice it before anything else runs`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, err := Parse("groups.yaml", labWithRun(tt.run...))
			if tt.wantErr != "" {
				assert.EqualError(t, err, tt.wantErr)
				return
			}
			require.NoError(t, err)
			var sizes []int
			for _, b := range l.Steps[0].Batches() {
				sizes = append(sizes, len(b))
			}
			assert.Equal(t, tt.batches, sizes)
		})
	}
}

func TestOrchestrationGroups(t *testing.T) {
	l, err := Get("orchestration")
	require.NoError(t, err)
	groups := map[string][]string{}
	for _, s := range l.Steps {
		for _, b := range s.Batches() {
			if len(b) > 1 {
				for _, a := range b {
					groups[s.ID] = append(groups[s.ID], a.Node)
				}
			}
		}
	}
	assert.Equal(t, map[string][]string{"join": {"node2", "node3"}, "drain": {"node1", "node2", "node1", "node2"}, "cleanup": {"node1", "node2", "node3"}}, groups)
}
