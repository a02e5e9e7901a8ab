package report

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Pair is two submissions of a class that share evidence: values only one
// swarm produces, or passages that stay the same once IDs, addresses and
// case are normalised away. It is evidence for an instructor to read,
// never a verdict, and it never changes a score.
type Pair struct {
	// A and B are the submissions' keys, A < B.
	A, B             string
	SourceA, SourceB string
	// Values are the swarm-unique values both show.
	Values []SharedValue
	// Overlap is how much of the two transcripts is the same after
	// normalisation, 0 to 1 (the Jaccard index of their fingerprints,
	// passages every submission shows left out).
	Overlap float64
	// LinesA and LinesB are the lines of each file where shared passages
	// start.
	LinesA, LinesB []int
}

// SharedValue is one swarm-unique value two submissions both show.
type SharedValue struct {
	Kind   string // "join token", "swarm ID", "container ID"
	Text   string
	LinesA []int
	LinesB []int
}

// Summary is the pair in neutral words, the same in every writer: what
// the two files have in common, never what anyone did.
func (p Pair) Summary() string {
	var parts []string
	if n := len(p.Values); n > 0 {
		kinds := map[string]int{}
		for _, v := range p.Values {
			kinds[v.Kind]++
		}
		var ks []string
		for k := range kinds {
			ks = append(ks, k)
		}
		sort.Strings(ks)
		var what []string
		for _, k := range ks {
			what = append(what, plural(kinds[k], k))
		}
		parts = append(parts, fmt.Sprintf("share %s that only one swarm produces (%s)", plural(n, "value"), strings.Join(what, ", ")))
	}
	if p.Overlap > 0 && len(p.LinesA) > 0 {
		parts = append(parts, fmt.Sprintf("their transcripts are %d%% the same once IDs, addresses and case are set aside", p.Percent()))
	}
	if len(parts) == 0 {
		return p.A + " and " + p.B + ": nothing in common"
	}
	return p.A + " and " + p.B + ": " + strings.Join(parts, "; ")
}

// Percent is Overlap in whole percent, as every writer shows it.
func (p Pair) Percent() int { return int(p.Overlap*100 + 0.5) }

// ValueLines reads "join token SWMTKN-1-… (line 12 of alice; lines 9, 30 of
// bob)".
func (p Pair) ValueLines(v SharedValue) string {
	return fmt.Sprintf("%s %s (%s %s of %s; %s %s of %s)", v.Kind, v.Text,
		linesWord(v.LinesA), joinInts(v.LinesA), p.A, linesWord(v.LinesB), joinInts(v.LinesB), p.B)
}

// PassageLines reads "lines 3, 9, 14 of alice; 5, 11, 16 of bob"; "" when no
// passage is shared.
func (p Pair) PassageLines() string {
	if len(p.LinesA) == 0 {
		return ""
	}
	return fmt.Sprintf("%s %s of %s; %s %s of %s", linesWord(p.LinesA), joinInts(p.LinesA), p.A, linesWord(p.LinesB), joinInts(p.LinesB), p.B)
}

func linesWord(ls []int) string {
	if len(ls) == 1 {
		return "line"
	}
	return "lines"
}

func joinInts(ns []int) string {
	s := make([]string, len(ns))
	for i, n := range ns {
		s[i] = strconv.Itoa(n)
	}
	return strings.Join(s, ", ")
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return strconv.Itoa(n) + " " + what + "s"
}

// Class is a batch of reports as one class: the reports sorted by key, the
// pairs that share evidence, and what keeps it from being whole (a shard
// missing when shards were merged).
type Class struct {
	Reports  []*Report
	Pairs    []Pair
	Problems []string
}

// labInfo is the lab the class was graded against, as its reports say.
func (c Class) labInfo() LabInfo {
	for _, r := range c.Reports {
		if r.Lab.Name != "" || r.Lab.Title != "" {
			return r.Lab
		}
	}
	return LabInfo{}
}

// ScoreBuckets counts reports by score in tenths of the maximum: [0] is
// 0-9%, [10] is 100%. Reports without a maximum are left out.
func ScoreBuckets(reps []*Report) []int {
	buckets := make([]int, 11)
	for _, r := range reps {
		if r.MaxScore > 0 {
			buckets[min(max(r.Score*10/r.MaxScore, 0), 10)]++
		}
	}
	return buckets
}

// ItemRate is how many of the reports that graded an item passed it.
type ItemRate struct {
	ID            string
	Points        int
	Passed, Total int
}

// ItemPassRates are the rubric items' pass rates, in rubric order.
func ItemPassRates(reps []*Report) []ItemRate {
	var out []ItemRate
	for _, id := range itemIDs(reps) {
		rate := ItemRate{ID: id}
		for _, r := range reps {
			for _, it := range r.Items {
				if it.ID == id {
					rate.Total++
					rate.Points = it.Points
					if it.Status == StatusPass {
						rate.Passed++
					}
				}
			}
		}
		out = append(out, rate)
	}
	return out
}
