// Package hostpkg installs the Debian packages labcheck needs on the host
// (mmdebstrap to build its node image, tesseract to read screenshots) the
// one way labcheck does it everywhere: as root on a Debian-like host,
// automatically and saying so; elsewhere an error naming the packages.
package hostpkg

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"sort"
	"strings"
	"sync"
)

// Need maps a program to the Debian package that provides it.
type Need map[string]string

// mu serialises installs: two batch workers must not run apt-get at once.
var mu sync.Mutex

// Ensure makes every program of need available. Missing ones are installed
// with apt-get when install is set, the process is root and apt-get exists,
// logging what it installs; otherwise the error names the packages and why
// labcheck needs them. with are packages installed alongside whenever
// anything is missing (files labcheck needs that are not programs on PATH).
func Ensure(ctx context.Context, need Need, install bool, why string, logf func(string, ...any), with ...string) error {
	mu.Lock()
	defer mu.Unlock()
	missing := Missing(need)
	if len(missing) == 0 {
		return nil
	}
	pkgs := packages(need, missing)
	for _, w := range with {
		if !slices.Contains(pkgs, w) {
			pkgs = append(pkgs, w)
		}
	}
	sort.Strings(pkgs)
	if !install || os.Geteuid() != 0 {
		return fmt.Errorf("%s not found: %s needs Debian's %s (apt-get install %s)", strings.Join(missing, ", "), why, strings.Join(pkgs, ", "), strings.Join(pkgs, " "))
	}
	if _, err := exec.LookPath("apt-get"); err != nil {
		return fmt.Errorf("%s not found and this host has no apt-get: %s needs %s", strings.Join(missing, ", "), why, strings.Join(pkgs, " "))
	}
	if logf != nil {
		logf("installing %s from Debian packages for %s (apt-get install %s)", strings.Join(pkgs, ", "), why, strings.Join(pkgs, " "))
	}
	for _, args := range [][]string{{"update", "-qq"}, append([]string{"install", "-y", "-qq", "--no-install-recommends"}, pkgs...)} {
		cmd := exec.CommandContext(ctx, "apt-get", args...)
		cmd.Env = append(os.Environ(), "DEBIAN_FRONTEND=noninteractive")
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("apt-get %s: %w\n%s", args[0], err, lastLines(string(out), 10))
		}
	}
	if still := Missing(need); len(still) > 0 {
		return fmt.Errorf("installed %s, but %s still not found", strings.Join(pkgs, " "), strings.Join(still, ", "))
	}
	return nil
}

// Missing lists the programs of need not on PATH, sorted.
func Missing(need Need) []string {
	var missing []string
	for prog := range need {
		if _, err := exec.LookPath(prog); err != nil {
			missing = append(missing, prog)
		}
	}
	sort.Strings(missing)
	return missing
}

func packages(need Need, progs []string) []string {
	seen := map[string]bool{}
	var pkgs []string
	for _, p := range progs {
		if pkg := need[p]; !seen[pkg] {
			seen[pkg] = true
			pkgs = append(pkgs, pkg)
		}
	}
	sort.Strings(pkgs)
	return pkgs
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
