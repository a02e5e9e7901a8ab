package similarity

import (
	"sort"
	"strings"

	"github.com/labcheck/labcheck/grader/lab"
	"github.com/labcheck/labcheck/grader/report"
)

// Profile is what the comparison needs of one submission, read once from
// its text. A shard of a class writes its profiles into its manifest, so
// that merging shards compares the whole class without the files.
type Profile struct {
	Key          string        `json:"key"`
	Source       string        `json:"source"`
	Values       []Value       `json:"values"`
	Fingerprints []Fingerprint `json:"fingerprints"`
}

// Options tune the comparison; the zero value of a field means its
// default.
type Options struct {
	// K is the k-gram length in tokens and W the winnowing window: shared
	// passages of K+W-1 tokens or more are always seen.
	K, W int
	// MinValues is how many swarm-unique values two files must share to
	// be reported: one can come from a handout or a forum post.
	MinValues int
	// MinOverlap is the fingerprint overlap, 0-1, above which two files
	// are reported.
	MinOverlap float64
	// Common is the share of the class above which a value or passage is
	// one every session shows (an image ID, a docker message) and never
	// counts.
	Common float64
	// Base are texts whose values and passages never count, besides the
	// sandbox's banner and docker's fixed messages: the lab's own
	// instructions and commands (BaseFromLab).
	Base []string
}

// Defaults measured on the corpus in testdata/submissions, whose files are
// hand-made variations of a few sessions and so far closer to each other
// than a real class's: with these, files that share no swarm overlap at
// most 0.70 once common passages are left out, and a copy whose every ID
// was edited overlaps its original 0.86. Shared swarm-unique values are
// the stronger evidence; the overlap catches a copy cleaned of them.
const (
	DefaultK          = 16
	DefaultW          = 8
	DefaultMinValues  = 2
	DefaultMinOverlap = 0.8
	DefaultCommon     = 0.2
)

func (o Options) withDefaults() Options {
	if o.K <= 0 {
		o.K = DefaultK
	}
	if o.W <= 0 {
		o.W = DefaultW
	}
	if o.MinValues <= 0 {
		o.MinValues = DefaultMinValues
	}
	if o.MinOverlap <= 0 {
		o.MinOverlap = DefaultMinOverlap
	}
	if o.Common <= 0 {
		o.Common = DefaultCommon
	}
	return o
}

// Profiler reads submissions' texts, leaving out what its base texts
// hold.
type Profiler struct {
	opts   Options
	values map[string]bool
	prints map[uint64]bool
}

// NewProfiler reads the base texts once: Play with Docker's banner,
// docker's fixed messages and opts.Base.
func NewProfiler(opts Options) *Profiler {
	opts = opts.withDefaults()
	p := &Profiler{opts: opts, values: map[string]bool{}, prints: map[uint64]bool{}}
	for _, text := range append([]string{pwdBanner, dockerMessages}, opts.Base...) {
		lines := splitLines(text)
		for _, v := range extractValues(lines) {
			p.values[v.match()] = true
		}
		// Every k-gram of a base text, not only its winnowed ones: a
		// student's transcript frames the same passage differently.
		for _, f := range winnow(tokens(lines), opts.K, 1) {
			p.prints[f.Hash] = true
		}
	}
	return p
}

// Profile reads one submission's text. What the base texts hold is left
// out here, so that a profile carries all the comparison needs: merging a
// class's shards compares their profiles without the lab or the files.
func (p *Profiler) Profile(key, source string, text []byte) Profile {
	lines := splitLines(string(text))
	values := []Value{}
	for _, v := range extractValues(lines) {
		if !p.values[v.match()] {
			values = append(values, v)
		}
	}
	prints := []Fingerprint{}
	for _, f := range winnow(tokens(lines), p.opts.K, p.opts.W) {
		if !p.prints[f.Hash] {
			prints = append(prints, f)
		}
	}
	return Profile{Key: key, Source: source, Values: values, Fingerprints: prints}
}

func splitLines(s string) []string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.Split(s, "\n")
}

// BaseFromLab is the lab's own text: what every student is told to type
// and read, which two students share without having met.
func BaseFromLab(l *lab.Lab) string {
	var b strings.Builder
	for _, s := range l.Steps {
		b.WriteString(s.Title + "\n" + s.Instructions + "\n")
		for _, a := range s.Run {
			b.WriteString(a.Command + "\n")
		}
	}
	for _, it := range l.Rubric {
		b.WriteString(it.Title + "\n" + it.Hint + "\n")
	}
	return b.String()
}

