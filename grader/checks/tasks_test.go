package checks

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/labcheck/labcheck/harness"
)

func TestTaskName(t *testing.T) {
	tests := []struct {
		name string
		task harness.Task
		want string
	}{
		{name: "replicated", task: harness.Task{ServiceName: "sleep-app", Slot: 3}, want: "sleep-app.3"},
		{name: "global", task: harness.Task{ServiceName: "agent", NodeID: "r75x6w2f3k8vq1n0d5c7b9h2j"}, want: "agent.r75x6w2f3k8v"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, taskName(tt.task))
		})
	}
}
