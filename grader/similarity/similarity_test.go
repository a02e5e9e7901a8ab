package similarity

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/labcheck/labcheck/grader/lab"
	"github.com/labcheck/labcheck/grader/report"
)

func TestClassify(t *testing.T) {
	tests := []struct {
		name string
		word string
		want Kind // "" for not a value
	}{
		{name: "node ID", word: "m8w3d6nos5nv2eqmkf28xm4up", want: KindSwarmID},
		{name: "short task ID", word: "l02rxnszik75", want: KindSwarmID},
		{name: "short container ID", word: "61e10de84f11", want: KindContainerID},
		{name: "full container ID", word: "61e10de84f11832ea24fd3807b6376556e416730a4f4331e28c4139139975cc4", want: KindContainerID},
		{name: "a word of 12 letters", word: "availability"},
		{name: "a number of 12 digits", word: "202612020133"},
		{name: "upper case is not docker's", word: "M8W3D6NOS5NV2EQMKF28XM4UP"},
		{name: "13 characters", word: "l02rxnszik75a"},
		{name: "hostname", word: "node1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := classify(tc.word)
			assert.Equal(t, tc.want != "", ok)
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestExtractValues(t *testing.T) {
	tests := []struct {
		name  string
		lines []string
		want  []Value
	}{
		{
			name: "full and short forms are one value, on the lines of both",
			lines: []string{
				"$ docker service create --name sleep-app ubuntu sleep infinity",
				"ptyp4pm0jk525mrbmvcot7qcy",
				"ptyp4pm0jk52        sleep-app           replicated          1/1",
			},
			want: []Value{{Kind: KindSwarmID, Text: "ptyp4pm0jk525mrbmvcot7qcy", Lines: []int{2, 3}}},
		},
		{
			name:  "a join token, and the address beside it is not a value",
			lines: []string{"    docker swarm join --token SWMTKN-1-82h3ilm92ifjtvyed99w3dmrufrjq3n1h7upgrlaaz3cvpr4m9-8uvbiswxzzdo7enjhjvhxb2mx 192.168.0.18:2377"},
			want:  []Value{{Kind: KindJoinToken, Text: "SWMTKN-1-82h3ilm92ifjtvyed99w3dmrufrjq3n1h7upgrlaaz3cvpr4m9-8uvbiswxzzdo7enjhjvhxb2mx", Lines: []int{1}}},
		},
		{
			name: "layer IDs and digests are the image's",
			lines: []string{
				"d51af753c3d3: Pull complete",
				"Digest: sha256:747d2dbbaaee995098c9792d99bd333c6783ce56150d1b11e333bbceed5c54d7",
			},
		},
		{
			name:  "a token cut by a typescript's reverse video is whole again",
			lines: []string{"# \x1b[7mdocker swarm join --token SWMTKN-1-0okm9ijn8u\x1b[27m\x1b[7mhb7ygv-gv5rfc4edx3\x1b[27m 192.168.0.61:2377\r"},
			want:  []Value{{Kind: KindJoinToken, Text: "SWMTKN-1-0okm9ijn8uhb7ygv-gv5rfc4edx3", Lines: []int{1}}},
		},
		{
			name:  "a cast's escaped line breaks keep values apart",
			lines: []string{`[74.463,"o","NAMES\r\nba212ec97865        ubuntu:latest\r\n"]`},
			want:  []Value{{Kind: KindContainerID, Text: "ba212ec97865", Lines: []int{1}}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, extractValues(tc.lines))
		})
	}
}

func TestWinnowKeepsAPassageBothTextsShare(t *testing.T) {
	shared := "docker node update --availability drain node2 then docker service ps sleep-app shows the tasks moved to node1 and node3 at once"
	a := tokens([]string{"alice wrote this first line of her own", shared, "and her closing words"})
	b := tokens([]string{"bob opened otherwise", "with more prose of his", shared})
	k, w := 5, 4
	require.GreaterOrEqual(t, len(tokens([]string{shared})), k+w-1, "the passage is long enough to be guaranteed")
	fa, fb := map[uint64]bool{}, map[uint64]bool{}
	for _, f := range winnow(a, k, w) {
		fa[f.Hash] = true
	}
	common := 0
	for _, f := range winnow(b, k, w) {
		fb[f.Hash] = true
		if fa[f.Hash] {
			common++
		}
	}
	assert.Positive(t, common)
	assert.Empty(t, winnow(tokens([]string{"too short"}), k, w))
}

func TestFind(t *testing.T) {
	orig := `student: Ana
$ docker swarm init
Swarm initialized: current node (m8w3d6nos5nv2eqmkf28xm4up) is now a manager.
    docker swarm join --token SWMTKN-1-82h3ilm92ifjtvyed99w3dmrufrjq3n1h7upgrlaaz3cvpr4m9-8uvbiswxzzdo7enjhjvhxb2mx 192.168.0.18:2377
$ docker service create --name sleep-app ubuntu sleep infinity
ptyp4pm0jk525mrbmvcot7qcy
`
	copied := strings.Replace(orig, "student: Ana", "student: Bea\nI did it all myself.", 1)
	other := `student: Cy
$ docker swarm init
Swarm initialized: current node (z1ne13tnhvrzyo1ez0a3n8gwb) is now a manager.
    docker swarm join --token SWMTKN-1-9qq3ilm92ifjtvyed99w3dmrufrjq3n1h7upgrlaaz3cvpr4m9-8uvbiswxzzdo7enjhjvhxb2mx 192.168.0.9:2377
`
	opts := Options{}
	pr := NewProfiler(opts)
	ps := []Profile{
		pr.Profile("bea", "bea.txt", []byte(copied)),
		pr.Profile("ana", "ana.txt", []byte(orig)),
		pr.Profile("cy", "cy.txt", []byte(other)),
	}
	pairs := Find(ps, opts)
	require.Len(t, pairs, 1)
	p := pairs[0]
	assert.Equal(t, "ana", p.A, "keys in order")
	assert.Equal(t, "bea", p.B)
	assert.Equal(t, "ana.txt", p.SourceA)
	assert.Equal(t, []report.SharedValue{
		{Kind: "swarm ID", Text: "m8w3d6nos5nv2eqmkf28xm4up", LinesA: []int{3}, LinesB: []int{4}},
		{Kind: "join token", Text: "SWMTKN-1-82h3ilm92ifjtvyed99w3dmrufrjq3n1h7upgrlaaz3cvpr4m9-8uvbiswxzzdo7enjhjvhxb2mx", LinesA: []int{4}, LinesB: []int{5}},
		{Kind: "swarm ID", Text: "ptyp4pm0jk525mrbmvcot7qcy", LinesA: []int{6}, LinesB: []int{7}},
	}, p.Values)
	assert.Equal(t, "ana and bea: share 3 values that only one swarm produces (1 join token, 2 swarm IDs)", p.Summary())

	t.Run("values in the base never count", func(t *testing.T) {
		based := NewProfiler(Options{Base: []string{orig}})
		assert.Empty(t, Find([]Profile{
			based.Profile("bea", "bea.txt", []byte(copied)),
			based.Profile("ana", "ana.txt", []byte(orig)),
		}, opts))
	})
	t.Run("one shared value is not enough by default", func(t *testing.T) {
		one := pr.Profile("dee", "dee.txt", []byte("$ docker ps\nptyp4pm0jk52   ubuntu\n"))
		assert.Len(t, Find([]Profile{ps[1], ps[2], one}, opts), 0)
		assert.Len(t, Find([]Profile{ps[1], ps[2], one}, Options{MinValues: 1}), 1)
	})
}

// corpusPairs are every pair the corpus must show, and why: the copies
// made for this test, and two pairs of recordings that
// internal/gen/recordings makes from one invented swarm each (clusterB and
// clusterC in its sessions.go), which are exactly what the detector is for.
var corpusPairs = map[[2]string]string{
	{"copied-pwd.txt", "full-lab-pwd.txt"}:                 "values",
	{"copied-hostname.md", "drain-by-hostname.md"}:         "values",
	{"copied-ids-edited.txt", "drain-by-id.txt"}:           "text",
	{"cast-ssh.cast", "typescript-appended.log"}:           "values",
	{"cast-scaled-to-6.cast", "typescript-no-cleanup.log"}: "values",
}

func TestCorpusPairs(t *testing.T) {
	const dir = "../../testdata/submissions"
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	l, err := lab.Get("orchestration")
	require.NoError(t, err)
	opts := Options{Base: []string{BaseFromLab(l)}}
	pr := NewProfiler(opts)
	var ps []Profile
	for _, e := range entries {
		n := e.Name()
		if strings.HasSuffix(n, ".expected.yaml") || n == "README.md" {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, n))
		require.NoError(t, err)
		ps = append(ps, pr.Profile(n, n, data))
	}
	require.GreaterOrEqual(t, len(ps), 40)

	found := map[[2]string]report.Pair{}
	for _, p := range Find(ps, opts) {
		k := [2]string{p.A, p.B}
		_, want := corpusPairs[k]
		assert.True(t, want, "independent submissions paired: %s", p.Summary())
		found[k] = p
	}
	for k, by := range corpusPairs {
		p, ok := found[k]
		if !assert.True(t, ok, "%s and %s are not paired", k[0], k[1]) {
			continue
		}
		switch by {
		case "values":
			assert.GreaterOrEqual(t, len(p.Values), 10, p.Summary())
		case "text":
			assert.Empty(t, p.Values, "every ID of the copy was edited")
			assert.GreaterOrEqual(t, p.Overlap, DefaultMinOverlap, p.Summary())
			assert.NotEmpty(t, p.LinesA)
			assert.NotEmpty(t, p.LinesB)
		}
	}
}
