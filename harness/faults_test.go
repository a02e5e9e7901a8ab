package harness

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestKillContainer(t *testing.T) {
	since := time.Date(2025, 12, 1, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		name    string
		created string
		inspect int // status of the inspect; 0 means 200
		kill    int // status of the kill; 0 means 204
		killed  bool
		err     string
		is      error
	}{
		{name: "started by the command", created: "2025-12-01T10:00:03.5Z", killed: true},
		{name: "older than the command is spared", created: "2025-12-01T09:59:00Z", is: ErrPredatesCommand,
			err: "kill container c1 on node1: container predates the command"},
		{name: "unreadable creation time is spared", created: "yesterday",
			err: `kill container c1 on node1: creation time: parsing time "yesterday"`},
		{name: "gone before inspect", inspect: http.StatusNotFound, err: "kill container c1 on node1: "},
		{name: "kill refused", created: "2025-12-01T10:00:03Z", kill: http.StatusConflict, killed: true,
			err: "kill container c1 on node1: "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inner := &routeEngine{routes: map[string]http.HandlerFunc{
				"GET /containers/c1/json": func(w http.ResponseWriter, _ *http.Request) {
					if tt.inspect != 0 {
						writeJSON(w, tt.inspect, map[string]string{"message": "No such container: c1"})
						return
					}
					writeJSON(w, http.StatusOK, map[string]any{"Id": "c1", "Created": tt.created})
				},
				"POST /containers/c1/kill": func(w http.ResponseWriter, _ *http.Request) {
					if tt.kill != 0 {
						writeJSON(w, tt.kill, map[string]string{"message": "container c1 is not running"})
						return
					}
					w.WriteHeader(http.StatusNoContent)
				},
			}}
			c := &Cluster{nodes: []*node{{name: "node1", inner: inner.client(t)}}}
			err := c.KillContainer(context.Background(), "node1", "c1", since)
			if tt.err == "" {
				require.NoError(t, err)
			} else {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.err)
			}
			if tt.is != nil {
				assert.ErrorIs(t, err, tt.is)
			}
			assert.Equal(t, tt.killed, len(inner.requests("POST /containers/c1/kill")) == 1, "killed")
		})
	}
}
