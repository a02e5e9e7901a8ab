package report

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image/png"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// hostileClass is a class whose students' text tries to break out of the
// page: a claimed name that is markup, a command that closes the script.
func hostileClass(tb testing.TB) Class {
	tb.Helper()
	var reps []*Report
	for i, key := range []string{"ana", "ben", "cat", "dan", "eve"} {
		r := *studentReport(tb)
		r.Subject = key
		r.Items = append([]Item(nil), r.Items...)
		r.Score = 0
		for j := range r.Items {
			// Scores differ and are not in key order, so sorting by score
			// visibly reorders the rows.
			if (j+i)%3 != 0 {
				r.Items[j].Status, r.Items[j].Awarded = StatusPass, r.Items[j].Points
			} else {
				r.Items[j].Status, r.Items[j].Awarded = StatusFail, 0
			}
			r.Score += r.Items[j].Awarded
		}
		reps = append(reps, &r)
	}
	reps[1].Claimed = `<img src=x onerror=alert(1)>`
	reps[2].Steps = append([]Step(nil), reps[2].Steps...)
	reps[2].Steps = append(reps[2].Steps, Step{ID: "x", Title: "x", Commands: []Command{{
		Index: 99, Node: "node1", Text: `echo "</script><script>alert(2)</script>"`, Outcome: OutcomeFailed, ExitCode: 1,
		Output: "<b>not bold</b>", Evidence: &Evidence{Image: "shot.png", Confidence: 41, CheckByHand: true},
	}}})
	pairs := []Pair{{A: "ana", B: "ben", SourceA: "ana.txt", SourceB: "ben.txt",
		Values: []SharedValue{{Kind: "join token", Text: "SWMTKN-1-<i>x</i>", LinesA: []int{3}, LinesB: []int{9}}}}}
	return Class{Reports: reps, Pairs: pairs}
}

func TestClassHTMLEscapesStudentText(t *testing.T) {
	c := hostileClass(t)
	var b bytes.Buffer
	if err := WriteClassHTML(&b, c, true); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	for _, bad := range []string{`<img src=x`, `<i>x</i>`} {
		if strings.Contains(page, bad) {
			t.Errorf("index.html carries student markup %q unescaped", bad)
		}
	}
	if !strings.Contains(page, "&lt;img src=x onerror=alert(1)&gt;") {
		t.Error("the claimed name is not shown, escaped")
	}
	if n := strings.Count(page, "<script"); n != 1 {
		t.Errorf("index.html has %d script elements, want only its own", n)
	}
	if !strings.Contains(page, "default-src 'none'") {
		t.Error("index.html has no Content-Security-Policy that keeps it offline")
	}
	if strings.Contains(page, "http://") || strings.Contains(page, "https://") {
		t.Error("index.html refers to the network")
	}
	if !strings.Contains(page, "ana and ben: share 1 value that only one swarm produces (1 join token)") {
		t.Error("the pair is not described")
	}
	if !strings.Contains(page, "command #99") {
		t.Error("the command to check by hand is not listed")
	}

	var s bytes.Buffer
	if err := WriteHTML(&s, c.Reports[2], HTMLOptions{ClassLink: "index.html"}); err != nil {
		t.Fatal(err)
	}
	student := s.String()
	if strings.Contains(student, "<script") || strings.Contains(student, "<b>not bold") {
		t.Error("the student page carries the command's markup")
	}
	for _, want := range []string{"&lt;/script&gt;&lt;script&gt;alert(2)&lt;/script&gt;", "failed (exit 1)", "CHECK BY HAND", `href="index.html"`} {
		if !strings.Contains(student, want) {
			t.Errorf("the student page lacks %q", want)
		}
	}
}

// chromiumPath finds Debian's chromium: the test needs a real browser,
// under CI=true without fail.
func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("chromium is not installed (apt-get install -y chromium); the class report's browser test needs it")
	}
	t.Skip("chromium is not installed (apt-get install -y chromium)")
	return ""
}

