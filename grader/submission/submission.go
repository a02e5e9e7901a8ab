package submission

import (
	"errors"
	"fmt"
	"strings"
)

// Format is how a submission is written.
type Format string

const (
	// FormatTranscript is a terminal capture: prompts, commands and their
	// output, as Play with Docker or a plain shell shows them.
	FormatTranscript Format = "transcript"
	// FormatScript is a shell script: one command a line, with comment
	// markers saying which node runs the lines that follow.
	FormatScript Format = "script"
	// FormatMarkdown is a write-up whose fenced shell or console blocks hold
	// the commands.
	FormatMarkdown Format = "markdown"
	// FormatTypescript is a util-linux `script` recording, possibly
	// followed by other terminals pasted as text; it is played on a
	// terminal emulator and read as a transcript.
	FormatTypescript Format = "typescript"
	// FormatCast is an asciinema recording (.cast, v1 to v3), played and
	// read like a typescript.
	FormatCast Format = "asciinema"
	// FormatHistory is what the shell's `history` printed, one dump per
	// node: numbered commands without their outputs.
	FormatHistory Format = "history"
)

// Defaults for Options; a submission beyond them is rejected before any
// command runs, so a runaway paste cannot tie up a replay.
const (
	DefaultMaxBytes    = 1 << 20
	DefaultMaxCommands = 500
)

// Submission is what a student handed in, reduced to the commands to replay.
type Submission struct {
	// Student is who the submission says it is by, for people to read:
	// the name it claims, else its file name. It is never a key or a
	// path: see Key.
	Student string
	// Claimed is the name the submission claims near its top ("# student:
	// alice"); "" when it claims none.
	Claimed string
	Source  string
	Format  Format
	// Commands are in the order they appear in the source. Only the order
	// within one Terminal is the order the student ran them in.
	Commands []Command
	// Notes are non-fatal things a grader should know: normalisations
	// applied, lines ignored and why.
	Notes []string
	// Machines maps the names of the student's own machines (docker-machine,
	// multipass, Vagrant: "worker1") to the lab nodes they stand for
	// ("node2"); nil when the session ran on the lab's nodes. Outputs keep
	// the student's names, so a translator reading `docker node ls` needs
	// it to know whose node ID a row shows.
	Machines map[string]string
}

// Command is one command the student ran.
type Command struct {
	// Line is the 1-based line in the source where the command starts.
	Line int
	// Node is the lab node the command ran on.
	Node string
	// Text is the command as typed, continuation lines joined and the text
	// normalised (ASCII quotes and dashes).
	Text string
	// Output is what the submission recorded after the command; "" for
	// scripts and for commands whose output was not pasted.
	Output string
	// Terminal is the 0-based index of the terminal or block the command
	// came from: order within a terminal is reliable, across terminals it
	// is not.
	Terminal int
	// Prompt is the prompt the command was typed at, as recorded
	// ("[node1] (local) root@192.168.0.18 ~", "root@node2:~#"); "" when
	// there was none. It carries the student's node address on Play with
	// Docker, which a Translator learns.
	Prompt string
	// analysis is Text read once, when the submission was parsed.
	analysis *Analysis
	// Evidence is set when the command was read from an image (a
	// screenshot in a write-up); nil for text.
	Evidence *Evidence
}

// Options say what the lab expects of a submission.
type Options struct {
	// Nodes are the lab's node names, in lab order. A submission naming
	// another node is an error. Empty accepts any name.
	Nodes []string
	// Format forces a format; "" detects it.
	Format Format
	// DefaultNode runs the commands that come before any node marker (the
	// lab's manager); "" means the first of Nodes.
	DefaultNode string
	// MaxBytes and MaxCommands bound a submission; 0 means the defaults.
	MaxBytes    int
	MaxCommands int
}

// ParseError says where a submission could not be read and what was
// expected there.
type ParseError struct {
	Source string
	// Line is 1-based; 0 when the problem is the file as a whole.
	Line int
	Msg  string
}

