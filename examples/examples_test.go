// Package examples_test keeps the classroom and Gradescope examples honest:
// it runs their scripts the way GitHub Classroom and Gradescope would, on
// real clusters, and checks what an instructor's gradebook would receive.
package examples_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/goccy/go-yaml"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/labcheck/labcheck/grader/lab"
	"github.com/labcheck/labcheck/harness"
)

// firstSteps is a student who stopped after the workers joined: the first
// three rubric items pass, the rest fail.
const firstSteps = "testdata/first-steps.md"

var firstStepsPassed = []string{"standalone", "swarm-init", "workers-joined"}

// scriptTimeout bounds one run of an example script: a cluster start and a
// short replay take seconds; the rest is headroom for slow CI machines.
const scriptTimeout = 5 * time.Minute

// needEngine skips a test that starts clusters where there is no Docker
// engine to start them on, except under CI=true, where it must run.
func needEngine(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("starts real clusters; skipped with -short")
	}
	cli, err := harness.OuterClient(context.Background())
	if err != nil {
		if errors.Is(err, harness.ErrNoEngine) && os.Getenv("CI") != "true" {
			t.Skipf("no Docker engine: %v", err)
		}
		require.NoError(t, err, "the Docker engine")
	}
	require.NoError(t, cli.Close())
}

// needTool skips when a tool the example scripts use is missing, except
// under CI=true: the runners the examples target all have it.
func needTool(t *testing.T, name string) {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is not installed; the examples need it", name)
		}
		t.Skipf("%s is not installed", name)
	}
}

// buildLabcheck builds the CLI from this checkout and returns the
// directory holding it, for PATH.
func buildLabcheck(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	cmd := exec.Command("go", "build", "-o", filepath.Join(dir, "labcheck"), "../cmd/labcheck")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "go build labcheck:\n%s", out)
	return dir
}

func withPath(dir string) string {
	return dir + string(os.PathListSeparator) + os.Getenv("PATH")
}

// runScript runs an example script with env on top of the test's own
// environment and returns its standard output; stderr goes to the log.
func runScript(t *testing.T, dir string, env []string, name string, args ...string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), scriptTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	t.Logf("%s %s (exit %v)\nstdout:\n%s\nstderr:\n%s", name, strings.Join(args, " "), err, stdout.String(), stderr.String())
	return stdout.String(), err
}

func copyFile(t *testing.T, src, dst string) {
	t.Helper()
	data, err := os.ReadFile(src)
	require.NoError(t, err)
	st, err := os.Stat(src)
	require.NoError(t, err)
	require.NoError(t, os.MkdirAll(filepath.Dir(dst), 0o755))
	require.NoError(t, os.WriteFile(dst, data, st.Mode().Perm()))
}

func orchestration(t *testing.T) *lab.Lab {
	t.Helper()
	l, err := lab.Get("orchestration")
	require.NoError(t, err)
	return l
}

func TestScriptsAreValidBash(t *testing.T) {
	for _, path := range []string{"classroom/grade.sh", "gradescope/run_autograder", "gradescope/setup.sh"} {
		t.Run(path, func(t *testing.T) {
			st, err := os.Stat(path)
			require.NoError(t, err)
			assert.NotZero(t, st.Mode().Perm()&0o100, "%s must be executable: Classroom and Gradescope run it by path", path)
			out, err := exec.Command("bash", "-n", path).CombinedOutput()
			assert.NoError(t, err, "bash -n %s:\n%s", path, out)
		})
	}
}

// --- Gradescope -------------------------------------------------------

