package lab

import (
	"embed"
	"fmt"
	"io/fs"
	"os"
	"path"
	"sort"
	"strings"
)

// labsFS holds the labs shipped with labcheck, so that `labcheck run
// orchestration` works without any file at hand.
//
//go:embed labs/*.yaml
var labsFS embed.FS

// Embedded lists the names of the labs shipped with labcheck, sorted.
func Embedded() []string {
	entries, err := fs.ReadDir(labsFS, "labs")
	if err != nil {
		return nil
	}
	var names []string
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".yaml") {
			names = append(names, strings.TrimSuffix(e.Name(), ".yaml"))
		}
	}
	sort.Strings(names)
	return names
}

// Get returns the embedded lab of that name or else loads the file at that
// path.
func Get(nameOrPath string) (*Lab, error) {
	for _, name := range Embedded() {
		if name == nameOrPath {
			file := name + ".yaml"
			data, err := labsFS.ReadFile(path.Join("labs", file))
			if err != nil {
				return nil, fmt.Errorf("get lab %s: %w", name, err)
			}
			return Parse("embedded:"+file, data)
		}
	}
	if _, err := os.Stat(nameOrPath); err != nil {
		return nil, fmt.Errorf("get lab: %q is neither an embedded lab (%s) nor a readable file", nameOrPath, strings.Join(Embedded(), ", "))
	}
	return Load(nameOrPath)
}
