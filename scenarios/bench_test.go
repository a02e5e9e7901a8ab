package scenarios

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/moby/moby/client"

	"github.com/labcheck/labcheck/grader"
	"github.com/labcheck/labcheck/grader/lab"
	"github.com/labcheck/labcheck/harness"
)

// baselineScript is the hand-rolled docker-CLI version of the lab every
// benchmark compares against; LABCHECK_BASELINE overrides where it is.
func baselineScript() string {
	if p := os.Getenv("LABCHECK_BASELINE"); p != "" {
		return p
	}
	return filepath.Join("..", "..", "shared", "bench", "baseline-lab.sh")
}

// BenchmarkLab runs the orchestration lab's reference solution, fresh
// cluster to cleanup, with labcheck, then the baseline script, in the same
// invocation, and prints each one's phases and the ratio. Run it with
//
//	go test ./scenarios -run '^$' -bench Lab -benchtime 1x
func BenchmarkLab(b *testing.B) {
	requireDocker(b)
	l, err := lab.Get("orchestration")
	if err != nil {
		b.Fatal(err)
	}
	var total time.Duration
	var waits []harness.WaitStats
	for i := 0; i < b.N; i++ {
		start := time.Now()
		rep, err := grader.RunReference(context.Background(), l, grader.Options{Start: recordSettles(&waits)})
		wall := time.Since(start)
		if err != nil {
			b.Fatal(err)
		}
		if rep.Score != rep.MaxScore {
			b.Fatalf("reference scored %d/%d", rep.Score, rep.MaxScore)
		}
		total += wall
		fmt.Printf("labcheck run (orchestration), run %d: %.2fs wall, %d/%d\n", i+1, wall.Seconds(), rep.Score, rep.MaxScore)
		for _, t := range rep.Environment.Timings {
			fmt.Printf("  %-22s %6.2fs\n", t.Phase, t.Duration.Seconds())
		}
		for _, s := range rep.Steps {
			var slowest string
			var max time.Duration
			var cmds time.Duration
			for _, c := range s.Commands {
				cmds += c.Duration()
				if c.Duration() > max {
					max, slowest = c.Duration(), c.Text
				}
			}
			fmt.Printf("  step %-16s commands %5.2fs, waiting for the swarm %5.2fs; slowest: %q %.2fs\n",
				s.ID, cmds.Seconds(), (s.Duration() - cmds).Seconds(), firstWords(slowest, 6), max.Seconds())
			for _, c := range s.Commands {
				var settle time.Duration
				for _, o := range c.Observations {
					settle += o.End.Sub(o.Start)
				}
				fmt.Printf("    %-44q ran %5.2fs, settled %5.2fs\n", firstWords(c.Text, 5), c.Duration().Seconds(), settle.Seconds())
			}
		}
	}
	mean := total / time.Duration(b.N)
	b.ReportMetric(mean.Seconds(), "s/lab")
	printSettles(b, waits)
	fmt.Printf("labcheck peak RSS so far: %.1f MB (target: <= 80 MB)\n", peakRSS())

	base, phases, err := runBaseline(b)
	if err != nil {
		fmt.Printf("baseline: could not run: %v\n", err)
		return
	}
	fmt.Printf("baseline (%s): %.2fs wall\n", baselineScript(), base.Seconds())
	for _, p := range phases {
		fmt.Printf("  %s\n", p)
	}
	fmt.Printf("ratio: baseline / labcheck = %.2fx (target: >= 3x, labcheck <= 9 s)\n", base.Seconds()/mean.Seconds())
	b.ReportMetric(base.Seconds(), "s/baseline")
	b.ReportMetric(base.Seconds()/mean.Seconds(), "x-faster")
}

