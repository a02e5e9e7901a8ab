package harness

import "time"

// Every wait the harness does has a named bound here, so none hides in code.
const (
	// NodeStartTimeout bounds a node's inner dockerd coming up.
	NodeStartTimeout = 60 * time.Second
	// SettleTimeout bounds the wait for the swarm to converge after a
	// command (tasks reach their desired state, stopped containers go).
	SettleTimeout = 45 * time.Second
	// NodeDownTimeout bounds the wait for managers to report a lost node
	// as down and reschedule its tasks.
	NodeDownTimeout = 90 * time.Second
	// CommandTimeout is the default bound on one command run in a node.
	CommandTimeout = 60 * time.Second
	// CleanupTimeout bounds removing a cluster's containers and network.
	CleanupTimeout = 60 * time.Second
	// ImageBuildTimeout bounds building the node image from Debian packages.
	ImageBuildTimeout = 15 * time.Minute

	// PollDelay is the pause between two looks at a converging cluster.
	PollDelay = 100 * time.Millisecond
)
