package scenarios

import (
	"context"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/labcheck/labcheck/grader"
	"github.com/labcheck/labcheck/grader/lab"
	"github.com/labcheck/labcheck/grader/report"
)

// concurrencyFiles are corpus submissions whose workers join one after
// another and leave one after another, in three formats: a Play with
// Docker transcript, a script with node markers, a typescript over ssh.
var concurrencyFiles = []string{"full-lab-pwd.txt", "full-lab-script.sh", "typescript-ssh.log"}

// concurrencyRuns is how often each file is replayed with batching on:
// whichever of a batch's commands finishes first, the grade must not move.
const concurrencyRuns = 20

// TestConcurrentReplayGradesAsSequential replays submissions on real
// swarms with the commands that nothing orders run at once (the workers'
// joins, the workers' leaves), many times over, and compares every grade
// with the sequential replay's: the same points per item and the same
// rejected commands, every time.
func TestConcurrentReplayGradesAsSequential(t *testing.T) {
	requireDocker(t)
	l, err := lab.Get("orchestration")
	require.NoError(t, err)
	t.Cleanup(func() { assertNothingLeft(t) })
	ctx := context.Background()
	jobs := 3

	begin := time.Now()
	var paths []string
	for _, f := range concurrencyFiles {
		paths = append(paths, filepath.Join(corpusDir, f))
	}
	seq, err := grader.GradeBatch(ctx, l, paths, grader.BatchOptions{Jobs: jobs, Options: grader.Options{SequentialReplay: true}})
	require.NoError(t, err)
	seqWall := time.Since(begin)
	want := map[string]gradeOf{}
	for i, r := range seq {
		require.NoError(t, r.Err, r.Path)
		g := gradeFrom(r.Report)
		exp := readExpectation(t, paths[i])
		require.Equal(t, exp.Points, g.points, "%s: the sequential replay grades as the corpus expects\n%s", r.Path, itemReasons(r.Report))
		require.Equal(t, exp.Rejected, g.rejected, "%s: commands rejected", r.Path)
		assert.Empty(t, atOnce(r.Report), "%s: SequentialReplay runs nothing at once", r.Path)
		want[r.Path] = g
	}

	var many []string
	for range concurrencyRuns {
		many = append(many, paths...)
	}
	begin = time.Now()
	res, err := grader.GradeBatch(ctx, l, many, grader.BatchOptions{Jobs: jobs})
	require.NoError(t, err)
	wall := time.Since(begin)
	batches := map[string]int{}
	for _, r := range res {
		require.NoError(t, r.Err, r.Path)
		require.True(t, r.Report.Completed, "%s: %s", r.Path, r.Report.Error)
		g := gradeFrom(r.Report)
		assert.Equal(t, want[r.Path].points, g.points, "%s (%s): points per item as in the sequential replay\n%s", r.Path, r.Key, itemReasons(r.Report))
		assert.Equal(t, want[r.Path].rejected, g.rejected, "%s (%s): commands rejected", r.Path, r.Key)
		notes := atOnce(r.Report)
		assert.NotEmpty(t, notes, "%s (%s): some commands ran at once", r.Path, r.Key)
		for _, n := range notes {
			batches[filepath.Base(r.Path)+": "+n[:strings.Index(n, " ran at once")]]++
		}
	}
	var said []string
	for k := range batches {
		said = append(said, k)
	}
	sort.Strings(said)
	for _, k := range said {
		fmt.Printf("  %s ran at once in %d of %d replays\n", k, batches[k], concurrencyRuns)
	}
	fmt.Printf("concurrent replay: %d files x %d runs at %d jobs in %.1fs (%.2fs per replay); the sequential replay of the %d files took %.1fs (%.2fs per replay)\n",
		len(paths), concurrencyRuns, jobs, wall.Seconds(), wall.Seconds()/float64(len(many)), len(paths), seqWall.Seconds(), seqWall.Seconds()/float64(len(paths)))
}

// gradeOf is what must not change between a sequential and a concurrent
// replay.
type gradeOf struct {
	points   map[string]int
	rejected int
}

func gradeFrom(rep *report.Report) gradeOf {
	g := gradeOf{points: map[string]int{}, rejected: countOutcome(rep, report.OutcomeRejected)}
	for _, it := range rep.Items {
		g.points[it.ID] = it.Awarded
	}
	return g
}

// atOnce is the report's notes on commands run at once.
func atOnce(rep *report.Report) []string {
	var out []string
	for _, n := range rep.Environment.Notes {
		if strings.Contains(n, " ran at once: ") {
			out = append(out, n)
		}
	}
	return out
}
