package lab

import (
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const knownKinds = "all_of, leader_elected, managers, no_standalone_container, no_tasks_on_node, node_availability, node_role, node_status, nodes_ready, not_in_swarm, running_tasks, service_absent, service_exists, service_spread, standalone_container, swarm_leader"

const placeholderList = `placeholders: {{.ManagerAddr}}, {{.WorkerToken}}, {{.ManagerToken}}, {{nodeID "node2"}}`

// Each file in testdata/broken is testdata/valid-mini.yaml with one thing
// wrong (multiple-errors.yaml: three), and the exact message an
// instructor gets for it.
var brokenLabs = map[string]string{
	"after-later":         `after-later.yaml:23:12: rubric[0].after: "ready" is not before this item; after must name an earlier item`,
	"after-unknown":       `after-unknown.yaml:29:12: rubric[1].after: no rubric item "leaders" (earlier items: leader)`,
	"alias":               `alias.yaml:27:12: rubric[1].title: aliases (*name) are not supported in lab files; write the value out`,
	"args-number":         `args-number.yaml:34:21: rubric[1].check.args[1]: expected a string, got the number 100; quote it: "100"`,
	"bad-fault":           `bad-fault.yaml:13:16: steps[0].run[0].fault: "reboot" is not one of stop, kill, start, disconnect, connect`,
	"bad-indent":          `bad-indent.yaml:16:4: invalid YAML: value is not allowed in this context`,
	"bad-name":            `bad-name.yaml:1:7: name: "Mini Lab" is not a valid lab name (lowercase letters, digits, '.', '_' and '-')`,
	"bad-placeholder":     `bad-placeholder.yaml:18:18: steps[1].run[0].command: unknown placeholder {{.WorkerTokn}}; did you mean {{.WorkerToken}}?`,
	"bad-when":            `bad-when.yaml:30:11: rubric[1].when: "at-the-end" is not one of eventually, final`,
	"check-node-unknown":  `check-node-unknown.yaml:25:13: rubric[0].check.node: unknown node "node5" (lab nodes: node1, node2, node3)`,
	"command-and-fault":   `command-and-fault.yaml:14:16: steps[0].run[0].fault: an action has either a command or a fault, not both; split it in two`,
	"docker-format":       "docker-format.yaml:13:18: steps[0].run[0].command: unknown placeholder {{.Hostname}} (" + placeholderList + "); to pass docker's own --format template, write {{`{{.Hostname}}`}}",
	"duplicate-id":        `duplicate-id.yaml:26:9: rubric[1].id: duplicate id "leader" (also rubric[0])`,
	"duplicate-key":       `duplicate-key.yaml:3:1: invalid YAML: mapping key "title" already defined at [2:1]`,
	"duplicate-node":      `duplicate-node.yaml:7:11: nodes[2].name: duplicate node "node2" (also nodes[1])`,
	"empty":               `empty.yaml: the file is empty; a lab needs at least name, title, nodes, steps and rubric`,
	"manager-not-bool":    `manager-not-bool.yaml:5:14: nodes[0].manager: expected true or false, got "yes please"`,
	"missing-title":       `missing-title.yaml:14:5: steps[1]: missing field "title" (the step's title)`,
	"negative-points":     `negative-points.yaml:28:13: rubric[1].points: must be 0 or more, got -5`,
	"nested-node-unknown": `nested-node-unknown.yaml:36:23: rubric[1].check.checks[0].on[1]: unknown node "node9" (lab nodes: node1, node2, node3)`,
	"nested-param":        `nested-param.yaml:37:17: rubric[1].check.checks[1].role: "leader" is not one of manager, worker`,
	"no-command":          `no-command.yaml:12:9: steps[0].run[0]: an action needs a command or a fault`,
	"no-manager":          "no-manager.yaml:4:3: nodes: no manager: mark the node where `docker swarm init` runs with manager: true",
	"nodeid-unknown":      `nodeid-unknown.yaml:18:18: steps[1].run[0].command: {{nodeID "node4"}}: unknown node "node4" (lab nodes: node1, node2, node3)`,
	"nodes-not-a-list":    `nodes-not-a-list.yaml:3:8: nodes: expected a list, got "node1, node2, node3"`,
	"param-missing":       `param-missing.yaml:31:7: rubric[1].check: nodes_ready needs parameter "count" (number of ready nodes)`,
	"param-type":          `param-type.yaml:32:14: rubric[1].check.count: expected a whole number, got the string "2"`,
	"param-unknown":       `param-unknown.yaml:33:7: rubric[1].check.replicas: unknown parameter "replicas" for nodes_ready (takes: count)`,
	"points-text":         `points-text.yaml:28:13: rubric[1].points: expected a whole number, got "ten"`,
	"template-syntax":     `template-syntax.yaml:18:18: steps[1].run[0].command: bad placeholder: bad character U+007D '}' (` + placeholderList + `)`,
	"two-documents":       `two-documents.yaml:34:1: a lab file holds one YAML document; split the labs into separate files`,
	"unknown-field":       `unknown-field.yaml:13:9: steps[0].run[0].comand: unknown field in an action (fields: node, command, fault, group, settle); did you mean "command"?`,
	"unknown-kind":        `unknown-kind.yaml:31:13: rubric[1].check: unknown check kind "running_task" (known: ` + knownKinds + `); did you mean "running_tasks"?`,
	"unknown-node":        `unknown-node.yaml:17:15: steps[1].run[0].node: unknown node "node4" (lab nodes: node1, node2, node3)`,
	"multiple-errors": `multiple-errors.yaml:3:1: colour: unknown field in a lab (fields: name, title, version, description, nodes, images, needs, steps, rubric)
multiple-errors.yaml:18:15: steps[1].run[0].node: unknown node "node4" (lab nodes: node1, node2, node3)
multiple-errors.yaml:29:13: rubric[1].points: must be 0 or more, got -1`,
}

func TestParseBroken(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "broken", "*.yaml"))
	require.NoError(t, err)
	var names []string
	for _, f := range files {
		names = append(names, filepath.Base(f[:len(f)-len(".yaml")]))
	}
	var want []string
	for name := range brokenLabs {
		want = append(want, name)
	}
	sort.Strings(want)
	require.Equal(t, want, names, "every broken file has its expected message, and every message its file")

	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", "broken", name+".yaml"))
			require.NoError(t, err)
			l, err := Parse(name+".yaml", data)
			require.Error(t, err)
			assert.Nil(t, l)
			assert.Equal(t, brokenLabs[name], err.Error())

			var list Errors
			require.True(t, errors.As(err, &list), "Parse returns Errors")
			var one *Error
			require.True(t, errors.As(err, &one), "errors.As finds each *Error")
			assert.Equal(t, name+".yaml", one.Source)
		})
	}
}

