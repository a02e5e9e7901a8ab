// Package writeup reads the write-ups students hand in for a lab whose
// evidence is screenshots: a Markdown file whose image links point at
// terminal screenshots in the student's repository, or a folder of
// screenshots. It reads the images with tesseract, corrects what OCR
// bends against the docker CLI and the session's own screenshots, and
// hands the result to grader/submission as a transcript, so a command read
// from an image is judged exactly as a typed one. Every such command
// carries its image, OCR's confidence and the corrections applied, and is
// marked "check by hand" when either is doubtful.
//
// Nothing is fetched from the network and nothing outside the student's
// repository is read.
package writeup

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strings"

	"golang.org/x/sync/errgroup"

	"github.com/labcheck/labcheck/grader/submission"
)

// FormatWriteup is a write-up read from its images.
const FormatWriteup submission.Format = "writeup"

// Options say what the lab expects, as for submission.Parse.
type Options struct {
	Nodes       []string
	DefaultNode string
	// Parallel bounds the tesseract processes run at once; 0 means one
	// per core.
	Parallel int
	// Install lets Read install a missing tesseract (as root on Debian);
	// Logf hears that it does.
	Install bool
	Logf    func(string, ...any)
}

var imageExt = map[string]bool{".png": true, ".jpg": true, ".jpeg": true}

// Document says whether path names a file this package reads whatever its
// size or bytes: a screenshot, a PDF or a DOCX. Such a file is not text,
// and the text parser's size limit is not its own; one that is not what
// its name says gets a note from Read.
func Document(path string) bool {
	ext := strings.ToLower(filepath.Ext(path))
	return imageExt[ext] || ext == ".pdf" || ext == ".docx"
}

// Is says whether path (with data, its first bytes; nil for a folder) is
// a write-up this package reads: a folder of screenshots, a screenshot, or
// Markdown that references images or holds no fenced block at all (prose
// only, which must never be replayed line by line).
func Is(path string, data []byte) bool {
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return len(folderImages(path)) > 0
	}
	ext := strings.ToLower(filepath.Ext(path))
	if imageExt[ext] || ext == ".pdf" && bytes.HasPrefix(data, pdfMagic) || ext == ".docx" && bytes.HasPrefix(data, zipMagic) {
		return true
	}
	if bytes.IndexByte(data, 0) >= 0 {
		// Binary data is no write-up: the text parser says what is wrong with it.
		return false
	}
	lines := strings.Split(string(data), "\n")
	if len(imageRefs(lines)) > 0 {
		return true
	}
	if ext != ".md" && ext != ".markdown" {
		return false
	}
	for _, l := range lines {
		if fenceRe.MatchString(l) {
			return false
		}
	}
	return true
}

// item is one image of the write-up, in document order.
type item struct {
	ref  ref
	rel  string // path in the repository, for people to read
	file string // resolved path; "" when it could not be
	data []byte // the image itself, unpacked from a PDF or DOCX
	note string // why it was not read
	read []screenLine
}

// Read reads a write-up. A write-up with nothing to replay is a
// *submission.ParseError saying what was looked for and found.
func Read(ctx context.Context, path string, opts Options) (*submission.Submission, error) {
	if opts.Parallel <= 0 {
		opts.Parallel = runtime.NumCPU()
	}
	if opts.DefaultNode == "" && len(opts.Nodes) > 0 {
		opts.DefaultNode = opts.Nodes[0]
	}
	r := &reader{path: path, opts: opts}
	if err := r.collect(ctx); err != nil {
		return nil, err
	}
	if err := r.ocr(ctx); err != nil {
		return nil, err
	}
	return r.assemble()
}

type reader struct {
	path  string
	opts  Options
	root  string
	lines []string // the Markdown's; nil for a folder
	items []*item
	notes []string
	// doc is set for a PDF or DOCX: its lines are made, not the student's.
	doc bool
}

func (it *item) resolved() bool { return it.file != "" || it.data != nil }