// Find compares every pair of profiles and returns those that share at
// least opts.MinValues swarm-unique values or overlap above
// opts.MinOverlap, sorted by key.
func Find(profiles []Profile, opts Options) []report.Pair {
	opts = opts.withDefaults()
	commonValues, commonPrints := commonSets(profiles, opts)

	type prepared struct {
		values map[string]Value
		prints map[uint64][]int
	}
	prep := make([]prepared, len(profiles))
	for i, p := range profiles {
		pp := prepared{values: map[string]Value{}, prints: map[uint64][]int{}}
		for _, v := range p.Values {
			if !commonValues[v.match()] {
				pp.values[v.match()] = v
			}
		}
		for _, f := range p.Fingerprints {
			if !commonPrints[f.Hash] {
				pp.prints[f.Hash] = append(pp.prints[f.Hash], f.Line)
			}
		}
		prep[i] = pp
	}

	var pairs []report.Pair
	for i := range profiles {
		for j := i + 1; j < len(profiles); j++ {
			a, b, pa, pb := profiles[i], profiles[j], prep[i], prep[j]
			if b.Key < a.Key {
				a, b, pa, pb = b, a, pb, pa
			}
			pair := report.Pair{A: a.Key, B: b.Key, SourceA: a.Source, SourceB: b.Source}
			for _, v := range a.Values {
				w, ok := pb.values[v.match()]
				if _, mine := pa.values[v.match()]; !ok || !mine {
					continue
				}
				text := v.Text
				if len(w.Text) > len(text) {
					text = w.Text
				}
				kind := v.Kind
				if len(w.Text) > len(v.Text) {
					kind = w.Kind
				}
				pair.Values = append(pair.Values, report.SharedValue{Kind: string(kind), Text: text, LinesA: v.Lines, LinesB: w.Lines})
			}
			shared := 0
			var la, lb []int
			for h, lines := range pa.prints {
				if other, ok := pb.prints[h]; ok {
					shared++
					la = append(la, lines...)
					lb = append(lb, other...)
				}
			}
			union := len(pa.prints) + len(pb.prints) - shared
			if union > 0 {
				pair.Overlap = float64(shared) / float64(union)
			}
			byValues := len(pair.Values) >= opts.MinValues
			byText := pair.Overlap >= opts.MinOverlap
			if !byValues && !byText {
				continue
			}
			if byText {
				pair.LinesA, pair.LinesB = lineStarts(la), lineStarts(lb)
			}
			pairs = append(pairs, pair)
		}
	}
	sort.Slice(pairs, func(i, j int) bool {
		if pairs[i].A != pairs[j].A {
			return pairs[i].A < pairs[j].A
		}
		return pairs[i].B < pairs[j].B
	})
	return pairs
}

// commonSets are the values and fingerprints in more than opts.Common of
// the class: ones every session shows that no base text listed.
func commonSets(profiles []Profile, opts Options) (map[string]bool, map[uint64]bool) {
	values, prints := map[string]bool{}, map[uint64]bool{}
	// Three students who share one swarm's values are three files, so a
	// value takes more than three files to be common; a passage of the
	// lab's outputs, more than two.
	share := int(opts.Common * float64(len(profiles)))
	valueLimit, printLimit := max(3, share), max(2, share)
	valueFiles, printFiles := map[string]int{}, map[uint64]int{}
	for _, p := range profiles {
		seenV, seenF := map[string]bool{}, map[uint64]bool{}
		for _, v := range p.Values {
			if !seenV[v.match()] {
				seenV[v.match()] = true
				valueFiles[v.match()]++
			}
		}
		for _, f := range p.Fingerprints {
			if !seenF[f.Hash] {
				seenF[f.Hash] = true
				printFiles[f.Hash]++
			}
		}
	}
	for v, n := range valueFiles {
		if n > valueLimit {
			values[v] = true
		}
	}
	for f, n := range printFiles {
		if n > printLimit {
			prints[f] = true
		}
	}
	return values, prints
}

// lineStarts sorts lines and keeps the first of each run of consecutive
// ones: where each shared passage starts.
func lineStarts(lines []int) []int {
	sort.Ints(lines)
	var out []int
	for i, l := range lines {
		if i > 0 && (l == lines[i-1] || l == lines[i-1]+1) {
			continue
		}
		out = append(out, l)
	}
	return out
}
