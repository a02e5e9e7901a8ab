package submission

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestTranscript(t *testing.T) {
	tests := []struct {
		name  string
		src   string
		want  []string
		notes []string
	}{
		{
			name: "PWD header then $ line",
			src: `[node1] (local) root@192.168.0.18 ~
$ docker run -dt ubuntu sleep infinity
7c2f9d1e8a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5
[node1] (local) root@192.168.0.18 ~
$ docker ps
CONTAINER ID   IMAGE     COMMAND            CREATED         STATUS         PORTS     NAMES
7c2f9d1e8a3b   ubuntu    "sleep infinity"   5 seconds ago   Up 4 seconds             quirky_hopper
`,
			want: []string{
				"2 node1/0: docker run -dt ubuntu sleep infinity => 7c2f9d1e8a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5",
				`5 node1/0: docker ps => CONTAINER ID   IMAGE     COMMAND            CREATED         STATUS         PORTS     NAMES|7c2f9d1e8a3b   ubuntu    "sleep infinity"   5 seconds ago   Up 4 seconds             quirky_hopper`,
			},
		},
		{
			name: "PWD header and command on one line",
			src:  "[node1] (local) root@192.168.0.18 ~ $ docker swarm init --advertise-addr $(hostname -i)\nSwarm initialized.\n",
			want: []string{"1 node1/0: docker swarm init --advertise-addr $(hostname -i) => Swarm initialized."},
		},
		{
			name: "every plain prompt style",
			src: `root@node2:~# docker ps
node3$ docker ps
node3:~$ docker info
[root@node1 ~]# docker node ls
$ docker service ls
`,
			want: []string{"1 node2/0: docker ps", "2 node3/1: docker ps", "3 node3/1: docker info", "4 node1/2: docker node ls", "5 node1/2: docker service ls"},
		},
		{
			name: "commands before any prompt naming a node run on the default node",
			src:  "$ docker ps\nroot@node2:~# docker ps\n",
			want: []string{"1 node1/0: docker ps", "2 node2/1: docker ps"},
		},
		{
			name: "continuation lines with the > prompt and without",
			src: `$ docker service create \
> --name sleep-app \
>   ubuntu sleep infinity
abc
$ docker service update \
  --replicas 7 sleep-app
`,
			want: []string{"1 node1/0: docker service create --name sleep-app ubuntu sleep infinity => abc", "5 node1/0: docker service update --replicas 7 sleep-app"},
		},
		{
			name: "an open quote continues on > lines",
			src:  "$ docker run ubuntu sh -c 'echo a\n> echo b'\n",
			want: []string{"1 node1/0: docker run ubuntu sh -c 'echo a\necho b'"},
		},
		{
			name: "several terminals pasted one after another",
			src: `[node1] (local) root@192.168.0.18 ~
$ docker swarm init --advertise-addr 192.168.0.18
[node2] (local) root@192.168.0.17 ~
$ docker swarm join --token SWMTKN-1-aaa-bbb 192.168.0.18:2377
[node1] (local) root@192.168.0.18 ~
$ docker node ls
`,
			want: []string{"2 node1/0: docker swarm init --advertise-addr 192.168.0.18", "4 node2/1: docker swarm join --token SWMTKN-1-aaa-bbb 192.168.0.18:2377", "6 node1/2: docker node ls"},
		},
		{
			name: "a PWD banner starts a new terminal on the same node",
			src: `$ docker ps
###############################################################
#                          WARNING!!!!                        #
###############################################################
$ docker info
`,
			want:  []string{"1 node1/0: docker ps", "5 node1/1: docker info"},
			notes: []string{"ignored the Play with Docker welcome banner (line 2); each starts a new terminal"},
		},
		{
			name: "a new PWD session on the same node starts a new terminal",
			src: `[node1] (local) root@192.168.0.18 ~ $ docker ps
[node1] (local) root@192.168.0.23 ~ $ docker ps
`,
			want: []string{"1 node1/0: docker ps", "2 node1/1: docker ps"},
		},
		{
			name: "outputs that look like prompts stay output",
			src: `$ docker swarm join-token worker
To add a worker to this swarm, run the following command:

    docker swarm join --token SWMTKN-1-aaa-bbb 192.168.0.18:2377

total$ 3
$ docker ps
`,
			want: []string{
				"1 node1/0: docker swarm join-token worker => To add a worker to this swarm, run the following command:||    docker swarm join --token SWMTKN-1-aaa-bbb 192.168.0.18:2377||total$ 3",
				"7 node1/0: docker ps",
			},
		},
		{
			name:  "a container's shell is part of the docker command's output",
			src:   "root@node1:~# docker run -it ubuntu bash\nroot@3f2a1b4c5d6e:/# rm -rf /\nroot@3f2a1b4c5d6e:/# exit\nroot@node1:~# docker ps\n",
			want:  []string{"1 node1/0: docker run -it ubuntu bash => root@3f2a1b4c5d6e:/# rm -rf /|root@3f2a1b4c5d6e:/# exit", "4 node1/0: docker ps"},
			notes: []string{"lines 2-3 typed inside a container's shell: kept as output of the docker command that opened it, not run on a node"},
		},
		{
			name: "housekeeping is dropped with its output",
			src:  "$ clear\n$ ls -la\ntotal 4\n$ docker ps\n",
			want: []string{"4 node1/0: docker ps"},
			notes: []string{
				"ignored line 1: `clear` (shell housekeeping; it changes nothing in the cluster)",
				"ignored line 2: `ls -la` (shell housekeeping; it changes nothing in the cluster)",
			},
		},
		{
			name: "prompt by IP resolves through an earlier header",
			src:  "[node2] (local) root@192.168.0.17 ~ $ docker ps\nroot@node1:~# docker ps\nroot@192.168.0.17:~# docker info\n",
			want: []string{"1 node2/0: docker ps", "2 node1/1: docker ps", "3 node2/2: docker info"},
		},
		{
			name: "indented and tab-separated lines with trailing spaces",
			src:  "\t$ docker ps   \n\t  \n  $ docker info\t\n",
			want: []string{"1 node1/0: docker ps", "3 node1/0: docker info"},
		},
		{
			name:  "lines before the first prompt are ignored",
			src:   "Lab 2 - Jane\n\n$ docker ps\n",
			want:  []string{"3 node1/0: docker ps"},
			notes: []string{"ignored 1 line that follows no command (line 1)"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := labOptions()
			opts.Format = FormatTranscript
			sub := mustParse(t, tt.src, opts)
			assert.Equal(t, tt.want, brief(sub.Commands))
			assert.Equal(t, tt.notes, sub.Notes)
		})
	}
}

func TestTranscriptPrompt(t *testing.T) {
	sub := mustParse(t, "[node1] (local) root@192.168.0.18 ~\n$ docker ps\nroot@node2:~# docker ps\n$ docker info\n", labOptions())
	var prompts []string
	for _, c := range sub.Commands {
		prompts = append(prompts, c.Prompt)
	}
	assert.Equal(t, []string{"[node1] (local) root@192.168.0.18 ~", "root@node2:~#", "$"}, prompts)
}
