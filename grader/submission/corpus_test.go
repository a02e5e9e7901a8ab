package submission

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// corpusDir holds realistic submissions for the orchestration lab, each
// with a NAME.expected.yaml sidecar saying what a correct grader awards.
const corpusDir = "../../testdata/submissions"

// sidecar is a corpus file's NAME.expected.yaml.
type sidecar struct {
	Student    string         `yaml:"student"`
	Points     map[string]int `yaml:"points"`
	Rejected   int            `yaml:"rejected"`
	Notes      string         `yaml:"notes"`
	ParseError string         `yaml:"parse_error"`
	// Reported are phrases the replay's report must contain (a limit hit,
	// a warning); the replay test in scenarios/ checks them.
	Reported []string `yaml:"reported"`
}

// rubric is the orchestration lab's items and their points.
var rubric = map[string]int{
	"standalone": 10, "swarm-init": 10, "workers-joined": 15, "service-created": 10,
	"scaled-up": 15, "scaled-down": 10, "drained": 20, "cleanup": 10,
}

// documentExt are the corpus' screenshots, PDFs and DOCX files: not text.
var documentExt = map[string]bool{".png": true, ".jpg": true, ".jpeg": true, ".pdf": true, ".docx": true}

func corpusFiles(t *testing.T) []string {
	t.Helper()
	entries, err := os.ReadDir(corpusDir)
	require.NoError(t, err)
	var files []string
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || strings.HasPrefix(name, ".") || name == "README.md" || strings.HasSuffix(name, ".expected.yaml") {
			continue
		}
		if documentExt[strings.ToLower(filepath.Ext(name))] {
			continue // read by grader/writeup, graded in scenarios
		}
		files = append(files, name)
	}
	require.GreaterOrEqual(t, len(files), 18, "the corpus should cover every case in the brief")
	return files
}

func readSidecar(t *testing.T, file string) sidecar {
	t.Helper()
	name := strings.TrimSuffix(file, filepath.Ext(file)) + ".expected.yaml"
	data, err := os.ReadFile(filepath.Join(corpusDir, name))
	require.NoError(t, err, "every corpus file needs a sidecar")
	var sc sidecar
	require.NoError(t, yaml.UnmarshalWithOptions(data, &sc, yaml.Strict()), name)
	return sc
}

// TestCorpus parses every corpus submission and checks what the sidecar
// says the parser and the policy must do with it.
func TestCorpus(t *testing.T) {
	for _, file := range corpusFiles(t) {
		t.Run(file, func(t *testing.T) {
			sc := readSidecar(t, file)
			require.Len(t, sc.Points, len(rubric), "points for every rubric item")
			for item, pts := range sc.Points {
				max, ok := rubric[item]
				require.True(t, ok, "unknown rubric item %q", item)
				assert.True(t, pts == 0 || pts == max, "%s: %d points, want 0 or %d", item, pts, max)
			}
			assert.NotEmpty(t, sc.Notes)

			data, err := os.ReadFile(filepath.Join(corpusDir, file))
			require.NoError(t, err)
			sub, err := Parse(file, data, labOptions())
			if sc.ParseError != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), sc.ParseError)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, sc.Student, sub.Student)

			rejected := 0
			for _, c := range sub.Commands {
				if !Check(c.Text).Allowed {
					rejected++
				}
			}
			assert.Equal(t, sc.Rejected, rejected, "commands the policy refuses")
			checkGolden(t, file, corpusSummary(sub))
		})
	}
}

// joinsElsewhere are the corpus files whose joins the session ties to
// another node than the manager, by joining node: the replay must send
// them there.
var joinsElsewhere = map[string]map[string]string{
	"join-own-address.txt":  {"node2": "10.99.0.3:2377", "node3": "10.99.0.3:2377"},
	"join-node3-address.md": {"node3": "10.99.0.4:2377"},
	"join-own-advertise.sh": {"node3": "10.99.0.4:2377"},
}

