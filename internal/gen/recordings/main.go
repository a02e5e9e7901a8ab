// Command recordings makes labcheck's terminal-recording corpus: util-linux
// `script` typescripts and asciinema v2 casts of the orchestration lab, by
// driving a real bash under a pseudo-terminal and typing the way students
// do (rubouts, tab completion, bracketed paste, `clear`). A stand-in
// `docker` on PATH prints what Play with Docker's Docker 19.03 printed for
// each command (the shapes of the corpus's PWD transcripts, progress bars
// drawn with cursor moves as on a terminal), so no engine is needed.
//
//	go run ./internal/gen/recordings -out testdata/submissions
//
// It needs bash, util-linux's script, ncurses' clear and hostname.
// Keystroke timing in the casts is synthetic and deterministic; how the
// pseudo-terminal groups output into events is not, so the files differ
// from run to run in grouping only, never in what they show.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/creack/pty"
)

// keyTimeout bounds how long the shell may take to echo a key or finish a
// command; a stand-in docker answers at once, so only a stuck shell hits it.
const keyTimeout = 10 * time.Second

func main() {
	out := flag.String("out", "testdata/submissions", "folder to write the recordings to")
	only := flag.String("only", "", "make only the recording of this file name")
	flag.Parse()
	if err := run(*out, *only); err != nil {
		log.Fatal(err)
	}
}

func run(out, only string) error {
	for _, r := range recordings {
		if only != "" && r.file != only {
			continue
		}
		data, err := r.make()
		if err != nil {
			return fmt.Errorf("%s: %w", r.file, err)
		}
		if err := os.WriteFile(filepath.Join(out, r.file), data, 0o644); err != nil {
			return err
		}
		log.Printf("wrote %s (%d bytes)", r.file, len(data))
	}
	return nil
}

// recording is one corpus file.
type recording struct {
	file string
	// kind is "typescript" or "cast".
	kind string
	// lead is plain text before the recording (the student's name).
	lead string
	// session is what is typed in the recorded terminal: node1's, from
	// which the student may ssh to the others.
	session []step
	// appended are other nodes' terminals the student pasted after the
	// recording as plain text.
	appended []plainTerminal
	cols     int
	rows     int
	// title and input are asciinema's: the header's title, and whether
	// keystrokes are recorded as "i" events (asciinema rec --stdin).
	title string
	input bool
	// laptop is user@host of a laptop prompt; "" for root on node1.
	laptop string
}

func (r recording) ps1() string {
	if r.laptop == "" {
		return rootPS1
	}
	return `\[\033[01;32m\]` + r.laptop + `\[\033[00m\]:\[\033[01;34m\]~\[\033[00m\]$ `
}

type plainTerminal struct {
	prompt string
	steps  []step
}

func (r recording) make() ([]byte, error) {
	dir, err := os.MkdirTemp("", "labcheck-recording-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	if err := writeStubs(dir, r.session); err != nil {
		return nil, err
	}
	var body []byte
	switch r.kind {
	case "typescript":
		body, err = r.typescript(dir)
	case "cast":
		body, err = r.cast(dir)
	default:
		err = fmt.Errorf("unknown kind %q", r.kind)
	}
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.WriteString(r.lead)
	b.Write(body)
	for _, t := range r.appended {
		b.WriteString("\n")
		for _, s := range t.steps {
			fmt.Fprintf(&b, "%s %s\n", t.prompt, s.typed())
			if s.out != "" {
				b.WriteString(plainOutput(s.out))
			}
		}
		fmt.Fprintf(&b, "%s\n", t.prompt)
	}
	return b.Bytes(), nil
}

// step is one command line: the keys typed, then Enter, and what the
// stand-in docker prints for it on node.
type step struct {
	node string
	keys []key
	out  string
	rc   int
}

// key is typed input: text key by key, a rubout of n characters, a tab,
// or text pasted at once in bracketed-paste mode.
type key struct {
	text   string
	rubout int
	tab    string // what the completion adds, to check the echo
	paste  bool
}

