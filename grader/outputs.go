package grader

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/labcheck/labcheck/grader/submission"
)

// outputLedger checks the outputs a submission recorded against the
// session's own history, in replay order: a `docker service ps` pasted
// from another session shows tasks this one never produced, slots its
// service never had, or ages younger than the same task showed earlier.
// What it finds is a warning that names the line; it never deducts
// points, since an instructor decides what a pasted output means.
type outputLedger struct {
	// slots follows each task slot ("sleep-app.2"): the student's task in
	// it and the replay's, when last shown together.
	slots map[string]slotSeen
	// replicas is the most replicas the session asked each service for; a
	// service created with an expansion or in global mode is absent.
	replicas map[string]int
	// ages is the last age each task or container showed, by ID and state.
	ages map[string]ageSeen
	// seen is every word of every recorded output so far.
	seen map[string]bool
	// runs counts, per node, the `docker run` commands so far and those of
	// them whose output the submission recorded: a container no command
	// created is only noticed where every run's output is known.
	runs, runsShown map[string]int
}

type slotSeen struct {
	student, replay string
	line            int
}

type ageSeen struct {
	age  ageRange
	text string
	line int
}

func newOutputLedger() *outputLedger {
	return &outputLedger{slots: map[string]slotSeen{}, replicas: map[string]int{}, ages: map[string]ageSeen{}, seen: map[string]bool{},
		runs: map[string]int{}, runsShown: map[string]int{}}
}

// check reads one command's recorded output and the replay's output of
// the same command, after it ran, and returns the warnings it raises.
func (l *outputLedger) check(c submission.Command, replayOut string) []string {
	var warnings []string
	calls := c.Analysis().Calls
	for _, call := range calls {
		l.follow(call)
		if call.Path == "run" {
			l.runs[c.Node]++
			if c.Output != "" && len(calls) == 1 {
				l.runsShown[c.Node]++
			}
		}
	}
	if len(calls) == 1 && c.Output != "" {
		call := calls[0]
		switch call.Path {
		case "service ps":
			if plainListing(call) {
				warnings = append(warnings, l.servicePS(c, call, replayOut)...)
			}
		case "ps":
			if plainListing(call) {
				warnings = append(warnings, l.containerPS(c)...)
			}
		}
	}
	for _, w := range strings.Fields(c.Output) {
		l.seen[w] = true
	}
	return warnings
}

// plainListing is a listing with docker's own table and no filter: what
// it leaves out is then what docker left out.
func plainListing(call *submission.DockerCall) bool {
	_, filtered := call.Flag("-f", "--filter", "-q", "--quiet", "--format", "-n", "--last", "-l", "--latest")
	return !filtered
}

// follow keeps the replicas the session asked for and forgets what a new
// service or a restarted container makes stale.
func (l *outputLedger) follow(call *submission.DockerCall) {
	args := func() []string {
		var out []string
		for _, i := range call.Args {
			if w := call.Words[i]; w.Literal {
				out = append(out, w.Lit)
			} else {
				out = append(out, "")
			}
		}
		return out
	}
	switch call.Path {
	case "service create":
		name := ""
		if f, ok := call.Flag("--name"); ok && f.Literal {
			name = f.Value
		}
		if name == "" {
			return
		}
		l.forgetService(name)
		delete(l.replicas, name)
		if f, ok := call.Flag("--mode"); ok && f.Value != "replicated" {
			return
		}
		n := 1
		if f, ok := call.Flag("--replicas"); ok {
			v, err := strconv.Atoi(f.Value)
			if !f.Literal || err != nil {
				return
			}
			n = v
		}
		l.replicas[name] = n
	case "service rm":
		for _, a := range args() {
			l.forgetService(a)
			delete(l.replicas, a)
		}
	case "service update":
		if f, ok := call.Flag("--replicas"); ok {
			a := args()
			if len(a) > 0 {
				l.raise(a[len(a)-1], f.Value, f.Literal)
			}
		}
	case "service scale":
		for _, a := range args() {
			if name, n, ok := strings.Cut(a, "="); ok {
				l.raise(name, n, true)
			}
		}
	case "restart", "start":
		for _, a := range args() {
			for id := range l.ages {
				if a != "" && strings.HasPrefix(id, a) {
					delete(l.ages, id)
				}
			}
		}
	}
}