// gradescopeResults is results.json as Gradescope's autograder
// specification defines it. Decoding with unknown fields disallowed
// catches a misspelt key, which Gradescope would silently ignore.
type gradescopeResults struct {
	Score            *float64         `json:"score"`
	MaxScore         *float64         `json:"max_score"`
	ExecutionTime    *float64         `json:"execution_time"`
	Output           *string          `json:"output"`
	OutputFormat     string           `json:"output_format"`
	TestOutputFormat string           `json:"test_output_format"`
	TestNameFormat   string           `json:"test_name_format"`
	Visibility       string           `json:"visibility"`
	StdoutVisibility string           `json:"stdout_visibility"`
	ExtraData        json.RawMessage  `json:"extra_data"`
	Leaderboard      json.RawMessage  `json:"leaderboard"`
	Tests            []gradescopeTest `json:"tests"`
}

type gradescopeTest struct {
	Score        *float64        `json:"score"`
	MaxScore     *float64        `json:"max_score"`
	Status       string          `json:"status"`
	Name         string          `json:"name"`
	NameFormat   string          `json:"name_format"`
	Number       string          `json:"number"`
	Output       *string         `json:"output"`
	OutputFormat string          `json:"output_format"`
	Tags         []string        `json:"tags"`
	Visibility   string          `json:"visibility"`
	ExtraData    json.RawMessage `json:"extra_data"`
}

var gradescopeVisibility = map[string]bool{"": true, "hidden": true, "after_due_date": true, "after_published": true, "visible": true}

// readGradescope decodes results.json and checks it against the
// specification and against itself: scores within bounds, the total the
// sum of the tests.
func readGradescope(t *testing.T, path string) gradescopeResults {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err, "run_autograder must leave results.json")
	var res gradescopeResults
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	require.NoError(t, dec.Decode(&res), "results.json:\n%s", data)

	require.NotNil(t, res.Score, "score: Gradescope needs the total when tests are not all scored")
	assert.GreaterOrEqual(t, *res.Score, 0.0)
	require.NotNil(t, res.Output, "output: the student's explanation")
	assert.NotEmpty(t, strings.TrimSpace(*res.Output), "output")
	assert.True(t, gradescopeVisibility[res.Visibility], "visibility %q", res.Visibility)
	assert.True(t, gradescopeVisibility[res.StdoutVisibility], "stdout_visibility %q", res.StdoutVisibility)
	if res.ExecutionTime != nil {
		assert.GreaterOrEqual(t, *res.ExecutionTime, 0.0, "execution_time")
	}
	sum, max := 0.0, 0.0
	for i, tc := range res.Tests {
		where := fmt.Sprintf("tests[%d] %q", i, tc.Name)
		assert.NotEmpty(t, tc.Name, "%s: name", where)
		require.NotNil(t, tc.Score, "%s: score", where)
		require.NotNil(t, tc.MaxScore, "%s: max_score", where)
		require.NotNil(t, tc.Output, "%s: output", where)
		assert.Contains(t, []string{"passed", "failed"}, tc.Status, "%s: status", where)
		assert.True(t, gradescopeVisibility[tc.Visibility], "%s: visibility %q", where, tc.Visibility)
		assert.GreaterOrEqual(t, *tc.Score, 0.0, where)
		assert.LessOrEqual(t, *tc.Score, *tc.MaxScore, where)
		if tc.Status == "passed" {
			assert.Equal(t, *tc.MaxScore, *tc.Score, "%s: a passed test has all its points", where)
		}
		sum += *tc.Score
		max += *tc.MaxScore
	}
	if len(res.Tests) > 0 {
		assert.Equal(t, sum, *res.Score, "score is the sum of the tests' scores")
		if res.MaxScore != nil {
			assert.Equal(t, max, *res.MaxScore, "max_score is the sum of the tests' max_score")
		}
	}
	return res
}

// autograderRoot lays out Gradescope's /autograder in a temp dir with the
// given files in submission/.
func autograderRoot(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(root, "submission"), 0o755))
	for name, content := range files {
		p := filepath.Join(root, "submission", name)
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(content), 0o644))
	}
	return root
}