// typed is the command as it stands when Enter is pressed.
func (s step) typed() string {
	var b []rune
	for _, k := range s.keys {
		switch {
		case k.rubout > 0:
			b = b[:len(b)-k.rubout]
		case k.tab != "":
			b = append(b, []rune(k.tab)...)
		default:
			b = append(b, []rune(k.text)...)
		}
	}
	return string(b)
}

// isDocker says whether the stand-in docker runs for the step, and so
// prints its output.
func (s step) isDocker() bool {
	t := s.typed()
	return strings.HasPrefix(t, "docker ") || strings.HasPrefix(t, "docker-machine ssh ")
}

// writeStubs puts the stand-ins on PATH: docker prints the next output of
// its node's queue; ssh opens a shell with the other node's prompt, as
// `ssh node2` does on the lab's machines.
func writeStubs(dir string, steps []step) error {
	bin := filepath.Join(dir, "bin")
	if err := os.MkdirAll(bin, 0o755); err != nil {
		return err
	}
	count := map[string]int{}
	for _, s := range steps {
		if !s.isDocker() {
			continue
		}
		nd := filepath.Join(dir, "nodes", s.node)
		if err := os.MkdirAll(nd, 0o755); err != nil {
			return err
		}
		count[s.node]++
		n := count[s.node]
		if err := os.WriteFile(filepath.Join(nd, fmt.Sprintf("out.%d", n)), []byte(ttyOutput(s.out)), 0o644); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(nd, fmt.Sprintf("rc.%d", n)), []byte(fmt.Sprint(s.rc)), 0o644); err != nil {
			return err
		}
	}
	for node := range count {
		if err := os.WriteFile(filepath.Join(dir, "nodes", node, "n"), []byte("0"), 0o644); err != nil {
			return err
		}
	}
	// Only these programs are on PATH, so that tab completion of "dock"
	// finds the stand-in alone, as on a Play with Docker node.
	for _, prog := range []string{"cat", "clear", "hostname", "bash", "sh", "printf"} {
		path, err := exec.LookPath(prog)
		if err != nil {
			return fmt.Errorf("the recordings need %s: %w", prog, err)
		}
		if err := os.Symlink(path, filepath.Join(bin, prog)); err != nil {
			return err
		}
	}
	docker := `#!/bin/sh
node="${DOCKER_MACHINE_NAME:-$STUB_NODE}"
d="$STUB_ROOT/nodes/$node"
n=$(($(cat "$d/n") + 1))
echo $n > "$d/n"
if [ -f "$d/out.$n" ]; then cat "$d/out.$n"; exit $(cat "$d/rc.$n"); fi
echo "stand-in docker: no output recorded for call $n on $node: $*" >&2
exit 99
`
	ssh := `#!/bin/sh
node="${1#*@}"
STUB_NODE="$node" PS1="$(printf '\[\033[01;32m\]root@%s\[\033[00m\]:\[\033[01;34m\]~\[\033[00m\]# ' "$node")" bash --noprofile --norc -i
echo "Connection to $node closed."
`
	// docker-machine as a laptop has it: ssh runs the command on the
	// machine, env points docker at it, the rest prints what it printed.
	machine := `#!/bin/sh
case "$1" in
ssh) m="$2"; shift 2; DOCKER_MACHINE_NAME="$m" sh -c "$*" ;;
env) printf 'export DOCKER_TLS_VERIFY="1"\nexport DOCKER_HOST="tcp://%s:2376"\nexport DOCKER_CERT_PATH="/home/ana/.docker/machine/machines/%s"\nexport DOCKER_MACHINE_NAME="%s"\n' "$(cat "$STUB_ROOT/ip.$2")" "$2" "$2" ;;
ip) cat "$STUB_ROOT/ip.$2" ;;
ls) cat "$STUB_ROOT/machine-ls" ;;
esac
`
	for name, ip := range machineIPs {
		if err := os.WriteFile(filepath.Join(dir, "ip."+name), []byte(ip+"\n"), 0o644); err != nil {
			return err
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "machine-ls"), []byte(machineLs), 0o644); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(bin, "docker-machine"), []byte(machine), 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(bin, "docker"), []byte(docker), 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(bin, "ssh"), []byte(ssh), 0o755); err != nil {
		return err
	}
	// Bracketed paste is bash 5.2's default; it is set here so that a
	// machine's /etc/inputrc cannot change the recording.
	return os.WriteFile(filepath.Join(dir, "inputrc"), []byte("set enable-bracketed-paste on\nset bell-style none\n"), 0o644)
}

