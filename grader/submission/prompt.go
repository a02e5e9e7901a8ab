package submission

import (
	"regexp"
	"strings"
)

// promptKind says how sure a line is to be a prompt: a Play with Docker
// header or user@host prompt cannot be anything else, while "node2$ ..."
// could be output and only counts when it names a lab node.
type promptKind int

const (
	promptPWD       promptKind = iota + 1 // [node1] (local) root@192.168.0.18 ~
	promptUserHost                        // root@node2:~#  student@node1:~/lab$  [root@node2 ~]#
	promptHost                            // node2$  node2:~$
	promptBare                            // $
	promptContainer                       // root@3f2a1b4c5d6e:/#  — a shell inside a container
)

// prompt is a recognised prompt line.
type prompt struct {
	kind promptKind
	// host is the node name or address the prompt shows; "" for a bare $.
	host string
	// addr is the node's IP address as a Play with Docker header shows it.
	addr string
	// text is the prompt itself, without the command.
	text string
	// cmd is what was typed after the prompt; "" for a prompt alone.
	cmd string
}

var (
	pwdHeader = regexp.MustCompile(`^\[([A-Za-z0-9][\w.-]*)\]\s+\([^)]*\)\s+(\w[\w.-]*)@(\d{1,3}(?:\.\d{1,3}){3})\s+(\S+)(?:\s+\$(?:\s+(.*))?)?$`)
	userHost  = regexp.MustCompile(`^(\w[\w.-]*)@([\w.-]+):([^\s#$]*)[#$](?:\s+(.*))?$`)
	// userHostBracket is the Red Hat style: [root@node2 ~]#
	userHostBracket = regexp.MustCompile(`^\[(\w[\w.-]*)@([\w.-]+)\s+[^\]]*\][#$](?:\s+(.*))?$`)
	// userHostZsh is macOS's zsh: student@MacBook-Pro ~ %
	userHostZsh   = regexp.MustCompile(`^(\w[\w.-]*)@([\w.-]+)\s+\S+\s+%(?:\s+(.*))?$`)
	hostPrompt    = regexp.MustCompile(`^([A-Za-z][\w.-]*)(?::([^\s#$]*))?\s?[$#](?:\s+(.*))?$`)
	barePrompt    = regexp.MustCompile(`^\$(?:\s+(.*))?$`)
	containerHost = regexp.MustCompile(`^[0-9a-f]{12}$`)
	ipv4          = regexp.MustCompile(`^\d{1,3}(?:\.\d{1,3}){3}$`)
)

// matchPrompt recognises a prompt at the start of a line whose surrounding
// whitespace is already trimmed.
func matchPrompt(line string) (prompt, bool) {
	if m := pwdHeader.FindStringSubmatch(line); m != nil {
		text := line
		if i := strings.Index(line, m[4]); i >= 0 {
			text = line[:i+len(m[4])]
		}
		return prompt{kind: promptPWD, host: m[1], addr: m[3], text: text, cmd: strings.TrimSpace(m[5])}, true
	}
	if m := userHost.FindStringSubmatch(line); m != nil {
		return hostedPrompt(m[2], strings.TrimSpace(strings.TrimSuffix(line, m[4])), m[4]), true
	}
	if m := userHostBracket.FindStringSubmatch(line); m != nil {
		return hostedPrompt(m[2], strings.TrimSpace(strings.TrimSuffix(line, m[3])), m[3]), true
	}
	if m := userHostZsh.FindStringSubmatch(line); m != nil {
		return hostedPrompt(m[2], strings.TrimSpace(strings.TrimSuffix(line, m[3])), m[3]), true
	}
	if m := barePrompt.FindStringSubmatch(line); m != nil {
		return prompt{kind: promptBare, text: "$", cmd: strings.TrimSpace(m[1])}, true
	}
	if m := hostPrompt.FindStringSubmatch(line); m != nil {
		return prompt{kind: promptHost, host: m[1], text: strings.TrimSpace(strings.TrimSuffix(line, m[3])), cmd: strings.TrimSpace(m[3])}, true
	}
	return prompt{}, false
}

func hostedPrompt(host, text, cmd string) prompt {
	kind := promptUserHost
	if containerHost.MatchString(host) {
		kind = promptContainer
	}
	p := prompt{kind: kind, host: host, text: text, cmd: strings.TrimSpace(cmd)}
	if ipv4.MatchString(host) {
		p.addr = host
	}
	return p
}

// isPWDBannerEdge matches the rule of '#' that opens and closes the
// warning banner Play with Docker prints at the top of every terminal.
func isPWDBannerEdge(line string) bool {
	return len(line) >= 20 && strings.Trim(line, "#") == ""
}
