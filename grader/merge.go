package grader

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/labcheck/labcheck/grader/report"
	"github.com/labcheck/labcheck/grader/similarity"
)

// ManifestFile is the name of a shard's manifest in its --out directory.
const ManifestFile = "shard.json"

// ManifestSchema names the manifest's JSON shape.
const ManifestSchema = "labcheck.shard/v1"

// Manifest says what one shard of a class graded: enough for merge to
// check that shards belong together, find its reports and compare its
// submissions with the other shards' without their files.
type Manifest struct {
	Schema string      `json:"schema"`
	Lab    ManifestLab `json:"lab"`
	// Shard is "K/N"; K and N repeat it as numbers.
	Shard    string `json:"shard"`
	K        int    `json:"k"`
	N        int    `json:"n"`
	Labcheck string `json:"labcheck"`
	// Formats are the report formats written beside the manifest.
	Formats     []string        `json:"formats"`
	Submissions []ManifestEntry `json:"submissions"`
	// Evidence is each submission's similarity profile.
	Evidence []similarity.Profile `json:"evidence"`
}

// ManifestLab identifies the lab a shard was graded against.
type ManifestLab struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

func (l ManifestLab) String() string {
	s := fmt.Sprintf("lab %q", l.Name)
	if l.Version != "" {
		s += " version " + l.Version
	}
	return s
}

// ManifestEntry is one graded submission: its key (the base name of its
// reports) and its file.
type ManifestEntry struct {
	Key    string `json:"key"`
	Source string `json:"source"`
}

// WriteManifest writes m as indented JSON.
func WriteManifest(w io.Writer, m Manifest) error {
	m.Schema = ManifestSchema
	if m.Submissions == nil {
		m.Submissions = []ManifestEntry{}
	}
	if m.Evidence == nil {
		m.Evidence = []similarity.Profile{}
	}
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return fmt.Errorf("write shard manifest: %w", err)
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// ReadManifest reads a manifest WriteManifest wrote.
func ReadManifest(r io.Reader) (Manifest, error) {
	var m Manifest
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		return Manifest{}, fmt.Errorf("read shard manifest: %w", err)
	}
	if m.Schema != ManifestSchema {
		return Manifest{}, fmt.Errorf("read shard manifest: schema %q, want %q", m.Schema, ManifestSchema)
	}
	sh := Shard{K: m.K, N: m.N}
	if err := sh.Validate(); err != nil || sh.String() != m.Shard {
		return Manifest{}, fmt.Errorf("read shard manifest: shard %q (k %d, n %d) is not a part of a class", m.Shard, m.K, m.N)
	}
	return m, nil
}

// LoadedShard is one shard's directory read back: its manifest and its
// submissions' reports, in the manifest's order.
type LoadedShard struct {
	Dir      string
	Manifest Manifest
	Reports  []*report.Report
}

// LoadShard reads a shard's manifest and the JSON report of every
// submission it lists.
func LoadShard(dir string) (LoadedShard, error) {
	data, err := os.ReadFile(filepath.Join(dir, ManifestFile))
	if errors.Is(err, os.ErrNotExist) {
		return LoadedShard{}, fmt.Errorf("%s has no %s: it is not the --out of `labcheck grade --shard K/N`", dir, ManifestFile)
	}
	if err != nil {
		return LoadedShard{}, err
	}
	m, err := ReadManifest(bytes.NewReader(data))
	if err != nil {
		return LoadedShard{}, fmt.Errorf("%s: %w", dir, err)
	}
	if !slices.Contains(m.Formats, "json") {
		return LoadedShard{}, fmt.Errorf("%s (shard %s) was graded with --format %s: merge reads the JSON reports, so grade every shard with json among --format (e.g. --format json,text)",
			dir, m.Shard, strings.Join(m.Formats, ","))
	}
	ls := LoadedShard{Dir: dir, Manifest: m}
	for _, e := range m.Submissions {
		path := filepath.Join(dir, e.Key+report.FileExt("json"))
		f, err := os.Open(path)
		if err != nil {
			return LoadedShard{}, fmt.Errorf("shard %s in %s: report of %s: %w", m.Shard, dir, e.Key, err)
		}
		r, err := report.ReadJSON(f)
		f.Close()
		if err != nil {
			return LoadedShard{}, fmt.Errorf("shard %s in %s: %s: %w", m.Shard, dir, path, err)
		}
		ls.Reports = append(ls.Reports, r)
	}
	return ls, nil
}

