package submission

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// invalidUTF8Tolerance is how many stray non-UTF-8 bytes a submission may
// hold before it is taken for binary: a few come from a Windows editor's
// code page (smart quotes saved as 0x93/0x94), many mean it is not text.
func invalidUTF8Tolerance(size int) int {
	return max(8, size/100)
}

// normalize turns a submission's bytes into LF-separated text with ASCII
// quotes and dashes, so that the shell reads what the student meant. Every
// kind of fix is counted once and reported as one note, in a fixed order.
func normalize(data []byte) (string, []string, error) {
	var notes []string

	if text, ok := decodeUTF16(data); ok {
		data = []byte(text)
		notes = append(notes, "decoded UTF-16 text (as Windows PowerShell and Notepad save it)")
	} else if i := bytes.IndexByte(data, 0); i >= 0 {
		return "", nil, &ParseError{Line: lineAt(data, i), Msg: "not text: found a NUL byte (is this a binary file? hand in the transcript, script or Markdown as text)"}
	}
	if b, ok := bytes.CutPrefix(data, []byte("\xef\xbb\xbf")); ok {
		data = b
		notes = append(notes, "removed the byte order mark (BOM) at the start")
	}
	if !utf8.Valid(data) {
		text, bad, first := decodeLossy(data)
		if bad > invalidUTF8Tolerance(len(data)) {
			return "", nil, &ParseError{Line: first, Msg: fmt.Sprintf("not text: %d bytes are not valid UTF-8 (first on line %d)", bad, first)}
		}
		data = []byte(text)
		notes = append(notes, fmt.Sprintf("read %s that %s not UTF-8 as Windows-1252 (first on line %d)", plural(bad, "byte"), isAre(bad), first))
	}
	text := string(data)

	if n := strings.Count(text, "\r\n"); n > 0 {
		text = strings.ReplaceAll(text, "\r\n", "\n")
		notes = append(notes, "converted Windows line endings (CRLF) to LF")
	}
	if n := strings.Count(text, "\r"); n > 0 {
		text = strings.ReplaceAll(text, "\r", "\n")
		notes = append(notes, fmt.Sprintf("converted %s (CR) to line breaks", plural(n, "carriage return")))
	}
	if n := len(ansiEscape.FindAllStringIndex(text, -1)); n > 0 {
		first := lineAt([]byte(text), ansiEscape.FindStringIndex(text)[0])
		text = ansiEscape.ReplaceAllString(text, "")
		notes = append(notes, fmt.Sprintf("removed %s (colours, cursor moves; first on line %d)", plural(n, "terminal escape sequence"), first))
	}
	text, runeNotes := normalizeRunes(text)
	return text, append(notes, runeNotes...), nil
}

// ansiEscape matches what a terminal capture keeps of colours and cursor
// movement: CSI and OSC sequences and the two-byte escapes.
var ansiEscape = regexp.MustCompile("\x1b(?:\\[[0-9;?]*[ -/]*[@-~]|\\][^\x07\x1b]*(?:\x07|\x1b\\\\)|[()][0-9A-Za-z]|[@-Z\\\\-_])")

func decodeUTF16(data []byte) (string, bool) {
	var bigEndian bool
	switch {
	case bytes.HasPrefix(data, []byte{0xff, 0xfe}):
	case bytes.HasPrefix(data, []byte{0xfe, 0xff}):
		bigEndian = true
	default:
		return "", false
	}
	data = data[2:]
	units := make([]uint16, 0, len(data)/2)
	for i := 0; i+1 < len(data); i += 2 {
		if bigEndian {
			units = append(units, uint16(data[i])<<8|uint16(data[i+1]))
		} else {
			units = append(units, uint16(data[i+1])<<8|uint16(data[i]))
		}
	}
	return string(utf16.Decode(units)), true
}

// windows1252 maps the bytes 0x80-0x9F of Windows-1252 that matter in a
// pasted command; the rest of 0x80-0xFF is read as Latin-1.
var windows1252 = map[byte]rune{
	0x80: '€', 0x85: '…', 0x91: '‘', 0x92: '’', 0x93: '“', 0x94: '”', 0x96: '–', 0x97: '—', 0x99: '™',
}

