package submission

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestMarkdown(t *testing.T) {
	tests := []struct {
		name  string
		src   string
		want  []string
		notes []string
	}{
		{
			name: "blocks without markers run on the default node; output blocks attach",
			src:  "# Lab\n\n```bash\ndocker swarm init --advertise-addr $(hostname -i)\n```\n\nOutput:\n\n```\nSwarm initialized: current node (r75x) is now a manager.\n```\n",
			want: []string{"4 node1/0: docker swarm init --advertise-addr $(hostname -i) => Swarm initialized: current node (r75x) is now a manager."},
		},
		{
			name: "prose markers",
			src: "On node2:\n```sh\ndocker ps\n```\n" +
				"**node3**\n```sh\ndocker ps\n```\n" +
				"Di node1:\n```sh\ndocker ps\n```\n" +
				"### Node 2\n```sh\ndocker ps\n```\n" +
				"In node3's terminal:\n```sh\ndocker ps\n```\n" +
				"<!-- node: node1 -->\n```sh\ndocker ps\n```\n" +
				"node: node2\n```sh\ndocker ps\n```\n",
			want: []string{"3 node2/0: docker ps", "7 node3/1: docker ps", "11 node1/2: docker ps", "15 node2/3: docker ps", "19 node3/4: docker ps", "23 node1/5: docker ps", "27 node2/6: docker ps"},
		},
		{
			name: "prose that merely mentions a node is not a marker",
			src:  "Now drain node2 so that its tasks move:\n```sh\ndocker node update --availability drain node2\n```\nOn node1, drain node2:\n```sh\ndocker node ls\n```\n",
			want: []string{"3 node1/0: docker node update --availability drain node2", "7 node1/0: docker node ls"},
		},
		{
			name: "a marker holds until the next heading",
			src:  "## Join\nOn node2:\n```sh\ndocker ps\n```\n```sh\ndocker info\n```\n## Next\n```sh\ndocker node ls\n```\n",
			want: []string{"4 node2/0: docker ps", "7 node2/0: docker info", "11 node1/1: docker node ls"},
		},
		{
			name: "a marker naming two nodes runs the block on both",
			src:  "Run this on node2 and node3:\n\n```bash\ndocker swarm join --token SWMTKN-1-aaa-bbb 192.168.0.18:2377\n```\n",
			want: []string{
				"4 node2/0: docker swarm join --token SWMTKN-1-aaa-bbb 192.168.0.18:2377",
				"4 node3/1: docker swarm join --token SWMTKN-1-aaa-bbb 192.168.0.18:2377",
			},
			notes: []string{"line 3: the block runs on node2 and node3, as the line before it says"},
		},
		{
			name: "console blocks: prompt lines are commands, the rest output",
			src:  "```console\nroot@node2:~# docker ps\nCONTAINER ID   IMAGE\n$ docker info\n```\n",
			want: []string{"2 node2/0: docker ps => CONTAINER ID   IMAGE", "4 node2/0: docker info"},
		},
		{
			name:  "bash blocks with prompts are read as console",
			src:   "```bash\n$ docker node ls\nID   HOSTNAME\n```\n",
			want:  []string{"2 node1/0: docker node ls => ID   HOSTNAME"},
			notes: []string{"line 1: the ```bash block shows prompts: read it as a console session (prompt lines are commands, the rest output)"},
		},
		{
			name: "text blocks are commands only with prompts; other languages never",
			src:  "```text\nnode3$ docker ps\n```\n```yaml\ndocker: ps\n```\n```\n$ docker info\n```\n",
			want: []string{"2 node3/0: docker ps", "8 node1/1: docker info"},
		},
		{
			name: "node comment inside a block",
			src:  "```sh\ndocker swarm init\n# node: node2\ndocker swarm join --token T 1.2.3.4:2377\n```\n",
			want: []string{"2 node1/0: docker swarm init", "4 node2/1: docker swarm join --token T 1.2.3.4:2377"},
		},
		{
			name: "tilde fences and continuations",
			src:  "~~~bash\ndocker service create \\\n  --name sleep-app ubuntu sleep infinity\n~~~\n",
			want: []string{"2 node1/0: docker service create --name sleep-app ubuntu sleep infinity"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := labOptions()
			opts.Format = FormatMarkdown
			sub := mustParse(t, tt.src, opts)
			assert.Equal(t, tt.want, brief(sub.Commands))
			assert.Equal(t, tt.notes, sub.Notes)
		})
	}
}
