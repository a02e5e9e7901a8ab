package writeup

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/labcheck/labcheck/grader/submission"
)

var labNodes = []string{"node1", "node2", "node3"}

// requireTesseract fails under CI, where the README's setup installs
// tesseract, and skips elsewhere.
func requireTesseract(t testing.TB) {
	t.Helper()
	if err := haveTesseract(context.Background(), Options{}); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI=true: %v", err)
		}
		t.Skip(err)
	}
}

const corpus = "../../testdata"

// writeups pairs each generated write-up with the text it was drawn from.
var writeups = []struct {
	name, markdown, text string
}{
	{"indonesian, 22 screenshots, blob URLs", "writeups/andi-pwd/minggu_12/penjelasan.md", "submissions/full-lab-pwd.txt"},
	{"english, raw and relative links, one-line prompts", "writeups/priya-drain/week12/README.md", "submissions/drain-by-id.txt"},
}

// TestScreenshotsReadAsTheirText is the promise of this package: the
// screenshot version of a submission replays the commands its text
// version does, on the same nodes and terminals. IDs, join tokens and
// addresses may be spelled as OCR settled them, as long as one spelling
// stands for one of the text's everywhere: the replay maps them to the
// fresh cluster's by what the outputs show.
func TestScreenshotsReadAsTheirText(t *testing.T) {
	requireTesseract(t)
	for i, tc := range writeups {
		t.Run(tc.name, func(t *testing.T) {
			if i == 0 && testing.Short() {
				t.Skip("-short: the 22-screenshot write-up takes over 10 s; BenchmarkReadWriteup22 and the full run read it")
			}
			md := filepath.Join(corpus, tc.markdown)
			got, err := Read(context.Background(), md, Options{Nodes: labNodes})
			require.NoError(t, err)
			data, err := os.ReadFile(filepath.Join(corpus, tc.text))
			require.NoError(t, err)
			want, err := submission.Parse(tc.text, data, submission.Options{Nodes: labNodes})
			require.NoError(t, err)

			ids := map[string]string{}
			back := map[string]string{}
			var diffs []string
			n := max(len(got.Commands), len(want.Commands))
			for i := 0; i < n; i++ {
				var g, w submission.Command
				if i < len(got.Commands) {
					g = got.Commands[i]
				}
				if i < len(want.Commands) {
					w = want.Commands[i]
				}
				same := g.Node == w.Node && g.Terminal == w.Terminal && sameModuloIDs(g.Text, w.Text, ids, back)
				mark := "  "
				if !same {
					mark = "!!"
					diffs = append(diffs, fmt.Sprintf("command %d: got %s/%d `%s`, want %s/%d `%s`", i+1, g.Node, g.Terminal, g.Text, w.Node, w.Terminal, w.Text))
				}
				if g.Evidence != nil {
					t.Logf("%s %s t%d %-60s (want %s t%d) %s conf %.0f hand=%v %v", mark, g.Node, g.Terminal, g.Text, w.Node, w.Terminal, g.Evidence.Image, g.Evidence.Confidence, g.Evidence.CheckByHand, g.Evidence.Corrections)
				}
			}
			assert.Empty(t, diffs)
			for _, c := range got.Commands {
				require.NotNil(t, c.Evidence, "every command of a screenshot write-up carries its evidence")
				assert.NotEmpty(t, c.Evidence.Image)
			}
			assert.Equal(t, want.Student, got.Student)
		})
	}
}

var opaque = regexp.MustCompile(`^(?:SWMTKN-1-\S+|[a-z0-9]{25}|[0-9a-f]{12}|[0-9a-f]{64}|\d{1,3}(?:\.\d{1,3}){3}:\d+)$`)

// sameModuloIDs compares two commands word by word; ID-shaped words must
// correspond one to one across the whole submission.
func sameModuloIDs(got, want string, ids, back map[string]string) bool {
	gw, ww := strings.Fields(got), strings.Fields(want)
	if len(gw) != len(ww) {
		return false
	}
	for i := range gw {
		if gw[i] == ww[i] {
			continue
		}
		if !opaque.MatchString(gw[i]) || !opaque.MatchString(ww[i]) {
			return false
		}
		if strings.HasPrefix(ww[i], "SWMTKN-1-") || strings.Contains(ww[i], ":") {
			// The replay gives a join its own token and manager address.
			continue
		}
		if v, ok := ids[ww[i]]; ok && v != gw[i] {
			return false
		}
		if v, ok := back[gw[i]]; ok && v != ww[i] {
			return false
		}
		ids[ww[i]], back[gw[i]] = gw[i], ww[i]
	}
	return true
}
