package writeup

import (
	"fmt"
	"time"
)

// Limits bound what one write-up may cost to read. A student's image that
// crosses one gets a note and is skipped; the rest of the write-up is read.
const (
	// MaxImagePixels is checked on the image's header before decoding, so
	// a 20000×20000 PNG costs a few bytes of reading, not 1.6 GB of memory.
	MaxImagePixels = 16 << 20
	// MaxImageBytes bounds one image file.
	MaxImageBytes = 16 << 20
	// MaxImages bounds the images read from one write-up.
	MaxImages = 200
	// OCRTimeout bounds tesseract on one image.
	OCRTimeout = 30 * time.Second
	// MaxMarkdownBytes bounds the write-up's own text.
	MaxMarkdownBytes = 1 << 20
)

// LimitsNote says the limits in the words the report's environment section
// uses for the other limits.
func LimitsNote() string {
	return fmt.Sprintf("image limits: %d images a write-up, %d MB and %d Mpixel an image (checked on the header), %s of OCR an image",
		MaxImages, MaxImageBytes>>20, MaxImagePixels>>20, OCRTimeout)
}