func runChromium(t *testing.T, bin string, args ...string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	// Its own profile and no sandbox (tests run as root in containers).
	args = append([]string{"--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
		"--user-data-dir=" + t.TempDir(), "--virtual-time-budget=2000"}, args...)
	cmd := exec.CommandContext(ctx, bin, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("chromium %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return out
}

var (
	rowRE  = regexp.MustCompile(`<tr data-key="([^"]*)"`)
	linkRE = regexp.MustCompile(`<a class="student" href="([^"]*)"`)
	testRE = regexp.MustCompile(`(?s)<pre id="selftest">(.*?)</pre>`)
)

// TestClassHTMLInABrowser loads the class report in headless chromium
// from file://: one row per submission, the score header sorts, every
// student link is a file beside it, and the page draws something.
func TestClassHTMLInABrowser(t *testing.T) {
	bin := chromiumPath(t)
	dir := t.TempDir()
	c := hostileClass(t)
	write := func(name string, f func(*bytes.Buffer) error) {
		var b bytes.Buffer
		if err := f(&b); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("index.html", func(b *bytes.Buffer) error { return WriteClassHTML(b, c, true) })
	for _, r := range c.Reports {
		write(StudentPage(r.Subject), func(b *bytes.Buffer) error { return WriteHTML(b, r, HTMLOptions{ClassLink: "index.html"}) })
	}
	page := (&url.URL{Scheme: "file", Path: filepath.Join(dir, "index.html")}).String()

	dom := string(runChromium(t, bin, "--dump-dom", page+"?selftest=sort"))
	rows := rowRE.FindAllStringSubmatch(dom, -1)
	if len(rows) != len(c.Reports) {
		t.Fatalf("%d rows in the rendered gradebook, want one per submission (%d)", len(rows), len(c.Reports))
	}
	m := testRE.FindStringSubmatch(dom)
	if m == nil {
		t.Fatalf("the page's self-test wrote nothing: its script did not run\n%s", dom)
	}
	var order struct{ Before, After []string }
	if err := json.Unmarshal([]byte(htmlUnescape(m[1])), &order); err != nil {
		t.Fatalf("self-test output %q: %v", m[1], err)
	}
	score := map[string]int{}
	for _, r := range c.Reports {
		score[r.Subject] = r.Score
	}
	if fmt.Sprint(order.Before) != fmt.Sprint([]string{"ana", "ben", "cat", "dan", "eve"}) {
		t.Errorf("rows before sorting: %v, want key order", order.Before)
	}
	if fmt.Sprint(order.Before) == fmt.Sprint(order.After) {
		t.Errorf("clicking the score header left the rows as they were: %v", order.After)
	}
	for i := 1; i < len(order.After); i++ {
		if score[order.After[i-1]] < score[order.After[i]] {
			t.Errorf("after sorting by score, %s (%d) is above %s (%d)", order.After[i-1], score[order.After[i-1]], order.After[i], score[order.After[i]])
		}
	}
	links := linkRE.FindAllStringSubmatch(dom, -1)
	if len(links) != len(c.Reports) {
		t.Errorf("%d student links, want %d", len(links), len(c.Reports))
	}
	for _, l := range links {
		u, err := url.Parse(htmlUnescape(l[1]))
		if err != nil {
			t.Errorf("link %q: %v", l[1], err)
			continue
		}
		if _, err := os.Stat(filepath.Join(dir, u.Path)); err != nil {
			t.Errorf("link %q resolves to no file: %v", l[1], err)
		}
	}

	shot := filepath.Join(t.TempDir(), "index.png")
	if keep := os.Getenv("LABCHECK_KEEP_SCREENSHOT"); keep != "" {
		shot = keep
	}
	runChromium(t, bin, "--screenshot="+shot, "--window-size=1200,900", page)
	f, err := os.Open(shot)
	if err != nil {
		t.Fatalf("no screenshot: %v", err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	b := img.Bounds()
	inked := 0
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			if r < 0xf000 || g < 0xf000 || bl < 0xf000 {
				inked++
			}
		}
	}
	total := b.Dx() * b.Dy()
	t.Logf("screenshot %dx%d: %d non-white pixels (%.1f%%)", b.Dx(), b.Dy(), inked, 100*float64(inked)/float64(total))
	if inked < total/100 {
		t.Errorf("the screenshot is blank: %d of %d pixels are not white", inked, total)
	}
}

func htmlUnescape(s string) string {
	return strings.NewReplacer("&quot;", `"`, "&#34;", `"`, "&amp;", "&", "&lt;", "<", "&gt;", ">", "&#39;", "'").Replace(s)
}
