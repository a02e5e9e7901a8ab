package grader

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/labcheck/labcheck/grader/report"
	"github.com/labcheck/labcheck/grader/similarity"
)

func loaded(dir string, k, n int, lab ManifestLab, keys ...string) LoadedShard {
	s := LoadedShard{Dir: dir, Manifest: Manifest{Schema: ManifestSchema, Lab: lab, Shard: Shard{k, n}.String(), K: k, N: n, Formats: []string{"json"}}}
	for _, key := range keys {
		s.Manifest.Submissions = append(s.Manifest.Submissions, ManifestEntry{Key: key, Source: key + ".txt"})
		s.Manifest.Evidence = append(s.Manifest.Evidence, similarity.Profile{Key: key, Source: key + ".txt"})
		s.Reports = append(s.Reports, &report.Report{Subject: key, Source: key + ".txt"})
	}
	return s
}

func TestMergeShards(t *testing.T) {
	orch := ManifestLab{Name: "orchestration", Version: "1"}
	tests := []struct {
		name       string
		shards     []LoadedShard
		err        string
		keys       []string
		missing    []int
		duplicates []string
	}{
		{
			name:   "a whole class, keys sorted across shards",
			shards: []LoadedShard{loaded("s2", 2, 2, orch, "bob", "ana"), loaded("s1", 1, 2, orch, "cat")},
			keys:   []string{"ana", "bob", "cat"},
		},
		{
			name:    "a shard missing",
			shards:  []LoadedShard{loaded("s1", 1, 3, orch, "ana"), loaded("s3", 3, 3, orch, "cat")},
			keys:    []string{"ana", "cat"},
			missing: []int{2},
		},
		{
			name:       "a submission in two shards, the first kept",
			shards:     []LoadedShard{loaded("s1", 1, 2, orch, "ana"), loaded("s2", 2, 2, orch, "ANA", "bob")},
			keys:       []string{"ana", "bob"},
			duplicates: []string{"ANA (ANA.txt) was graded twice, in s1 (shard 1/2) and in s2 (shard 2/2): the report from s1 (shard 1/2) is kept"},
		},
		{
			name:   "another lab version",
			shards: []LoadedShard{loaded("s1", 1, 2, orch, "ana"), loaded("s2", 2, 2, ManifestLab{Name: "orchestration", Version: "2"}, "bob")},
			err:    `merge: s2 (shard 2/2) was graded against lab "orchestration" version 2, s1 (shard 1/2) against lab "orchestration" version 1: merge shards of one lab and version only`,
		},
		{
			name:   "another lab",
			shards: []LoadedShard{loaded("s1", 1, 2, orch, "ana"), loaded("s2", 2, 2, ManifestLab{Name: "ha", Version: "1"}, "bob")},
			err:    `against lab "ha" version 1`,
		},
		{
			name:   "another number of shards",
			shards: []LoadedShard{loaded("s1", 1, 2, orch, "ana"), loaded("s2", 2, 3, orch, "bob")},
			err:    "s2 is shard 2/3, s1 is shard 1/2",
		},
		{name: "nothing", err: "no shards"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := MergeShards(tc.shards)
			if tc.err != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tc.err)
				return
			}
			require.NoError(t, err)
			var keys, evidence []string
			for _, r := range c.Reports {
				keys = append(keys, r.Subject)
			}
			for _, p := range c.Evidence {
				evidence = append(evidence, strings.ToLower(p.Key))
			}
			assert.Equal(t, tc.keys, keys)
			assert.Equal(t, tc.keys, evidence, "one profile per kept report")
			assert.Equal(t, tc.missing, c.Missing)
			assert.Equal(t, tc.duplicates, c.Duplicates)
			assert.Equal(t, len(tc.missing) == 0 && len(tc.duplicates) == 0, c.Complete())
		})
	}
}

func TestManifestRoundTrip(t *testing.T) {
	m := loaded("s", 2, 3, ManifestLab{Name: "orchestration", Version: "1"}, "ana").Manifest
	m.Labcheck = "v1.2.3"
	var b bytes.Buffer
	require.NoError(t, WriteManifest(&b, m))
	got, err := ReadManifest(&b)
	require.NoError(t, err)
	assert.Equal(t, m, got)

	for name, bad := range map[string]string{
		"another schema": `{"schema": "labcheck.shard/v9", "shard": "1/1", "k": 1, "n": 1}`,
		"shard mismatch": `{"schema": "labcheck.shard/v1", "shard": "1/2", "k": 2, "n": 2}`,
		"unknown field":  `{"schema": "labcheck.shard/v1", "shard": "1/1", "k": 1, "n": 1, "extra": true}`,
		"not a shard":    `{"schema": "labcheck.shard/v1", "shard": "3/2", "k": 3, "n": 2}`,
	} {
		t.Run(name, func(t *testing.T) {
			_, err := ReadManifest(strings.NewReader(bad))
			assert.Error(t, err)
		})
	}
}
