package lab

import (
	"fmt"
	"regexp"
	"strings"
	"text/template"

	"github.com/labcheck/labcheck/internal/textdist"
)

// Vars are the run-specific values a reference command needs: they differ
// on every run, so a lab file names them with placeholders
//
//	{{.ManagerAddr}} {{.WorkerToken}} {{.ManagerToken}} {{nodeID "node2"}}
//
// and the engine fills them in before replaying the command.
type Vars struct {
	ManagerAddr  string // the init node's address, without port
	WorkerToken  string
	ManagerToken string
	NodeIDs      map[string]string // lab node name to swarm node ID
}

// RenderCommand fills a command's placeholders.
func RenderCommand(cmd string, v Vars) (string, error) {
	out, err := render(cmd, v, func(name string) (string, error) {
		id, ok := v.NodeIDs[name]
		if !ok || id == "" {
			return "", fmt.Errorf("no swarm node ID known for %q", name)
		}
		return id, nil
	})
	if err != nil {
		return "", fmt.Errorf("render command: %w", err)
	}
	return out, nil
}

// StudentCommand is the command as a student types it, with placeholders
// shown as what to paste: <manager-ip>, <worker-token>, <manager-token>,
// <node2-ID>. A command whose placeholders are broken is returned as is.
func StudentCommand(cmd string) string {
	out, err := render(cmd, studentVars, func(name string) (string, error) {
		return "<" + name + "-ID>", nil
	})
	if err != nil {
		return cmd
	}
	return out
}

var studentVars = Vars{ManagerAddr: "<manager-ip>", WorkerToken: "<worker-token>", ManagerToken: "<manager-token>"}

func render(cmd string, v Vars, nodeID func(string) (string, error)) (string, error) {
	t, err := template.New("command").
		Option("missingkey=error").
		Funcs(template.FuncMap{"nodeID": nodeID}).
		Parse(cmd)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	if err := t.Execute(&b, v); err != nil {
		return "", err
	}
	return b.String(), nil
}

// checkCommand validates a command's placeholders against the lab's nodes
// and explains a failure in the instructor's terms rather than
// text/template's.
func checkCommand(cmd string, nodes []string) string {
	var badNode string
	_, err := render(cmd, studentVars, func(name string) (string, error) {
		if !contains(nodes, name) {
			badNode = name
			return "", fmt.Errorf("unknown node %q", name)
		}
		return "<" + name + "-ID>", nil
	})
	switch {
	case err == nil:
		return ""
	case badNode != "":
		return fmt.Sprintf("{{nodeID %q}}: unknown node %q (lab nodes: %s)", badNode, badNode, strings.Join(nodes, ", "))
	}
	msg := templateNoise.ReplaceAllString(err.Error(), "")
	m := unknownField.FindStringSubmatch(msg)
	if m == nil {
		return fmt.Sprintf("bad placeholder: %s (%s)", msg, placeholders)
	}
	for _, known := range []string{"ManagerAddr", "WorkerToken", "ManagerToken", "NodeIDs"} {
		if textdist.Distance(strings.ToLower(m[1]), strings.ToLower(known)) <= 2 {
			return fmt.Sprintf("unknown placeholder {{.%s}}; did you mean {{.%s}}?", m[1], known)
		}
	}
	// Most often a docker --format template, which must reach docker
	// untouched.
	return fmt.Sprintf("unknown placeholder {{.%s}} (%s); to pass docker's own --format template, write {{`{{.%s}}`}}", m[1], placeholders, m[1])
}

const placeholders = `placeholders: {{.ManagerAddr}}, {{.WorkerToken}}, {{.ManagerToken}}, {{nodeID "node2"}}`

var (
	templateNoise = regexp.MustCompile(`template: command:\d+(:\d+)?: (executing "command" at <[^>]*>: )?`)
	unknownField  = regexp.MustCompile(`can't evaluate field (\w+) in type`)
)
