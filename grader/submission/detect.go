package submission

import (
	"regexp"
	"strings"
)

// Detect tells which format a submission is written in: an asciinema or
// `script` recording by its bytes; Markdown when it has a fenced block;
// shell history when most lines are numbered history entries; a
// transcript when a line starts with a prompt; otherwise a script.
func Detect(data []byte) Format {
	if f := detectRecording(data); f != "" {
		return f
	}
	text, _, err := normalize(data)
	if err != nil {
		text = string(data)
	}
	return detectLines(strings.Split(text, "\n"))
}

var (
	fenceLine = regexp.MustCompile("^ {0,3}(?:```|~~~)")
	// weakPromptCommand is "node2$ docker ..." — counted without knowing
	// the lab's nodes only when a docker command follows.
	weakPromptCommand = regexp.MustCompile(`^[A-Za-z][\w.-]*(?::\S*)?\s?[$#]\s+(?:sudo\s+)?docker\b`)
)

func detectLines(lines []string) Format {
	for _, line := range lines {
		if fenceLine.MatchString(line) {
			return FormatMarkdown
		}
	}
	if isHistory(lines) {
		return FormatHistory
	}
	transcript := false
	for _, line := range lines {
		if fenceLine.MatchString(line) {
			return FormatMarkdown
		}
		t := strings.TrimSpace(line)
		if transcript || t == "" {
			continue
		}
		if pr, ok := matchPrompt(t); ok {
			switch pr.kind {
			case promptPWD, promptUserHost:
				transcript = true
			case promptBare:
				transcript = pr.cmd != ""
			case promptHost:
				transcript = weakPromptCommand.MatchString(t)
			}
		}
	}
	if transcript {
		return FormatTranscript
	}
	return FormatScript
}
