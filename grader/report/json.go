package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"time"
)

// The wire types fix the JSON field order and names independently of the Go
// model, so that reordering or renaming a Go field cannot silently change
// the schema documented in SCHEMA.md. Durations travel as integer
// milliseconds, times as RFC 3339 in UTC ("" when unknown), and every field
// is always present (lists as [], never null) so that consumers need no
// special cases.

type jsonReport struct {
	SchemaVersion string          `json:"schemaVersion"`
	Lab           jsonLab         `json:"lab"`
	Subject       string          `json:"subject"`
	Source        string          `json:"source"`
	Mode          string          `json:"mode"`
	Completed     bool            `json:"completed"`
	Error         string          `json:"error"`
	Score         int             `json:"score"`
	MaxScore      int             `json:"maxScore"`
	Counts        jsonCounts      `json:"counts"`
	StartedAt     string          `json:"startedAt"`
	FinishedAt    string          `json:"finishedAt"`
	DurationMs    int64           `json:"durationMs"`
	Items         []jsonItem      `json:"items"`
	Steps         []jsonStep      `json:"steps"`
	Warnings      []string        `json:"warnings"`
	Notes         []string        `json:"notes"`
	Environment   jsonEnvironment `json:"environment"`
	Claimed       string          `json:"claimed"`
	CheckByHand   int             `json:"checkByHand"`
}

type jsonLab struct {
	Name    string `json:"name"`
	Title   string `json:"title"`
	Version string `json:"version"`
	Source  string `json:"source"`
}

// jsonCounts is derived from items; it is written for consumers (jq, CI
// badges) and ignored when read back.
type jsonCounts struct {
	Pass    int `json:"pass"`
	Fail    int `json:"fail"`
	Error   int `json:"error"`
	Skipped int `json:"skipped"`
}

type jsonItem struct {
	ID          string `json:"id"`
	Title       string `json:"title"`
	Check       string `json:"check"`
	When        string `json:"when"`
	Points      int    `json:"points"`
	Awarded     int    `json:"awarded"`
	Status      Status `json:"status"`
	Reason      string `json:"reason"`
	Evidence    string `json:"evidence"`
	FirstHeld   string `json:"firstHeld"`
	Hint        string `json:"hint"`
	CheckByHand string `json:"checkByHand"`
	DurationMs  int64  `json:"durationMs"`
}

type jsonStep struct {
	ID         string        `json:"id"`
	Title      string        `json:"title"`
	Status     Status        `json:"status"`
	Error      string        `json:"error"`
	StartedAt  string        `json:"startedAt"`
	FinishedAt string        `json:"finishedAt"`
	DurationMs int64         `json:"durationMs"`
	Commands   []jsonCommand `json:"commands"`
}

type jsonCommand struct {
	Index        int               `json:"index"`
	Kind         CommandKind       `json:"kind"`
	Node         string            `json:"node"`
	Line         int               `json:"line"`
	Text         string            `json:"text"`
	Outcome      Outcome           `json:"outcome"`
	ExitCode     int               `json:"exitCode"`
	Output       string            `json:"output"`
	Reason       string            `json:"reason"`
	StartedAt    string            `json:"startedAt"`
	FinishedAt   string            `json:"finishedAt"`
	DurationMs   int64             `json:"durationMs"`
	Evidence     *jsonEvidence     `json:"evidence"`
	Observations []jsonObservation `json:"observations"`
}

type jsonEvidence struct {
	Image       string   `json:"image"`
	Confidence  float64  `json:"confidence"`
	Corrections []string `json:"corrections"`
	CheckByHand bool     `json:"checkByHand"`
	Why         string   `json:"why"`
}

type jsonObservation struct {
	Index      int    `json:"index"`
	Status     Status `json:"status"`
	Reason     string `json:"reason"`
	StartedAt  string `json:"startedAt"`
	FinishedAt string `json:"finishedAt"`
	DurationMs int64  `json:"durationMs"`
}

type jsonEnvironment struct {
	Labcheck     string       `json:"labcheck"`
	HostEngine   string       `json:"hostEngine"`
	NodeEngine   string       `json:"nodeEngine"`
	SecurityMode string       `json:"securityMode"`
	NodeImage    string       `json:"nodeImage"`
	Images       []jsonImage  `json:"images"`
	Notes        []string     `json:"notes"`
	Timings      []jsonTiming `json:"timings"`
}

type jsonImage struct {
	Name      string      `json:"name"`
	Source    ImageSource `json:"source"`
	StandIn   bool        `json:"standIn"`
	StandInOf string      `json:"standInOf"`
}

type jsonTiming struct {
	Phase      string `json:"phase"`
	DurationMs int64  `json:"durationMs"`
}

