// Package strictyaml decodes labcheck's YAML (lab files and the checks in
// their rubrics) into typed structs with goccy/go-yaml's strict mode, and
// turns what goes wrong into errors an instructor can act on: every one
// with line, column and field path, all of them at once rather than the
// first, unknown keys with a suggestion.
//
// A spec type opts in by decoding itself with Part from its
// UnmarshalYAML(ctx, node) method; struct tags describe its fields:
//
//	yaml:"count"      the key
//	required:"true"   the key must be present, with a value
//	doc:"..."         what the value is, for errors and the JSON Schema
//	type:"node"       the value's kind in the docs when Go's type does not
//	                  say it ("node", "[]node", "checks"); "a|b|c" for a
//	                  set of allowed values
//	min:"1"           the least number, or the least length of a list
package strictyaml

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
)

// Error is one problem, located in the document.
type Error struct {
	Line, Column int
	// Path is the field in the file's own notation, "steps[2].run[0].node";
	// "" for the document as a whole.
	Path string
	Msg  string
	// Key marks an error about a key (an unknown field) rather than its
	// value. Such a field is left out and the rest of the mapping is
	// decoded, so later validation still has something to check.
	Key bool
}

func (e *Error) Error() string {
	if e.Path == "" {
		return e.Msg
	}
	return e.Path + ": " + e.Msg
}

// Result is what decoding a document found.
type Result struct {
	Errors []*Error
	// Incomplete is set when some value could not be decoded: validating
	// the zero value left in its place would only add confusing errors.
	Incomplete bool
	unknownIn  map[string]bool
}

// HasUnknown reports whether the mapping at path held an unknown (often
// misspelt) key; an absent optional field there is then likely that key.
func (r *Result) HasUnknown(path string) bool { return r.unknownIn[path] }

func (r *Result) add(e *Error) {
	if !e.Key {
		r.Incomplete = true
	}
	r.Errors = append(r.Errors, e)
}

// addRule records a value that decoded but breaks a rule (min, allowed
// values): what was decoded is whole, so validation can go on.
func (r *Result) addRule(e *Error) { r.Errors = append(r.Errors, e) }

type resultKey struct{}

// Decode decodes node into dst, a pointer to a spec type that decodes
// itself with Part. Errors are sorted by position.
func Decode(node ast.Node, dst any) *Result {
	r := &Result{unknownIn: map[string]bool{}}
	ctx := context.WithValue(context.Background(), resultKey{}, r)
	if err := decodeNode(ctx, node, dst); err != nil {
		r.add(libraryError(err, node, reflect.TypeOf(dst).Elem(), Words{}))
	}
	sort.SliceStable(r.Errors, func(i, j int) bool {
		a, b := r.Errors[i], r.Errors[j]
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Column < b.Column
	})
	return r
}

func decodeNode(ctx context.Context, node ast.Node, dst any, allow ...string) error {
	opts := []yaml.DecodeOption{yaml.DisallowUnknownField()}
	if len(allow) > 0 {
		opts = append(opts, yaml.AllowFieldPrefixes(allow...))
	}
	return yaml.NewDecoder(strings.NewReader(""), opts...).DecodeFromNodeContext(ctx, node, dst)
}

// Words is how a family of spec types words its errors: a lab and a
// check's parameters speak slightly differently.
type Words struct {
	// What the mapping is, "an action", for "expected an action (a
	// mapping with node, command, fault)".
	What string
	// Got describes a value that is not what was expected.
	Got func(ast.Node) string
	// Expect names what a value of a field's type must be.
	Expect func(reflect.Type) string
	// Missing words a required field that is absent; MissingValue, one
	// written with no value.
	Missing, MissingValue func(Field) string
	// Unknown words a key that is no field.
	Unknown func(key string, fields []Field) string
	// Extra are keys an enclosing decoder reads, e.g. a check's kind.
	Extra []string
}

