package grader

import (
	"github.com/labcheck/labcheck/grader/lab"
	"github.com/labcheck/labcheck/grader/report"
)

// Unparsed is the report of a submission that could not be read: every
// item scores 0 with the reason, so the student and the gradebook both
// learn why, and a batch goes on.
func Unparsed(l *lab.Lab, opts Options, source, subject string, err error) *report.Report {
	return notGraded(l, opts, source, subject, "the submission could not be read: "+err.Error(),
		report.StatusError, "not graded: the submission could not be read")
}

// notGraded is the report of a submission no cluster graded, with why on
// the report and reason on every item: the gradebook still gets its row,
// and an instructor sees the student was not forgotten.
func notGraded(l *lab.Lab, opts Options, source, subject, why string, status report.Status, reason string) *report.Report {
	opts.defaults()
	rep := newReport(l, opts.Version, subject, "grade")
	rep.Source = source
	rep.Error = why
	rep.FinishedAt = rep.StartedAt
	for _, it := range l.Rubric {
		when := string(it.When)
		if when == "" {
			when = string(lab.Eventually)
		}
		rep.Items = append(rep.Items, report.Item{
			ID: it.ID, Title: it.Title, Points: it.Points, When: when,
			Status: status, Reason: reason,
		})
	}
	return rep
}
