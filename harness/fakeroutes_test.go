package harness

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/moby/moby/client"
	"github.com/stretchr/testify/require"
)

// routeEngine is an engine API faked one route at a time ("GET
// /containers/ctr-node1/json"); handlers may run concurrently, as the
// harness's node goroutines call them. It records every request in order.
type routeEngine struct {
	routes map[string]http.HandlerFunc

	mu    sync.Mutex
	calls []string
}

func (e *routeEngine) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	path := versionPrefix.ReplaceAllString(r.URL.Path, "")
	route := r.Method + " " + path
	e.mu.Lock()
	e.calls = append(e.calls, route)
	e.mu.Unlock()
	w.Header().Set("Api-Version", "1.41")
	if path == "/_ping" {
		_, _ = w.Write([]byte("OK"))
		return
	}
	h, ok := e.routes[route]
	if !ok {
		writeJSON(w, http.StatusNotFound, map[string]string{"message": "not faked: " + route})
		return
	}
	h(w, r)
}

// requests returns the recorded requests whose route starts with prefix.
func (e *routeEngine) requests(prefix string) []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []string
	for _, c := range e.calls {
		if strings.HasPrefix(c, prefix) {
			out = append(out, c)
		}
	}
	return out
}

func (e *routeEngine) client(t *testing.T) *client.Client {
	t.Helper()
	return serve(t, e)
}

// serve answers a Docker client with h, for the test's duration.
func serve(t *testing.T, h http.Handler) *client.Client {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	cli, err := client.New(client.WithHost("tcp://"+srv.Listener.Addr().String()), client.WithAPIVersionNegotiation())
	require.NoError(t, err)
	t.Cleanup(func() { _ = cli.Close() })
	return cli
}

func writeJSON(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}

func reply(status int, body any) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) { writeJSON(w, status, body) }
}