// fakeLabcheck is a stand-in CLI for the tests of run_autograder's own
// logic: it writes a results.json naming the file it was asked to grade,
// or fails the way a broken install would.
const fakeLabcheck = `#!/bin/sh
[ "$1" = version ] && { echo "labcheck fake"; exit 0; }
[ -n "$FAKE_FAIL" ] && { echo "labcheck: $FAKE_FAIL" >&2; exit 2; }
out=""
while [ $# -gt 1 ]; do
	[ "$1" = --out ] && out=$2
	shift
done
printf '{"score": 1, "output": "graded %s", "tests": []}\n' "$1" > "$out/x.results.json"
`

func TestRunAutograderFindsTheSubmission(t *testing.T) {
	bin := t.TempDir()
	fake := filepath.Join(bin, "labcheck")
	require.NoError(t, os.WriteFile(fake, []byte(fakeLabcheck), 0o755))

	tests := []struct {
		name  string
		files map[string]string
		fail  string
		// want is the output results.json must carry: the file graded,
		// or the start of the reason nothing was.
		want string
	}{
		{name: "the named file", files: map[string]string{"submission.md": "x", "notes.txt": "y"}, want: "graded submission.md"},
		{name: "candidates in order", files: map[string]string{"submission.sh": "x", "submission.txt": "y"}, want: "graded submission.txt"},
		{name: "top level before folders", files: map[string]string{"lab/submission.md": "x", "submission.md": "y"}, want: "graded submission.md"},
		{name: "inside a zip's folder", files: map[string]string{"lab/submission.txt": "x", "lab/other.md": "y"}, want: "graded lab/submission.txt"},
		{name: "the only file, whatever its name", files: map[string]string{"ana lima.txt": "x"}, want: "graded ana lima.txt"},
		{name: "hidden files and __MACOSX are not the work", files: map[string]string{"lab.md": "x", ".DS_Store": "y", "__MACOSX/._lab.md": "z"}, want: "graded lab.md"},
		{name: "nothing uploaded", files: map[string]string{}, want: "No submission found."},
		{name: "several files, none named", files: map[string]string{"a.md": "x", "b.txt": "y"}, want: "Found 2 files (a.md b.txt) and none named"},
		{name: "a quote in a file name stays valid JSON", files: map[string]string{"a\".md": "x", "b\\.txt": "y"}, want: "Found 2 files"},
		{name: "labcheck itself fails", files: map[string]string{"submission.md": "x"}, fail: "unknown flag", want: "The autograder could not run (labcheck exited with status 2)."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			root := autograderRoot(t, tc.files)
			_, err := runScript(t, ".", []string{"AUTOGRADER_ROOT=" + root, "LABCHECK=" + fake, "FAKE_FAIL=" + tc.fail}, "./gradescope/run_autograder")
			require.NoError(t, err, "run_autograder exits 0 once results.json is written")
			res := readGradescope(t, filepath.Join(root, "results", "results.json"))
			assert.True(t, strings.HasPrefix(*res.Output, tc.want), "output %q, want it to start with %q", *res.Output, tc.want)
		})
	}
}

func TestRunAutograderGradesOnARealCluster(t *testing.T) {
	needEngine(t)
	bin := buildLabcheck(t)
	root := t.TempDir()
	copyFile(t, firstSteps, filepath.Join(root, "submission", "submission.md"))

	_, err := runScript(t, ".", []string{"AUTOGRADER_ROOT=" + root, "PATH=" + withPath(bin)}, "./gradescope/run_autograder")
	require.NoError(t, err)

	res := readGradescope(t, filepath.Join(root, "results", "results.json"))
	l := orchestration(t)
	assert.Equal(t, 35.0, *res.Score, "output: %s", *res.Output)
	require.NotNil(t, res.MaxScore)
	assert.Equal(t, float64(l.MaxScore()), *res.MaxScore)
	require.Len(t, res.Tests, len(l.Rubric), "one Gradescope test per rubric item")
	var passed []string
	for i, it := range l.Rubric {
		tc := res.Tests[i]
		assert.True(t, strings.HasPrefix(tc.Name, it.ID+": "), "tests[%d] is item %s: %q", i, it.ID, tc.Name)
		assert.Equal(t, float64(it.Points), *tc.MaxScore, it.ID)
		if tc.Status == "passed" {
			passed = append(passed, it.ID)
		} else {
			assert.NotEmpty(t, *tc.Output, "%s failed: its output must say why", it.ID)
		}
	}
	assert.Equal(t, firstStepsPassed, passed)
}

