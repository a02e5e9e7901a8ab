package submission

import (
	"fmt"
	"io"
	"os"
)

// TooLargeError says a file was refused for its size before it was read
// whole.
type TooLargeError struct {
	Path string
	Max  int
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("%s is larger than %s; not read", e.Path, sizeText(e.Max))
}

// ReadLimited reads at most max bytes of path and refuses a larger file
// without reading it whole: a student's file is never trusted to be small.
func ReadLimited(path string, max int) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, int64(max)+1))
	if err != nil {
		return nil, err
	}
	if len(data) > max {
		return nil, &TooLargeError{Path: path, Max: max}
	}
	return data, nil
}

func sizeText(n int) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
