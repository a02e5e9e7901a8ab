package writeup

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	_ "image/jpeg" // screenshots are PNG or JPEG
	_ "image/png"
	"sort"

	"golang.org/x/image/draw"
)

// Scale is how much a screenshot is enlarged before OCR: terminal glyphs
// of 6×9 px are below what tesseract reads well.
const Scale = 3

// border is the white margin added around the text, in scaled pixels:
// tesseract loses the first letters of a line that touches the edge.
const border = 10 * Scale

// decodeImage checks an image's header against the limits before decoding
// it: the header says how much memory the pixels need.
func decodeImage(data []byte) (image.Image, error) {
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("not a PNG or JPEG image (%v)", err)
	}
	if px := int64(cfg.Width) * int64(cfg.Height); px > MaxImagePixels || cfg.Width <= 0 || cfg.Height <= 0 {
		return nil, fmt.Errorf("%s of %d×%d pixels: more than the %d Mpixel limit; not decoded", format, cfg.Width, cfg.Height, MaxImagePixels>>20)
	}
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%s header is readable but the image is not (%v)", format, err)
	}
	return img, nil
}

// prepared is a screenshot made ready for tesseract: one or two greyscale
// images of the same size and scale, black text on white.
type prepared struct {
	// main is the whole screenshot. When the text has ClearType's colour
	// fringes (Windows browsers), each RGB pixel becomes three horizontal
	// grey samples, which undoes them; otherwise it is plain grey.
	main *image.Gray
	// prompts is a plain grey pass of the rows that hold coloured text,
	// for screenshots read sub-pixel: the sub-pixel trick thins coloured
	// prompts to nothing. nil otherwise.
	prompts *image.Gray
	// width is the cropped screenshot's width in scaled pixels, without
	// the border: where a wrapped line touches the terminal's edge.
	width int
	// subpixel says main was read sub-pixel.
	subpixel bool
}

// prepare crops, scales, inverts and thresholds a screenshot.
func prepare(img image.Image) prepared {
	rgba := cropUniformEdges(toRGBA(img))
	b := rgba.Bounds()
	w, h := b.Dx(), b.Dy()
	dark := meanLuma(rgba) < 128
	coloured := colouredRows(rgba)
	p := prepared{width: Scale * w}
	if !clearType(rgba, coloured) {
		p.main = finish(scaledGrey(rgba, nil, dark), dark)
		return p
	}
	p.subpixel = true
	samples := image.NewGray(image.Rect(0, 0, 3*w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := rgba.RGBAAt(b.Min.X+x, b.Min.Y+y)
			i := samples.PixOffset(3*x, y)
			samples.Pix[i], samples.Pix[i+1], samples.Pix[i+2] = c.R, c.G, c.B
		}
	}
	sub := image.NewGray(image.Rect(0, 0, 3*w, Scale*h))
	draw.CatmullRom.Scale(sub, sub.Bounds(), samples, samples.Bounds(), draw.Src, nil)
	p.main = finish(sub, dark)
	if len(coloured) > 0 {
		p.prompts = finish(scaledGrey(rgba, coloured, dark), dark)
	}
	return p
}

// scaledGrey is the screenshot in grey (each pixel's brightest channel,
// so coloured text stays bright), scaled by Scale. When rows is not nil
// only those rows are kept; the rest become background.
func scaledGrey(rgba *image.RGBA, rows map[int]bool, dark bool) *image.Gray {
	b := rgba.Bounds()
	w, h := b.Dx(), b.Dy()
	grey := image.NewGray(image.Rect(0, 0, w, h))
	bg := uint8(0)
	if !dark {
		bg = 0xff
	}
	for y := 0; y < h; y++ {
		keep := rows == nil || rows[y]
		for x := 0; x < w; x++ {
			v := bg
			if keep {
				c := rgba.RGBAAt(b.Min.X+x, b.Min.Y+y)
				v = max(c.R, c.G, c.B)
			}
			grey.Pix[grey.PixOffset(x, y)] = v
		}
	}
	out := image.NewGray(image.Rect(0, 0, Scale*w, Scale*h))
	draw.CatmullRom.Scale(out, out.Bounds(), grey, grey.Bounds(), draw.Src, nil)
	return out
}

// clearType says whether grey text has colour fringes: sub-pixel
// rendering draws the edges of grey strokes in colour.
func clearType(img *image.RGBA, _ map[int]bool) bool {
	bg := background(img)
	b := img.Bounds()
	grey, fringed := 0, 0
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			c := img.RGBAAt(x, y)
			switch {
			case near(c, bg, 40):
			case !saturated(c):
				grey++
			case isFringe(img, x, y):
				fringed++
			}
		}
	}
	return grey > 0 && fringed*5 > grey
}

func saturated(c color.RGBA) bool {
	return int(max(c.R, c.G, c.B))-int(min(c.R, c.G, c.B)) > 60
}

// isFringe is a coloured pixel beside a bright grey one: the edge of a
// sub-pixel rendered stroke, not a coloured glyph.
func isFringe(img *image.RGBA, x, y int) bool {
	b := img.Bounds()
	for _, nx := range []int{x - 1, x + 1} {
		if nx < b.Min.X || nx >= b.Max.X {
			continue
		}
		n := img.RGBAAt(nx, y)
		if !saturated(n) && luma(n) > 128 {
			return true
		}
	}
	return false
}

