package grader

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/labcheck/labcheck/grader/writeup"
)

// A student often hands in a folder, not a file: a folder of screenshots,
// or a checkout of their repository with the write-up somewhere inside
// (minggu_12/penjelasan.md, its images beside it). SubmissionIn finds what
// to grade in such a folder.

// folderDepth bounds how deep SubmissionIn looks for a write-up.
const folderDepth = 4

// submissionExts are the files that can be a submission by themselves.
var submissionExts = map[string]bool{
	".md": true, ".markdown": true, ".txt": true, ".sh": true, ".bash": true, ".log": true,
	".cast": true, ".typescript": true, ".history": true, ".pdf": true, ".docx": true,
}

// SubmissionIn returns the path to grade for the folder dir: the Markdown
// inside it that references the most screenshots; else dir itself when it
// holds screenshots; else the one document inside it. It errs, naming the
// candidates, when it cannot choose.
func SubmissionIn(dir string) (string, error) {
	type cand struct {
		path   string
		images int
		readme bool
	}
	var cands []cand
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil // an unreadable corner of a student's folder is no reason to stop
		}
		rel, _ := filepath.Rel(dir, p)
		if d.IsDir() {
			if p != dir && (strings.HasPrefix(d.Name(), ".") || strings.Count(rel, string(filepath.Separator)) >= folderDepth) {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasPrefix(d.Name(), ".") || strings.HasSuffix(d.Name(), ".expected.yaml") || !submissionExts[strings.ToLower(filepath.Ext(p))] {
			return nil
		}
		if d.Type()&fs.ModeSymlink != 0 {
			return nil
		}
		c := cand{path: p, readme: strings.HasPrefix(strings.ToUpper(d.Name()), "README")}
		if data, err := readLimitedFile(p, 1<<20); err == nil {
			c.images = writeup.ImageCount(data)
		}
		cands = append(cands, c)
		return nil
	})
	if err != nil {
		return "", err
	}
	screenshots := writeup.Is(dir, nil)
	if len(cands) == 0 && screenshots {
		return dir, nil
	}
	if len(cands) == 0 {
		return "", fmt.Errorf("folder %s holds no submission: no screenshots and no transcript, script or write-up (%s) within %d levels", dir, extList(), folderDepth)
	}
	sort.SliceStable(cands, func(i, j int) bool {
		if cands[i].images != cands[j].images {
			return cands[i].images > cands[j].images
		}
		return cands[i].path < cands[j].path
	})
	switch {
	case cands[0].images > 0 && (len(cands) == 1 || cands[0].images > cands[1].images):
		return cands[0].path, nil
	case screenshots:
		return dir, nil
	case len(cands) == 1:
		return cands[0].path, nil
	}
	// No write-up stands out by its screenshots: a lone non-README text wins.
	var texts []string
	for _, c := range cands {
		if !c.readme {
			texts = append(texts, c.path)
		}
	}
	if len(texts) == 1 {
		return texts[0], nil
	}
	names := make([]string, 0, len(cands))
	for _, c := range cands {
		rel, _ := filepath.Rel(dir, c.path)
		names = append(names, rel)
	}
	return "", fmt.Errorf("folder %s holds %d documents that could each be the submission (%s): name the one to grade", dir, len(cands), strings.Join(names, ", "))
}

func extList() string {
	var exts []string
	for e := range submissionExts {
		exts = append(exts, e)
	}
	sort.Strings(exts)
	return strings.Join(exts, " ")
}

func readLimitedFile(path string, max int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	buf := make([]byte, max)
	n, _ := f.Read(buf)
	return buf[:n], nil
}
