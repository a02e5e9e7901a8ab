package similarity

import (
	"hash/fnv"
	"regexp"
	"strings"
)

// Fingerprint is one winnowed k-gram hash of a text and the line its first
// token is on.
type Fingerprint struct {
	Hash uint64 `json:"h"`
	Line int    `json:"l"`
}

var (
	ipRE = regexp.MustCompile(`\b\d{1,3}(\.\d{1,3}){3}(:\d+)?\b`)
	// tokenRE splits normalised text into words; punctuation (progress
	// bars, table rules) carries nothing a student wrote.
	tokenRE = regexp.MustCompile(`[a-z0-9_]+|<[a-z]+>`)
)

// token is one normalised word and its line.
type token struct {
	text string
	line int
}

// tokens normalises lines as the comparison sees them: lower case, every
// swarm-unique value and address replaced by its kind, so that a copy
// whose IDs were edited reads the same as its original.
func tokens(lines []string) []token {
	var out []token
	for n, raw := range lines {
		line := cleanLine(raw)
		line = joinTokenRE.ReplaceAllString(line, " <token> ")
		line = ipRE.ReplaceAllString(line, " <ip> ")
		line = wordRE.ReplaceAllStringFunc(line, func(w string) string {
			if _, ok := classify(w); ok {
				return " <id> "
			}
			return w
		})
		for _, t := range tokenRE.FindAllString(strings.ToLower(line), -1) {
			out = append(out, token{t, n + 1})
		}
	}
	return out
}

// winnow hashes every k-gram of toks and keeps, from each window of w
// consecutive hashes, the smallest (the rightmost of equals), as Schleimer,
// Wilkerson and Aiken's winnowing does: any passage of at least w+k-1
// tokens two texts share yields at least one common fingerprint.
func winnow(toks []token, k, w int) []Fingerprint {
	if len(toks) < k {
		return nil
	}
	hashes := make([]uint64, len(toks)-k+1)
	for i := range hashes {
		h := fnv.New64a()
		for _, t := range toks[i : i+k] {
			h.Write([]byte(t.text))
			h.Write([]byte{0})
		}
		hashes[i] = h.Sum64()
	}
	var out []Fingerprint
	last := -1
	for start := 0; start+w <= len(hashes) || (start == 0 && len(hashes) < w); start++ {
		end := min(start+w, len(hashes))
		m := start
		for i := start; i < end; i++ {
			if hashes[i] <= hashes[m] {
				m = i
			}
		}
		if m != last {
			out = append(out, Fingerprint{Hash: hashes[m], Line: toks[m].line})
			last = m
		}
		if end == len(hashes) {
			break
		}
	}
	return out
}
