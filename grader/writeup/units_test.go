package writeup

import (
	"bytes"
	"context"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/labcheck/labcheck/grader/submission"
)

func TestRepoPath(t *testing.T) {
	tests := []struct {
		name, target, mdRel, want string
		fromRoot, ok, err         bool
	}{
		{"blob URL with %20", "https://github.com/u/r/blob/master/minggu_12/gambar%201.png", "minggu_12", "minggu_12/gambar 1.png", true, true, false},
		{"raw path", "https://github.com/u/r/raw/main/a/b.png", "x", "a/b.png", true, true, false},
		{"raw.githubusercontent", "https://raw.githubusercontent.com/u/r/main/w/s%202.jpg", "", "w/s 2.jpg", true, true, false},
		{"relative", "./gambar%202.png", "minggu_12", "minggu_12/gambar 2.png", false, true, false},
		{"relative up and back", "../minggu_12/a.png", "minggu_12", "minggu_12/a.png", false, true, false},
		{"escape", "../../etc/passwd", "minggu_12", "", false, true, true},
		{"rooted escape", "/../../etc/passwd", "minggu_12", "", true, true, true},
		{"another site", "https://imgur.com/a.png", "", "", false, false, false},
		{"query and fragment", "https://github.com/u/r/blob/master/a.png?raw=true#x", "", "a.png", true, true, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, fromRoot, ok, err := repoPath(tc.target, tc.mdRel)
			assert.Equal(t, tc.ok, ok)
			if tc.err {
				assert.ErrorContains(t, err, "leaves the repository")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
			assert.Equal(t, tc.fromRoot, fromRoot)
		})
	}
}

func TestImageRefsInDocumentOrderOutsideFences(t *testing.T) {
	md := strings.Split("# x\n![a](one.png) and <img src=\"two.png\"> ![b](three.png)\n```\n![c](code.png)\n```\n<IMG SRC='four.jpg'>\n", "\n")
	var got []string
	for _, r := range imageRefs(md) {
		got = append(got, r.target)
	}
	assert.Equal(t, []string{"one.png", "two.png", "three.png", "four.jpg"}, got)
}

func TestNaturalOrder(t *testing.T) {
	names := []string{"gambar 10.png", "gambar 2.png", "gambar 1.png", "Gambar 3.png", "gambar 02b.png", "a.png"}
	sort.SliceStable(names, func(i, j int) bool { return naturalLess(names[i], names[j]) })
	assert.Equal(t, []string{"a.png", "gambar 1.png", "gambar 2.png", "gambar 02b.png", "Gambar 3.png", "gambar 10.png"}, names)
}

func TestParseTSV(t *testing.T) {
	tsv := "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n" +
		"1\t1\t0\t0\t0\t0\t0\t0\t600\t100\t-1\t\n" +
		"4\t1\t1\t1\t1\t0\t30\t30\t300\t40\t-1\t\n" +
		"5\t1\t1\t1\t1\t1\t30\t30\t20\t40\t91.5\t$\n" +
		"5\t1\t1\t1\t1\t2\t80\t30\t180\t40\t88\tdocker\n" +
		"5\t1\t1\t1\t2\t1\t30\t90\t60\t40\t40\tps\n"
	words, err := parseTSV([]byte(tsv))
	require.NoError(t, err)
	require.Len(t, words, 3)
	assert.Equal(t, word{text: "docker", conf: 88, left: 80, top: 30, width: 180, height: 40, block: 1, par: 1, line: 1}, words[1])
	lines := groupLines(words)
	require.Len(t, lines, 2)
	assert.Equal(t, "$ docker", lines[0].text(30))
	assert.Equal(t, 88.0, lines[0].conf())

	_, err = parseTSV([]byte("not tsv\n"))
	assert.ErrorContains(t, err, "unexpected header")
	_, err = parseTSV([]byte("level\tx\n5\t1\t1\n"))
	assert.ErrorContains(t, err, "fields")
}

