// Command screenshots renders labcheck's corpus transcripts into terminal
// screenshots and Markdown write-ups that link them, the way students hand
// in the orchestration lab: xterm windows under Xvfb, a coloured Play with
// Docker prompt on black, PNG and JPEG files, linked by GitHub blob URLs
// from a Markdown file in a repository-like folder.
//
// No real student's image goes into labcheck: everything here is drawn
// from the invented transcripts in testdata/submissions.
//
//	go run ./internal/gen/screenshots -out testdata/writeups
//
// It needs Debian's xvfb, xterm, x11-apps (xwd) and xfonts-base.
package main

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"log"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"time"
)

// writeup is one generated hand-in.
type writeup struct {
	name       string // folder under -out: the student's repository
	transcript string // corpus file rendered
	english    bool   // prose language (else Indonesian)
	dir        string // folder of the Markdown and images inside the repository
	user, repo string
	// link is how images are linked: "blob", "raw" (github.com/.../raw/),
	// "rawgh" (raw.githubusercontent.com) or "relative".
	link string
	// per is how many commands each screenshot shows, cycled.
	per []int
	// first is the number of the first image ("gambar 1.png").
	first int
}

var writeups = []writeup{
	{name: "andi-pwd", transcript: "full-lab-pwd.txt", dir: "minggu_12", user: "andiwijaya", repo: "tekn-cloud-computing",
		link: "blob", per: []int{1, 1, 1, 1, 2, 1, 1, 1, 1, 1, 3, 1}, first: 1},
	{name: "priya-drain", transcript: "drain-by-id.txt", english: true, dir: "week12", user: "priyaraman", repo: "cloud-labs",
		link: "mixed", per: []int{3, 2, 4}, first: 1},
}

// font is an X core font of xfonts-base with its cell size.
type font struct {
	name string
	w, h int
}

var fonts = []font{{"7x13", 7, 13}, {"6x13", 6, 13}, {"7x14", 7, 14}, {"8x13", 8, 13}, {"6x12", 6, 12}}

// widths are the windows' widths in pixels, cycled: 600–800 as a browser
// terminal pane shows them.
var widths = []int{700, 640, 760, 800, 620}

// palettes colour the Play with Docker prompt: host, "(local)", user@addr,
// directory.
var palettes = [][4]string{
	{"\033[1;33m", "\033[0;37m", "\033[1;32m", "\033[1;34m"},
	{"\033[0;32m", "\033[0;33m", "\033[0;36m", "\033[1;34m"},
	{"\033[1;31m", "\033[0;37m", "\033[1;33m", "\033[0;36m"},
}

var pwdHeader = regexp.MustCompile(`^\[(\S+)\] (\(\S+\)) (\S+@\S+) (\S+)(.*)$`)

func main() {
	out := flag.String("out", "testdata/writeups", "folder the write-ups are written under")
	corpus := flag.String("corpus", "testdata/submissions", "folder of the transcripts")
	display := flag.String("display", ":57", "X display Xvfb serves")
	flag.Parse()
	log.SetFlags(0)

	stop, err := startXvfb(*display)
	if err != nil {
		log.Fatal(err)
	}
	defer stop()
	for _, w := range writeups {
		if err := w.generate(*display, *corpus, *out); err != nil {
			stop()
			log.Fatalf("%s: %v", w.name, err)
		}
	}
}

func startXvfb(display string) (func(), error) {
	cmd := exec.Command("Xvfb", display, "-screen", "0", "1280x1024x24", "-nolisten", "tcp")
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start Xvfb (apt-get install xvfb): %w", err)
	}
	stop := func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }
	sock := "/tmp/.X11-unix/X" + strings.TrimPrefix(display, ":")
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if _, err := os.Stat(sock); err == nil {
			return stop, nil
		}
	}
	stop()
	return nil, errors.New("Xvfb did not open " + sock + " within 10 s")
}

// chunk is one command with its prompt and output, as the transcript has it.
type chunk struct {
	lines    []string
	terminal int // a banner starts a new terminal window
}

