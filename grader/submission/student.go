package submission

import (
	"path/filepath"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// studentLines is how far from the top a student line is looked for: a
// name further down is prose, not a header.
const studentLines = 25

// maxClaimRunes bounds a claimed name: it is shown beside the key in every
// report and in the gradebook, and a name longer than this is not one.
const maxClaimRunes = 80

// maxKeyBytes keeps a key, with the longest report extension after it, well
// inside the 255 bytes a file name may have.
const maxKeyBytes = 100

var studentLine = regexp.MustCompile(`(?i)^(?:<!--)?[\s#>*_-]*student(?:\s*(?:name|id))?\s*[*_]*\s*[:=]\s*[*_]*\s*(.*?)\s*(?:-->)?[\s*_]*$`)

// identify names a submission twice: student, for people to read, is the
// name it claims or else its file name; claimed is only what it claims, ""
// when it claims nothing. Neither is a key: see Key.
func identify(source string, lines []string) (student, claimed string) {
	claimed = studentFromLines(lines)
	if claimed != "" {
		return claimed, claimed
	}
	base := filepath.Base(source)
	return strings.TrimSuffix(base, filepath.Ext(base)), ""
}

// studentFromLines finds "# student: Jane Doe", "student: Jane Doe" or
// "**Student:** Jane Doe" near the top.
func studentFromLines(lines []string) string {
	for i, line := range lines {
		if i >= studentLines {
			break
		}
		if m := studentLine.FindStringSubmatch(strings.TrimSpace(line)); m != nil && m[1] != "" {
			return cleanClaim(m[1])
		}
	}
	return ""
}

// cleanClaim keeps a claimed name printable and short: it is the student's
// own text, shown in an instructor's terminal and spreadsheet.
func cleanClaim(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, s)
	s = strings.TrimSpace(s)
	if utf8.RuneCountInString(s) > maxClaimRunes {
		s = string([]rune(s)[:maxClaimRunes-1]) + "…"
	}
	return s
}

// keyUnsafe is what a key may not hold. Letters, marks and digits of any
// script are safe in a file name everywhere labcheck runs; a dot is not
// allowed, so that a key plus a report extension can never be another
// key's file ("alice.results" + ".json" against alice's results.json) and
// no key is hidden or climbs a directory.
var keyUnsafe = regexp.MustCompile(`[^\p{L}\p{M}\p{N}_-]+`)

// Key is the name a submission is filed under in the gradebook and its
// report files: the base name of its file (or folder) without the
// extension, made safe for a file system. It comes from where the
// instructor put the file, never from what the file says, so a submission
// cannot take another student's row or overwrite their report. Keys are
// unique per file only within a folder; a batch makes them unique across
// folders.
func Key(source string) string {
	base := filepath.Base(filepath.Clean(source))
	base = strings.TrimSuffix(base, filepath.Ext(base))
	k := keyUnsafe.ReplaceAllString(base, "_")
	// A leading dash reads as a flag in the shell an instructor opens the
	// report folder in.
	k = strings.TrimLeft(k, "-")
	if len(k) > maxKeyBytes {
		cut := maxKeyBytes
		for cut > 0 && !utf8.RuneStart(k[cut]) {
			cut--
		}
		k = k[:cut]
	}
	if strings.Trim(k, "_") == "" {
		return "submission"
	}
	return k
}

// Key is the submission's key; see the function Key.
func (s *Submission) Key() string { return Key(s.Source) }
