package lab

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMaxScore(t *testing.T) {
	tests := []struct {
		name   string
		rubric []Item
		want   int
	}{
		{name: "empty", want: 0},
		{name: "sum", rubric: []Item{{Points: 10}, {Points: 15}, {Points: 0}}, want: 25},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, (&Lab{Rubric: tt.rubric}).MaxScore())
		})
	}
}

func TestInitNode(t *testing.T) {
	tests := []struct {
		name  string
		nodes []Node
		want  string
	}{
		{name: "first manager", nodes: []Node{{Name: "node1"}, {Name: "node2", Manager: true}, {Name: "node3", Manager: true}}, want: "node2"},
		{name: "none", nodes: []Node{{Name: "node1"}}, want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, (&Lab{Nodes: tt.nodes}).InitNode())
		})
	}
}

func TestItemBuild(t *testing.T) {
	it := Item{ID: "scaled-down", Check: CheckSpec{Kind: "running_tasks", Params: map[string]any{"service": "sleep-app", "count": uint64(4)}}}
	c, err := it.Build()
	require.NoError(t, err)
	assert.Equal(t, "4 running tasks of sleep-app", c.Describe())

	it.Check.Params["count"] = "four"
	_, err = it.Build()
	assert.EqualError(t, err, `rubric item scaled-down: count: expected a whole number, got the string "four"`)
}
