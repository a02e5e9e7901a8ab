package report

import (
	"bytes"
	"encoding/csv"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCSVCell(t *testing.T) {
	tests := []struct {
		name, cell, want string
	}{
		{name: "plain", cell: "alice", want: "alice"},
		{name: "empty", cell: "", want: ""},
		{name: "number", cell: "42", want: "42"},
		{name: "formula", cell: `=HYPERLINK("http://evil.example/x","bob")`, want: `'=HYPERLINK("http://evil.example/x","bob")`},
		{name: "plus", cell: "+1+cmd|' /C calc'!A0", want: "'+1+cmd|' /C calc'!A0"},
		{name: "minus", cell: "-2+3", want: "'-2+3"},
		{name: "at", cell: "@SUM(A1:A9)", want: "'@SUM(A1:A9)"},
		{name: "tab", cell: "\t=1", want: "'\t=1"},
		{name: "carriage return", cell: "\r=1", want: "'\r=1"},
		{name: "formula later in the cell", cell: "bob =1+1", want: "bob =1+1"},
		{name: "already quoted", cell: "'=1", want: "'=1"},
		{name: "leading space", cell: " =1", want: " =1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, CSVCell(tt.cell))
		})
	}
}

func TestCSVWriter(t *testing.T) {
	var buf bytes.Buffer
	cw := NewCSVWriter(&buf)
	require.NoError(t, cw.Write([]string{"student", "claimed", "score"}))
	require.NoError(t, cw.Write([]string{"alice", `=HYPERLINK("http://evil.example/x","bob")`, "7"}))
	require.NoError(t, cw.Write([]string{"bob", "x;=1+1", "a,b\nc"}))
	require.NoError(t, cw.Flush())
	assert.Equal(t, `"student","claimed","score"
"alice","'=HYPERLINK(""http://evil.example/x"",""bob"")","7"
"bob","x;=1+1","a,b
c"
`, buf.String(), "every cell quoted, so a spreadsheet splitting on ; keeps x;=1+1 one cell")

	recs, err := csv.NewReader(&buf).ReadAll()
	require.NoError(t, err, "standard CSV readers read it back")
	assert.Equal(t, [][]string{
		{"student", "claimed", "score"},
		{"alice", `'=HYPERLINK("http://evil.example/x","bob")`, "7"},
		{"bob", "x;=1+1", "a,b\nc"},
	}, recs)
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestCSVWriterError(t *testing.T) {
	cw := NewCSVWriter(failingWriter{})
	require.NoError(t, cw.Write([]string{"a"}), "buffered")
	assert.ErrorContains(t, cw.Flush(), "disk full")
	assert.ErrorContains(t, cw.Write([]string{"b"}), "disk full", "the error sticks")
}
