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
	// OCRTimeout bounds tesseract on one image. A screenshot within the
	// pixel limit takes under a second alone, but a batch grading several
	// write-ups at once on 2 cores queues them: the bound is for a runaway,
	// not for a busy machine.
	OCRTimeout = 2 * time.Minute
	// MaxMarkdownBytes bounds the write-up's own text, a PDF's or a DOCX's
	// text included.
	MaxMarkdownBytes = 1 << 20
)

// Limits of PDF and DOCX write-ups. A document is read by tools that
// trust its structure (poppler, a zip's headers), so its size, its pages
// and what it unpacks to are bounded before and while it is read.
const (
	// MaxDocumentBytes bounds a PDF or DOCX file.
	MaxDocumentBytes = 64 << 20
	// MaxPDFPages is how many pages of a PDF are read; the rest are
	// not, and the notes say so. pdfinfo counts them before any other work.
	MaxPDFPages = 50
	// PopplerTimeout bounds each poppler-utils run (pdfinfo, pdftotext,
	// pdfimages, pdftoppm).
	PopplerTimeout = 60 * time.Second
	// PageDPI is the resolution a page without text or embedded images is
	// rendered at for OCR.
	PageDPI = 150
	// BlankDPI is the resolution pages are first looked at to tell the
	// blank ones.
	BlankDPI = 36
	// MaxDocxEntries bounds the files in a DOCX zip.
	MaxDocxEntries = 1000
	// MaxDocxEntryBytes bounds what one file of a DOCX unpacks to, counted
	// while unpacking: a zip's headers may lie.
	MaxDocxEntryBytes = 16 << 20
	// MaxDocxTotalBytes bounds what a DOCX unpacks to in all.
	MaxDocxTotalBytes = 64 << 20
)

// LimitsNote says the limits in the words the report's environment section
// uses for the other limits.
func LimitsNote() string {
	return fmt.Sprintf("write-up limits: %d images a write-up, %d MB and %d Mpixel an image (checked on the header), %s of OCR an image; "+
		"PDF and DOCX files of %d MB, %d PDF pages (pdfinfo counts them first), %s a poppler run; "+
		"a DOCX of %d entries unpacking to %d MB an entry and %d MB in all (counted while unpacking)",
		MaxImages, MaxImageBytes>>20, MaxImagePixels>>20, OCRTimeout,
		MaxDocumentBytes>>20, MaxPDFPages, PopplerTimeout,
		MaxDocxEntries, MaxDocxEntryBytes>>20, MaxDocxTotalBytes>>20)
}
