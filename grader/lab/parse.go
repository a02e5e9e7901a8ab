package lab

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"

	"github.com/labcheck/labcheck/internal/strictyaml"
)

// Load reads and validates a lab file. Errors name the path as given.
func Load(path string) (*Lab, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("load lab: %w", err)
	}
	return Parse(path, data)
}

// Parse reads and validates a lab from YAML; source names it in errors and
// becomes Lab.Source. On failure the error is an Errors listing every
// problem found, each with line, column and field path.
func Parse(source string, data []byte) (*Lab, error) {
	file, err := parser.ParseBytes(data, 0)
	if err != nil {
		return nil, Errors{syntaxError(source, err)}
	}
	var docs []ast.Node
	for _, doc := range file.Docs {
		if doc != nil && doc.Body != nil {
			docs = append(docs, doc.Body)
		}
	}
	switch {
	case len(docs) == 0:
		return nil, Errors{{Source: source, Msg: "the file is empty; a lab needs at least name, title, nodes, steps and rubric"}}
	case len(docs) > 1:
		line, col := strictyaml.Position(docs[1])
		return nil, Errors{{Source: source, Line: line, Column: col, Msg: "a lab file holds one YAML document; split the labs into separate files"}}
	}
	root := docs[0]
	if found := aliases(root); len(found) > 0 {
		return nil, toErrors(source, found)
	}
	var f labFile
	res := strictyaml.Decode(root, &f)
	found := res.Errors
	l := f.lab()
	if !res.Incomplete {
		v := &validator{ix: strictyaml.NewIndex(root), res: res, checks: f.Rubric}
		v.validate(l)
		found = append(found, v.errs...)
	}
	if len(found) > 0 {
		return nil, toErrors(source, found)
	}
	l.Source = source
	return l, nil
}

func toErrors(source string, found []*strictyaml.Error) Errors {
	errs := make(Errors, len(found))
	for i, e := range found {
		// A check's kind is reported on the check itself, the way an
		// instructor thinks of it: "rubric[3].check: unknown check kind".
		errs[i] = &Error{Source: source, Line: e.Line, Column: e.Column, Path: strings.TrimSuffix(e.Path, ".kind"), Msg: e.Msg}
	}
	return errs.sorted()
}

func syntaxError(source string, err error) *Error {
	var ye yaml.Error
	if errors.As(err, &ye) && ye.GetToken() != nil {
		p := ye.GetToken().Position
		return &Error{Source: source, Line: p.Line, Column: p.Column, Msg: "invalid YAML: " + ye.GetMessage()}
	}
	return &Error{Source: source, Msg: "invalid YAML: " + err.Error()}
}

// aliases refuses *name references: they would hide where a value was
// written, and every error must point at the line to fix.
func aliases(root ast.Node) []*strictyaml.Error {
	var out []*strictyaml.Error
	for _, n := range ast.Filter(ast.AliasType, root) {
		out = append(out, strictyaml.At(n, "aliases (*name) are not supported in lab files; write the value out"))
	}
	return out
}