func (l *outputLedger) raise(name, value string, literal bool) {
	cur, known := l.replicas[name]
	if !known {
		return
	}
	n, err := strconv.Atoi(value)
	if !literal || err != nil {
		delete(l.replicas, name) // an expansion: the count is unknown from here on
		return
	}
	if n > cur {
		l.replicas[name] = n
	}
}

func (l *outputLedger) forgetService(name string) {
	for slot := range l.slots {
		if strings.HasPrefix(slot, name+".") {
			delete(l.slots, slot)
		}
	}
}

// taskRow is a row of `docker service ps`.
type taskRow struct {
	id, slot, state, age string
	service              string
	n                    int
	history              bool
}

var (
	slotRe      = regexp.MustCompile(`^(.+)\.(\d+)$`)
	taskStateRe = regexp.MustCompile(`\b(New|Allocated|Pending|Assigned|Accepted|Preparing|Ready|Starting|Running|Complete|Shutdown|Failed|Rejected|Remove|Orphaned)\s+(Less than a second|About a minute|About an hour|\d+ (?:second|minute|hour|day|week|month|year)s?) ago\b`)
	upAgeRe     = regexp.MustCompile(`\bUp (Less than a second|About a minute|About an hour|\d+ (?:second|minute|hour|day|week|month|year)s?)\b`)
	taskIDRe    = regexp.MustCompile(`^[a-z0-9]{12,25}$`)
)

func taskTable(out string) []taskRow {
	var rows []taskRow
	in := false
	for _, line := range strings.Split(out, "\n") {
		f := strings.Fields(line)
		switch {
		case strings.Contains(line, "DESIRED STATE") && strings.Contains(line, "ID"):
			in = true
			continue
		case !in || len(f) < 3 || !taskIDRe.MatchString(f[0]):
			continue
		}
		r := taskRow{id: f[0], slot: f[1]}
		if f[1] == `\_` {
			r.history, r.slot = true, f[2]
		}
		m := slotRe.FindStringSubmatch(r.slot)
		if m == nil {
			continue
		}
		r.service, r.n = m[1], atoi(m[2])
		if s := taskStateRe.FindStringSubmatch(line); s != nil {
			r.state, r.age = s[1], s[2]
		}
		rows = append(rows, r)
	}
	return rows
}