// runBaseline runs the baseline script over labcheck's node image and the
// lab's ubuntu image (the host's, else the stand-in tagged as ubuntu:latest
// for the run and untagged after).
func runBaseline(b *testing.B) (time.Duration, []string, error) {
	script := baselineScript()
	if _, err := os.Stat(script); err != nil {
		return 0, nil, err
	}
	ctx := context.Background()
	cli, err := harness.OuterClient(ctx)
	if err != nil {
		return 0, nil, err
	}
	defer cli.Close()
	builder := harness.NewBuilder(cli, nil)
	if err := builder.EnsureNodeImage(ctx, harness.DefaultNodeImage); err != nil {
		return 0, nil, err
	}
	imgs, err := builder.EnsureWorkloadImages(ctx, []string{"ubuntu"})
	if err != nil {
		return 0, nil, err
	}
	if imgs[0].StandIn() {
		if _, err := cli.ImageTag(ctx, client.ImageTagOptions{Source: imgs[0].HostRef, Target: "ubuntu:latest"}); err != nil {
			return 0, nil, err
		}
		defer func() {
			_, _ = cli.ImageRemove(context.Background(), "ubuntu:latest", client.ImageRemoveOptions{})
		}()
	}
	cmd := exec.Command("bash", script)
	cmd.Env = append(os.Environ(), "NODE_IMG="+harness.DefaultNodeImage)
	start := time.Now()
	out, err := cmd.CombinedOutput()
	wall := time.Since(start)
	if err != nil {
		return wall, nil, fmt.Errorf("%w\n%s", err, out)
	}
	var phases []string
	sc := bufio.NewScanner(strings.NewReader(string(out)))
	for sc.Scan() {
		if f := strings.Fields(sc.Text()); len(f) == 2 {
			if _, err := strconv.ParseFloat(f[1], 64); err == nil {
				phases = append(phases, fmt.Sprintf("%-22s %6ss (since start)", f[0], f[1]))
			}
		}
	}
	return wall, phases, nil
}

func firstWords(s string, n int) string {
	f := strings.Fields(s)
	if len(f) > n {
		f = append(f[:n], "...")
	}
	return strings.Join(f, " ")
}

// settleRecorder keeps the statistics of every Settle of a run: how many
// looks, and how late the settled state was noticed.
type settleRecorder struct {
	grader.Cluster
	waits *[]harness.WaitStats
}

func (r settleRecorder) Settle(ctx context.Context, timeout time.Duration) (*harness.State, error) {
	st, err := r.Cluster.Settle(ctx, timeout)
	if lw, ok := r.Cluster.(interface{ LastWait() harness.WaitStats }); ok {
		*r.waits = append(*r.waits, lw.LastWait())
	}
	return st, err
}

func recordSettles(waits *[]harness.WaitStats) grader.StartFunc {
	return func(ctx context.Context, opts ...harness.Option) (grader.Cluster, error) {
		c, err := grader.StartHarness(ctx, opts...)
		if c == nil {
			return nil, err
		}
		return settleRecorder{Cluster: c, waits: waits}, err
	}
}

