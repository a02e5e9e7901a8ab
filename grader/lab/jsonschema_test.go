package lab

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestJSONSchemaGolden keeps the checked-in schema what the types say;
// `go test ./grader/lab -update` rewrites it.
func TestJSONSchemaGolden(t *testing.T) {
	got, err := JSONSchema()
	require.NoError(t, err)
	if *update {
		require.NoError(t, os.WriteFile(SchemaFile, got, 0o644))
	}
	want, err := os.ReadFile(SchemaFile)
	require.NoError(t, err, "run go test -update to create it")
	assert.Equal(t, string(want), string(got), "the schema is stale: run go test ./grader/lab -update")
}

func compileSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open(SchemaFile)
	require.NoError(t, err)
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	require.NoError(t, err)
	c := jsonschema.NewCompiler()
	require.NoError(t, c.AddResource(SchemaFile, doc))
	s, err := c.Compile(SchemaFile)
	require.NoError(t, err)
	return s
}

// validateYAML validates a lab file against the schema the way an editor
// does: converted to JSON first.
func validateYAML(t *testing.T, s *jsonschema.Schema, data []byte) error {
	t.Helper()
	js, err := yaml.YAMLToJSON(data)
	require.NoError(t, err)
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(js))
	require.NoError(t, err)
	return s.Validate(v)
}

func TestJSONSchemaAcceptsLabs(t *testing.T) {
	s := compileSchema(t)
	files, err := filepath.Glob(filepath.Join("labs", "*.yaml"))
	require.NoError(t, err)
	files = append(files, filepath.Join("testdata", "valid-mini.yaml"))
	require.Len(t, files, 3)
	for _, f := range files {
		t.Run(f, func(t *testing.T) {
			data, err := os.ReadFile(f)
			require.NoError(t, err)
			_, err = Parse(f, data)
			require.NoError(t, err, "Parse accepts it")
			assert.NoError(t, validateYAML(t, s, data))
		})
	}
}

// Each of these is refused by Parse while decoding; the schema must flag
// it too, so that an editor shows it before labcheck does.
func TestJSONSchemaRefuses(t *testing.T) {
	s := compileSchema(t)
	tests := []struct{ name, file, want string }{
		{name: "unknown field", file: "unknown-field", want: "comand"},
		{name: "unknown top-level field", file: "multiple-errors", want: "colour"},
		{name: "unknown check kind", file: "unknown-kind", want: "running_task"},
		{name: "unknown check parameter", file: "param-unknown", want: "replicas"},
		{name: "missing title", file: "missing-title", want: "title"},
		{name: "points as text", file: "points-text", want: "points"},
		{name: "count quoted", file: "param-type", want: "count"},
		{name: "number in args", file: "args-number", want: "args"},
		{name: "bad fault", file: "bad-fault", want: "fault"},
		{name: "bad enum in a nested check", file: "nested-param", want: "role"},
		{name: "nodes not a list", file: "nodes-not-a-list", want: "nodes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", "broken", tt.file+".yaml"))
			require.NoError(t, err)
			_, err = Parse(tt.file+".yaml", data)
			require.Error(t, err, "Parse refuses it")
			err = validateYAML(t, s, data)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

func TestShippedLabsNameTheSchema(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("labs", "*.yaml"))
	require.NoError(t, err)
	for _, f := range files {
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		assert.True(t, strings.HasPrefix(string(data), "# yaml-language-server: $schema=../"+SchemaFile+"\n"), f)
	}
}
