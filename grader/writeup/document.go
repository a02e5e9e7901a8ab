package writeup

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/labcheck/labcheck/grader/submission"
)

// A PDF or DOCX write-up is read as the Markdown it would have been: its
// text in order, the commands in it fenced as code blocks, and a
// placeholder line where each of its images sits. The rest of the reader
// (prose markers, fenced blocks, runs of screenshots) then works on it as
// on any Markdown write-up.

// docLine is a line of a document's text.
type docLine struct {
	text string
	// code is set for a paragraph the document styles as code (a DOCX
	// "Source Code" style or a monospace font).
	code bool
	// heading is set for a paragraph styled as a heading: it ends the
	// section a prose marker ("on node2:") holds for.
	heading bool
	// para numbers a DOCX's paragraphs; multi is set when the line's
	// paragraph has several lines (<w:br/>).
	para  int
	multi bool
}

// docImage is an image of a document, unpacked.
type docImage struct {
	name string // for people to read: "page 3, image 1", "word/media/image1.png"
	data []byte
	note string // why it is not read; data is nil then
	// blank is set for a rendered page with nothing on it: left out, and
	// said once for all such pages.
	blank bool
}

// docPiece is a stretch of a document: text or one image.
type docPiece struct {
	lines []docLine
	image *docImage
}

// addDocument lays a document out as Markdown lines and image items.
func (r *reader) addDocument(pieces []docPiece) {
	r.doc = true
	size := 0
	for _, p := range pieces {
		if p.image != nil {
			r.lines = append(r.lines, fmt.Sprintf("![image](%s)", p.image.name))
			r.items = append(r.items, &item{
				ref: ref{line: len(r.lines), target: p.image.name}, rel: p.image.name,
				data: p.image.data, note: p.image.note,
			})
			continue
		}
		for _, l := range fenceCommands(p.lines) {
			if size += len(l) + 1; size > MaxMarkdownBytes {
				r.notes = append(r.notes, fmt.Sprintf("the document's text is longer than %d MB; the rest is not read", MaxMarkdownBytes>>20))
				return
			}
			r.lines = append(r.lines, l)
		}
	}
}

var (
	bareDocker = regexp.MustCompile(`^(?:sudo\s+)?docker\s+[a-z]`)
	advice     = regexp.MustCompile(`(?i)following command:\s*$`)
	spaces     = regexp.MustCompile(`^\s*`)
)

// promptLine says whether a line is a shell prompt with a command, or a
// Play with Docker header: what submission reads as a transcript.
func promptLine(t string) bool {
	t = strings.TrimSpace(t)
	return t != "" && submission.Detect([]byte(t)) == submission.FormatTranscript
}

func indent(s string) int { return len(spaces.FindString(s)) }

// fenceCommands turns a document's lines into Markdown: prompts and their
// outputs, and runs of bare docker commands, are fenced; the rest is
// prose, which is never replayed. A text layer has lost the code blocks'
// bounds, so a bare `docker …` line is taken for a command unless it is
// docker's own advice in an output: indented under "…run the following
// command:", as `docker swarm init` prints the join command.
func fenceCommands(lines []docLine) []string {
	blank := func(l docLine) bool { return strings.TrimSpace(l.text) == "" }
	bare := make([]bool, len(lines))
	prev := -1
	for i, l := range lines {
		if blank(l) {
			continue
		}
		bare[i] = bareDocker.MatchString(strings.TrimSpace(l.text)) &&
			!(prev >= 0 && advice.MatchString(lines[prev].text) && indent(l.text) >= indent(lines[prev].text)+4)
		prev = i
	}
	// Text indented deeper than the page's least is a code block's in a
	// PDF (an output, as the commands were taken above): fenced as
	// output, so a lone "node2" docker printed is no prose marker.
	base := -1
	for _, l := range lines {
		if !blank(l) && !l.code && (base < 0 || indent(l.text) < base) {
			base = indent(l.text)
		}
	}
	output := func(k int) bool {
		l := lines[k]
		return !l.code && !l.heading && !blank(l) && indent(l.text) > base && !bare[k] && !promptLine(l.text)
	}
	var out []string
	for i := 0; i < len(lines); {
		l := lines[i]
		if output(i) {
			out = append(out, "```")
			for ; i < len(lines) && output(i); i++ {
				out = append(out, strings.TrimRight(lines[i].text, " \t"))
			}
			out = append(out, "```")
			continue
		}
		if !l.code && !promptLine(l.text) && !bare[i] {
			t := strings.TrimRight(l.text, " \t")
			if fenceRe.MatchString(t) {
				t = "    " + t // a document's ``` is text, not a fence
			}
			if l.heading {
				t = "## " + strings.TrimSpace(t)
			}
			out = append(out, t)
			i++
			continue
		}
		j := i + 1
		if l.code {
			// A paragraph of several lines is a block (a pasted or
			// pandoc-made code block); one-line code paragraphs in a row
			// are one while they are all commands or all not.
			for j < len(lines) && lines[j].code && (lines[j].para == l.para || !l.multi && !lines[j].multi && bare[j] == bare[i]) {
				j++
			}
		} else {
			prompted := promptLine(l.text)
			for j < len(lines) {
				next := j
				for next < len(lines) && blank(lines[next]) {
					next++
				}
				if next == len(lines) {
					break
				}
				nl := lines[next]
				var goesOn bool
				switch {
				case nl.code || nl.heading:
				case promptLine(nl.text):
					goesOn, prompted = true, true
				case bare[next]:
					goesOn = true
				default:
					// An output follows its prompt up to a blank line.
					goesOn = prompted && next == j
				}
				if !goesOn {
					break
				}
				j = next + 1
			}
		}
		block := lines[i:j]
		info := "sh"
		for k, b := range block {
			if !blank(b) && !bare[i+k] {
				// Prompts and outputs: submission tells them apart, and
				// a block with no prompt is output, not commands.
				info = ""
				break
			}
		}
		out = append(out, "```"+info)
		for _, b := range block {
			out = append(out, strings.TrimRight(b.text, " \t"))
		}
		out = append(out, "```")
		i = j
	}
	return out
}
