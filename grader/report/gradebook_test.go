package report

import (
	"bytes"
	"encoding/csv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWriteGradebook(t *testing.T) {
	reps := []*Report{
		{
			Subject: "alice", Claimed: `=HYPERLINK("http://evil.example/x","bob")`, Source: "subs/alice.txt",
			Completed: true, Score: 10, MaxScore: 20,
			Items: []Item{{ID: "swarm-formed", Awarded: 10}, {ID: "scaled-up", Awarded: 0}},
		},
		{
			Subject: "bob", Claimed: "alice", Source: "subs/bob.txt",
			Completed: true, Score: 20, MaxScore: 20,
			Items: []Item{{ID: "swarm-formed", Awarded: 10, CheckByHand: "recorded failure, replay success"}, {ID: "scaled-up", Awarded: 10}},
			Steps: []Step{{Commands: []Command{{Evidence: &Evidence{Image: "a.png", CheckByHand: true}}, {Evidence: &Evidence{Image: "b.png"}}}}},
		},
		{Subject: "carol", Source: "-carol.md", MaxScore: 20},
	}
	var buf bytes.Buffer
	require.NoError(t, WriteGradebook(&buf, reps))
	recs, err := csv.NewReader(&buf).ReadAll()
	require.NoError(t, err)
	assert.Equal(t, [][]string{
		{"student", "claimed", "source", "score", "max", "completed", "check_by_hand", "swarm-formed", "scaled-up"},
		{"alice", `'=HYPERLINK("http://evil.example/x","bob")`, "subs/alice.txt", "10", "20", "true", "0", "10", "0"},
		{"bob", "alice", "subs/bob.txt", "20", "20", "true", "2", "10", "10"},
		{"carol", "", "'-carol.md", "0", "20", "false", "0", "0", "0"},
	}, recs)
	var sum bytes.Buffer
	require.NoError(t, WriteSummary(&sum, reps))
	assert.Contains(t, sum.String(), "To check by hand")
	assert.Contains(t, sum.String(), "  bob: 2\n", "the summary counts the lines to check by hand per student")
}
