package submission

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestStudent(t *testing.T) {
	tests := []struct {
		name, source, src string
		student, claimed  string
	}{
		{name: "script comment", source: "a.sh", src: "# student: Jane Doe\ndocker ps\n", student: "Jane Doe", claimed: "Jane Doe"},
		{name: "plain line", source: "a.txt", src: "student: Budi Santoso\n$ docker ps\n", student: "Budi Santoso", claimed: "Budi Santoso"},
		{name: "Markdown bold", source: "a.md", src: "# Report\n**Student:** Siti Aminah\n```sh\ndocker ps\n```\n", student: "Siti Aminah", claimed: "Siti Aminah"},
		{name: "Markdown heading", source: "a.md", src: "# Student: Ana Lima\n```sh\ndocker ps\n```\n", student: "Ana Lima", claimed: "Ana Lima"},
		{name: "HTML comment", source: "a.md", src: "<!-- student: kim-lee -->\n```sh\ndocker ps\n```\n", student: "kim-lee", claimed: "kim-lee"},
		{name: "student id", source: "a.sh", src: "# Student ID: 2021-0042\ndocker ps\n", student: "2021-0042", claimed: "2021-0042"},
		{name: "file name without extension", source: "submissions/ana.lima.md", src: "```sh\ndocker ps\n```\n", student: "ana.lima", claimed: ""},
		{name: "too far down", source: "late.sh", src: strings.Repeat("docker ps\n", 30) + "# student: X\n", student: "late", claimed: ""},
		{
			name: "a formula is kept as text", source: "alice.txt",
			src:     "# student: =HYPERLINK(\"http://evil.example/x\",\"bob\")\n$ docker ps\n",
			student: `=HYPERLINK("http://evil.example/x","bob")`, claimed: `=HYPERLINK("http://evil.example/x","bob")`,
		},
		{name: "control characters dropped", source: "a.sh", src: "# student: bo\u009b\tb\ndocker ps\n", student: "bob", claimed: "bob"},
		{
			name: "long claim cut", source: "a.sh", src: "# student: " + strings.Repeat("x", 200) + "\ndocker ps\n",
			student: strings.Repeat("x", 79) + "…", claimed: strings.Repeat("x", 79) + "…",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sub, err := Parse(tt.source, []byte(tt.src), labOptions())
			require.NoError(t, err)
			assert.Equal(t, tt.student, sub.Student)
			assert.Equal(t, tt.claimed, sub.Claimed)
		})
	}
}

func TestKey(t *testing.T) {
	tests := []struct {
		name, source, want string
	}{
		{name: "file", source: "submissions/alice.txt", want: "alice"},
		{name: "folder", source: "submissions/alice/", want: "alice"},
		{name: "only the last extension goes", source: "ana.lima.md", want: "ana_lima"},
		{name: "no extension", source: "bob", want: "bob"},
		{name: "spaces and punctuation", source: "Jane Doe (2).txt", want: "Jane_Doe_2_"},
		{name: "letters of any script kept", source: "Zoë-Đặng_张伟.md", want: "Zoë-Đặng_张伟"},
		{name: "formula in a file name", source: `=HYPERLINK("x").txt`, want: "_HYPERLINK_x_"},
		{name: "leading dash", source: "--rf.sh", want: "rf"},
		{name: "hidden file", source: ".bashrc", want: "submission"},
		{name: "dots only", source: "../...", want: "submission"},
		{name: "punctuation only", source: "!!!.txt", want: "submission"},
		{name: "long name cut on a rune", source: strings.Repeat("é", 80) + ".txt", want: strings.Repeat("é", 50)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, Key(tt.source))
		})
	}
}

// TestKeyIgnoresClaim is the forged submission: bob's file says it is
// alice's, and is still filed under bob.
func TestKeyIgnoresClaim(t *testing.T) {
	sub, err := Parse("subs/bob.txt", []byte("# student: alice\n$ docker ps\n"), labOptions())
	require.NoError(t, err)
	assert.Equal(t, "bob", sub.Key())
	assert.Equal(t, "alice", sub.Claimed)
}