func TestParseValid(t *testing.T) {
	l, err := Load(filepath.Join("testdata", "valid-mini.yaml"))
	require.NoError(t, err)

	assert.Equal(t, filepath.Join("testdata", "valid-mini.yaml"), l.Source)
	assert.Equal(t, "mini", l.Name)
	assert.Equal(t, []Node{{Name: "node1", Manager: true}, {Name: "node2"}, {Name: "node3"}}, l.Nodes)
	assert.Equal(t, "node1", l.InitNode())
	assert.Equal(t, 20, l.MaxScore())

	require.Len(t, l.Steps, 2)
	assert.Equal(t, Action{Node: "node2", Command: "docker swarm join --token {{.WorkerToken}} {{.ManagerAddr}}:2377", Line: 17}, l.Steps[1].Run[0])

	require.Len(t, l.Rubric, 2)
	ready := l.Rubric[1]
	assert.Equal(t, "ready", ready.ID)
	assert.Equal(t, Eventually, ready.When, "when defaults to eventually")
	assert.Equal(t, "leader", ready.After)
	assert.Equal(t, 26, ready.Line)
	assert.Equal(t, CheckSpec{Kind: "nodes_ready", Params: map[string]any{"count": uint64(2)}, Line: 31}, ready.Check)

	c, err := ready.Build()
	require.NoError(t, err)
	assert.Equal(t, "2 nodes ready", c.Describe())
}

func TestParseScalarsAsText(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "valid-mini.yaml"))
	require.NoError(t, err)
	l, err := Parse("mini.yaml", append([]byte("version: 1.0\n"), data...))
	require.NoError(t, err)
	assert.Equal(t, "1.0", l.Version, "an instructor's version number is text")
	assert.Equal(t, "mini.yaml", l.Source)
}

func TestLoadMissingFile(t *testing.T) {
	_, err := Load(filepath.Join("testdata", "no-such-lab.yaml"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "load lab: ")
}

// TestParseStrictValues covers what goccy/go-yaml alone would accept by
// converting: labcheck refuses it, at the value, and reports all of it.
func TestParseStrictValues(t *testing.T) {
	mini, err := os.ReadFile(filepath.Join("testdata", "valid-mini.yaml"))
	require.NoError(t, err)
	tests := []struct {
		name, old, new string
		want           string
	}{
		{name: "quoted points", old: "    points: 10\n    after", new: "    points: \"10\"\n    after",
			want: `mini.yaml:28:13: rubric[1].points: expected a whole number, got "10"`},
		{name: "fractional points", old: "    points: 10\n    after", new: "    points: 2.5\n    after",
			want: `mini.yaml:28:13: rubric[1].points: expected a whole number, got the number 2.5`},
		{name: "quoted count", old: "count: 2", new: "count: \"2\"",
			want: `mini.yaml:32:14: rubric[1].check.count: expected a whole number, got the string "2"`},
		{name: "every unknown key, in file order", old: "    manager: true\n", new: "    manager: true\n    zone: b\n    managr: true\n",
			want: "mini.yaml:6:5: nodes[0].zone: unknown field in a node (fields: name, manager)\n" +
				`mini.yaml:7:5: nodes[0].managr: unknown field in a node (fields: name, manager); did you mean "manager"?`},
		{name: "misspelt check parameter", old: "count: 2", new: "coutn: 2",
			want: "mini.yaml:31:7: rubric[1].check: nodes_ready needs parameter \"count\" (number of ready nodes)\n" +
				`mini.yaml:32:7: rubric[1].check.coutn: unknown parameter "coutn" for nodes_ready (takes: count); did you mean "count"?`},
		{name: "null required value", old: "title: Mini lab", new: "title:",
			want: `mini.yaml:2:1: title: missing value (the lab's title)`},
		{name: "step not a mapping", old: "  - id: init\n    title: Create the swarm\n    run:\n      - node: node1\n        command: docker swarm init --advertise-addr $(hostname -i)\n", new: "  - init\n",
			want: `mini.yaml:9:5: steps[0]: expected a step (a mapping with id, title, instructions, run), got "init"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := strings.Replace(string(mini), tt.old, tt.new, 1)
			require.NotEqual(t, string(mini), src)
			_, err := Parse("mini.yaml", []byte(src))
			assert.EqualError(t, err, tt.want)
		})
	}
}

func TestParseVersionAsWritten(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "valid-mini.yaml"))
	require.NoError(t, err)
	for _, v := range []string{"1.10", "2", "0x1F", "true"} {
		l, err := Parse("mini.yaml", append([]byte("version: "+v+"\n"), data...))
		require.NoError(t, err)
		assert.Equal(t, v, l.Version)
	}
}