func shellEnv(dir, ps1 string) []string {
	return []string{
		"PATH=" + filepath.Join(dir, "bin"),
		"HOME=" + dir, "TERM=xterm-256color", "LANG=C.UTF-8", "INPUTRC=" + filepath.Join(dir, "inputrc"),
		"HISTFILE=/dev/null", "STUB_ROOT=" + dir, "STUB_NODE=node1",
		"PS1=" + ps1,
	}
}

// promptEnd ends every prompt of the sessions (root's and the laptop
// user's): what the driver waits for after Enter.
var promptEnds = []string{"\x1b[00m# ", "\x1b[00m$ "}

const rootPS1 = `\[\033[01;32m\]root@node1\[\033[00m\]:\[\033[01;34m\]~\[\033[00m\]# `

// driver types into a pseudo-terminal and collects what it shows.
type driver struct {
	pty   *os.File
	chunk chan []byte
	seen  bytes.Buffer
	// events and clock are for casts: output as it came, on a synthetic
	// clock that advances as a person types.
	events [][3]any
	clock  float64
	input  bool
}

func start(cmd *exec.Cmd, cols, rows int) (*driver, error) {
	f, err := pty.StartWithSize(cmd, &pty.Winsize{Cols: uint16(cols), Rows: uint16(rows)})
	if err != nil {
		return nil, err
	}
	d := &driver{pty: f, chunk: make(chan []byte, 64)}
	go func() {
		defer close(d.chunk)
		for {
			buf := make([]byte, 4096)
			n, err := f.Read(buf)
			if n > 0 {
				d.chunk <- buf[:n]
			}
			if err != nil {
				return
			}
		}
	}()
	return d, nil
}

// read takes the next output the terminal shows.
func (d *driver) read() error {
	select {
	case c, ok := <-d.chunk:
		if !ok {
			return errors.New("the shell ended")
		}
		d.seen.Write(c)
		d.events = append(d.events, [3]any{round(d.clock), "o", string(c)})
		d.clock += 0.003
		return nil
	case <-time.After(keyTimeout):
		return fmt.Errorf("nothing shown in %s; last output: %q", keyTimeout, tail(d.seen.String()))
	}
}

// expect reads until the output since mark contains s.
func (d *driver) expect(mark int, s string) error {
	for !strings.Contains(d.seen.String()[mark:], s) {
		if err := d.read(); err != nil {
			return fmt.Errorf("waiting for %q: %w", s, err)
		}
	}
	return nil
}

func (d *driver) send(b string, pause float64) error {
	d.clock += pause
	if d.input {
		d.events = append(d.events, [3]any{round(d.clock), "i", b})
	}
	_, err := d.pty.WriteString(b)
	return err
}

