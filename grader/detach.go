package grader

import "regexp"

var serviceVerb = regexp.MustCompile(`^(\s*docker\s+service\s+(?:create|update|scale|rollback))(\s|$)`)

// detach adds --detach to service commands that would otherwise wait on
// the CLI's convergence monitor (5 s of stability per command).
func detach(line string) string {
	m := serviceVerb.FindStringSubmatchIndex(line)
	if m == nil {
		return line
	}
	rest := line[m[3]:]
	if regexp.MustCompile(`(^|\s)(-d|--detach(=\S+)?)(\s|$)`).MatchString(rest) {
		return line
	}
	return line[:m[3]] + " --detach" + rest
}
