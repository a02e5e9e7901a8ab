package writeup

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// A PDF write-up is read page by page with poppler-utils: the page's text
// layer (pdftotext -layout), then its embedded images (pdfimages), each
// OCR'd at the resolution it was embedded at. Rendering the page instead
// would blur a screenshot to the page's resolution and mix it with the
// prose around it; a page is rendered (pdftoppm) only when it has neither
// text nor embedded images, as a scan drawn in vectors would. Every run is
// bounded by PopplerTimeout and its output by the limits.

var (
	pdfMagic = []byte("%PDF-")
	zipMagic = []byte("PK\x03\x04")
)

// ErrNoPoppler is returned when a PDF write-up needs poppler-utils and it
// is not installed.
var ErrNoPoppler = errors.New("reading a PDF needs poppler-utils: install Debian's poppler-utils (apt-get install poppler-utils)")

// poppler runs one poppler-utils tool, its output kept up to max bytes.
func poppler(ctx context.Context, max int, name string, args ...string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, PopplerTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	out, errOut := &capped{max: max}, &capped{max: 4 << 10}
	cmd.Stdout, cmd.Stderr = out, errOut
	err := cmd.Run()
	switch {
	case errors.Is(err, exec.ErrNotFound):
		return nil, ErrNoPoppler
	case ctx.Err() == context.DeadlineExceeded:
		return nil, fmt.Errorf("%s took longer than %s", name, PopplerTimeout)
	case err != nil:
		return nil, fmt.Errorf("%s: %v: %s", name, err, strings.TrimSpace(errOut.buf.String()))
	case out.over:
		return nil, fmt.Errorf("%s printed more than %d KB", name, max>>10)
	}
	return out.buf.Bytes(), nil
}

// capped keeps the first max bytes written to it and drops the rest, so a
// hostile document cannot fill memory through a tool's output.
type capped struct {
	max  int
	buf  bytes.Buffer
	over bool
}

func (c *capped) Write(p []byte) (int, error) {
	if room := c.max - c.buf.Len(); room < len(p) {
		c.over = true
		c.buf.Write(p[:max(room, 0)])
		return len(p), nil
	}
	return c.buf.Write(p)
}

// pdfPage is what pdfinfo and pdfimages -list say of a page.
type pdfPage struct {
	w, h   float64 // in points
	images []pdfImage
}

type pdfImage struct {
	num, w, h int
}

var (
	pagesRe    = regexp.MustCompile(`(?m)^Pages:\s+(\d+)`)
	pageSizeRe = regexp.MustCompile(`(?m)^Page\s+(\d+) size:\s+([\d.]+) x ([\d.]+) pts`)
)

