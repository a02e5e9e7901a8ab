package main

import (
	"bytes"
	"context"
	"fmt"
	"hash/fnv"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/labcheck/labcheck/grader"
	"github.com/labcheck/labcheck/grader/lab"
	"github.com/labcheck/labcheck/grader/report"
	"github.com/labcheck/labcheck/grader/submission"
)

const corpusDir = "../../testdata/submissions"

// fakeGrade stands in for a replay: a report that depends only on the
// file's bytes (items pass or fail by a hash of them), with fixed times,
// so that any two runs over a file agree exactly. Its times are whole
// seconds: a JSON report keeps the run's start and end to the second, so
// a merged report's "took 3.8s" reads "took 3.0s", the one difference
// from a single run that merge allows (timings).
func fakeGrade(_ context.Context, l *lab.Lab, path string, _ submission.Format, _ grader.Options, _ grader.ReplayLimits) (*report.Report, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	h := fnv.New64a()
	h.Write(data)
	bits := h.Sum64()
	start := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	rep := &report.Report{
		SchemaVersion: report.SchemaVersion,
		Lab:           report.LabInfo{Name: l.Name, Title: l.Title, Version: l.Version, Source: l.Source},
		Subject:       submission.Key(path), Source: path, Mode: "grade", Completed: bits%7 != 0,
		MaxScore: l.MaxScore(), StartedAt: start, FinishedAt: start.Add(time.Duration(bits%5) * time.Second),
	}
	if !rep.Completed {
		rep.Error = "the cluster failed (fake)"
	}
	// A real report's text is the parsed submission's, always UTF-8.
	first, _, _ := strings.Cut(strings.ToValidUTF8(string(data), "?"), "\n")
	cmd := report.Command{Index: 1, Kind: report.KindShell, Node: "node1", Line: 1, Text: first, Outcome: report.OutcomeOK,
		Output: "<script>alert(1)</script>", Start: start, End: start.Add(time.Second)}
	rep.Steps = []report.Step{{ID: "s1", Title: "the submission", Start: start, End: start.Add(time.Second), Commands: []report.Command{cmd}}}
	for i, it := range l.Rubric {
		item := report.Item{ID: it.ID, Title: it.Title, Points: it.Points, When: report.WhenEventually, Hint: "try again"}
		if bits>>uint(i)&1 == 1 {
			item.Status, item.Awarded = report.StatusPass, it.Points
		} else {
			item.Status, item.Reason = report.StatusFail, "not done (fake)"
		}
		if i == 0 && bits%5 == 0 {
			item.CheckByHand = "the recorded output and the replay disagree (fake)"
		}
		rep.Score += item.Awarded
		rep.Items = append(rep.Items, item)
	}
	return rep, nil
}

func corpusFiles(t *testing.T) []string {
	t.Helper()
	files, err := submissionFiles([]string{corpusDir})
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(files), 30)
	return files
}

// gradeFake grades files with fakeGrade and writes the batch as the grade
// command does once its replays are done.
func gradeFake(t *testing.T, l *lab.Lab, files []string, out, shard, format string) {
	t.Helper()
	results, err := grader.GradeBatch(context.Background(), l, files, grader.BatchOptions{Reserved: batchFiles, GradeFile: fakeGrade, Jobs: 2})
	require.NoError(t, err)
	opts := &gradeOptions{commonOptions: commonOptions{format: format}, out: out, shard: shard, loaded: l}
	require.NoError(t, os.MkdirAll(out, 0o755))
	require.NoError(t, writeBatch(&bytes.Buffer{}, opts, results))
}

func runCLI(t *testing.T, args ...string) (string, error) {
	t.Helper()
	root := newRootCommand()
	var stdout, stderr bytes.Buffer
	root.SetOut(&stdout)
	root.SetErr(&stderr)
	root.SetArgs(args)
	err := root.ExecuteContext(context.Background())
	return stdout.String() + stderr.String(), err
}

