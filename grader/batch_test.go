package grader

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/labcheck/labcheck/grader/lab"
	"github.com/labcheck/labcheck/grader/report"
	"github.com/labcheck/labcheck/grader/submission"
)

type gradeFunc = func(context.Context, *lab.Lab, string, submission.Format, Options, ReplayLimits) (*report.Report, error)

func batchLab(t testing.TB) *lab.Lab {
	t.Helper()
	l, err := lab.Get("orchestration")
	require.NoError(t, err)
	return l
}

// graded is what a fake grading returns for path: a completed report
// whose score is the file's index, so a result can be traced to its file.
func graded(path string, score int) *report.Report {
	return &report.Report{Subject: "from " + path, Source: path, Mode: "grade", Completed: true, Score: score}
}

func paths(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("subs/s%02d.txt", i)
	}
	return out
}

func TestGradeBatchKeepsInputOrder(t *testing.T) {
	files := paths(6)
	index := map[string]int{}
	gates := make([]chan struct{}, len(files))
	for i, f := range files {
		index[f] = i
		gates[i] = make(chan struct{})
	}
	var finished []int
	doneCh := make(chan int)
	opts := BatchOptions{
		Jobs: len(files),
		GradeFile: func(ctx context.Context, l *lab.Lab, path string, _ submission.Format, _ Options, _ ReplayLimits) (*report.Report, error) {
			<-gates[index[path]]
			return graded(path, index[path]), nil
		},
		OnDone: func(i int, r BatchResult) {
			finished = append(finished, i)
			doneCh <- i
		},
	}
	type out struct {
		res []BatchResult
		err error
	}
	ret := make(chan out, 1)
	l := batchLab(t)
	go func() {
		res, err := GradeBatch(context.Background(), l, files, opts)
		ret <- out{res, err}
	}()
	// Release the files last first: they finish in reverse, and the
	// results must still come back in input order.
	for i := len(files) - 1; i >= 0; i-- {
		close(gates[i])
		require.Equal(t, i, <-doneCh)
	}
	got := <-ret
	require.NoError(t, got.err)
	require.Len(t, got.res, len(files))
	for i, r := range got.res {
		assert.Equal(t, files[i], r.Path)
		assert.Equal(t, fmt.Sprintf("s%02d", i), r.Key)
		assert.Equal(t, i, r.Report.Score, "result %d is its own file's", i)
		assert.NoError(t, r.Err)
	}
	assert.Equal(t, []int{5, 4, 3, 2, 1, 0}, finished, "OnDone hears files as they finish")
}

func TestGradeBatchLimit(t *testing.T) {
	for _, jobs := range []int{1, 3} {
		t.Run(fmt.Sprint(jobs, " jobs"), func(t *testing.T) {
			files := paths(10)
			var running, peak atomic.Int32
			startedCh := make(chan struct{})
			release := make(chan struct{})
			opts := BatchOptions{
				Jobs: jobs,
				GradeFile: func(ctx context.Context, l *lab.Lab, path string, _ submission.Format, _ Options, _ ReplayLimits) (*report.Report, error) {
					n := running.Add(1)
					defer running.Add(-1)
					for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
					}
					startedCh <- struct{}{}
					<-release
					return graded(path, 1), nil
				},
			}
			ret := make(chan error, 1)
			l := batchLab(t)
			go func() {
				_, err := GradeBatch(context.Background(), l, files, opts)
				ret <- err
			}()
			// Fill every slot, then free one at a time: a file beyond the
			// limit would have to start while all slots are busy.
			for range jobs {
				<-startedCh
			}
			// With every slot busy nothing may start. This can only miss
			// a broken limit on a slow machine, never fail a good one.
			select {
			case <-startedCh:
				t.Fatalf("a file started while %d were grading", jobs)
			case <-time.After(50 * time.Millisecond):
			}
			for i := jobs; i < len(files); i++ {
				release <- struct{}{}
				<-startedCh
			}
			for range jobs {
				release <- struct{}{}
			}
			require.NoError(t, <-ret)
			assert.Equal(t, int32(jobs), peak.Load(), "never more than %d at once, and that many when there is work", jobs)
		})
	}
}

