#!/bin/sh
# labcheck node entrypoint: give the inner dockerd cgroups of its own, then
# exec dockerd with the arguments labcheck passed.
#
# cgroup v1 with a private cgroup namespace: the controller mounts inherited
# from the image show the host's hierarchy paths; remounting each controller
# inside the namespace roots it at this node's own cgroup, so nothing of the
# host's tree (release_agent included) is reachable from the node.
# cgroup v2: move our own processes into a child cgroup and enable every
# controller for the subtree, as the official dind image does.
set -eu

if [ -f /sys/fs/cgroup/cgroup.controllers ]; then
	mkdir -p /sys/fs/cgroup/init
	xargs -rn1 < /sys/fs/cgroup/cgroup.procs > /sys/fs/cgroup/init/cgroup.procs 2>/dev/null || :
	sed -e 's/ / +/g' -e 's/^/+/' < /sys/fs/cgroup/cgroup.controllers \
		> /sys/fs/cgroup/cgroup.subtree_control 2>/dev/null || :
elif [ -d /sys/fs/cgroup ]; then
	# Remount every cgroup v1 hierarchy with the options it has (co-mounted
	# controllers such as cpu,cpuacct stay together).
	awk '$3 == "cgroup" {print $2, $4}' /proc/self/mounts > /tmp/labcheck-cgroups
	while read -r dir opts; do
		keep=$(echo "$opts" | tr , '\n' | grep -Ev '^(rw|ro|relatime|noatime|nosuid|nodev|noexec)$' | paste -sd, -)
		umount "$dir" 2>/dev/null || :
		mount -t cgroup -o "$keep" cgroup "$dir" || echo "labcheck-node: cannot remount $dir ($keep)" >&2
	done < /tmp/labcheck-cgroups
	rm -f /tmp/labcheck-cgroups
fi

exec dockerd "$@"
