package scenarios

import (
	"context"
	"os"
	"os/exec"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/labcheck/labcheck/grader"
	"github.com/labcheck/labcheck/grader/lab"
	"github.com/labcheck/labcheck/grader/report"
	"github.com/labcheck/labcheck/harness"
)

// TestWriteupScoresAsItsText grades each screenshot write-up of
// testdata/writeups (rendered by internal/gen/screenshots from a corpus
// transcript) on a real swarm, and its text version on another: a student
// who handed in screenshots gets the points of the same session typed out.
func TestWriteupScoresAsItsText(t *testing.T) {
	requireDocker(t)
	requireTool(t, "tesseract", "tesseract-ocr")
	l, err := lab.Get("orchestration")
	require.NoError(t, err)
	pairs := []struct {
		writeup, text string
		// textOnly: the document's commands are text, not screenshots.
		textOnly bool
	}{
		// The student's checkout: labcheck finds minggu_12/penjelasan.md.
		{"../testdata/writeups/andi-pwd", "../testdata/submissions/full-lab-pwd.txt", false},
		{"../testdata/writeups/priya-drain/week12/README.md", "../testdata/submissions/drain-by-id.txt", false},
		// The same write-up printed to PDF (internal/gen/documents).
		{"../testdata/writeups/documents/priya-drain.pdf", "../testdata/submissions/drain-by-id.txt", false},
		// ... and saved as DOCX: its screenshots are inline images.
		{"../testdata/writeups/documents/priya-drain.docx", "../testdata/submissions/drain-by-id.txt", false},
		// A DOCX whose commands are text in code-styled paragraphs.
		{"../testdata/writeups/documents/drain-by-hostname.docx", "../testdata/submissions/drain-by-hostname.md", true},
	}
	for _, p := range pairs {
		t.Run(p.writeup, func(t *testing.T) {
			t.Parallel()
			opts := grader.Options{Cluster: []harness.Option{harness.WithLogf(t.Logf)}}
			text, err := grader.GradeFile(context.Background(), l, p.text, "", opts, grader.ReplayLimits{})
			require.NoError(t, err)
			shots, err := grader.GradeFile(context.Background(), l, p.writeup, "", opts, grader.ReplayLimits{})
			require.NoError(t, err)
			require.True(t, shots.Completed, shots.Error)
			assert.Equal(t, points(text), points(shots), "the screenshots score as the text\n%s", itemReasons(shots))
			read := 0
			for _, s := range shots.Steps {
				for _, c := range s.Commands {
					if c.Evidence != nil {
						read++
					}
				}
			}
			if p.textOnly {
				assert.Zero(t, read, "commands typed as text carry no image evidence")
			} else {
				assert.Positive(t, read, "the commands came from the images, each with its evidence")
			}
		})
	}
}

func points(rep *report.Report) map[string]int {
	out := map[string]int{}
	for _, it := range rep.Items {
		out[it.ID] = it.Awarded
	}
	return out
}

// requireTool fails under CI=true when a tool the test needs is missing
// (.ci/run installs it), and skips elsewhere, naming the Debian package.
func requireTool(t testing.TB, tool, pkg string) {
	t.Helper()
	if _, err := exec.LookPath(tool); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI=true and %s is missing: .ci/run installs it (apt-get install %s)", tool, pkg)
		}
		t.Skipf("%s is missing: apt-get install %s", tool, pkg)
	}
}
