package submission

import (
	"fmt"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// Decision is whether a student's command may run in a replay node, and
// why not.
type Decision struct {
	Allowed bool
	// Reason says, for a refused command, what in it was refused and why,
	// in words a student can act on; "" when allowed.
	Reason string
}

func allow() Decision { return Decision{Allowed: true} }

func refuse(format string, args ...any) Decision {
	return Decision{Reason: fmt.Sprintf(format, args...)}
}

// Check decides whether a command may run, as `sh -c`, inside a replay
// node. Nothing a student wrote runs on the host; in the node only docker
// runs, joined by ; && || and newlines, with $(...) of docker, hostname
// or echo, and without the docker flags that reach beyond the node (see
// flagRules). A pipe between two docker commands (docker save | docker
// load) stays in the node and is allowed; a pipe into anything else is
// not. Globs are allowed: they expand in the node's working directory and
// only become docker's arguments.
func Check(text string) Decision {
	return Analyze(text).Check()
}

// Check is Check of the analysed command.
func (a *Analysis) Check() Decision {
	if strings.TrimSpace(a.Text) == "" {
		return refuse("empty command")
	}
	if a.Err != nil {
		return refuse("not a valid shell command: %v", a.Err)
	}
	if len(a.file.Stmts) == 0 {
		return refuse("nothing to run: the line is a comment")
	}
	for _, st := range a.file.Stmts {
		if d := a.checkStmt(st); !d.Allowed {
			return d
		}
	}
	return allow()
}

func (a *Analysis) checkStmt(st *syntax.Stmt) Decision {
	switch {
	case st.Background || st.Coprocess || st.Disown:
		return refuse("background jobs (&) are not replayed: run the command in the foreground")
	case st.Negated:
		return refuse("`!` is not replayed: only docker commands run")
	}
	for _, r := range st.Redirs {
		if d := checkRedirect(r); !d.Allowed {
			return d
		}
	}
	switch c := st.Cmd.(type) {
	case *syntax.CallExpr:
		return a.checkCall(c)
	case *syntax.BinaryCmd:
		switch c.Op {
		case syntax.AndStmt, syntax.OrStmt:
			if d := a.checkStmt(c.X); !d.Allowed {
				return d
			}
			return a.checkStmt(c.Y)
		case syntax.Pipe:
			return a.checkPipe(c)
		default:
			return refuse("`%s` is not replayed: only docker commands run", c.Op)
		}
	case *syntax.Subshell, *syntax.Block:
		return refuse("subshells and { } groups are not replayed: write the docker commands one by one")
	case *syntax.FuncDecl:
		return refuse("function definitions are not replayed: only docker commands run")
	case *syntax.IfClause, *syntax.WhileClause, *syntax.ForClause, *syntax.CaseClause:
		return refuse("shell control flow (if, for, while, case) is not replayed: write each docker command out")
	case *syntax.DeclClause:
		return refuse("variable assignments (%s) are not replayed: write the value into the command", c.Variant.Value)
	case *syntax.TimeClause:
		return refuse("`time` is not replayed: only docker commands run")
	default:
		return refuse("only simple docker commands are replayed")
	}
}

// checkPipe allows docker | docker; anything else in a pipe would run in
// the node.
func (a *Analysis) checkPipe(c *syntax.BinaryCmd) Decision {
	if d := a.checkStmt(c.X); !d.Allowed {
		return d
	}
	if prog := stmtProgram(c.Y); prog != "" && prog != "docker" {
		return refuse("pipes into %s are not replayed: only docker runs in the node", prog)
	}
	return a.checkStmt(c.Y)
}

func stmtProgram(st *syntax.Stmt) string {
	if call, ok := st.Cmd.(*syntax.CallExpr); ok && len(call.Args) > 0 {
		return call.Args[0].Lit()
	}
	return ""
}

// checkRedirect allows only what keeps output on the console or drops it:
// 2>&1, >&2, >/dev/null, </dev/null.
func checkRedirect(r *syntax.Redirect) Decision {
	switch r.Op {
	case syntax.Hdoc, syntax.DashHdoc:
		return refuse("here-documents (<<) are not replayed: only docker commands run")
	case syntax.WordHdoc:
		return refuse("here-strings (<<<) are not replayed: only docker commands run")
	}
	target := evalWord(r.Word)
	switch r.Op {
	case syntax.DplOut, syntax.DplIn:
		if target.Literal && (target.Lit == "1" || target.Lit == "2" || target.Lit == "-") {
			return allow()
		}
	case syntax.RdrOut, syntax.AppOut, syntax.RdrClob, syntax.RdrAll, syntax.AppAll, syntax.RdrIn:
		if target.Literal && target.Lit == "/dev/null" {
			return allow()
		}
	}
	return refuse("redirection `%s %s` is not replayed: the replay records the output itself (2>&1 and >/dev/null are fine)", r.Op, wordText(target))
}

func wordText(w Word) string {
	if w.Literal {
		return w.Lit
	}
	return w.Lit + "..."
}

// programReasons explains why a program other than docker does not run.
var programReasons = map[string]string{
	"sudo":           "sudo is not needed: commands already run as root in the node",
	"doas":           "doas is not needed: commands already run as root in the node",
	"eval":           "eval runs arbitrary shell code: only docker commands are replayed",
	"exec":           "exec replaces the shell: only docker commands are replayed",
	"source":         "source runs a file as shell code: only docker commands are replayed",
	".":              "`.` runs a file as shell code: only docker commands are replayed",
	"export":         "variable assignments (export) are not replayed: write the value into the command",
	"docker-compose": "docker-compose is not part of this lab: only the docker CLI is replayed",
	"docker-machine": "docker-machine is not part of this lab: only the docker CLI is replayed",
}

var programKinds = []struct {
	names  string
	reason string
}{
	{"sh bash zsh dash ash ksh fish busybox", "starts a shell on the node"},
	{"rm rmdir mv cp dd mkfs chmod chown chattr mount umount kill pkill killall shutdown reboot halt poweroff systemctl service iptables ip sysctl tee truncate ln touch mkdir", "changes the node itself"},
	{"curl wget nc ncat netcat ssh scp sftp telnet ftp rsync git", "reaches the network or another machine"},
	{"apt apt-get apk yum dnf pip pip3 npm snap", "installs software on the node"},
}

func programReason(prog string) string {
	if r, ok := programReasons[prog]; ok {
		return r
	}
	for _, k := range programKinds {
		for _, n := range strings.Fields(k.names) {
			if n == prog {
				return fmt.Sprintf("%s %s: only docker commands are replayed", prog, k.reason)
			}
		}
	}
	if strings.HasSuffix(prog, "/docker") {
		return fmt.Sprintf("run docker by name, not as %s", prog)
	}
	return fmt.Sprintf("%s is not a docker command: only docker commands are replayed", prog)
}

func (a *Analysis) checkCall(c *syntax.CallExpr) Decision {
	if len(c.Assigns) > 0 {
		name := c.Assigns[0].Name.Value
		if len(c.Args) == 0 {
			return refuse("variable assignments (%s=...) are not replayed: write the value into the command", name)
		}
		return refuse("environment assignments before a command (%s=... %s) are not replayed", name, c.Args[0].Lit())
	}
	prog := evalWord(c.Args[0])
	if !prog.Literal {
		return refuse("the program's name is built with an expansion: only docker commands, written out, are replayed")
	}
	if prog.Lit != "docker" {
		return refuse("%s", programReason(prog.Lit))
	}
	return a.checkDocker(a.call(c))
}

// checkSubst checks a $(...) or `...`: its output becomes part of a docker
// command, so it may only ask docker, hostname or echo.
func (a *Analysis) checkSubst(s *syntax.CmdSubst) Decision {
	if len(s.Stmts) != 1 {
		return refuse("only one command is allowed inside $(...)")
	}
	st := s.Stmts[0]
	call, ok := st.Cmd.(*syntax.CallExpr)
	if !ok || st.Background || st.Negated {
		return refuse("only one simple command is allowed inside $(...)")
	}
	for _, r := range st.Redirs {
		if d := checkRedirect(r); !d.Allowed {
			return d
		}
	}
	if len(call.Assigns) > 0 {
		return refuse("variable assignments (%s=...) are not replayed: write the value into the command", call.Assigns[0].Name.Value)
	}
	switch prog := evalWord(call.Args[0]); {
	case !prog.Literal:
		return refuse("the program's name inside $(...) is built with an expansion")
	case prog.Lit == "docker":
		return a.checkDocker(a.call(call))
	case prog.Lit == "hostname":
		for _, arg := range call.Args[1:] {
			if w := evalWord(arg); !w.Literal || !hostnameFlags[w.Lit] {
				return refuse("`hostname %s` inside $(...): only hostname's -i, -I, -s, -f and -d are replayed (an argument would rename the node)", wordText(w))
			}
		}
		return allow()
	case prog.Lit == "echo":
		return a.checkPlainWords(call.Args[1:])
	default:
		return refuse("%s is not allowed inside $(...): only docker, hostname and echo", prog.Lit)
	}
}

var hostnameFlags = set("-i -I -s -f -d -A --ip-address --all-ip-addresses --short --fqdn --long --domain --all-fqdns")

// checkPlainWords checks the expansions inside words: substitutions
// recursively, variables and arithmetic refused.
func (a *Analysis) checkPlainWords(words []*syntax.Word) Decision {
	for _, w := range words {
		if d := a.checkExpansions(evalWord(w), false); !d.Allowed {
			return d
		}
	}
	return allow()
}

func (a *Analysis) checkExpansions(w Word, varsReplaced bool) Decision {
	if w.other != "" {
		return refuse("%s is not replayed: write the value out", w.other)
	}
	if len(w.vars) > 0 && !varsReplaced {
		return refuse("variables are not replayed: $%s has no value in the replay, write the value out", w.vars[0])
	}
	for _, s := range w.substs {
		if d := a.checkSubst(s); !d.Allowed {
			return d
		}
	}
	return allow()
}
