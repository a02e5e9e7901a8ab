package writeup

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"regexp"
	"strings"
)

// A DOCX write-up is a zip: its main part (word/document.xml) gives the
// text paragraph by paragraph, and each inline image (<a:blip
// r:embed="rId5">) is found through the part's relationships in
// word/media. A zip's headers say what each file unpacks to, and they may
// lie: every file is read through a limit, and the whole document is
// counted against another, so a small file cannot unpack to gigabytes.

// docxZip reads the files of a DOCX within the limits.
type docxZip struct {
	files map[string]*zip.File
	left  int64 // of MaxDocxTotalBytes
}

func (z *docxZip) read(name string, max int64) ([]byte, error) {
	f, ok := z.files[name]
	if !ok {
		return nil, fmt.Errorf("%s is missing", name)
	}
	if f.UncompressedSize64 > uint64(max) {
		return nil, fmt.Errorf("%s declares %s unpacked, more than the %d MB limit; not unpacked", name, sizeText(f.UncompressedSize64), max>>20)
	}
	if f.UncompressedSize64 > uint64(z.left) {
		return nil, fmt.Errorf("%s would take the document past the %d MB it may unpack to in all; not unpacked", name, MaxDocxTotalBytes>>20)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	defer rc.Close()
	data, err := io.ReadAll(io.LimitReader(rc, min(max, z.left)+1))
	z.left -= int64(len(data))
	switch {
	case errors.Is(err, zip.ErrFormat) || errors.Is(err, zip.ErrChecksum):
		// archive/zip stops a file that unpacks past its declared size.
		return nil, fmt.Errorf("%s unpacks to more than its header declares (%s) or is corrupt; not read", name, sizeText(f.UncompressedSize64))
	case err != nil:
		return nil, fmt.Errorf("%s: %v", name, err)
	case int64(len(data)) > max:
		return nil, fmt.Errorf("%s unpacks to more than the %d MB limit; not read", name, max>>20)
	case z.left < 0:
		return nil, fmt.Errorf("the document unpacks to more than %d MB in all; %s not read", MaxDocxTotalBytes>>20, name)
	}
	return data, nil
}

func sizeText(n uint64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%d bytes", n)
}

// readDOCX reads a DOCX write-up into pieces in document order.
func (r *reader) readDOCX() ([]docPiece, error) {
	zr, err := zip.OpenReader(r.path)
	if err != nil {
		return nil, fmt.Errorf("not a DOCX file (%v)", err)
	}
	defer zr.Close()
	if len(zr.File) > MaxDocxEntries {
		return nil, fmt.Errorf("the DOCX zip holds %d files, more than the %d a document may; not read", len(zr.File), MaxDocxEntries)
	}
	z := &docxZip{files: map[string]*zip.File{}, left: MaxDocxTotalBytes}
	for _, f := range zr.File {
		z.files[f.Name] = f
	}
	main := "word/document.xml"
	if rels, err := z.read("_rels/.rels", 1<<20); err == nil {
		for _, rel := range parseRels(rels, "") {
			if strings.HasSuffix(rel.Type, "/officeDocument") && !rel.external {
				main = rel.target
			}
		}
	}
	doc, err := z.read(main, MaxDocxEntryBytes)
	if err != nil {
		return nil, err
	}
	relsName := path.Join(path.Dir(main), "_rels", path.Base(main)+".rels")
	rels := map[string]docxRel{}
	if data, err := z.read(relsName, 1<<20); err == nil {
		for _, rel := range parseRels(data, path.Dir(main)) {
			rels[rel.ID] = rel
		}
	}
	pieces, err := docxPieces(doc)
	if err != nil {
		return nil, fmt.Errorf("%s is not readable XML (%v)", main, err)
	}
	n := 0
	for _, p := range pieces {
		if p.image == nil {
			continue
		}
		n++
		id := p.image.name
		rel, ok := rels[id]
		switch {
		case !ok:
			p.image.note = fmt.Sprintf("the document names image %s, which it does not hold", id)
		case rel.external:
			p.image.name = rel.target
			p.image.note = "an image linked from outside the document; labcheck fetches nothing from the network"
		case n > MaxImages:
			p.image.name = rel.target
			p.image.note = fmt.Sprintf("beyond the %d images a write-up may have; not read", MaxImages)
		default:
			p.image.name = rel.target
			p.image.data, err = z.read(rel.target, min(MaxImageBytes, MaxDocxEntryBytes))
			if err != nil {
				p.image.note = err.Error()
			}
		}
	}
	return pieces, nil
}

type docxRel struct {
	ID       string `xml:"Id,attr"`
	Type     string `xml:"Type,attr"`
	Target   string `xml:"Target,attr"`
	Mode     string `xml:"TargetMode,attr"`
	target   string // the zip's name for it
	external bool
}

// parseRels reads a relationships part; targets are resolved against the
// folder of the part they belong to, and never leave the zip.
func parseRels(data []byte, dir string) []docxRel {
	var doc struct {
		Rels []docxRel `xml:"Relationship"`
	}
	if xml.Unmarshal(data, &doc) != nil {
		return nil
	}
	for i := range doc.Rels {
		rel := &doc.Rels[i]
		rel.external = strings.EqualFold(rel.Mode, "External")
		if rel.external {
			rel.target = rel.Target
			continue
		}
		t := rel.Target
		if !strings.HasPrefix(t, "/") {
			t = path.Join("/"+dir, t)
		}
		rel.target = strings.TrimPrefix(path.Clean(t), "/")
	}
	return doc.Rels
}

var (
	codeStyle    = regexp.MustCompile(`(?i)code|source|verbatim|preformat|console|terminal|macro|plaintext`)
	headingStyle = regexp.MustCompile(`(?i)^(?:heading|title|subtitle|judul)`)
	monoFont     = regexp.MustCompile(`(?i)mono|courier|consolas|menlo|monaco|lucida console|inconsolata|fira code|source code|fixedsys`)
)

// docxPieces walks the main part: paragraphs become lines (a <w:br/> ends
// a line inside one, as in a pasted code block), each inline image a
// piece of its own where it sits. An image's name is its relationship ID
// until readDOCX resolves it.
func docxPieces(doc []byte) ([]docPiece, error) {
	dec := xml.NewDecoder(bytes.NewReader(doc))
	var pieces []docPiece
	var lines []docLine
	var cur strings.Builder
	style, font := "", ""
	inText, sawText, allMono := false, false, true
	para := func() docLine {
		return docLine{
			text:    cur.String(),
			code:    codeStyle.MatchString(style) || sawText && allMono,
			heading: headingStyle.MatchString(style),
		}
	}
	// The code flag is the paragraph's, known at its end: lines broken
	// inside it are marked then.
	open, paraN := 0, 0
	flushLine := func() {
		lines = append(lines, para())
		cur.Reset()
	}
	endPara := func() {
		flushLine()
		l := para()
		paraN++
		for i := open; i < len(lines); i++ {
			lines[i].code, lines[i].heading = l.code, l.heading
			lines[i].para, lines[i].multi = paraN, len(lines)-open > 1
		}
		open = len(lines)
		style, sawText, allMono = "", false, true
	}
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "p":
				cur.Reset()
				open = len(lines)
				style, sawText, allMono = "", false, true
			case "pStyle":
				style = attr(t, "val")
			case "r":
				font = ""
			case "rFonts":
				font = attr(t, "ascii") + " " + attr(t, "hAnsi")
			case "t":
				inText = true
			case "tab":
				cur.WriteString("\t")
			case "br", "cr":
				if attr(t, "type") != "page" {
					flushLine()
				}
			case "blip", "imagedata":
				id := attr(t, "embed")
				if id == "" {
					id = attr(t, "id")
				}
				if id == "" {
					continue
				}
				if cur.Len() > 0 {
					flushLine()
				}
				if len(lines) > 0 {
					pieces = append(pieces, docPiece{lines: lines})
					lines, open = nil, 0
				}
				pieces = append(pieces, docPiece{image: &docImage{name: id}})
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "t":
				inText = false
			case "p":
				endPara()
			}
		case xml.CharData:
			if inText {
				cur.Write(t)
				if strings.TrimSpace(string(t)) != "" {
					sawText = true
					allMono = allMono && monoFont.MatchString(font)
				}
			}
		}
	}
	if len(lines) > 0 {
		pieces = append(pieces, docPiece{lines: lines})
	}
	return pieces, nil
}

func attr(e xml.StartElement, local string) string {
	for _, a := range e.Attr {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}
