package writeup

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/labcheck/labcheck/grader/submission"
)

// documents pairs each generated PDF and DOCX (internal/gen/documents)
// with the Markdown it was made from.
var documents = []struct {
	name, doc, markdown string
	ocr                 bool // its commands are in images
}{
	{"pdf of screenshots", "writeups/documents/priya-drain.pdf", "writeups/priya-drain/week12/README.md", true},
	{"docx of screenshots", "writeups/documents/priya-drain.docx", "writeups/priya-drain/week12/README.md", true},
	{"pdf of code blocks", "writeups/documents/drain-by-hostname.pdf", "submissions/drain-by-hostname.md", false},
	{"docx of code blocks", "writeups/documents/drain-by-hostname.docx", "submissions/drain-by-hostname.md", false},
}

// markdownRead keeps each Markdown's reading: OCR of the same nine
// screenshots once is enough.
var markdownRead = map[string]*submission.Submission{}

func readMarkdown(t *testing.T, rel string) *submission.Submission {
	t.Helper()
	if sub, ok := markdownRead[rel]; ok {
		return sub
	}
	sub := readMarkdownOnce(t, rel)
	markdownRead[rel] = sub
	return sub
}

func readMarkdownOnce(t *testing.T, rel string) *submission.Submission {
	t.Helper()
	path := filepath.Join(corpus, rel)
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	if Is(path, data) {
		sub, err := Read(context.Background(), path, Options{Nodes: labNodes})
		require.NoError(t, err)
		return sub
	}
	sub, err := submission.Parse(path, data, submission.Options{Nodes: labNodes})
	require.NoError(t, err)
	return sub
}

// TestDocumentsReadAsTheirMarkdown: a write-up printed to PDF or handed
// in as DOCX replays the commands of its Markdown, on the same nodes and
// terminals; the screenshots inside are read from their own pixels.
func TestDocumentsReadAsTheirMarkdown(t *testing.T) {
	requirePoppler(t)
	for _, tc := range documents {
		t.Run(tc.name, func(t *testing.T) {
			if tc.ocr {
				requireTesseract(t)
			}
			want := readMarkdown(t, tc.markdown)
			path := filepath.Join(corpus, tc.doc)
			head, err := readLimited(path, MaxDocumentBytes)
			require.NoError(t, err)
			require.True(t, Is(path, head[:min(len(head), 512)]), "a %s is a write-up", filepath.Ext(path))
			got, err := Read(context.Background(), path, Options{Nodes: labNodes})
			require.NoError(t, err)
			ids, back := map[string]string{}, map[string]string{}
			var diffs []string
			for i := 0; i < max(len(got.Commands), len(want.Commands)); i++ {
				var g, w submission.Command
				if i < len(got.Commands) {
					g = got.Commands[i]
				}
				if i < len(want.Commands) {
					w = want.Commands[i]
				}
				// OCR may settle an ID or address of the same pixels
				// differently from one reading to the next; the replay maps
				// it by what the outputs show (see sameModuloIDs).
				if g.Node != w.Node || g.Terminal != w.Terminal || !sameModuloIDs(g.Text, w.Text, ids, back) {
					diffs = append(diffs, fmt.Sprintf("command %d: got %s/%d `%s`, want %s/%d `%s`", i+1, g.Node, g.Terminal, g.Text, w.Node, w.Terminal, w.Text))
				}
			}
			assert.Empty(t, diffs, "notes: %s", strings.Join(got.Notes, "\n"))
			assert.Equal(t, want.Student, got.Student)
			for _, c := range got.Commands {
				if tc.ocr {
					require.NotNil(t, c.Evidence, "a command read from an image carries its evidence")
				} else {
					assert.Nil(t, c.Evidence, "a command of the text layer is the student's text")
				}
			}
		})
	}
}

// requirePoppler fails under CI, where .ci/run installs poppler-utils,
// and skips elsewhere.
func requirePoppler(t testing.TB) {
	t.Helper()
	for _, tool := range []string{"pdfinfo", "pdftotext", "pdfimages", "pdftoppm"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatalf("CI=true: %v", ErrNoPoppler)
			}
			t.Skip(ErrNoPoppler)
		}
	}
}

// TestBadDocumentsSayWhy reads the corpus' hostile documents and images
// (internal/gen/documents): each is refused within its limits with a note
// that names the item and the limit, and none costs more than a moment.
func TestBadDocumentsSayWhy(t *testing.T) {
	requirePoppler(t)
	cases := []struct {
		file string
		says []string
	}{
		{"bad-500-pages.pdf", []string{"the PDF has 500 pages, more than the 50 read; pages 51–500 are not read", "pages 1–50 of the PDF: blank"}},
		{"bad-zip-bomb.docx", []string{
			"image 1 (word/media/image1.png): word/media/image1.png declares 8.0 GB unpacked, more than the 16 MB limit; not unpacked",
			"image 2 (word/media/image2.png): word/media/image2.png unpacks to more than its header declares (4096 bytes)",
			"image 3 (word/media/image3.png): word/media/image3.png declares 20.0 MB unpacked, more than the 16 MB limit",
		}},
		{"bad-20000x20000.png", []string{"png of 20000×20000 pixels: more than the 16 Mpixel limit; not decoded"}},
		{"bad-text-named.png", []string{"not a PNG or JPEG image"}},
		{"bad-truncated-screenshot.png", []string{"png header is readable but the image is not"}},
	}
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			if filepath.Ext(tc.file) == ".png" {
				requireTesseract(t)
			}
			start := time.Now()
			_, err := Read(context.Background(), filepath.Join(corpus, "submissions", tc.file), Options{Nodes: labNodes})
			var pe *submission.ParseError
			require.ErrorAs(t, err, &pe)
			assert.Contains(t, pe.Msg, "no commands in the text")
			for _, s := range tc.says {
				assert.Contains(t, pe.Msg, s)
			}
			assert.Less(t, time.Since(start), 10*time.Second)
		})
	}
}

