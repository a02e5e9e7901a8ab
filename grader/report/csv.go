package report

import (
	"bufio"
	"io"
	"strings"
)

// CSVCell neutralises a cell a spreadsheet would evaluate: one that starts
// with =, +, -, @, a tab or a carriage return gets a leading single quote,
// as OWASP's CSV injection guidance says. Cells in labcheck's CSV files
// carry students' own text (a claimed name, a file name), and an
// instructor opens them in a spreadsheet.
func CSVCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// CSVWriter writes CSV for spreadsheets: every cell through CSVCell, and
// every cell in double quotes, so that a spreadsheet that splits on ";" or
// tabs (Excel in many locales) cannot cut a cell in two and start a
// formula at the cut. Every CSV labcheck writes goes through it.
type CSVWriter struct {
	w   *bufio.Writer
	err error
}

// NewCSVWriter writes to w; call Flush at the end.
func NewCSVWriter(w io.Writer) *CSVWriter {
	return &CSVWriter{w: bufio.NewWriter(w)}
}

// Write writes one record; an error sticks and is returned by every later
// call.
func (c *CSVWriter) Write(record []string) error {
	for i, cell := range record {
		if c.err != nil {
			return c.err
		}
		if i > 0 {
			c.err = c.w.WriteByte(',')
		}
		if c.err == nil {
			_, c.err = c.w.WriteString(`"` + strings.ReplaceAll(CSVCell(cell), `"`, `""`) + `"`)
		}
	}
	if c.err == nil {
		c.err = c.w.WriteByte('\n')
	}
	return c.err
}

// Flush writes what is buffered and returns the first error.
func (c *CSVWriter) Flush() error {
	if c.err == nil {
		c.err = c.w.Flush()
	}
	return c.err
}