// --- GitHub Classroom -------------------------------------------------

const classroomWorkflow = "classroom/.github/workflows/classroom.yml"

type workflow struct {
	Name string                 `yaml:"name"`
	Jobs map[string]workflowJob `yaml:"jobs"`
}

type workflowJob struct {
	Steps []workflowStep `yaml:"steps"`
}

type workflowStep struct {
	ID   string            `yaml:"id"`
	Name string            `yaml:"name"`
	Uses string            `yaml:"uses"`
	Run  string            `yaml:"run"`
	With map[string]any    `yaml:"with"`
	Env  map[string]string `yaml:"env"`
}

const (
	commandGrader  = "classroom-resources/autograding-command-grader@v1"
	gradingReport  = "classroom-resources/autograding-grading-reporter@v1"
	gradeStepID    = "grade"
	classroomJobID = "run-autograding-tests"
)

func readWorkflow(t *testing.T) workflowJob {
	t.Helper()
	data, err := os.ReadFile(classroomWorkflow)
	require.NoError(t, err)
	var wf workflow
	require.NoError(t, yaml.Unmarshal(data, &wf))
	// GitHub Classroom takes scores only from this workflow and job name.
	require.Equal(t, "Autograding Tests", wf.Name)
	require.Len(t, wf.Jobs, 1)
	job, ok := wf.Jobs[classroomJobID]
	require.True(t, ok, "the job must be named %s", classroomJobID)
	return job
}

// graderSteps are the command-grader steps, in workflow order.
func graderSteps(job workflowJob) []workflowStep {
	var out []workflowStep
	for _, s := range job.Steps {
		if s.Uses == commandGrader {
			out = append(out, s)
		}
	}
	return out
}

func TestClassroomWorkflowMatchesTheLab(t *testing.T) {
	job := readWorkflow(t)
	l := orchestration(t)

	steps := graderSteps(job)
	require.Len(t, steps, len(l.Rubric), "one command-grader step per rubric item")
	var ids []string
	for i, it := range l.Rubric {
		s := steps[i]
		ids = append(ids, s.ID)
		assert.Equal(t, it.ID, s.ID, "step %d", i)
		assert.Equal(t, fmt.Sprint(it.Points), fmt.Sprint(s.With["max-score"]), "%s: max-score is the item's points", it.ID)
		assert.Equal(t, "./grade.sh item "+it.ID, s.With["command"], it.ID)
		assert.True(t, strings.HasPrefix(fmt.Sprint(s.With["test-name"]), it.ID+": "), "%s: test-name %q", it.ID, s.With["test-name"])
	}

	var reporter *workflowStep
	for i, s := range job.Steps {
		if s.Uses == gradingReport {
			reporter = &job.Steps[i]
		}
	}
	require.NotNil(t, reporter, "the workflow must end with the grading reporter")
	assert.Equal(t, strings.Join(ids, ","), reporter.With["runners"])
	// The reporter reads each runner's result from <ID in capitals>_RESULTS.
	want := map[string]string{}
	for _, id := range ids {
		want[strings.ToUpper(id)+"_RESULTS"] = "${{ steps." + id + ".outputs.result }}"
	}
	assert.Equal(t, want, reporter.Env)
}