func (r *reader) collect(ctx context.Context) error {
	fi, err := os.Stat(r.path)
	if err != nil {
		return err
	}
	ext := strings.ToLower(filepath.Ext(r.path))
	if !fi.IsDir() && (ext == ".pdf" || ext == ".docx") {
		r.root = filepath.Dir(r.path)
		if fi.Size() > MaxDocumentBytes {
			return &submission.ParseError{Source: r.path, Msg: fmt.Sprintf("larger than the %d MB a PDF or DOCX write-up may be; not read", MaxDocumentBytes>>20)}
		}
		var pieces []docPiece
		if ext == ".pdf" {
			pieces, err = r.readPDF(ctx)
		} else {
			pieces, err = r.readDOCX()
		}
		if err != nil {
			return &submission.ParseError{Source: r.path, Msg: err.Error()}
		}
		r.addDocument(pieces)
		for i, it := range r.items {
			if it.note == "" && i >= MaxImages {
				it.note = fmt.Sprintf("beyond the %d images a write-up may have; not read", MaxImages)
				it.data = nil
			}
		}
		return nil
	}
	if fi.IsDir() {
		r.root = r.path
		for i, name := range folderImages(r.path) {
			r.items = append(r.items, &item{ref: ref{line: i + 1, target: name}, rel: name})
		}
	} else if imageExt[strings.ToLower(filepath.Ext(r.path))] {
		r.root = filepath.Dir(r.path)
		name := filepath.Base(r.path)
		r.items = append(r.items, &item{ref: ref{line: 1, target: name}, rel: name})
	} else {
		data, err := readLimited(r.path, MaxMarkdownBytes)
		if err != nil {
			return &submission.ParseError{Source: r.path, Msg: err.Error()}
		}
		text := strings.ReplaceAll(string(data), "\r\n", "\n")
		r.lines = strings.Split(text, "\n")
		refs := imageRefs(r.lines)
		mdDir := filepath.Dir(r.path)
		var rooted []string
		for _, rf := range refs {
			if p, fromRoot, ok, err := repoPath(rf.target, ""); ok && err == nil && fromRoot {
				rooted = append(rooted, p)
			}
		}
		r.root = findRoot(mdDir, rooted)
		mdRel, _ := filepath.Rel(r.root, mdDir)
		mdRel = filepath.ToSlash(mdRel)
		if mdRel == "." {
			mdRel = ""
		}
		for _, rf := range refs {
			it := &item{ref: rf, rel: rf.target}
			p, _, ok, err := repoPath(rf.target, mdRel)
			switch {
			case !ok:
				it.note = "links outside the student's repository (" + rf.target + "); labcheck fetches nothing from the network"
			case err != nil:
				it.note = err.Error()
			default:
				it.rel = p
			}
			r.items = append(r.items, it)
		}
	}
	for i, it := range r.items {
		if it.note != "" {
			continue
		}
		if i >= MaxImages {
			it.note = fmt.Sprintf("beyond the %d images a write-up may have; not read", MaxImages)
			continue
		}
		file, err := openInRoot(r.root, it.rel)
		if err != nil {
			it.note = err.Error()
			continue
		}
		it.file = file
	}
	return nil
}

// folderImages are the screenshots of a folder of screenshots, in
// natural order; none when most of its files are not images: a class's
// folder with one student's loose screenshot in it is still a class.
func folderImages(dir string) []string {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	var names []string
	others := 0
	for _, e := range entries {
		switch {
		case e.IsDir() || strings.HasPrefix(e.Name(), "."):
		case imageExt[strings.ToLower(filepath.Ext(e.Name()))]:
			names = append(names, e.Name())
		default:
			others++
		}
	}
	if len(names) <= others {
		return nil
	}
	sort.SliceStable(names, func(i, j int) bool { return naturalLess(names[i], names[j]) })
	return names
}

// ocr reads every resolved image, bounded to Parallel tesseract runs. An
// image that cannot be read gets a note; the others go on.
func (r *reader) ocr(ctx context.Context) error {
	n := 0
	for _, it := range r.items {
		if it.resolved() {
			n++
		}
	}
	if n == 0 {
		return nil
	}
	if err := haveTesseract(ctx, r.opts); err != nil {
		return err
	}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(r.opts.Parallel)
	for _, it := range r.items {
		if !it.resolved() {
			continue
		}
		g.Go(func() error {
			data := it.data
			if data == nil {
				var err error
				if data, err = readLimited(it.file, MaxImageBytes); err != nil {
					it.note = err.Error()
					return nil
				}
			}
			img, err := decodeImage(data)
			if err != nil {
				it.note = err.Error()
				return nil
			}
			lines, err := readScreen(gctx, prepare(img))
			switch {
			case errors.Is(err, ErrNoTesseract) || gctx.Err() != nil:
				return err
			case err != nil:
				it.note = err.Error()
			case len(lines) == 0:
				it.note = "no text found in the image"
			}
			it.read = lines
			return nil
		})
	}
	return g.Wait()
}

