package scenarios

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/labcheck/labcheck/grader"
	"github.com/labcheck/labcheck/grader/lab"
	"github.com/labcheck/labcheck/grader/report"
	"github.com/labcheck/labcheck/harness"
)

// expectation is a corpus sidecar: the points a correct grader awards.
type expectation struct {
	Student    string         `yaml:"student"`
	Points     map[string]int `yaml:"points"`
	Rejected   int            `yaml:"rejected"`
	ParseError string         `yaml:"parse_error"`
	Notes      string         `yaml:"notes"`
	Reported   []string       `yaml:"reported"`
}

const corpusDir = "../testdata/submissions"

// TestCorpus replays every submission of testdata/submissions on a fresh
// cluster and asserts the exact points per rubric item and the number of
// commands the policy rejected. It covers the mutated reference solutions
// (drain skipped, 6 replicas, node3 never joined, no cleanup) and the
// hostile corpus.
func TestCorpus(t *testing.T) {
	requireDocker(t)
	l, err := lab.Get("orchestration")
	require.NoError(t, err)
	files := corpusFiles(t)
	require.GreaterOrEqual(t, len(files), 15, "the corpus holds at least 15 submissions")
	pwned := "/tmp/labcheck-pwned"
	_ = os.Remove(pwned)

	for _, path := range files {
		name := filepath.Base(path)
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			want := readExpectation(t, path)
			rep, err := grader.GradeFile(context.Background(), l, path, "", grader.Options{
				Cluster: []harness.Option{harness.WithLogf(t.Logf)},
			}, grader.ReplayLimits{})
			require.NoError(t, err, "the replay completes")
			if want.ParseError != "" {
				assert.False(t, rep.Completed)
				assert.Contains(t, rep.Error, want.ParseError)
				assert.Zero(t, rep.Score)
				return
			}
			require.True(t, rep.Completed, rep.Error)
			got := map[string]int{}
			for _, it := range rep.Items {
				got[it.ID] = it.Awarded
			}
			assert.Equal(t, want.Points, got, "points per item (%s)\n%s", want.Notes, itemReasons(rep))
			assert.Equal(t, want.Rejected, countOutcome(rep, report.OutcomeRejected), "commands rejected by the policy\n%s", rejected(rep))
			said := reportedText(rep)
			for _, phrase := range want.Reported {
				assert.Contains(t, said, phrase, "the report says what limit was hit")
			}
		})
	}
	t.Cleanup(func() {
		_, err := os.Stat(pwned)
		assert.True(t, os.IsNotExist(err), "a submission wrote %s on the host", pwned)
		assertNothingLeft(t)
	})
}

func corpusFiles(t *testing.T) []string {
	entries, err := os.ReadDir(corpusDir)
	require.NoError(t, err)
	var files []string
	for _, e := range entries {
		n := e.Name()
		if e.IsDir() || strings.HasSuffix(n, ".expected.yaml") || strings.HasPrefix(n, ".") || n == "README.md" {
			continue
		}
		if _, err := os.Stat(filepath.Join(corpusDir, sidecarName(n))); err != nil {
			continue
		}
		files = append(files, filepath.Join(corpusDir, n))
	}
	sort.Strings(files)
	return files
}

func sidecarName(file string) string {
	return strings.TrimSuffix(file, filepath.Ext(file)) + ".expected.yaml"
}

func readExpectation(t *testing.T, path string) expectation {
	data, err := os.ReadFile(filepath.Join(filepath.Dir(path), sidecarName(filepath.Base(path))))
	require.NoError(t, err)
	var e expectation
	require.NoError(t, yaml.Unmarshal(data, &e))
	return e
}

func countOutcome(rep *report.Report, outcome report.Outcome) int {
	n := 0
	for _, s := range rep.Steps {
		for _, c := range s.Commands {
			if c.Outcome == outcome {
				n++
			}
		}
	}
	return n
}

func rejected(rep *report.Report) string {
	var b strings.Builder
	for _, s := range rep.Steps {
		for _, c := range s.Commands {
			if c.Outcome == report.OutcomeRejected {
				b.WriteString("  line " + strconv.Itoa(c.Line) + ": " + c.Text + " -> " + c.Reason + "\n")
			}
		}
	}
	return b.String()
}

func itemReasons(rep *report.Report) string {
	var b strings.Builder
	for _, it := range rep.Items {
		b.WriteString("  " + it.ID + " " + string(it.Status) + ": " + it.Reason + "\n")
	}
	for _, w := range rep.Warnings {
		b.WriteString("  warning: " + w + "\n")
	}
	return b.String()
}

// reportedText is every command reason and warning of a report.
// reportedText is everything the report tells its reader: the verbose
// text rendering (reasons, warnings, notes, check-by-hand, environment).
func reportedText(rep *report.Report) string {
	var b strings.Builder
	if err := report.WriteText(&b, rep, report.TextOptions{Verbose: true}); err != nil {
		return err.Error()
	}
	return b.String()
}
