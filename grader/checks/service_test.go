package checks

import "testing"

func TestServiceExists(t *testing.T) {
	sleepApp := p("service", "sleep-app", "image", "ubuntu", "args", []string{"sleep", "infinity"})
	runEval(t, "service_exists", []evalCase{
		{name: "created", state: "service-created", params: sleepApp, want: Pass, evidence: "sleep-app: ubuntu:latest sleep infinity, replicated 1"},
		{name: "fully qualified image", state: "service-created", params: p("service", "sleep-app", "image", "docker.io/library/ubuntu:latest"), want: Pass},
		{name: "wrong image and args", state: "service-created", params: p("service", "sleep-app", "image", "alpine", "args", []string{"sleep", "100"}, "mode", "global"), want: Fail,
			reason: `service sleep-app: image is ubuntu:latest, want alpine; args are "sleep infinity", want "sleep 100"; mode is replicated, want global`},
		{name: "empty args expected", state: "service-created", params: p("service", "sleep-app", "args", []string{}), want: Fail,
			reason: `service sleep-app: args are "sleep infinity", want empty (the image's default command)`},
		{name: "not created yet", state: "joined", params: sleepApp, want: Fail, reason: "no service sleep-app (the swarm has no services)"},
		{name: "other service", state: "ha-formed", params: sleepApp, want: Fail, reason: "no service sleep-app (services: web)"},
		{name: "no swarm", state: "standalone", params: sleepApp, want: Fail},
	})
}

func TestServiceAbsent(t *testing.T) {
	runEval(t, "service_absent", []evalCase{
		{name: "never created", state: "joined", params: p("service", "sleep-app"), want: Pass, evidence: "no services"},
		{name: "still there", state: "drained", params: p("service", "sleep-app"), want: Fail, reason: "service sleep-app still exists (4 running tasks)"},
		{name: "swarm gone", state: "cleanup", params: p("service", "sleep-app"), want: Pass, evidence: "no swarm, so no service sleep-app"},
		{name: "workers left behind", state: "cleanup-partial", params: p("service", "sleep-app"), want: Pass},
		{name: "manager unreachable", state: "manager-unreachable", params: p("service", "sleep-app"), want: Error},
	})
}
