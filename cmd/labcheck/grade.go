package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/labcheck/labcheck/grader"
	"github.com/labcheck/labcheck/grader/lab"
	"github.com/labcheck/labcheck/grader/report"
	"github.com/labcheck/labcheck/grader/submission"
)

type gradeOptions struct {
	commonOptions
	out        string
	jobs       int
	subFormat  string
	total      time.Duration
	cmdTimeout time.Duration
	jobSummary bool
}

// defaultJobs is how many submissions grade at once: one more than the
// cores. A replay mostly waits on its swarm, so a third replay fills the
// gaps on a 2-core machine; measured there on six full-lab submissions
// (same scores every time): 16.6 s per submission with 1 job, 11.4 s with
// 2, 9.8 s with 3, and no gain with 4 or 6 (9.5-9.6 s).
func defaultJobs() int {
	return runtime.NumCPU() + 1
}

func newGradeCommand() *cobra.Command {
	var opts gradeOptions
	cmd := &cobra.Command{
		Use:   "grade FILE|DIR...",
		Short: "Replay students' submissions on fresh clusters and grade them",
		Long: `Grade reads each submission (a terminal transcript, a shell script with
"# node: nodeN" markers, or a Markdown report), replays its commands on
the named nodes of a fresh cluster, and grades the cluster after every
command. A directory grades every file in it.

Submissions are untrusted: each command is parsed with a real shell
parser and runs only if it is a docker command without flags that reach
beyond the node (see docs/security.md); a rejected command is shown in
the report with the reason, and grading goes on.

With --out DIR it writes one report per student in each --format, a
gradebook.csv and a summary. A submission that cannot be read or that
crashes its cluster gets a report that says so, and the batch goes on.

Exit status: 0 when every submission was graded (whatever the scores),
1 when one could not be (its cluster failed), 2 on usage errors, 3 when
a score is below --min-score.`,
		Example: `  labcheck grade submission.txt
  labcheck grade --out grades/ --format text,json --jobs 2 submissions/`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runGrade(cmd, &opts, args)
		},
	}
	opts.addFlags(cmd)
	f := cmd.Flags()
	f.StringVarP(&opts.out, "out", "o", "", "directory for per-student reports, gradebook.csv and summary.txt")
	f.IntVarP(&opts.jobs, "jobs", "j", defaultJobs(), "submissions graded at once")
	f.StringVar(&opts.subFormat, "submission-format", "", "force the submission format: transcript, script or markdown (default: detect)")
	f.DurationVar(&opts.total, "replay-timeout", grader.DefaultReplayTotal, "bound on one submission's whole replay")
	f.DurationVar(&opts.cmdTimeout, "command-timeout", grader.DefaultReplayCommandTimeout, "bound on one submitted command")
	f.BoolVar(&opts.jobSummary, "job-summary", true, "append a Markdown summary to $GITHUB_STEP_SUMMARY when it is set")
	return cmd
}

type graded struct {
	path string
	rep  *report.Report
	err  error // the replay could not complete
}

func runGrade(cmd *cobra.Command, opts *gradeOptions, args []string) error {
	if err := opts.validate(); err != nil {
		return err
	}
	switch submission.Format(opts.subFormat) {
	case "", submission.FormatTranscript, submission.FormatScript, submission.FormatMarkdown:
	default:
		return &exitError{code: 2, msg: fmt.Sprintf("unknown --submission-format %q (known: transcript, script, markdown)", opts.subFormat)}
	}
	if opts.jobs < 1 {
		return &exitError{code: 2, msg: "--jobs must be at least 1"}
	}
	l, err := opts.loadLab()
	if err != nil {
		return err
	}
	files, err := submissionFiles(args)
	if err != nil {
		return &exitError{code: 2, msg: err.Error()}
	}
	batch := len(files) > 1 || opts.out != ""
	if batch && opts.out == "" {
		return &exitError{code: 2, msg: fmt.Sprintf("%d submissions: name a directory for their reports with --out", len(files))}
	}
	if opts.out != "" {
		if err := os.MkdirAll(opts.out, 0o755); err != nil {
			return err
		}
	}
	results := gradeAll(cmd, opts, l, files, batch)
	return finishGrade(cmd, opts, results, batch)
}

