package grader

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/labcheck/labcheck/grader/lab"
	"github.com/labcheck/labcheck/grader/report"
	"github.com/labcheck/labcheck/grader/submission"
)

// DefaultJobs is how many submissions grade at once by default: two per
// core. A replay is CPU-bound while its nodes start and its tasks start,
// and idle while the swarm waits out its own delays (a stopping task's
// 1 s, a worker's leave), which other replays fill. Measured on a 2-core
// machine over 12 corpus-like submissions (the same scores every time):
// 7.7 s per submission with 2 jobs, 6.8 with 3, 6.3 with 4, 6.7 with 5,
// 6.4 with 6; a warm cluster started ahead gained nothing (6.5 s at 3
// jobs, 6.7 at 4).
func DefaultJobs() int { return 2 * runtime.NumCPU() }

// BatchOptions configure GradeBatch.
type BatchOptions struct {
	// Jobs is how many submissions grade at once; below 1 means 1.
	Jobs int
	// Warm is how many clusters start ahead of the submissions that will
	// take them (a warm pool); 0 means defaultWarmClusters, below 0 none.
	Warm int
	// Format, Options and Limits are passed to every file's grading.
	Format  submission.Format
	Options Options
	Limits  ReplayLimits
	// Reserved are keys no submission may take, because the caller writes
	// files of its own under them (the CLI's gradebook.csv and summary.txt).
	Reserved []string
	// OnDone hears about every file exactly once: as it finishes, and for
	// the files an interrupted batch never started, after the others. i is
	// the file's index in files. Calls never overlap, so it needs no lock.
	OnDone func(i int, r BatchResult)
	// GradeFile grades one file; nil means the package's GradeFile. Tests
	// replace it to exercise the batch without a cluster.
	GradeFile func(ctx context.Context, l *lab.Lab, path string, format submission.Format, opts Options, limits ReplayLimits) (*report.Report, error)
}

// BatchResult is one file of a batch.
type BatchResult struct {
	Path string
	// Key names the file in the batch, unique in it: the report's Subject,
	// its gradebook row and the base name of its report files.
	Key string
	// Report is never nil: a file that could not be graded has a report
	// that says why, so the gradebook has a row for every student.
	Report *report.Report
	// Err is set when grading could not complete (the cluster failed, the
	// batch was interrupted); Report says so too.
	Err      error
	Duration time.Duration
}

// notStartedReason is what a file the batch never started says on every
// item.
const notStartedReason = "not graded: interrupted"

// GradeBatch grades files, at most opts.Jobs at once, and returns their
// results in the order of files. A broken submission never stops the
// batch: a file that cannot be read or parsed gets a report that says so,
// and one whose cluster fails is a result with Err. Once ctx is done no
// further file starts; those not started are results that say "not graded:
// interrupted", and the error says how many there were.
func GradeBatch(ctx context.Context, l *lab.Lab, files []string, opts BatchOptions) ([]BatchResult, error) {
	if l == nil {
		return nil, errors.New("grade batch: no lab")
	}
	grade := opts.GradeFile
	if grade == nil {
		grade = GradeFile
	}
	keys := batchKeys(files, opts.Reserved)
	results := make([]BatchResult, len(files))
	started := make([]bool, len(files))

	var mu sync.Mutex
	finish := func(i int, r BatchResult) {
		mu.Lock()
		defer mu.Unlock()
		results[i] = r
		if opts.OnDone != nil {
			opts.OnDone(i, r)
		}
	}

	// The clusters are pipelined: later submissions' clusters start while
	// earlier ones replay, and removal runs in the background; every one
	// is gone before GradeBatch returns.
	jobs := max(opts.Jobs, 1)
	start := opts.Options.Start
	if start == nil {
		start = StartHarness
	}
	warm := opts.Warm
	if warm == 0 {
		warm = defaultWarmClusters
	}
	pool := newClusterPool(ctx, start, max(warm, 0), len(files))
	fileOpts := opts
	fileOpts.Options.Start = pool.Start

	var g errgroup.Group
	g.SetLimit(jobs)
	for i, path := range files {
		if ctx.Err() != nil {
			break
		}
		// Go waits for a free slot; ctx may end meanwhile, so the file
		// checks again before it starts.
		g.Go(func() error {
			if ctx.Err() != nil {
				return nil
			}
			started[i] = true
			pool.starting()
			finish(i, gradeBatchFile(ctx, l, path, keys[i], grade, fileOpts))
			return nil
		})
	}
	// Every file's trouble is in its result; no goroutine returns an error.
	_ = g.Wait()
	removeErr := pool.drain()

	notStarted := 0
	for i, path := range files {
		if started[i] {
			continue
		}
		notStarted++
		cause := context.Cause(ctx)
		rep := notGraded(l, opts.Options, path, keys[i], fmt.Sprintf("%s before this submission started (%v)", notStartedReason, cause),
			report.StatusSkipped, notStartedReason)
		finish(i, BatchResult{Path: path, Key: keys[i], Report: rep, Err: fmt.Errorf("%s: %w", notStartedReason, cause)})
	}
	if notStarted > 0 {
		return results, errors.Join(fmt.Errorf("grade batch: interrupted, %d of %d submission(s) not started: %w", notStarted, len(files), context.Cause(ctx)), removeErr)
	}
	if removeErr != nil {
		return results, fmt.Errorf("grade batch: %w", removeErr)
	}
	return results, nil
}

