#!/usr/bin/env bash
# setup.sh: Gradescope runs this once, as root, when it builds the
# autograder image (Ubuntu). It installs labcheck and what labcheck needs on
# the client side; the Docker engine the clusters run on is not here (see
# README.md: Gradescope does not provide one).
set -euo pipefail
src=${AUTOGRADER_ROOT:-/autograder}/source
export DEBIAN_FRONTEND=noninteractive

# busybox-static and tini make the stand-in for the lab's ubuntu image when
# the engine lacks the real one; labcheck builds it here and sends it to the
# engine.
apt-get update -qq
apt-get install -y -qq --no-install-recommends ca-certificates curl busybox-static tini

if [ -x "$src/labcheck" ]; then
	# The usual way: a linux/amd64 binary built by the instructor and put
	# in the bundle next to this script.
	install -m 0755 "$src/labcheck" /usr/local/bin/labcheck
else
	# Else build it from source with the Go toolchain from go.dev.
	go_version=${GO_VERSION:-1.26.8}
	curl -fsSL "https://go.dev/dl/go${go_version}.linux-amd64.tar.gz" | tar -C /usr/local -xz
	GOBIN=/usr/local/bin /usr/local/go/bin/go install \
		"github.com/labcheck/labcheck/cmd/labcheck@${LABCHECK_VERSION:-latest}"
fi
labcheck version
