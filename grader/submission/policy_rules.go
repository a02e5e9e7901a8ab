package submission

import (
	"fmt"
	"regexp"
	"strings"
)

// flagRule refuses a docker flag that reaches beyond the node. A rule
// with a value function refuses only the values it objects to.
type flagRule struct {
	paths []string // canonical command paths (see DockerCall.Path)
	names []string // every spelling of the flag
	// why finishes the sentence "`<flag as written>` ..." for a flag that
	// is refused whatever its value.
	why string
	// value returns the same for a value it refuses, "" for one it allows.
	value func(v string) string
}

var (
	runLike    = []string{"run", "create"}
	runExec    = []string{"run", "create", "exec"}
	services   = []string{"service create", "service update"}
	runService = []string{"run", "create", "service create", "service update"}
)

// flagRules is the whole flag policy: to allow or refuse a flag, edit here.
// Left allowed on purpose: --add-host, --volumes-from (it copies mounts of
// containers that already passed this policy), docker swarm init
// --external-ca, docker cp (it copies inside the node).
var flagRules = []flagRule{
	{paths: runExec, names: []string{"--privileged"}, why: "gives the container full control of the node"},
	{paths: runLike, names: []string{"-v", "--volume"}, value: hostPathVolume},
	{paths: runService, names: []string{"--mount", "--mount-add"}, value: bindMount},
	{paths: runService, names: []string{"--device", "--device-cgroup-rule", "--gpus"}, why: "gives the container devices of the node"},
	{paths: runService, names: []string{"--cap-add"}, why: "grants the container extra kernel capabilities"},
	{paths: runService, names: []string{"--security-opt"}, why: "can switch off the container's confinement (seccomp, AppArmor)"},
	{paths: append(runService, "build"), names: []string{"--network", "--net", "--network-add"}, value: hostNamespace("network")},
	{paths: runLike, names: []string{"--pid"}, value: hostNamespace("process")},
	{paths: runLike, names: []string{"--ipc"}, value: hostNamespace("IPC")},
	{paths: runLike, names: []string{"--uts"}, value: hostNamespace("UTS (hostname)")},
	{paths: runLike, names: []string{"--userns"}, value: hostNamespace("user")},
	{paths: runLike, names: []string{"--cgroupns"}, value: hostNamespace("cgroup")},
	{paths: runLike, names: []string{"--cgroup-parent"}, why: "places the container in a cgroup of the node's choosing"},
	{paths: runLike, names: []string{"--runtime"}, why: "runs the container with another runtime of the node"},
	{paths: runLike, names: []string{"--use-api-socket"}, why: "hands the node's Docker API to the container"},
	{paths: []string{"volume create"}, names: []string{"-o", "--opt"}, why: "sets volume driver options, which can mount a path of the node"},
	{paths: []string{"build"}, names: []string{"--allow"}, why: "grants the build extra privileges on the node"},
}

// globalRules are the docker CLI's own flags that point it elsewhere.
var globalRules = map[string]string{
	"-H":        "points the docker CLI at another engine than the node's",
	"--host":    "points the docker CLI at another engine than the node's",
	"-c":        "switches the docker CLI to another context (another engine than the node's)",
	"--context": "switches the docker CLI to another context (another engine than the node's)",
}

// pathRules refuse whole commands; a key ending in " *" covers every
// subcommand.
var pathRules = map[string]string{
	"context *":      "docker context can point the CLI at another engine than the node's",
	"plugin install": "plugins run with full privileges on the node",
	"plugin enable":  "plugins run with full privileges on the node",
	"plugin create":  "plugins run with full privileges on the node",
	"plugin upgrade": "plugins run with full privileges on the node",
	"plugin set":     "plugins run with full privileges on the node",
	"login":          "docker login stores credentials in the node",
	"stack *":        "stack files can mount paths of the node, which this policy cannot check: use docker service commands",
	"compose *":      "compose files can mount paths of the node, which this policy cannot check: use docker run and docker service",
	"buildx *":       "buildx can create builders with extra privileges on the node",
}

var hostPathSource = regexp.MustCompile(`^(?:[/.~\\]|[A-Za-z]:[\\/])|/`)

// hostPathVolume refuses -v SRC:DST when SRC is a path: a named volume
// (data:/data) or an anonymous one (/data) stays inside docker.
func hostPathVolume(v string) string {
	src, _, ok := strings.Cut(v, ":")
	if drive := regexp.MustCompile(`^[A-Za-z]:[\\/]`); drive.MatchString(v) {
		src, ok = v, true
		if i := strings.Index(v[2:], ":"); i >= 0 {
			src = v[:i+2]
		}
	}
	if !ok || !hostPathSource.MatchString(src) {
		return ""
	}
	return fmt.Sprintf("mounts the node's path %s into the container: use a named volume such as data:/data", src)
}

