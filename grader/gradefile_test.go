package grader

import (
	"context"
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/labcheck/labcheck/grader/lab"
	"github.com/labcheck/labcheck/grader/report"
	"github.com/labcheck/labcheck/grader/submission"
	"github.com/labcheck/labcheck/grader/writeup"
)

// TestGradeFileReadsDocuments: a PDF is read as a write-up (not refused as
// an oversized or binary text), and the report's environment states the
// write-up limits beside the replay's, graded or not.
func TestGradeFileReadsDocuments(t *testing.T) {
	for _, tool := range []string{"pdfinfo", "pdftotext", "pdfimages", "pdftoppm"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%v", writeup.ErrNoPoppler)
		}
	}
	l, err := lab.Get("orchestration")
	require.NoError(t, err)
	var got *submission.Submission
	fake := func(_ context.Context, l *lab.Lab, sub *submission.Submission, o Options, _ ReplayLimits) (*report.Report, error) {
		got = sub
		return newReport(l, o.Version, sub.Key(), "grade"), nil
	}
	rep, err := gradeFile(context.Background(), l, "../testdata/writeups/documents/drain-by-hostname.pdf", "", Options{}, ReplayLimits{}, fake)
	require.NoError(t, err)
	require.NotNil(t, got)
	assert.Equal(t, writeup.FormatWriteup, got.Format)
	assert.Equal(t, "docker run -dt ubuntu sleep infinity", got.Commands[0].Text)
	assert.Contains(t, strings.Join(rep.Environment.Notes, "\n"), "write-up limits: ")

	rep, err = gradeFile(context.Background(), l, "../testdata/submissions/bad-500-pages.pdf", "", Options{}, ReplayLimits{}, fake)
	require.NoError(t, err)
	assert.Contains(t, rep.Error, "the PDF has 500 pages, more than the 50 read")
	assert.Contains(t, strings.Join(rep.Environment.Notes, "\n"), "50 PDF pages")
}