// chunks splits a transcript at its Play with Docker headers. Lines
// before the first banner or header are the student's own header, not
// terminal content; a banner starts a new terminal window.
func chunks(text string) []chunk {
	var out []chunk
	terminal := 0
	started, pendingBanner := false, []string(nil)
	lines := strings.Split(strings.TrimRight(text, "\n"), "\n")
	for i := 0; i < len(lines); i++ {
		l := strings.TrimRight(lines[i], "\r")
		switch {
		case isBanner(l):
			if started {
				terminal++
			}
			started = true
			j := i + 1
			for j < len(lines) && !isBanner(lines[j]) {
				j++
			}
			pendingBanner = append([]string(nil), lines[i:min(j+1, len(lines))]...)
			i = j
		case strings.HasPrefix(l, "[node"):
			started = true
			out = append(out, chunk{lines: append(pendingBanner, l), terminal: terminal})
			pendingBanner = nil
		case started && len(out) > 0 && pendingBanner == nil:
			out[len(out)-1].lines = append(out[len(out)-1].lines, l)
		}
	}
	// A prompt alone at the end of a terminal stays with the command
	// before it, the way the window shows it.
	var merged []chunk
	for _, c := range out {
		if len(merged) > 0 && merged[len(merged)-1].terminal == c.terminal && !hasCommand(c.lines) {
			merged[len(merged)-1].lines = append(merged[len(merged)-1].lines, c.lines...)
			continue
		}
		merged = append(merged, c)
	}
	return merged
}

func isBanner(l string) bool {
	return len(l) >= 20 && strings.Trim(l, "#") == ""
}

func hasCommand(lines []string) bool {
	for _, l := range lines {
		if strings.HasPrefix(l, "$ ") && strings.TrimSpace(l) != "$" {
			return true
		}
		if m := pwdHeader.FindStringSubmatch(l); m != nil && strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(m[5]), "$")) != "" {
			return true
		}
	}
	return false
}

// shot is one screenshot to draw.
type shot struct {
	lines   []string
	font    font
	width   int
	palette [4]string
	jpeg    bool
	// frame draws a grey focus line and a scrollbar, as a snipping tool
	// catches them; crop cuts the padding unevenly.
	frame, crop bool
}

func (w writeup) shots(text string) []shot {
	cs := chunks(text)
	var shots []shot
	for i, k := 0, 0; i < len(cs); k++ {
		n := w.per[k%len(w.per)]
		var lines []string
		j := i
		for ; j < len(cs) && j < i+n && cs[j].terminal == cs[i].terminal; j++ {
			lines = append(lines, cs[j].lines...)
		}
		i = j
		for len(lines) > 0 && strings.TrimSpace(lines[len(lines)-1]) == "" {
			lines = lines[:len(lines)-1]
		}
		shots = append(shots, shot{
			lines: lines, font: fonts[k%len(fonts)], width: widths[k%len(widths)],
			palette: palettes[k%len(palettes)], jpeg: k%4 == 3, frame: k%3 == 1, crop: k%5 == 2,
		})
	}
	return shots
}

func (w writeup) generate(display, corpus, out string) error {
	data, err := os.ReadFile(filepath.Join(corpus, w.transcript))
	if err != nil {
		return err
	}
	text := strings.ReplaceAll(string(data), "\r\n", "\n")
	root := filepath.Join(out, w.name)
	imgDir := filepath.Join(root, w.dir)
	if err := os.MkdirAll(imgDir, 0o755); err != nil {
		return err
	}
	var md strings.Builder
	w.intro(&md, text)
	for k, s := range w.shots(text) {
		name := fmt.Sprintf("gambar %d.png", w.first+k)
		if w.english {
			name = fmt.Sprintf("step %d.png", w.first+k)
		}
		if s.jpeg {
			name = strings.TrimSuffix(name, ".png") + ".jpg"
		}
		img, err := render(display, s)
		if err != nil {
			return fmt.Errorf("shot %d: %w", k+1, err)
		}
		if err := save(filepath.Join(imgDir, name), img, s.jpeg); err != nil {
			return err
		}
		fmt.Fprintf(&md, "%s\n\n![hasil](%s)\n\n", w.prose(k, s), w.url(name, k))
	}
	fmt.Fprint(&md, w.outro())
	mdName := "penjelasan.md"
	if w.english {
		mdName = "README.md"
	}
	return os.WriteFile(filepath.Join(imgDir, mdName), []byte(md.String()), 0o644)
}

func (w writeup) url(name string, k int) string {
	path := w.dir + "/" + url.PathEscape(name)
	link := w.link
	if link == "mixed" {
		link = []string{"rawgh", "relative", "raw"}[k%3]
	}
	switch link {
	case "raw":
		return fmt.Sprintf("https://github.com/%s/%s/raw/main/%s", w.user, w.repo, path)
	case "rawgh":
		return fmt.Sprintf("https://raw.githubusercontent.com/%s/%s/main/%s", w.user, w.repo, path)
	case "relative":
		return "./" + url.PathEscape(name)
	}
	return fmt.Sprintf("https://github.com/%s/%s/blob/master/%s", w.user, w.repo, path)
}