// bindMount refuses --mount type=bind, a path as source of a mount with no
// type, and volume options (the local driver's o=bind,device=/ is a bind
// mount by another name).
func bindMount(v string) string {
	kv := map[string]string{}
	for _, field := range strings.Split(v, ",") {
		k, val, _ := strings.Cut(field, "=")
		kv[strings.ToLower(strings.TrimSpace(k))] = val
	}
	src := kv["source"]
	if src == "" {
		src = kv["src"]
	}
	switch {
	case kv["type"] == "bind":
		return fmt.Sprintf("mounts the node's path %s into the container (type=bind): use a volume", orRoot(src))
	case kv["type"] == "" && hostPathSource.MatchString(src):
		return fmt.Sprintf("mounts the node's path %s into the container: use a volume", src)
	}
	for k := range kv {
		if strings.HasPrefix(k, "volume-opt") {
			return "sets volume driver options, which can mount a path of the node"
		}
	}
	return ""
}

func orRoot(src string) string {
	if src == "" {
		return "(unnamed)"
	}
	return src
}

func hostNamespace(what string) func(string) string {
	return func(v string) string {
		if v != "host" {
			return ""
		}
		return fmt.Sprintf("shares the node's %s namespace with the container", what)
	}
}

// remoteContext matches a build context docker would fetch from the network.
var remoteContext = regexp.MustCompile(`^(?:https?://|git://|git@|github\.com/)`)

func pathRule(path string) (string, bool) {
	if r, ok := pathRules[path]; ok {
		return r, true
	}
	first, _, _ := strings.Cut(path, " ")
	r, ok := pathRules[first+" *"]
	return r, ok
}

func guarded(path string) bool {
	for _, r := range flagRules {
		if contains(r.paths, path) {
			return true
		}
	}
	return false
}

func ruleFor(path, name string) (flagRule, bool) {
	for _, r := range flagRules {
		if contains(r.paths, path) && contains(r.names, name) {
			return r, true
		}
	}
	return flagRule{}, false
}

// checkDocker checks one docker command.
func (a *Analysis) checkDocker(c *DockerCall) Decision {
	if c == nil {
		return refuse("only simple docker commands are replayed")
	}
	words := c.Words
	for i, w := range words {
		if d := a.checkExpansions(w, c.replacedByTranslator(i)); !d.Allowed {
			return d
		}
	}
	for _, g := range c.Globals {
		if why, ok := globalRules[g.Name]; ok {
			return refuse("`%s` %s", g.spelled(), why)
		}
	}
	if (c.Path == "" || managementCommands[c.Path]) && len(c.opaque) > 0 {
		return refuse("the docker command is built with $(...): write it out so it can be checked")
	}
	if why, ok := pathRule(c.Path); ok {
		return refuse("`docker %s`: %s", c.Path, why)
	}
	for _, f := range c.Flags {
		r, ok := ruleFor(c.Path, f.Name)
		if !ok {
			continue
		}
		if r.value == nil {
			return refuse("`%s` %s", f.spelled(), r.why)
		}
		if !f.Literal || (f.Inline && !words[f.Word].Literal) {
			return refuse("`%s` is given a value built with $(...) or a variable, which cannot be checked: write the value out", f.Name)
		}
		if why := r.value(f.Value); why != "" {
			return refuse("`%s` %s", f.spelled(), why)
		}
	}
	if guarded(c.Path) {
		if len(c.opaque) > 0 {
			return refuse("`%s` in `docker %s` could expand to a flag, which cannot be checked: write it out", wordSource(words[c.opaque[0]]), c.Path)
		}
		for _, f := range c.Flags {
			if f.ValueWord >= 0 {
				if w := words[f.ValueWord]; !w.Literal && !w.whole && !startsSafely(w) {
					return refuse("the value of `%s` is an unquoted $(...), which the shell may split into more flags: quote it or write it out", f.Name)
				}
			}
		}
	}
	if c.Path == "build" {
		for _, i := range c.Args {
			if w := words[i]; w.Literal && remoteContext.MatchString(w.Lit) {
				return refuse("`docker build` fetches %s from the network: build from a directory in the node", w.Lit)
			}
		}
	}
	return allow()
}

// replacedByTranslator reports whether word i is one a Translator replaces
// with the replay's value, so a variable there is harmless: the join token
// and the manager's address of docker swarm join.
func (c *DockerCall) replacedByTranslator(i int) bool {
	if c.Path != "swarm join" {
		return false
	}
	if f, ok := c.Flag("--token"); ok && (f.ValueWord == i || f.Word == i) {
		return true
	}
	return len(c.Args) > 0 && c.Args[len(c.Args)-1] == i
}

func wordSource(w Word) string {
	if len(w.substs) > 0 {
		return "$(...)"
	}
	if len(w.vars) > 0 {
		return "$" + w.vars[0]
	}
	return wordText(w)
}