// defaultWarmClusters is how many clusters a batch starts ahead of the
// submissions running unless told: none. The jobs already overlap one
// submission's cluster start with the others' replays, and starting a
// cluster is the CPU-heavy part (three dockerds coming up): on a 2-core
// machine six full-lab submissions at 3 jobs took 10.8-12.6 s each without
// a warm cluster and 12.1-16.7 s with one (runs side by side, same
// scores). Removal still leaves the critical path.
const defaultWarmClusters = 0

// gradeBatchFile grades one file of a batch. A panic is a labcheck bug,
// but one submission that triggers it must not take a whole class's
// grading down with it; the cluster's own cleanup runs as the panic
// unwinds.
func gradeBatchFile(ctx context.Context, l *lab.Lab, path, key string, grade func(context.Context, *lab.Lab, string, submission.Format, Options, ReplayLimits) (*report.Report, error), opts BatchOptions) (r BatchResult) {
	start := time.Now()
	r = BatchResult{Path: path, Key: key}
	defer func() {
		if p := recover(); p != nil {
			r.Err = fmt.Errorf("labcheck failed on this submission (a bug: please report it with the file): %v", p)
			r.Report = notGraded(l, opts.Options, path, key, "not graded: "+r.Err.Error(), report.StatusError, "not graded: labcheck failed on this submission")
			r.Report.Warnings = append(r.Report.Warnings, "labcheck's stack when it failed:\n"+string(debug.Stack()))
		}
		// The batch's key wins over the one file's: it is unique among
		// siblings with the same name.
		r.Report.Subject = key
		r.Duration = time.Since(start)
	}()
	rep, err := grade(ctx, l, path, opts.Format, opts.Options, opts.Limits)
	if rep == nil {
		why := "not graded: grading could not start"
		if err != nil {
			why += ": " + err.Error()
		}
		rep = notGraded(l, opts.Options, path, key, why, report.StatusError, "not graded: grading could not start")
	}
	r.Report, r.Err = rep, err
	return r
}

// batchKeys gives every file its submission.Key, made unique in input
// order: the second "alice" (a/alice.txt and b/alice.txt, or alice.txt and
// alice.md) becomes "alice-2", so no report overwrites another. Keys are
// compared without case, as macOS and Windows compare file names.
func batchKeys(files []string, reserved []string) []string {
	used := map[string]bool{}
	for _, r := range reserved {
		used[strings.ToLower(r)] = true
	}
	keys := make([]string, len(files))
	for i, f := range files {
		base := submission.Key(f)
		k := base
		for n := 2; used[strings.ToLower(k)]; n++ {
			k = base + "-" + strconv.Itoa(n)
		}
		used[strings.ToLower(k)] = true
		keys[i] = k
	}
	return keys
}
