package writeup

import (
	"fmt"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
)

// ref is an image a write-up references, where it does so.
type ref struct {
	line   int    // 1-based line in the Markdown
	target string // as written: a URL or a path
}

var (
	mdImage  = regexp.MustCompile(`!\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)`)
	htmlImg  = regexp.MustCompile(`(?i)<img\b[^>]*\bsrc\s*=\s*["']?([^"'\s>]+)`)
	fenceRe  = regexp.MustCompile("^ {0,3}(`{3,}|~{3,})")
	blobURL  = regexp.MustCompile(`^https?://(?:www\.)?github\.com/[^/]+/[^/]+/(?:blob|raw)/[^/]+/(.+)$`)
	rawURL   = regexp.MustCompile(`^https?://raw\.githubusercontent\.com/[^/]+/[^/]+/[^/]+/(.+)$`)
	otherURL = regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9+.-]*:`)
)

// imageRefs lists a Markdown's image references in document order,
// outside fenced blocks (an image link in a code sample is not evidence).
func imageRefs(lines []string) []ref {
	var refs []ref
	fence := ""
	for i, l := range lines {
		if m := fenceRe.FindStringSubmatch(l); m != nil {
			switch {
			case fence == "":
				fence = m[1]
			case strings.HasPrefix(strings.TrimSpace(l), fence):
				fence = ""
			}
			continue
		}
		if fence != "" {
			continue
		}
		type hit struct {
			at     int
			target string
		}
		var hits []hit
		for _, m := range mdImage.FindAllStringSubmatchIndex(l, -1) {
			hits = append(hits, hit{m[0], l[m[2]:m[3]]})
		}
		for _, m := range htmlImg.FindAllStringSubmatchIndex(l, -1) {
			hits = append(hits, hit{m[0], l[m[2]:m[3]]})
		}
		for j := 1; j < len(hits); j++ {
			for k := j; k > 0 && hits[k].at < hits[k-1].at; k-- {
				hits[k], hits[k-1] = hits[k-1], hits[k]
			}
		}
		for _, h := range hits {
			refs = append(refs, ref{line: i + 1, target: h.target})
		}
	}
	return refs
}

// repoPath is the path inside the student's repository an image link
// names: a GitHub blob/raw URL's path, or a relative path taken from the
// Markdown's folder. ok is false for links to elsewhere (another site).
func repoPath(target, mdRel string) (p string, fromRoot, ok bool, err error) {
	t := strings.SplitN(strings.SplitN(target, "#", 2)[0], "?", 2)[0]
	if m := blobURL.FindStringSubmatch(t); m != nil {
		t, fromRoot = m[1], true
	} else if m := rawURL.FindStringSubmatch(t); m != nil {
		t, fromRoot = m[1], true
	} else if otherURL.MatchString(t) || strings.HasPrefix(t, "//") {
		return "", false, false, nil
	}
	dec, err := url.PathUnescape(t)
	if err != nil {
		return "", false, true, fmt.Errorf("bad escape in %q", target)
	}
	if strings.HasPrefix(dec, "/") {
		// GitHub reads a link starting with / from the repository's root.
		fromRoot = true
	}
	if !fromRoot {
		dec = path.Join(mdRel, dec)
	}
	if c := path.Clean(strings.TrimPrefix(dec, "/")); c == ".." || strings.HasPrefix(c, "../") {
		return "", fromRoot, true, fmt.Errorf("%s leaves the repository; not read", target)
	}
	return path.Clean("/" + dec)[1:], fromRoot, true, nil
}

// findRoot is the student's repository the Markdown sits in: the nearest
// folder above it with a .git, else the nearest whose layout holds the
// paths the write-up's GitHub links name, else the Markdown's own folder.
// Nothing outside it is ever read.
func findRoot(mdDir string, rooted []string) string {
	dir := mdDir
	for {
		if fi, err := os.Stat(filepath.Join(dir, ".git")); err == nil && (fi.IsDir() || fi.Mode().IsRegular()) {
			return dir
		}
		for _, p := range rooted {
			if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(p))); err == nil {
				return dir
			}
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return mdDir
		}
		dir = parent
	}
}

// openInRoot resolves rel inside root, symlinks included, and refuses
// anything that lands outside.
func openInRoot(root, rel string) (string, error) {
	realRoot, err := filepath.EvalSymlinks(root)
	if err != nil {
		return "", err
	}
	p := filepath.Join(realRoot, filepath.FromSlash(rel))
	if !within(realRoot, p) {
		return "", fmt.Errorf("the path leaves the repository; not read")
	}
	real, err := filepath.EvalSymlinks(p)
	if err != nil {
		if os.IsNotExist(err) {
			return "", fmt.Errorf("not found under %s", root)
		}
		return "", err
	}
	if !within(realRoot, real) {
		return "", fmt.Errorf("a symlink to %s, outside the repository; not read", real)
	}
	fi, err := os.Stat(real)
	if err != nil {
		return "", err
	}
	if !fi.Mode().IsRegular() {
		return "", fmt.Errorf("not a regular file")
	}
	return real, nil
}

func within(root, p string) bool {
	rel, err := filepath.Rel(root, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

// ImageCount is how many images a Markdown text references, outside code
// blocks: how much screenshot evidence a write-up holds.
func ImageCount(data []byte) int {
	return len(imageRefs(strings.Split(string(data), "\n")))
}