func (e *ParseError) Error() string {
	if e.Line == 0 {
		return fmt.Sprintf("%s: %s", e.Source, e.Msg)
	}
	return fmt.Sprintf("%s:%d: %s", e.Source, e.Line, e.Msg)
}

// Parse reads a submission. source names it in errors and notes, and its
// base name without extension is the student id when the file names none.
func Parse(source string, data []byte, opts Options) (*Submission, error) {
	opts, err := opts.withDefaults()
	if err != nil {
		return nil, fmt.Errorf("parse submission: %w", err)
	}
	if len(data) > opts.MaxBytes {
		return nil, &ParseError{Source: source, Msg: fmt.Sprintf("too large: %d bytes (the limit is %d)", len(data), opts.MaxBytes)}
	}
	data, format, played, err := playRecording(data, opts.Format)
	if err != nil {
		return nil, withSource(err, source)
	}
	text, notes, err := normalize(data)
	if err != nil {
		return nil, withSource(err, source)
	}
	notes = append(played, notes...)
	lines := strings.Split(text, "\n")
	if format == "" {
		format = opts.Format
	}
	if format == "" {
		format = detectLines(lines)
	}
	sub := &Submission{Source: source, Format: format, Notes: notes}
	sub.Student, sub.Claimed = identify(source, lines)

	p := &parser{source: source, lines: lines, opts: opts, nodes: newNodeNames(opts.Nodes)}
	switch format {
	case FormatTranscript:
		err = p.transcript()
	case FormatScript:
		err = p.script()
	case FormatMarkdown:
		err = p.markdown()
	case FormatTypescript, FormatCast:
		err = p.transcript()
	case FormatHistory:
		err = p.history()
	default:
		return nil, fmt.Errorf("parse submission: unknown format %q (want transcript, script, markdown, typescript, asciinema or history)", format)
	}
	if err == nil {
		err = p.machines()
	}
	if err != nil {
		return nil, err
	}
	sub.Commands = p.cmds
	sub.Machines = p.machineMap
	sub.Notes = append(sub.Notes, p.notes...)
	if len(sub.Commands) == 0 {
		return nil, &ParseError{Source: source, Msg: noCommandsMsg(format)}
	}
	return sub, nil
}

// withSource names the submission in a ParseError found before the
// parser knew it.
func withSource(err error, source string) error {
	var pe *ParseError
	if errors.As(err, &pe) {
		pe.Source = source
	}
	return err
}

func (o Options) withDefaults() (Options, error) {
	if o.MaxBytes <= 0 {
		o.MaxBytes = DefaultMaxBytes
	}
	if o.MaxCommands <= 0 {
		o.MaxCommands = DefaultMaxCommands
	}
	if o.DefaultNode == "" && len(o.Nodes) > 0 {
		o.DefaultNode = o.Nodes[0]
	}
	if o.DefaultNode != "" && len(o.Nodes) > 0 && !contains(o.Nodes, o.DefaultNode) {
		return o, fmt.Errorf("default node %q is not one of the lab's nodes (%s)", o.DefaultNode, strings.Join(o.Nodes, ", "))
	}
	return o, nil
}

func noCommandsMsg(f Format) string {
	switch f {
	case FormatTranscript:
		return "no commands found: read as a transcript, but no line starts with a prompt such as `$ `, `root@node1:~# ` or `[node1] (local) root@192.168.0.18 ~`"
	case FormatMarkdown:
		return "no commands found: read as Markdown, but no ```sh, ```bash or ```console block holds a command"
	case FormatHistory:
		return "no commands found: read as shell history, but every entry is shell housekeeping"
	case FormatTypescript, FormatCast:
		return "no commands found: the recording was played, but the screen shows no prompt with a command after it"
	default:
		return "no commands found: read as a script, but every line is blank or a comment"
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
