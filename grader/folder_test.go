package grader

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSubmissionInFindsTheWriteUpInAStudentsFolder(t *testing.T) {
	tests := []struct {
		name, dir, want string
	}{
		{"a checkout: the Markdown that links the screenshots", "../testdata/writeups/andi-pwd", "../testdata/writeups/andi-pwd/minggu_12/penjelasan.md"},
		{"the write-up's own folder: its Markdown, not the images in name order", "../testdata/writeups/andi-pwd/minggu_12", "../testdata/writeups/andi-pwd/minggu_12/penjelasan.md"},
		{"a README write-up is still a write-up", "../testdata/writeups/priya-drain", "../testdata/writeups/priya-drain/week12/README.md"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := SubmissionIn(tt.dir)
			require.NoError(t, err)
			assert.Equal(t, filepath.Clean(tt.want), filepath.Clean(got))
		})
	}
}

func TestSubmissionInFolders(t *testing.T) {
	write := func(t *testing.T, dir string, files map[string]string) {
		for name, body := range files {
			p := filepath.Join(dir, name)
			require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
			require.NoError(t, os.WriteFile(p, []byte(body), 0o644))
		}
	}
	t.Run("screenshots only: the folder itself", func(t *testing.T) {
		dir := t.TempDir()
		write(t, dir, map[string]string{"gambar 1.png": "x", "gambar 2.png": "x"})
		got, err := SubmissionIn(dir)
		require.NoError(t, err)
		assert.Equal(t, dir, got)
	})
	t.Run("one transcript beside a README", func(t *testing.T) {
		dir := t.TempDir()
		write(t, dir, map[string]string{"README.md": "# my repo\n", "lab/terminal.txt": "$ docker ps\n"})
		got, err := SubmissionIn(dir)
		require.NoError(t, err)
		assert.Equal(t, filepath.Join(dir, "lab/terminal.txt"), got)
	})
	t.Run("two transcripts: name one", func(t *testing.T) {
		dir := t.TempDir()
		write(t, dir, map[string]string{"a.txt": "$ docker ps\n", "b.txt": "$ docker ps\n"})
		_, err := SubmissionIn(dir)
		require.Error(t, err)
		assert.Contains(t, err.Error(), "holds 2 documents that could each be the submission (a.txt, b.txt): name the one to grade")
	})
	t.Run("nothing to grade", func(t *testing.T) {
		dir := t.TempDir()
		write(t, dir, map[string]string{"notes.pdf.bak": "x"})
		_, err := SubmissionIn(dir)
		require.Error(t, err)
		assert.Contains(t, err.Error(), "holds no submission")
	})
	t.Run("hidden folders are not looked into", func(t *testing.T) {
		dir := t.TempDir()
		write(t, dir, map[string]string{".git/COMMIT_EDITMSG.txt": "x", "session.txt": "$ docker ps\n"})
		got, err := SubmissionIn(dir)
		require.NoError(t, err)
		assert.Equal(t, filepath.Join(dir, "session.txt"), got)
	})
}
