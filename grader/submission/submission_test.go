package submission

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		src  string
		opts func(*Options)
		want string
	}{
		{name: "unknown node in a PWD header", src: "[nodo2] (local) root@192.168.0.8 ~\n$ docker ps\n",
			want: `jane.txt:1: unknown node "nodo2" (this lab's nodes: node1, node2, node3)`},
		{name: "misspelt node in a root prompt", src: "$ docker ps\nroot@nodo2:~# docker ps\n",
			want: `jane.txt:2: unknown node "nodo2" (this lab's nodes: node1, node2, node3)`},
		{name: "misspelt node in a short prompt", src: "$ docker ps\nnode4$ docker ps\n",
			want: `jane.txt:2: unknown node "node4" (this lab's nodes: node1, node2, node3)`},
		{name: "unknown node in a script marker", src: "docker ps\n# node: worker2\ndocker ps\n",
			want: `jane.txt:2: unknown node "worker2" (this lab's nodes: node1, node2, node3)`},
		{name: "unknown node in a Markdown marker", src: "<!-- node: nodeX -->\n```sh\ndocker ps\n```\n",
			want: `jane.txt:1: unknown node "nodeX" (this lab's nodes: node1, node2, node3)`},
		{name: "binary", src: "\x7fELF\x02\x01\x01\x00\x00",
			want: "jane.txt:1: not text: found a NUL byte (is this a binary file? hand in the transcript, script or Markdown as text)"},
		{name: "too large", src: strings.Repeat("docker ps\n", 20), opts: func(o *Options) { o.MaxBytes = 100 },
			want: "jane.txt: too large: 200 bytes (the limit is 100)"},
		{name: "too many commands", src: strings.Repeat("docker ps\n", 4), opts: func(o *Options) { o.MaxCommands = 3 },
			want: "jane.txt:4: too many commands: more than 3"},
		{name: "no commands in a script", src: "# just a comment\n\n",
			want: "jane.txt: no commands found: read as a script, but every line is blank or a comment"},
		{name: "no commands in Markdown", src: "# Report\n\n```yaml\na: b\n```\n",
			want: "jane.txt: no commands found: read as Markdown, but no ```sh, ```bash or ```console block holds a command"},
		{name: "no commands in a transcript", src: "hello\n", opts: func(o *Options) { o.Format = FormatTranscript },
			want: "jane.txt: no commands found: read as a transcript, but no line starts with a prompt such as `$ `, `root@node1:~# ` or `[node1] (local) root@192.168.0.18 ~`"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := labOptions()
			if tt.opts != nil {
				tt.opts(&opts)
			}
			_, err := Parse("jane.txt", []byte(tt.src), opts)
			var pe *ParseError
			require.ErrorAs(t, err, &pe)
			assert.Equal(t, tt.want, err.Error())
		})
	}
}

func TestParseOptions(t *testing.T) {
	_, err := Parse("x.sh", []byte("docker ps\n"), Options{Nodes: labNodes, DefaultNode: "node9"})
	assert.EqualError(t, err, `parse submission: default node "node9" is not one of the lab's nodes (node1, node2, node3)`)

	sub := mustParse(t, "docker ps\n", Options{Nodes: labNodes})
	assert.Equal(t, "node1", sub.Commands[0].Node, "the default node is the first of Nodes")

	sub = mustParse(t, "[anyname] (local) root@10.0.0.1 ~ $ docker ps\n", Options{})
	assert.Equal(t, "anyname", sub.Commands[0].Node, "without Nodes any name is accepted")

	sub = mustParse(t, "$ docker ps\n", Options{Nodes: labNodes, Format: FormatScript})
	assert.Equal(t, FormatScript, sub.Format)
	assert.Equal(t, "$ docker ps", sub.Commands[0].Text, "a forced format is not second-guessed")
}

func TestParseNormalises(t *testing.T) {
	src := "\xef\xbb\xbf# student: Zoë\r\n[node1] (local) root@192.168.0.18 ~\r\n$ docker service create –name sleep-app ubuntu sh -c “sleep infinity”\r\n"
	sub := mustParse(t, src, labOptions())
	assert.Equal(t, "Zoë", sub.Student)
	assert.Equal(t, []string{`3 node1/0: docker service create --name sleep-app ubuntu sh -c "sleep infinity"`}, brief(sub.Commands))
	assert.Equal(t, []string{
		"removed the byte order mark (BOM) at the start",
		"converted Windows line endings (CRLF) to LF",
		"replaced 2 smart quotes with ASCII quotes (first on line 3)",
		"replaced 1 en/em dash starting a flag with ASCII dashes, e.g. –name → --name (first on line 3)",
		"ignored 1 line that follows no command (line 1)",
	}, sub.Notes)
}
