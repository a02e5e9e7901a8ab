package submission

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestStudent(t *testing.T) {
	tests := []struct {
		name, source, src, want string
	}{
		{name: "script comment", source: "a.sh", src: "# student: Jane Doe\ndocker ps\n", want: "Jane Doe"},
		{name: "plain line", source: "a.txt", src: "student: Budi Santoso\n$ docker ps\n", want: "Budi Santoso"},
		{name: "Markdown bold", source: "a.md", src: "# Report\n**Student:** Siti Aminah\n```sh\ndocker ps\n```\n", want: "Siti Aminah"},
		{name: "Markdown heading", source: "a.md", src: "# Student: Ana Lima\n```sh\ndocker ps\n```\n", want: "Ana Lima"},
		{name: "HTML comment", source: "a.md", src: "<!-- student: kim-lee -->\n```sh\ndocker ps\n```\n", want: "kim-lee"},
		{name: "student id", source: "a.sh", src: "# Student ID: 2021-0042\ndocker ps\n", want: "2021-0042"},
		{name: "file name without extension", source: "submissions/ana.lima.md", src: "```sh\ndocker ps\n```\n", want: "ana.lima"},
		{name: "too far down", source: "late.sh", src: strings.Repeat("docker ps\n", 30) + "# student: X\n", want: "late"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sub, err := Parse(tt.source, []byte(tt.src), labOptions())
			require.NoError(t, err)
			assert.Equal(t, tt.want, sub.Student)
		})
	}
}
