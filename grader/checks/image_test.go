package checks

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestSameImage(t *testing.T) {
	tests := []struct {
		name string
		a, b string
		want bool
	}{
		{name: "short and tagged", a: "ubuntu", b: "ubuntu:latest", want: true},
		{name: "fully qualified", a: "ubuntu", b: "docker.io/library/ubuntu:latest", want: true},
		{name: "index host", a: "index.docker.io/library/ubuntu", b: "ubuntu", want: true},
		{name: "digest ignored", a: "ubuntu", b: "ubuntu:latest@sha256:80dd3c3b9c6cecb9f1667e9290b3bc61b78c2678c02cbdae5f0fea92cc6734ab", want: true},
		{name: "other tag", a: "ubuntu", b: "ubuntu:22.04", want: false},
		{name: "other image", a: "ubuntu", b: "nginx", want: false},
		{name: "user repo", a: "alice/app", b: "docker.io/alice/app:latest", want: true},
		{name: "private registry keeps its host", a: "registry.local:5000/ubuntu", b: "ubuntu", want: false},
		{name: "registry port is not a tag", a: "localhost:5000/app", b: "localhost:5000/app:latest", want: true},
		{name: "image id never matches a name", a: "ubuntu", b: "sha256:27941809078c", want: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, sameImage(tt.a, tt.b))
			assert.Equal(t, tt.want, sameImage(tt.b, tt.a))
		})
	}
}
