package strictyaml

import (
	"reflect"
	"strconv"
	"strings"
)

// Field is one key of a spec type, read from its struct tags.
type Field struct {
	Name     string
	Doc      string
	Required bool
	// Kind is the type tag: "node", "[]node", "checks", "a|b|c"; "" when
	// Go's type says it all.
	Kind  string
	Min   *int
	Type  reflect.Type
	Index []int
}

// Fields lists the keys of struct type t in declaration order.
func Fields(t reflect.Type) []Field {
	var out []Field
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		name, _, _ := strings.Cut(sf.Tag.Get("yaml"), ",")
		if !sf.IsExported() || name == "" || name == "-" {
			continue
		}
		f := Field{Name: name, Doc: sf.Tag.Get("doc"), Required: sf.Tag.Get("required") == "true", Kind: sf.Tag.Get("type"), Type: sf.Type, Index: sf.Index}
		if m, err := strconv.Atoi(sf.Tag.Get("min")); err == nil {
			f.Min = &m
		}
		out = append(out, f)
	}
	return out
}

// Enum is the set of allowed values, from a type tag "a|b|c".
func (f Field) Enum() []string {
	if !strings.Contains(f.Kind, "|") {
		return nil
	}
	return strings.Split(f.Kind, "|")
}

// ItemNoun names one item of a list field: "node", "check".
func (f Field) ItemNoun() string {
	switch f.Kind {
	case "[]node":
		return "node"
	case "checks":
		return "check"
	}
	return "item"
}

// FieldNames lists the keys, "name, title, version".
func FieldNames(fields []Field) string {
	names := make([]string, len(fields))
	for i, f := range fields {
		names[i] = f.Name
	}
	return strings.Join(names, ", ")
}

func fieldNamed(fields []Field, name string) (Field, bool) {
	for _, f := range fields {
		if f.Name == name {
			return f, true
		}
	}
	return Field{}, false
}
