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

# A node that mounts the node image's /usr from labcheck's shared volume
# starts only if that copy is whole.
if [ -n "${LABCHECK_USR_VOLUME:-}" ] && [ ! -e /usr/.labcheck-usr-complete ]; then
	echo "labcheck-node: volume $LABCHECK_USR_VOLUME (the node image's /usr) is incomplete; \`labcheck clean --all\` removes it and the next run copies it again" >&2
	exit 1
fi

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

# Everything the inner dockerd starts goes under one cgroup with its own
# budget (LABCHECK_INNER_PIDS, _MEMORY bytes, _CPU_QUOTA microseconds per
# 100 ms), smaller than the node's: a fork bomb or a memory hog in a lab
# container hits that budget, and dockerd, containerd and the swarm agent
# keep room to work (and to kill it).
inner=labcheck-inner
made=
if [ -f /sys/fs/cgroup/cgroup.controllers ]; then
	if mkdir -p /sys/fs/cgroup/$inner 2>/dev/null; then
		made=1
		sed -e 's/ / +/g' -e 's/^/+/' < /sys/fs/cgroup/cgroup.controllers \
			> /sys/fs/cgroup/$inner/cgroup.subtree_control 2>/dev/null || :
		[ -n "${LABCHECK_INNER_PIDS:-}" ] && echo "$LABCHECK_INNER_PIDS" > /sys/fs/cgroup/$inner/pids.max
		[ -n "${LABCHECK_INNER_MEMORY:-}" ] && echo "$LABCHECK_INNER_MEMORY" > /sys/fs/cgroup/$inner/memory.max
		[ -n "${LABCHECK_INNER_CPU_QUOTA:-}" ] && echo "$LABCHECK_INNER_CPU_QUOTA 100000" > /sys/fs/cgroup/$inner/cpu.max
	fi
else
	for ctl in pids memory cpu; do
		[ -d /sys/fs/cgroup/$ctl ] && mkdir -p /sys/fs/cgroup/$ctl/$inner && made=1
	done
	if [ -n "$made" ]; then
		[ -n "${LABCHECK_INNER_PIDS:-}" ] && echo "$LABCHECK_INNER_PIDS" > /sys/fs/cgroup/pids/$inner/pids.max
		[ -n "${LABCHECK_INNER_MEMORY:-}" ] && echo "$LABCHECK_INNER_MEMORY" > /sys/fs/cgroup/memory/$inner/memory.limit_in_bytes
		if [ -n "${LABCHECK_INNER_CPU_QUOTA:-}" ]; then
			echo 100000 > /sys/fs/cgroup/cpu/$inner/cpu.cfs_period_us
			echo "$LABCHECK_INNER_CPU_QUOTA" > /sys/fs/cgroup/cpu/$inner/cpu.cfs_quota_us
		fi
	fi
fi
if [ -n "$made" ]; then
	set -- --cgroup-parent=/$inner "$@"
else
	echo "labcheck-node: no cgroup of its own for lab containers; they share the node's limits" >&2
fi

exec dockerd "$@"
