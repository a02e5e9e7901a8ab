package lab

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"

	"github.com/labcheck/labcheck/internal/textdist"
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
	d := &decoder{source: source, pos: map[string]position{}, keyPos: map[string]position{}, checks: map[int]ast.Node{}, unknownIn: map[string]bool{}}
	file, err := parser.ParseBytes(data, 0)
	if err != nil {
		return nil, Errors{d.syntaxError(err)}
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
		line, col := d.position(docs[1])
		return nil, Errors{{Source: source, Line: line, Column: col, Msg: "a lab file holds one YAML document; split the labs into separate files"}}
	}
	l := d.lab(docs[0])
	if !d.incomplete {
		d.validate(l)
	}
	if len(d.errs) > 0 {
		return nil, d.errs.sorted()
	}
	l.Source = source
	return l, nil
}

type position struct{ line, col int }

// decoder walks the YAML AST rather than unmarshalling into structs, so
// that every value keeps its position for later validation and unknown or
// mistyped fields are reported where they are.
type decoder struct {
	source string
	errs   Errors
	pos    map[string]position // field path to its value's position
	keyPos map[string]position // field path to its key's position
	checks map[int]ast.Node    // rubric index to its check mapping
	// incomplete is set when a value could not be decoded: validating
	// the zero value left behind would only add confusing errors.
	incomplete bool
	// unknownIn holds the paths of mappings with an unknown (often
	// misspelt) key, whose absent optional fields are then not reported.
	unknownIn map[string]bool
}

func (d *decoder) syntaxError(err error) *Error {
	var ye yaml.Error
	if errors.As(err, &ye) && ye.GetToken() != nil {
		p := ye.GetToken().Position
		return &Error{Source: d.source, Line: p.Line, Column: p.Column, Msg: "invalid YAML: " + ye.GetMessage()}
	}
	return &Error{Source: d.source, Msg: "invalid YAML: " + err.Error()}
}

// bad reports a value that could not be decoded.
func (d *decoder) bad(n ast.Node, path, format string, args ...any) {
	d.incomplete = true
	d.errAt(n, path, format, args...)
}

func (d *decoder) errAt(n ast.Node, path, format string, args ...any) {
	line, col := d.position(n)
	d.errs = append(d.errs, &Error{Source: d.source, Line: line, Column: col, Path: path, Msg: fmt.Sprintf(format, args...)})
}

// errPath reports at a field recorded while decoding: its value, or its
// key when the value is absent.
func (d *decoder) errPath(path, format string, args ...any) {
	p, ok := d.pos[path]
	if !ok {
		p = d.keyPos[path]
	}
	d.errs = append(d.errs, &Error{Source: d.source, Line: p.line, Column: p.col, Path: path, Msg: fmt.Sprintf(format, args...)})
}

func (d *decoder) position(n ast.Node) (int, int) {
	if m, ok := n.(*ast.MappingNode); ok && len(m.Values) > 0 {
		n = m.Values[0].Key
	}
	if mv, ok := n.(*ast.MappingValueNode); ok {
		n = mv.Key
	}
	if n == nil || n.GetToken() == nil {
		return 0, 0
	}
	p := n.GetToken().Position
	return p.Line, p.Column
}

