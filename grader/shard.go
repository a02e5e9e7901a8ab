package grader

import (
	"fmt"
	"hash/fnv"
	"strconv"
	"strings"

	"github.com/labcheck/labcheck/grader/submission"
)

// Shard is the K-th of N parts of a class, 1 <= K <= N: what one CI runner
// grades when a class is split across a matrix of runners.
type Shard struct {
	K, N int
}

// ParseShard reads "K/N".
func ParseShard(s string) (Shard, error) {
	ks, ns, ok := strings.Cut(strings.TrimSpace(s), "/")
	if !ok {
		return Shard{}, fmt.Errorf("shard %q: want K/N, e.g. 2/4", s)
	}
	k, errK := strconv.Atoi(ks)
	n, errN := strconv.Atoi(ns)
	if errK != nil || errN != nil {
		return Shard{}, fmt.Errorf("shard %q: K and N must be whole numbers, e.g. 2/4", s)
	}
	sh := Shard{K: k, N: n}
	return sh, sh.Validate()
}

// Validate reports a shard that names no part of a class.
func (s Shard) Validate() error {
	switch {
	case s.N < 1:
		return fmt.Errorf("shard %s: N must be at least 1", s)
	case s.K < 1 || s.K > s.N:
		return fmt.Errorf("shard %s: K must be between 1 and %d", s, s.N)
	}
	return nil
}

func (s Shard) String() string { return strconv.Itoa(s.K) + "/" + strconv.Itoa(s.N) }

// Holds reports whether a submission file belongs to the shard. It hashes
// the file's key without case (FNV-1a, 64 bits), so a re-run grades the
// same files whatever else the folder holds, and files that share a name
// (a/alice.txt, b/alice.txt) land in one shard, where the batch makes
// their keys unique as a single run would.
func (s Shard) Holds(path string) bool {
	h := fnv.New64a()
	h.Write([]byte(strings.ToLower(submission.Key(path))))
	return h.Sum64()%uint64(s.N) == uint64(s.K-1)
}

// Files keeps the files the shard holds, in their order.
func (s Shard) Files(files []string) []string {
	var out []string
	for _, f := range files {
		if s.Holds(f) {
			out = append(out, f)
		}
	}
	return out
}
