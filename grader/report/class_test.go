package report

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
)

func TestWriteClassSummaryAndSimilarity(t *testing.T) {
	pair := Pair{A: "=ana", B: "ben", SourceA: "=ana.txt", SourceB: "ben.txt",
		Values: []SharedValue{
			{Kind: "join token", Text: "SWMTKN-1-abc-def", LinesA: []int{3, 9}, LinesB: []int{4}},
			{Kind: "swarm ID", Text: "m8w3d6nos5nv2eqmkf28xm4up", LinesA: []int{5}, LinesB: []int{6}},
		},
		Overlap: 0.873, LinesA: []int{2, 40}, LinesB: []int{3, 41}}
	c := Class{Reports: []*Report{studentReport(t)}, Pairs: []Pair{pair}, Problems: []string{"shard 2/3 is missing: its submissions are not in the gradebook"}}

	var b bytes.Buffer
	if err := WriteClassSummary(&b, c); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"Not a whole class:\n  - shard 2/3 is missing",
		"Shared evidence (for an instructor to read; no score depends on it):\n" +
			"  =ana and ben: share 2 values that only one swarm produces (1 join token, 1 swarm ID); their transcripts are 87% the same once IDs, addresses and case are set aside\n" +
			"    - join token SWMTKN-1-abc-def (lines 3, 9 of =ana; line 4 of ben)\n" +
			"    - swarm ID m8w3d6nos5nv2eqmkf28xm4up (line 5 of =ana; line 6 of ben)\n" +
			"    - shared passages start at lines 2, 40 of =ana; lines 3, 41 of ben\n",
	} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("summary lacks\n%s\ngot\n%s", want, b.String())
		}
	}

	var s bytes.Buffer
	if err := WriteSimilarity(&s, c.Pairs); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&s).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 4 {
		t.Fatalf("%d records, want a header, 2 values and 1 passage row:\n%v", len(recs), recs)
	}
	if got := recs[1][0]; got != "'=ana" {
		t.Errorf("a key that starts a formula is neutralised: %q", got)
	}
	if got := strings.Join(recs[3][4:10], "|"); got != "transcript|||2, 40|3, 41|87" {
		t.Errorf("passage row: %q", got)
	}

	var none bytes.Buffer
	if err := WriteClassSummary(&none, Class{Reports: c.Reports}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(none.String(), "no two submissions share values of one swarm or near-identical transcripts") || strings.Contains(none.String(), "Not a whole class") {
		t.Errorf("summary of a class without pairs:\n%s", none.String())
	}
}

func TestScoreBuckets(t *testing.T) {
	reps := []*Report{{Score: 0, MaxScore: 100}, {Score: 35, MaxScore: 100}, {Score: 39, MaxScore: 100}, {Score: 100, MaxScore: 100}, {Score: 5, MaxScore: 0}}
	got := ScoreBuckets(reps)
	want := []int{1, 0, 0, 2, 0, 0, 0, 0, 0, 0, 1}
	if len(got) != len(want) {
		t.Fatalf("%v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("buckets %v, want %v", got, want)
			break
		}
	}
}