// mistypedDrain are the corpus files whose drain names no node the
// session showed: the translator must leave it failing.
var mistypedDrain = map[string]bool{"drain-fabricated.txt": true}

// TestCorpusTranslation replays the corpus through a Translator with
// nothing from the replay but its Env: no join may keep the student's
// token, and each goes to the replay address of the node the student's
// went to (the manager, but where joinsElsewhere says).
func TestCorpusTranslation(t *testing.T) {
	env := Env{
		WorkerToken: "SWMTKN-1-replayworker-000", ManagerToken: "SWMTKN-1-replaymanager-000", ManagerAddr: "10.99.0.2",
		NodeAddrs: map[string]string{"node1": "10.99.0.2", "node2": "10.99.0.3", "node3": "10.99.0.4"},
		NodeIDs:   map[string]string{"node1": "replaynode1xxxxxxxxxxxxxx", "node2": "replaynode2xxxxxxxxxxxxxx", "node3": "replaynode3xxxxxxxxxxxxxx"},
	}
	for _, file := range corpusFiles(t) {
		if readSidecar(t, file).ParseError != "" {
			continue
		}
		t.Run(file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(corpusDir, file))
			require.NoError(t, err)
			sub, err := Parse(file, data, labOptions())
			require.NoError(t, err)
			tr := NewSessionTranslator(sub)
			for _, c := range sub.Commands {
				got, _ := tr.Rewrite(c, env)
				if strings.HasPrefix(c.Text, "docker swarm join ") {
					addr := "10.99.0.2:2377"
					if a, ok := joinsElsewhere[file][c.Node]; ok {
						addr = a
					}
					assert.Contains(t, got, "--token SWMTKN-1-replayworker-000 ", "line %d", c.Line)
					assert.True(t, strings.HasSuffix(got, " "+addr), "line %d: %s", c.Line, got)
				}
				if strings.HasPrefix(c.Text, "docker node update --availability drain ") && !mistypedDrain[file] {
					assert.True(t, strings.HasSuffix(got, " node2") || strings.HasSuffix(got, " replaynode2xxxxxxxxxxxxxx"), "line %d: %s", c.Line, got)
				}
				tr.Learn(c, "")
			}
		})
	}
}

func TestCorpusTooLarge(t *testing.T) {
	// Generated here rather than committed: 10 MiB of a plausible transcript.
	path := filepath.Join(t.TempDir(), "huge.txt")
	line := "$ docker run --rm ubuntu sh -c 'yes | head -c 50000000'\n"
	require.NoError(t, os.WriteFile(path, []byte(strings.Repeat(line, 10<<20/len(line)+1)), 0o644))
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	_, err = Parse(path, data, labOptions())
	var pe *ParseError
	require.ErrorAs(t, err, &pe)
	assert.Contains(t, err.Error(), "too large: ")
	assert.Contains(t, err.Error(), "bytes (the limit is 1048576)")
}

// corpusSummary writes what the parser and the policy made of a
// submission, for review in a golden file.
func corpusSummary(sub *Submission) string {
	var b strings.Builder
	fmt.Fprintf(&b, "student: %s\nformat: %s\n\n", sub.Student, sub.Format)
	for _, c := range sub.Commands {
		fmt.Fprintf(&b, "%d %s/%d $ %s\n", c.Line, c.Node, c.Terminal, c.Text)
		if d := Check(c.Text); !d.Allowed {
			fmt.Fprintf(&b, "    REFUSED: %s\n", d.Reason)
		}
		if n := strings.Count(c.Output, "\n") + 1; c.Output != "" {
			fmt.Fprintf(&b, "    output: %s\n", plural(n, "line"))
		}
	}
	b.WriteString("\nnotes:\n")
	for _, n := range sub.Notes {
		fmt.Fprintf(&b, "- %s\n", n)
	}
	return b.String()
}

func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "corpus", name+".golden")
	if *update {
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test -update to create it")
	assert.Equal(t, string(want), got, "golden %s (go test -update rewrites it)", path)
}
