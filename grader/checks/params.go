package checks

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"

	"github.com/labcheck/labcheck/internal/strictyaml"
	"github.com/labcheck/labcheck/internal/textdist"
)

// ParamError says which parameter of a check spec is wrong, so that a lab
// loader can point at the very line of YAML.
type ParamError struct {
	// Path locates the offending value from the check's own mapping, in
	// the lab file's notation: "count", "args[1]", "checks[2].node",
	// "kind" or "checks[0].kind" for the kind; "" (or "checks[2]") for a
	// check mapping as a whole, e.g. when a parameter is missing.
	Path string
	Msg  string
	// UnknownParam marks an error about the parameter's name rather than
	// its value, so a loader points at the key.
	UnknownParam bool
}

func (e *ParamError) Error() string {
	if e.Path == "" {
		return e.Msg
	}
	return e.Path + ": " + e.Msg
}

// params is one kind's parameters as a lab writes them, decoded by
// strictyaml from the struct's tags; check builds the check from values
// already known to be valid.
type params interface{ check() Check }

// Spec is a check as a rubric writes it: a kind and that kind's
// parameters. It decodes itself from YAML, reporting every problem with
// its position, and is what a lab holds until it builds the check.
type Spec struct {
	Kind   string
	params params
}

// Check builds the check; nil for a spec that did not decode.
func (s Spec) Check() Check {
	if s.params == nil {
		return nil
	}
	return s.params.check()
}

// UnmarshalYAML reads the kind, then decodes the rest into that kind's
// parameters.
func (s *Spec) UnmarshalYAML(ctx context.Context, n ast.Node) error {
	if _, ok := strictyaml.Unwrap(n).(*ast.MappingNode); !ok {
		return strictyaml.Report(ctx, strictyaml.At(n, "expected a check (a mapping with kind and its parameters), got "+describe(n)))
	}
	kn, ok := strictyaml.Lookup(n, "kind")
	if !ok || isNull(kn) {
		return strictyaml.Report(ctx, strictyaml.At(n, fmt.Sprintf("missing check kind (known: %s)", strings.Join(KindNames(), ", "))))
	}
	ks, isStr := strictyaml.Unwrap(kn).(*ast.StringNode)
	if !isStr {
		return strictyaml.Report(ctx, strictyaml.At(kn, "expected a check kind, got "+describe(kn)))
	}
	def, ok := registry[ks.Value]
	if !ok {
		msg := fmt.Sprintf("unknown check kind %q (known: %s)", ks.Value, strings.Join(KindNames(), ", "))
		if best := suggest(ks.Value, KindNames()); best != "" {
			msg += fmt.Sprintf("; did you mean %q?", best)
		}
		return strictyaml.Report(ctx, strictyaml.At(kn, msg))
	}
	p := reflect.New(def.typ)
	if err := strictyaml.Part(ctx, n, p.Interface(), def.words()); err != nil {
		return err
	}
	s.Kind, s.params = def.Name, p.Interface().(params)
	return nil
}

func isNull(n ast.Node) bool {
	_, ok := strictyaml.Unwrap(n).(*ast.NullNode)
	return ok
}

// words is how a check's parameters word their errors.
func (k *kindDef) words() strictyaml.Words {
	return strictyaml.Words{
		What:   "a check",
		Got:    describe,
		Expect: expect,
		Missing: func(f strictyaml.Field) string {
			return fmt.Sprintf("%s needs parameter %q (%s)", k.Name, f.Name, f.Doc)
		},
		MissingValue: func(f strictyaml.Field) string {
			return fmt.Sprintf("%s needs parameter %q (%s)", k.Name, f.Name, f.Doc)
		},
		Unknown: func(key string, fields []strictyaml.Field) string {
			msg := fmt.Sprintf("unknown parameter %q for %s (takes: %s)", key, k.Name, k.signature())
			var names []string
			for _, f := range fields {
				names = append(names, f.Name)
			}
			if best := suggest(key, names); best != "" {
				msg += fmt.Sprintf("; did you mean %q?", best)
			}
			return msg
		},
		Extra: []string{"kind"},
	}
}

// describe names a parameter's value the way the parameter docs do.
func describe(n ast.Node) string {
	switch v := strictyaml.Unwrap(n).(type) {
	case *ast.StringNode:
		return fmt.Sprintf("the string %q", v.Value)
	case *ast.BoolNode:
		return fmt.Sprintf("%t", v.Value)
	}
	return strictyaml.Describe(n)
}

var specType = reflect.TypeOf(Spec{})

func expect(t reflect.Type) string {
	if t.Kind() == reflect.Slice {
		switch t.Elem() {
		case specType:
			return "a list of checks"
		case reflect.TypeOf(strictyaml.String("")):
			return "a list of strings"
		}
	}
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return strictyaml.Expect(t)
}

