package scenarios

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/labcheck/labcheck/grader"
	"github.com/labcheck/labcheck/grader/report"
)

// classSubmissions are three short submissions, so that grading them
// twice (one run, then three shards) stays under a minute: a student who
// stopped after the joins, one whose only command is refused, and one who
// ran the first two commands of the lab.
var classSubmissions = map[string]string{
	"ana.md":  "../examples/testdata/first-steps.md",
	"ben.txt": corpusDir + "/hostile-bind-root.txt",
	"cat.txt": "",
}

const catSubmission = `student: Cat
[node1] (local) root@192.168.0.8 ~
$ docker run -dt ubuntu sleep infinity
[node1] (local) root@192.168.0.8 ~
$ docker swarm init --advertise-addr $(hostname -i)
`

// TestClassShardsMatchOneRun grades three real submissions in one run,
// then as three shards merged, with the labcheck binary as an instructor
// runs it, and compares what the two wrote: the same gradebook, summary,
// shared evidence and class report; per-student reports the same but for
// timings.
func TestClassShardsMatchOneRun(t *testing.T) {
	requireDocker(t)
	bin := filepath.Join(t.TempDir(), "labcheck")
	out, err := exec.Command("go", "build", "-o", bin, "../cmd/labcheck").CombinedOutput()
	require.NoError(t, err, "go build:\n%s", out)

	class := t.TempDir()
	for name, src := range classSubmissions {
		data := []byte(catSubmission)
		if src != "" {
			data, err = os.ReadFile(src)
			require.NoError(t, err)
		}
		require.NoError(t, os.WriteFile(filepath.Join(class, name), data, 0o644))
	}
	work := t.TempDir()
	labcheck := func(args ...string) {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		defer cancel()
		start := time.Now()
		cmd := exec.CommandContext(ctx, bin, args...)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		t.Logf("labcheck %s (%s, exit %v)\n%s%s", strings.Join(args, " "), time.Since(start).Round(100*time.Millisecond), err, stdout.String(), stderr.String())
		require.NoError(t, err)
	}
	const formats = "json,text,html"
	one := filepath.Join(work, "one")
	labcheck("grade", "-q", "--format", formats, "--out", one, class)
	var shards []string
	for k := 1; k <= 3; k++ {
		dir := filepath.Join(work, fmt.Sprintf("shard-%d", k))
		labcheck("grade", "-q", "--shard", fmt.Sprintf("%d/3", k), "--format", formats, "--out", dir, class)
		shards = append(shards, dir)
	}
	merged := filepath.Join(work, "merged")
	labcheck(append([]string{"merge", "--out", merged}, shards...)...)

	for _, name := range []string{"gradebook.csv", "summary.txt", "similarity.csv", "index.html"} {
		a, err := os.ReadFile(filepath.Join(one, name))
		require.NoError(t, err)
		b, err := os.ReadFile(filepath.Join(merged, name))
		require.NoError(t, err)
		assert.Equal(t, string(a), string(b), "%s: one run and the merged shards differ", name)
	}
	for _, key := range []string{"ana", "ben", "cat"} {
		a, b := readReport(t, filepath.Join(one, key+".json")), readReport(t, filepath.Join(merged, key+".json"))
		assert.Equal(t, verdicts(a), verdicts(b), "%s: the verdicts of one run and of its shard", key)
		for _, ext := range []string{".txt", ".html"} {
			_, err := os.Stat(filepath.Join(merged, key+ext))
			assert.NoError(t, err)
		}
	}
	ana := readReport(t, filepath.Join(merged, "ana.json"))
	assert.Equal(t, 35, ana.Score, "first-steps scores what the examples' tests say")

	m := 0
	for _, dir := range shards {
		ls, err := grader.LoadShard(dir)
		require.NoError(t, err)
		m += len(ls.Manifest.Submissions)
	}
	assert.Equal(t, len(classSubmissions), m, "the shards graded each submission once")
}

func readReport(t *testing.T, path string) *report.Report {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	r, err := report.ReadJSON(f)
	require.NoError(t, err, path)
	return r
}

// verdicts is what a report decides, without its timings.
func verdicts(r *report.Report) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %d/%d completed=%v\n", r.Subject, r.Score, r.MaxScore, r.Completed)
	for _, it := range r.Items {
		fmt.Fprintf(&b, "%s %s %d\n", it.ID, it.Status, it.Awarded)
	}
	for _, s := range r.Steps {
		for _, c := range s.Commands {
			fmt.Fprintf(&b, "#%d %s %s\n", c.Index, c.Text, c.Outcome)
		}
	}
	return b.String()
}
