package report

import (
	"bytes"
	"strings"
	"testing"
)

func TestWriteMarkdownGolden(t *testing.T) {
	for _, f := range fixtures(t) {
		t.Run(f.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := WriteMarkdown(&buf, f.r); err != nil {
				t.Fatal(err)
			}
			assertGolden(t, f.name+".md", buf.Bytes())
		})
	}
}

func TestWriteMarkdownContent(t *testing.T) {
	tests := []struct {
		name    string
		r       *Report
		want    []string
		notWant []string
	}{
		{
			name:    "reference is a clean heading and table",
			r:       referenceReport(t),
			want:    []string{"## ✅ Docker Swarm orchestration: 100/100", "| ✅ | `scaled-up` Seven tasks running, spread evenly over the three nodes | 15/15 |  |"},
			notWant: []string{"### What to fix", "Commands that did not succeed"},
		},
		{
			name:    "a fault that was injected is not a command that did not succeed",
			r:       recorded(t, "ha"),
			want:    []string{"## ✅ "},
			notWant: []string{"Commands that did not succeed", "(fault) stop node1", "### What to fix"},
		},
		{
			name: "student table lists what to fix and the commands that failed",
			r:    studentReport(t),
			want: []string{
				"## ❌ Docker Swarm orchestration: 45/100",
				"**Subject:** typo-fabricated (claims: Chris Doe)",
				"#### ❌ service-created: Service sleep-app runs ubuntu sleep infinity, 1/1",
				"> **Hint:** `docker service ls` should show sleep-app",
				"`docker servce create --name sleep-app ubuntu sleep infinity` **failed** (exit 125)",
				"Commands that did not succeed or need checking by hand:",
				"ubuntu:latest: stand-in image (busybox+tini), not the real ubuntu:latest",
			},
		},
		{
			name:    "incomplete says it is not a grade",
			r:       incompleteReport(t),
			want:    []string{"## ⚠️ Docker Swarm orchestration: not graded", "> **Grading could not complete:** start cluster: node image labcheck/no-such-node-image:missing", "this is not a grade"},
			notWant: []string{"0/100"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := WriteMarkdown(&buf, tc.r); err != nil {
				t.Fatal(err)
			}
			assertContains(t, buf.String(), tc.want, tc.notWant)
		})
	}
}

// Every table row must keep its column count whatever the checks write, or
// GitHub shifts cells and the summary lies.
func TestWriteMarkdownTableRowsKeepTheirCells(t *testing.T) {
	r := &Report{Completed: true, Items: []Item{{
		ID: "x|y", Title: "a | b", Status: StatusFail,
		Reason: "line one\nline two | `code | pipe` and <id>",
	}}}
	var buf bytes.Buffer
	if err := WriteMarkdown(&buf, r); err != nil {
		t.Fatal(err)
	}
	var row string
	for _, l := range strings.Split(buf.String(), "\n") {
		if strings.HasPrefix(l, "| ❌") {
			row = l
		}
	}
	if row == "" {
		t.Fatalf("no item row in\n%s", buf.String())
	}
	if got := strings.Count(row, "|") - strings.Count(row, `\|`); got != 5 {
		t.Errorf("row has %d unescaped pipes, want 5: %s", got, row)
	}
}

func TestMdText(t *testing.T) {
	tests := []struct {
		name, in, prose, cell string
	}{
		{"plain", "5 running", "5 running", "5 running"},
		{"pipe", "a | b", `a \| b`, `a \| b`},
		{"newline", "one\ntwo\n", "one<br>two", "one<br>two"},
		{"crlf", "one\r\ntwo", "one<br>two", "one<br>two"},
		{"html outside code", "docker kill <id> && x", "docker kill &lt;id&gt; &amp;&amp; x", "docker kill &lt;id&gt; &amp;&amp; x"},
		{"html inside code kept", "run `docker kill <id>`", "run `docker kill <id>`", "run `docker kill <id>`"},
		// A backslash inside a code span is literal in prose; only a
		// table needs it.
		{"pipe inside code", "`a | b`", "`a | b`", "`a \\| b`"},
		{"newline inside code", "`a\nb`", "`a b`", "`a b`"},
		{"double backticks", "``a ` b``", "``a ` b``", "``a ` b``"},
		{"unclosed backtick", "it's ` odd <b>", "it's ` odd &lt;b&gt;", "it's ` odd &lt;b&gt;"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := mdInline(tc.in); got != tc.prose {
				t.Errorf("mdInline(%q) = %q, want %q", tc.in, got, tc.prose)
			}
			if got := mdCell(tc.in); got != tc.cell {
				t.Errorf("mdCell(%q) = %q, want %q", tc.in, got, tc.cell)
			}
		})
	}
}

func TestCodeSpan(t *testing.T) {
	tests := []struct {
		name, in, prose, cell string
	}{
		{"empty", "", "", ""},
		{"plain", "docker ps", "`docker ps`", "`docker ps`"},
		{"backtick inside", "echo `x`", "`` echo `x` ``", "`` echo `x` ``"},
		{"pipe", "a | b", "`a | b`", "`a \\| b`"},
		{"newline", "a\nb", "`a b`", "`a b`"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := codeSpan(tc.in); got != tc.prose {
				t.Errorf("codeSpan(%q) = %q, want %q", tc.in, got, tc.prose)
			}
			if got := cellCode(tc.in); got != tc.cell {
				t.Errorf("cellCode(%q) = %q, want %q", tc.in, got, tc.cell)
			}
		})
	}
}

func TestFenceOutlastsBackticksInBody(t *testing.T) {
	var m mdWriter
	m.fence("text", "```\nnot the end\n```")
	got := m.b.String()
	if !strings.HasPrefix(got, "````text\n") || !strings.HasSuffix(got, "\n````\n") {
		t.Errorf("fence too short:\n%s", got)
	}
}
