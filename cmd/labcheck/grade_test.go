package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/labcheck/labcheck/grader"
	"github.com/labcheck/labcheck/grader/lab"
	"github.com/labcheck/labcheck/grader/report"
	"github.com/labcheck/labcheck/grader/submission"
)

func writeSubmission(t *testing.T, path, content string) string {
	t.Helper()
	require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
	require.NoError(t, os.WriteFile(path, []byte(content), 0o644))
	return path
}

func readGradebook(t *testing.T, dir string) [][]string {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, "gradebook.csv"))
	require.NoError(t, err)
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	require.NoError(t, err)
	return recs
}

func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	return names
}

// TestGradeSameNamesKeepEveryReport runs the real command on submissions
// no cluster is needed for (they cannot be read): two alice files and a
// summary file must each keep a report of their own.
func TestGradeSameNamesKeepEveryReport(t *testing.T) {
	in, out := t.TempDir(), t.TempDir()
	a := writeSubmission(t, filepath.Join(in, "a", "alice.txt"), "$ docker ps\x00")
	b := writeSubmission(t, filepath.Join(in, "b", "alice.txt"), "$ docker ps\x00")
	md := writeSubmission(t, filepath.Join(in, "a", "alice.md"), "$ docker ps\x00")
	sum := writeSubmission(t, filepath.Join(in, "summary.md"), "$ docker ps\x00")

	root := newRootCommand()
	var stdout, stderr bytes.Buffer
	root.SetOut(&stdout)
	root.SetErr(&stderr)
	root.SetArgs([]string{"grade", "-q", "--out", out, "--format", "text,json", a, b, md, sum})
	require.NoError(t, root.ExecuteContext(context.Background()), stderr.String())

	assert.Equal(t, []string{
		"alice-2.json", "alice-2.txt", "alice-3.json", "alice-3.txt", "alice.json", "alice.txt",
		"gradebook.csv", "similarity.csv", "summary-2.json", "summary-2.txt", "summary.txt",
	}, dirNames(t, out))
	for key, src := range map[string]string{"alice": a, "alice-2": b, "alice-3": md, "summary-2": sum} {
		data, err := os.ReadFile(filepath.Join(out, key+".json"))
		require.NoError(t, err)
		rep, err := report.ReadJSON(bytes.NewReader(data))
		require.NoError(t, err)
		assert.Equal(t, key, rep.Subject)
		assert.Equal(t, src, rep.Source, "%s.json is the report of %s", key, src)
		assert.Contains(t, rep.Error, "NUL byte")
	}
	summary, err := os.ReadFile(filepath.Join(out, "summary.txt"))
	require.NoError(t, err)
	assert.Contains(t, string(summary), "4 submission(s) graded", "summary.txt is the batch's summary, not a report")

	var students []string
	for _, row := range readGradebook(t, out)[1:] {
		students = append(students, row[0])
	}
	assert.Equal(t, []string{"alice", "alice-2", "alice-3", "summary-2"}, students)
}

// TestWriteBatchClaims grades with a stand-in for the replay that names
// its report as the submission claims, the way the forged files were
// graded before: the keys, file names and gradebook still come from the
// file names, and the claims are shown beside them, defused.
func TestWriteBatchClaims(t *testing.T) {
	in, out := t.TempDir(), t.TempDir()
	alice := writeSubmission(t, filepath.Join(in, "alice.txt"), "# student: =HYPERLINK(\"http://evil.example/x\",\"bob\")\n$ docker ps\n")
	bob := writeSubmission(t, filepath.Join(in, "bob.txt"), "# student: alice\n$ docker ps\n")
	l, err := lab.Get("orchestration")
	require.NoError(t, err)

	results, err := grader.GradeBatch(context.Background(), l, []string{alice, bob}, grader.BatchOptions{
		Reserved: batchFiles,
		GradeFile: func(_ context.Context, l *lab.Lab, path string, _ submission.Format, _ grader.Options, _ grader.ReplayLimits) (*report.Report, error) {
			data, err := os.ReadFile(path)
			if err != nil {
				return nil, err
			}
			sub, err := submission.Parse(path, data, submission.Options{Nodes: l.NodeNames()})
			if err != nil {
				return nil, err
			}
			return &report.Report{
				Subject: sub.Student, Claimed: sub.Claimed, Source: path, Mode: "grade",
				Completed: true, Score: 10, MaxScore: l.MaxScore(),
			}, nil
		},
	})
	require.NoError(t, err)
	for _, r := range results {
		require.NoError(t, r.Err)
	}

	var stdout bytes.Buffer
	opts := &gradeOptions{commonOptions: commonOptions{format: "text,md"}, out: out}
	require.NoError(t, writeBatch(&stdout, opts, results))

	assert.Equal(t, []string{"alice.md", "alice.txt", "bob.md", "bob.txt", "gradebook.csv", "similarity.csv", "summary.txt"}, dirNames(t, out))
	text, err := os.ReadFile(filepath.Join(out, "bob.txt"))
	require.NoError(t, err)
	assert.Contains(t, string(text), "bob (claims: alice)")
	md, err := os.ReadFile(filepath.Join(out, "bob.md"))
	require.NoError(t, err)
	assert.Contains(t, string(md), "bob (claims: alice)")
	assert.Contains(t, stdout.String(), "bob (claims: alice)")

	assert.Equal(t, [][]string{
		{"student", "claimed", "source", "score", "max", "completed", "check_by_hand"},
		{"alice", `'=HYPERLINK("http://evil.example/x","bob")`, alice, "10", strconv.Itoa(l.MaxScore()), "true", "0"},
		{"bob", "alice", bob, "10", strconv.Itoa(l.MaxScore()), "true", "0"},
	}, readGradebook(t, out))
}
