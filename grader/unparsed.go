package grader

import (
	"time"

	"github.com/labcheck/labcheck/grader/lab"
	"github.com/labcheck/labcheck/grader/report"
)

// Unparsed is the report of a submission that could not be read: every
// item scores 0 with the reason, so the student and the gradebook both
// learn why, and a batch goes on.
func Unparsed(l *lab.Lab, source, student string, err error) *report.Report {
	now := time.Now().UTC()
	rep := &report.Report{
		SchemaVersion: report.SchemaVersion,
		Lab:           report.LabInfo{Name: l.Name, Title: l.Title, Version: l.Version, Source: l.Source},
		Subject:       student,
		Source:        source,
		Mode:          "grade",
		MaxScore:      l.MaxScore(),
		Error:         "the submission could not be read: " + err.Error(),
		StartedAt:     now,
		FinishedAt:    now,
		Environment:   report.Environment{Labcheck: Version},
	}
	for _, it := range l.Rubric {
		when := string(it.When)
		if when == "" {
			when = string(lab.Eventually)
		}
		rep.Items = append(rep.Items, report.Item{
			ID: it.ID, Title: it.Title, Points: it.Points, When: when,
			Status: report.StatusError, Reason: "not graded: the submission could not be read",
		})
	}
	return rep
}
