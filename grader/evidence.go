package grader

import (
	"github.com/labcheck/labcheck/grader/report"
	"github.com/labcheck/labcheck/grader/submission"
)

// evidenceOf carries how a command was read from an image into the report;
// nil for commands read from text.
func evidenceOf(c submission.Command) *report.Evidence {
	e := c.Evidence
	if e == nil {
		return nil
	}
	return &report.Evidence{Image: e.Image, Confidence: e.Confidence, Corrections: append([]string(nil), e.Corrections...),
		CheckByHand: e.CheckByHand, Why: e.Why}
}
