package checks

import (
	"fmt"
	"math"
	"sort"
	"strings"
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

// reader decodes one check's parameters as goccy/go-yaml hands them over
// (numbers as uint64, int64 or float64, lists as []any) and collects every
// problem instead of stopping at the first: an instructor fixing a lab file
// wants the whole list.
type reader struct {
	def    *kindDef
	raw    map[string]any
	prefix string // path of this check's mapping, "" or "checks[1]."
	errs   []error
}

func (r *reader) fail(param, format string, args ...any) {
	r.errs = append(r.errs, &ParamError{Path: r.prefix + param, Msg: fmt.Sprintf(format, args...)})
}

// mapping is where errors about the check as a whole are reported.
func (r *reader) mapping() string {
	return strings.TrimSuffix(r.prefix, ".")
}

func (r *reader) param(name string) Param {
	for _, p := range r.def.Params {
		if p.Name == name {
			return p
		}
	}
	// A kind reading a parameter it does not declare is a bug in this
	// package, caught by the tests that build every kind's example.
	panic(fmt.Sprintf("checks: %s reads undeclared parameter %q", r.def.Name, name))
}

// get returns the raw value, reporting a missing required parameter.
func (r *reader) get(name string) (any, bool) {
	p := r.param(name)
	v, ok := r.raw[name]
	if !ok || v == nil {
		if p.Required {
			r.errs = append(r.errs, &ParamError{
				Path: r.mapping(),
				Msg:  fmt.Sprintf("%s needs parameter %q (%s)", r.def.Name, name, p.Doc),
			})
		}
		return nil, false
	}
	return v, true
}

func (r *reader) str(name string) string {
	v, ok := r.get(name)
	if !ok {
		return ""
	}
	s, isStr := v.(string)
	if !isStr {
		r.fail(name, "expected a string, got %s", describeValue(v))
		return ""
	}
	if strings.TrimSpace(s) == "" {
		r.fail(name, "must not be empty")
	}
	return s
}

func (r *reader) enum(name string, values ...string) string {
	s := r.str(name)
	if s == "" {
		return ""
	}
	for _, v := range values {
		if s == v {
			return s
		}
	}
	r.fail(name, "%q is not one of %s", s, strings.Join(values, ", "))
	return ""
}

// integer accepts numbers only: a quoted "7" is almost always a typo for
// something else, and silently converting it would hide that.
func (r *reader) integer(name string, min int) int {
	v, ok := r.get(name)
	if !ok {
		return 0
	}
	n, isInt := toInt(v)
	if !isInt {
		r.fail(name, "expected a whole number, got %s", describeValue(v))
		return 0
	}
	if n < min {
		r.fail(name, "must be at least %d, got %d", min, n)
		return 0
	}
	return n
}

func toInt(v any) (int, bool) {
	switch n := v.(type) {
	case int:
		return n, true
	case int64:
		return int(n), true
	case uint64:
		if n > math.MaxInt32 {
			return 0, false
		}
		return int(n), true
	case float64:
		if n != math.Trunc(n) || math.Abs(n) > math.MaxInt32 {
			return 0, false
		}
		return int(n), true
	}
	return 0, false
}

func (r *reader) boolean(name string, def bool) bool {
	v, ok := r.get(name)
	if !ok {
		return def
	}
	b, isBool := v.(bool)
	if !isBool {
		r.fail(name, "expected true or false, got %s", describeValue(v))
		return def
	}
	return b
}

// strings reads a list of strings; a YAML number in it ("args: [sleep,
// 100]") is reported with the fix, since the container sees text anyway.
func (r *reader) strings(name string) []string {
	v, ok := r.get(name)
	if !ok {
		return nil
	}
	var items []any
	switch l := v.(type) {
	case []string:
		return append([]string(nil), l...)
	case []any:
		items = l
	default:
		r.fail(name, "expected a list of strings, got %s", describeValue(v))
		return nil
	}
	out := make([]string, 0, len(items))
	for i, it := range items {
		s, isStr := it.(string)
		if !isStr {
			elem := fmt.Sprintf("%s[%d]", name, i)
			if _, isNum := toInt(it); isNum || isFloat(it) {
				r.fail(elem, "expected a string, got %s; quote it: \"%v\"", describeValue(it), it)
			} else {
				r.fail(elem, "expected a string, got %s", describeValue(it))
			}
			continue
		}
		out = append(out, s)
	}
	return out
}

// nodes reads a non-empty list of node names.
func (r *reader) nodes(name string) []string {
	l := r.strings(name)
	if l == nil {
		return nil
	}
	if len(l) == 0 {
		r.fail(name, "must list at least one node")
	}
	for i, n := range l {
		if strings.TrimSpace(n) == "" {
			r.fail(fmt.Sprintf("%s[%d]", name, i), "must not be empty")
		}
	}
	return l
}

// unknown reports parameters the kind does not take, all of them, sorted.
func (r *reader) unknown() {
	var names []string
	for k := range r.raw {
		if k == "kind" {
			continue
		}
		known := false
		for _, p := range r.def.Params {
			if p.Name == k {
				known = true
			}
		}
		if !known {
			names = append(names, k)
		}
	}
	sort.Strings(names)
	for _, n := range names {
		r.errs = append(r.errs, &ParamError{
			Path:         r.prefix + n,
			Msg:          fmt.Sprintf("unknown parameter %q for %s (takes: %s)", n, r.def.Name, r.def.signature()),
			UnknownParam: true,
		})
	}
}

func isFloat(v any) bool {
	_, ok := v.(float64)
	return ok
}

// describeValue names a value's YAML type for error messages.
func describeValue(v any) string {
	switch x := v.(type) {
	case nil:
		return "nothing"
	case string:
		return fmt.Sprintf("the string %q", x)
	case bool:
		return fmt.Sprintf("%t", x)
	case int, int64, uint64, float64:
		return fmt.Sprintf("the number %v", x)
	case []any, []string:
		return "a list"
	case map[string]any, map[any]any:
		return "a mapping"
	}
	return fmt.Sprintf("%T", v)
}