func TestGradeBatchInterrupted(t *testing.T) {
	l := batchLab(t)
	files := paths(5)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var mu sync.Mutex
	var called []string
	calls := map[int]int{}
	opts := BatchOptions{
		Jobs: 1,
		GradeFile: func(ctx context.Context, l *lab.Lab, path string, _ submission.Format, _ Options, _ ReplayLimits) (*report.Report, error) {
			mu.Lock()
			called = append(called, path)
			mu.Unlock()
			if path == files[1] {
				// The instructor presses Ctrl-C while the second file grades.
				cancel()
			}
			return graded(path, 1), nil
		},
		OnDone: func(i int, r BatchResult) { calls[i]++ },
	}
	res, err := GradeBatch(ctx, l, files, opts)
	require.Error(t, err)
	assert.ErrorIs(t, err, context.Canceled)
	assert.Contains(t, err.Error(), "3 of 5 submission(s) not started")
	assert.Equal(t, files[:2], called, "no file starts once the context is done")
	assert.Equal(t, map[int]int{0: 1, 1: 1, 2: 1, 3: 1, 4: 1}, calls, "OnDone hears every file once")

	require.Len(t, res, 5)
	for _, r := range res[:2] {
		assert.NoError(t, r.Err)
		assert.True(t, r.Report.Completed)
	}
	for i, r := range res[2:] {
		assert.Equal(t, files[i+2], r.Path)
		assert.ErrorIs(t, r.Err, context.Canceled)
		assert.Contains(t, r.Err.Error(), "not graded: interrupted")
		rep := r.Report
		assert.False(t, rep.Completed)
		assert.Equal(t, r.Key, rep.Subject)
		assert.Equal(t, files[i+2], rep.Source)
		assert.Contains(t, rep.Error, "not graded: interrupted")
		require.Len(t, rep.Items, len(l.Rubric), "the gradebook still gets every item's column")
		for _, it := range rep.Items {
			assert.Equal(t, report.StatusSkipped, it.Status)
			assert.Equal(t, "not graded: interrupted", it.Reason)
			assert.Zero(t, it.Awarded)
		}
	}
}

func TestGradeBatchCancelledBeforeStart(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	res, err := GradeBatch(ctx, batchLab(t), paths(3), BatchOptions{
		Jobs: 2,
		GradeFile: func(context.Context, *lab.Lab, string, submission.Format, Options, ReplayLimits) (*report.Report, error) {
			t.Error("a file started after the context was done")
			return nil, nil
		},
	})
	assert.ErrorIs(t, err, context.Canceled)
	require.Len(t, res, 3)
	for _, r := range res {
		assert.ErrorIs(t, r.Err, context.Canceled)
		assert.False(t, r.Report.Completed)
	}
}

// TestGradeBatchOneBrokenFileStopsNothing mixes every way a file can go
// wrong with good ones; the unreadable ones go through the real GradeFile,
// which reports them without a cluster.
func TestGradeBatchOneBrokenFileStopsNothing(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, []byte(content), 0o644))
		return p
	}
	good1 := write("good1.txt", "$ docker ps\n")
	binary := write("binary.txt", "$ docker ps\n\x00\x01")
	missing := filepath.Join(dir, "missing.txt")
	clusterFails := write("cluster.txt", "$ docker ps\n")
	panics := write("panics.txt", "$ docker ps\n")
	good2 := write("good2.txt", "$ docker ps\n")
	files := []string{good1, binary, missing, clusterFails, panics, good2}

	l := batchLab(t)
	res, err := GradeBatch(context.Background(), l, files, BatchOptions{
		Jobs:    2,
		Options: Options{Version: "1.2.3"},
		GradeFile: func(ctx context.Context, l *lab.Lab, path string, f submission.Format, o Options, lim ReplayLimits) (*report.Report, error) {
			switch path {
			case good1, good2:
				return graded(path, 7), nil
			case clusterFails:
				return nil, errors.New("start cluster: node1: dockerd did not answer")
			case panics:
				panic("index out of range")
			}
			return GradeFile(ctx, l, path, f, o, lim)
		},
	})
	require.NoError(t, err)
	require.Len(t, res, len(files))

	for _, r := range []BatchResult{res[0], res[5]} {
		assert.NoError(t, r.Err)
		assert.Equal(t, 7, r.Report.Score)
	}
	for _, r := range res[1:3] {
		assert.NoError(t, r.Err, "an unreadable file is the student's problem, reported, not an error")
		assert.False(t, r.Report.Completed)
		assert.Contains(t, r.Report.Error, "the submission could not be read")
		assert.Equal(t, "1.2.3", r.Report.Environment.Labcheck)
	}
	assert.Contains(t, res[1].Report.Error, "NUL byte")
	assert.Equal(t, "binary", res[1].Report.Subject)

	assert.ErrorContains(t, res[3].Err, "dockerd did not answer")
	assert.Contains(t, res[3].Report.Error, "grading could not start: start cluster")
	assert.Len(t, res[3].Report.Items, len(l.Rubric))

	assert.ErrorContains(t, res[4].Err, "labcheck failed on this submission")
	assert.ErrorContains(t, res[4].Err, "index out of range")
	assert.Equal(t, "panics", res[4].Report.Subject)
	require.NotEmpty(t, res[4].Report.Warnings)
	assert.Contains(t, res[4].Report.Warnings[0], "batch_test.go", "the stack points at the failure")
}

