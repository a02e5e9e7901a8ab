package writeup

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestScratch(t *testing.T) {
	files, _ := filepath.Glob(os.Getenv("SHOTS"))
	for _, f := range files {
		data, _ := os.ReadFile(f)
		img, err := decodeImage(data)
		if err != nil {
			t.Fatal(err)
		}
		t0 := time.Now()
		p := prepare(img)
		t1 := time.Now()
		lines, err := readScreen(context.Background(), p)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Printf("== %s prep %v ocr %v\n", f, t1.Sub(t0), time.Since(t1))
		for _, l := range lines {
			fmt.Printf("%v |%s\n", l.joined, l.text)
		}
	}
}