// readPDF reads a PDF write-up into pieces in document order.
func (r *reader) readPDF(ctx context.Context) ([]docPiece, error) {
	if _, err := exec.LookPath("pdfinfo"); err != nil {
		return nil, ErrNoPoppler
	}
	info, err := poppler(ctx, 1<<20, "pdfinfo", "-f", "1", "-l", strconv.Itoa(MaxPDFPages), r.path)
	if err != nil {
		return nil, fmt.Errorf("not a PDF poppler can read (%v)", err)
	}
	m := pagesRe.FindSubmatch(info)
	if m == nil {
		return nil, fmt.Errorf("pdfinfo does not say how many pages it has")
	}
	total, _ := strconv.Atoi(string(m[1]))
	n := min(total, MaxPDFPages)
	if total > MaxPDFPages {
		r.notes = append(r.notes, fmt.Sprintf("the PDF has %d pages, more than the %d read; pages %d–%d are not read", total, MaxPDFPages, MaxPDFPages+1, total))
	}
	if n == 0 {
		return nil, nil
	}
	pages := make([]pdfPage, n+1) // 1-based
	for _, s := range pageSizeRe.FindAllSubmatch(info, -1) {
		p, _ := strconv.Atoi(string(s[1]))
		if p >= 1 && p <= n {
			pages[p].w, _ = strconv.ParseFloat(string(s[2]), 64)
			pages[p].h, _ = strconv.ParseFloat(string(s[3]), 64)
		}
	}
	last := strconv.Itoa(n)

	text, err := poppler(ctx, MaxMarkdownBytes, "pdftotext", "-layout", "-enc", "UTF-8", "-f", "1", "-l", last, r.path, "-")
	if err != nil {
		return nil, fmt.Errorf("its text layer could not be read (%v)", err)
	}
	pageText := strings.Split(strings.ReplaceAll(string(text), "\r\n", "\n"), "\f")

	list, err := poppler(ctx, 1<<20, "pdfimages", "-list", "-f", "1", "-l", last, r.path)
	if err != nil {
		return nil, fmt.Errorf("its images could not be listed (%v)", err)
	}
	for _, row := range strings.Split(string(list), "\n") {
		f := strings.Fields(row)
		// page num type width height …; masks are part of another image.
		if len(f) < 5 || f[2] != "image" {
			continue
		}
		p, err1 := strconv.Atoi(f[0])
		num, err2 := strconv.Atoi(f[1])
		w, err3 := strconv.Atoi(f[3])
		h, err4 := strconv.Atoi(f[4])
		if err1 != nil || err2 != nil || err3 != nil || err4 != nil || p < 1 || p > n {
			continue
		}
		pages[p].images = append(pages[p].images, pdfImage{num: num, w: w, h: h})
	}

	dir, err := os.MkdirTemp("", "labcheck-pdf-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	files, err := r.extractImages(ctx, dir, pages)
	if err != nil {
		return nil, err
	}

	var pieces []docPiece
	var render []int
	images := 0
	for p := 1; p <= n; p++ {
		pt := ""
		if p-1 < len(pageText) {
			pt = pageText[p-1]
		}
		hasText := strings.TrimSpace(pt) != ""
		if hasText {
			var lines []docLine
			for _, l := range strings.Split(pt, "\n") {
				lines = append(lines, docLine{text: l})
			}
			pieces = append(pieces, docPiece{lines: lines})
		}
		for k, im := range pages[p].images {
			name := fmt.Sprintf("page %d, image %d", p, k+1)
			images++
			di := &docImage{name: name}
			switch {
			case images > MaxImages:
				di.note = fmt.Sprintf("beyond the %d images a write-up may have; not read", MaxImages)
			case int64(im.w)*int64(im.h) > MaxImagePixels:
				di.note = fmt.Sprintf("%d×%d pixels: more than the %d Mpixel limit; not extracted", im.w, im.h, MaxImagePixels>>20)
			default:
				if x, ok := files[im.num]; ok {
					di.data, di.note = x.data, x.note
				} else {
					di.note = "pdfimages wrote nothing for it"
				}
			}
			pieces = append(pieces, docPiece{image: di})
		}
		if !hasText && len(pages[p].images) == 0 {
			render = append(render, p)
			pieces = append(pieces, docPiece{image: &docImage{name: fmt.Sprintf("page %d", p)}})
		}
	}
	if len(render) > 0 {
		r.renderPages(ctx, dir, pages, render, pieces)
	}
	// Pages with nothing on them say so once, not once a page.
	var kept []docPiece
	var blank []int
	for _, pc := range pieces {
		if pc.image != nil && pc.image.blank {
			p, _ := strconv.Atoi(strings.TrimPrefix(pc.image.name, "page "))
			blank = append(blank, p)
			continue
		}
		kept = append(kept, pc)
	}
	if len(blank) > 0 {
		r.notes = append(r.notes, fmt.Sprintf("%s of the PDF: blank (no text, no images, nothing drawn)", pageRanges(blank)))
	}
	return kept, nil
}

type extracted struct {
	data []byte
	note string
}

// extractImages runs pdfimages on the pages whose images are all within
// the pixel limit (pdfimages cannot leave one image of a page out), and
// reads each image it wrote. JPEGs stay as embedded (-j), so their pixels
// are the screenshot's own; the rest become PNG.
func (r *reader) extractImages(ctx context.Context, dir string, pages []pdfPage) (map[int]extracted, error) {
	var good []int
	count := 0
	for p := 1; p < len(pages); p++ {
		ok := len(pages[p].images) > 0
		for _, im := range pages[p].images {
			count++
			if int64(im.w)*int64(im.h) > MaxImagePixels || count > MaxImages {
				ok = false
			}
		}
		if ok {
			good = append(good, p)
		}
	}
	out := map[int]extracted{}
	for _, rg := range ranges(good) {
		if _, err := poppler(ctx, 1<<20, "pdfimages", "-png", "-j", "-p", "-f", strconv.Itoa(rg[0]), "-l", strconv.Itoa(rg[1]), r.path, filepath.Join(dir, "img")); err != nil {
			return nil, fmt.Errorf("its images could not be extracted (%v)", err)
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		// img-PPP-NNN.ext, NNN the number pdfimages -list gives.
		f := strings.Split(strings.TrimSuffix(e.Name(), filepath.Ext(e.Name())), "-")
		if len(f) != 3 || f[0] != "img" {
			continue
		}
		num, err := strconv.Atoi(f[2])
		if err != nil {
			continue
		}
		data, err := readLimited(filepath.Join(dir, e.Name()), MaxImageBytes)
		if err != nil {
			out[num] = extracted{note: err.Error()}
			continue
		}
		out[num] = extracted{data: data}
		os.Remove(filepath.Join(dir, e.Name()))
	}
	return out, nil
}

// renderPages renders the pages that have neither text nor images, at
// PageDPI, for OCR. A quick grey pass at BlankDPI first finds the blank
// ones: rendering 50 empty pages at PageDPI would take half a minute.
func (r *reader) renderPages(ctx context.Context, dir string, pages []pdfPage, which []int, pieces []docPiece) {
	byName := map[string]*docImage{}
	for _, pc := range pieces {
		if pc.image != nil {
			byName[pc.image.name] = pc.image
		}
	}
	var drawn []int
	for _, rg := range ranges(which) {
		prefix := filepath.Join(dir, fmt.Sprintf("blank%d", rg[0]))
		_, err := poppler(ctx, 1<<20, "pdftoppm", "-r", strconv.Itoa(BlankDPI), "-gray", "-f", strconv.Itoa(rg[0]), "-l", strconv.Itoa(rg[1]), r.path, prefix)
		for p := rg[0]; p <= rg[1]; p++ {
			file := renderedFile(prefix, p, ".pgm")
			data, rerr := readLimited(file, MaxImageBytes)
			os.Remove(file)
			if err == nil && rerr == nil && blankPGM(data) {
				byName[fmt.Sprintf("page %d", p)].blank = true
				continue
			}
			drawn = append(drawn, p)
		}
	}
	var fit []int
	for _, p := range drawn {
		w, h := pages[p].w*PageDPI/72, pages[p].h*PageDPI/72
		if w*h > MaxImagePixels {
			byName[fmt.Sprintf("page %d", p)].note = fmt.Sprintf("a page of %.0f×%.0f pixels at %d dpi: more than the %d Mpixel limit; not rendered", w, h, PageDPI, MaxImagePixels>>20)
			continue
		}
		fit = append(fit, p)
	}
	for _, rg := range ranges(fit) {
		prefix := filepath.Join(dir, fmt.Sprintf("page%d", rg[0]))
		_, err := poppler(ctx, 1<<20, "pdftoppm", "-r", strconv.Itoa(PageDPI), "-png", "-f", strconv.Itoa(rg[0]), "-l", strconv.Itoa(rg[1]), r.path, prefix)
		for p := rg[0]; p <= rg[1]; p++ {
			di := byName[fmt.Sprintf("page %d", p)]
			if err != nil {
				di.note = fmt.Sprintf("could not be rendered (%v)", err)
				continue
			}
			file := renderedFile(prefix, p, ".png")
			if file == "" {
				di.note = "pdftoppm drew nothing for it"
				continue
			}
			data, err := readLimited(file, MaxImageBytes)
			os.Remove(file)
			if err != nil {
				di.note = err.Error()
				continue
			}
			di.data = data
		}
	}
}

// renderedFile is the file pdftoppm wrote for page p: it pads the page
// number to the document's width. "" when there is none.
func renderedFile(prefix string, p int, ext string) string {
	matches, _ := filepath.Glob(prefix + "-*" + strconv.Itoa(p) + ext)
	for _, m := range matches {
		if n, err := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(m, prefix+"-"), ext)); err == nil && n == p {
			return m
		}
	}
	return ""
}