func TestPrepare(t *testing.T) {
	// A dark terminal with a grey focus line on top and a scrollbar on
	// the right, a white glyph block inside.
	img := image.NewRGBA(image.Rect(0, 0, 40, 20))
	for y := 0; y < 20; y++ {
		for x := 0; x < 40; x++ {
			c := color.RGBA{0, 0, 0, 255}
			switch {
			case y == 0:
				c = color.RGBA{0x60, 0x60, 0x60, 255}
			case x >= 37:
				c = color.RGBA{0x30, 0x30, 0x30, 255}
			case x >= 10 && x < 14 && y >= 8 && y < 12:
				c = color.RGBA{0xd0, 0xd0, 0xd0, 255}
			}
			img.Set(x, y, c)
		}
	}
	p := prepare(img)
	assert.False(t, p.subpixel, "grey text has no colour fringes")
	assert.Nil(t, p.prompts)
	assert.Equal(t, 37*Scale, p.width, "the frame line and the scrollbar are cropped")
	b := p.main.Bounds()
	assert.Equal(t, 37*Scale+2*border, b.Dx())
	assert.Equal(t, 19*Scale+2*border, b.Dy())
	// Inverted and thresholded: background white, the glyph black.
	assert.Equal(t, uint8(0xff), p.main.GrayAt(2, 2).Y)
	assert.Equal(t, uint8(0xff), p.main.GrayAt(border+2, border+2).Y)
	assert.Equal(t, uint8(0), p.main.GrayAt(border+12*Scale, border+9*Scale).Y)
	for _, v := range p.main.Pix {
		require.True(t, v == 0 || v == 0xff, "thresholded")
	}

	// ClearType: grey text drawn with colour fringes is read sub-pixel,
	// with a plain pass for the coloured prompt row.
	ct := image.NewRGBA(image.Rect(0, 0, 30, 20))
	for y := 0; y < 20; y++ {
		for x := 0; x < 30; x++ {
			c := color.RGBA{0, 0, 0, 255}
			if y >= 10 && y < 14 && x >= 5 && x < 25 {
				// White strokes two pixels wide, fringed orange on the
				// left and blue on the right.
				c = []color.RGBA{{0xff, 0x90, 0x30, 255}, {0xf0, 0xf0, 0xf0, 255}, {0xf0, 0xf0, 0xf0, 255}, {0x30, 0x90, 0xff, 255}, {0, 0, 0, 255}}[x%5]
			}
			if y == 3 && x >= 5 && x < 25 {
				c = color.RGBA{0x20, 0xff, 0x20, 255}
			}
			ct.Set(x, y, c)
		}
	}
	p = prepare(ct)
	assert.True(t, p.subpixel)
	require.NotNil(t, p.prompts)
	assert.Equal(t, p.main.Bounds(), p.prompts.Bounds(), "both passes share one scale, merged by line position")
}

func TestCorrections(t *testing.T) {
	s := &session{nodes: labNodes}
	tests := []struct {
		name, in, want string
		conf           float64
	}{
		{"dash look-alikes", "$ docker swarm init —advertise-addr $(hostname -i}", "$ docker swarm init --advertise-addr $(hostname -i)", 40},
		{"em dash after a dash", "$ docker swarm leave -—force", "$ docker swarm leave --force", 40},
		{"1s is ls", "$ docker node 1s", "$ docker node ls", 40},
		{"verb snapped", "$ docker suarnm leave", "$ docker swarm leave", 40},
		{"flag snapped", "$ docker service update --replicaz 4 sleep-app", "$ docker service update --replicas 4 sleep-app", 40},
		{"node name", "$ docker node update --availability drain nodel", "$ docker node update --availability drain node1", 40},
		{"a sure typo stays the student's", "$ docker servce create --name x ubuntu", "$ docker servce create --name x ubuntu", 95},
		{"join token glued", "$ docker swarm join --token SWMTKN-1-82h3i 1m92if-8uv? 192,168,0,182377", "$ docker swarm join --token SWMTKN-1-82h3i1m92if-8uv 192.168.0.18:2377", 40},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := dashLike.Replace(tc.in)
			var toks []tok
			for _, w := range strings.Fields(in) {
				toks = append(toks, tok{w, tc.conf})
			}
			l := &line{kind: kindCommand, text: in, toks: toks}
			s.command(l)
			assert.Equal(t, tc.want, l.text)
			if tc.want != tc.in {
				assert.NotEmpty(t, l.corrections)
			}
		})
	}
}

