package submission

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestScript(t *testing.T) {
	tests := []struct {
		name  string
		src   string
		want  []string
		notes []string
	}{
		{
			name: "node markers switch the node for the lines after them",
			src: `#!/bin/bash
# student: Jane Doe
set -e
docker swarm init --advertise-addr $(hostname -i)

# node: node2
docker swarm join --token SWMTKN-1-aaa-bbb 192.168.0.18:2377
#@node3
docker swarm join --token SWMTKN-1-aaa-bbb 192.168.0.18:2377
# NODE = node1
docker node ls   # should show three nodes
`,
			want: []string{
				"4 node1/0: docker swarm init --advertise-addr $(hostname -i)",
				"7 node2/1: docker swarm join --token SWMTKN-1-aaa-bbb 192.168.0.18:2377",
				"9 node3/2: docker swarm join --token SWMTKN-1-aaa-bbb 192.168.0.18:2377",
				"11 node1/3: docker node ls   # should show three nodes",
			},
			notes: []string{"ignored line 3: `set -e` (shell housekeeping; it changes nothing in the cluster)"},
		},
		{
			name: "continuations join",
			src:  "docker service create \\\n    --name sleep-app \\\n    ubuntu sleep infinity\ndocker service ls\n",
			want: []string{"1 node1/0: docker service create --name sleep-app ubuntu sleep infinity", "4 node1/0: docker service ls"},
		},
		{
			name: "a marker before any command names the first terminal",
			src:  "# node: node2\ndocker ps\n",
			want: []string{"2 node2/0: docker ps"},
		},
		{
			name:  "an unclosed quote reads the line alone",
			src:   "docker run ubuntu echo it's\n\ndocker ps\n",
			want:  []string{"1 node1/0: docker run ubuntu echo it's", "3 node1/0: docker ps"},
			notes: []string{"line 1: a quote or $( is never closed; read the line on its own"},
		},
		{
			name:  "sleep between steps is dropped",
			src:   "docker service update --replicas 7 sleep-app\nsleep 10\ndocker service ps sleep-app\n",
			want:  []string{"1 node1/0: docker service update --replicas 7 sleep-app", "3 node1/0: docker service ps sleep-app"},
			notes: []string{"ignored line 2: `sleep 10` (shell housekeeping; it changes nothing in the cluster)"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := labOptions()
			opts.Format = FormatScript
			sub := mustParse(t, tt.src, opts)
			assert.Equal(t, tt.want, brief(sub.Commands))
			assert.Equal(t, tt.notes, sub.Notes)
		})
	}
}
