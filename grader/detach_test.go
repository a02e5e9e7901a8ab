package grader

import "testing"

func TestDetach(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"create", "docker service create --name sleep-app ubuntu sleep infinity", "docker service create --detach --no-resolve-image --name sleep-app ubuntu sleep infinity"},
		{"update", "docker service update --replicas 7 sleep-app", "docker service update --detach --replicas 7 sleep-app"},
		{"scale", "docker service scale sleep-app=7", "docker service scale --detach sleep-app=7"},
		{"rollback", "docker service rollback sleep-app", "docker service rollback --detach sleep-app"},
		{"already detached", "docker service create -d --name x ubuntu", "docker service create --no-resolve-image -d --name x ubuntu"},
		{"detached in a cluster of short flags", "docker service create -dt --name x ubuntu", "docker service create --no-resolve-image -dt --name x ubuntu"},
		{"detach=false kept", "docker service update --detach=false --replicas 2 x", "docker service update --detach=false --replicas 2 x"},
		{"detach after the arguments", "docker service scale sleep-app=7 --detach", "docker service scale sleep-app=7 --detach"},
		{"not a service verb", "docker service ls", "docker service ls"},
		{"not docker service", "docker run -d ubuntu", "docker run -d ubuntu"},
		{"global flag with a separate value", "docker -l error service create --name x ubuntu", "docker -l error service create --detach --no-resolve-image --name x ubuntu"},
		{"global flag with an inline value", "docker --log-level=error service update --replicas 7 sleep-app", "docker --log-level=error service update --detach --replicas 7 sleep-app"},
		{"second command of an and list", "docker service rm a && docker service create --name sleep-app ubuntu sleep infinity",
			"docker service rm a && docker service create --detach --no-resolve-image --name sleep-app ubuntu sleep infinity"},
		{"both commands of a list", "docker service scale a=2; docker service update --replicas 3 b",
			"docker service scale --detach a=2; docker service update --detach --replicas 3 b"},
		{"-d of the container's command is not docker's", "docker service create --name x ubuntu sleep -d", "docker service create --detach --no-resolve-image --name x ubuntu sleep -d"},
		{"inside a substitution", "docker service ps $(docker service create -q --name x ubuntu)", "docker service ps $(docker service create --detach --no-resolve-image -q --name x ubuntu)"},
		{"quoted path words", `docker "service" 'update' --replicas 2 x`, `docker "service" 'update' --detach --replicas 2 x`},
		{"continuation line", "docker service create \\\n  --name x ubuntu", "docker service create --detach --no-resolve-image \\\n  --name x ubuntu"},
		{"update with a new image", "docker service update --image ubuntu:22.04 x", "docker service update --detach --no-resolve-image --image ubuntu:22.04 x"},
		{"update without an image keeps resolving nothing", "docker service update --replicas 2 x", "docker service update --detach --replicas 2 x"},
		{"no-resolve-image already given", "docker service create --no-resolve-image --name x ubuntu", "docker service create --detach --no-resolve-image --name x ubuntu"},
		{"scale resolves no image", "docker service scale x=3", "docker service scale --detach x=3"},
		{"not a docker command", "echo docker service create", "echo docker service create"},
		{"not valid shell", "docker service create 'x", "docker service create 'x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := detach(tt.in); got != tt.want {
				t.Errorf("detach(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