// field is one key a mapping may hold.
type field struct {
	name     string
	required bool
	doc      string // what the value is, for "missing" errors
	set      func(path string, v ast.Node)
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func index(path string, i int) string {
	return fmt.Sprintf("%s[%d]", path, i)
}

// unwrap looks through anchors and tags; aliases would hide where a value
// was written, so they are refused.
func (d *decoder) unwrap(path string, n ast.Node) (ast.Node, bool) {
	for {
		switch v := n.(type) {
		case *ast.AnchorNode:
			n = v.Value
		case *ast.TagNode:
			n = v.Value
		case *ast.AliasNode:
			d.bad(n, path, "aliases (*name) are not supported in lab files; write the value out")
			return nil, false
		default:
			return n, true
		}
	}
}

func isNull(n ast.Node) bool {
	if n == nil {
		return true
	}
	_, ok := n.(*ast.NullNode)
	return ok
}

// mapping decodes a mapping's keys into fields, reporting unknown keys
// (with a suggestion when it looks like a typo) and missing required ones.
func (d *decoder) mapping(path string, n ast.Node, what string, fields []field) {
	n, ok := d.unwrap(path, n)
	if !ok {
		return
	}
	m, isMap := n.(*ast.MappingNode)
	if !isMap {
		d.bad(n, path, "expected %s (a mapping with %s), got %s", what, fieldNames(fields), describeNode(n))
		return
	}
	seen := map[string]bool{}
	for _, kv := range m.Values {
		key := keyText(kv.Key)
		kpath := join(path, key)
		var f *field
		for i := range fields {
			if fields[i].name == key {
				f = &fields[i]
			}
		}
		if f == nil {
			msg := fmt.Sprintf("unknown field in %s (fields: %s)", what, fieldNames(fields))
			if s := suggest(key, fields); s != "" {
				msg += fmt.Sprintf("; did you mean %q?", s)
			}
			d.errAt(kv.Key, kpath, "%s", msg)
			d.unknownIn[path] = true
			continue
		}
		seen[key] = true
		kl, kc := d.position(kv.Key)
		d.keyPos[kpath] = position{kl, kc}
		v, ok := d.unwrap(kpath, kv.Value)
		if !ok {
			continue
		}
		if isNull(v) {
			if f.required {
				d.bad(kv.Key, kpath, "missing value (%s)", f.doc)
			}
			continue
		}
		vl, vc := d.position(v)
		d.pos[kpath] = position{vl, vc}
		f.set(kpath, v)
	}
	for _, f := range fields {
		if f.required && !seen[f.name] {
			d.bad(m, path, "missing field %q (%s)", f.name, f.doc)
		}
	}
}

func keyText(k ast.MapKeyNode) string {
	if s, ok := k.(*ast.StringNode); ok {
		return s.Value
	}
	if k.GetToken() != nil {
		return k.GetToken().Value
	}
	return k.String()
}

func fieldNames(fields []field) string {
	names := make([]string, len(fields))
	for i, f := range fields {
		names[i] = f.name
	}
	return strings.Join(names, ", ")
}

// str accepts any scalar as text: `version: 1.0` means "1.0" to an
// instructor, whatever YAML thinks.
func (d *decoder) str(path string, n ast.Node, dst *string) {
	switch v := n.(type) {
	case *ast.StringNode:
		*dst = v.Value
	case *ast.LiteralNode:
		*dst = v.Value.Value
	case *ast.IntegerNode, *ast.FloatNode, *ast.BoolNode, *ast.InfinityNode, *ast.NanNode:
		*dst = n.GetToken().Value
	default:
		d.bad(n, path, "expected text, got %s", describeNode(n))
	}
}

func (d *decoder) integer(path string, n ast.Node, dst *int) {
	v, ok := n.(*ast.IntegerNode)
	if !ok {
		d.bad(n, path, "expected a whole number, got %s", describeNode(n))
		return
	}
	switch x := v.Value.(type) {
	case int64:
		*dst = int(x)
	case uint64:
		*dst = int(x)
	default:
		d.bad(n, path, "expected a whole number, got %s", describeNode(n))
	}
}

func (d *decoder) boolean(path string, n ast.Node, dst *bool) {
	v, ok := n.(*ast.BoolNode)
	if !ok {
		d.bad(n, path, "expected true or false, got %s", describeNode(n))
		return
	}
	*dst = v.Value
}

func (d *decoder) list(path string, n ast.Node, each func(path string, i int, item ast.Node)) {
	seq, ok := n.(*ast.SequenceNode)
	if !ok {
		d.bad(n, path, "expected a list, got %s", describeNode(n))
		return
	}
	for i, item := range seq.Values {
		ipath := index(path, i)
		item, ok := d.unwrap(ipath, item)
		if !ok {
			continue
		}
		l, c := d.position(item)
		d.pos[ipath] = position{l, c}
		each(ipath, i, item)
	}
}

func (d *decoder) strings(path string, n ast.Node, dst *[]string) {
	d.list(path, n, func(ipath string, _ int, item ast.Node) {
		var s string
		d.str(ipath, item, &s)
		*dst = append(*dst, s)
	})
}

func describeNode(n ast.Node) string {
	switch v := n.(type) {
	case nil, *ast.NullNode:
		return "nothing"
	case *ast.MappingNode:
		return "a mapping"
	case *ast.SequenceNode:
		return "a list"
	case *ast.StringNode:
		return fmt.Sprintf("%q", v.Value)
	case *ast.LiteralNode:
		return "a block of text"
	case *ast.IntegerNode, *ast.FloatNode:
		return "the number " + n.GetToken().Value
	case *ast.BoolNode:
		return n.GetToken().Value
	}
	return n.Type().String()
}

// suggest returns the field a misspelt key most likely meant.
func suggest(key string, fields []field) string {
	best, bestDist := "", 3
	for _, f := range fields {
		if dist := textdist.Distance(key, f.name); dist < bestDist {
			best, bestDist = f.name, dist
		}
	}
	return best
}
