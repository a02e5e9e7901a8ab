package grader

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestBytesText(t *testing.T) {
	for n, want := range map[int64]string{
		64 << 10: "64 KiB",
		1 << 30:  "1 GiB",
		3 << 29:  "1.5 GiB",
		5 << 20:  "5.0 MiB",
		512:      "512 bytes",
	} {
		assert.Equal(t, want, bytesText(n), n)
	}
}