func TestClassroomGradesOnARealCluster(t *testing.T) {
	needEngine(t)
	needTool(t, "jq")
	bin := buildLabcheck(t)
	job := readWorkflow(t)

	// The assignment repository as a student's push leaves it.
	repo := t.TempDir()
	copyFile(t, "classroom/grade.sh", filepath.Join(repo, "grade.sh"))
	copyFile(t, firstSteps, filepath.Join(repo, "submission.md"))
	summary := filepath.Join(t.TempDir(), "step-summary.md")

	var grade *workflowStep
	for i, s := range job.Steps {
		if s.ID == gradeStepID {
			grade = &job.Steps[i]
		}
	}
	require.NotNil(t, grade, "the workflow grades in a step with id %q", gradeStepID)
	// A run step: bash -e, the job's environment, labcheck on PATH.
	_, err := runScript(t, repo, []string{"PATH=" + withPath(bin), "GITHUB_STEP_SUMMARY=" + summary, "LABCHECK_FLAGS="},
		"bash", "-e", "-c", grade.Run)
	require.NoError(t, err, "the grading step")

	md, err := os.ReadFile(summary)
	require.NoError(t, err, "the Markdown report goes to the job summary")
	assert.Contains(t, string(md), "35/100")

	// The command grader runs each command with sh and little else of the
	// environment: PATH and HOME.
	points, passed := 0, []string{}
	for _, s := range graderSteps(job) {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		cmd := exec.CommandContext(ctx, "sh", "-c", fmt.Sprint(s.With["command"]))
		cmd.Dir = repo
		cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME")}
		out, err := cmd.CombinedOutput()
		cancel()
		t.Logf("%s (exit %v):\n%s", s.ID, err, out)
		assert.True(t, strings.HasPrefix(string(out), "PASS") || strings.HasPrefix(string(out), "FAIL"), "%s: output starts with the verdict", s.ID)
		if err == nil {
			passed = append(passed, s.ID)
			n, convErr := strconv.Atoi(fmt.Sprint(s.With["max-score"]))
			require.NoError(t, convErr, "%s: max-score", s.ID)
			points += n
			continue
		}
		var ee *exec.ExitError
		require.ErrorAs(t, err, &ee, "%s: a failed item exits non-zero, nothing worse", s.ID)
		assert.Contains(t, string(out), "Hint:", "%s: a failed item tells the student what to look at", s.ID)
	}
	sort.Strings(passed)
	want := append([]string(nil), firstStepsPassed...)
	sort.Strings(want)
	assert.Equal(t, want, passed)
	assert.Equal(t, 35, points, "the points GitHub Classroom would record")
}

// --- A class across a matrix of runners -------------------------------

const classMatrixWorkflow = "class-matrix/.github/workflows/grade-class.yml"

type matrixWorkflow struct {
	Env  map[string]string    `yaml:"env"`
	Jobs map[string]matrixJob `yaml:"jobs"`
}

type matrixJob struct {
	Needs    string `yaml:"needs"`
	Strategy struct {
		Matrix struct {
			Shard []int `yaml:"shard"`
		} `yaml:"matrix"`
	} `yaml:"strategy"`
	Steps []workflowStep `yaml:"steps"`
}

func readMatrixWorkflow(t *testing.T) matrixWorkflow {
	t.Helper()
	data, err := os.ReadFile(classMatrixWorkflow)
	require.NoError(t, err)
	var wf matrixWorkflow
	require.NoError(t, yaml.Unmarshal(data, &wf))
	return wf
}

// stepRunning is the job's run step whose script contains needle.
func stepRunning(t *testing.T, job matrixJob, needle string) workflowStep {
	t.Helper()
	for _, s := range job.Steps {
		if strings.Contains(s.Run, needle) {
			return s
		}
	}
	t.Fatalf("no step runs %q", needle)
	return workflowStep{}
}

func TestClassMatrixWorkflowLints(t *testing.T) {
	cmd := exec.Command("go", "tool", "actionlint", classMatrixWorkflow)
	out, err := cmd.CombinedOutput()
	assert.NoError(t, err, "actionlint %s:\n%s", classMatrixWorkflow, out)
}