// suggest returns the name a misspelt one most likely meant.
func suggest(got string, names []string) string {
	best, bestDist := "", 3
	for _, n := range names {
		if d := textdist.Distance(got, n); d < bestDist {
			best, bestDist = n, d
		}
	}
	return best
}

// paramsOf documents a kind's parameters from its struct's tags, so the
// docs, the decoder and the JSON Schema cannot disagree.
func paramsOf(t reflect.Type) []Param {
	var out []Param
	for _, f := range strictyaml.Fields(t) {
		typ := f.Kind
		if typ == "" {
			typ = goTypeName(f.Type)
		}
		out = append(out, Param{Name: f.Name, Type: typ, Doc: f.Doc, Required: f.Required})
	}
	return out
}

func goTypeName(t reflect.Type) string {
	switch {
	case t.Kind() == reflect.Slice:
		return "[]" + goTypeName(t.Elem())
	case t.Kind() == reflect.Pointer:
		return goTypeName(t.Elem())
	case t == reflect.TypeOf(strictyaml.Int(0)):
		return "int"
	}
	return t.Kind().String()
}

// NodeRef is a parameter that names a lab node.
type NodeRef struct {
	Path string // from the check's mapping: "node", "on[1]", "checks[0].on[1]"
	Name string
}

// NodeRefs lists the parameters documented as node names, so a lab
// loader can check them against the lab's nodes: a typo there would
// otherwise surface only as a failing grade for every student.
func (s Spec) NodeRefs() []NodeRef {
	if s.params == nil {
		return nil
	}
	v := reflect.ValueOf(s.params).Elem()
	var out []NodeRef
	for _, f := range strictyaml.Fields(v.Type()) {
		fv := v.FieldByIndex(f.Index)
		switch f.Kind {
		case "node":
			if name := fv.String(); name != "" {
				out = append(out, NodeRef{Path: f.Name, Name: name})
			}
		case "[]node":
			for i := 0; i < fv.Len(); i++ {
				out = append(out, NodeRef{Path: fmt.Sprintf("%s[%d]", f.Name, i), Name: fv.Index(i).String()})
			}
		case "checks":
			for i := 0; i < fv.Len(); i++ {
				for _, r := range fv.Index(i).Interface().(Spec).NodeRefs() {
					out = append(out, NodeRef{Path: fmt.Sprintf("%s[%d].%s", f.Name, i, r.Path), Name: r.Name})
				}
			}
		}
	}
	return out
}

// New builds a check of the given kind from parameters as a YAML decoder
// returns them (or as Go code writes them). params may include "kind"
// itself (it is ignored), so a decoded check mapping can be passed as is.
// Every problem is reported, each as a *ParamError naming the parameter
// and what was expected; they are joined with errors.Join.
func New(kind string, params map[string]any) (Check, error) {
	m := make(map[string]any, len(params)+1)
	for k, v := range params {
		m[k] = v
	}
	delete(m, "kind")
	if kind != "" {
		m["kind"] = kind
	}
	// Going through YAML text decodes a check built in code exactly as
	// one read from a lab file.
	data, err := yaml.Marshal(m)
	if err != nil {
		return nil, fmt.Errorf("check %s: %w", kind, err)
	}
	file, err := parser.ParseBytes(data, 0)
	if err != nil || len(file.Docs) != 1 || file.Docs[0].Body == nil {
		return nil, fmt.Errorf("check %s: cannot read parameters: %v", kind, err)
	}
	var s Spec
	res := strictyaml.Decode(file.Docs[0].Body, &s)
	if len(res.Errors) > 0 {
		errs := make([]error, len(res.Errors))
		for i, e := range res.Errors {
			errs[i] = &ParamError{Path: e.Path, Msg: e.Msg, UnknownParam: e.Key}
		}
		return nil, errors.Join(errs...)
	}
	return s.Check(), nil
}

// JSONSchema describes a check for editors: the kind picks the
// parameters, each kind's own mapping with no other keys.
func (Spec) JSONSchema(g *strictyaml.Generator) map[string]any {
	return g.Named("check", func() map[string]any {
		names := KindNames()
		kinds := make([]any, len(names))
		var byKind []any
		for i, name := range names {
			kinds[i] = name
			def := registry[name]
			ref := g.Named("check."+name, func() map[string]any {
				o := g.Object(def.typ, map[string]any{"kind": map[string]any{"const": name}})
				o["description"] = def.Doc
				return o
			})
			byKind = append(byKind, map[string]any{
				"if":   map[string]any{"properties": map[string]any{"kind": map[string]any{"const": name}}, "required": []any{"kind"}},
				"then": ref,
			})
		}
		return map[string]any{
			"type":       "object",
			"required":   []any{"kind"},
			"properties": map[string]any{"kind": map[string]any{"enum": kinds, "description": "the check's kind; the other keys are its parameters"}},
			"allOf":      byKind,
		}
	})
}
