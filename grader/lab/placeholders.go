package lab

import (
	"text/template"
	"text/template/parse"
)

// NeedsJoinTokens reports whether a reference command's placeholders read
// a join token ({{.WorkerToken}}, {{.ManagerToken}}), so the engine asks
// the swarm for its tokens only for the commands that use them. A command
// whose placeholders do not parse needs none: rendering it reports why.
func NeedsJoinTokens(cmd string) bool {
	t, err := template.New("command").
		Funcs(template.FuncMap{"nodeID": func(string) (string, error) { return "", nil }}).
		Parse(cmd)
	if err != nil || t.Tree == nil {
		return false
	}
	fields := map[string]bool{}
	readFields(t.Tree.Root, fields)
	return fields["WorkerToken"] || fields["ManagerToken"]
}

// readFields collects the Vars fields a template reads, first field of
// each chain: {{.WorkerToken}} and {{if .WorkerToken}} both read WorkerToken.
func readFields(n parse.Node, fields map[string]bool) {
	switch x := n.(type) {
	case *parse.ListNode:
		if x == nil {
			return
		}
		for _, c := range x.Nodes {
			readFields(c, fields)
		}
	case *parse.ActionNode:
		readFields(x.Pipe, fields)
	case *parse.PipeNode:
		if x == nil {
			return
		}
		for _, c := range x.Cmds {
			readFields(c, fields)
		}
	case *parse.CommandNode:
		for _, a := range x.Args {
			readFields(a, fields)
		}
	case *parse.FieldNode:
		if len(x.Ident) > 0 {
			fields[x.Ident[0]] = true
		}
	case *parse.ChainNode:
		readFields(x.Node, fields)
	case *parse.IfNode:
		readBranch(&x.BranchNode, fields)
	case *parse.RangeNode:
		readBranch(&x.BranchNode, fields)
	case *parse.WithNode:
		readBranch(&x.BranchNode, fields)
	case *parse.TemplateNode:
		readFields(x.Pipe, fields)
	}
}

func readBranch(b *parse.BranchNode, fields map[string]bool) {
	readFields(b.Pipe, fields)
	readFields(b.List, fields)
	readFields(b.ElseList, fields)
}