// TestDOCXLimits: the zip's entry count and what it unpacks to in all are
// bounded, whatever each entry's own size.
func TestDOCXLimits(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, files map[string][]byte) string {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		names := make([]string, 0, len(files))
		for n := range files {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			w, err := zw.Create(n)
			require.NoError(t, err)
			_, err = w.Write(files[n])
			require.NoError(t, err)
		}
		require.NoError(t, zw.Close())
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, buf.Bytes(), 0o644))
		return p
	}
	doc := func(images int) []byte {
		var b strings.Builder
		b.WriteString(`<w:document xmlns:w="w" xmlns:a="a" xmlns:r="r"><w:body><w:p><w:r><w:t>Student: Eve</w:t></w:r></w:p>`)
		for i := 1; i <= images; i++ {
			fmt.Fprintf(&b, `<w:p><w:r><w:drawing><a:blip r:embed="rId%d"/></w:drawing></w:r></w:p>`, i)
		}
		b.WriteString(`</w:body></w:document>`)
		return []byte(b.String())
	}
	rels := func(images int) []byte {
		var b strings.Builder
		b.WriteString(`<Relationships>`)
		for i := 1; i <= images; i++ {
			fmt.Fprintf(&b, `<Relationship Id="rId%d" Target="media/image%d.png"/>`, i, i)
		}
		b.WriteString(`</Relationships>`)
		return []byte(b.String())
	}

	many := map[string][]byte{"word/document.xml": doc(0)}
	for i := 0; i < MaxDocxEntries; i++ {
		many[fmt.Sprintf("word/junk%04d.xml", i)] = nil
	}
	_, err := Read(context.Background(), write("many.docx", many), Options{Nodes: labNodes})
	require.Error(t, err)
	assert.Contains(t, err.Error(), fmt.Sprintf("the DOCX zip holds %d files, more than the %d a document may", MaxDocxEntries+1, MaxDocxEntries))

	// Five images each under the entry limit, together over the total.
	const n = 5
	big := map[string][]byte{"word/document.xml": doc(n), "word/_rels/document.xml.rels": rels(n)}
	for i := 1; i <= n; i++ {
		big[fmt.Sprintf("word/media/image%d.png", i)] = make([]byte, MaxDocxEntryBytes-1)
	}
	r := &reader{path: write("big.docx", big)}
	pieces, err := r.readDOCX()
	require.NoError(t, err)
	var notes []string
	for _, p := range pieces {
		if p.image != nil {
			notes = append(notes, p.image.note)
		}
	}
	require.Len(t, notes, n)
	assert.Equal(t, []string{"", "", ""}, notes[:3], "unpacked within the limits")
	assert.Contains(t, notes[4], fmt.Sprintf("would take the document past the %d MB it may unpack to in all", MaxDocxTotalBytes>>20))
}

func TestFenceCommands(t *testing.T) {
	tests := []struct {
		name  string
		lines []docLine
		want  []string
	}{
		{
			name: "bare commands fenced as sh, prose kept, docker's join advice is output",
			lines: []docLine{
				{text: "On node1:"}, {text: "  docker swarm init"}, {text: "Output:"},
				{text: "  To add a worker to this swarm, run the following command:"}, {text: ""},
				{text: "      docker swarm join --token SWMTKN-1-x 10.0.0.1:2377"},
			},
			want: []string{"On node1:", "```sh", "  docker swarm init", "```", "Output:",
				"```", "  To add a worker to this swarm, run the following command:", "```", "",
				"```", "      docker swarm join --token SWMTKN-1-x 10.0.0.1:2377", "```"},
		},
		{
			name: "a prompt and its output are one block, up to a blank line",
			lines: []docLine{
				{text: "[node1] (local) root@192.168.0.13 ~"}, {text: "$ docker node ls"}, {text: "ID  HOSTNAME"}, {text: ""}, {text: "That was all."},
			},
			want: []string{"```", "[node1] (local) root@192.168.0.13 ~", "$ docker node ls", "ID  HOSTNAME", "```", "", "That was all."},
		},
		{
			name: "DOCX code paragraphs: a command, then its output, are two blocks",
			lines: []docLine{
				{text: "docker node update --availability drain node2", code: true, para: 1},
				{text: "node2", code: true, para: 2},
				{text: "Results", heading: true, para: 3},
			},
			want: []string{"```sh", "docker node update --availability drain node2", "```", "```", "node2", "```", "## Results"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, fenceCommands(tc.lines))
		})
	}
}
