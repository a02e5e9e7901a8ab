package grader

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/labcheck/labcheck/grader/report"
	"github.com/labcheck/labcheck/grader/submission"
)

func TestIntegrity(t *testing.T) {
	const initOut = "Swarm initialized: current node (r75x6w2f1bq4zsmjcgy1b2cgw) is now a manager."
	tests := []struct {
		name    string
		text    string
		output  string
		outcome report.Outcome
		replay  string
		want    string
	}{
		{name: "init shown succeeding fails in the replay", text: "docker swarm init", output: initOut, outcome: report.OutcomeFailed,
			replay: "Error response from daemon: This node is already part of a swarm.",
			want:   "line 3: the submission shows `docker swarm init` succeeding (\"Swarm initialized\"), but in the replay it failed: Error response from daemon: This node is already part of a swarm.."},
		{name: "init with a global flag", text: "docker -l error swarm init", output: initOut, outcome: report.OutcomeFailed, replay: "Error",
			want: "line 3: the submission shows `docker -l error swarm init` succeeding (\"Swarm initialized\"), but in the replay it failed: Error."},
		{name: "another command's success pasted along is not this one's", text: "docker node ls", output: initOut, outcome: report.OutcomeFailed, replay: "Error"},
		{name: "converged belongs to service commands", text: "docker service ls", output: "verify: Service converged", outcome: report.OutcomeFailed, replay: "Error"},
		{name: "service update shown converging", text: "docker service update --replicas 7 sleep-app", output: "verify: Service converged", outcome: report.OutcomeFailed, replay: "no such service",
			want: "line 3: the submission shows `docker service update --replicas 7 sleep-app` succeeding (\"verify: Service converged\"), but in the replay it failed: no such service."},
		{name: "shown failing succeeds in the replay", text: "docker service rm web", output: "Error: No such service: web", outcome: report.OutcomeOK,
			want: "line 3: the submission shows `docker service rm web` failing (\"Error: No such service: web\"), but in the replay it succeeded."},
		{name: "agreeing", text: "docker swarm init", output: initOut, outcome: report.OutcomeOK},
		{name: "no recorded output", text: "docker swarm init", outcome: report.OutcomeFailed, replay: "Error"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := submission.Command{Line: 3, Node: "node1", Text: tt.text, Output: tt.output}
			got := integrity(c, report.Command{Outcome: tt.outcome, Output: tt.replay}, placement{})
			assert.Equal(t, tt.want, got)
		})
	}
}
