package submission

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestMatchPrompt(t *testing.T) {
	tests := []struct {
		name string
		line string
		want prompt
		ok   bool
	}{
		{name: "PWD header alone", line: "[node2] (local) root@192.168.0.8 ~",
			want: prompt{kind: promptPWD, host: "node2", addr: "192.168.0.8", text: "[node2] (local) root@192.168.0.8 ~"}, ok: true},
		{name: "PWD header with command", line: "[node1] (local) root@192.168.0.18 ~ $ docker ps",
			want: prompt{kind: promptPWD, host: "node1", addr: "192.168.0.18", text: "[node1] (local) root@192.168.0.18 ~", cmd: "docker ps"}, ok: true},
		{name: "PWD header in a subdirectory", line: "[node3] (local) root@192.168.0.6 /tmp $ docker info",
			want: prompt{kind: promptPWD, host: "node3", addr: "192.168.0.6", text: "[node3] (local) root@192.168.0.6 /tmp", cmd: "docker info"}, ok: true},
		{name: "root prompt", line: "root@node2:~# docker ps",
			want: prompt{kind: promptUserHost, host: "node2", text: "root@node2:~#", cmd: "docker ps"}, ok: true},
		{name: "user prompt with path", line: "student@node1:~/lab$ docker node ls",
			want: prompt{kind: promptUserHost, host: "node1", text: "student@node1:~/lab$", cmd: "docker node ls"}, ok: true},
		{name: "Red Hat prompt", line: "[root@node3 ~]# docker ps",
			want: prompt{kind: promptUserHost, host: "node3", text: "[root@node3 ~]#", cmd: "docker ps"}, ok: true},
		{name: "prompt by IP", line: "root@192.168.0.8:~# docker ps",
			want: prompt{kind: promptUserHost, host: "192.168.0.8", addr: "192.168.0.8", text: "root@192.168.0.8:~#", cmd: "docker ps"}, ok: true},
		{name: "container shell", line: "root@3f2a1b4c5d6e:/# ls",
			want: prompt{kind: promptContainer, host: "3f2a1b4c5d6e", text: "root@3f2a1b4c5d6e:/#", cmd: "ls"}, ok: true},
		{name: "host dollar", line: "node2$ docker ps",
			want: prompt{kind: promptHost, host: "node2", text: "node2$", cmd: "docker ps"}, ok: true},
		{name: "host with path", line: "node2:~$ docker ps",
			want: prompt{kind: promptHost, host: "node2", text: "node2:~$", cmd: "docker ps"}, ok: true},
		{name: "bare dollar", line: "$ docker ps",
			want: prompt{kind: promptBare, text: "$", cmd: "docker ps"}, ok: true},
		{name: "bare dollar alone", line: "$", want: prompt{kind: promptBare, text: "$"}, ok: true},
		{name: "output line", line: "This node joined a swarm as a worker."},
		{name: "table row", line: "r75x6w2f1bq4zsmjcgy1b2cgw *   node1      Ready     Active         Leader"},
		{name: "indented join line from join-token output", line: "docker swarm join --token SWMTKN-1-x 192.168.0.18:2377"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := matchPrompt(tt.line)
			assert.Equal(t, tt.ok, ok)
			assert.Equal(t, tt.want, got)
		})
	}
}