// Class is a whole class put together from its shards.
type Class struct {
	Lab ManifestLab
	N   int
	// Reports are sorted by key, as a single run writes them.
	Reports  []*report.Report
	Evidence []similarity.Profile
	// Missing are the K of the shards not given; Duplicates say which
	// submissions more than one shard graded (the first one's report is
	// kept). Either means the class is not whole.
	Missing    []int
	Duplicates []string
}

// Complete reports whether every shard was given once and no submission
// was graded twice.
func (c *Class) Complete() bool { return len(c.Missing) == 0 && len(c.Duplicates) == 0 }

// Problems are Missing and Duplicates as sentences.
func (c *Class) Problems() []string {
	var out []string
	for _, k := range c.Missing {
		out = append(out, fmt.Sprintf("shard %d/%d is missing: its submissions are not in the gradebook", k, c.N))
	}
	return append(out, c.Duplicates...)
}

// MergeShards puts a class together. Shards of different labs, lab
// versions or numbers of shards are refused: their grades do not belong
// in one gradebook.
func MergeShards(shards []LoadedShard) (*Class, error) {
	if len(shards) == 0 {
		return nil, errors.New("merge: no shards")
	}
	first := shards[0]
	c := &Class{Lab: first.Manifest.Lab, N: first.Manifest.N}
	for _, s := range shards[1:] {
		if s.Manifest.Lab != c.Lab {
			return nil, fmt.Errorf("merge: %s (shard %s) was graded against %s, %s (shard %s) against %s: merge shards of one lab and version only",
				s.Dir, s.Manifest.Shard, s.Manifest.Lab, first.Dir, first.Manifest.Shard, c.Lab)
		}
		if s.Manifest.N != c.N {
			return nil, fmt.Errorf("merge: %s is shard %s, %s is shard %s: every shard of a class splits it into the same number of parts",
				s.Dir, s.Manifest.Shard, first.Dir, first.Manifest.Shard)
		}
	}
	present := map[int]bool{}
	gradedBy := map[string]string{} // lower-case key → "dir (shard K/N)"
	evidence := map[string]similarity.Profile{}
	for _, s := range shards {
		present[s.Manifest.K] = true
		for _, p := range s.Manifest.Evidence {
			evidence[p.Key] = p
		}
		where := fmt.Sprintf("%s (shard %s)", s.Dir, s.Manifest.Shard)
		for i, e := range s.Manifest.Submissions {
			k := strings.ToLower(e.Key)
			if prev, ok := gradedBy[k]; ok {
				c.Duplicates = append(c.Duplicates, fmt.Sprintf("%s (%s) was graded twice, in %s and in %s: the report from %s is kept",
					e.Key, e.Source, prev, where, prev))
				continue
			}
			gradedBy[k] = where
			c.Reports = append(c.Reports, s.Reports[i])
			if p, ok := evidence[e.Key]; ok {
				c.Evidence = append(c.Evidence, p)
			}
		}
	}
	for k := 1; k <= c.N; k++ {
		if !present[k] {
			c.Missing = append(c.Missing, k)
		}
	}
	sort.SliceStable(c.Reports, func(i, j int) bool { return c.Reports[i].Subject < c.Reports[j].Subject })
	sort.SliceStable(c.Evidence, func(i, j int) bool { return c.Evidence[i].Key < c.Evidence[j].Key })
	return c, nil
}
