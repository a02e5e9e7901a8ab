package harness

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestUsrVolumeNames(t *testing.T) {
	data, ready := usrVolumeNames("sha256:e12fe0b52b25aa0011223344")
	assert.Equal(t, "labcheck-node-usr-e12fe0b52b25", data)
	assert.Equal(t, "labcheck-node-usr-e12fe0b52b25-ready", ready)
	other, _ := usrVolumeNames("sha256:0000fe0b52b25aa0011223344")
	assert.NotEqual(t, data, other, "a rebuilt node image gets its own /usr volume")
}

func imageWithLabel(id, kind string) http.HandlerFunc {
	return reply(http.StatusOK, map[string]any{"Id": id, "Config": map[string]any{"Labels": map[string]string{LabelImage: kind}}})
}

func TestEnsureUsrVolume(t *testing.T) {
	const id = "sha256:e12fe0b52b25aa0011223344"
	t.Run("another node image keeps its own /usr", func(t *testing.T) {
		e := &routeEngine{routes: map[string]http.HandlerFunc{"GET /images/docker:dind/json": imageWithLabel(id, "")}}
		vol, err := NewBuilder(e.client(t), nil).EnsureUsrVolume(context.Background(), "docker:dind")
		require.NoError(t, err)
		assert.Empty(t, vol)
		assert.Empty(t, e.requests("GET /volumes"), "no volume is looked for")
	})
	t.Run("a whole copy is used as it is", func(t *testing.T) {
		e := &routeEngine{routes: map[string]http.HandlerFunc{
			"GET /images/labcheck/node:bookworm-1/json":         imageWithLabel(id, "node"),
			"GET /volumes/labcheck-node-usr-e12fe0b52b25-ready": reply(http.StatusOK, map[string]any{"Name": "labcheck-node-usr-e12fe0b52b25-ready"}),
		}}
		vol, err := NewBuilder(e.client(t), nil).EnsureUsrVolume(context.Background(), "labcheck/node:bookworm-1")
		require.NoError(t, err)
		assert.Equal(t, "labcheck-node-usr-e12fe0b52b25", vol)
		assert.Empty(t, e.requests("POST "), "nothing is created")
	})
	t.Run("a copy cut short is made again", func(t *testing.T) {
		e := populatingEngine(id, 0)
		vol, err := NewBuilder(e.client(t), nil).EnsureUsrVolume(context.Background(), "labcheck/node:bookworm-1")
		require.NoError(t, err)
		assert.Equal(t, "labcheck-node-usr-e12fe0b52b25", vol)
		assert.Equal(t, []string{"DELETE /volumes/labcheck-node-usr-e12fe0b52b25", "POST /volumes/create", "POST /containers/create",
			"POST /containers/pop/wait", "POST /containers/pop/start", "DELETE /containers/pop", "POST /volumes/create"},
			filterRoutes(filterRoutes(e.requests(""), "GET "), "HEAD "), "the partial copy goes, a new one is made, then marked whole")
	})
	t.Run("a failed copy is not marked whole", func(t *testing.T) {
		e := populatingEngine(id, 1)
		_, err := NewBuilder(e.client(t), nil).EnsureUsrVolume(context.Background(), "labcheck/node:bookworm-1")
		require.Error(t, err)
		assert.Contains(t, err.Error(), "marking it complete exited 1")
		assert.Len(t, e.requests("POST /volumes/create"), 1, "no ready marker")
	})
}

func filterRoutes(routes []string, dropPrefix string) []string {
	var out []string
	for _, r := range routes {
		if len(r) < len(dropPrefix) || r[:len(dropPrefix)] != dropPrefix {
			out = append(out, r)
		}
	}
	return out
}

// populatingEngine fakes an engine with labcheck's node image and no whole
// /usr copy, whose populating container exits with exit.
func populatingEngine(imageID string, exit int) *routeEngine {
	noContent := func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNoContent) }
	return &routeEngine{routes: map[string]http.HandlerFunc{
		"GET /images/labcheck/node:bookworm-1/json":      imageWithLabel(imageID, "node"),
		"DELETE /volumes/labcheck-node-usr-e12fe0b52b25": noContent,
		"POST /volumes/create":                           reply(http.StatusCreated, map[string]any{"Name": "v"}),
		"POST /containers/create":                        reply(http.StatusCreated, map[string]any{"Id": "pop"}),
		"POST /containers/pop/start":                     noContent,
		"POST /containers/pop/wait":                      reply(http.StatusOK, map[string]any{"StatusCode": exit}),
		"DELETE /containers/pop":                         noContent,
	}}
}

func TestNodeTmpfs(t *testing.T) {
	assert.Equal(t, map[string]string{"/run": ""}, nodeTmpfs(""), "a node on its own /usr keeps it as it is")
	withShared := nodeTmpfs("labcheck-node-usr-e12fe0b52b25")
	assert.Equal(t, "rw,exec,mode=755", withShared[usrLocalBin], "programs a user adds still have their place")
	assert.Contains(t, withShared, "/run")
}