// Part decodes a mapping into dst, a pointer to a struct whose type has no
// UnmarshalYAML of its own (call it with a plain copy of the spec type).
// Problems are recorded in the Result of the enclosing Decode and Part
// returns nil, so that the siblings of a bad value are still decoded and
// checked: an instructor fixing a lab wants the whole list.
func Part(ctx context.Context, n ast.Node, dst any, w Words) error {
	r, _ := ctx.Value(resultKey{}).(*Result)
	if r == nil {
		return errors.New("strictyaml: Part called outside Decode")
	}
	t := reflect.TypeOf(dst).Elem()
	fields := Fields(t)
	m, ok := Unwrap(n).(*ast.MappingNode)
	if !ok {
		r.add(At(n, fmt.Sprintf("expected %s (a mapping with %s), got %s", w.What, FieldNames(fields), w.Got(n))))
		return nil
	}
	path := PathOf(m)
	present := map[string]*ast.MappingValueNode{}
	for _, kv := range m.Values {
		key := KeyText(kv.Key)
		if _, known := fieldNamed(fields, key); known || contains(w.Extra, key) {
			present[key] = kv
			continue
		}
		e := At(kv.Key, w.Unknown(key, fields))
		e.Path, e.Key = join(path, key), true
		r.add(e)
		r.unknownIn[path] = true
	}
	missing := false
	for _, f := range fields {
		kv, ok := present[f.Name]
		switch {
		case !f.Required:
		case !ok:
			e := At(m, w.Missing(f))
			e.Path = path
			r.add(e)
			missing = true
		case isNull(kv.Value):
			e := At(kv.Key, w.MissingValue(f))
			e.Path = join(path, f.Name)
			r.add(e)
			missing = true
		}
	}
	err := decodeNode(ctx, m, dst, w.Extra...)
	var unknown *yaml.UnknownFieldError
	if err != nil && !errors.As(err, &unknown) {
		r.add(libraryError(err, m, t, w))
		return nil
	}
	if !missing {
		checkRules(r, m, reflect.ValueOf(dst).Elem(), fields)
	}
	return nil
}

// checkRules applies the min and allowed-values tags to what decoded.
func checkRules(r *Result, m *ast.MappingNode, v reflect.Value, fields []Field) {
	for _, kv := range m.Values {
		f, ok := fieldNamed(fields, KeyText(kv.Key))
		if !ok || isNull(kv.Value) {
			continue
		}
		fv := v.FieldByIndex(f.Index)
		switch {
		case f.Min != nil && fv.Kind() == reflect.Slice && fv.Len() < *f.Min:
			r.addRule(At(kv.Value, fmt.Sprintf("must list at least one %s", f.ItemNoun())))
		case f.Min != nil && fv.CanInt() && fv.Int() < int64(*f.Min):
			r.addRule(At(kv.Value, fmt.Sprintf("must be at least %d, got %d", *f.Min, fv.Int())))
		case len(f.Enum()) > 0 && fv.Kind() == reflect.String && !contains(f.Enum(), fv.String()):
			r.addRule(At(kv.Value, fmt.Sprintf("%q is not one of %s", fv.String(), strings.Join(f.Enum(), ", "))))
		}
	}
}

// libraryError words an error goccy returned while decoding under n.
func libraryError(err error, n ast.Node, t reflect.Type, w Words) *Error {
	var ve *valueError
	if errors.As(err, &ve) {
		e := At(ve.node, ve.msg)
		if ve.want != "" {
			e.Msg = "expected " + ve.want + ", got " + w.got(ve.node) + ve.hint
		}
		return e
	}
	var ye yaml.Error
	if !errors.As(err, &ye) || ye.GetToken() == nil {
		e := At(n, "cannot read: "+err.Error())
		return e
	}
	at := nodeWithToken(n, ye)
	e := At(at, ye.GetMessage())
	var te *yaml.TypeError
	var ue *yaml.UnexpectedNodeTypeError
	if errors.As(err, &te) || errors.As(err, &ue) {
		if f, ok := fieldAt(t, n, at); ok {
			e.Msg = "expected " + w.expect(f.Type) + ", got " + w.got(at)
		}
	}
	return e
}

// nodeWithToken finds the node under n that the library's error points at.
func nodeWithToken(n ast.Node, ye yaml.Error) ast.Node {
	found := n
	tk := ye.GetToken()
	ast.Walk(visitFunc(func(c ast.Node) bool {
		if c.GetToken() == tk {
			if _, isPair := c.(*ast.MappingValueNode); !isPair {
				found = c
				return false
			}
		}
		return found == n
	}), n)
	return found
}

type visitFunc func(ast.Node) bool

func (f visitFunc) Visit(n ast.Node) ast.Visitor {
	if n == nil || !f(n) {
		return nil
	}
	return f
}

// fieldAt returns the field of t, decoded from mapping m, that holds at.
func fieldAt(t reflect.Type, m, at ast.Node) (Field, bool) {
	rel := strings.TrimPrefix(PathOf(at), PathOf(m))
	rel = strings.TrimPrefix(rel, ".")
	if i := strings.IndexAny(rel, ".["); i >= 0 {
		rel = rel[:i]
	}
	return fieldNamed(Fields(t), rel)
}

func (w Words) got(n ast.Node) string {
	if w.Got == nil {
		return Describe(n)
	}
	return w.Got(n)
}

