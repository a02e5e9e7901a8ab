package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/labcheck/labcheck/grader"
	"github.com/labcheck/labcheck/grader/lab"
	"github.com/labcheck/labcheck/grader/report"
	"github.com/labcheck/labcheck/harness"
)

// commonOptions are the flags every command that starts clusters shares.
type commonOptions struct {
	lab       string
	format    string
	quiet     bool
	verbose   bool
	nodeImage string
	minScore  int
}

func (o *commonOptions) addFlags(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringVar(&o.lab, "lab", "orchestration", "embedded lab name or path to a lab YAML file (see `labcheck labs`)")
	f.StringVar(&o.format, "format", "text", "report format: "+strings.Join(report.Formats(), ", "))
	f.BoolVarP(&o.quiet, "quiet", "q", false, "no progress output")
	f.BoolVarP(&o.verbose, "verbose", "v", false, "list every command in text reports")
	f.StringVar(&o.nodeImage, "node-image", harness.DefaultNodeImage, "dind image for the nodes (built from Debian packages when missing; e.g. docker:dind where the engine can pull)")
	f.IntVar(&o.minScore, "min-score", -1, "exit with status 3 when the score is below this (for CI gates)")
}

func (o *commonOptions) validate() error {
	for _, f := range strings.Split(o.format, ",") {
		if !validFormat(f) {
			return &exitError{code: 2, msg: fmt.Sprintf("unknown --format %q (known: %s)", f, strings.Join(report.Formats(), ", "))}
		}
	}
	return nil
}

func validFormat(f string) bool {
	for _, k := range report.Formats() {
		if f == k {
			return true
		}
	}
	return false
}

func (o *commonOptions) loadLab() (*lab.Lab, error) {
	l, err := lab.Get(o.lab)
	if err != nil {
		return nil, &exitError{code: 2, msg: err.Error()}
	}
	return l, nil
}

func (o *commonOptions) engineOptions(progress grader.Progress, logf func(string, ...any)) grader.Options {
	return grader.Options{
		Version:  version(),
		Progress: progress,
		Cluster: []harness.Option{
			harness.WithNodeImage(o.nodeImage),
			harness.WithLogf(logf),
		},
	}
}

type runOptions struct {
	commonOptions
	out string
}

func newRunCommand() *cobra.Command {
	var opts runOptions
	cmd := &cobra.Command{
		Use:   "run",
		Short: "Run a lab's reference solution on a fresh cluster and grade it",
		Long: `Run starts a fresh cluster, runs the lab's reference steps in the nodes
with the real docker CLI, checks the cluster after every step and prints
the grade report. The shipped labs score 100/100: anything less means the
environment or the lab is broken, and the report says where.

Exit status: 0 when grading completed (whatever the score), 1 when it
could not (no Docker engine, a node failed), 2 on usage errors, 3 when
the score is below --min-score.`,
		Example: `  labcheck run
  labcheck run --lab ha --format md --out report.md`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runRun(cmd, &opts)
		},
	}
	opts.addFlags(cmd)
	cmd.Flags().StringVarP(&opts.out, "out", "o", "", "write the report to this file instead of standard output")
	return cmd
}

func runRun(cmd *cobra.Command, opts *runOptions) error {
	if err := opts.validate(); err != nil {
		return err
	}
	l, err := opts.loadLab()
	if err != nil {
		return err
	}
	progress, logf := newProgress(cmd.ErrOrStderr(), opts.quiet)
	progress.Phase(fmt.Sprintf("lab %s: %s", l.Name, l.Title))
	rep, runErr := grader.RunReference(cmd.Context(), l, opts.engineOptions(progress, logf))
	progress.Done()
	if rep != nil {
		if err := writeReports(cmd.OutOrStdout(), opts.out, opts.format, rep, opts.verbose); err != nil {
			return err
		}
	}
	if runErr != nil {
		return runErr
	}
	return checkMinScore(rep, opts.minScore)
}

func checkMinScore(rep *report.Report, min int) error {
	if min >= 0 && rep.Score < min {
		return &exitError{code: 3, msg: fmt.Sprintf("score %d/%d is below --min-score %d", rep.Score, rep.MaxScore, min)}
	}
	return nil
}

// writeReports writes one report in each of the comma-separated formats:
// to w when out is empty (text goes there only once), else to out.
func writeReports(w io.Writer, out, formats string, rep *report.Report, verbose bool) error {
	for _, f := range strings.Split(formats, ",") {
		dst := w
		var file *os.File
		if out != "" {
			path := out
			if strings.Contains(formats, ",") {
				path = strings.TrimSuffix(out, ext(out)) + report.FileExt(f)
			}
			var err error
			if file, err = os.Create(path); err != nil {
				return err
			}
			dst = file
		}
		err := report.Write(dst, f, rep, report.TextOptions{Color: out == "" && isTerminal(w), Verbose: verbose})
		if file != nil {
			if cerr := file.Close(); err == nil {
				err = cerr
			}
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func ext(path string) string {
	if i := strings.LastIndexByte(path, '.'); i > strings.LastIndexByte(path, '/') {
		return path[i:]
	}
	return ""
}
