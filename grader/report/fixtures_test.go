package report

import (
	"os"
	"path/filepath"
	"testing"
)

// The reports every writer is checked against are real runs, recorded on
// real clusters by `go run ./internal/gen/record` (from the repository
// root): a clean reference run, the HA lab's reference run with its leader
// stopped (a fault that succeeded), a student's partial grade with a typo
// and fabricated output, a full PWD transcript, and a run whose cluster could
// not start.
var recordedNames = []string{"reference", "ha", "student", "full-lab-pwd", "incomplete"}

func recorded(tb testing.TB, name string) *Report {
	tb.Helper()
	f, err := os.Open(filepath.Join("testdata", "recorded", name+".json"))
	if err != nil {
		tb.Fatalf("recorded report %s: %v", name, err)
	}
	defer f.Close()
	r, err := ReadJSON(f)
	if err != nil {
		tb.Fatalf("recorded report %s: %v", name, err)
	}
	return r
}

type fixture struct {
	name string
	r    *Report
}

func fixtures(tb testing.TB) []fixture {
	var out []fixture
	for _, n := range recordedNames {
		out = append(out, fixture{n, recorded(tb, n)})
	}
	return out
}

func referenceReport(tb testing.TB) *Report  { return recorded(tb, "reference") }
func studentReport(tb testing.TB) *Report    { return recorded(tb, "student") }
func incompleteReport(tb testing.TB) *Report { return recorded(tb, "incomplete") }
