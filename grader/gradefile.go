package grader

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/labcheck/labcheck/grader/lab"
	"github.com/labcheck/labcheck/grader/report"
	"github.com/labcheck/labcheck/grader/submission"
	"github.com/labcheck/labcheck/grader/writeup"
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
	var sub *submission.Submission
	var err error
	fromWriteup := false
	if fi, serr := os.Stat(path); serr == nil && fi.IsDir() {
		// A folder: of screenshots, or a student's checkout with the
		// write-up inside.
		inner, ferr := SubmissionIn(path)
		if ferr != nil {
			return Unparsed(l, opts, path, key, ferr), nil
		}
		if inner != path {
			return gradeFolderDocument(ctx, l, path, inner, format, opts, limits, replay)
		}
		sub, err = writeup.Read(ctx, path, writeupOptions(l, opts))
		fromWriteup = true
	} else if format == "" && writeup.Document(path) {
		// A screenshot, PDF or DOCX is no text: the text limit is not its.
		sub, err = writeup.Read(ctx, path, writeupOptions(l, opts))
		fromWriteup = true
	} else {
		var data []byte
		if data, err = readLimited(path, submission.DefaultMaxBytes); err != nil {
			return Unparsed(l, opts, path, key, err), nil
		}
		if format == "" && writeup.Is(path, data) {
			sub, err = writeup.Read(ctx, path, writeupOptions(l, opts))
			fromWriteup = true
		} else {
			sub, err = submission.Parse(path, data, submission.Options{
				Nodes: l.NodeNames(), Format: format, DefaultNode: l.InitNode(),
			})
		}
	}
	if err != nil {
		rep := Unparsed(l, opts, path, key, err)
		if fromWriteup {
			rep.Environment.Notes = append(rep.Environment.Notes, writeup.LimitsNote())
		}
		return rep, nil
	}
	rep, err := replay(ctx, l, sub, opts, limits)
	if rep != nil {
		identify(rep, sub)
		if fromWriteup {
			// Beside the replay's limits: what reading the images may cost.
			rep.Environment.Notes = append(rep.Environment.Notes, writeup.LimitsNote())
		}
	}
	return rep, err
}

// gradeFolderDocument grades the document found inside a student's
// folder; the report keeps the folder's key and says which file was read.
func gradeFolderDocument(ctx context.Context, l *lab.Lab, folder, doc string, format submission.Format, opts Options, limits ReplayLimits, replay replayFunc) (*report.Report, error) {
	rep, err := gradeFile(ctx, l, doc, format, opts, limits, replay)
	if rep != nil {
		rep.Subject = submission.Key(folder)
		rep.Warnings = append([]string{fmt.Sprintf("submission: graded %s, the write-up found in the folder %s", doc, folder)}, rep.Warnings...)
	}
	return rep, err
}

// writeupOptions reads write-ups for the lab's nodes, installing tesseract
// when it is missing the way labcheck installs its other host packages.
func writeupOptions(l *lab.Lab, opts Options) writeup.Options {
	return writeup.Options{Nodes: l.NodeNames(), DefaultNode: l.InitNode(), Install: true, Logf: func(format string, args ...any) {
		if opts.Progress != nil {
			opts.Progress.Phase(fmt.Sprintf(format, args...))
			return
		}
		fmt.Fprintf(os.Stderr, "labcheck: "+format+"\n", args...)
	}}
}

// identify names a report after where its submission was filed, and keeps
// what the submission claims beside it: a file that says "# student:
// alice" must not take alice's row or overwrite her report.
func identify(rep *report.Report, sub *submission.Submission) {
	rep.Subject, rep.Claimed = sub.Key(), sub.Claimed
}

// readLimited reads a text submission, refusing one over max bytes with
// what a submission is.
func readLimited(path string, max int) ([]byte, error) {
	data, err := submission.ReadLimited(path, max)
	var tl *submission.TooLargeError
	if errors.As(err, &tl) {
		return nil, fmt.Errorf("%s: file is larger than %d bytes: a submission is a transcript, a script or a Markdown report", path, max)
	}
	return data, err
}