// shown reports whether an earlier recorded output showed the ID, alone
// or inside a word (a task container's name holds its task's ID).
func (l *outputLedger) shown(id string) bool {
	for w := range l.seen {
		if strings.Contains(w, id) {
			return true
		}
	}
	return false
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// servicePS checks a `docker service ps` the submission recorded.
func (l *outputLedger) servicePS(c submission.Command, call *submission.DockerCall, replayOut string) []string {
	var warnings []string
	at := fmt.Sprintf("line %d: `%s`", c.Line, firstLine(c.Text))
	rows := taskTable(c.Output)
	listed := map[string]bool{}
	for _, r := range rows {
		listed[r.id] = true
	}
	replayTask := map[string]string{}
	for _, r := range taskTable(replayOut) {
		if !r.history {
			replayTask[r.slot] = r.id
		}
	}
	beyond := map[string]bool{}
	for _, r := range rows {
		if max, known := l.replicas[r.service]; known && r.n > max && !beyond[r.slot] {
			beyond[r.slot] = true
			warnings = append(warnings, fmt.Sprintf("%s shows slot %s, but the session never asked %s for more than %d replicas: this output may come from another session",
				at, r.slot, r.service, max))
		}
		if w := l.age(at, "task "+r.id, r.id+" "+r.state, r.age, c.Line); w != "" {
			warnings = append(warnings, w)
		}
		if r.history {
			continue
		}
		prev, shown := l.slots[r.slot]
		if shown && !samePrefix(prev.student, r.id) && !listed[prev.student] && !l.shown(r.id) &&
			prev.replay != "" && replayTask[r.slot] != "" && samePrefix(prev.replay, replayTask[r.slot]) {
			warnings = append(warnings, fmt.Sprintf("%s shows task %s in slot %s, which the session never produced: the slot's task was %s (line %d), this output does not list it as replaced, and in the replay nothing replaced it: this output may come from another session",
				at, r.id, r.slot, prev.student, prev.line))
		}
		l.slots[r.slot] = slotSeen{student: r.id, replay: replayTask[r.slot], line: c.Line}
	}
	return warnings
}

// containerPS checks the ages of a `docker ps` the submission recorded.
func (l *outputLedger) containerPS(c submission.Command) []string {
	var warnings []string
	at := fmt.Sprintf("line %d: `%s`", c.Line, firstLine(c.Text))
	in := false
	for _, line := range strings.Split(c.Output, "\n") {
		f := strings.Fields(line)
		switch {
		case strings.Contains(line, "CONTAINER ID"):
			in = true
			continue
		case !in || len(f) < 2 || !shortHexID.MatchString(f[0]):
			continue
		}
		if m := upAgeRe.FindStringSubmatch(line); m != nil {
			if w := l.age(at, "container "+f[0], f[0]+" Up on "+c.Node, m[1], c.Line); w != "" {
				warnings = append(warnings, w)
			}
		}
		if w := l.unknownContainer(at, c.Node, f); w != "" {
			warnings = append(warnings, w)
		}
	}
	return warnings
}

// taskName is a swarm task container's name: service.slot.taskID.
var taskName = regexp.MustCompile(`^[\w-]+\.\d+\.[a-z0-9]{25}$`)

// unknownContainer says when a `docker ps` row shows a container no command
// of the session created: no earlier output showed its ID, and every
// `docker run` on the node so far has its output recorded (none printed
// this ID). Swarm tasks' containers are the swarm's, not a command's.
func (l *outputLedger) unknownContainer(at, node string, f []string) string {
	id, name := f[0], f[len(f)-1]
	if taskName.MatchString(name) || l.shown(id) {
		return ""
	}
	if l.runs[node] == 0 || l.runsShown[node] != l.runs[node] {
		return ""
	}
	return fmt.Sprintf("%s shows container %s (%s), which no command of this session created: no earlier output shows it, and the %d `docker run` on %s recorded other output: this output may come from another session",
		at, id, name, l.runs[node], node)
}

var shortHexID = regexp.MustCompile(`^[0-9a-f]{12,64}$`)

// age records what an object's age showed and says when it went back in
// time: the same task in the same state, or the same container still up,
// cannot be younger later in the session.
func (l *outputLedger) age(at, what, key, text string, line int) string {
	if text == "" {
		return ""
	}
	r, ok := parseAge(text)
	if !ok {
		return ""
	}
	prev, seen := l.ages[key]
	l.ages[key] = ageSeen{age: r, text: text, line: line}
	if seen && r.hi <= prev.age.lo {
		return fmt.Sprintf("%s shows %s %s old, younger than the %s it showed at line %d: ages do not go backwards, so this output may come from another session or be edited",
			at, what, text, prev.text, prev.line)
	}
	return ""
}

// ageRange is the span of durations docker prints as one phrase (its
// units.HumanDuration): "5 minutes" is anything from 5 to 6 minutes.
type ageRange struct{ lo, hi time.Duration }

var ageRe = regexp.MustCompile(`^(\d+) (second|minute|hour|day|week|month|year)s?$`)

func parseAge(s string) (ageRange, bool) {
	const day = 24 * time.Hour
	switch s {
	case "Less than a second":
		return ageRange{0, time.Second}, true
	case "About a minute":
		return ageRange{time.Minute, 2 * time.Minute}, true
	case "About an hour":
		return ageRange{time.Hour, 90 * time.Minute}, true
	}
	m := ageRe.FindStringSubmatch(s)
	if m == nil {
		return ageRange{}, false
	}
	n := time.Duration(atoi(m[1]))
	switch m[2] {
	case "second":
		return ageRange{n * time.Second, (n + 1) * time.Second}, true
	case "minute":
		return ageRange{n * time.Minute, (n + 1) * time.Minute}, true
	case "hour":
		return ageRange{n*time.Hour - 30*time.Minute, n*time.Hour + 30*time.Minute}, true
	case "day":
		return ageRange{n*day - 30*time.Minute, (n+1)*day + 30*time.Minute}, true
	case "week":
		return ageRange{7 * n * day, 7 * (n + 1) * day}, true
	case "month":
		return ageRange{30 * n * day, 30 * (n + 1) * day}, true
	default:
		return ageRange{365 * n * day, 365 * (n + 1) * day}, true
	}
}

func samePrefix(a, b string) bool {
	return a != "" && b != "" && (strings.HasPrefix(a, b) || strings.HasPrefix(b, a))
}
