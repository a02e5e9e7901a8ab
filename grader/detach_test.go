package grader

import "testing"

func TestDetach(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"create", "docker service create --name sleep-app ubuntu sleep infinity", "docker service create --detach --name sleep-app ubuntu sleep infinity"},
		{"update", "docker service update --replicas 7 sleep-app", "docker service update --detach --replicas 7 sleep-app"},
		{"scale", "docker service scale sleep-app=7", "docker service scale --detach sleep-app=7"},
		{"already detached", "docker service create -d --name x ubuntu", "docker service create -d --name x ubuntu"},
		{"detach=false kept", "docker service update --detach=false --replicas 2 x", "docker service update --detach=false --replicas 2 x"},
		{"not a service verb", "docker service ls", "docker service ls"},
		{"not docker service", "docker run -d ubuntu", "docker run -d ubuntu"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := detach(tt.in); got != tt.want {
				t.Errorf("detach(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