// WriteJSON writes r as indented JSON in the labcheck.report/v1 schema. An
// empty SchemaVersion is written as SchemaVersion so that hand-built reports
// are still labelled.
func WriteJSON(w io.Writer, r *Report) error {
	if r == nil {
		return fmt.Errorf("write json report: %w", errNilReport)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	// Evidence and commands are full of <id> and &&; keep them readable.
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(toJSON(r)); err != nil {
		return fmt.Errorf("write json report: %w", err)
	}
	return writeAll(w, "json", buf.Bytes())
}

// ReadJSON reads a report written by WriteJSON, so that a saved report can
// be rendered again in another format. It refuses other schema versions
// rather than guess at their meaning.
func ReadJSON(rd io.Reader) (*Report, error) {
	var j jsonReport
	dec := json.NewDecoder(rd)
	if err := dec.Decode(&j); err != nil {
		return nil, fmt.Errorf("read json report: %w", err)
	}
	if j.SchemaVersion != SchemaVersion {
		return nil, fmt.Errorf("read json report: schema %q, want %q", j.SchemaVersion, SchemaVersion)
	}
	return fromJSON(&j)
}

func toJSON(r *Report) *jsonReport {
	pass, fail, errored, skipped := r.Counts()
	j := &jsonReport{
		SchemaVersion: orDefault(r.SchemaVersion, SchemaVersion),
		Lab:           jsonLab(r.Lab),
		Subject:       r.Subject,
		Source:        r.Source,
		Mode:          r.Mode,
		Completed:     r.Completed,
		Error:         r.Error,
		Score:         r.Score,
		MaxScore:      r.MaxScore,
		Counts:        jsonCounts{pass, fail, errored, skipped},
		StartedAt:     formatTime(r.StartedAt),
		FinishedAt:    formatTime(r.FinishedAt),
		DurationMs:    ms(r.Duration()),
		Items:         []jsonItem{},
		Steps:         []jsonStep{},
		Warnings:      nonNil(r.Warnings),
		Notes:         nonNil(r.Notes),
		Claimed:       r.Claimed,
		CheckByHand:   r.CheckByHandCount(),
		Environment: jsonEnvironment{
			Labcheck:     r.Environment.Labcheck,
			HostEngine:   r.Environment.HostEngine,
			NodeEngine:   r.Environment.NodeEngine,
			SecurityMode: r.Environment.SecurityMode,
			NodeImage:    r.Environment.NodeImage,
			Images:       []jsonImage{},
			Notes:        nonNil(r.Environment.Notes),
			Timings:      []jsonTiming{},
		},
	}
	for _, it := range r.Items {
		j.Items = append(j.Items, jsonItem{
			ID: it.ID, Title: it.Title, Check: it.Check, When: it.When,
			Points: it.Points, Awarded: it.Awarded, Status: it.Status,
			Reason: it.Reason, Evidence: it.Evidence, FirstHeld: it.FirstHeld, Hint: it.Hint, CheckByHand: it.CheckByHand,
			DurationMs: ms(it.Duration),
		})
	}
	for _, s := range r.Steps {
		js := jsonStep{ID: s.ID, Title: s.Title, Status: s.Status(), Error: s.Error,
			StartedAt: formatInstant(s.Start), FinishedAt: formatInstant(s.End), DurationMs: ms(s.Duration()), Commands: []jsonCommand{}}
		for _, c := range s.Commands {
			jc := jsonCommand{
				Index: c.Index, Kind: c.Kind, Node: c.Node, Line: c.Line, Text: c.Text,
				Outcome: c.Outcome, ExitCode: c.ExitCode, Output: c.Output, Reason: c.Reason,
				StartedAt: formatInstant(c.Start), FinishedAt: formatInstant(c.End), DurationMs: ms(c.Duration()),
				Observations: []jsonObservation{},
			}
			if e := c.Evidence; e != nil {
				jc.Evidence = &jsonEvidence{Image: e.Image, Confidence: e.Confidence, Corrections: nonNil(e.Corrections), CheckByHand: e.CheckByHand, Why: e.Why}
			}
			for _, o := range c.Observations {
				jc.Observations = append(jc.Observations, jsonObservation{Index: o.Index, Status: o.Status, Reason: o.Reason,
					StartedAt: formatInstant(o.Start), FinishedAt: formatInstant(o.End), DurationMs: ms(o.Duration())})
			}
			js.Commands = append(js.Commands, jc)
		}
		j.Steps = append(j.Steps, js)
	}
	for _, im := range r.Environment.Images {
		j.Environment.Images = append(j.Environment.Images, jsonImage{Name: im.Name, Source: im.Source, StandIn: im.IsStandIn(), StandInOf: im.StandIn})
	}
	for _, tm := range r.Environment.Timings {
		j.Environment.Timings = append(j.Environment.Timings, jsonTiming{Phase: tm.Phase, DurationMs: ms(tm.Duration)})
	}
	return j
}

func fromJSON(j *jsonReport) (*Report, error) {
	started, err := parseTime("startedAt", j.StartedAt)
	if err != nil {
		return nil, err
	}
	finished, err := parseTime("finishedAt", j.FinishedAt)
	if err != nil {
		return nil, err
	}
	r := &Report{
		SchemaVersion: j.SchemaVersion,
		Lab:           LabInfo(j.Lab),
		Subject:       j.Subject,
		Source:        j.Source,
		Mode:          j.Mode,
		Completed:     j.Completed,
		Error:         j.Error,
		Score:         j.Score,
		MaxScore:      j.MaxScore,
		StartedAt:     started,
		FinishedAt:    finished,
		Warnings:      j.Warnings,
		Notes:         j.Notes,
		Claimed:       j.Claimed,
		Environment: Environment{
			Labcheck:     j.Environment.Labcheck,
			HostEngine:   j.Environment.HostEngine,
			NodeEngine:   j.Environment.NodeEngine,
			SecurityMode: j.Environment.SecurityMode,
			NodeImage:    j.Environment.NodeImage,
			Notes:        j.Environment.Notes,
		},
	}
	for _, it := range j.Items {
		r.Items = append(r.Items, Item{
			ID: it.ID, Title: it.Title, Check: it.Check, When: it.When,
			Points: it.Points, Awarded: it.Awarded, Status: it.Status,
			Reason: it.Reason, Evidence: it.Evidence, FirstHeld: it.FirstHeld, Hint: it.Hint, CheckByHand: it.CheckByHand,
			Duration: fromMs(it.DurationMs),
		})
	}
	for _, js := range j.Steps {
		s := Step{ID: js.ID, Title: js.Title, Error: js.Error}
		if s.Start, err = parseInstant("steps[].startedAt", js.StartedAt); err != nil {
			return nil, err
		}
		if s.End, err = parseInstant("steps[].finishedAt", js.FinishedAt); err != nil {
			return nil, err
		}
		for _, jc := range js.Commands {
			c := Command{
				Index: jc.Index, Kind: jc.Kind, Node: jc.Node, Line: jc.Line, Text: jc.Text,
				Outcome: jc.Outcome, ExitCode: jc.ExitCode, Output: jc.Output, Reason: jc.Reason,
			}
			if c.Start, err = parseInstant("commands[].startedAt", jc.StartedAt); err != nil {
				return nil, err
			}
			if c.End, err = parseInstant("commands[].finishedAt", jc.FinishedAt); err != nil {
				return nil, err
			}
			if e := jc.Evidence; e != nil {
				c.Evidence = &Evidence{Image: e.Image, Confidence: e.Confidence, Corrections: e.Corrections, CheckByHand: e.CheckByHand, Why: e.Why}
				if len(c.Evidence.Corrections) == 0 {
					c.Evidence.Corrections = nil
				}
			}
			for _, jo := range jc.Observations {
				o := Observation{Index: jo.Index, Status: jo.Status, Reason: jo.Reason}
				if o.Start, err = parseInstant("observations[].startedAt", jo.StartedAt); err != nil {
					return nil, err
				}
				if o.End, err = parseInstant("observations[].finishedAt", jo.FinishedAt); err != nil {
					return nil, err
				}
				c.Observations = append(c.Observations, o)
			}
			s.Commands = append(s.Commands, c)
		}
		r.Steps = append(r.Steps, s)
	}
	for _, im := range j.Environment.Images {
		r.Environment.Images = append(r.Environment.Images, ImageInfo{Name: im.Name, Source: im.Source, StandIn: im.StandInOf})
	}
	for _, tm := range j.Environment.Timings {
		r.Environment.Timings = append(r.Environment.Timings, Timing{Phase: tm.Phase, Duration: fromMs(tm.DurationMs)})
	}
	// Empty lists read back as nil, as the grader builds them.
	if len(r.Warnings) == 0 {
		r.Warnings = nil
	}
	if len(r.Environment.Notes) == 0 {
		r.Environment.Notes = nil
	}
	if len(r.Notes) == 0 {
		r.Notes = nil
	}
	return r, nil
}

// ms rounds to the nearest millisecond: a 0.6ms command reads 1, not 0.
func ms(d time.Duration) int64 { return d.Round(time.Millisecond).Milliseconds() }

func fromMs(n int64) time.Duration { return time.Duration(n) * time.Millisecond }

func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// instantLayout keeps milliseconds: steps and commands are seconds long,
// and their starts must order.
const instantLayout = "2006-01-02T15:04:05.000Z07:00"

func formatInstant(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(instantLayout)
}

func parseInstant(field, s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("read json report: %s: %w", field, err)
	}
	return t.UTC(), nil
}

func parseTime(field, s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("read json report: %s: %w", field, err)
	}
	return t.UTC(), nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