// TestGradeBatchKeyIsTheFileName is the forgery: bob.txt claims to be
// alice, and the grading (as Grade does) names its report after the claim.
func TestGradeBatchKeyIsTheFileName(t *testing.T) {
	files := []string{"subs/bob.txt", "subs/alice.txt", "late/alice.txt"}
	res, err := GradeBatch(context.Background(), batchLab(t), files, BatchOptions{
		GradeFile: func(ctx context.Context, l *lab.Lab, path string, _ submission.Format, _ Options, _ ReplayLimits) (*report.Report, error) {
			rep := graded(path, 1)
			rep.Subject = "alice"
			return rep, nil
		},
	})
	require.NoError(t, err)
	var subjects []string
	for _, r := range res {
		subjects = append(subjects, r.Report.Subject)
		assert.Equal(t, r.Key, r.Report.Subject)
	}
	assert.Equal(t, []string{"bob", "alice", "alice-2"}, subjects)
}

func TestBatchKeys(t *testing.T) {
	tests := []struct {
		name     string
		files    []string
		reserved []string
		want     []string
	}{
		{name: "distinct", files: []string{"a/alice.txt", "a/bob.md"}, want: []string{"alice", "bob"}},
		{name: "same name in two folders", files: []string{"a/alice.txt", "b/alice.txt"}, want: []string{"alice", "alice-2"}},
		{name: "same name, other extension", files: []string{"alice.txt", "alice.md", "alice.sh"}, want: []string{"alice", "alice-2", "alice-3"}},
		{name: "case differs only", files: []string{"Alice.txt", "alice.txt"}, want: []string{"Alice", "alice-2"}},
		{name: "a file already named like a suffixed key", files: []string{"alice.txt", "alice.md", "alice-2.txt"}, want: []string{"alice", "alice-2", "alice-2-2"}},
		{name: "a dot cannot make a report name of another's", files: []string{"alice.txt", "alice.results.txt"}, want: []string{"alice", "alice_results"}},
		{
			name: "the caller's own files", files: []string{"summary.md", "gradebook.txt", "Summary.txt"},
			reserved: []string{"gradebook", "summary"}, want: []string{"summary-2", "gradebook-2", "Summary-3"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, batchKeys(tt.files, tt.reserved))
		})
	}
}

// TestGradeFileNamesTheFile reads and parses real files and fakes only the
// replay, which names its report after what the submission claims.
func TestGradeFileNamesTheFile(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name, file, content string
		subject, claimed    string
	}{
		{name: "claims another student", file: "bob.txt", content: "# student: alice\n$ docker ps\n", subject: "bob", claimed: "alice"},
		{
			name: "claims a formula", file: "alice.txt", content: "# student: =HYPERLINK(\"http://evil.example/x\",\"bob\")\n$ docker ps\n",
			subject: "alice", claimed: `=HYPERLINK("http://evil.example/x","bob")`,
		},
		{name: "claims nothing", file: "carol.sh", content: "docker ps\n", subject: "carol", claimed: ""},
	}
	l := batchLab(t)
	fakeReplay := func(_ context.Context, _ *lab.Lab, sub *submission.Submission, _ Options, _ ReplayLimits) (*report.Report, error) {
		return &report.Report{Subject: sub.Student, Source: sub.Source, Completed: true}, nil
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := filepath.Join(dir, tt.file)
			require.NoError(t, os.WriteFile(p, []byte(tt.content), 0o644))
			rep, err := gradeFile(context.Background(), l, p, "", Options{}, ReplayLimits{}, fakeReplay)
			require.NoError(t, err)
			assert.Equal(t, tt.subject, rep.Subject)
			assert.Equal(t, tt.claimed, rep.Claimed)
		})
	}

	t.Run("unreadable", func(t *testing.T) {
		p := filepath.Join(dir, "dave.txt")
		require.NoError(t, os.WriteFile(p, []byte(strings.Repeat("x", submission.DefaultMaxBytes+1)), 0o644))
		rep, err := gradeFile(context.Background(), l, p, "", Options{}, ReplayLimits{}, fakeReplay)
		require.NoError(t, err)
		assert.Equal(t, "dave", rep.Subject)
		assert.Contains(t, rep.Error, "larger than")
	})
}
