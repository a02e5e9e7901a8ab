package submission

import (
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// DockerCall is one docker command of a submitted command, split the way
// the docker CLI reads it: global flags, the command path, then the
// command's flags and arguments. It is a model, not the CLI: flags it does
// not know are taken to expect a value, which errs towards checking more
// words as flags.
type DockerCall struct {
	// Start and End are the call's byte offsets in the command text, from
	// "docker" to the end of its last word.
	Start, End int
	Words      []Word // every word after "docker"
	Globals    []Flag
	// Path is the command in its canonical form: "run" for both
	// `docker run` and `docker container run`, "service create", ...
	Path string
	// PathEnd is the byte offset just after the command path (after the
	// global flags, or "docker", when there is none): where a flag for the
	// command itself can be added.
	PathEnd int
	Flags   []Flag
	// Args are indexes into Words of the command's arguments, in order;
	// for run, create, exec and service create they stop at the image or
	// container, and Rest is the index of the first word after it (the
	// container's own command), -1 when there is none.
	Args []int
	Rest int
	// opaque are indexes of words docker might read as flags whose text
	// is only known when they run ($(...) at the start).
	opaque []int
	// afterPath is the index of the first word after the command path.
	afterPath int
}

// Flag is one flag on a docker command line.
type Flag struct {
	Name string // as written: "-v", "--volume"
	Word int    // index of the flag's word in DockerCall.Words
	// Value is the flag's value; ValueWord its word (-1 when Inline, as
	// in --name=x or -vX, or when the flag takes none).
	Value     string
	HasValue  bool
	ValueWord int
	Inline    bool
	// Literal is false when the value holds an expansion.
	Literal bool
}

// spelled is the flag as the student wrote it, for reasons.
func (f Flag) spelled() string {
	switch {
	case !f.HasValue:
		return f.Name
	case f.Inline:
		return f.Name + "=" + f.Value
	default:
		return f.Name + " " + f.Value
	}
}

var managementCommands = map[string]bool{
	"builder": true, "buildx": true, "checkpoint": true, "compose": true, "config": true,
	"container": true, "context": true, "image": true, "manifest": true, "network": true,
	"node": true, "plugin": true, "secret": true, "service": true, "stack": true,
	"swarm": true, "system": true, "trust": true, "volume": true,
}

// aliases maps a management form to the short form docker also accepts.
var aliases = map[string]string{
	"container run": "run", "container create": "create", "container exec": "exec",
	"container ls": "ps", "container list": "ps", "container ps": "ps",
	"container kill": "kill", "container stop": "stop", "container start": "start",
	"container restart": "restart", "container rm": "rm", "container remove": "rm",
	"container logs": "logs", "container inspect": "inspect", "container cp": "cp",
	"container attach": "attach", "container top": "top", "container update": "update",
	"container port": "port", "container pause": "pause", "container unpause": "unpause",
	"container rename": "rename", "container wait": "wait", "container stats": "stats",
	"container commit": "commit", "container export": "export", "container diff": "diff",
	"image build": "build", "builder build": "build", "image ls": "images", "image list": "images",
	"image pull": "pull", "image push": "push", "image rm": "rmi", "image remove": "rmi",
	"image import": "import", "image load": "load", "image save": "save", "image tag": "tag",
	"service remove": "service rm", "service list": "service ls", "node list": "node ls",
	"node remove": "node rm", "volume remove": "volume rm", "volume list": "volume ls",
	"network remove": "network rm", "network list": "network ls",
}

// globalValueFlags are the docker CLI's own flags that take a value.
var globalValueFlags = map[string]bool{
	"-H": true, "--host": true, "-c": true, "--context": true, "--config": true,
	"-l": true, "--log-level": true, "--tlscacert": true, "--tlscert": true, "--tlskey": true,
}

// boolFlags lists, per command, the flags that take no value (long names
// without dashes, short ones as a letter); commonBools hold for all.
var (
	commonBools = set("h help q quiet no-trunc")
	boolFlags   = map[string]map[string]bool{
		"run":              set("d detach i interactive t tty rm privileged init P publish-all read-only no-healthcheck oom-kill-disable sig-proxy use-api-socket disable-content-trust"),
		"create":           set("i interactive t tty rm privileged init P publish-all read-only no-healthcheck oom-kill-disable use-api-socket disable-content-trust"),
		"exec":             set("d detach i interactive t tty privileged"),
		"service create":   set("d detach t tty init no-healthcheck no-resolve-image read-only with-registry-auth"),
		"service update":   set("d detach t tty init no-healthcheck no-resolve-image read-only with-registry-auth force rollback"),
		"service scale":    set("d detach"),
		"service rollback": set("d detach"),
		"service ps":       set("no-resolve"),
		"service logs":     set("f follow no-resolve no-task-ids raw t timestamps details"),
		"service inspect":  set("pretty"),
		"node inspect":     set("pretty"),
		"node ps":          set("no-resolve"),
		"node rm":          set("f force"),
		"swarm init":       set("force-new-cluster autolock"),
		"swarm leave":      set("f force"),
		"swarm join-token": set("rotate"),
		"ps":               set("a all l latest s size"),
		"images":           set("a all digests"),
		"rm":               set("f force l link v volumes"),
		"rmi":              set("f force no-prune"),
		"logs":             set("f follow t timestamps details"),
		"start":            set("a attach i interactive"),
		"attach":           set("no-stdin sig-proxy"),
		"build":            set("no-cache pull rm force-rm compress squash"),
		"system prune":     set("a all f force volumes"),
		"container prune":  set("f force"),
		"image prune":      set("a all f force"),
		"volume prune":     set("a all f force"),
		"network prune":    set("f force"),
		"volume rm":        set("f force"),
		"pull":             set("a all-tags disable-content-trust"),
		"stats":            set("a all no-stream"),
		"info":             set(""),
		"version":          set(""),
		"inspect":          set("s size"),
		"cp":               set("a archive L follow-link"),
		"network create":   set("attachable ingress internal ipv6 config-only"),
		"stack deploy":     set("prune with-registry-auth d detach"),
	}
	// stopsAtArg are the commands whose flags end at the first argument:
	// what follows the image or container is the container's command.
	stopsAtArg = set("run create exec service-create")
)

func set(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}

func (c *DockerCall) isBool(name string) bool {
	n := strings.TrimLeft(name, "-")
	return commonBools[n] || boolFlags[c.Path][n]
}

// parseDocker reads the words after "docker"; newDockerCall places the
// call in the command text.
func parseDocker(words []Word) *DockerCall {
	c := &DockerCall{Words: words, Rest: -1}
	i := 0
	// Global flags, then the command path.
	for ; i < len(words); i++ {
		w := words[i]
		if !w.Literal || !strings.HasPrefix(w.Lit, "-") || w.Lit == "-" {
			break
		}
		name, value, inline := strings.Cut(w.Lit, "=")
		f := Flag{Name: name, Word: i, ValueWord: -1, Literal: true}
		if inline {
			f.Value, f.HasValue, f.Inline = value, true, true
		} else if globalValueFlags[name] && i+1 < len(words) {
			i++
			f.Value, f.HasValue, f.ValueWord, f.Literal = words[i].Lit, true, i, words[i].Literal
		}
		c.Globals = append(c.Globals, f)
	}
	var path []string
	for ; i < len(words) && len(path) < 2; i++ {
		w := words[i]
		if !w.Literal || strings.HasPrefix(w.Lit, "-") {
			break
		}
		path = append(path, w.Lit)
		if len(path) == 1 && !managementCommands[w.Lit] {
			i++
			break
		}
	}
	c.afterPath = i
	c.Path = strings.Join(path, " ")
	if a, ok := aliases[c.Path]; ok {
		c.Path = a
	}
	if c.Path == "" && i < len(words) && !words[i].Literal {
		c.opaque = append(c.opaque, i)
	}

	stops := stopsAtArg[strings.ReplaceAll(c.Path, " ", "-")]
	for ; i < len(words); i++ {
		w := words[i]
		if w.Literal && w.Lit == "--" {
			if i+1 < len(words) {
				c.Args = append(c.Args, i+1)
				if stops && i+2 < len(words) {
					c.Rest = i + 2
				}
			}
			return c
		}
		if !w.Literal && !startsSafely(w) {
			if f, ok := c.inlineFlag(w, i); ok {
				c.Flags = append(c.Flags, f)
				continue
			}
			// It may be an argument or, once expanded, a flag: guarded
			// commands refuse it, the rest take it as an argument.
			c.opaque = append(c.opaque, i)
			c.Args = append(c.Args, i)
			continue
		}
		if !strings.HasPrefix(w.Lit, "-") || w.Lit == "-" {
			c.Args = append(c.Args, i)
			if stops {
				if i+1 < len(words) {
					c.Rest = i + 1
				}
				return c
			}
			continue
		}
		i = c.readFlag(words, i)
	}
	return c
}

// startsSafely reports whether a word that is not literal cannot turn into
// a flag: it starts with literal text that is not a dash, or it only
// expands `hostname`, whose output never does.
func startsSafely(w Word) bool {
	if w.Lit != "" {
		return !strings.HasPrefix(w.Lit, "-")
	}
	if len(w.vars) > 0 || w.other != "" || len(w.substs) == 0 {
		return false
	}
	for _, s := range w.substs {
		if substProgram(s) != "hostname" {
			return false
		}
	}
	return true
}

// inlineFlag reads a word like --name=$(hostname): a flag whose value is
// an expansion.
func (c *DockerCall) inlineFlag(w Word, i int) (Flag, bool) {
	name, value, ok := strings.Cut(w.Lit, "=")
	if !ok || !strings.HasPrefix(name, "-") {
		return Flag{}, false
	}
	return Flag{Name: name, Word: i, Value: value, HasValue: true, Inline: true, ValueWord: -1}, true
}

// readFlag reads the flag at words[i] (literal, starting with '-') and its
// value, returning the index of its last word.
func (c *DockerCall) readFlag(words []Word, i int) int {
	lit := words[i].Lit
	if strings.HasPrefix(lit, "--") {
		name, value, inline := strings.Cut(lit, "=")
		f := Flag{Name: name, Word: i, ValueWord: -1, Literal: true}
		switch {
		case inline:
			f.Value, f.HasValue, f.Inline = value, true, true
		case !c.isBool(name) && i+1 < len(words):
			i++
			f.Value, f.HasValue, f.ValueWord, f.Literal = words[i].Lit, true, i, words[i].Literal
		}
		c.Flags = append(c.Flags, f)
		return i
	}
	// A cluster of short flags: -itd, -dv /:/x, -v/:/x.
	letters := lit[1:]
	for j := 0; j < len(letters); j++ {
		name := "-" + letters[j:j+1]
		f := Flag{Name: name, Word: i, ValueWord: -1, Literal: true}
		if !c.isBool(letters[j : j+1]) {
			switch {
			case j+1 < len(letters):
				f.Value, f.HasValue, f.Inline = strings.TrimPrefix(letters[j+1:], "="), true, true
			case i+1 < len(words):
				i++
				f.Value, f.HasValue, f.ValueWord, f.Literal = words[i].Lit, true, i, words[i].Literal
			}
			c.Flags = append(c.Flags, f)
			return i
		}
		c.Flags = append(c.Flags, f)
	}
	return i
}

// Flag returns the last use of any of the names, as the CLI keeps the last.
func (c *DockerCall) Flag(names ...string) (Flag, bool) {
	var found Flag
	ok := false
	for _, f := range c.Flags {
		for _, n := range names {
			if f.Name == n {
				found, ok = f, true
			}
		}
	}
	return found, ok
}

// substProgram is the program a $(...) runs, "" when it is not one simple
// command with a literal name.
func substProgram(s *syntax.CmdSubst) string {
	if len(s.Stmts) != 1 {
		return ""
	}
	call, ok := s.Stmts[0].Cmd.(*syntax.CallExpr)
	if !ok || len(call.Args) == 0 {
		return ""
	}
	return call.Args[0].Lit()
}