// submissionFiles expands directories (non-recursive; hidden files, README
// files and the test corpus's *.expected.yaml sidecars left out) and keeps
// files as named.
func submissionFiles(args []string) ([]string, error) {
	var files []string
	for _, a := range args {
		st, err := os.Stat(a)
		if err != nil {
			return nil, fmt.Errorf("submission %s: %w", a, err)
		}
		if !st.IsDir() {
			files = append(files, a)
			continue
		}
		entries, err := os.ReadDir(a)
		if err != nil {
			return nil, err
		}
		n := 0
		for _, e := range entries {
			name := e.Name()
			if e.IsDir() || strings.HasPrefix(name, ".") || strings.HasSuffix(name, ".expected.yaml") ||
				strings.HasPrefix(strings.ToUpper(name), "README") {
				continue
			}
			files = append(files, filepath.Join(a, name))
			n++
		}
		if n == 0 {
			return nil, fmt.Errorf("directory %s holds no submissions", a)
		}
	}
	return files, nil
}

func gradeAll(cmd *cobra.Command, opts *gradeOptions, l *lab.Lab, files []string, batch bool) []graded {
	ctx := cmd.Context()
	results := make([]graded, len(files))
	bp := newBatchProgress(cmd.ErrOrStderr(), len(files), opts.quiet || !batch)
	var wg sync.WaitGroup
	sem := make(chan struct{}, opts.jobs)
	for i, path := range files {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			if ctx.Err() != nil {
				results[i] = graded{path: path, err: ctx.Err()}
				return
			}
			var progress grader.Progress
			var logf func(string, ...any)
			if batch {
				progress, logf = nil, func(string, ...any) {}
			} else {
				p, lf := newProgress(cmd.ErrOrStderr(), opts.quiet)
				progress, logf = p, lf
				defer p.Done()
			}
			start := time.Now()
			rep, err := gradeOne(ctx, opts, l, path, progress, logf)
			results[i] = graded{path: path, rep: rep, err: err}
			bp.done(path, rep, err, time.Since(start))
		}()
	}
	wg.Wait()
	return results
}

// gradeOne reads and replays one submission.
func gradeOne(ctx context.Context, opts *gradeOptions, l *lab.Lab, path string, progress grader.Progress, logf func(string, ...any)) (*report.Report, error) {
	eo := opts.engineOptions(progress, logf)
	eo.CommandTimeout = opts.cmdTimeout
	return grader.GradeFile(ctx, l, path, submission.Format(opts.subFormat), eo, grader.ReplayLimits{Total: opts.total})
}

