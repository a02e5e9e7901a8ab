// Command documents makes the PDF and DOCX versions of labcheck's corpus
// write-ups, and the corpus' bad documents and images, with nothing but
// Go: a student who prints a write-up to PDF or hands it in from Word
// must score as the Markdown, and a hostile file must cost nothing.
//
//	go run ./internal/gen/documents
//
// Run from the repository's root; it writes under testdata/writeups and
// testdata/submissions. The PDFs embed each screenshot's own pixels (PNG
// as Flate, JPEG as is) and the text with the standard fonts, so
// pdftotext and pdfimages give back what the Markdown holds.
package main

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"compress/zlib"
	"encoding/binary"
	"flag"
	"fmt"
	"hash/crc32"
	"image"
	"image/draw"
	_ "image/jpeg"
	_ "image/png"
	"io"
	"log"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
)

// document is a write-up made into PDF and DOCX.
type document struct {
	markdown string // the Markdown it is made from
	out      string // the output's path without extension
}

var documents = []document{
	// Prose and 9 screenshots: every command is read from the images.
	{"testdata/writeups/priya-drain/week12/README.md", "testdata/writeups/documents/priya-drain"},
	// Prose and code blocks, no images: every command is in the text.
	{"testdata/submissions/drain-by-hostname.md", "testdata/writeups/documents/drain-by-hostname"},
}

func main() {
	flag.Parse()
	log.SetFlags(0)
	for _, d := range documents {
		blocks, err := parseMarkdown(d.markdown)
		if err != nil {
			log.Fatalf("%s: %v", d.markdown, err)
		}
		if err := os.MkdirAll(filepath.Dir(d.out), 0o755); err != nil {
			log.Fatal(err)
		}
		pdf, err := writePDF(blocks)
		if err != nil {
			log.Fatalf("%s: %v", d.markdown, err)
		}
		must(os.WriteFile(d.out+".pdf", pdf, 0o644))
		docx, err := writeDOCX(blocks)
		if err != nil {
			log.Fatalf("%s: %v", d.markdown, err)
		}
		must(os.WriteFile(d.out+".docx", docx, 0o644))
	}
	must(badInputs("testdata/submissions", "testdata/writeups"))
}

func must(err error) {
	if err != nil {
		log.Fatal(err)
	}
}

// block is a stretch of the Markdown.
type block struct {
	kind  string // "heading", "prose", "code", "image"
	lines []string
	image []byte // the file an image links, read from beside the Markdown
}

var imageLine = regexp.MustCompile(`^!\[[^\]]*\]\(([^)\s]+)\)\s*$`)

func parseMarkdown(file string) ([]block, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	var out []block
	var prose []string
	flush := func() {
		if len(prose) > 0 {
			out = append(out, block{kind: "prose", lines: []string{strings.Join(prose, " ")}})
			prose = nil
		}
	}
	lines := strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n")
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		switch {
		case strings.HasPrefix(l, "```"):
			flush()
			var code []string
			for i++; i < len(lines) && !strings.HasPrefix(lines[i], "```"); i++ {
				code = append(code, lines[i])
			}
			out = append(out, block{kind: "code", lines: code})
		case strings.HasPrefix(l, "#"):
			flush()
			out = append(out, block{kind: "heading", lines: []string{strings.TrimSpace(strings.TrimLeft(l, "#"))}})
		case imageLine.MatchString(l):
			flush()
			target := imageLine.FindStringSubmatch(l)[1]
			name, err := url.PathUnescape(path.Base(target))
			if err != nil {
				return nil, err
			}
			img, err := os.ReadFile(filepath.Join(filepath.Dir(file), name))
			if err != nil {
				return nil, err
			}
			out = append(out, block{kind: "image", image: img})
		case strings.TrimSpace(l) == "":
			flush()
		default:
			prose = append(prose, strings.NewReplacer("**", "", "__", "", "`", "").Replace(strings.TrimSpace(l)))
		}
	}
	flush()
	return out, nil
}

// PDF layout, in points: A3, wide enough for docker's widest tables in
// 8 pt Courier without wrapping a line.
const (
	pageW, pageH = 842.0, 1191.0
	margin       = 36.0
	proseSize    = 11.0
	codeSize     = 8.0
	headSize     = 15.0
	pxToPt       = 0.75 // a screenshot at 96 dpi
	proseWrap    = 120  // characters of prose a line
)

