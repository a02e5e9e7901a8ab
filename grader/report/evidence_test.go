package report

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
)

// A command read from a screenshot carries its image, confidence and
// corrections; one in doubt is marked check-by-hand in every format, so an
// instructor never trusts it silently.
func TestCheckByHandShowsInEveryFormat(t *testing.T) {
	r := studentReport(t)
	c := &r.Steps[0].Commands[0]
	c.Evidence = &Evidence{Image: "minggu_12/gambar 3.png", Confidence: 61.5, Corrections: []string{"`1s` → `ls`"}, CheckByHand: true}
	r.Steps[1].Commands[0].Evidence = &Evidence{Image: "minggu_12/gambar 4.png", Confidence: 96}

	if got := len(r.CheckByHand()); got != 1 {
		t.Fatalf("CheckByHand() has %d commands, want 1", got)
	}
	for _, format := range Formats() {
		t.Run(format, func(t *testing.T) {
			var buf bytes.Buffer
			if err := Write(&buf, format, r, TextOptions{}); err != nil {
				t.Fatal(err)
			}
			out := buf.String()
			for _, want := range []string{"gambar 3.png", "62%"} {
				if format == "json" && want == "62%" {
					want = `"confidence": 61.5`
				}
				if !strings.Contains(out, want) {
					t.Errorf("%s output lacks %q", format, want)
				}
			}
			if format != "json" && !strings.Contains(strings.ToLower(out), "check by hand") {
				t.Errorf("%s output does not say check by hand", format)
			}
			if format == "json" && !strings.Contains(out, `"checkByHand": 1`) {
				t.Errorf("json lacks the check-by-hand count")
			}
		})
	}
	var buf bytes.Buffer
	if err := WriteJSON(&buf, r); err != nil {
		t.Fatal(err)
	}
	back, err := ReadJSON(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if got := back.Steps[0].Commands[0].Evidence; !reflect.DeepEqual(got, c.Evidence) {
		t.Errorf("evidence did not survive JSON: %+v", got)
	}
}

// An item whose verdict rests on a command whose recorded output and replay
// disagree is marked check-by-hand, with both outputs, in every format.
func TestItemCheckByHandShowsInEveryFormat(t *testing.T) {
	r := studentReport(t)
	r.Items[2].CheckByHand = "line 40: the submission shows `docker swarm join …` failing (connection refused), the replay succeeded"
	if got := len(r.DoubtfulItems()); got != 1 {
		t.Fatalf("DoubtfulItems() = %d, want 1", got)
	}
	for _, format := range Formats() {
		t.Run(format, func(t *testing.T) {
			var buf bytes.Buffer
			if err := Write(&buf, format, r, TextOptions{}); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(buf.String(), "connection refused") {
				t.Errorf("%s output lacks the item's check-by-hand note:\n%s", format, buf.String())
			}
		})
	}
}