func decodeLossy(data []byte) (text string, bad, firstLine int) {
	var b strings.Builder
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size <= 1 {
			if bad == 0 {
				firstLine = lineAt(data, i)
			}
			bad++
			c := data[i]
			if m, ok := windows1252[c]; ok {
				b.WriteRune(m)
			} else if c >= 0xa0 {
				b.WriteRune(rune(c))
			} else {
				b.WriteRune(utf8.RuneError)
			}
			i++
			continue
		}
		b.WriteRune(r)
		i += size
	}
	return b.String(), bad, firstLine
}

func lineAt(data []byte, offset int) int {
	return bytes.Count(data[:offset], []byte("\n")) + 1
}

// runeFix is one kind of character repair; the order of runeFixes is the
// order of the notes.
type runeFix int

const (
	fixSmartQuote runeFix = iota
	fixDashFlag
	fixHyphen
	fixSpace
	fixZeroWidth
	fixControl
	numFixes
)

var fixNotes = [numFixes][2]string{
	fixSmartQuote: {"replaced %s with ASCII quotes (first on line %d)", "smart quote"},
	fixDashFlag:   {"replaced %s starting a flag with ASCII dashes, e.g. –name → --name (first on line %d)", "en/em dash"},
	fixHyphen:     {"replaced %s with ASCII '-' (first on line %d)", "Unicode hyphen/minus sign"},
	fixSpace:      {"replaced %s with plain spaces (first on line %d)", "non-breaking or typographic space"},
	fixZeroWidth:  {"removed %s (first on line %d)", "zero-width character"},
	fixControl:    {"removed %s (first on line %d)", "control character"},
}

func normalizeRunes(text string) (string, []string) {
	var count, first [numFixes]int
	record := func(f runeFix, line int) {
		if count[f] == 0 {
			first[f] = line
		}
		count[f]++
	}
	rs := []rune(text)
	var b strings.Builder
	b.Grow(len(text))
	line := 1
	for i, r := range rs {
		switch {
		case r == '\n':
			line++
			b.WriteRune(r)
		case r == '‘' || r == '’' || r == '‚' || r == '‛' || r == '′':
			record(fixSmartQuote, line)
			b.WriteByte('\'')
		case r == '“' || r == '”' || r == '„' || r == '‟' || r == '″':
			record(fixSmartQuote, line)
			b.WriteByte('"')
		case (r == '–' || r == '—') && startsFlag(rs, i):
			record(fixDashFlag, line)
			if flagWordLen(rs[i+1:]) == 1 {
				b.WriteByte('-')
			} else {
				b.WriteString("--")
			}
		case r == '‐' || r == '‑' || r == '‒' || r == '−' || r == '﹣' || r == '－':
			record(fixHyphen, line)
			b.WriteByte('-')
		case r == '\u00a0' || r == '\u202f' || r == '\u3000' || (r >= '\u2000' && r <= '\u200a') || r == '\u205f':
			record(fixSpace, line)
			b.WriteByte(' ')
		case r == '\u200b' || r == '\u200c' || r == '\u200d' || r == '\u2060' || r == '\ufeff' || r == '\u00ad':
			record(fixZeroWidth, line)
		case r != '\t' && (r < 0x20 || r == 0x7f):
			record(fixControl, line)
		default:
			b.WriteRune(r)
		}
	}
	var notes []string
	for f := range numFixes {
		if count[f] > 0 {
			notes = append(notes, fmt.Sprintf(fixNotes[f][0], plural(count[f], fixNotes[f][1]), first[f]))
		}
	}
	return b.String(), notes
}

// startsFlag reports whether the dash at rs[i] begins a word followed by a
// letter — where Word turned a typed "--name" into "–name". A dash between
// words ("step 2 – scale") stays as it is.
func startsFlag(rs []rune, i int) bool {
	if i > 0 && !unicode.IsSpace(rs[i-1]) && rs[i-1] != '=' && rs[i-1] != '`' {
		return false
	}
	return i+1 < len(rs) && unicode.IsLetter(rs[i+1]) && rs[i+1] < utf8.RuneSelf
}

// flagWordLen counts the flag name after the dash: one letter was a short
// flag (-d), more a long one (--detach).
func flagWordLen(rs []rune) int {
	n := 0
	for _, r := range rs {
		if r >= utf8.RuneSelf || !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-') {
			break
		}
		n++
	}
	return n
}

// plural writes "1 smart quote", "2 smart quotes", "3 en/em dashes".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	if strings.HasSuffix(noun, "sh") || strings.HasSuffix(noun, "s") {
		return fmt.Sprintf("%d %ses", n, noun)
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

func isAre(n int) string {
	if n == 1 {
		return "is"
	}
	return "are"
}
