package harness

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/moby/moby/client"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fakeProber answers the privileged probe's engine calls from a script:
// one start error per probe, nil meaning the privileged container ran.
type fakeProber struct {
	host      string
	createErr []error
	startErr  []error
	// onStart runs before a start answers (a user pressing Ctrl-C).
	onStart func()

	mu                      sync.Mutex
	creates, starts, remove int
	removeCtxErr            []error
}

func (f *fakeProber) DaemonHost() string { return f.host }

func (f *fakeProber) ContainerCreate(ctx context.Context, _ client.ContainerCreateOptions) (client.ContainerCreateResult, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	i := f.creates
	f.creates++
	if err := ctx.Err(); err != nil {
		return client.ContainerCreateResult{}, err
	}
	if i < len(f.createErr) && f.createErr[i] != nil {
		return client.ContainerCreateResult{}, f.createErr[i]
	}
	return client.ContainerCreateResult{ID: "probe"}, nil
}

func (f *fakeProber) ContainerStart(ctx context.Context, _ string, _ client.ContainerStartOptions) (client.ContainerStartResult, error) {
	if f.onStart != nil {
		f.onStart()
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	i := f.starts
	f.starts++
	if err := ctx.Err(); err != nil {
		return client.ContainerStartResult{}, err
	}
	if i < len(f.startErr) {
		return client.ContainerStartResult{}, f.startErr[i]
	}
	return client.ContainerStartResult{}, nil
}

func (f *fakeProber) ContainerRemove(ctx context.Context, _ string, _ client.ContainerRemoveOptions) (client.ContainerRemoveResult, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.remove++
	f.removeCtxErr = append(f.removeCtxErr, ctx.Err())
	return client.ContainerRemoveResult{}, nil
}

// refusal is what Debian's engine in a Firecracker VM says to --privileged.
var refusal = errors.New("Error response from daemon: failed to create task for container: failed to create shim task: " +
	"OCI runtime create failed: runc create failed: unable to start container process: unable to apply caps: operation not permitted: unknown")

func TestDetectSecurityModeCachesOnlyDefiniteAnswers(t *testing.T) {
	type call struct {
		mode SecurityMode
		err  string // a substring of the error; "" means none
	}
	tests := []struct {
		name  string
		fake  *fakeProber
		calls []call
		// probes is how many containers were created over all calls.
		probes int
	}{
		{
			name:   "privileged works: asked once",
			fake:   &fakeProber{},
			calls:  []call{{mode: Privileged}, {mode: Privileged}},
			probes: 1,
		},
		{
			name:   "refusal: capabilities, asked once",
			fake:   &fakeProber{startErr: []error{refusal}},
			calls:  []call{{mode: Capabilities}, {mode: Capabilities}},
			probes: 1,
		},
		{
			name:   "a transient create error is not kept",
			fake:   &fakeProber{createErr: []error{errors.New("Cannot connect to the Docker daemon: connection reset by peer")}},
			calls:  []call{{err: "probe privileged mode: create: Cannot connect"}, {mode: Privileged}, {mode: Privileged}},
			probes: 2,
		},
		{
			name: "a start error that is not the refusal is not read as capabilities",
			fake: &fakeProber{startErr: []error{errors.New("Error response from daemon: context deadline exceeded (Client.Timeout exceeded while awaiting headers)")}},
			calls: []call{
				{err: "probe privileged mode: start: Error response from daemon: context deadline exceeded"},
				{mode: Privileged}, {mode: Privileged},
			},
			probes: 2,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := tt.fake
			f.host = "unix:///" + t.Name()
			for i, c := range tt.calls {
				mode, err := detectSecurityMode(context.Background(), f, "labcheck/node", nil)
				if c.err != "" {
					require.Error(t, err, "call %d", i+1)
					assert.Contains(t, err.Error(), c.err, "call %d", i+1)
					continue
				}
				require.NoError(t, err, "call %d", i+1)
				assert.Equal(t, c.mode, mode, "call %d", i+1)
			}
			assert.Equal(t, tt.probes, f.creates, "probes")
			assert.Equal(t, f.creates-len(nonNil(f.createErr)), f.remove, "every probe container is removed")
		})
	}
}

func nonNil(errs []error) []error {
	var out []error
	for _, err := range errs {
		if err != nil {
			out = append(out, err)
		}
	}
	return out
}

// Ctrl-C during the probe returns the context's error, removes the probe
// container regardless, and leaves the next start to probe again.
func TestDetectSecurityModeCancelIsNotCached(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	f := &fakeProber{host: "unix:///" + t.Name(), onStart: cancel}
	_, err := detectSecurityMode(ctx, f, "labcheck/node", nil)
	require.ErrorIs(t, err, context.Canceled)
	assert.Equal(t, []error{nil}, f.removeCtxErr, "the probe is removed with a live context")

	f.onStart = nil
	mode, err := detectSecurityMode(context.Background(), f, "labcheck/node", nil)
	require.NoError(t, err)
	assert.Equal(t, Privileged, mode)
	assert.Equal(t, 2, f.creates, "probed again after the cancelled one")

	// Already cancelled: no probe at all, nothing cached.
	ctx2, cancel2 := context.WithCancel(context.Background())
	cancel2()
	f2 := &fakeProber{host: "unix:///" + t.Name() + "/2"}
	_, err = detectSecurityMode(ctx2, f2, "labcheck/node", nil)
	require.ErrorIs(t, err, context.Canceled)
	mode, err = detectSecurityMode(context.Background(), f2, "labcheck/node", nil)
	require.NoError(t, err)
	assert.Equal(t, Privileged, mode)
}

// A batch starts clusters at once: they share one probe, not one each.
func TestDetectSecurityModeConcurrentCallersProbeOnce(t *testing.T) {
	f := &fakeProber{host: "unix:///" + t.Name(), startErr: []error{refusal}}
	var wg sync.WaitGroup
	modes := make([]SecurityMode, 4)
	for i := range modes {
		wg.Go(func() {
			m, err := detectSecurityMode(context.Background(), f, "labcheck/node", nil)
			assert.NoError(t, err)
			modes[i] = m
		})
	}
	wg.Wait()
	assert.Equal(t, []SecurityMode{Capabilities, Capabilities, Capabilities, Capabilities}, modes)
	assert.Equal(t, 1, f.creates)
}

func TestRefusesPrivileged(t *testing.T) {
	assert.True(t, refusesPrivileged(refusal))
	assert.True(t, refusesPrivileged(errors.New("OCI runtime create failed: operation not permitted")))
	assert.False(t, refusesPrivileged(errors.New("connection reset by peer")))
}
