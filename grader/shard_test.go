package grader

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseShard(t *testing.T) {
	tests := []struct {
		name, in string
		want     Shard
		err      string
	}{
		{name: "first of three", in: "1/3", want: Shard{1, 3}},
		{name: "last of three", in: "3/3", want: Shard{3, 3}},
		{name: "one shard is the whole class", in: "1/1", want: Shard{1, 1}},
		{name: "spaces around", in: " 2/4 ", want: Shard{2, 4}},
		{name: "K is 1-based", in: "0/3", err: "K must be between 1 and 3"},
		{name: "K above N", in: "4/3", err: "K must be between 1 and 3"},
		{name: "no parts", in: "1/0", err: "N must be at least 1"},
		{name: "negative", in: "-1/3", err: "K must be between 1 and 3"},
		{name: "no slash", in: "2", err: "want K/N"},
		{name: "words", in: "two/three", err: "whole numbers"},
		{name: "empty", in: "", err: "want K/N"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseShard(tc.in)
			if tc.err != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tc.err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestShardHolds(t *testing.T) {
	tests := []struct {
		name string
		path string
		n    int
		want int // the K that holds it
	}{
		// Pinned (FNV-1a 64 of "alice" is 0x508b2abb65a03907) so that a
		// change of hash, which would move files between the runners of
		// a class mid-term, fails a test.
		{name: "alice of 3", path: "class/alice.txt", n: 3, want: 3},
		{name: "alice of 4", path: "class/alice.txt", n: 4, want: 4},
		{name: "folder does not matter", path: "other/alice.txt", n: 3, want: 3},
		{name: "extension does not matter", path: "alice.md", n: 3, want: 3},
		{name: "case does not matter", path: "ALICE.txt", n: 3, want: 3},
		{name: "one shard holds all", path: "bob.sh", n: 1, want: 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for k := 1; k <= tc.n; k++ {
				assert.Equal(t, k == tc.want, Shard{k, tc.n}.Holds(tc.path), "shard %d/%d", k, tc.n)
			}
		})
	}
}

func TestShardFilesPartitionTheClass(t *testing.T) {
	var files []string
	for i := range 200 {
		files = append(files, fmt.Sprintf("class/student-%03d.txt", i))
	}
	files = append(files, "a/alice.txt", "b/alice.txt")
	for n := 1; n <= 5; n++ {
		seen := map[string]int{}
		for k := 1; k <= n; k++ {
			part := Shard{k, n}.Files(files)
			if n > 1 {
				assert.Less(t, len(part), len(files)*3/(2*n)+1, "shard %d/%d holds about 1/%d of the class", k, n, n)
			}
			for _, f := range part {
				seen[f]++
			}
			aliceHere := Shard{k, n}.Holds("a/alice.txt")
			assert.Equal(t, aliceHere, Shard{k, n}.Holds("b/alice.txt"), "files with one name share a shard")
		}
		for _, f := range files {
			assert.Equal(t, 1, seen[f], "%s is in exactly one of %d shards", f, n)
		}
	}
}
