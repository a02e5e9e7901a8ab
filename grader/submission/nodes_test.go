package submission

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestNodeNames(t *testing.T) {
	n := newNodeNames(labNodes)
	tests := []struct {
		name      string
		in        string
		resolved  string
		known     bool
		near      bool
		mentioned []string
	}{
		{name: "exact", in: "node2", resolved: "node2", known: true, near: true, mentioned: []string{"node2"}},
		{name: "capitalised", in: "Node3", resolved: "node3", known: true, near: true, mentioned: []string{"node3"}},
		{name: "misspelt", in: "nodo2", near: true},
		{name: "another lab's name", in: "manager1"},
		{name: "prose", in: "On Node 1 and NODE-3:", mentioned: []string{"node1", "node3"}},
		{name: "no word boundary", in: "node12", near: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, known := n.resolve(tt.in)
			assert.Equal(t, tt.resolved, got)
			assert.Equal(t, tt.known, known)
			assert.Equal(t, tt.near, n.near(tt.in))
			assert.Equal(t, tt.mentioned, n.mentioned(tt.in))
		})
	}
}
