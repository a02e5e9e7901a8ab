package submission

// Evidence says where a command read from an image came from and how sure
// the reading is, so a report can show an instructor what to check.
type Evidence struct {
	// Image is the image's path as the write-up names it ("minggu_12/gambar 3.png").
	Image string
	// Confidence is OCR's confidence in the command's weakest word, 0–100.
	Confidence float64
	// Corrections are the fixes applied to what OCR read, in order
	// ("`—` → `--`", "`nodel` → `node1`").
	Corrections []string
	// CheckByHand is set when the confidence is below the bar or a
	// correction was large: the command may not be what the student typed.
	CheckByHand bool
	// Why says why CheckByHand is set; "" when it is not.
	Why string
}