func (w Words) expect(t reflect.Type) string {
	if w.Expect == nil {
		return Expect(t)
	}
	return w.Expect(t)
}

// At makes an error located at n: a mapping at its first key, as an
// instructor reads it.
func At(n ast.Node, msg string) *Error {
	line, col := Position(n)
	return &Error{Line: line, Column: col, Path: PathOf(n), Msg: msg}
}

// Position is where n starts in the file.
func Position(n ast.Node) (int, int) {
	n = Unwrap(n)
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

// PathOf is n's path in the file's notation: "steps[0].run", "" for the
// document.
func PathOf(n ast.Node) string {
	if n == nil {
		return ""
	}
	p := strings.TrimPrefix(n.GetPath(), "$")
	return strings.TrimPrefix(p, ".")
}

// Unwrap looks through anchors and tags to the value.
func Unwrap(n ast.Node) ast.Node {
	for {
		switch v := n.(type) {
		case *ast.AnchorNode:
			n = v.Value
		case *ast.TagNode:
			n = v.Value
		default:
			return n
		}
	}
}

func isNull(n ast.Node) bool {
	if n == nil {
		return true
	}
	_, ok := Unwrap(n).(*ast.NullNode)
	return ok
}

// KeyText is a mapping key as written.
func KeyText(k ast.MapKeyNode) string {
	if s, ok := k.(*ast.StringNode); ok {
		return s.Value
	}
	if k.GetToken() != nil {
		return k.GetToken().Value
	}
	return k.String()
}

// Lookup returns the value of key in mapping n.
func Lookup(n ast.Node, key string) (ast.Node, bool) {
	m, ok := Unwrap(n).(*ast.MappingNode)
	if !ok {
		return nil, false
	}
	for _, kv := range m.Values {
		if KeyText(kv.Key) == key {
			return kv.Value, true
		}
	}
	return nil, false
}

// Describe names a value for an error message: "the number 2.5", "a list".
func Describe(n ast.Node) string {
	switch v := Unwrap(n).(type) {
	case nil, *ast.NullNode:
		return "nothing"
	case *ast.MappingNode, *ast.MappingValueNode:
		return "a mapping"
	case *ast.SequenceNode:
		return "a list"
	case *ast.StringNode:
		return fmt.Sprintf("%q", v.Value)
	case *ast.LiteralNode:
		return "a block of text"
	case *ast.IntegerNode, *ast.FloatNode:
		return "the number " + v.GetToken().Value
	case *ast.BoolNode:
		return v.GetToken().Value
	case *ast.AliasNode:
		return "an alias"
	}
	return n.Type().String()
}

// Expect names what a value of type t must be.
func Expect(t reflect.Type) string {
	if e, ok := reflect.New(t).Interface().(interface{ Expected() string }); ok {
		return e.Expected()
	}
	switch t.Kind() {
	case reflect.Pointer:
		return Expect(t.Elem())
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int64, reflect.Uint, reflect.Uint64:
		return "a whole number"
	case reflect.String:
		return "text"
	case reflect.Slice:
		return "a list"
	case reflect.Struct, reflect.Map:
		return "a mapping"
	}
	return t.String()
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// Index is every value of a document by path, so that validation done
// after decoding can point at the value it is about.
type Index struct {
	values map[string]ast.Node
	keys   map[string]ast.Node
}

// NewIndex indexes the document under root.
func NewIndex(root ast.Node) *Index {
	ix := &Index{values: map[string]ast.Node{"": root}, keys: map[string]ast.Node{}}
	ast.Walk(visitFunc(func(n ast.Node) bool {
		switch v := n.(type) {
		case *ast.MappingValueNode:
			p := PathOf(v)
			ix.keys[p] = v.Key
			if !isNull(v.Value) {
				ix.values[p] = Unwrap(v.Value)
			}
		case *ast.SequenceNode:
			for i, item := range v.Values {
				ix.values[PathOf(v)+"["+strconv.Itoa(i)+"]"] = Unwrap(item)
			}
		}
		return true
	}), root)
	return ix
}

// At locates an error about path: at its value, or at its key when it has
// none.
func (ix *Index) At(path, msg string) *Error {
	n, ok := ix.values[path]
	if !ok {
		n = ix.keys[path]
	}
	e := At(n, msg)
	e.Path = path
	return e
}

// Report records an error found by a spec type's own UnmarshalYAML, e.g.
// a check of an unknown kind, and returns nil so decoding goes on.
func Report(ctx context.Context, e *Error) error {
	r, _ := ctx.Value(resultKey{}).(*Result)
	if r == nil {
		return e
	}
	r.add(e)
	return nil
}
