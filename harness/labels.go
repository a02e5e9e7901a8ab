package harness

// Labels put on everything the harness creates, so that `labcheck clean`
// and the stale sweep at start can find it again after any exit.
const (
	// LabelCluster carries the per-cluster session id.
	LabelCluster = "io.labcheck.cluster"
	// LabelNode carries a node container's lab name.
	LabelNode = "io.labcheck.node"
	// LabelOwnerHost, LabelOwnerPID and LabelOwnerStart identify the process
	// that created a cluster; when that process is gone the cluster is stale.
	LabelOwnerHost  = "io.labcheck.owner.host"
	LabelOwnerPID   = "io.labcheck.owner.pid"
	LabelOwnerStart = "io.labcheck.owner.start"
	// LabelImage marks images labcheck built: "node" or "stand-in".
	LabelImage = "io.labcheck.image"
	// LabelStandInFor names the image a stand-in replaces (e.g. "ubuntu").
	LabelStandInFor = "io.labcheck.stand-in-for"
	// LabelBuildOf names the tag a node image was built for, so a build's
	// temporary image can be found (and swept) by what it was meant to be.
	LabelBuildOf = "io.labcheck.build-of"
)
