package checks

import "strings"

// sameImage compares image references the way a student reads them:
// "ubuntu", "ubuntu:latest" and "docker.io/library/ubuntu:latest" are one
// image, and a digest the manager pinned does not make it another.
func sameImage(a, b string) bool {
	return canonicalImage(a) == canonicalImage(b)
}

func canonicalImage(ref string) string {
	ref = strings.TrimSpace(ref)
	if i := strings.Index(ref, "@"); i >= 0 {
		ref = ref[:i]
	}
	domain, path := "docker.io", ref
	if i := strings.Index(ref, "/"); i >= 0 {
		first := ref[:i]
		if strings.ContainsAny(first, ".:") || first == "localhost" {
			domain, path = first, ref[i+1:]
		}
	}
	if domain == "index.docker.io" {
		domain = "docker.io"
	}
	if domain == "docker.io" && !strings.Contains(path, "/") {
		path = "library/" + path
	}
	last := path[strings.LastIndex(path, "/")+1:]
	if !strings.Contains(last, ":") {
		path += ":latest"
	}
	return domain + "/" + path
}
