package scenarios

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
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
	for i := 0; i < b.N; i++ {
		start := time.Now()
		rep, err := grader.RunReference(context.Background(), l, grader.Options{})
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
		}
	}
	mean := total / time.Duration(b.N)
	b.ReportMetric(mean.Seconds(), "s/lab")

	base, phases, err := runBaseline(b)
	if err != nil {
		fmt.Printf("baseline: could not run: %v\n", err)
		return
	}
	fmt.Printf("baseline (%s): %.2fs wall\n", baselineScript(), base.Seconds())
	for _, p := range phases {
		fmt.Printf("  %s\n", p)
	}
	fmt.Printf("ratio: baseline / labcheck = %.2fx (target: >= 3x, labcheck <= 10 s)\n", base.Seconds()/mean.Seconds())
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
