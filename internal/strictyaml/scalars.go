package strictyaml

import (
	"fmt"
	"math"
	"strings"

	"github.com/goccy/go-yaml/ast"
)

// The scalar types below are where labcheck is stricter, or more literal,
// than goccy/go-yaml: the library turns a quoted "7" into 7, truncates 2.5
// to 2 and writes version: 1.0 as "1". Each refuses with an error located
// at the value.

// valueError is a value that is not what its field takes; Part words it
// with the family's Words.
type valueError struct {
	node       ast.Node
	want, hint string
	msg        string // used as is when want is empty
}

func (e *valueError) Error() string {
	if e.want == "" {
		return e.msg
	}
	return "expected " + e.want + ", got " + Describe(e.node)
}

// Int is a whole number written as one: a quoted "7" is almost always a
// typo for something else, and converting it silently would hide that.
type Int int

func (Int) Expected() string { return "a whole number" }

func (i *Int) UnmarshalYAML(n ast.Node) error {
	switch v := Unwrap(n).(type) {
	case *ast.IntegerNode:
		switch x := v.Value.(type) {
		case int64:
			if x >= math.MinInt32 && x <= math.MaxInt32 {
				*i = Int(x)
				return nil
			}
		case uint64:
			if x <= math.MaxInt32 {
				*i = Int(x)
				return nil
			}
		}
	case *ast.FloatNode:
		if v.Value == math.Trunc(v.Value) && math.Abs(v.Value) <= math.MaxInt32 {
			*i = Int(v.Value)
			return nil
		}
	}
	return &valueError{node: n, want: Int(0).Expected()}
}

// String is text written as text and not blank: a number where a name is
// expected ("args: [sleep, 100]") is reported with the fix, since the
// value reaches a container as text anyway.
type String string

func (String) Expected() string { return "a string" }

func (s *String) UnmarshalYAML(n ast.Node) error {
	switch v := Unwrap(n).(type) {
	case *ast.StringNode:
		*s = String(v.Value)
	case *ast.LiteralNode:
		*s = String(v.Value.Value)
	case *ast.IntegerNode, *ast.FloatNode, *ast.BoolNode:
		return &valueError{node: n, want: String("").Expected(), hint: fmt.Sprintf("; quote it: %q", v.GetToken().Value)}
	default:
		return &valueError{node: n, want: String("").Expected()}
	}
	if strings.TrimSpace(string(*s)) == "" {
		return &valueError{node: n, msg: "must not be empty"}
	}
	return nil
}

// Text is any scalar taken as written: `version: 1.0` means "1.0" to an
// instructor, whatever YAML thinks.
type Text string

func (Text) Expected() string { return "text" }

func (t *Text) UnmarshalYAML(n ast.Node) error {
	switch v := Unwrap(n).(type) {
	case *ast.StringNode:
		*t = Text(v.Value)
	case *ast.LiteralNode:
		*t = Text(v.Value.Value)
	case *ast.IntegerNode, *ast.FloatNode, *ast.BoolNode, *ast.InfinityNode, *ast.NanNode:
		*t = Text(v.GetToken().Value)
	default:
		return &valueError{node: n, want: Text("").Expected()}
	}
	return nil
}

// Strings converts a decoded list to plain strings.
func Strings[S ~string](l []S) []string {
	if l == nil {
		return nil
	}
	out := make([]string, len(l))
	for i, s := range l {
		out[i] = string(s)
	}
	return out
}