func finishGrade(cmd *cobra.Command, opts *gradeOptions, results []graded, batch bool) error {
	var reps []*report.Report
	var failed []string
	for _, r := range results {
		if r.rep != nil {
			reps = append(reps, r.rep)
		}
		if r.err != nil {
			failed = append(failed, fmt.Sprintf("%s: %v", r.path, r.err))
		}
	}
	if !batch {
		if len(reps) == 1 {
			if err := writeReports(cmd.OutOrStdout(), "", opts.format, reps[0], opts.verbose); err != nil {
				return err
			}
		}
	} else if err := writeBatch(cmd, opts, reps); err != nil {
		return err
	}
	if err := writeJobSummary(opts, reps, batch); err != nil {
		fmt.Fprintln(cmd.ErrOrStderr(), "labcheck: job summary:", err)
	}
	if cmd.Context().Err() != nil {
		return cmd.Context().Err()
	}
	if len(failed) > 0 {
		return fmt.Errorf("%d submission(s) could not be graded completely:\n  %s", len(failed), strings.Join(failed, "\n  "))
	}
	for _, r := range reps {
		if err := checkMinScore(r, opts.minScore); err != nil {
			return err
		}
	}
	return nil
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

func writeBatch(cmd *cobra.Command, opts *gradeOptions, reps []*report.Report) error {
	used := map[string]int{}
	for _, r := range reps {
		base := unsafeName.ReplaceAllString(r.Subject, "_")
		if base == "" || base == "." || base == ".." {
			base = "submission"
		}
		used[base]++
		if used[base] > 1 {
			base = fmt.Sprintf("%s-%d", base, used[base])
		}
		for _, f := range strings.Split(opts.format, ",") {
			name := base + report.FileExt(f)
			if f == "gradescope" {
				name = base + ".results.json"
			}
			if err := writeFile(filepath.Join(opts.out, name), func(w io.Writer) error {
				return report.Write(w, f, r, report.TextOptions{Verbose: opts.verbose})
			}); err != nil {
				return err
			}
		}
	}
	sorted := append([]*report.Report(nil), reps...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Subject < sorted[j].Subject })
	if err := writeFile(filepath.Join(opts.out, "gradebook.csv"), func(w io.Writer) error { return report.WriteGradebook(w, sorted) }); err != nil {
		return err
	}
	if err := writeFile(filepath.Join(opts.out, "summary.txt"), func(w io.Writer) error { return report.WriteSummary(w, sorted) }); err != nil {
		return err
	}
	out := cmd.OutOrStdout()
	for _, r := range sorted {
		fmt.Fprintf(out, "%-24s %3d/%d%s\n", r.Subject, r.Score, r.MaxScore, incompleteMark(r))
	}
	fmt.Fprintln(out)
	if err := report.WriteSummary(out, sorted); err != nil {
		return err
	}
	fmt.Fprintf(out, "\nreports, gradebook.csv and summary.txt are in %s\n", opts.out)
	return nil
}

func incompleteMark(r *report.Report) string {
	if r.Completed {
		return ""
	}
	return "  (not graded completely: " + firstLineOf(r.Error) + ")"
}

func firstLineOf(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

func writeFile(path string, write func(io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	return f.Close()
}

// writeJobSummary appends Markdown to the GitHub Actions job summary.
func writeJobSummary(opts *gradeOptions, reps []*report.Report, batch bool) error {
	path := os.Getenv("GITHUB_STEP_SUMMARY")
	if !opts.jobSummary || path == "" || len(reps) == 0 {
		return nil
	}
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	var werr error
	if batch {
		fmt.Fprintf(f, "## labcheck: %d submission(s)\n\n```\n", len(reps))
		werr = report.WriteSummary(f, reps)
		fmt.Fprint(f, "```\n")
	} else {
		werr = report.WriteMarkdown(f, reps[0])
	}
	return errors.Join(werr, f.Close())
}

// batchProgress prints one line per finished submission with done/total
// and an ETA; silent for a single submission, which has its own progress.
type batchProgress struct {
	w     io.Writer
	total int
	quiet bool
	start time.Time
	mu    sync.Mutex
	n     int
}

func newBatchProgress(w io.Writer, total int, quiet bool) *batchProgress {
	return &batchProgress{w: w, total: total, quiet: quiet, start: time.Now()}
}

func (b *batchProgress) done(path string, rep *report.Report, err error, took time.Duration) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.n++
	if b.quiet {
		return
	}
	status := "error"
	if rep != nil {
		status = fmt.Sprintf("%d/%d", rep.Score, rep.MaxScore)
		if !rep.Completed {
			status += " (incomplete)"
		}
	}
	if err != nil {
		status += ": " + firstLineOf(err.Error())
	}
	eta := ""
	if b.n < b.total {
		per := time.Since(b.start) / time.Duration(b.n)
		eta = fmt.Sprintf(", ETA %s", (per * time.Duration(b.total-b.n)).Round(time.Second))
	}
	fmt.Fprintf(b.w, "[%d/%d%s] %s: %s (%s)\n", b.n, b.total, eta, filepath.Base(path), status, took.Round(100*time.Millisecond))
}
