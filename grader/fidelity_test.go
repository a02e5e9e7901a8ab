package grader

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/labcheck/labcheck/grader/report"
	"github.com/labcheck/labcheck/grader/submission"
)

const fidelityInit = `[node1] (local) root@192.168.0.28 ~
$ docker swarm init --advertise-addr $(hostname -i)
Swarm initialized: current node (brb49wp1betit5st1vzm3ytc7) is now a manager.

To add a worker to this swarm, run the following command:

    docker swarm join --token SWMTKN-1-p5kntsxpab0n00lwnxcy22u72kq3pkmp4m5ls548rs3ydw5ow5-rd3xgr6jnc7qj57scw6wrjqvt 192.168.0.28:2377

`

func itemByID(rep *report.Report, id string) report.Item {
	for _, it := range rep.Items {
		if it.ID == id {
			return it
		}
	}
	return report.Item{}
}

// A join to node2's own address failed for the student; the replay joins
// node2's replay address, fails the same way, and credits nothing.
func TestJoinToAWorkersOwnAddressStaysThere(t *testing.T) {
	l := orchestration(t)
	s, f := newScripted(t)
	s.fail["10.0.0.2:2377"] = `Error response from daemon: rpc error: code = Unavailable desc = connection error: desc = "transport: Error while dialing dial tcp 10.0.0.2:2377: connect: connection refused"`
	transcript := fidelityInit + `[node2] (local) root@192.168.0.27 ~
$ docker swarm join --token SWMTKN-1-p5kntsxpab0n00lwnxcy22u72kq3pkmp4m5ls548rs3ydw5ow5-rd3xgr6jnc7qj57scw6wrjqvt 192.168.0.27:2377
Error response from daemon: rpc error: code = Unavailable desc = connection error: desc = "transport: Error while dialing dial tcp 192.168.0.27:2377: connect: connection refused"
`
	sub, err := submission.Parse("t.txt", []byte(transcript), submission.Options{Nodes: l.NodeNames(), DefaultNode: "node1"})
	require.NoError(t, err)
	rep, err := Grade(context.Background(), l, sub, Options{Start: f.start}, ReplayLimits{})
	require.NoError(t, err)
	joined := false
	for _, c := range f.calls {
		joined = joined || strings.Contains(c, "swarm join --token SWMTKN-1-worker 10.0.0.2:2377")
	}
	assert.True(t, joined, "the join goes to node2's replay address: %q", f.calls)
	it := itemByID(rep, "workers-joined")
	assert.Equal(t, report.StatusFail, it.Status)
	assert.Empty(t, it.CheckByHand, "the replay failed as the student's did: nothing to check")
	var reasons []string
	for _, st := range rep.Steps {
		for _, c := range st.Commands {
			reasons = append(reasons, c.Reason)
		}
	}
	assert.Contains(t, strings.Join(reasons, "\n"), "join address: 192.168.0.27:2377 is node node2's in the submission (its prompt, line 10) → 10.0.0.2:2377")
}

// The submission shows the join failing, the replay's succeeded: the item
// it alone decided is not credited, and says why.
func TestRecordedFailureTheReplayDidNotReproduceIsCheckedByHand(t *testing.T) {
	l := orchestration(t)
	_, f := newScripted(t)
	transcript := fidelityInit + `[node2] (local) root@192.168.0.27 ~
$ docker swarm join --token SWMTKN-1-p5kntsxpab0n00lwnxcy22u72kq3pkmp4m5ls548rs3ydw5ow5-rd3xgr6jnc7qj57scw6wrjqvt 192.168.0.28:2377
Error response from daemon: Timeout was reached before node joined. The attempt to join the swarm will continue in the background. Use the "docker info" command to see the current swarm status of your node.
`
	sub, err := submission.Parse("t.txt", []byte(transcript), submission.Options{Nodes: l.NodeNames(), DefaultNode: "node1"})
	require.NoError(t, err)
	rep, err := Grade(context.Background(), l, sub, Options{Start: f.start}, ReplayLimits{})
	require.NoError(t, err)
	it := itemByID(rep, "workers-joined")
	assert.Equal(t, report.StatusFail, it.Status, "the join alone made it hold")
	assert.Equal(t, "line 10: the submission shows `docker swarm join --token SWMTKN-1-p5kntsxpab0n00lwnxcy22u72kq3pkmp4m5ls548rs3ydw5ow5-rd3xgr6jnc7qj57scw6wrjqvt 192.168.0.28:2377` failing "+
		"(`Error response from daemon: Timeout was reached before node joined. The attempt to join the swarm will continue in the background. Use the \"docker info\" command to see the current swarm status of your node.`), "+
		"the replay succeeded (`ok`): check by hand", it.CheckByHand)
	assert.Contains(t, it.Reason, "held only after line 10 (node2$ docker swarm join")
	assert.Equal(t, 10+10, rep.Score, "the recorded states after the join hold the standalone container and the swarm; not the join")
}