// blankPGM says whether a binary PGM (pdftoppm -gray) is one shade.
func blankPGM(data []byte) bool {
	// "P5\n<w> <h>\n255\n" then the pixels.
	f := bytes.Fields(data[:min(len(data), 64)])
	if len(f) < 4 || string(f[0]) != "P5" {
		return false
	}
	w, err1 := strconv.Atoi(string(f[1]))
	h, err2 := strconv.Atoi(string(f[2]))
	if err1 != nil || err2 != nil || w*h == 0 || w*h > len(data) {
		return false
	}
	pix := data[len(data)-w*h:]
	for _, v := range pix {
		if d := int(v) - int(pix[0]); d > 16 || d < -16 {
			return false
		}
	}
	return true
}

// ranges groups sorted page numbers into runs [first, last].
func ranges(ps []int) [][2]int {
	sort.Ints(ps)
	var out [][2]int
	for _, p := range ps {
		if n := len(out); n > 0 && out[n-1][1] == p-1 {
			out[n-1][1] = p
			continue
		}
		out = append(out, [2]int{p, p})
	}
	return out
}

func pageRanges(ps []int) string {
	var parts []string
	for _, rg := range ranges(ps) {
		if rg[0] == rg[1] {
			parts = append(parts, strconv.Itoa(rg[0]))
		} else {
			parts = append(parts, fmt.Sprintf("%d–%d", rg[0], rg[1]))
		}
	}
	word := "page "
	if len(ps) > 1 {
		word = "pages "
	}
	return word + strings.Join(parts, ", ")
}