// TestShardsMergeAsOneRun grades the corpus as three shards and merges
// them; every file of the class is byte for byte the one a single run
// over the whole corpus writes.
func TestShardsMergeAsOneRun(t *testing.T) {
	l, err := lab.Get("orchestration")
	require.NoError(t, err)
	files := corpusFiles(t)
	root := t.TempDir()
	const format = "json,text,html"

	one := filepath.Join(root, "one")
	gradeFake(t, l, files, one, "", format)

	var shardDirs []string
	seen := 0
	for k := 1; k <= 3; k++ {
		sh := grader.Shard{K: k, N: 3}
		part := sh.Files(files)
		assert.NotEmpty(t, part, "shard %s holds some of %d files", sh, len(files))
		seen += len(part)
		dir := filepath.Join(root, fmt.Sprintf("shard-%d", k))
		gradeFake(t, l, part, dir, sh.String(), format)
		shardDirs = append(shardDirs, dir)
	}
	require.Equal(t, len(files), seen, "the shards partition the class")

	merged := filepath.Join(root, "merged")
	out, err := runCLI(t, append([]string{"merge", "--out", merged}, shardDirs...)...)
	require.NoError(t, err, out)
	assert.Contains(t, out, fmt.Sprintf("%d submission(s) graded", len(files)))

	want, got := dirNames(t, one), dirNames(t, merged)
	require.Equal(t, want, got, "the merged class has the files of one run")
	for _, name := range want {
		a, err := os.ReadFile(filepath.Join(one, name))
		require.NoError(t, err)
		b, err := os.ReadFile(filepath.Join(merged, name))
		require.NoError(t, err)
		assert.Equal(t, string(a), string(b), "%s differs between one run and the merged shards", name)
	}

	// The shared evidence spans shards: pairs whose two files were graded
	// by different runners are found in the merged class.
	sim, err := os.ReadFile(filepath.Join(merged, "similarity.csv"))
	require.NoError(t, err)
	for _, pair := range [][2]string{{"copied-pwd", "full-lab-pwd"}, {"copied-hostname", "drain-by-hostname"}, {"copied-ids-edited", "drain-by-id"}} {
		assert.Contains(t, string(sim), `"`+pair[0]+`","`+pair[1]+`"`)
	}
	crosses := false
	for _, pair := range [][2]string{{"copied-pwd.txt", "full-lab-pwd.txt"}, {"copied-hostname.md", "drain-by-hostname.md"}, {"copied-ids-edited.txt", "drain-by-id.txt"}, {"cast-ssh.cast", "typescript-appended.log"}, {"cast-scaled-to-6.cast", "typescript-no-cleanup.log"}} {
		for k := 1; k <= 3; k++ {
			sh := grader.Shard{K: k, N: 3}
			if sh.Holds(pair[0]) != sh.Holds(pair[1]) {
				crosses = true
			}
		}
	}
	assert.True(t, crosses, "at least one pair's files are in different shards, so the merge's comparison is tested")
}

