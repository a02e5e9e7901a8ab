package submission

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNormalize(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		want  string
		notes []string
	}{
		{name: "plain text is untouched", in: "docker ps\n", want: "docker ps\n"},
		{name: "CRLF", in: "docker ps\r\ndocker info\r\n", want: "docker ps\ndocker info\n",
			notes: []string{"converted Windows line endings (CRLF) to LF"}},
		{name: "lone CR", in: "docker ps\rdocker info", want: "docker ps\ndocker info",
			notes: []string{"converted 1 carriage return (CR) to line breaks"}},
		{name: "UTF-8 BOM", in: "\xef\xbb\xbfdocker ps", want: "docker ps",
			notes: []string{"removed the byte order mark (BOM) at the start"}},
		{name: "smart quotes", in: "docker ps --format “{{.Names}}”\necho ‘x’", want: "docker ps --format \"{{.Names}}\"\necho 'x'",
			notes: []string{"replaced 4 smart quotes with ASCII quotes (first on line 1)"}},
		{name: "en dash starting a long flag", in: "docker service create –name sleep-app ubuntu", want: "docker service create --name sleep-app ubuntu",
			notes: []string{"replaced 1 en/em dash starting a flag with ASCII dashes, e.g. –name → --name (first on line 1)"}},
		{name: "em dash starting a short flag", in: "docker run —d ubuntu", want: "docker run -d ubuntu",
			notes: []string{"replaced 1 en/em dash starting a flag with ASCII dashes, e.g. –name → --name (first on line 1)"}},
		{name: "dash between words stays", in: "Step 2 – scale", want: "Step 2 – scale"},
		{name: "dash after equals", in: "docker ps –filter=–x", want: "docker ps --filter=-x",
			notes: []string{"replaced 2 en/em dashes starting a flag with ASCII dashes, e.g. –name → --name (first on line 1)"}},
		{name: "NBSP and narrow spaces", in: "docker\u00a0ps\u202f-a", want: "docker ps -a",
			notes: []string{"replaced 2 non-breaking or typographic spaces with plain spaces (first on line 1)"}},
		{name: "zero-width characters", in: "\n\ndocker\u200b ps\u200d", want: "\n\ndocker ps",
			notes: []string{"removed 2 zero-width characters (first on line 3)"}},
		{name: "Unicode hyphen", in: "sleep\u2011app", want: "sleep-app",
			notes: []string{"replaced 1 Unicode hyphen/minus sign with ASCII '-' (first on line 1)"}},
		{name: "terminal colours", in: "\x1b[1;32mroot@node1\x1b[0m:~# docker ps", want: "root@node1:~# docker ps",
			notes: []string{"removed 2 terminal escape sequences (colours, cursor moves; first on line 1)"}},
		{name: "Windows-1252 smart quotes", in: "docker ps --format \x93{{.ID}}\x94", want: "docker ps --format \"{{.ID}}\"",
			notes: []string{"read 2 bytes that are not UTF-8 as Windows-1252 (first on line 1)", "replaced 2 smart quotes with ASCII quotes (first on line 1)"}},
		{name: "UTF-16LE with BOM", in: "\xff\xfed\x00o\x00c\x00k\x00e\x00r\x00", want: "docker",
			notes: []string{"decoded UTF-16 text (as Windows PowerShell and Notepad save it)"}},
		{name: "notes come in a fixed order", in: "\xef\xbb\xbfdocker\u00a0ps “x”\r\n", want: "docker ps \"x\"\n",
			notes: []string{"removed the byte order mark (BOM) at the start", "converted Windows line endings (CRLF) to LF",
				"replaced 2 smart quotes with ASCII quotes (first on line 1)", "replaced 1 non-breaking or typographic space with plain spaces (first on line 1)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, notes, err := normalize([]byte(tt.in))
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
			assert.Equal(t, tt.notes, notes)
		})
	}
}

func TestNormalizeRejectsBinary(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		want string
	}{
		{name: "NUL byte", in: []byte("docker ps\nab\x00cd"), want: "<src>:2: not text: found a NUL byte (is this a binary file? hand in the transcript, script or Markdown as text)"},
		{name: "mostly invalid UTF-8", in: append([]byte("docker\n"), repeat(0xff, 40)...), want: "<src>:2: not text: 40 bytes are not valid UTF-8 (first on line 2)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := normalize(tt.in)
			var pe *ParseError
			require.ErrorAs(t, err, &pe)
			pe.Source = "<src>"
			assert.Equal(t, tt.want, pe.Error())
		})
	}
}

func repeat(b byte, n int) []byte {
	out := make([]byte, n)
	for i := range out {
		out[i] = b
	}
	return out
}
