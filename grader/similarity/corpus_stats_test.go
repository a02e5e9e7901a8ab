package similarity

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

func TestCorpusStats(t *testing.T) {
	if os.Getenv("H8STATS") == "" {
		t.Skip()
	}
	dir := "../../testdata/submissions"
	ents, _ := os.ReadDir(dir)
	var ps []Profile
	for _, e := range ents {
		n := e.Name()
		if strings.HasSuffix(n, ".yaml") || n == "README.md" {
			continue
		}
		data, _ := os.ReadFile(filepath.Join(dir, n))
		ps = append(ps, NewProfile(n, n, data, Options{}))
	}
	pairs := Find(ps, Options{MinOverlap: 0.0001, MinValues: 1})
	sort.Slice(pairs, func(i, j int) bool { return pairs[i].Overlap > pairs[j].Overlap })
	for i, p := range pairs {
		if i > 30 && len(p.Values) == 0 {
			continue
		}
		fmt.Printf("%.3f %d %s %s %v\n", p.Overlap, len(p.Values), p.A, p.B, p.Values)
	}
}
