package writeup

import (
	"context"
	"regexp"
	"sort"
	"strings"

	"golang.org/x/sync/errgroup"
)

// screenLine is one terminal line read from a screenshot, wrapped rows
// joined.
type screenLine struct {
	text string
	// toks are the line's words with their confidences, wrapped rows
	// joined: a word the wrap cut in two is one token again.
	toks []tok
	// joined is set when the row ran to the terminal's right edge and was
	// joined with the next: a cropped screenshot may have cut it.
	joined bool
}

// tok is a word and OCR's confidence in it, 0–100.
type tok struct {
	s    string
	conf float64
}

func lineToks(l ocrLine) []tok {
	var ts []tok
	for _, w := range l.words {
		ts = append(ts, tok{w.text, w.conf})
	}
	return ts
}

// promptish is what a Play with Docker header looks like even when OCR
// bends it: "[node1] (local) root@192.168.0.7 ~".
var promptish = regexp.MustCompile(`^\S*\[\S+\]\s*\(\S*\)\s*\S+@`)

// readScreen OCRs a prepared screenshot: both passes at once, merged by
// line position, wrapped rows joined.
func readScreen(ctx context.Context, p prepared) ([]screenLine, error) {
	var sub, plain []ocrLine
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) {
		sub, err = ocr(gctx, p.main)
		return err
	})
	if p.prompts != nil {
		g.Go(func() (err error) {
			plain, err = ocr(gctx, p.prompts)
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	lines := mergePasses(sub, plain)
	return joinWrapped(lines, p.width), nil
}

// mergePasses takes each line from the sub-pixel pass unless the plain
// pass read a prompt at the same height that the sub-pixel pass did not.
func mergePasses(sub, plain []ocrLine) []ocrLine {
	out := append([]ocrLine(nil), sub...)
	for _, pl := range plain {
		if !promptish.MatchString(pl.text(0)) {
			continue
		}
		mid := (pl.top() + pl.bottom()) / 2
		replaced := false
		for i, sl := range out {
			if sl.top() <= mid && mid <= sl.bottom() {
				if !promptish.MatchString(sl.text(0)) || pl.conf() > sl.conf() {
					out[i] = pl
				}
				replaced = true
				break
			}
		}
		if !replaced {
			out = append(out, pl)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].top() < out[j].top() })
	return out
}

// charWidth is the terminal's cell width, from the words' boxes: the
// font is monospace.
func charWidth(lines []ocrLine) float64 {
	var ws []float64
	for _, l := range lines {
		for _, w := range l.words {
			if n := len([]rune(w.text)); n >= 4 {
				ws = append(ws, float64(w.width)/float64(n))
			}
		}
	}
	if len(ws) == 0 {
		return 0
	}
	sort.Float64s(ws)
	return ws[len(ws)/2]
}

// joinWrapped joins a row whose last word reaches the terminal's right
// edge with the row below: the terminal wrapped a long line there. The
// edge is the image's right side less the padding the left side shows.
func joinWrapped(lines []ocrLine, width int) []screenLine {
	cw := charWidth(lines)
	if len(lines) == 0 {
		return nil
	}
	left := lines[0].left()
	for _, l := range lines {
		left = min(left, l.left())
	}
	pad := left - border
	edge := float64(border + width - pad)
	var out []screenLine
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		sl := screenLine{text: l.text(cw), toks: lineToks(l)}
		for cw > 0 && float64(l.right()) >= edge-1.6*cw && i+1 < len(lines) {
			next := lines[i+1]
			if promptish.MatchString(next.text(cw)) || strings.HasPrefix(next.text(cw), "$ ") {
				break
			}
			sep := ""
			if float64(l.right()) < edge-0.6*cw {
				// The row ended one cell short: the wrap fell on a space.
				sep = " "
			}
			sl.text += sep + strings.TrimLeft(next.text(cw), " ")
			nt := lineToks(next)
			if sep == "" && len(sl.toks) > 0 && len(nt) > 0 {
				last := &sl.toks[len(sl.toks)-1]
				last.s += nt[0].s
				last.conf = min(last.conf, nt[0].conf)
				nt = nt[1:]
			}
			sl.toks = append(sl.toks, nt...)
			sl.joined = true
			i++
			l = next
		}
		out = append(out, sl)
	}
	return out
}
