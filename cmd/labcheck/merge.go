package main

import (
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/labcheck/labcheck/grader"
	"github.com/labcheck/labcheck/grader/report"
	"github.com/labcheck/labcheck/grader/similarity"
)

type mergeOptions struct {
	out     string
	format  string
	verbose bool
}

func newMergeCommand() *cobra.Command {
	var opts mergeOptions
	cmd := &cobra.Command{
		Use:   "merge --out DIR SHARD_DIR...",
		Short: "Put the shards of a class graded with grade --shard back together",
		Long: `Merge reads the --out directories of "labcheck grade --shard K/N" runs
(their shard.json and JSON reports) and writes one class into --out: a
report per student, gradebook.csv, summary.txt, similarity.csv (shared
evidence across the whole class, not only within a shard) and, with
--format html, index.html: the same files one run over every submission
writes, timings aside.

Shards of different labs, lab versions or numbers of shards are refused.
A shard that is missing (K of N not given) or a submission graded by two
shards is reported; the class is still written, and the exit status is 1.

Every shard must have been graded with json among --format: merge reads
those reports.

Exit status: 0 when the class is whole, 1 when a shard is missing or a
submission was graded twice, 2 on usage errors and on shards that do
not belong together.`,
		Example: `  labcheck grade --shard 1/2 --format json,text --out shard-1 submissions/
  labcheck grade --shard 2/2 --format json,text --out shard-2 submissions/
  labcheck merge --out grades/ --format html,text,json shard-1 shard-2`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runMerge(cmd, &opts, args)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&opts.out, "out", "o", "", "directory for the class's reports, gradebook.csv, summary.txt and similarity.csv")
	f.StringVar(&opts.format, "format", "", "report formats per student: "+strings.Join(report.Formats(), ", ")+" (default: the shards')")
	f.BoolVarP(&opts.verbose, "verbose", "v", false, "text reports list every command with its output")
	return cmd
}

func runMerge(cmd *cobra.Command, opts *mergeOptions, dirs []string) error {
	if opts.out == "" {
		return &exitError{code: 2, msg: "name a directory for the class with --out"}
	}
	shards := make([]grader.LoadedShard, 0, len(dirs))
	for _, d := range dirs {
		s, err := grader.LoadShard(d)
		if err != nil {
			return &exitError{code: 2, msg: err.Error()}
		}
		shards = append(shards, s)
	}
	class, err := grader.MergeShards(shards)
	if err != nil {
		return &exitError{code: 2, msg: err.Error()}
	}
	formats := shards[0].Manifest.Formats
	if opts.format != "" {
		formats = strings.Split(opts.format, ",")
	}
	for _, f := range formats {
		if !slices.Contains(report.Formats(), f) {
			return &exitError{code: 2, msg: fmt.Sprintf("unknown --format %q (known: %s)", f, strings.Join(report.Formats(), ", "))}
		}
	}
	if err := os.MkdirAll(opts.out, 0o755); err != nil {
		return err
	}
	if err := writeStudentReports(opts.out, formats, class.Reports, opts.verbose); err != nil {
		return err
	}
	pairs := similarity.Find(class.Evidence, similarity.Options{})
	c := report.Class{Reports: class.Reports, Pairs: pairs, Problems: class.Problems()}
	if err := writeClass(cmd.OutOrStdout(), opts.out, formats, c); err != nil {
		return err
	}
	if !class.Complete() {
		return &exitError{code: 1, msg: "the class is not whole:\n  " + strings.Join(class.Problems(), "\n  ")}
	}
	return nil
}
