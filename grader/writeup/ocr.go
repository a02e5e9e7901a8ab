package writeup

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"github.com/labcheck/labcheck/internal/hostpkg"
	"image"
	"os"
	"os/exec"
	"sort"
	"strconv"
	"strings"
)

// ErrNoTesseract is returned when a write-up needs OCR and tesseract is not
// installed; text submissions never need it.
var ErrNoTesseract = errors.New("reading screenshots needs tesseract: install Debian's tesseract-ocr (apt-get install tesseract-ocr)")

// Tesseract is the OCR engine's command; tests and users with tesseract
// elsewhere may change it.
var Tesseract = "tesseract"

// word is one word tesseract read, in the prepared image's pixels.
type word struct {
	text                     string
	conf                     float64
	left, top, width, height int
	block, par, line         int
}

func (w word) right() int  { return w.left + w.width }
func (w word) bottom() int { return w.top + w.height }

// ocrLine is a line of words, left to right.
type ocrLine struct {
	words []word
}

func (l ocrLine) top() int {
	t := l.words[0].top
	for _, w := range l.words {
		t = min(t, w.top)
	}
	return t
}

func (l ocrLine) bottom() int {
	b := 0
	for _, w := range l.words {
		b = max(b, w.bottom())
	}
	return b
}

func (l ocrLine) left() int  { return l.words[0].left }
func (l ocrLine) right() int { return l.words[len(l.words)-1].right() }

// conf is the line's weakest word's confidence: one misread word is
// enough to replay the wrong command.
func (l ocrLine) conf() float64 {
	c := 100.0
	for _, w := range l.words {
		c = min(c, w.conf)
	}
	return c
}

// text joins the words, keeping wide gaps as runs of spaces so docker's
// table columns stay apart.
func (l ocrLine) text(charW float64) string {
	var b strings.Builder
	for i, w := range l.words {
		if i > 0 {
			gap := float64(w.left - l.words[i-1].right())
			n := 1
			if charW > 0 {
				n = max(1, int(gap/charW+0.5))
			}
			b.WriteString(strings.Repeat(" ", n))
		}
		b.WriteString(w.text)
	}
	return b.String()
}

// whitelist is what a terminal shows: printable ASCII, the space
// included (without it tesseract runs words together).
var whitelist = func() string {
	var b strings.Builder
	for c := ' '; c <= '~'; c++ {
		b.WriteRune(c)
	}
	return b.String()
}()

// haveTesseract says whether the OCR engine can be run; with opts.Install
// set it installs Debian's tesseract-ocr the way labcheck installs its other
// host packages (as root on Debian, saying so).
func haveTesseract(ctx context.Context, opts Options) error {
	if _, err := exec.LookPath(Tesseract); err == nil {
		return nil
	}
	if !opts.Install || Tesseract != "tesseract" {
		return ErrNoTesseract
	}
	if err := hostpkg.Ensure(ctx, hostpkg.Need{"tesseract": "tesseract-ocr"}, true, "reading screenshots", opts.Logf); err != nil {
		return errors.Join(ErrNoTesseract, err)
	}
	return nil
}

// ocr runs tesseract on a prepared grey image and returns its lines.
func ocr(ctx context.Context, g *image.Gray) ([]ocrLine, error) {
	ctx, cancel := context.WithTimeout(ctx, OCRTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, Tesseract, "stdin", "stdout",
		"--oem", "1", "--psm", "6", "--dpi", "300",
		"-c", "preserve_interword_spaces=1", "-c", "tessedit_char_whitelist="+whitelist, "tsv")
	// Debian's build uses OpenMP: one thread per process and images in
	// parallel processes is several times faster on a busy machine.
	cmd.Env = append(os.Environ(), "OMP_THREAD_LIMIT=1")
	cmd.Stdin = bytes.NewReader(pgm(g))
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		if errors.Is(err, exec.ErrNotFound) {
			return nil, ErrNoTesseract
		}
		if ctx.Err() == context.DeadlineExceeded {
			return nil, fmt.Errorf("tesseract took longer than %s", OCRTimeout)
		}
		return nil, fmt.Errorf("tesseract: %v: %s", err, strings.TrimSpace(stderr.String()))
	}
	words, err := parseTSV(stdout.Bytes())
	if err != nil {
		return nil, err
	}
	return groupLines(words), nil
}

// pgm encodes a grey image as binary PGM, which tesseract reads from
// stdin without the cost of PNG compression.
func pgm(g *image.Gray) []byte {
	b := g.Bounds()
	var buf bytes.Buffer
	fmt.Fprintf(&buf, "P5\n%d %d\n255\n", b.Dx(), b.Dy())
	for y := 0; y < b.Dy(); y++ {
		buf.Write(g.Pix[y*g.Stride : y*g.Stride+b.Dx()])
	}
	return buf.Bytes()
}

// parseTSV reads tesseract's TSV output: a header, then one row per page,
// block, paragraph, line and word; only words (level 5) carry text.
func parseTSV(data []byte) ([]word, error) {
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	var words []word
	header := true
	for sc.Scan() {
		row := sc.Text()
		if header {
			header = false
			if !strings.HasPrefix(row, "level\t") {
				return nil, fmt.Errorf("tesseract TSV: unexpected header %q", row)
			}
			continue
		}
		f := strings.Split(row, "\t")
		if len(f) < 12 {
			if strings.TrimSpace(row) == "" {
				continue
			}
			return nil, fmt.Errorf("tesseract TSV: %d fields in %q, want 12", len(f), row)
		}
		if f[0] != "5" {
			continue
		}
		text := strings.TrimSpace(strings.Join(f[11:], "\t"))
		if text == "" {
			continue
		}
		n := make([]int, 10)
		for i := 0; i < 10; i++ {
			if i == 0 {
				continue
			}
			v, err := strconv.Atoi(f[i])
			if err != nil {
				return nil, fmt.Errorf("tesseract TSV: field %d of %q: %v", i+1, row, err)
			}
			n[i] = v
		}
		conf, err := strconv.ParseFloat(f[10], 64)
		if err != nil {
			return nil, fmt.Errorf("tesseract TSV: confidence of %q: %v", row, err)
		}
		words = append(words, word{text: text, conf: conf, block: n[2], par: n[3], line: n[4],
			left: n[6], top: n[7], width: n[8], height: n[9]})
	}
	return words, sc.Err()
}

// groupLines puts words into lines by tesseract's own numbering, then
// orders the lines top to bottom.
func groupLines(words []word) []ocrLine {
	type key struct{ block, par, line int }
	idx := map[key]int{}
	var lines []ocrLine
	for _, w := range words {
		k := key{w.block, w.par, w.line}
		i, ok := idx[k]
		if !ok {
			i = len(lines)
			idx[k] = i
			lines = append(lines, ocrLine{})
		}
		lines[i].words = append(lines[i].words, w)
	}
	for _, l := range lines {
		sort.SliceStable(l.words, func(i, j int) bool { return l.words[i].left < l.words[j].left })
	}
	sort.SliceStable(lines, func(i, j int) bool { return lines[i].top() < lines[j].top() })
	return lines
}
