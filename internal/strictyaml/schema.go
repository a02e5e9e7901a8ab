package strictyaml

import (
	"reflect"
	"strings"
	"unicode"
)

// A JSON Schema (draft-07, what editors' YAML plugins read best) made from
// the same tags the decoder reads, so that an editor flags what Parse
// would refuse: unknown keys, missing required ones, values of the wrong
// type, values outside an allowed set.

// Schemer is a spec type that writes its own schema, e.g. a check whose
// parameters depend on its kind.
type Schemer interface {
	JSONSchema(g *Generator) map[string]any
}

// Generator collects the definitions a schema refers to.
type Generator struct {
	defs map[string]any
}

// Schema is the schema of documents decoding into t, with top-level
// keywords (title, $id) from meta.
func Schema(t reflect.Type, meta map[string]any) map[string]any {
	g := &Generator{defs: map[string]any{}}
	// Inline, not a $ref: draft-07 ignores the keywords beside a $ref.
	root := g.Object(t, nil)
	out := map[string]any{"$schema": "http://json-schema.org/draft-07/schema#", "definitions": g.defs}
	for k, v := range root {
		out[k] = v
	}
	for k, v := range meta {
		out[k] = v
	}
	return out
}

// Named defines a schema once under name, building it on first use (a
// recursive type refers to itself while being built), and refers to it.
func (g *Generator) Named(name string, build func() map[string]any) map[string]any {
	ref := map[string]any{"$ref": "#/definitions/" + name}
	if _, done := g.defs[name]; done {
		return ref
	}
	g.defs[name] = nil
	g.defs[name] = build()
	return ref
}

// Object is the schema of a mapping decoding into struct type t; extra
// adds properties an enclosing decoder reads (a check's kind).
func (g *Generator) Object(t reflect.Type, extra map[string]any) map[string]any {
	props := map[string]any{}
	var required []any
	for _, f := range Fields(t) {
		p := g.Type(f.Type)
		if f.Doc != "" {
			p["description"] = f.Doc
		}
		if enum := f.Enum(); enum != nil {
			values := make([]any, len(enum))
			for i, v := range enum {
				values[i] = v
			}
			p["enum"] = values
		}
		if f.Min != nil {
			if f.Type.Kind() == reflect.Slice {
				p["minItems"] = *f.Min
			} else {
				p["minimum"] = *f.Min
			}
		}
		props[f.Name] = p
		if f.Required {
			required = append(required, f.Name)
		}
	}
	for k, v := range extra {
		props[k] = v
	}
	o := map[string]any{"type": "object", "properties": props, "additionalProperties": false}
	if len(required) > 0 {
		o["required"] = required
	}
	return o
}

// Type is the schema of a value decoding into t.
func (g *Generator) Type(t reflect.Type) map[string]any {
	if s, ok := reflect.New(t).Interface().(Schemer); ok {
		return s.JSONSchema(g)
	}
	switch t {
	case reflect.TypeOf(Int(0)):
		return map[string]any{"type": "integer"}
	case reflect.TypeOf(String("")):
		return map[string]any{"type": "string", "pattern": `\S`}
	case reflect.TypeOf(Text("")):
		return map[string]any{"type": []any{"string", "number", "boolean"}}
	}
	switch t.Kind() {
	case reflect.Pointer:
		return g.Type(t.Elem())
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.String:
		return map[string]any{"type": "string"}
	case reflect.Slice:
		return map[string]any{"type": "array", "items": g.Type(t.Elem())}
	case reflect.Struct:
		return g.Named(defName(t), func() map[string]any { return g.Object(t, nil) })
	}
	return map[string]any{}
}

// defName names a struct's definition: labFile → lab, stepSpec → step.
func defName(t reflect.Type) string {
	n := t.Name()
	for _, suffix := range []string{"Spec", "File", "Params"} {
		n = strings.TrimSuffix(n, suffix)
	}
	r := []rune(n)
	r[0] = unicode.ToLower(r[0])
	return string(r)
}
