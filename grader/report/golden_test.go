package report

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// assertGolden compares got with testdata/<name>.golden, or rewrites the
// file under -update.
func assertGolden(t testing.TB, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatalf("update golden: %v", err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden (run go test -update to create it): %v", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (go test -update rewrites it)\n--- got ---\n%s\n--- want ---\n%s", path, got, want)
	}
}

// assertContains reports every missing wanted and present unwanted
// fragment, then the output once.
func assertContains(t testing.TB, out string, want, notWant []string) {
	t.Helper()
	bad := false
	for _, w := range want {
		if !strings.Contains(out, w) {
			t.Errorf("output lacks %q", w)
			bad = true
		}
	}
	for _, w := range notWant {
		if strings.Contains(out, w) {
			t.Errorf("output has %q", w)
			bad = true
		}
	}
	if bad {
		t.Logf("output:\n%s", out)
	}
}
