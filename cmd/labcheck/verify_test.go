package main

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/labcheck/labcheck/grader/report"
)

func executeVerify(t *testing.T, args ...string) (string, error) {
	t.Helper()
	root := newRootCommand()
	var out bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&out)
	root.SetArgs(append([]string{"verify"}, args...))
	err := root.ExecuteContext(context.Background())
	return out.String(), err
}

func TestVerifyHelpSaysReadOnly(t *testing.T) {
	out, err := executeVerify(t, "--help")
	require.NoError(t, err)
	assert.Contains(t, out, "Verify never changes the cluster.")
	assert.Contains(t, out, "--step")
	assert.Contains(t, out, "--host")
}

func TestVerifyUsageErrors(t *testing.T) {
	closed := httptest.NewServer(http.NotFoundHandler())
	closedAddr := "tcp://" + closed.Listener.Addr().String()
	closed.Close()
	tests := []struct {
		name     string
		args     []string
		wantCode int
		wantMsg  string
	}{
		{name: "unknown step", args: []string{"--step", "scale"}, wantCode: 2,
			wantMsg: `unknown --step "scale": lab orchestration has steps standalone, swarm-init, join, service-create, scale-up, scale-down, drain, cleanup`},
		{name: "unknown format", args: []string{"--format", "xml"}, wantCode: 2,
			wantMsg: `unknown --format "xml" (known: text, md, json, junit, gradescope, html)`},
		{name: "unknown lab", args: []string{"--lab", "orchestraton"}, wantCode: 2,
			wantMsg: `get lab: "orchestraton" is neither an embedded lab (ha, orchestration) nor a readable file`},
		{name: "no engine at --host", args: []string{"--host", closedAddr}, wantCode: 1,
			wantMsg: "no Docker engine reachable at " + closedAddr + ": "},
		{name: "bad --host", args: []string{"--host", "nonsense"}, wantCode: 2, wantMsg: "--host nonsense: "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := executeVerify(t, tt.args...)
			var ex *exitError
			require.True(t, errors.As(err, &ex), "%v", err)
			assert.Equal(t, tt.wantCode, ex.code)
			assert.Contains(t, ex.msg, tt.wantMsg)
		})
	}
}

func TestVerifyExit(t *testing.T) {
	tests := []struct {
		name     string
		statuses []report.Status
		wantCode int
		wantMsg  string
	}{
		{name: "all passed", statuses: []report.Status{report.StatusPass, report.StatusPass}},
		{name: "skipped items do not count", statuses: []report.Status{report.StatusPass, report.StatusSkipped}},
		{name: "nothing judged", statuses: []report.Status{report.StatusSkipped}},
		{name: "a failure", statuses: []report.Status{report.StatusPass, report.StatusFail, report.StatusError}, wantCode: 3, wantMsg: "1 of 3 judged items failed"},
		{name: "an error", statuses: []report.Status{report.StatusError, report.StatusSkipped}, wantCode: 1, wantMsg: "1 of 1 judged item could not be checked"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep := &report.Report{}
			for _, s := range tt.statuses {
				rep.Items = append(rep.Items, report.Item{Status: s})
			}
			err := verifyExit(rep)
			if tt.wantCode == 0 {
				assert.NoError(t, err)
				return
			}
			var ex *exitError
			require.True(t, errors.As(err, &ex))
			assert.Equal(t, tt.wantCode, ex.code)
			assert.Equal(t, tt.wantMsg, ex.msg)
		})
	}
}
