package submission

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestReadLimited(t *testing.T) {
	p := filepath.Join(t.TempDir(), "big.txt")
	if err := os.WriteFile(p, make([]byte, 2048), 0o644); err != nil {
		t.Fatal(err)
	}
	if data, err := ReadLimited(p, 2048); err != nil || len(data) != 2048 {
		t.Fatalf("a file of exactly the limit is read: %d bytes, %v", len(data), err)
	}
	_, err := ReadLimited(p, 1024)
	var tl *TooLargeError
	if !errors.As(err, &tl) || err.Error() != p+" is larger than 1 KB; not read" {
		t.Fatalf("err = %v", err)
	}
}
