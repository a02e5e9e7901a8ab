package submission

import (
	"bytes"
	"unicode/utf8"
)

// Terminal recordings are read as the screen showed them: their bytes are
// played on a terminal emulator before anything else reads them, so a
// rubbed-out word, a redrawn paste or a progress bar's frames are gone and
// the line the student ran is there once.

// detectRecording tells a recording from text by its bytes, before
// normalisation strips what makes it one.
func detectRecording(data []byte) Format {
	if bytes.IndexByte(data, 0) >= 0 || !utf8.Valid(data) {
		// Recordings are UTF-8 text; anything else is for normalize to
		// judge.
		return ""
	}
	switch {
	case isCast(data):
		return FormatCast
	case isTypescript(data):
		return FormatTypescript
	}
	return ""
}

// playRecording returns the text a recording showed, and the format it is
// read as: forced, or the one its bytes show. Any other data is returned
// as it is, with format "".
func playRecording(data []byte, forced Format) ([]byte, Format, []string, error) {
	format := forced
	if format == "" {
		format = detectRecording(data)
	}
	switch format {
	case FormatCast:
		text, notes, err := renderCast(data)
		return text, format, notes, err
	case FormatTypescript:
		text, notes := renderTypescript(data)
		return text, format, notes, nil
	}
	return data, "", nil, nil
}
