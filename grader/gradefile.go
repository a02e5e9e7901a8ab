package grader

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/labcheck/labcheck/grader/lab"
	"github.com/labcheck/labcheck/grader/report"
	"github.com/labcheck/labcheck/grader/submission"
)

// GradeFile reads, parses and replays one submission file. A file that
// cannot be read or parsed is the student's problem, not the run's: it
// gets a report that says why, scoring 0, and no error. The error is for
// replays that could not complete (the cluster failed).
func GradeFile(ctx context.Context, l *lab.Lab, path string, format submission.Format, opts Options, limits ReplayLimits) (*report.Report, error) {
	student := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	data, err := readLimited(path, submission.DefaultMaxBytes)
	if err != nil {
		return Unparsed(l, path, student, err), nil
	}
	sub, err := submission.Parse(path, data, submission.Options{
		Nodes: l.NodeNames(), Format: format, DefaultNode: l.InitNode(),
	})
	if err != nil {
		return Unparsed(l, path, student, err), nil
	}
	return Grade(ctx, l, sub, opts, limits)
}

// readLimited reads at most max bytes and refuses a larger file without
// reading it whole.
func readLimited(path string, max int) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, int64(max)+1))
	if err != nil {
		return nil, err
	}
	if len(data) > max {
		return nil, fmt.Errorf("%s: file is larger than %d bytes: a submission is a transcript, a script or a Markdown report", path, max)
	}
	return data, nil
}
