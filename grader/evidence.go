package grader

import (
	"github.com/labcheck/labcheck/grader/report"
	"github.com/labcheck/labcheck/grader/submission"
)

// evidenceOf carries how a command was read from an image into the report;
// nil for commands read from text.
func evidenceOf(c submission.Command) *report.Evidence {
	return nil
}
