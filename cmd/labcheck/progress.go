package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/labcheck/labcheck/grader/report"
)

// progress prints a run's progress on stderr: a live line per step with a
// spinner and the elapsed time on a terminal, plain lines elsewhere (CI
// logs), nothing with -q.
type progress struct {
	w     io.Writer
	tty   bool
	quiet bool

	mu      sync.Mutex
	step    string
	started time.Time
	stop    chan struct{}
	done    chan struct{}
}

func newProgress(w io.Writer, quiet bool) (*progress, func(string, ...any)) {
	p := &progress{w: w, tty: isTerminal(w), quiet: quiet}
	return p, p.logf
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0 && os.Getenv("TERM") != "dumb"
}

func (p *progress) logf(format string, args ...any) {
	if p.quiet {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.clearLine()
	fmt.Fprintf(p.w, "  %s\n", fmt.Sprintf(format, args...))
}

func (p *progress) Phase(name string) {
	if p.quiet {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.clearLine()
	fmt.Fprintf(p.w, "%s\n", name)
}

func (p *progress) StepStart(id, title string) {
	if p.quiet {
		return
	}
	p.mu.Lock()
	p.step, p.started = id+": "+title, time.Now()
	if !p.tty {
		fmt.Fprintf(p.w, "step %s\n", p.step)
		p.mu.Unlock()
		return
	}
	p.stop, p.done = make(chan struct{}), make(chan struct{})
	stop, done := p.stop, p.done
	p.mu.Unlock()
	go p.spin(stop, done)
}

func (p *progress) spin(stop, done chan struct{}) {
	defer close(done)
	frames := []string{"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"}
	t := time.NewTicker(100 * time.Millisecond)
	defer t.Stop()
	for i := 0; ; i++ {
		p.mu.Lock()
		fmt.Fprintf(p.w, "\r\033[K%s %s  %.1fs", frames[i%len(frames)], p.step, time.Since(p.started).Seconds())
		p.mu.Unlock()
		select {
		case <-stop:
			return
		case <-t.C:
		}
	}
}

func (p *progress) Command(c report.Command) {
	if p.quiet {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if c.Outcome == report.OutcomeOK && p.tty {
		return
	}
	p.clearLine()
	mark := string(c.Outcome)
	if c.Reason != "" {
		mark += ": " + c.Reason
	}
	fmt.Fprintf(p.w, "  %s$ %s  [%s, %s]\n", c.Node, oneLine(c.Text), mark, c.Duration().Round(time.Millisecond))
}

func (p *progress) StepDone(id string, status report.Status, d time.Duration) {
	if p.quiet {
		return
	}
	p.stopSpinner()
	p.mu.Lock()
	defer p.mu.Unlock()
	p.clearLine()
	fmt.Fprintf(p.w, "%s step %s (%s)\n", statusMark(status, p.tty), p.step, d.Round(time.Millisecond))
}

// Done stops any live line; call it before printing the report.
func (p *progress) Done() { p.stopSpinner() }

func (p *progress) stopSpinner() {
	p.mu.Lock()
	stop, done := p.stop, p.done
	p.stop, p.done = nil, nil
	p.mu.Unlock()
	if stop != nil {
		close(stop)
		<-done
	}
}

func (p *progress) clearLine() {
	if p.tty && p.stop != nil {
		fmt.Fprint(p.w, "\r\033[K")
	}
}

func statusMark(s report.Status, tty bool) string {
	if !tty {
		return strings.ToUpper(string(s))
	}
	switch s {
	case report.StatusPass:
		return "✔"
	case report.StatusFail:
		return "✘"
	default:
		return "!"
	}
}

func oneLine(s string) string {
	s = strings.ReplaceAll(s, "\n", " ⏎ ")
	if len(s) > 120 {
		s = s[:117] + "..."
	}
	return s
}