var studentRe = regexp.MustCompile(`(?im)^(?:nama|student)\s*:\s*(.+)$`)

func (w writeup) intro(md *strings.Builder, text string) {
	name := "?"
	if m := studentRe.FindStringSubmatch(text); m != nil {
		name = strings.TrimSpace(m[1])
	}
	if w.english {
		fmt.Fprintf(md, "# Week 12 lab: Docker Swarm orchestration\n\nStudent: %s\n\n"+
			"I did the lab on Play with Docker with three nodes. The screenshots below show every command I ran, in order.\n\n", name)
		return
	}
	fmt.Fprintf(md, "# Praktikum Pertemuan Ke 12 (UAS)\n\nNama: %s\n\n"+
		"## Step 1 orkestrasi\n\nJadi, apa itu orkestrasi? Orkestrasi memungkinkan kita menjalankan aplikasi di banyak host dengan satu perintah.\n\n", name)
}

var (
	prosaID = []string{
		"## Step 2 konfigurasi mode swarm\n\nPertama kita jalankan kontainer biasa di node1, lalu mengaktifkan mode Swarm.",
		"Tapi, ini hanya pada satu node. Apa yang terjadi jika simpul ini turun? Nah, aplikasi kita baru saja mati.",
		"## Step 2.1 buat simpul manager\n\nDi node1 kita membuat manager dengan perintah berikut.",
		"Hasilnya bisa dilihat pada gambar di bawah ini.",
		"## Step 2.2 bergabung dengan node pekerja ke swarm\n\nLalu node2 dan node3 bergabung sebagai worker.",
		"Jadi, sekarang swarm sudah memiliki tiga node.",
		"## Step 3 menyebarkan aplikasi di beberapa host\n\nSekarang saatnya menjalankan aplikasi tidur kami yang sangat sederhana.",
		"Kemudian layanan di-scale dan dicek kembali.",
		"## Step 4 drain node\n\nSalah satu node dikuras (drain) untuk pemeliharaan.",
		"## Step 5 membersihkan\n\nTerakhir semua layanan dihapus dan node keluar dari swarm.",
	}
	proseEN = []string{
		"## Setting up\n\nFirst a plain container on node1, then swarm mode.",
		"The manager prints the join command for the workers.",
		"## Draining a node\n\nThen I drained node2 by its ID and checked where the tasks went.",
		"That is the end of the lab.",
	}
)

func (w writeup) prose(k int, s shot) string {
	if w.english {
		return proseEN[k%len(proseEN)]
	}
	return prosaID[k%len(prosaID)]
}

func (w writeup) outro() string {
	if w.english {
		return "## Conclusion\n\nSwarm reschedules tasks when a node is drained.\n"
	}
	return "## Kesimpulan\n\nDocker Swarm menjadwalkan ulang tugas ketika sebuah node dikuras.\n"
}

// render draws the shot's lines in an xterm and captures its window.
func render(display string, s shot) (image.Image, error) {
	tmp, err := os.MkdirTemp("", "labcheck-shot-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	cols := (s.width - 4) / s.font.w
	rows := 0
	for _, l := range s.lines {
		rows += max(1, (len(l)+cols-1)/cols)
	}
	var script bytes.Buffer
	script.WriteString("printf '\\033[?25l'\n")
	for i, l := range s.lines {
		text := colour(l, s.palette)
		if i < len(s.lines)-1 {
			text += "\n"
		}
		fmt.Fprintf(&script, "printf '%%s' %s\n", shellQuote(text))
	}
	done := filepath.Join(tmp, "wid")
	fmt.Fprintf(&script, "echo $WINDOWID > %s.tmp && mv %s.tmp %s\nsleep 60\n", done, done, done)
	scriptPath := filepath.Join(tmp, "s.sh")
	if err := os.WriteFile(scriptPath, script.Bytes(), 0o644); err != nil {
		return nil, err
	}
	xt := exec.Command("xterm", "-display", display, "-geometry", fmt.Sprintf("%dx%d", cols, rows),
		"-fn", s.font.name, "-bg", "black", "-fg", "#d0d0d0", "+sb", "-b", "2", "-e", "sh", scriptPath)
	if err := xt.Start(); err != nil {
		return nil, fmt.Errorf("start xterm (apt-get install xterm xfonts-base): %w", err)
	}
	defer func() { _ = xt.Process.Kill(); _ = xt.Wait() }()
	var wid string
	for deadline := time.Now().Add(10 * time.Second); wid == "" && time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		b, _ := os.ReadFile(done)
		wid = strings.TrimSpace(string(b))
	}
	if wid == "" {
		return nil, errors.New("xterm did not start within 10 s")
	}
	// xterm draws after the text reaches it; capture until two frames agree.
	var prev []byte
	for i := 0; i < 40; i++ {
		time.Sleep(100 * time.Millisecond)
		raw, err := exec.Command("xwd", "-display", display, "-id", wid, "-silent").Output()
		if err != nil {
			return nil, fmt.Errorf("xwd (apt-get install x11-apps): %w", err)
		}
		if bytes.Equal(raw, prev) {
			img, err := decodeXWD(raw)
			if err != nil {
				return nil, err
			}
			return decorate(img, s), nil
		}
		prev = raw
	}
	return nil, errors.New("the xterm window never settled")
}