func TestClassMatrixWorkflowShape(t *testing.T) {
	wf := readMatrixWorkflow(t)
	grade, merge := wf.Jobs["grade"], wf.Jobs["merge"]
	n, err := strconv.Atoi(wf.Env["SHARDS"])
	require.NoError(t, err, "SHARDS is the number of shards")
	var want []int
	for k := 1; k <= n; k++ {
		want = append(want, k)
	}
	assert.Equal(t, want, grade.Strategy.Matrix.Shard, "the matrix runs shards 1..SHARDS, each once")
	assert.Equal(t, "grade", merge.Needs, "merge waits for every shard")

	uses := func(job matrixJob) []string {
		var u []string
		for _, s := range job.Steps {
			if s.Uses != "" {
				u = append(u, strings.Split(s.Uses, "@")[0])
			}
		}
		return u
	}
	assert.Equal(t, []string{"actions/checkout", "actions/setup-go", "actions/upload-artifact"}, uses(grade))
	assert.Equal(t, []string{"actions/setup-go", "actions/download-artifact", "actions/upload-artifact"}, uses(merge))
	for _, s := range merge.Steps {
		if strings.HasPrefix(s.Uses, "actions/download-artifact") {
			assert.Equal(t, "shard-*", s.With["pattern"])
			assert.Equal(t, "shards", s.With["path"])
		}
	}
	assert.Contains(t, stepRunning(t, grade, "labcheck grade").Run, "--format json,")
}

// TestClassMatrixScriptsRun runs the workflow's grade step once per shard
// and its merge step the way the runners would, with the labcheck of this
// checkout, on submissions that need no cluster (they cannot be read):
// the flags, paths and artifact layout fit together.
func TestClassMatrixScriptsRun(t *testing.T) {
	bin := buildLabcheck(t)
	wf := readMatrixWorkflow(t)
	grade := stepRunning(t, wf.Jobs["grade"], "labcheck grade")
	merge := stepRunning(t, wf.Jobs["merge"], "labcheck merge")

	repo := t.TempDir()
	students := []string{"ana", "ben", "cat", "dan", "eve", "fay", "gus", "hal", "ida"}
	for _, s := range students {
		p := filepath.Join(repo, "submissions", s+".txt")
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte("$ docker ps\x00"), 0o644))
	}
	runner := t.TempDir() // the merge job's workspace
	env := []string{"PATH=" + withPath(bin), "SHARDS=" + wf.Env["SHARDS"], "LABCHECK_FLAGS=-q"}
	for _, k := range wf.Jobs["grade"].Strategy.Matrix.Shard {
		_, err := runScript(t, repo, append(env, "SHARD="+strconv.Itoa(k)), "bash", "-e", "-c", grade.Run)
		require.NoError(t, err, "shard %d", k)
		// download-artifact with a pattern puts each artifact in a folder
		// of its name under path.
		shard := fmt.Sprintf("shard-%d", k)
		require.NoError(t, os.CopyFS(filepath.Join(runner, "shards", shard), os.DirFS(filepath.Join(repo, shard))))
	}
	_, err := runScript(t, runner, env, "bash", "-e", "-c", merge.Run)
	require.NoError(t, err, "the merge step")

	data, err := os.ReadFile(filepath.Join(runner, "grades", "gradebook.csv"))
	require.NoError(t, err)
	rows := strings.Split(strings.TrimSpace(string(data)), "\n")
	assert.Len(t, rows, len(students)+1, "one gradebook row per student:\n%s", data)
	for _, s := range students {
		for _, f := range []string{s + ".html", s + ".json", s + ".txt"} {
			_, err := os.Stat(filepath.Join(runner, "grades", f))
			assert.NoError(t, err, "the merged class has %s", f)
		}
	}
	_, err = os.Stat(filepath.Join(runner, "grades", "index.html"))
	assert.NoError(t, err, "the class report")
}