func toRGBA(img image.Image) *image.RGBA {
	if r, ok := img.(*image.RGBA); ok {
		return r
	}
	b := img.Bounds()
	r := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(r, r.Bounds(), img, b.Min, draw.Src)
	return r
}

// finish makes text black on white, thresholded, with a white border.
func finish(g *image.Gray, dark bool) *image.Gray {
	if dark {
		for i, v := range g.Pix {
			g.Pix[i] = 255 - v
		}
	}
	t := otsu(g.Pix)
	b := g.Bounds()
	out := image.NewGray(image.Rect(0, 0, b.Dx()+2*border, b.Dy()+2*border))
	for i := range out.Pix {
		out.Pix[i] = 0xff
	}
	for y := 0; y < b.Dy(); y++ {
		src := g.Pix[y*g.Stride : y*g.Stride+b.Dx()]
		dst := out.Pix[(y+border)*out.Stride+border:]
		for x, v := range src {
			if v <= t {
				dst[x] = 0
			}
		}
	}
	return out
}

// otsu is the grey level that best splits the histogram in two.
func otsu(pix []uint8) uint8 {
	var hist [256]int
	for _, v := range pix {
		hist[v]++
	}
	total := len(pix)
	var sum float64
	for i, n := range hist {
		sum += float64(i * n)
	}
	var sumB float64
	wB := 0
	best, bestVar := uint8(127), -1.0
	for t := 0; t < 256; t++ {
		wB += hist[t]
		if wB == 0 {
			continue
		}
		wF := total - wB
		if wF == 0 {
			break
		}
		sumB += float64(t * hist[t])
		mB := sumB / float64(wB)
		mF := (sum - sumB) / float64(wF)
		v := float64(wB) * float64(wF) * (mB - mF) * (mB - mF)
		if v > bestVar {
			best, bestVar = uint8(t), v
		}
	}
	return best
}

func luma(c color.RGBA) int {
	return (299*int(c.R) + 587*int(c.G) + 114*int(c.B)) / 1000
}

func meanLuma(img *image.RGBA) int {
	b := img.Bounds()
	if b.Empty() {
		return 0
	}
	sum := 0
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			sum += luma(img.RGBAAt(x, y))
		}
	}
	return sum / (b.Dx() * b.Dy())
}

// background is the screenshot's most common colour.
func background(img *image.RGBA) color.RGBA {
	counts := map[color.RGBA]int{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 2 {
		for x := b.Min.X; x < b.Max.X; x += 2 {
			counts[img.RGBAAt(x, y)]++
		}
	}
	var best color.RGBA
	n := -1
	for c, k := range counts {
		if k > n || k == n && luma(c) < luma(best) {
			best, n = c, k
		}
	}
	return best
}

func near(a, b color.RGBA, tol int) bool {
	d := func(x, y uint8) int { return max(int(x)-int(y), int(y)-int(x)) }
	return d(a.R, b.R) <= tol && d(a.G, b.G) <= tol && d(a.B, b.B) <= tol
}

// cropUniformEdges removes edge rows and columns of one colour other than
// the terminal's background: a window's focus frame, a scrollbar, the
// snipping tool's outline. Left in, tesseract reads them as a letter or
// drops the first letters of each line. Background-coloured padding stays:
// it tells where the terminal's right edge is.
func cropUniformEdges(img *image.RGBA) *image.RGBA {
	bg := background(img)
	r := img.Bounds()
	uniform := func(x0, y0, x1, y1 int) bool {
		first := img.RGBAAt(x0, y0)
		if near(first, bg, 24) {
			return false
		}
		for y := y0; y < y1; y++ {
			for x := x0; x < x1; x++ {
				if !near(img.RGBAAt(x, y), first, 24) {
					return false
				}
			}
		}
		return true
	}
	for changed := true; changed && r.Dx() > 2 && r.Dy() > 2; {
		changed = false
		if uniform(r.Min.X, r.Min.Y, r.Max.X, r.Min.Y+1) {
			r.Min.Y++
			changed = true
		}
		if r.Dy() > 2 && uniform(r.Min.X, r.Max.Y-1, r.Max.X, r.Max.Y) {
			r.Max.Y--
			changed = true
		}
		if uniform(r.Min.X, r.Min.Y, r.Min.X+1, r.Max.Y) {
			r.Min.X++
			changed = true
		}
		if r.Dx() > 2 && uniform(r.Max.X-1, r.Min.Y, r.Max.X, r.Max.Y) {
			r.Max.X--
			changed = true
		}
	}
	return img.SubImage(r).(*image.RGBA)
}

// colouredRows marks the rows, widened by a few pixels, that hold
// saturated pixels: the prompt's colours.
func colouredRows(img *image.RGBA) map[int]bool {
	b := img.Bounds()
	var ys []int
	for y := b.Min.Y; y < b.Max.Y; y++ {
		n := 0
		for x := b.Min.X; x < b.Max.X; x++ {
			c := img.RGBAAt(x, y)
			if hi := max(c.R, c.G, c.B); saturated(c) && hi > 100 && !isFringe(img, x, y) {
				n++
			}
		}
		if n >= 3 {
			ys = append(ys, y-b.Min.Y)
		}
	}
	if len(ys) == 0 {
		return nil
	}
	sort.Ints(ys)
	rows := map[int]bool{}
	const pad = 3
	for _, y := range ys {
		for d := -pad; d <= pad; d++ {
			if y+d >= 0 && y+d < b.Dy() {
				rows[y+d] = true
			}
		}
	}
	return rows
}