// printSettles prints how late the settles that had to wait noticed the
// swarm at rest: from the end of the look that still saw it moving.
func printSettles(b *testing.B, waits []harness.WaitStats) {
	var lat []time.Duration
	looks := 0
	var look time.Duration
	for _, w := range waits {
		looks += w.Looks
		look += w.LastLook
		if w.Looks > 1 {
			lat = append(lat, w.Latency)
		}
	}
	if len(waits) == 0 {
		return
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	fmt.Printf("settles: %d, %d looks; one look %.1f ms on average\n", len(waits), looks, float64(look.Microseconds())/1000/float64(len(waits)))
	if len(lat) == 0 {
		return
	}
	var sum time.Duration
	for _, d := range lat {
		sum += d
	}
	mean := sum / time.Duration(len(lat))
	fmt.Printf("settle-detection latency after the last change, %d settles that waited: mean %.1f ms, median %.1f ms, max %.1f ms (goal <= 30 ms)\n",
		len(lat), ms(mean), ms(lat[len(lat)/2]), ms(lat[len(lat)-1]))
	b.ReportMetric(ms(mean), "ms/settle-latency")
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// peakRSS is this process's peak resident set, in MB.
func peakRSS() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return float64(ru.Maxrss) / 1024 // Linux reports kilobytes
}

// batchMix is a class of 30 corpus-like submissions: mostly the whole lab,
// plus a few that stop early or go wrong.
var batchMix = []struct {
	file   string
	copies int
}{
	{"full-lab-pwd.txt", 25},
	{"drain-by-id.txt", 2},
	{"scaled-to-6.sh", 2},
	{"no-drain.md", 1},
}

// BenchmarkBatch grades a class of 30 submissions with labcheck grade's
// defaults, prints the wall time, the time per submission and the peak
// RSS, and checks every score against grading each distinct file alone.
//
//	go test ./scenarios -run '^$' -bench Batch -benchtime 1x -timeout 30m
func BenchmarkBatch(b *testing.B) {
	requireDocker(b)
	l, err := lab.Get("orchestration")
	if err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir()
	var files []string
	for _, m := range batchMix {
		data, err := os.ReadFile(filepath.Join(corpusDir, m.file))
		if err != nil {
			b.Fatal(err)
		}
		for i := 0; i < m.copies; i++ {
			p := filepath.Join(dir, fmt.Sprintf("%s-%02d%s", strings.TrimSuffix(m.file, filepath.Ext(m.file)), i+1, filepath.Ext(m.file)))
			if err := os.WriteFile(p, data, 0o644); err != nil {
				b.Fatal(err)
			}
			files = append(files, p)
		}
	}
	// LABCHECK_BENCH_SUBMISSIONS keeps the first N of the class,
	// LABCHECK_BENCH_JOBS sets --jobs and LABCHECK_BENCH_WARM the clusters
	// started ahead (-1: none), to compare settings quickly.
	if n, err := strconv.Atoi(os.Getenv("LABCHECK_BENCH_SUBMISSIONS")); err == nil && n > 0 && n < len(files) {
		files = files[:n]
	}
	alone := map[string]int{}
	for _, m := range batchMix {
		if !usesFile(files, m.file) {
			continue
		}
		rep, err := grader.GradeFile(context.Background(), l, filepath.Join(corpusDir, m.file), "", grader.Options{}, grader.ReplayLimits{})
		if err != nil {
			b.Fatalf("%s alone: %v", m.file, err)
		}
		alone[m.file] = rep.Score
	}
	jobs := grader.DefaultJobs()
	if n, err := strconv.Atoi(os.Getenv("LABCHECK_BENCH_JOBS")); err == nil && n > 0 {
		jobs = n
	}
	for i := 0; i < b.N; i++ {
		start := time.Now()
		warm, _ := strconv.Atoi(os.Getenv("LABCHECK_BENCH_WARM")) // 0: labcheck's default
		res, err := grader.GradeBatch(context.Background(), l, files, grader.BatchOptions{Jobs: jobs, Warm: warm})
		wall := time.Since(start)
		if err != nil {
			b.Fatal(err)
		}
		differ := 0
		for _, r := range res {
			for _, m := range batchMix {
				if strings.HasPrefix(filepath.Base(r.Path), strings.TrimSuffix(m.file, filepath.Ext(m.file))+"-") && r.Report.Score != alone[m.file] {
					differ++
					fmt.Printf("  %s: %d in the batch, %d alone\n", filepath.Base(r.Path), r.Report.Score, alone[m.file])
				}
			}
		}
		var each []time.Duration
		for _, r := range res {
			each = append(each, r.Duration)
		}
		sort.Slice(each, func(i, j int) bool { return each[i] < each[j] })
		fmt.Printf("  one submission from start to report (its cluster's removal runs after): min %.1fs, median %.1fs, max %.1fs\n",
			each[0].Seconds(), each[len(each)/2].Seconds(), each[len(each)-1].Seconds())
		fmt.Printf("batch of %d submissions, %d jobs: %.1fs wall, %.2fs per submission (target: <= 150 s, <= 5 s); %d scores differ from grading alone\n",
			len(files), jobs, wall.Seconds(), wall.Seconds()/float64(len(files)), differ)
		if differ > 0 {
			b.Errorf("%d scores differ from grading each file alone", differ)
		}
		b.ReportMetric(wall.Seconds(), "s/batch")
		b.ReportMetric(wall.Seconds()/float64(len(files)), "s/submission")
	}
	fmt.Printf("labcheck peak RSS: %.1f MB (target: <= 80 MB)\n", peakRSS())
	b.ReportMetric(peakRSS(), "MB-peak-RSS")
}

// usesFile reports whether a copy of file is among the batch's files.
func usesFile(files []string, file string) bool {
	stem := strings.TrimSuffix(file, filepath.Ext(file)) + "-"
	for _, f := range files {
		if strings.HasPrefix(filepath.Base(f), stem) {
			return true
		}
	}
	return false
}
