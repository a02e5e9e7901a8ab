package checks

import (
	"errors"
	"fmt"
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
	build func(r *reader) Check
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
// lives in one place with its documentation.
var registry = map[string]*kindDef{}

func register(k Kind, build func(r *reader) Check) {
	if _, dup := registry[k.Name]; dup {
		panic("checks: kind registered twice: " + k.Name)
	}
	registry[k.Name] = &kindDef{Kind: k, build: build}
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

// New builds a check of the given kind from parameters decoded from YAML.
// params may include "kind" itself (it is ignored), so a decoded check
// mapping can be passed as is. Every problem is reported, each as a
// *ParamError naming the parameter and what was expected; they are joined
// with errors.Join.
func New(kind string, params map[string]any) (Check, error) {
	return build(kind, params, "")
}

func build(kind string, params map[string]any, prefix string) (Check, error) {
	def, ok := registry[kind]
	if !ok {
		if kind == "" {
			return nil, &ParamError{Path: strings.TrimSuffix(prefix, "."), Msg: fmt.Sprintf("missing check kind (known: %s)", strings.Join(KindNames(), ", "))}
		}
		return nil, &ParamError{Path: prefix + "kind", Msg: fmt.Sprintf("unknown check kind %q (known: %s)", kind, strings.Join(KindNames(), ", "))}
	}
	r := &reader{def: def, raw: params, prefix: prefix}
	c := def.build(r)
	r.unknown()
	if len(r.errs) > 0 {
		return nil, errors.Join(r.errs...)
	}
	return c, nil
}
