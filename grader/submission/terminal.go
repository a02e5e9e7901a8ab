package submission

import (
	"io"
	"strings"

	uv "github.com/charmbracelet/ultraviolet"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/vt"
)

// Terminal sizes a recording is rendered at when it does not say its own:
// the size a terminal window opens at.
const (
	defaultColumns = 80
	defaultRows    = 24
	// maxColumns bounds a recorded width, so a corrupt header cannot make
	// every row of the screen megabytes wide.
	maxColumns = 1000
	maxRows    = 500
)

// screen replays the bytes a terminal received, so that labcheck reads
// what the student saw: the line as it stood after rubouts, completion
// and redraws, a progress bar's last frame, a pasted command once. The
// whole session is kept, not only the last screen: rows that scroll off
// the top, and rows `clear` wipes, stay in the scrollback.
type screen struct {
	emu  *vt.Emulator
	cols int
	// wrapped marks the rows, counted from the session's first, that the
	// terminal continued on the next row because they reached its right
	// edge: a long `docker swarm join` is one line typed, not two.
	wrapped map[int]bool
	done    chan struct{}
}

func newScreen(cols, rows int) *screen {
	cols = clampSize(cols, defaultColumns, maxColumns)
	rows = clampSize(rows, defaultRows, maxRows)
	s := &screen{emu: vt.NewEmulator(cols, rows), cols: cols, wrapped: map[int]bool{}, done: make(chan struct{})}
	// Nothing in a submission may grow without bound: the input itself is
	// at most DefaultMaxBytes, so this many rows hold any of it.
	s.emu.SetScrollbackSize(DefaultMaxBytes)
	// The emulator answers a program's queries (cursor position, colours)
	// on its input side; nobody types here, so the answers are drained
	// lest a query in a recording block the rendering.
	go func() {
		defer close(s.done)
		_, _ = io.Copy(io.Discard, s.emu)
	}()
	s.emu.SetCallbacks(vt.Callbacks{CursorPosition: s.cursorMoved})
	s.emu.RegisterCsiHandler('J', s.eraseDisplay)
	return s
}

func clampSize(n, def, limit int) int {
	switch {
	case n <= 0:
		return def
	case n > limit:
		return limit
	}
	return n
}

// cursorMoved spots an automatic wrap: the emulator moves the cursor from
// the last column straight to just after the first character of the row
// below, which no cursor key or carriage return does.
func (s *screen) cursorMoved(old, cur uv.Position) {
	if old.Y == cur.Y && old.X == s.cols-1 && cur.X >= 1 && cur.X <= 2 && cur.Y >= 1 {
		s.wrapped[s.emu.ScrollbackLen()+cur.Y-1] = true
	}
}

// eraseDisplay keeps what `clear` and Ctrl-L wipe: the student ran those
// commands, and the grader must still read them. Erasing the screen moves
// its rows into the scrollback; erasing the scrollback is ignored.
func (s *screen) eraseDisplay(params ansi.Params) bool {
	n, _, _ := params.Param(0, 0)
	switch n {
	case 2:
		last := -1
		for y := range s.emu.Height() {
			if strings.TrimSpace(s.row(y)) != "" {
				last = y
			}
		}
		sb := s.emu.Scrollback()
		for y := 0; y <= last; y++ {
			sb.Push(s.rowLine(y))
		}
		for y := range s.emu.Height() {
			for x := range s.emu.Width() {
				s.emu.SetCell(x, y, &uv.EmptyCell)
			}
		}
		return true
	case 3:
		return true
	}
	return false
}

func (s *screen) rowLine(y int) uv.Line {
	line := make(uv.Line, s.emu.Width())
	for x := range line {
		if c := s.emu.CellAt(x, y); c != nil {
			line[x] = *c
		}
	}
	return line
}

func (s *screen) row(y int) string { return lineText(s.rowLine(y)) }

func (s *screen) write(b []byte) { _, _ = s.emu.Write(b) }

func (s *screen) resize(cols, rows int) {
	s.cols = clampSize(cols, defaultColumns, maxColumns)
	s.emu.Resize(s.cols, clampSize(rows, defaultRows, maxRows))
}

// text is the whole session as lines of text, wrapped rows joined and
// trailing blank rows dropped.
func (s *screen) text() string {
	var rows []string
	for i, l := range s.emu.Scrollback().Lines() {
		rows = append(rows, s.padded(lineText(l), i))
	}
	base := s.emu.ScrollbackLen()
	last := -1
	for y := range s.emu.Height() {
		if strings.TrimSpace(s.row(y)) != "" {
			last = y
		}
	}
	for y := 0; y <= last; y++ {
		rows = append(rows, s.padded(s.row(y), base+y))
	}
	// Closing the answers' pipe ends the drain; Emulator.Close would set a
	// flag the drain reads unguarded.
	if c, ok := s.emu.InputPipe().(io.Closer); ok {
		_ = c.Close()
		<-s.done
	}
	var b strings.Builder
	for i, r := range rows {
		b.WriteString(r)
		if !s.wrapped[i] || i == len(rows)-1 {
			b.WriteByte('\n')
		}
	}
	return b.String()
}

// padded restores the blanks at the end of a wrapped row, which the
// terminal drew as cells but the text lost: a table row that wrapped in a
// space keeps its columns apart.
func (s *screen) padded(text string, row int) string {
	if !s.wrapped[row] {
		return strings.TrimRight(text, " ")
	}
	if n := s.cols - ansi.StringWidth(text); n > 0 {
		return text + strings.Repeat(" ", n)
	}
	return text
}

// lineText is a row as text: wide characters once, blank cells as spaces.
func lineText(l uv.Line) string {
	var b strings.Builder
	for i := range l {
		c := &l[i]
		switch {
		case c.IsZero() && i > 0 && l[i-1].Width > 1:
			// the second half of a wide character
		case c.Content == "":
			b.WriteByte(' ')
		default:
			b.WriteString(c.Content)
		}
	}
	return strings.TrimRight(b.String(), " ")
}

// renderTerminal is what a terminal of that size shows for data.
func renderTerminal(data []byte, cols, rows int) string {
	s := newScreen(cols, rows)
	s.write(data)
	return s.text()
}