func TestHeadersAndIDsSettledAcrossScreenshots(t *testing.T) {
	read := func(texts ...string) []screenLine {
		var out []screenLine
		for _, x := range texts {
			var toks []tok
			for _, w := range strings.Fields(x) {
				toks = append(toks, tok{w, 30})
			}
			out = append(out, screenLine{text: x, toks: toks})
		}
		return out
	}
	s := &session{nodes: labNodes}
	s.lines = append(s.lines, classify(0, read(
		"[node1] (local) root@192.168.0.18 ~", "$ docker node ls",
		"ID                            HOSTNAME   STATUS",
		"m8w3d6nos5nv2eqmkf28xm4up *   nodel      Ready",
		"z1ne13tnhvrzyo1ez0a3n8gwb     node?      Ready",
		"z1ne13tnhvrzyo1ez0a3n8gwb     node2      Ready",
	))...)
	s.lines = append(s.lines, classify(1, read(
		"Cnode]  <local} root#192,168.0,18 ~",
		"S docker node update --availability drain zlne13tnhvrzyolezOa3n8gwb",
	))...)
	s.run()
	var texts []string
	for _, l := range s.lines {
		texts = append(texts, l.text)
	}
	assert.Contains(t, texts, "[node1] (local) root@192.168.0.18 ~", "an unreadable node name is settled by the address")
	assert.Contains(t, texts, "$ docker node update --availability drain z1ne13tnhvrzyo1ez0a3n8gwb", "the ID as the table shows it")
	last := s.lines[len(s.lines)-1]
	assert.True(t, last.large, "snapping an ID by 3 characters is a large correction")
}

// pngHeader is a valid PNG signature and IHDR claiming w×h pixels, with
// no image data: the header is all a size check needs.
func pngHeader(w, h uint32) []byte {
	var b bytes.Buffer
	b.Write([]byte("\x89PNG\r\n\x1a\n"))
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8], ihdr[9] = 8, 2
	chunk := append([]byte("IHDR"), ihdr...)
	binary.Write(&b, binary.BigEndian, uint32(13))
	b.Write(chunk)
	binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(chunk))
	return b.Bytes()
}

// TestBadInputs: each bad image gets a note saying what is wrong with it,
// nothing outside the repository is read, and the good screenshot is read.
func TestBadInputs(t *testing.T) {
	requireTesseract(t)
	repo := t.TempDir()
	require.NoError(t, os.Mkdir(filepath.Join(repo, ".git"), 0o755))
	dir := filepath.Join(repo, "minggu_12")
	require.NoError(t, os.Mkdir(dir, 0o755))
	good, err := os.ReadFile(filepath.Join(corpus, "writeups/andi-pwd/minggu_12/gambar 2.png"))
	require.NoError(t, err)
	var trunc bytes.Buffer
	require.NoError(t, png.Encode(&trunc, image.NewRGBA(image.Rect(0, 0, 50, 50))))
	outside := filepath.Join(t.TempDir(), "secret.png")
	require.NoError(t, os.WriteFile(outside, good, 0o644))
	files := map[string][]byte{
		"good.png":   good,
		"text.png":   []byte("this is a text file named .png\n"),
		"huge.png":   pngHeader(20000, 20000),
		"broken.png": trunc.Bytes()[:trunc.Len()/2],
	}
	for name, data := range files {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), data, 0o644))
	}
	require.NoError(t, os.Symlink(outside, filepath.Join(dir, "link.png")))
	md := "# Lab\n\nNama: Budi\n\n![x](text.png)\n![x](huge.png)\n![x](broken.png)\n![x](link.png)\n" +
		"![x](../../etc/passwd)\n![x](missing.png)\n![x](https://imgur.com/a.png)\n" +
		"![x](https://github.com/budi/lab/blob/master/minggu_12/good.png)\n"
	mdPath := filepath.Join(dir, "penjelasan.md")
	require.NoError(t, os.WriteFile(mdPath, []byte(md), 0o644))

	sub, err := Read(context.Background(), mdPath, Options{Nodes: labNodes})
	require.NoError(t, err)
	assert.Equal(t, "Budi", sub.Student)
	notes := strings.Join(sub.Notes, "\n")
	for _, want := range []string{
		"text.png, line 5): not a PNG or JPEG image",
		"huge.png, line 6): png of 20000×20000 pixels: more than the 16 Mpixel limit; not decoded",
		"broken.png, line 7): png header is readable but the image is not",
		"link.png, line 8): a symlink to " + outside + ", outside the repository; not read",
		"../../etc/passwd leaves the repository; not read",
		"missing.png, line 10): not found under " + repo,
		"labcheck fetches nothing from the network",
		"read 1 of 8 images by OCR",
	} {
		assert.Contains(t, notes, want)
	}
	require.NotEmpty(t, sub.Commands)
	assert.Equal(t, "docker ps", sub.Commands[0].Text)
	assert.Equal(t, "minggu_12/good.png", sub.Commands[0].Evidence.Image)
	assert.Equal(t, 12, sub.Commands[0].Line, "the Markdown line of the image")
}

