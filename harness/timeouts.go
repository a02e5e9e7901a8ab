package harness

import "time"

// Every wait labcheck does has a named bound here, so none hides in code:
// the harness's own, and the grader's presets built on them.
const (
	// NodeStartTimeout bounds a node's inner dockerd coming up.
	NodeStartTimeout = 60 * time.Second
	// SettleTimeout bounds the wait for the swarm to converge after a
	// command (tasks reach their desired state, stopped containers go).
	SettleTimeout = 45 * time.Second
	// NodeDownTimeout bounds the wait for managers to report a lost node
	// as down and reschedule its tasks.
	NodeDownTimeout = 90 * time.Second
	// CommandTimeout is the default bound on one command run in a node, a
	// lab's reference command or a student's (`--command-timeout`): every
	// command of a lab returns in seconds (service commands run detached),
	// so one still running after this is a loop or a foreground container.
	CommandTimeout = 30 * time.Second
	// CleanupTimeout bounds removing a cluster's containers and network.
	CleanupTimeout = 60 * time.Second
	// ImageBuildTimeout bounds building the node image from Debian packages.
	ImageBuildTimeout = 15 * time.Minute

	// ReplayTimeout bounds one submission's whole replay
	// (`--replay-timeout`), as a deadline on its context.
	ReplayTimeout = 10 * time.Minute
	// VerifySettleTimeout bounds how long `labcheck verify` waits for a
	// live swarm to settle before judging it as it then is. A drain with
	// the real ubuntu image needs the 10 s stop grace period; a service
	// stuck pending never settles.
	VerifySettleTimeout = 30 * time.Second

	// PollDelay is the pause between two looks at a converging cluster.
	PollDelay = 100 * time.Millisecond
)

// Bounds of single engine calls inside the waits above.
const (
	// observeTimeout bounds one look at one node, so a frozen or
	// partitioned node makes that node unreachable in the state instead of
	// hanging the whole observation.
	observeTimeout = 5 * time.Second
	// daemonPingTimeout bounds one version call to a starting inner
	// dockerd, so a daemon that accepted the connection but hangs is
	// asked again rather than waited on until NodeStartTimeout.
	daemonPingTimeout = 2 * time.Second
	// daemonPollDelay is shorter than PollDelay: an inner dockerd comes up
	// in well under a second, and every node start waits on it.
	daemonPollDelay = 50 * time.Millisecond
	// execGrace is how long after a command's own timeout (enforced by
	// timeout(1) in the node) labcheck stops waiting for its stream.
	execGrace = 5 * time.Second
	// nodeStopGrace is the stop signal's grace period for a node container
	// (StopNode), as `docker stop` gives: its dockerd leaves cleanly.
	nodeStopGrace = 10 * time.Second
)
