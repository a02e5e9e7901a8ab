package grader

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/labcheck/labcheck/grader/lab"
	"github.com/labcheck/labcheck/grader/report"
	"github.com/labcheck/labcheck/grader/submission"
)

// GradeFile reads, parses and replays one submission file. A file that
// cannot be read or parsed is the student's problem, not the run's: it
// gets a report that says why, scoring 0, and no error. The error is for
// replays that could not complete (the cluster failed).
//
// The report's Subject is the file's key (submission.Key), whatever the
// file claims; the claim is kept in Claimed.
func GradeFile(ctx context.Context, l *lab.Lab, path string, format submission.Format, opts Options, limits ReplayLimits) (*report.Report, error) {
	return gradeFile(ctx, l, path, format, opts, limits, Grade)
}

// replayFunc is Grade's signature; tests pass a fake to read and parse a
// file without a cluster.
type replayFunc func(context.Context, *lab.Lab, *submission.Submission, Options, ReplayLimits) (*report.Report, error)

func gradeFile(ctx context.Context, l *lab.Lab, path string, format submission.Format, opts Options, limits ReplayLimits, replay replayFunc) (*report.Report, error) {
	key := submission.Key(path)
	data, err := readLimited(path, submission.DefaultMaxBytes)
	if err != nil {
		return Unparsed(l, opts, path, key, err), nil
	}
	sub, err := submission.Parse(path, data, submission.Options{
		Nodes: l.NodeNames(), Format: format, DefaultNode: l.InitNode(),
	})
	if err != nil {
		return Unparsed(l, opts, path, key, err), nil
	}
	rep, err := replay(ctx, l, sub, opts, limits)
	if rep != nil {
		identify(rep, sub)
	}
	return rep, err
}

// identify names a report after where its submission was filed, and keeps
// what the submission claims beside it: a file that says "# student:
// alice" must not take alice's row or overwrite her report.
func identify(rep *report.Report, sub *submission.Submission) {
	rep.Subject, rep.Claimed = sub.Key(), sub.Claimed
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
