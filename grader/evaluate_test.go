package grader

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/labcheck/labcheck/grader/lab"
	"github.com/labcheck/labcheck/grader/report"
	"github.com/labcheck/labcheck/harness"
)

// serviceState is a swarm of node1..3 running n tasks of sleep-app,
// spread round-robin; n < 0 means the service is gone.
func serviceState(n int) *harness.State {
	st := &harness.State{Swarm: &harness.SwarmState{}}
	for i := 1; i <= 3; i++ {
		name := fmt.Sprintf("node%d", i)
		st.Nodes = append(st.Nodes, harness.NodeState{Name: name, Reachable: true, Swarm: harness.LocalSwarm{State: "active"}})
		st.Swarm.Nodes = append(st.Swarm.Nodes, harness.SwarmNode{ID: name, Hostname: name, Role: "worker", Availability: "active", Status: "ready"})
	}
	if n < 0 {
		return st
	}
	r := uint64(n)
	st.Swarm.Services = []harness.Service{{ID: "s1", Name: "sleep-app", Image: "ubuntu:latest", Args: []string{"sleep", "infinity"}, Mode: "replicated", Replicas: &r}}
	for i := 0; i < n; i++ {
		node := fmt.Sprintf("node%d", i%3+1)
		st.Swarm.Tasks = append(st.Swarm.Tasks, harness.Task{ID: fmt.Sprint("t", i), ServiceID: "s1", ServiceName: "sleep-app",
			Slot: i + 1, NodeHostname: node, DesiredState: "running", State: "running"})
	}
	return st
}

func TestRubricOrderAndMostTellingFailure(t *testing.T) {
	l := &lab.Lab{Rubric: []lab.Item{
		{ID: "scaled-up", Points: 15, Check: lab.CheckSpec{Kind: "running_tasks", Params: map[string]any{"service": "sleep-app", "count": 7}}},
		{ID: "scaled-down", Points: 10, After: "scaled-up", Check: lab.CheckSpec{Kind: "running_tasks", Params: map[string]any{"service": "sleep-app", "count": 4}}},
	}}
	r, err := newRubric(l)
	require.NoError(t, err)
	for i, n := range []int{1, 6, 4, -1} { // create, scale to 6 (not 7), down to 4, service removed
		r.observe(i+1, fmt.Sprintf("command %d", i+1), serviceState(n), 0)
	}
	items, score := r.report()
	assert.Equal(t, 10, score)

	up := items[0]
	assert.Equal(t, report.StatusFail, up.Status)
	assert.Contains(t, up.Reason, "6 running", "the state before the student moved on, not what cleanup left")

	down := items[1]
	assert.Equal(t, report.StatusPass, down.Status)
	assert.Contains(t, down.FirstHeld, `graded without its order: "scaled-up", which it follows, never held`)
}

func TestRubricWrongOrder(t *testing.T) {
	l := &lab.Lab{Rubric: []lab.Item{
		{ID: "scaled-up", Points: 15, Check: lab.CheckSpec{Kind: "running_tasks", Params: map[string]any{"service": "sleep-app", "count": 7}}},
		{ID: "scaled-down", Points: 10, After: "scaled-up", Check: lab.CheckSpec{Kind: "running_tasks", Params: map[string]any{"service": "sleep-app", "count": 4}}},
	}}
	r, err := newRubric(l)
	require.NoError(t, err)
	for i, n := range []int{4, 7} { // scaled to 4 first, then 7, never back down
		r.observe(i+1, fmt.Sprintf("command %d", i+1), serviceState(n), 0)
	}
	items, score := r.report()
	assert.Equal(t, 15, score)
	assert.Equal(t, report.StatusFail, items[1].Status)
	assert.Contains(t, items[1].Reason, `held at command 1, before "scaled-up" did`)
}

// A command the submission shows failing that succeeded in the replay
// credits nothing by itself: what it made hold holds only if it holds
// again later for another reason.
func TestRubricDoubtedCommands(t *testing.T) {
	l := &lab.Lab{Rubric: []lab.Item{
		{ID: "scaled-up", Points: 15, Check: lab.CheckSpec{Kind: "running_tasks", Params: map[string]any{"service": "sleep-app", "count": 7}}},
	}}
	const note = "line 12: the submission shows `docker service update --replicas 7 sleep-app` failing (`Error: No such service: sleep-ap`), the replay succeeded (`sleep-app`)"
	tests := []struct {
		name      string
		tasks     []int // running tasks at observations 1, 2, ...
		doubts    []doubt
		status    report.Status
		firstHeld string
		reason    string
		byHand    string
	}{
		{name: "no doubt", tasks: []int{1, 7}, status: report.StatusPass, firstHeld: "command 2"},
		{
			name: "held only after the doubted command", tasks: []int{1, 7, 7},
			doubts: []doubt{{obs: 2, note: note}}, status: report.StatusFail,
			reason: "held only after command 2, which the submission shows failing while the replay succeeded: not credited from the replay (" + note + ")",
			byHand: note + ": check by hand",
		},
		{
			name: "the doubted command brought it closer", tasks: []int{1, 5, 7},
			doubts: []doubt{{obs: 2, note: note}}, status: report.StatusFail, byHand: note + ": check by hand",
		},
		{
			name: "held again later for another reason", tasks: []int{1, 7, 4, 7},
			doubts: []doubt{{obs: 2, note: note}}, status: report.StatusPass, firstHeld: "command 4", byHand: note + ": check by hand",
		},
		{
			name: "a doubted command that changed nothing it rests on", tasks: []int{1, 1, 7},
			doubts: []doubt{{obs: 2, note: note}}, status: report.StatusPass, firstHeld: "command 3",
		},
		{
			name: "a doubt the order of pasted terminals explains", tasks: []int{1, 7},
			doubts: []doubt{{obs: 2, note: note, order: "the order of pasted terminals explains it"}}, status: report.StatusPass,
			firstHeld: "command 2 (" + note + "; the order of pasted terminals explains it)",
		},
		{
			name: "a doubt after it held", tasks: []int{7, 7},
			doubts: []doubt{{obs: 2, note: note}}, status: report.StatusPass, firstHeld: "command 1",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := newRubric(l)
			require.NoError(t, err)
			for _, d := range tt.doubts {
				r.doubt(d)
			}
			for i, n := range tt.tasks {
				r.observe(i+1, fmt.Sprintf("command %d", i+1), serviceState(n), 0)
			}
			items, score := r.report()
			it := items[0]
			assert.Equal(t, tt.status, it.Status)
			assert.Equal(t, tt.firstHeld, it.FirstHeld)
			assert.Equal(t, tt.byHand, it.CheckByHand)
			if tt.reason != "" {
				assert.Equal(t, tt.reason, it.Reason)
			}
			if tt.status == report.StatusPass {
				assert.Equal(t, 15, score)
			} else {
				assert.Zero(t, score)
			}
		})
	}
}
