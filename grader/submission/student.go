package submission

import (
	"regexp"
	"strings"
)

// studentLines is how far from the top a student line is looked for: a
// name further down is prose, not a header.
const studentLines = 25

var studentLine = regexp.MustCompile(`(?i)^(?:<!--)?[\s#>*_-]*student(?:\s*(?:name|id))?\s*[*_]*\s*[:=]\s*[*_]*\s*(.*?)\s*(?:-->)?[\s*_]*$`)

// studentFromLines finds "# student: Jane Doe", "student: Jane Doe" or
// "**Student:** Jane Doe" near the top.
func studentFromLines(lines []string) string {
	for i, line := range lines {
		if i >= studentLines {
			break
		}
		if m := studentLine.FindStringSubmatch(strings.TrimSpace(line)); m != nil && m[1] != "" {
			return m[1]
		}
	}
	return ""
}