func TestMergeRefusesAndReports(t *testing.T) {
	l, err := lab.Get("orchestration")
	require.NoError(t, err)
	in := t.TempDir()
	var files []string
	for _, name := range []string{"ana", "ben", "cat", "dan", "eve", "fay", "gus", "hal"} {
		files = append(files, writeSubmission(t, filepath.Join(in, name+".txt"), "$ docker ps # "+name+"\n"))
	}
	root := t.TempDir()
	shardDir := func(k, n int, format string) string {
		sh := grader.Shard{K: k, N: n}
		dir := filepath.Join(root, fmt.Sprintf("%s-%d-of-%d", strings.ReplaceAll(format, ",", ""), k, n))
		gradeFake(t, l, sh.Files(files), dir, sh.String(), format)
		return dir
	}
	s1, s2, s3 := shardDir(1, 3, "json"), shardDir(2, 3, "json"), shardDir(3, 3, "json")

	tests := []struct {
		name string
		dirs []string
		code int
		says []string
	}{
		{name: "a shard missing", dirs: []string{s1, s3}, code: 1, says: []string{"shard 2/3 is missing"}},
		{name: "a shard twice", dirs: []string{s1, s2, s3, s2}, code: 1, says: []string{"was graded twice", "the report from " + s2 + " (shard 2/3) is kept"}},
		{name: "another number of shards", dirs: []string{s1, shardDir(1, 2, "json")}, code: 2, says: []string{"is shard 1/2", "is shard 1/3"}},
		{name: "no json reports", dirs: []string{s1, shardDir(2, 3, "text")}, code: 2, says: []string{"--format text", "json among --format"}},
		{name: "not a shard", dirs: []string{s1, in}, code: 2, says: []string{"has no shard.json"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, err := runCLI(t, append([]string{"merge", "--out", filepath.Join(t.TempDir(), "class")}, tc.dirs...)...)
			var ee *exitError
			require.ErrorAs(t, err, &ee, out)
			assert.Equal(t, tc.code, ee.code, ee.msg)
			for _, s := range tc.says {
				assert.Contains(t, ee.msg, s)
			}
		})
	}

	t.Run("another lab version", func(t *testing.T) {
		other := *l
		other.Version = l.Version + "-next"
		dir := filepath.Join(root, "next")
		gradeFake(t, &other, grader.Shard{K: 2, N: 3}.Files(files), dir, "2/3", "json")
		out, err := runCLI(t, "merge", "--out", filepath.Join(t.TempDir(), "class"), s1, dir, s3)
		var ee *exitError
		require.ErrorAs(t, err, &ee, out)
		assert.Equal(t, 2, ee.code)
		assert.Contains(t, ee.msg, fmt.Sprintf("version %s", other.Version))
		assert.Contains(t, ee.msg, fmt.Sprintf("version %s:", l.Version))
	})

	t.Run("a missing shard still writes the class", func(t *testing.T) {
		class := filepath.Join(t.TempDir(), "class")
		_, err := runCLI(t, "merge", "--out", class, s1, s3)
		require.Error(t, err)
		summary, err := os.ReadFile(filepath.Join(class, "summary.txt"))
		require.NoError(t, err)
		assert.Contains(t, string(summary), "Not a whole class:\n  - shard 2/3 is missing")
	})
}

func TestGradeShardUsage(t *testing.T) {
	in := t.TempDir()
	a := writeSubmission(t, filepath.Join(in, "a.txt"), "$ docker ps\x00")
	for _, tc := range []struct {
		name string
		args []string
		says string
	}{
		{name: "K above N", args: []string{"--shard", "4/3", "--out", t.TempDir()}, says: "--shard: shard 4/3: K must be between 1 and 3"},
		{name: "not K/N", args: []string{"--shard", "half", "--out", t.TempDir()}, says: "want K/N"},
		{name: "no --out", args: []string{"--shard", "1/2"}, says: "--shard 1/2 needs --out DIR"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, err := runCLI(t, append(append([]string{"grade", "-q"}, tc.args...), a)...)
			var ee *exitError
			require.ErrorAs(t, err, &ee, out)
			assert.Equal(t, 2, ee.code)
			assert.Contains(t, ee.msg, tc.says)
		})
	}
}

// TestGradeShardWritesManifest runs the real command on files no cluster
// is needed for (they cannot be read): the shard grades its part and
// lists it in shard.json.
func TestGradeShardWritesManifest(t *testing.T) {
	in := t.TempDir()
	var all []string
	for _, n := range []string{"ana", "ben", "cat", "dan", "eve", "fay"} {
		all = append(all, writeSubmission(t, filepath.Join(in, n+".txt"), "$ docker ps\x00"))
	}
	sh := grader.Shard{K: 2, N: 3}
	out := t.TempDir()
	msg, err := runCLI(t, "grade", "-q", "--shard", sh.String(), "--format", "json", "--out", out, in)
	require.NoError(t, err, msg)

	data, err := os.ReadFile(filepath.Join(out, grader.ManifestFile))
	require.NoError(t, err)
	m, err := grader.ReadManifest(bytes.NewReader(data))
	require.NoError(t, err)
	assert.Equal(t, "2/3", m.Shard)
	assert.Equal(t, "orchestration", m.Lab.Name)
	assert.Equal(t, []string{"json"}, m.Formats)
	assert.Equal(t, version(), m.Labcheck)
	var keys, want []string
	for _, e := range m.Submissions {
		keys = append(keys, e.Key)
	}
	for _, f := range sh.Files(all) {
		want = append(want, submission.Key(f))
	}
	sort.Strings(keys)
	assert.Equal(t, want, keys)
	assert.Len(t, m.Evidence, len(want))
}