// part is a stretch of the write-up read on its own: a run of images, or
// the text between images when it holds fenced blocks.
type part struct {
	from, to int // items[from:to] for an image run
	text     bool
	lineFrom int // Markdown lines [lineFrom, lineTo) for a text part
	lineTo   int
}

func (r *reader) parts() []part {
	if r.lines == nil {
		return []part{{from: 0, to: len(r.items)}}
	}
	var ps []part
	runFrom, gapFrom := 0, 0
	for i := 0; i <= len(r.items); i++ {
		gapTo := len(r.lines)
		if i < len(r.items) {
			gapTo = r.items[i].ref.line - 1
		}
		if gapTo > gapFrom && hasFence(r.lines[gapFrom:gapTo]) {
			if i > runFrom {
				ps = append(ps, part{from: runFrom, to: i})
			}
			ps = append(ps, part{text: true, lineFrom: gapFrom, lineTo: gapTo})
			runFrom = i
		}
		gapFrom = max(gapFrom, gapTo+1)
	}
	if len(r.items) > runFrom {
		ps = append(ps, part{from: runFrom, to: len(r.items)})
	}
	return ps
}

func hasFence(lines []string) bool {
	for _, l := range lines {
		if fenceRe.MatchString(l) {
			return true
		}
	}
	return false
}

var studentRe = regexp.MustCompile(`(?i)^[\s#>*_-]*(?:student(?:\s*name)?|nama(?:\s*lengkap)?|name)\s*[*_]*\s*[:=]\s*[*_]*\s*(.+?)[\s*_]*$`)

func (r *reader) assemble() (*submission.Submission, error) {
	sub := &submission.Submission{Source: r.path, Format: FormatWriteup}
	for i, l := range r.lines {
		if i >= 30 {
			break
		}
		if m := studentRe.FindStringSubmatch(l); m != nil {
			sub.Student, sub.Claimed = m[1], m[1]
			break
		}
	}
	if sub.Student == "" {
		sub.Student = filepath.Base(r.root)
	}

	// One session for all the images: an ID one screenshot shows
	// clearly settles another's.
	s := &session{nodes: r.opts.Nodes}
	for i, it := range r.items {
		s.lines = append(s.lines, classify(i, it.read)...)
	}
	s.run()
	byItem := map[int][]*line{}
	for _, l := range s.lines {
		byItem[l.image] = append(byItem[l.image], l)
	}

	node := r.opts.DefaultNode
	terminal := 0
	found, readable := 0, 0
	for _, it := range r.items {
		if it.resolved() {
			found++
		}
		if len(it.read) > 0 {
			readable++
		}
	}
	for _, p := range r.parts() {
		var cmds []submission.Command
		var notes []string
		var err error
		if p.text {
			cmds, notes, err = r.textPart(p, node)
		} else {
			cmds, notes, err = r.imagePart(p, byItem, node)
		}
		if err != nil {
			return nil, err
		}
		base := terminal
		for _, c := range cmds {
			c.Terminal += base
			terminal = max(terminal, c.Terminal+1)
			node = c.Node
			sub.Commands = append(sub.Commands, c)
		}
		sub.Notes = append(sub.Notes, notes...)
	}
	hand := 0
	for _, c := range sub.Commands {
		if c.Evidence != nil && c.Evidence.CheckByHand {
			hand++
		}
	}
	sub.Notes = append(append([]string(nil), r.notes...), sub.Notes...)
	for i, it := range r.items {
		switch {
		case it.note == "":
		case r.doc:
			sub.Notes = append(sub.Notes, fmt.Sprintf("image %d (%s): %s", i+1, it.rel, it.note))
		default:
			sub.Notes = append(sub.Notes, fmt.Sprintf("image %d (%s, line %d): %s", i+1, it.rel, it.ref.line, it.note))
		}
	}
	if len(r.items) > 0 {
		sub.Notes = append(sub.Notes, fmt.Sprintf("read %d of %d images by OCR (tesseract); %d commands from images, %d of them to check by hand", readable, len(r.items), countEvidence(sub.Commands), hand))
	}
	if len(sub.Commands) == 0 {
		msg := "no commands in the text; "
		switch {
		case r.doc && len(r.items) == 0:
			msg += "no images in the document"
		case r.doc:
			msg += fmt.Sprintf("%s in the document, no command read from them", plural(len(r.items), "image"))
		case len(r.items) == 0:
			msg += "no images referenced"
		case found == 0:
			msg += fmt.Sprintf("%s referenced, none found under %s", plural(len(r.items), "image"), r.root)
		default:
			msg += fmt.Sprintf("%s referenced, %d found under %s, no command read from them", plural(len(r.items), "image"), found, r.root)
		}
		if n := len(sub.Notes); n > 0 {
			msg += " (" + strings.Join(sub.Notes[:min(n, 3)], "; ") + ")"
		}
		return nil, &submission.ParseError{Source: r.path, Msg: msg}
	}
	return sub, nil
}