// pdfWriter builds a PDF's objects; object 1 is the catalog, 2 the pages.
type pdfWriter struct {
	objs  [][]byte
	pages []int // page object numbers
	// the page being laid out
	content bytes.Buffer
	xobjs   []int
	y       float64
}

func (w *pdfWriter) add(obj []byte) int {
	w.objs = append(w.objs, obj)
	return len(w.objs)
}

func (w *pdfWriter) stream(dict string, data []byte) int {
	return w.add([]byte(fmt.Sprintf("<< %s /Length %d >>\nstream\n%s\nendstream", dict, len(data), data)))
}

func (w *pdfWriter) newPage() {
	w.endPage()
	w.y = pageH - margin
}

func (w *pdfWriter) endPage() {
	if w.y == 0 {
		return
	}
	var xo strings.Builder
	for _, n := range w.xobjs {
		fmt.Fprintf(&xo, " /Im%d %d 0 R", n, n)
	}
	content := w.stream("", w.content.Bytes())
	page := w.add([]byte(fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %.0f %.0f] /Contents %d 0 R "+
		"/Resources << /Font << /F1 3 0 R /F2 4 0 R /F3 5 0 R >> /XObject <<%s >> >> >>", pageW, pageH, content, xo.String())))
	w.pages = append(w.pages, page)
	w.content.Reset()
	w.xobjs = nil
	w.y = 0
}

// room starts a new page when h points do not fit on this one.
func (w *pdfWriter) room(h float64) {
	if w.y-h < margin {
		w.newPage()
	}
}

func (w *pdfWriter) text(font string, size float64, indent float64, s string) {
	w.room(size * 1.3)
	w.y -= size * 1.3
	fmt.Fprintf(&w.content, "BT /%s %.1f Tf %.2f %.2f Td (%s) Tj ET\n", font, size, margin+indent, w.y, pdfString(s))
}

func (w *pdfWriter) image(data []byte) error {
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return err
	}
	var obj int
	if format == "jpeg" {
		obj = w.stream(fmt.Sprintf("/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode", cfg.Width, cfg.Height), data)
	} else {
		img, _, err := image.Decode(bytes.NewReader(data))
		if err != nil {
			return err
		}
		rgba := image.NewRGBA(img.Bounds())
		draw.Draw(rgba, rgba.Bounds(), img, img.Bounds().Min, draw.Src)
		raw := make([]byte, 0, cfg.Width*cfg.Height*3)
		for i := 0; i < len(rgba.Pix); i += 4 {
			raw = append(raw, rgba.Pix[i], rgba.Pix[i+1], rgba.Pix[i+2])
		}
		var z bytes.Buffer
		zw, _ := zlib.NewWriterLevel(&z, zlib.BestCompression)
		zw.Write(raw)
		zw.Close()
		obj = w.stream(fmt.Sprintf("/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /FlateDecode", cfg.Width, cfg.Height), z.Bytes())
	}
	iw, ih := float64(cfg.Width)*pxToPt, float64(cfg.Height)*pxToPt
	w.room(ih + 8)
	w.y -= ih + 8
	fmt.Fprintf(&w.content, "q %.2f 0 0 %.2f %.2f %.2f cm /Im%d Do Q\n", iw, ih, margin, w.y, obj)
	w.xobjs = append(w.xobjs, obj)
	return nil
}

