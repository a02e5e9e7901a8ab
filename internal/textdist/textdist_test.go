package textdist

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestDistance(t *testing.T) {
	tests := []struct {
		name string
		a, b string
		want int
	}{
		{name: "same", a: "command", b: "command", want: 0},
		{name: "dropped letter", a: "comand", b: "command", want: 1},
		{name: "swapped", a: "tilte", b: "title", want: 2},
		{name: "unrelated", a: "colour", b: "nodes", want: 5},
		{name: "same node", a: "node1", b: "node1", want: 0},
		{name: "node typo", a: "node2", b: "nodo2", want: 1},
		{name: "truncated", a: "node1", b: "nod", want: 2},
		{name: "empty", a: "", b: "node1", want: 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, Distance(tt.a, tt.b))
		})
	}
}
