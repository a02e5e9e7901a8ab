package checks

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/labcheck/labcheck/harness"
)

func TestEvaluateWithoutState(t *testing.T) {
	tests := []struct {
		name   string
		state  *harness.State
		reason string
	}{
		{name: "nil state", state: nil, reason: "no state was observed"},
		{name: "no nodes", state: &harness.State{}, reason: "the observed state lists no nodes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, k := range Kinds() {
				c := mustNew(t, k.Name, exampleParams(t, k))
				got := c.Evaluate(tt.state)
				assert.Equal(t, Error, got.Status, k.Name)
				assert.Equal(t, tt.reason, got.Reason, k.Name)
			}
		})
	}
}