func (w *pdfWriter) bytes() []byte {
	w.endPage()
	var kids strings.Builder
	for _, p := range w.pages {
		fmt.Fprintf(&kids, "%d 0 R ", p)
	}
	w.objs[0] = []byte("<< /Type /Catalog /Pages 2 0 R >>")
	w.objs[1] = []byte(fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", kids.String(), len(w.pages)))
	var out bytes.Buffer
	out.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	offsets := make([]int, len(w.objs))
	for i, o := range w.objs {
		offsets[i] = out.Len()
		fmt.Fprintf(&out, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := out.Len()
	fmt.Fprintf(&out, "xref\n0 %d\n0000000000 65535 f \n", len(w.objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&out, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&out, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(w.objs)+1, xref)
	return out.Bytes()
}

func newPDF() *pdfWriter {
	w := &pdfWriter{}
	w.add(nil) // catalog, written last
	w.add(nil) // pages
	for _, f := range []string{"Helvetica", "Helvetica-Bold", "Courier"} {
		w.add([]byte("<< /Type /Font /Subtype /Type1 /BaseFont /" + f + " /Encoding /WinAnsiEncoding >>"))
	}
	return w
}

func writePDF(blocks []block) ([]byte, error) {
	w := newPDF()
	w.newPage()
	for _, b := range blocks {
		switch b.kind {
		case "heading":
			w.y -= 6
			w.text("F2", headSize, 0, b.lines[0])
		case "prose":
			for _, l := range wrap(b.lines[0], proseWrap) {
				w.text("F1", proseSize, 0, l)
			}
			w.y -= 4
		case "code":
			for _, l := range b.lines {
				w.text("F3", codeSize, 12, l)
			}
			w.y -= 4
		case "image":
			if err := w.image(b.image); err != nil {
				return nil, err
			}
		}
	}
	return w.bytes(), nil
}

func wrap(s string, width int) []string {
	var out []string
	line := ""
	for _, word := range strings.Fields(s) {
		if line != "" && len(line)+1+len(word) > width {
			out = append(out, line)
			line = ""
		}
		if line != "" {
			line += " "
		}
		line += word
	}
	return append(out, line)
}

// pdfString is s in WinAnsi, PDF-escaped: the standard fonts' encoding,
// which pdftotext maps back to Unicode.
func pdfString(s string) string {
	win := map[rune]byte{'—': 0x97, '–': 0x96, '‘': 0x91, '’': 0x92, '“': 0x93, '”': 0x94, '•': 0x95, '…': 0x85}
	var b strings.Builder
	for _, r := range s {
		var c byte
		switch {
		case r < 0x80 || r >= 0xa0 && r < 0x100:
			c = byte(r)
		case win[r] != 0:
			c = win[r]
		default:
			c = '?'
		}
		switch c {
		case '\\', '(', ')':
			b.WriteByte('\\')
			b.WriteByte(c)
		default:
			if c < 0x20 || c >= 0x80 {
				fmt.Fprintf(&b, "\\%03o", c)
			} else {
				b.WriteByte(c)
			}
		}
	}
	return b.String()
}

// DOCX: the least a word processor opens and labcheck reads. Code
// blocks are one "SourceCode" paragraph in Courier New with a line break
// between lines, as pandoc writes them; images are inline drawings.

const (
	nsW   = `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"`
	nsR   = `xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"`
	nsWP  = `xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"`
	nsA   = `xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"`
	nsPic = `xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"`
)

func xmlText(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace(s)
}

func writeDOCX(blocks []block) ([]byte, error) {
	var body strings.Builder
	var rels strings.Builder
	media := map[string][]byte{}
	n := 0
	for _, b := range blocks {
		switch b.kind {
		case "heading":
			fmt.Fprintf(&body, `<w:p><w:pPr><w:pStyle w:val="Heading2"/></w:pPr><w:r><w:t xml:space="preserve">%s</w:t></w:r></w:p>`, xmlText(b.lines[0]))
		case "prose":
			fmt.Fprintf(&body, `<w:p><w:r><w:t xml:space="preserve">%s</w:t></w:r></w:p>`, xmlText(b.lines[0]))
		case "code":
			body.WriteString(`<w:p><w:pPr><w:pStyle w:val="SourceCode"/></w:pPr>`)
			for i, l := range b.lines {
				if i > 0 {
					body.WriteString(`<w:r><w:br/></w:r>`)
				}
				fmt.Fprintf(&body, `<w:r><w:rPr><w:rFonts w:ascii="Courier New" w:hAnsi="Courier New"/></w:rPr><w:t xml:space="preserve">%s</w:t></w:r>`, xmlText(l))
			}
			body.WriteString(`</w:p>`)
		case "image":
			n++
			cfg, format, err := image.DecodeConfig(bytes.NewReader(b.image))
			if err != nil {
				return nil, err
			}
			ext := map[string]string{"jpeg": "jpeg", "png": "png"}[format]
			name := fmt.Sprintf("media/image%d.%s", n, ext)
			media["word/"+name] = b.image
			id := fmt.Sprintf("rId%d", n+10)
			fmt.Fprintf(&rels, `<Relationship Id="%s" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="%s"/>`, id, name)
			cx, cy := cfg.Width*9525, cfg.Height*9525 // EMU a pixel at 96 dpi
			fmt.Fprintf(&body, `<w:p><w:r><w:drawing><wp:inline><wp:extent cx="%d" cy="%d"/><wp:docPr id="%d" name="Picture %d"/>`+
				`<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic>`+
				`<pic:nvPicPr><pic:cNvPr id="%d" name="image%d.%s"/><pic:cNvPicPr/></pic:nvPicPr>`+
				`<pic:blipFill><a:blip r:embed="%s"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>`+
				`<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="%d" cy="%d"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr>`+
				`</pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>`,
				cx, cy, n, n, n, n, ext, id, cx, cy)
		}
	}
	doc := `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
		`<w:document ` + nsW + ` ` + nsR + ` ` + nsWP + ` ` + nsA + ` ` + nsPic + `><w:body>` + body.String() +
		`<w:sectPr><w:pgSz w:w="16838" w:h="23811"/></w:sectPr></w:body></w:document>`
	files := []zipFile{
		{name: "[Content_Types].xml", data: []byte(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
			`<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
			`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
			`<Default Extension="xml" ContentType="application/xml"/><Default Extension="png" ContentType=_ "image/png"/>` +
			`<Default Extension="jpeg" ContentType="image/jpeg"/>` +
			`<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>` +
			`<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/></Types>`)},
		{name: "_rels/.rels", data: []byte(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
			`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`)},
		{name: "word/document.xml", data: []byte(doc)},
		{name: "word/_rels/document.xml.rels", data: []byte(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
			`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>` +
			rels.String() + `</Relationships>`)},
		{name: "word/styles.xml", data: []byte(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
			`<w:styles ` + nsW + `>` +
			`<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:rPr><w:b/><w:sz w:val="30"/></w:rPr></w:style>` +
			`<w:style w:type="paragraph" w:styleId="SourceCode"><w:name w:val="Source Code"/><w:rPr><w:rFonts w:ascii="Courier New" w:hAnsi="Courier New"/><w:sz w:val="16"/></w:rPr></w:style>` +
			`</w:styles>`)},
	}
	for i := 1; i <= n; i++ {
		for name, data := range media {
			if strings.HasPrefix(name, fmt.Sprintf("word/media/image%d.", i)) {
				files = append(files, zipFile{name: name, data: data, store: true})
			}
		}
	}
	return writeZip(files)
}

type zipFile struct {
	name  string
	data  []byte
	store bool // images are compressed already
	// raw, when set, is written as the entry's compressed bytes, with
	// the header's sizes as given: a zip bomb's lie.
	raw                bool
	crc                uint32
	declared, unpacked uint64
}

func writeZip(files []zipFile) ([]byte, error) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) { return flate.NewWriter(w, flate.BestCompression) })
	for _, f := range files {
		h := &zip.FileHeader{Name: f.name, Method: zip.Deflate}
		if f.store {
			h.Method = zip.Store
		}
		if f.raw {
			h.CRC32, h.UncompressedSize64, h.CompressedSize64 = f.crc, f.declared, uint64(len(f.data))
			w, err := zw.CreateRaw(h)
			if err != nil {
				return nil, err
			}
			if _, err := w.Write(f.data); err != nil {
				return nil, err
			}
			continue
		}
		w, err := zw.CreateHeader(h)
		if err != nil {
			return nil, err
		}
		if _, err := w.Write(f.data); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// badInputs writes the corpus' hostile and broken files: each must get a
// clear note and cost next to nothing.
func badInputs(submissions, writeups string) error {
	shot, err := os.ReadFile(filepath.Join(writeups, "priya-drain/week12/step 9.png"))
	if err != nil {
		return err
	}
	// A screenshot cut off halfway through its pixels.
	if err := os.WriteFile(filepath.Join(submissions, "bad-truncated-screenshot.png"), shot[:len(shot)/2], 0o644); err != nil {
		return err
	}
	// A PNG whose header claims 20000×20000 pixels: 1.6 GB decoded.
	if err := os.WriteFile(filepath.Join(submissions, "bad-20000x20000.png"), hugePNG(20000, 20000), 0o644); err != nil {
		return err
	}
	// A transcript saved under a screenshot's name.
	if err := os.WriteFile(filepath.Join(submissions, "bad-text-named.png"), []byte("[node1] (local) root@192.168.0.13 ~\n$ docker swarm init --advertise-addr eth0\n"), 0o644); err != nil {
		return err
	}
	// 500 blank pages.
	w := newPDF()
	for i := 0; i < 500; i++ {
		w.newPage()
	}
	if err := os.WriteFile(filepath.Join(submissions, "bad-500-pages.pdf"), w.bytes(), 0o644); err != nil {
		return err
	}
	bomb, err := zipBomb()
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(submissions, "bad-zip-bomb.docx"), bomb, 0o644)
}

// hugePNG is a valid PNG signature and header for w×h pixels and one
// tiny IDAT: what a decoder reads before it allocates.
func hugePNG(w, h int) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	chunk := func(typ string, data []byte) {
		binary.Write(&b, binary.BigEndian, uint32(len(data)))
		b.WriteString(typ)
		b.Write(data)
		binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(append([]byte(typ), data...)))
	}
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], uint32(w))
	binary.BigEndian.PutUint32(ihdr[4:], uint32(h))
	ihdr[8], ihdr[9] = 8, 2 // 8-bit RGB
	chunk("IHDR", ihdr)
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	zw.Write(make([]byte, 1+3*w)) // one row
	zw.Close()
	chunk("IDAT", z.Bytes())
	chunk("IEND", nil)
	return b.Bytes()
}

// zipBomb is a DOCX of a few KB whose images unpack to far more than the
// limits: one that says so in its header (8 GB declared), one that
// declares 4 KB and unpacks to 24 MB, and one honest 20 MB file.
func zipBomb() ([]byte, error) {
	zeros := func(n int) []byte {
		var z bytes.Buffer
		fw, _ := flate.NewWriter(&z, flate.BestCompression)
		chunk := make([]byte, 1<<20)
		for i := 0; i < n>>20; i++ {
			fw.Write(chunk)
		}
		fw.Close()
		return z.Bytes()
	}
	doc := `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
		`<w:document ` + nsW + ` ` + nsR + ` ` + nsA + `><w:body>` +
		`<w:p><w:r><w:t>Student: Mallory</w:t></w:r></w:p>` +
		`<w:p><w:r><w:t>My screenshots of the lab:</w:t></w:r></w:p>` +
		`<w:p><w:r><w:drawing><a:blip r:embed="rId11"/></w:drawing></w:r></w:p>` +
		`<w:p><w:r><w:drawing><a:blip r:embed="rId12"/></w:drawing></w:r></w:p>` +
		`<w:p><w:r><w:drawing><a:blip r:embed="rId13"/></w:drawing></w:r></w:p>` +
		`</w:body></w:document>`
	rels := `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
		`<Relationship Id="rId11" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/image1.png"/>` +
		`<Relationship Id="rId12" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/image2.png"/>` +
		`<Relationship Id="rId13" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/image3.png"/>` +
		`</Relationships>`
	small := zeros(1 << 20)
	lying := zeros(24 << 20)
	honest := zeros(20 << 20)
	return writeZip([]zipFile{
		{name: "[Content_Types].xml", data: []byte(`<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>`)},
		{name: "word/document.xml", data: []byte(doc)},
		{name: "word/_rels/document.xml.rels", data: []byte(rels)},
		{name: "word/media/image1.png", raw: true, data: small, crc: 0, declared: 8 << 30},
		{name: "word/media/image2.png", raw: true, data: lying, crc: 0, declared: 4 << 10},
		{name: "word/media/image3.png", raw: true, data: honest, crc: crc32.ChecksumIEEE(make([]byte, 20<<20)), declared: 20 << 20},
	})
}