// typeStep types a command the way a person does and waits for the
// prompt that follows it.
func (d *driver) typeStep(s step, n int) error {
	for _, k := range s.keys {
		switch {
		case k.rubout > 0:
			for range k.rubout {
				mark := d.seen.Len()
				if err := d.send("\x7f", 0.15); err != nil {
					return err
				}
				if err := d.expect(mark, "\b"); err != nil {
					return err
				}
			}
		case k.tab != "":
			mark := d.seen.Len()
			if err := d.send("\t", 0.3); err != nil {
				return err
			}
			if err := d.expect(mark, k.tab); err != nil {
				return err
			}
		case k.paste:
			mark := d.seen.Len()
			if err := d.send("\x1b[200~"+k.text+"\x1b[201~", 0.8); err != nil {
				return err
			}
			last := k.text[len(k.text)-min(8, len(k.text)):]
			if err := d.expect(mark, last); err != nil {
				return err
			}
		default:
			for i, r := range k.text {
				mark := d.seen.Len()
				if err := d.send(string(r), 0.06+0.05*float64((n+i)%4)); err != nil {
					return err
				}
				if err := d.expect(mark, string(r)); err != nil {
					return err
				}
			}
		}
	}
	mark := d.seen.Len()
	if err := d.send("\r", 0.4); err != nil {
		return err
	}
	d.clock += 0.5
	return d.expectPrompt(mark)
}

func (d *driver) expectPrompt(mark int) error {
	for {
		for _, p := range promptEnds {
			if strings.Contains(d.seen.String()[mark:], p) {
				return nil
			}
		}
		if err := d.read(); err != nil {
			return fmt.Errorf("waiting for a prompt: %w", err)
		}
	}
}

func (d *driver) session(steps []step) error {
	if err := d.expectPrompt(0); err != nil {
		return err
	}
	for i, s := range steps {
		if err := d.typeStep(s, i); err != nil {
			return fmt.Errorf("step %d (%s): %w", i+1, s.typed(), err)
		}
	}
	mark := d.seen.Len()
	if err := d.send("exit\r", 1); err != nil {
		return err
	}
	for {
		if err := d.read(); err != nil {
			if strings.Contains(err.Error(), "the shell ended") {
				return nil
			}
			return fmt.Errorf("after exit (%q): %w", d.seen.String()[mark:], err)
		}
	}
}

func (r recording) typescript(dir string) ([]byte, error) {
	file := filepath.Join(dir, "typescript")
	cmd := exec.Command("script", "-q", "-f", "-c", "bash --noprofile --norc -i", file)
	cmd.Env = shellEnv(dir, r.ps1())
	cmd.Dir = dir
	d, err := start(cmd, r.cols, r.rows)
	if err != nil {
		return nil, err
	}
	defer d.pty.Close()
	if err := d.session(r.session); err != nil {
		return nil, err
	}
	if err := cmd.Wait(); err != nil {
		return nil, fmt.Errorf("script: %w", err)
	}
	return os.ReadFile(file)
}

func (r recording) cast(dir string) ([]byte, error) {
	cmd := exec.Command("bash", "--noprofile", "--norc", "-i")
	cmd.Env = shellEnv(dir, r.ps1())
	cmd.Dir = dir
	d, err := start(cmd, r.cols, r.rows)
	if err != nil {
		return nil, err
	}
	defer d.pty.Close()
	d.input = r.input
	if err := d.session(r.session); err != nil {
		return nil, err
	}
	_ = cmd.Wait()
	var b bytes.Buffer
	header := map[string]any{
		"version": 2, "width": r.cols, "height": r.rows, "timestamp": 1714644672,
		"title": r.title, "env": map[string]string{"SHELL": "/bin/bash", "TERM": "xterm-256color"},
	}
	if err := writeJSONLine(&b, header); err != nil {
		return nil, err
	}
	for _, e := range d.events {
		if err := writeJSONLine(&b, e); err != nil {
			return nil, err
		}
	}
	return b.Bytes(), nil
}

func writeJSONLine(b *bytes.Buffer, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	b.Write(data)
	b.WriteByte('\n')
	return nil
}

func round(t float64) float64 { return float64(int64(t*1e6+0.5)) / 1e6 }

func tail(s string) string {
	if len(s) > 200 {
		return s[len(s)-200:]
	}
	return s
}
