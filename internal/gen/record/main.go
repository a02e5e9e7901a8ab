// Command record runs labcheck on real clusters and saves what happened, so
// that unit tests replay real runs without Docker: each run's calls to the
// cluster (grader/testdata/recorded/NAME.recording.json, fed to the fake
// cluster of the grader's tests) and its report
// (grader/report/testdata/recorded/NAME.json, the input of the report
// writers' golden files). Run it from the repository root when the engine's
// behaviour or the report model changes:
//
//	go run ./internal/gen/record
//
// It needs a Docker engine and labcheck's images (labcheck images build).
package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/labcheck/labcheck/grader"
	"github.com/labcheck/labcheck/grader/lab"
	"github.com/labcheck/labcheck/grader/report"
	"github.com/labcheck/labcheck/harness"
)

const (
	recordings = "grader/testdata/recorded"
	reports    = "grader/report/testdata/recorded"
)

func main() {
	if err := run(context.Background()); err != nil {
		fmt.Fprintln(os.Stderr, "record:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context) error {
	orch, err := lab.Get("orchestration")
	if err != nil {
		return err
	}
	ha, err := lab.Get("ha")
	if err != nil {
		return err
	}
	runs := []struct {
		name string
		do   func(grader.Options) (*report.Report, error)
	}{
		{"reference", func(o grader.Options) (*report.Report, error) { return grader.RunReference(ctx, orch, o) }},
		{"ha", func(o grader.Options) (*report.Report, error) { return grader.RunReference(ctx, ha, o) }},
		{"student", func(o grader.Options) (*report.Report, error) {
			return grader.GradeFile(ctx, orch, "testdata/submissions/typo-fabricated.txt", "", o, grader.ReplayLimits{})
		}},
		{"full-lab-pwd", func(o grader.Options) (*report.Report, error) {
			return grader.GradeFile(ctx, orch, "testdata/submissions/full-lab-pwd.txt", "", o, grader.ReplayLimits{})
		}},
		{"incomplete", func(o grader.Options) (*report.Report, error) {
			// A node image that does not exist: the cluster cannot start.
			o.Cluster = append(o.Cluster, harness.WithNodeImage("labcheck/no-such-node-image:missing"))
			return grader.RunReference(ctx, orch, o)
		}},
	}
	for _, r := range runs {
		rec := &grader.Recording{}
		opts := grader.Options{Version: "record", Start: grader.Record(nil, rec)}
		fmt.Fprintf(os.Stderr, "record: %s ...\n", r.name)
		rep, runErr := r.do(opts)
		if rep == nil {
			return fmt.Errorf("%s: %w", r.name, runErr)
		}
		fmt.Fprintf(os.Stderr, "record: %s: %d/%d, %d calls (run error: %v)\n", r.name, rep.Score, rep.MaxScore, len(rec.Calls), runErr)
		if err := rec.Save(filepath.Join(recordings, r.name+".recording.json")); err != nil {
			return err
		}
		f, err := os.Create(filepath.Join(reports, r.name+".json"))
		if err != nil {
			return err
		}
		if err := report.WriteJSON(f, rep); err != nil {
			f.Close()
			return err
		}
		if err := f.Close(); err != nil {
			return err
		}
	}
	return nil
}