// colour gives a Play with Docker header its colours.
func colour(l string, p [4]string) string {
	m := pwdHeader.FindStringSubmatch(l)
	if m == nil {
		return l
	}
	const reset = "\033[0m"
	return p[0] + "[" + m[1] + "]" + reset + " " + p[1] + m[2] + reset + " " + p[2] + m[3] + reset + " " + p[3] + m[4] + reset + m[5]
}

func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// decorate adds what a snipping tool catches around a terminal: a grey
// focus line and a scrollbar, or an uneven crop of the padding.
func decorate(img image.Image, s shot) image.Image {
	b := img.Bounds()
	switch {
	case s.frame:
		out := image.NewRGBA(image.Rect(0, 0, b.Dx()+12, b.Dy()+4))
		grey := color.RGBA{0x60, 0x60, 0x60, 0xff}
		bar := color.RGBA{0x30, 0x30, 0x30, 0xff}
		for y := 0; y < out.Bounds().Dy(); y++ {
			for x := 0; x < out.Bounds().Dx(); x++ {
				switch {
				case x < 2 || y < 2 || y >= b.Dy()+2:
					out.Set(x, y, grey)
				case x >= b.Dx()+2:
					out.Set(x, y, bar)
				default:
					out.Set(x, y, img.At(b.Min.X+x-2, b.Min.Y+y-2))
				}
			}
		}
		return out
	case s.crop:
		r := image.Rect(b.Min.X+1, b.Min.Y+1, b.Max.X, b.Max.Y-1)
		out := image.NewRGBA(image.Rect(0, 0, r.Dx(), r.Dy()))
		for y := 0; y < r.Dy(); y++ {
			for x := 0; x < r.Dx(); x++ {
				out.Set(x, y, img.At(r.Min.X+x, r.Min.Y+y))
			}
		}
		return out
	}
	return img
}

func save(path string, img image.Image, asJPEG bool) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(f)
	if asJPEG {
		err = jpeg.Encode(bw, img, &jpeg.Options{Quality: 85})
	} else {
		err = (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(bw, img)
	}
	if err == nil {
		err = bw.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// decodeXWD reads the X window dump xwd writes for a 24-bit TrueColor
// screen (ZPixmap, 32 bits a pixel), which is what Xvfb serves here.
func decodeXWD(raw []byte) (image.Image, error) {
	if len(raw) < 100 {
		return nil, errors.New("xwd: short header")
	}
	var h [25]uint32
	if err := binary.Read(bytes.NewReader(raw[:100]), binary.BigEndian, &h); err != nil {
		return nil, err
	}
	headerSize, format, width, height := h[0], h[2], int(h[4]), int(h[5])
	byteOrder, bpp, bpl, ncolors := h[7], h[11], int(h[12]), h[19]
	if format != 2 || bpp != 32 {
		return nil, fmt.Errorf("xwd: format %d with %d bits a pixel; want ZPixmap, 32", format, bpp)
	}
	off := int(headerSize) + int(ncolors)*12
	if len(raw) < off+bpl*height {
		return nil, fmt.Errorf("xwd: %d bytes, want %d", len(raw), off+bpl*height)
	}
	img := image.NewRGBA(image.Rect(0, 0, width, height))
	for y := 0; y < height; y++ {
		row := raw[off+y*bpl:]
		for x := 0; x < width; x++ {
			p := row[x*4 : x*4+4]
			var v uint32
			if byteOrder == 0 {
				v = binary.LittleEndian.Uint32(p)
			} else {
				v = binary.BigEndian.Uint32(p)
			}
			img.SetRGBA(x, y, color.RGBA{uint8(v >> 16), uint8(v >> 8), uint8(v), 0xff})
		}
	}
	return img, nil
}
