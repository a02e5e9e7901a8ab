package scenarios

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/labcheck/labcheck/harness"
)

// TestForkBombContained: a fork bomb in a lab container hits the budget
// lab containers share on the node, the count of hits says so, and the
// node's dockerd still answers and can kill it.
func TestForkBombContained(t *testing.T) {
	c := startCluster(t)
	id := sh(t, c, "node1", `docker run -d ubuntu sh -c 'bomb(){ bomb|bomb& }; bomb; sleep 3600'`)
	_, err := c.WaitState(context.Background(), "the fork bomb to hit the process limit", harness.SettleTimeout, func(*harness.State) harness.Poll {
		hits, err := c.InnerLimitHits(context.Background(), "node1")
		if err != nil {
			return harness.Failed(err)
		}
		if !hits.AtPidsLimit() {
			return harness.Continue("%d of %d processes", hits.PidsPeak, hits.PidsMax)
		}
		return harness.Done()
	})
	require.NoError(t, err)
	// dockerd is outside the lab containers' budget: it answers and kills.
	assert.Contains(t, sh(t, c, "node1", "docker ps -q --no-trunc"), id)
	sh(t, c, "node1", "docker kill "+id)
	assert.Equal(t, "ok", sh(t, c, "node1", "docker run --rm ubuntu echo ok"))
	assert.Equal(t, int64(2048), c.InnerLimits().Pids)
}
