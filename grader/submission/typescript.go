package submission

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
)

// A typescript is what util-linux `script` records: every byte the
// terminal received, between a "Script started on ..." and a "Script done
// on ..." line. Students often paste other nodes' terminals after it as
// plain text, and several recordings may follow one another.

var (
	scriptStarted = regexp.MustCompile(`^Script started on [^\n]*`)
	scriptSize    = regexp.MustCompile(`COLUMNS="(\d+)" LINES="(\d+)"`)
	// terminalControl is what only a recording of a terminal holds: the
	// bracketed-paste switch a shell sends before each prompt, a rubout.
	terminalControl = regexp.MustCompile("\x1b\\[\\?2004[hl]|\x08\x1b\\[K|\x08 \x08")
)

// isTypescript reports whether data is, or holds, a `script` recording.
func isTypescript(data []byte) bool {
	for _, line := range bytes.SplitAfter(data, []byte("\n")) {
		if scriptStarted.Match(line) {
			return true
		}
	}
	return terminalControl.Match(data)
}

// renderTypescript replaces each recording in data with the text its
// terminal showed; what lies outside the recordings is kept as it is.
func renderTypescript(data []byte) ([]byte, []string) {
	var out bytes.Buffer
	var notes []string
	line := 1
	rest := data
	found := false
	for len(rest) > 0 {
		head, ok := nextScriptStart(rest)
		if !ok {
			break
		}
		found = true
		out.Write(rest[:head.start])
		// A blank line in place of the header and the footer keeps the
		// rendered text's line numbers close to the file's.
		out.WriteByte('\n')
		line += bytes.Count(rest[:head.end], []byte("\n"))
		body := rest[head.end:]
		end, next := len(body), len(body)
		if loc := findScriptDone(body); loc != nil {
			end, next = loc[0], loc[1]
		}
		cols, rows, sized := head.cols, head.rows, head.cols > 0
		text := renderTerminal(body[:end], cols, rows)
		out.WriteString(text)
		last := line + bytes.Count(body[:end], []byte("\n"))
		size := fmt.Sprintf("%d×%d", clampSize(cols, defaultColumns, maxColumns), clampSize(rows, defaultRows, maxRows))
		if !sized {
			size += " (the recording does not say its size)"
		}
		notes = append(notes, fmt.Sprintf("played the `script` recording of lines %d-%d on a %s terminal: commands are read as the screen showed them, after rubouts and redraws; line numbers from there on are those of the rendered text", line, last, size))
		if next > end {
			out.WriteByte('\n')
		}
		line = last + bytes.Count(body[end:next], []byte("\n"))
		rest = body[next:]
	}
	if !found {
		// A recording without its header (cut off when pasted): the whole
		// file is the terminal's.
		notes = append(notes, fmt.Sprintf("played the file on a %d×%d terminal (it holds terminal control sequences: a recording without its `script` header): commands are read as the screen showed them; line numbers are those of the rendered text", defaultColumns, defaultRows))
		return []byte(renderTerminal(data, 0, 0)), notes
	}
	out.Write(rest)
	return out.Bytes(), notes
}

type scriptHead struct {
	start, end int // the header line, its newline included
	cols, rows int
}

func nextScriptStart(data []byte) (scriptHead, bool) {
	off := 0
	for _, line := range bytes.SplitAfter(data, []byte("\n")) {
		if scriptStarted.Match(line) {
			h := scriptHead{start: off, end: off + len(line)}
			if m := scriptSize.FindSubmatch(line); m != nil {
				h.cols, _ = strconv.Atoi(string(m[1]))
				h.rows, _ = strconv.Atoi(string(m[2]))
			}
			return h, true
		}
		off += len(line)
	}
	return scriptHead{}, false
}

// findScriptDone finds the footer `script` writes on a line of its own.
func findScriptDone(body []byte) []int {
	off := 0
	for _, line := range bytes.SplitAfter(body, []byte("\n")) {
		if bytes.HasPrefix(line, []byte("Script done on ")) {
			return []int{off, off + len(line)}
		}
		off += len(line)
	}
	return nil
}
