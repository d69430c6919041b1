#!/bin/bash
# Install every Debian package svmatomic needs to build, test, and run its
# kernel under qemu.  Idempotent: does nothing when all are installed.
# As root it runs apt-get itself; otherwise it uses sudo when it can, and
# else prints the exact command to run.
set -euo pipefail

packages=(
	# build the library
	build-essential autoconf automake libtool pkg-config libdrm-dev check
	# build the kernel (git: vm/prepare-source keeps the tree in git;
	# rsync: "make headers_install" for the selftests)
	linux-source-6.12 bc flex bison libelf-dev libssl-dev cpio dwarves git rsync
	# run it
	qemu-system-x86 busybox-static
	# test tools (python3-ply and python3-git: checkpatch's SPDX check)
	valgrind shellcheck groff-base python3-ply python3-git
	# benchmarks (make bench draws its plot with gnuplot)
	gnuplot-nox
)

if ! command -v dpkg-query >/dev/null || ! command -v apt-get >/dev/null; then
	echo "setup.sh: this is not a Debian system; install the equivalents of: ${packages[*]}" >&2
	exit 1
fi

missing=()
for p in "${packages[@]}"; do
	if [ "$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null)" != installed ]; then
		missing+=("$p")
	fi
done
if [ ${#missing[@]} -eq 0 ]; then
	echo "setup.sh: all ${#packages[@]} packages are installed"
	exit 0
fi

echo "setup.sh: installing ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then
	sudo=()
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
	sudo=(sudo)
else
	echo "setup.sh: not root; run this, then run setup.sh again:" >&2
	echo "  sudo sh -c 'apt-get update && apt-get install -y ${missing[*]}'" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update
"${sudo[@]}" apt-get install -y --no-install-recommends "${missing[@]}"
