package writeup

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// BenchmarkReadWriteup22 reads the corpus' 22-screenshot write-up end to
// end (resolution, preprocessing, OCR, correction, parsing) and reports
// OCR time per image and in total. The target is 10 s on 2 cores.
func BenchmarkReadWriteup22(b *testing.B) {
	requireTesseract(b)
	md := filepath.Join(corpus, "writeups/andi-pwd/minggu_12/penjelasan.md")
	images, err := filepath.Glob(filepath.Join(filepath.Dir(md), "gambar *"))
	if err != nil || len(images) != 22 {
		b.Fatalf("want the 22 screenshots of %s, found %d (%v)", md, len(images), err)
	}
	// OCR time of each image alone, for the per-image figure.
	var perImage time.Duration
	for _, p := range images {
		data, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		img, err := decodeImage(data)
		if err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		if _, err := readScreen(context.Background(), prepare(img)); err != nil {
			b.Fatal(err)
		}
		perImage += time.Since(start)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		sub, err := Read(context.Background(), md, Options{Nodes: labNodes})
		if err != nil {
			b.Fatal(err)
		}
		if len(sub.Commands) == 0 {
			b.Fatal("no commands read")
		}
	}
	b.StopTimer()
	total := b.Elapsed() / time.Duration(b.N)
	b.ReportMetric(total.Seconds(), "s/writeup")
	b.ReportMetric((perImage/22).Seconds()*1000, "ms/image-alone")
	b.ReportMetric((total/22).Seconds()*1000, "ms/image-in-parallel")
	b.Logf("22 screenshots: %.2f s a write-up (%.0f ms an image in parallel); one image alone %.0f ms", total.Seconds(), (total/22).Seconds()*1000, (perImage/22).Seconds()*1000)
}
