package lab

import (
	"encoding/json"
	"reflect"

	"github.com/labcheck/labcheck/internal/strictyaml"
)

// SchemaFile is where the lab file's JSON Schema is checked in, for
// editors: a lab file that starts with
//
//	# yaml-language-server: $schema=<path or URL of lab.schema.json>
//
// gets completion, hover docs and errors as it is typed (VS Code's YAML
// extension, and any editor using yaml-language-server).
const SchemaFile = "lab.schema.json"

// JSONSchema generates the lab file's JSON Schema from the types Parse
// decodes into. It covers the file's shape; references between fields
// (node names, after, step) are left to Parse.
func JSONSchema() ([]byte, error) {
	s := strictyaml.Schema(reflect.TypeOf(labFile{}), map[string]any{
		"$id":         "https://github.com/labcheck/labcheck/grader/lab/lab.schema.json",
		"title":       "labcheck lab",
		"description": "A labcheck lab: the cluster's nodes, the steps a student performs and the rubric that grades them. Validate one with `labcheck lab check FILE`.",
	})
	out, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(out, '\n'), nil
}
