package writeup

import "strings"

// The docker CLI words a Docker Swarm lab types, which OCR text is snapped
// to. It is the grammar as a reader of screenshots needs it (what a word
// could have been), not the policy's model of what a command does: that
// stays in grader/submission, which reads the corrected text as it reads
// any transcript.
var (
	// dockerCommands are the top-level words after "docker"; the ones with
	// subcommands map to them.
	dockerCommands = map[string][]string{
		"swarm":     {"init", "join", "join-token", "leave", "update", "unlock", "unlock-key", "ca"},
		"node":      {"ls", "ps", "inspect", "update", "rm", "promote", "demote"},
		"service":   {"create", "ls", "ps", "inspect", "update", "rm", "scale", "logs", "rollback"},
		"container": {"ls", "run", "rm", "stop", "kill", "inspect", "logs", "exec", "prune"},
		"network":   {"ls", "create", "rm", "inspect", "prune", "connect", "disconnect"},
		"volume":    {"ls", "create", "rm", "inspect", "prune"},
		"image":     {"ls", "rm", "pull", "inspect", "prune"},
		"stack":     {"deploy", "ls", "ps", "rm", "services"},
		"system":    {"info", "df", "prune"},
		"run":       nil, "ps": nil, "info": nil, "version": nil, "kill": nil, "rm": nil,
		"stop": nil, "start": nil, "exec": nil, "logs": nil, "inspect": nil, "images": nil,
		"pull": nil, "rmi": nil, "restart": nil, "create": nil, "top": nil, "stats": nil,
	}
	// dockerFlags are the flags each command path knows, long and short.
	dockerFlags = map[string][]string{
		"swarm init":       {"--advertise-addr", "--listen-addr", "--force-new-cluster", "--autolock", "--data-path-addr", "--default-addr-pool"},
		"swarm join":       {"--token", "--advertise-addr", "--listen-addr", "--availability"},
		"swarm leave":      {"--force", "-f"},
		"swarm join-token": {"--quiet", "-q", "--rotate"},
		"node ls":          {"--filter", "-f", "--format", "--quiet", "-q"},
		"node ps":          {"--filter", "-f", "--format", "--no-resolve", "--no-trunc", "--quiet", "-q"},
		"node update":      {"--availability", "--role", "--label-add", "--label-rm"},
		"node inspect":     {"--pretty", "--format", "-f"},
		"node rm":          {"--force", "-f"},
		"service create":   {"--name", "--replicas", "--mode", "--publish", "-p", "--env", "-e", "--constraint", "--network", "--detach", "-d", "--mount", "--restart-condition", "--update-delay", "--update-parallelism", "--limit-cpu", "--limit-memory", "--reserve-cpu", "--reserve-memory"},
		"service update":   {"--replicas", "--image", "--force", "--detach", "-d", "--update-delay", "--update-parallelism", "--env-add", "--env-rm", "--constraint-add", "--constraint-rm", "--publish-add", "--publish-rm", "--rollback", "--limit-cpu", "--limit-memory"},
		"service ps":       {"--filter", "-f", "--format", "--no-resolve", "--no-trunc", "--quiet", "-q"},
		"service ls":       {"--filter", "-f", "--format", "--quiet", "-q"},
		"service scale":    {"--detach", "-d"},
		"service logs":     {"--follow", "-f", "--tail", "--timestamps", "-t"},
		"service inspect":  {"--pretty", "--format", "-f"},
		"run":              {"--detach", "-d", "--tty", "-t", "--interactive", "-i", "-dt", "-td", "-it", "-itd", "-dit", "--rm", "--name", "--publish", "-p", "--env", "-e", "--volume", "-v", "--network", "--hostname", "-h", "--restart", "--mount", "--entrypoint"},
		"ps":               {"--all", "-a", "--quiet", "-q", "--filter", "-f", "--format", "--no-trunc", "-aq", "-qa"},
		"rm":               {"--force", "-f", "--volumes", "-v"},
		"kill":             {"--signal", "-s"},
	}
	// commonArgs are argument words the lab's commands use, which OCR
	// bends like any other word.
	commonArgs = []string{"ubuntu", "alpine", "busybox", "nginx", "sleep", "infinity", "sleep-app", "drain", "active", "pause", "manager", "worker"}
)

// commandPath is the canonical path of a docker command's words: "service
// create", "ps".
func commandPath(words []string) string {
	if len(words) == 0 {
		return ""
	}
	if len(words) > 1 && len(dockerCommands[words[0]]) > 0 {
		return words[0] + " " + words[1]
	}
	return words[0]
}

// isManagement says whether a docker command takes a subcommand.
func isManagement(w string) bool { return len(dockerCommands[w]) > 0 }

func knownFlag(path, flag string) bool {
	for _, f := range dockerFlags[path] {
		if f == flag {
			return true
		}
	}
	return flag == "--help" || flag == "-h" && !strings.HasPrefix(path, "run")
}
