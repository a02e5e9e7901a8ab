package submission

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// An asciinema recording (.cast) is a JSON header line, then one JSON
// array a line per event: [time, "o", data] for what the terminal printed,
// "i" for keys typed (recorded only with --stdin), "r" for a resize to
// "COLSxROWS", "m" for a marker. Version 3 has the same events (times
// relative to the previous one) and puts the size under "term"; version 1
// is one JSON document with a "stdout" list of [delay, data].

type castHeader struct {
	Version int               `json:"version"`
	Width   int               `json:"width"`
	Height  int               `json:"height"`
	Title   string            `json:"title"`
	Command string            `json:"command"`
	Env     map[string]string `json:"env"`
	Term    struct {
		Cols int    `json:"cols"`
		Rows int    `json:"rows"`
		Type string `json:"type"`
	} `json:"term"`
	Stdout [][2]json.RawMessage `json:"stdout"`
}

// isCast reports whether data starts with an asciinema header.
func isCast(data []byte) bool {
	first, _, _ := bytes.Cut(bytes.TrimLeft(data, " \t\r\n\ufeff"), []byte("\n"))
	var h castHeader
	if json.Unmarshal(first, &h) == nil && (h.Version == 2 || h.Version == 3) {
		return true
	}
	// Version 1 is one document, usually pretty-printed.
	if !bytes.HasPrefix(bytes.TrimSpace(data), []byte("{")) {
		return false
	}
	return json.Unmarshal(data, &h) == nil && h.Version == 1 && h.Stdout != nil
}

// renderCast plays a recording's output on a terminal of its size and
// returns what the screen showed, with notes on the recording itself:
// its title and environment are the student's description of it.
func renderCast(data []byte) ([]byte, []string, error) {
	lines := bytes.Split(data, []byte("\n"))
	var h castHeader
	first := 0
	for first < len(lines) && len(bytes.TrimSpace(lines[first])) == 0 {
		first++
	}
	if first == len(lines) || json.Unmarshal(bytes.TrimSpace(bytes.TrimPrefix(lines[first], []byte("\ufeff"))), &h) != nil {
		if err := json.Unmarshal(data, &h); err != nil || h.Version != 1 {
			return nil, nil, &ParseError{Line: first + 1, Msg: "not an asciinema recording: the first line is not its JSON header"}
		}
	}
	cols, rows := h.Width, h.Height
	if h.Version == 3 {
		cols, rows = h.Term.Cols, h.Term.Rows
	}
	s := newScreen(cols, rows)
	var outputs, inputs, bad int
	firstBad := 0
	if h.Version == 1 {
		for _, ev := range h.Stdout {
			var text string
			if json.Unmarshal(ev[1], &text) == nil {
				s.write([]byte(text))
				outputs++
			}
		}
	} else {
		for i := first + 1; i < len(lines); i++ {
			raw := bytes.TrimSpace(lines[i])
			if len(raw) == 0 {
				continue
			}
			var ev []json.RawMessage
			var code, text string
			if json.Unmarshal(raw, &ev) != nil || len(ev) < 3 || json.Unmarshal(ev[1], &code) != nil || json.Unmarshal(ev[2], &text) != nil {
				if bad == 0 {
					firstBad = i + 1
				}
				bad++
				continue
			}
			switch code {
			case "o":
				s.write([]byte(text))
				outputs++
			case "i":
				// The terminal echoes what is typed: the output already
				// shows it as the student saw it.
				inputs++
			case "r":
				if c, r, ok := strings.Cut(text, "x"); ok {
					cn, err1 := strconv.Atoi(c)
					rn, err2 := strconv.Atoi(r)
					if err1 == nil && err2 == nil {
						s.resize(cn, rn)
					}
				}
			}
		}
	}
	if outputs == 0 {
		return nil, nil, &ParseError{Msg: "an asciinema recording with no output events: nothing was recorded"}
	}
	notes := []string{castDescription(h, cols, rows)}
	msg := fmt.Sprintf("played %s of the asciinema v%d recording on a %d×%d terminal: commands are read as the screen showed them; line numbers are those of the rendered text",
		plural(outputs, "output event"), h.Version, clampSize(cols, defaultColumns, maxColumns), clampSize(rows, defaultRows, maxRows))
	if inputs > 0 {
		msg += fmt.Sprintf(" (the %s recorded are what the terminal echoed, so they add nothing)", plural(inputs, "input event"))
	}
	notes = append(notes, msg)
	if bad > 0 {
		notes = append(notes, fmt.Sprintf("skipped %s that %s not asciinema events (first on line %d)", plural(bad, "line"), isAre(bad), firstBad))
	}
	return []byte(s.text()), notes, nil
}

// castDescription is the header as a note: the title the student gave the
// recording and the environment it was made in.
func castDescription(h castHeader, cols, rows int) string {
	var parts []string
	if h.Title != "" {
		parts = append(parts, fmt.Sprintf("title %q", oneLine(h.Title)))
	}
	if h.Command != "" {
		parts = append(parts, fmt.Sprintf("command %q", oneLine(h.Command)))
	}
	env := h.Env
	if h.Term.Type != "" {
		env = map[string]string{"TERM": h.Term.Type}
		for k, v := range h.Env {
			env[k] = v
		}
	}
	keys := make([]string, 0, len(env))
	for k := range env {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var kv []string
	for _, k := range keys {
		kv = append(kv, oneLine(k+"="+env[k]))
	}
	if len(kv) > 0 {
		parts = append(parts, "env "+strings.Join(kv, " "))
	}
	if cols > 0 && rows > 0 {
		parts = append(parts, fmt.Sprintf("size %d×%d", cols, rows))
	}
	if len(parts) == 0 {
		return "asciinema recording with no title or environment in its header"
	}
	return "asciinema recording: " + strings.Join(parts, ", ")
}