func TestNothingToReplaySaysWhy(t *testing.T) {
	repo := t.TempDir()
	dir := filepath.Join(repo, "minggu_12")
	require.NoError(t, os.MkdirAll(filepath.Join(repo, ".git"), 0o755))
	require.NoError(t, os.Mkdir(dir, 0o755))
	var md strings.Builder
	md.WriteString("# Praktikum\n\nJadi, apa itu orkestrasi?\n\n")
	for i := 1; i <= 22; i++ {
		md.WriteString("![hasil](https://github.com/u/r/blob/master/minggu_12/gambar%20" + string(rune('0'+i/10)) + string(rune('0'+i%10)) + ".png)\n\n")
	}
	path := filepath.Join(dir, "penjelasan.md")
	require.NoError(t, os.WriteFile(path, []byte(md.String()), 0o644))
	assert.True(t, Is(path, []byte(md.String())))
	_, err := Read(context.Background(), path, Options{Nodes: labNodes})
	var pe *submission.ParseError
	require.ErrorAs(t, err, &pe)
	assert.Contains(t, pe.Msg, "no commands in the text; 22 images referenced, none found under "+repo)

	prose := filepath.Join(dir, "notes.md")
	require.NoError(t, os.WriteFile(prose, []byte("# Notes\n\nJadi, docker swarm init.\n"), 0o644))
	assert.True(t, Is(prose, []byte("# Notes\n\nJadi, docker swarm init.\n")), "prose-only Markdown is never read as a script")
	_, err = Read(context.Background(), prose, Options{Nodes: labNodes})
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, "no commands in the text; no images referenced", pe.Msg)

	assert.False(t, Is("x.md", []byte("# Lab\n```sh\ndocker ps\n```\n")), "Markdown with fenced commands and no images stays submission's")
}

func TestFolderOfScreenshots(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []string{"gambar 10.png", "gambar 2.png", "notes.txt", "gambar 1.jpg"} {
		require.NoError(t, os.WriteFile(filepath.Join(dir, n), nil, 0o644))
	}
	assert.Equal(t, []string{"gambar 1.jpg", "gambar 2.png", "gambar 10.png"}, folderImages(dir))
	assert.True(t, Is(dir, nil))
}

func TestMissingTesseractNamesThePackage(t *testing.T) {
	old := Tesseract
	Tesseract = "labcheck-no-such-tesseract"
	defer func() { Tesseract = old }()
	_, err := Read(context.Background(), filepath.Join(corpus, "writeups/andi-pwd/minggu_12/penjelasan.md"), Options{Nodes: labNodes})
	assert.ErrorIs(t, err, ErrNoTesseract)
	assert.ErrorContains(t, err, "apt-get install tesseract-ocr")
}