func countEvidence(cmds []submission.Command) int {
	n := 0
	for _, c := range cmds {
		if c.Evidence != nil {
			n++
		}
	}
	return n
}

func plural(n int, w string) string {
	if n == 1 {
		return "1 " + w
	}
	return fmt.Sprintf("%d %ss", n, w)
}

// textPart reads the fenced blocks between images as submission reads any
// Markdown, on a copy whose other lines are blank so line numbers hold.
func (r *reader) textPart(p part, node string) ([]submission.Command, []string, error) {
	masked := make([]string, len(r.lines))
	copy(masked[p.lineFrom:p.lineTo], r.lines[p.lineFrom:p.lineTo])
	sub, err := submission.Parse(r.path, []byte(strings.Join(masked, "\n")), submission.Options{
		Nodes: r.opts.Nodes, Format: submission.FormatMarkdown, DefaultNode: node,
	})
	if err != nil {
		var pe *submission.ParseError
		if errors.As(err, &pe) && strings.HasPrefix(pe.Msg, "no commands found") {
			return nil, nil, nil
		}
		return nil, nil, err
	}
	return sub.Commands, sub.Notes, nil
}

// imagePart turns a run of screenshots into a transcript and reads it as
// submission reads any transcript; each command then gets its evidence.
func (r *reader) imagePart(p part, byItem map[int][]*line, node string) ([]submission.Command, []string, error) {
	var text []string
	var src []*line
	for i := p.from; i < p.to; i++ {
		for _, l := range byItem[i] {
			text = append(text, l.text)
			src = append(src, l)
		}
	}
	if len(text) == 0 {
		return nil, nil, nil
	}
	sub, err := submission.Parse(r.path, []byte(strings.Join(text, "\n")+"\n"), submission.Options{
		Nodes: r.opts.Nodes, Format: submission.FormatTranscript, DefaultNode: node,
	})
	if err != nil {
		var pe *submission.ParseError
		if errors.As(err, &pe) {
			if strings.HasPrefix(pe.Msg, "no commands found") {
				return nil, nil, nil
			}
			if pe.Line > 0 && pe.Line <= len(src) {
				l := src[pe.Line-1]
				it := r.items[l.image]
				pe.Msg = fmt.Sprintf("image %s (line %d), read as `%s`: %s", it.rel, it.ref.line, l.text, pe.Msg)
				pe.Line = it.ref.line
			}
		}
		return nil, nil, err
	}
	for i := range sub.Commands {
		c := &sub.Commands[i]
		if c.Line < 1 || c.Line > len(src) {
			continue
		}
		l := src[c.Line-1]
		it := r.items[l.image]
		ev := &submission.Evidence{Image: it.rel, Confidence: l.conf, Corrections: append([]string(nil), l.corrections...)}
		large := l.large
		// The header above names the node: its corrections are the
		// command's too.
		if c.Line >= 2 && l.kind == kindCommand {
			if h := src[c.Line-2]; h.kind == kindHeader {
				ev.Corrections = append(ev.Corrections, h.corrections...)
			}
		}
		var why []string
		if ev.Confidence < ConfidenceBar {
			why = append(why, fmt.Sprintf("OCR confidence %.0f is below %d", ev.Confidence, ConfidenceBar))
		}
		if large {
			why = append(why, "a large correction")
		}
		ev.CheckByHand = len(why) > 0
		ev.Why = strings.Join(why, "; ")
		c.Evidence = ev
		c.Line = it.ref.line
	}
	return sub.Commands, sub.Notes, nil
}

// readLimited reads one file of a write-up, refusing it over max bytes.
var readLimited = submission.ReadLimited
