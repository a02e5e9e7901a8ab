package report

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestWriteJSONGolden(t *testing.T) {
	for _, f := range fixtures(t) {
		t.Run(f.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := WriteJSON(&buf, f.r); err != nil {
				t.Fatal(err)
			}
			assertGolden(t, f.name+".json", buf.Bytes())
		})
	}
}

// The fields SCHEMA.md promises, checked on the parsed output rather than
// the Go types, as a consumer would see them.
func TestWriteJSONHasSchemaFields(t *testing.T) {
	top := []string{"schemaVersion", "lab", "subject", "source", "mode", "completed", "error", "score", "maxScore",
		"counts", "startedAt", "finishedAt", "durationMs", "items", "steps", "warnings", "notes", "environment", "claimed", "checkByHand"}
	item := []string{"id", "title", "check", "when", "points", "awarded", "status", "reason", "evidence", "firstHeld", "hint", "durationMs"}
	step := []string{"id", "title", "status", "error", "startedAt", "finishedAt", "durationMs", "commands"}
	command := []string{"index", "kind", "node", "line", "text", "outcome", "exitCode", "output", "reason", "startedAt", "finishedAt", "durationMs", "evidence", "observations"}
	observation := []string{"index", "status", "reason", "startedAt", "finishedAt", "durationMs"}
	env := []string{"labcheck", "hostEngine", "nodeEngine", "securityMode", "nodeImage", "images", "notes", "timings"}

	for _, f := range fixtures(t) {
		t.Run(f.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := WriteJSON(&buf, f.r); err != nil {
				t.Fatal(err)
			}
			var doc map[string]any
			if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
				t.Fatalf("output is not JSON: %v", err)
			}
			requireKeys(t, "report", doc, top)
			if doc["schemaVersion"] != SchemaVersion {
				t.Errorf("schemaVersion = %v", doc["schemaVersion"])
			}
			for _, it := range doc["items"].([]any) {
				requireKeys(t, "item", it.(map[string]any), item)
			}
			for _, s := range doc["steps"].([]any) {
				sm := s.(map[string]any)
				requireKeys(t, "step", sm, step)
				if _, ok := sm["durationMs"].(float64); !ok {
					t.Errorf("step durationMs is %T, want a number", sm["durationMs"])
				}
				for _, c := range sm["commands"].([]any) {
					cm := c.(map[string]any)
					requireKeys(t, "command", cm, command)
					for _, o := range cm["observations"].([]any) {
						requireKeys(t, "observation", o.(map[string]any), observation)
					}
				}
			}
			requireKeys(t, "environment", doc["environment"].(map[string]any), env)
		})
	}
}

func requireKeys(t *testing.T, what string, m map[string]any, keys []string) {
	t.Helper()
	for _, k := range keys {
		if _, ok := m[k]; !ok {
			t.Errorf("%s lacks %q", what, k)
		}
	}
}

// Consumers index into lists without null checks.
func TestWriteJSONEmptyListsAreArrays(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteJSON(&buf, &Report{}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if strings.Contains(out, "null") {
		t.Errorf("empty report has null:\n%s", out)
	}
	for _, want := range []string{`"items": []`, `"warnings": []`, `"images": []`, `"startedAt": ""`, `"schemaVersion": "labcheck.report/v2"`} {
		if !strings.Contains(out, want) {
			t.Errorf("empty report lacks %s:\n%s", want, out)
		}
	}
}

func TestReadJSONRoundTrip(t *testing.T) {
	for _, f := range fixtures(t) {
		t.Run(f.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := WriteJSON(&buf, f.r); err != nil {
				t.Fatal(err)
			}
			got, err := ReadJSON(&buf)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, f.r) {
				t.Errorf("round trip changed the report\n got: %+v\nwant: %+v", got, f.r)
			}
		})
	}
}

func TestReadJSONErrors(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"not json", "{", "read json report: unexpected EOF"},
		{"older schema", `{"schemaVersion": "labcheck.report/v1"}`, `schema "labcheck.report/v1", want "labcheck.report/v2"`},
		{"bad time", `{"schemaVersion": "labcheck.report/v2", "startedAt": "yesterday"}`, "startedAt"},
		{"bad command time", `{"schemaVersion": "labcheck.report/v2", "steps": [{"commands": [{"startedAt": "soon"}]}]}`, "commands[].startedAt"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadJSON(strings.NewReader(tc.in))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("ReadJSON error = %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

func TestMsRoundsToNearest(t *testing.T) {
	tests := []struct {
		name string
		in   int64 // microseconds
		want int64
	}{
		{"zero", 0, 0},
		{"below half", 400, 0},
		{"half and above", 600, 1},
		{"seconds", 2_300_000, 2300},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := ms(time.Duration(tc.in) * time.Microsecond); got != tc.want {
				t.Errorf("ms(%dµs) = %d, want %d", tc.in, got, tc.want)
			}
		})
	}
}
