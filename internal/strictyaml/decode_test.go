package strictyaml

import (
	"context"
	"fmt"
	"reflect"
	"testing"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type box struct {
	Label String   `yaml:"label" required:"true" doc:"the label"`
	Size  Int      `yaml:"size" min:"1" doc:"how big"`
	Note  Text     `yaml:"note"`
	Tags  []String `yaml:"tags" min:"1"`
	Color String   `yaml:"color" type:"red|blue"`
	Open  *bool    `yaml:"open"`
}

func (b *box) UnmarshalYAML(ctx context.Context, n ast.Node) error {
	type plain box
	return Part(ctx, n, (*plain)(b), testWords)
}

var testWords = Words{
	What:         "a box",
	Got:          Describe,
	Missing:      func(f Field) string { return "missing " + f.Name + " (" + f.Doc + ")" },
	MissingValue: func(f Field) string { return "empty " + f.Name },
	Unknown:      func(key string, fields []Field) string { return fmt.Sprintf("no %s in %s", key, FieldNames(fields)) },
}

func decode(t *testing.T, src string) (box, *Result) {
	t.Helper()
	f, err := parser.ParseBytes([]byte(src), 0)
	require.NoError(t, err)
	var b box
	return b, Decode(f.Docs[0].Body, &b)
}

func TestDecode(t *testing.T) {
	tests := []struct {
		name, src  string
		want       []string
		incomplete bool
	}{
		{name: "valid", src: "label: a\nsize: 3.0\nnote: 1.10\ntags: [x]\ncolor: red\nopen: false\n"},
		{name: "quoted number", src: "label: a\nsize: \"3\"\n", want: []string{`2:7 size: expected a whole number, got "3"`}, incomplete: true},
		{name: "fraction", src: "label: a\nsize: 2.5\n", want: []string{`2:7 size: expected a whole number, got the number 2.5`}, incomplete: true},
		{name: "number for a string", src: "label: 7\n", want: []string{`1:8 label: expected a string, got the number 7; quote it: "7"`}, incomplete: true},
		{name: "blank string", src: "label: ' '\n", want: []string{`1:8 label: must not be empty`}, incomplete: true},
		{name: "text from a list", src: "label: a\nnote: [x]\n", want: []string{`2:7 note: expected text, got a list`}, incomplete: true},
		{name: "bool from text", src: "label: a\nopen: yes please\n", want: []string{`2:7 open: expected true or false, got "yes please"`}, incomplete: true},
		{name: "list from text", src: "label: a\ntags: x\n", want: []string{`2:7 tags: expected a list, got "x"`}, incomplete: true},
		{name: "rules", src: "label: a\nsize: 0\ntags: []\ncolor: green\n", want: []string{
			`2:7 size: must be at least 1, got 0`, `3:7 tags: must list at least one item`, `4:8 color: "green" is not one of red, blue`}},
		{name: "missing", src: "size: 2\n", want: []string{`1:1 : missing label (the label)`}, incomplete: true},
		{name: "null", src: "label:\n", want: []string{`1:1 label: empty label`}, incomplete: true},
		{name: "unknown keys all reported, decoding goes on", src: "label: a\nb: 1\na: 2\n", want: []string{
			`2:1 b: no b in label, size, note, tags, color, open`, `3:1 a: no a in label, size, note, tags, color, open`}},
		{name: "not a mapping", src: "[1]\n", want: []string{`1:1 : expected a box (a mapping with label, size, note, tags, color, open), got a list`}, incomplete: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, res := decode(t, tt.src)
			var got []string
			for _, e := range res.Errors {
				got = append(got, fmt.Sprintf("%d:%d %s: %s", e.Line, e.Column, e.Path, e.Msg))
			}
			assert.Equal(t, tt.want, got)
			assert.Equal(t, tt.incomplete, res.Incomplete)
		})
	}
}

func TestDecodeValues(t *testing.T) {
	b, res := decode(t, "label: a\nsize: 3.0\nnote: 1.10\ntags: [x, y]\nopen: false\n")
	require.Empty(t, res.Errors)
	assert.Equal(t, String("a"), b.Label)
	assert.Equal(t, Int(3), b.Size)
	assert.Equal(t, Text("1.10"), b.Note, "text as written, not as a float")
	assert.Equal(t, []string{"x", "y"}, Strings(b.Tags))
	require.NotNil(t, b.Open)
	assert.False(t, *b.Open)
	assert.True(t, res.HasUnknown("") == false)
}

func TestIndexAt(t *testing.T) {
	f, err := parser.ParseBytes([]byte("a:\n  - x: 1\n    y:\n"), 0)
	require.NoError(t, err)
	ix := NewIndex(f.Docs[0].Body)
	for path, want := range map[string][2]int{"a": {2, 3}, "a[0]": {2, 5}, "a[0].x": {2, 8}, "a[0].y": {3, 5}} {
		e := ix.At(path, "m")
		assert.Equal(t, want, [2]int{e.Line, e.Column}, path)
	}
}

func TestSchema(t *testing.T) {
	s := Schema(reflect.TypeOf(box{}), map[string]any{"title": "box"})
	assert.Equal(t, "box", s["title"])
	def := s
	assert.Equal(t, false, def["additionalProperties"])
	assert.Equal(t, []any{"label"}, def["required"])
	props := def["properties"].(map[string]any)
	assert.Equal(t, map[string]any{"type": "integer", "minimum": 1, "description": "how big"}, props["size"])
	assert.Equal(t, []any{"red", "blue"}, props["color"].(map[string]any)["enum"])
	assert.Equal(t, 1, props["tags"].(map[string]any)["minItems"])
	assert.Equal(t, map[string]any{"type": "boolean"}, props["open"])
}
