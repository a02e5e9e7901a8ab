package checks

import (
	"reflect"
	"sort"
	"strings"
)

// Param documents one parameter of a check kind.
type Param struct {
	Name string
	// Type is one of "string", "int", "bool", "[]string", "node" (a lab
	// node name), "[]node", "checks" (a list of check specs) or a set of
	// allowed values written "a|b|c". Lab loaders use "node" and "[]node"
	// to check names against the lab's nodes.
	Type     string
	Doc      string
	Required bool
}

// Kind documents one check kind: what `labcheck lab check` and the docs
// show an instructor writing a rubric.
type Kind struct {
	Name, Doc string
	Params    []Param
	Example   string // YAML of a complete check spec, kind included
}

type kindDef struct {
	Kind
	typ reflect.Type // the parameters' struct
}

// signature lists the parameters as "service, count, on?" (optional ones
// marked) for error messages.
func (k *kindDef) signature() string {
	var parts []string
	for _, p := range k.Params {
		if p.Required {
			parts = append(parts, p.Name)
		} else {
			parts = append(parts, p.Name+"?")
		}
	}
	return strings.Join(parts, ", ")
}

// registry is filled by init functions in the file of each kind, so a kind
// lives in one place with its documentation and its parameters' struct.
var registry = map[string]*kindDef{}

// register adds a kind; p is a pointer to its parameters' struct, whose
// tags document the parameters.
func register(k Kind, p params) {
	if _, dup := registry[k.Name]; dup {
		panic("checks: kind registered twice: " + k.Name)
	}
	t := reflect.TypeOf(p).Elem()
	k.Params = paramsOf(t)
	registry[k.Name] = &kindDef{Kind: k, typ: t}
}

// ParamsType returns the struct a kind's parameters decode into, for
// generating the lab file's JSON Schema.
func ParamsType(kind string) (reflect.Type, bool) {
	d, ok := registry[kind]
	if !ok {
		return nil, false
	}
	return d.typ, true
}

// Kinds returns every check kind, sorted by name.
func Kinds() []Kind {
	out := make([]Kind, 0, len(registry))
	for _, d := range registry {
		k := d.Kind
		k.Params = append([]Param(nil), d.Params...)
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// KindNames returns the kind names, sorted.
func KindNames() []string {
	names := make([]string, 0, len(registry))
	for n := range registry {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// LookupKind returns the documentation of one kind.
func LookupKind(name string) (Kind, bool) {
	d, ok := registry[name]
	if !ok {
		return Kind{}, false
	}
	return d.Kind, true
}
