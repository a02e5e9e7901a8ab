package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/labcheck/labcheck/grader"
	"github.com/labcheck/labcheck/grader/lab"
	"github.com/labcheck/labcheck/grader/report"
	"github.com/labcheck/labcheck/grader/similarity"
	"github.com/labcheck/labcheck/grader/submission"
	"github.com/labcheck/labcheck/grader/writeup"
	"github.com/labcheck/labcheck/harness"
)

type gradeOptions struct {
	commonOptions
	out        string
	jobs       int
	subFormat  string
	total      time.Duration
	cmdTimeout time.Duration
	jobSummary bool
	shard      string
	// loaded is the lab graded against, once runGrade has read it: its
	// text is what shared-evidence detection leaves out.
	loaded *lab.Lab
}

// defaultJobs is how many submissions grade at once: see grader.DefaultJobs.
func defaultJobs() int { return grader.DefaultJobs() }

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
Reports and gradebook rows are named after each submission's file name,
never after a name the file claims ("# student: ..."), which is shown
beside it; files with the same name become alice, alice-2, ... in the
order given.

With --shard K/N it grades only the K-th of N parts of the submissions
(by a hash of each file's name, so a re-run grades the same files) and
writes a shard.json manifest beside the reports; run one shard per CI
runner and put them together with labcheck merge (see docs/class.md).

A batch also compares the submissions with each other: pairs that share
values only one swarm produces (join tokens, node, service, task and
container IDs) or near-identical transcripts are listed in summary.txt
and similarity.csv, as evidence for the instructor; no score depends on
them. --format html adds index.html, the class report, and a page per
student.

Exit status: 0 when every submission was graded (whatever the scores),
1 when one could not be (its cluster failed), 2 on usage errors, 3 when
a score is below --min-score.`,
		Example: `  labcheck grade submission.txt
  labcheck grade --out grades/ --format html,text submissions/
  labcheck grade --shard 2/4 --out shard-2/ --format json,text submissions/`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runGrade(cmd, &opts, args)
		},
	}
	opts.addFlags(cmd)
	f := cmd.Flags()
	f.StringVarP(&opts.out, "out", "o", "", "directory for per-student reports, gradebook.csv and summary.txt")
	f.IntVarP(&opts.jobs, "jobs", "j", defaultJobs(), "submissions graded at once")
	f.StringVar(&opts.subFormat, "submission-format", "", "force the submission format: transcript, script, markdown, history, typescript or asciinema (default: detect)")
	f.DurationVar(&opts.total, "replay-timeout", grader.DefaultReplayTotal, "bound on one submission's whole replay")
	f.DurationVar(&opts.cmdTimeout, "command-timeout", harness.CommandTimeout, "bound on one submitted command")
	f.BoolVar(&opts.jobSummary, "job-summary", true, "append a Markdown summary to $GITHUB_STEP_SUMMARY when it is set")
	f.StringVar(&opts.shard, "shard", "", "grade only part K of N of the submissions, e.g. 2/4 (needs --out; combine the parts with labcheck merge)")
	return cmd
}

func runGrade(cmd *cobra.Command, opts *gradeOptions, args []string) error {
	if err := opts.validate(); err != nil {
		return err
	}
	switch submission.Format(opts.subFormat) {
	case "", submission.FormatTranscript, submission.FormatScript, submission.FormatMarkdown,
		submission.FormatHistory, submission.FormatTypescript, submission.FormatCast:
	default:
		return &exitError{code: 2, msg: fmt.Sprintf("unknown --submission-format %q (known: transcript, script, markdown, history, typescript, asciinema)", opts.subFormat)}
	}
	if opts.jobs < 1 {
		return &exitError{code: 2, msg: "--jobs must be at least 1"}
	}
	var shard grader.Shard
	if opts.shard != "" {
		var err error
		if shard, err = grader.ParseShard(opts.shard); err != nil {
			return &exitError{code: 2, msg: "--shard: " + err.Error()}
		}
		if opts.out == "" {
			return &exitError{code: 2, msg: "--shard " + opts.shard + " needs --out DIR: labcheck merge reads the shard's reports from there"}
		}
	}
	l, err := opts.loadLab()
	if err != nil {
		return err
	}
	opts.loaded = l
	files, err := submissionFiles(args)
	if err != nil {
		return &exitError{code: 2, msg: err.Error()}
	}
	if opts.shard != "" {
		all := len(files)
		files = shard.Files(files)
		if !opts.quiet {
			fmt.Fprintf(cmd.ErrOrStderr(), "shard %s: %d of %d submission(s)\n", shard, len(files), all)
		}
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
	results, err := gradeAll(cmd, opts, l, files, batch)
	return finishGrade(cmd, opts, results, batch, err)
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
		// A folder of screenshots is one student's write-up.
		if writeup.Is(a, nil) {
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
			if strings.HasPrefix(name, ".") || strings.HasSuffix(name, ".expected.yaml") ||
				(!e.IsDir() && strings.HasPrefix(strings.ToUpper(name), "README")) {
				continue
			}
			// A sub-folder is one student's: their checkout or their
			// screenshots (grader.SubmissionIn finds the write-up).
			files = append(files, filepath.Join(a, name))
			n++
		}
		if n == 0 {
			return nil, fmt.Errorf("directory %s holds no submissions", a)
		}
	}
	return files, nil
}

// batchFiles are the files writeBatch writes beside the reports; no
// student's key may take their names.
var batchFiles = []string{"gradebook", "summary", "similarity", "index", "shard"}

// gradeAll grades the files through grader.GradeBatch; a single file
// (no --out) gets the live step-by-step progress, a batch one line per
// finished file.
func gradeAll(cmd *cobra.Command, opts *gradeOptions, l *lab.Lab, files []string, batch bool) ([]grader.BatchResult, error) {
	eo := opts.engineOptions(nil, func(string, ...any) {})
	var live *progress
	if !batch {
		p, logf := newProgress(cmd.ErrOrStderr(), opts.quiet)
		eo, live = opts.engineOptions(p, logf), p
	}
	eo.CommandTimeout = opts.cmdTimeout
	var reserved []string
	if batch {
		reserved = batchFiles
	}
	bp := newBatchProgress(cmd.ErrOrStderr(), len(files), opts.quiet || !batch)
	results, err := grader.GradeBatch(cmd.Context(), l, files, grader.BatchOptions{
		Jobs:     opts.jobs,
		Format:   submission.Format(opts.subFormat),
		Options:  eo,
		Limits:   grader.ReplayLimits{Total: opts.total},
		Reserved: reserved,
		OnDone:   func(_ int, r grader.BatchResult) { bp.done(r) },
	})
	if live != nil {
		live.Done()
	}
	return results, err
}

// finishGrade writes the reports and picks the exit status. batchErr is
// GradeBatch's: some files never started.
func finishGrade(cmd *cobra.Command, opts *gradeOptions, results []grader.BatchResult, batch bool, batchErr error) error {
	var reps []*report.Report
	var failed []string
	for _, r := range results {
		reps = append(reps, r.Report)
		if r.Err != nil {
			failed = append(failed, fmt.Sprintf("%s: %v", r.Path, r.Err))
		}
	}
	if !batch {
		if len(reps) == 1 {
			if err := writeReports(cmd.OutOrStdout(), "", opts.format, reps[0], opts.verbose); err != nil {
				return err
			}
		}
	} else if err := writeBatch(cmd.OutOrStdout(), opts, results); err != nil {
		return err
	}
	if err := writeJobSummary(opts, reps, batch); err != nil {
		fmt.Fprintln(cmd.ErrOrStderr(), "labcheck: job summary:", err)
	}
	if batchErr != nil {
		return batchErr
	}
	if err := cmd.Context().Err(); err != nil {
		return err
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

// writeBatch writes each result's reports under its key (unique in the
// batch, never what the file claims), then the class's files: gradebook,
// summary, shared evidence, the class report with --format html, and the
// shard's manifest with --shard.
func writeBatch(out io.Writer, opts *gradeOptions, results []grader.BatchResult) error {
	formats := strings.Split(opts.format, ",")
	reps := make([]*report.Report, 0, len(results))
	for _, r := range results {
		reps = append(reps, r.Report)
	}
	if err := writeStudentReports(opts.out, formats, reps, opts.verbose); err != nil {
		return err
	}
	evidence := submissionEvidence(opts.loaded, results)
	if opts.shard != "" {
		if err := writeManifest(opts, formats, results, evidence); err != nil {
			return err
		}
	}
	pairs := similarity.Find(evidence, similarity.Options{})
	return writeClass(out, opts.out, formats, report.Class{Reports: reps, Pairs: pairs})
}

// writeStudentReports writes every report in every format under its key.
func writeStudentReports(dir string, formats []string, reps []*report.Report, verbose bool) error {
	for _, r := range reps {
		for _, f := range formats {
			name := r.Subject + report.FileExt(f)
			if f == "gradescope" {
				name = r.Subject + ".results.json"
			}
			if err := writeFile(filepath.Join(dir, name), func(w io.Writer) error {
				if f == "html" {
					return report.WriteHTML(w, r, report.HTMLOptions{ClassLink: classPage})
				}
				return report.Write(w, f, r, report.TextOptions{Verbose: verbose})
			}); err != nil {
				return err
			}
		}
	}
	return nil
}

// classPage is the class report's name in a batch's directory.
const classPage = "index.html"

// writeClass writes the files of a whole class, the same whether it was
// graded in one run or merged from shards: gradebook.csv, summary.txt,
// similarity.csv and, with html among formats, index.html; then the
// scores and the summary on out.
func writeClass(out io.Writer, dir string, formats []string, c report.Class) error {
	sorted := append([]*report.Report(nil), c.Reports...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Subject < sorted[j].Subject })
	c.Reports = sorted
	if err := writeFile(filepath.Join(dir, "gradebook.csv"), func(w io.Writer) error { return report.WriteGradebook(w, sorted) }); err != nil {
		return err
	}
	if err := writeFile(filepath.Join(dir, "summary.txt"), func(w io.Writer) error { return report.WriteClassSummary(w, c) }); err != nil {
		return err
	}
	if err := writeFile(filepath.Join(dir, "similarity.csv"), func(w io.Writer) error { return report.WriteSimilarity(w, c.Pairs) }); err != nil {
		return err
	}
	written := "reports, gradebook.csv, summary.txt and similarity.csv"
	if slices.Contains(formats, "html") {
		if err := writeFile(filepath.Join(dir, classPage), func(w io.Writer) error { return report.WriteClassHTML(w, c, true) }); err != nil {
			return err
		}
		written = "reports, " + classPage + " (the class report), gradebook.csv, summary.txt and similarity.csv"
	}
	for _, r := range sorted {
		fmt.Fprintf(out, "%-24s %3d/%d%s\n", subjectWithClaim(r), r.Score, r.MaxScore, incompleteMark(r))
	}
	fmt.Fprintln(out)
	if err := report.WriteClassSummary(out, c); err != nil {
		return err
	}
	fmt.Fprintf(out, "\n%s are in %s\n", written, dir)
	return nil
}

// submissionEvidence reads every submission's file for shared-evidence
// detection, leaving out the lab's own text. A file that cannot be read
// has a report that says so and nothing to compare.
func submissionEvidence(l *lab.Lab, results []grader.BatchResult) []similarity.Profile {
	var opts similarity.Options
	if l != nil {
		opts.Base = []string{similarity.BaseFromLab(l)}
	}
	p := similarity.NewProfiler(opts)
	var out []similarity.Profile
	for _, r := range results {
		data, err := os.ReadFile(r.Path)
		if err != nil {
			continue
		}
		out = append(out, p.Profile(r.Key, r.Path, data))
	}
	return out
}

// writeManifest writes shard.json: what labcheck merge needs to check the
// shard belongs with the others and to read it.
func writeManifest(opts *gradeOptions, formats []string, results []grader.BatchResult, evidence []similarity.Profile) error {
	sh, err := grader.ParseShard(opts.shard)
	if err != nil {
		return err
	}
	m := grader.Manifest{
		Shard: sh.String(), K: sh.K, N: sh.N, Labcheck: version(), Formats: formats, Evidence: evidence,
	}
	if opts.loaded != nil {
		m.Lab = grader.ManifestLab{Name: opts.loaded.Name, Version: opts.loaded.Version}
	}
	for _, r := range results {
		m.Submissions = append(m.Submissions, grader.ManifestEntry{Key: r.Key, Source: r.Path})
	}
	return writeFile(filepath.Join(opts.out, grader.ManifestFile), func(w io.Writer) error { return grader.WriteManifest(w, m) })
}

// subjectWithClaim is "bob (claims: alice)": the instructor sees a claim
// that differs from where the file was filed.
func subjectWithClaim(r *report.Report) string {
	if r.Claimed == "" || r.Claimed == r.Subject {
		return r.Subject
	}
	return r.Subject + " (claims: " + r.Claimed + ")"
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

func (b *batchProgress) done(r grader.BatchResult) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.n++
	if b.quiet {
		return
	}
	rep := r.Report
	status := fmt.Sprintf("%d/%d", rep.Score, rep.MaxScore)
	if !rep.Completed {
		status += " (incomplete)"
	}
	if r.Err != nil {
		status += ": " + firstLineOf(r.Err.Error())
	}
	eta := ""
	if b.n < b.total {
		per := time.Since(b.start) / time.Duration(b.n)
		eta = fmt.Sprintf(", ETA %s", (per * time.Duration(b.total-b.n)).Round(time.Second))
	}
	fmt.Fprintf(b.w, "[%d/%d%s] %s: %s (%s)\n", b.n, b.total, eta, filepath.Base(r.Path), status, r.Duration.Round(100*time.Millisecond))
}
