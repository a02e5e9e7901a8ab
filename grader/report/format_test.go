package report

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

func TestFormats(t *testing.T) {
	got := strings.Join(Formats(), ",")
	if want := "text,md,json,junit,gradescope,html"; got != want {
		t.Errorf("Formats() = %s, want %s", got, want)
	}
}

func TestFileExt(t *testing.T) {
	tests := []struct {
		name, format, want string
	}{
		{"text", "text", ".txt"},
		{"markdown", "md", ".md"},
		{"json", "json", ".json"},
		{"junit", "junit", ".xml"},
		{"gradescope", "gradescope", ".json"},
		{"html", "html", ".html"},
		{"unknown", "pdf", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := FileExt(tc.format); got != tc.want {
				t.Errorf("FileExt(%q) = %q, want %q", tc.format, got, tc.want)
			}
		})
	}
}

// Write must be exactly the named writer, so that the CLI and the tests
// agree on what each format looks like.
func TestWriteDispatches(t *testing.T) {
	r := studentReport(t)
	opts := TextOptions{Verbose: true}
	direct := map[string]func(*bytes.Buffer) error{
		"text":       func(b *bytes.Buffer) error { return WriteText(b, r, opts) },
		"md":         func(b *bytes.Buffer) error { return WriteMarkdown(b, r) },
		"json":       func(b *bytes.Buffer) error { return WriteJSON(b, r) },
		"junit":      func(b *bytes.Buffer) error { return WriteJUnit(b, r) },
		"gradescope": func(b *bytes.Buffer) error { return WriteGradescope(b, r) },
		"html":       func(b *bytes.Buffer) error { return WriteHTML(b, r, HTMLOptions{}) },
	}
	for _, format := range Formats() {
		t.Run(format, func(t *testing.T) {
			var via, want bytes.Buffer
			if err := Write(&via, format, r, opts); err != nil {
				t.Fatal(err)
			}
			if err := direct[format](&want); err != nil {
				t.Fatal(err)
			}
			if via.String() != want.String() {
				t.Errorf("Write(%q) differs from its writer", format)
			}
		})
	}
}

func TestWriteUnknownFormatListsKnown(t *testing.T) {
	err := Write(&bytes.Buffer{}, "pdf", referenceReport(t), TextOptions{})
	want := `report: unknown format "pdf" (known: text, md, json, junit, gradescope, html)`
	if err == nil || err.Error() != want {
		t.Errorf("err = %v, want %s", err, want)
	}
}

type brokenWriter struct{}

func (brokenWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestWriteErrors(t *testing.T) {
	for _, format := range Formats() {
		t.Run(format+"/nil report", func(t *testing.T) {
			err := Write(&bytes.Buffer{}, format, nil, TextOptions{})
			if err == nil || !strings.HasPrefix(err.Error(), "write "+format+" report: ") {
				t.Errorf("err = %v, want a wrapped nil-report error", err)
			}
		})
		t.Run(format+"/broken writer", func(t *testing.T) {
			err := Write(brokenWriter{}, format, referenceReport(t), TextOptions{})
			if err == nil || err.Error() != "write "+format+" report: disk full" {
				t.Errorf("err = %v", err)
			}
		})
	}
}

// Rendering twice must give the same bytes: golden files and diffs of
// saved reports depend on it.
func TestWritersAreDeterministic(t *testing.T) {
	for _, f := range fixtures(t) {
		for _, format := range Formats() {
			t.Run(f.name+"/"+format, func(t *testing.T) {
				var a, b bytes.Buffer
				if err := Write(&a, format, f.r, TextOptions{Color: true, Verbose: true}); err != nil {
					t.Fatal(err)
				}
				if err := Write(&b, format, f.r, TextOptions{Color: true, Verbose: true}); err != nil {
					t.Fatal(err)
				}
				if a.String() != b.String() {
					t.Error("two renderings differ")
				}
			})
		}
	}
}

func TestImageDescribe(t *testing.T) {
	tests := []struct {
		name string
		im   ImageInfo
		want string
	}{
		{"stand-in", ImageInfo{Name: "ubuntu", Source: ImageFromStandIn, StandIn: "busybox+tini"}, "ubuntu: stand-in image (busybox+tini), not the real ubuntu"},
		{"stand-in without detail", ImageInfo{Name: "ubuntu", Source: ImageFromStandIn}, "ubuntu: stand-in image, not the real ubuntu"},
		{"from host", ImageInfo{Name: "ubuntu", Source: "host"}, "ubuntu: the real image, from the host engine"},
		{"other source", ImageInfo{Name: "ubuntu", Source: "registry"}, "ubuntu: the real image, from registry"},
		{"no source", ImageInfo{Name: "ubuntu"}, "ubuntu: the real image"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.im.Describe(); got != tc.want {
				t.Errorf("Describe = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestLabLine(t *testing.T) {
	tests := []struct {
		name string
		lab  LabInfo
		want string
	}{
		{"full", LabInfo{Name: "swarm", Title: "Swarm", Version: "2"}, "Swarm (swarm, version 2)"},
		{"no title", LabInfo{Name: "swarm"}, "swarm"},
		{"title only", LabInfo{Title: "Swarm"}, "Swarm"},
		{"nothing", LabInfo{}, "(unnamed lab)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := labLine(tc.lab); got != tc.want {
				t.Errorf("labLine = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestItemExplanation(t *testing.T) {
	tests := []struct {
		name string
		it   Item
		want string
	}{
		{"pass with first held", Item{Status: StatusPass, FirstHeld: "step s (cmd)", Hint: "h"}, "It first held after step s (cmd)."},
		{"fail", Item{Status: StatusFail, Reason: "r\n", Evidence: "e\n", Hint: "h"}, "r\n\nEvidence:\ne\n\nHint: h"},
		{"skipped keeps no hint", Item{Status: StatusSkipped, Reason: "r", Hint: "h"}, "r"},
		{"empty", Item{Status: StatusPass}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := itemExplanation(tc.it); got != tc.want {
				t.Errorf("itemExplanation = %q, want %q", got, tc.want)
			}
		})
	}
}
