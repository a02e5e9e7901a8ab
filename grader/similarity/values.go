// Package similarity finds submissions of one class that share evidence:
// values only one swarm ever produces (join tokens, node, service, task and
// container IDs), or transcripts that stay near-identical once those
// values, addresses and case are normalised away (winnowed k-gram
// fingerprints, as MOSS compares programs).
//
// It reports what two files have in common and where; it never decides
// that anyone copied, and it never changes a score. An instructor reads the
// evidence and decides.
package similarity

import (
	"regexp"
	"strings"
)

// Kind names a class of swarm-unique value.
type Kind string

const (
	KindJoinToken Kind = "join token"
	// KindSwarmID is a 25-character swarm, node, service or task ID, or
	// its 12-character short form.
	KindSwarmID     Kind = "swarm ID"
	KindContainerID Kind = "container ID"
)

// Value is one swarm-unique value as one file shows it.
type Value struct {
	Kind Kind `json:"kind"`
	// Text is the longest form the file shows (the full ID rather than
	// its 12-character prefix).
	Text string `json:"text"`
	// Lines are the 1-based lines of the file it appears on.
	Lines []int `json:"lines"`
}

// match is the value's identity across files: docker shows the same ID
// in full in one command's output and cut to 12 characters in another's,
// so two files share an ID when they share its first 12 characters.
func (v Value) match() string {
	if v.Kind == KindJoinToken {
		return v.Text
	}
	return v.Text[:12]
}

var (
	// Docker's join tokens: SWMTKN-1-<50 base-36>-<25 base-36>; invented
	// tokens in transcripts are not always that long, and still unique.
	joinTokenRE = regexp.MustCompile(`SWMTKN-1-[0-9a-z]+-[0-9a-z]+`)
	// wordRE finds candidate IDs: runs of base-36 characters; the length
	// and alphabet decide what a run is.
	wordRE = regexp.MustCompile(`[0-9a-zA-Z]+`)
	// ansiRE is a terminal escape sequence, as typescripts record them,
	// and jsonEscRE the escapes asciinema casts write them as; both can
	// sit inside a value (a pasted token drawn in reverse video).
	ansiRE    = regexp.MustCompile(`\x1b(\[[0-9;?]*[ -/]*[@-~]|\][^\x07]*\x07|[()][0-9A-Za-z]|[=>78])`)
	jsonEscRE = regexp.MustCompile(`\\u001[bB](\[[0-9;?]*[ -/]*[@-~]|\][^\\]*\\u0007|[()][0-9A-Za-z]|[=>78])`)
	// fixedLineRE are lines docker prints the same for everyone who pulls
	// the same image: layer IDs and digests are the image's, not the
	// swarm's.
	fixedLineRE = regexp.MustCompile(`(?i)(sha256:|: *(pull complete|pulling fs layer|already exists|download complete|verifying checksum|waiting|downloading|extracting)\b)`)
)

// cleanLine removes what a recording adds around the text a student saw:
// escape sequences (removed, so a value they cut in two is whole again)
// and the \r\n a cast writes as escapes (a space, so values either side
// stay apart).
func cleanLine(s string) string {
	s = jsonEscRE.ReplaceAllString(s, "")
	s = ansiRE.ReplaceAllString(s, "")
	for _, esc := range []string{`\r`, `\n`, `\t`, `\"`, "\r", "\t"} {
		s = strings.ReplaceAll(s, esc, " ")
	}
	return s
}

// classify says whether a base-36 run is a swarm-unique value. Runs of
// only letters or only digits are words and numbers, not IDs: a random
// 12-character ID lacks a digit or a letter about once in 500 times.
func classify(w string) (Kind, bool) {
	if strings.ToLower(w) != w {
		return "", false
	}
	hasDigit := strings.ContainsAny(w, "0123456789")
	hasLetter := strings.IndexFunc(w, func(r rune) bool { return r >= 'a' && r <= 'z' }) >= 0
	if !hasDigit || !hasLetter {
		return "", false
	}
	hex := strings.Trim(w, "0123456789abcdef") == ""
	switch {
	case len(w) == 64 && hex:
		return KindContainerID, true
	case len(w) == 12 && hex:
		return KindContainerID, true
	case len(w) == 25, len(w) == 12:
		return KindSwarmID, true
	}
	return "", false
}

// extractValues finds the swarm-unique values of a text, each with the
// lines it is on, in order of first appearance.
func extractValues(lines []string) []Value {
	var out []Value
	at := map[string]int{}
	add := func(kind Kind, text string, line int) {
		v := Value{Kind: kind, Text: text}
		key := v.match()
		i, ok := at[key]
		if !ok {
			at[key] = len(out)
			out = append(out, Value{Kind: kind, Text: text, Lines: []int{line}})
			return
		}
		if len(text) > len(out[i].Text) {
			out[i].Text, out[i].Kind = text, kind
		}
		if ls := out[i].Lines; ls[len(ls)-1] != line {
			out[i].Lines = append(ls, line)
		}
	}
	for n, raw := range lines {
		line := cleanLine(raw)
		if fixedLineRE.MatchString(line) {
			continue
		}
		for _, tok := range joinTokenRE.FindAllString(line, -1) {
			add(KindJoinToken, tok, n+1)
		}
		rest := joinTokenRE.ReplaceAllString(line, " ")
		for _, w := range wordRE.FindAllString(rest, -1) {
			if kind, ok := classify(w); ok {
				add(kind, w, n+1)
			}
		}
	}
	return out
}
