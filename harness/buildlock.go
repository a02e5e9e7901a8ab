package harness

import (
	"fmt"
	"os"
	"path/filepath"
	"syscall"
)

// withBuildLock runs build while holding a host-wide lock, so that two
// labcheck processes (two test packages, two terminals) that both find an
// image missing build it once: the second waits, then finds it there.
func withBuildLock(build func() error) error {
	path := filepath.Join(os.TempDir(), "labcheck-images.lock")
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o666)
	if err != nil {
		return fmt.Errorf("image build lock %s: %w", path, err)
	}
	defer f.Close()
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		return fmt.Errorf("image build lock %s: %w", path, err)
	}
	defer func() { _ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN) }()
	return build()
}
