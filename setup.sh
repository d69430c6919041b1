#!/bin/bash
# Install every Debian package svmatomic needs to build, test, and run its
# kernels under qemu.  Idempotent: does nothing when all are installed.
# As root it runs apt-get itself; otherwise it uses sudo when it can, and
# else prints the exact commands to run.
#
# The mainline kernel source, linux-source-7.3, is not in Debian 12: it
# comes from trixie-backports, which setup.sh adds as an apt source with a
# pin that lets apt take that one package from it and nothing else
# (docs/DECISIONS.md, "The mainline base from trixie-backports").
set -euo pipefail

# The suite the mainline source comes from, and the files that add it.
backports=trixie-backports
backports_list=/etc/apt/sources.list.d/svmatomic-$backports.sources
backports_pin=/etc/apt/preferences.d/svmatomic-$backports
# Taken from $backports; everything else there is pinned away.
from_backports=(linux-source-7.3)

packages=(
	# build the library
	build-essential autoconf automake libtool pkg-config libdrm-dev check
	# build the kernel (git: vm/prepare-source keeps the tree in git;
	# rsync: "make headers_install" for the selftests)
	linux-source-6.12 linux-source-7.3 bc flex bison libelf-dev libssl-dev cpio dwarves git rsync
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

# apt's view of $backports: the source and the pin, as setup.sh writes them.
write_backports() {
	local pkgs=${from_backports[*]}
	cat <<-EOT >"$1"
	# Added by svmatomic's setup.sh: the mainline kernel source.
	# The pin in $backports_pin takes ${pkgs} from here, nothing else.
	Types: deb
	URIs: http://deb.debian.org/debian
	Suites: $backports
	Components: main
	Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
	EOT
	cat <<-EOT >"$2"
	# Added by svmatomic's setup.sh: from $backports, only ${pkgs}.
	Package: *
	Pin: release n=$backports
	Pin-Priority: -1

	Package: ${pkgs}
	Pin: release n=$backports
	Pin-Priority: 500
	EOT
}

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

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
write_backports "$tmp/sources" "$tmp/pin"
add_backports=0
if ! cmp -s "$tmp/sources" "$backports_list" || ! cmp -s "$tmp/pin" "$backports_pin"; then
	add_backports=1
fi

echo "setup.sh: installing ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then
	sudo=()
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
	sudo=(sudo)
else
	echo "setup.sh: not root; run this, then run setup.sh again:" >&2
	if [ $add_backports = 1 ]; then
		echo "  sudo cp $tmp/sources $backports_list   # (kept until setup.sh exits; see setup.sh)" >&2
		echo "  sudo cp $tmp/pin $backports_pin" >&2
		trap - EXIT
	fi
	echo "  sudo sh -c 'apt-get update && apt-get install -y ${missing[*]}'" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
if [ $add_backports = 1 ]; then
	echo "setup.sh: adding $backports_list and $backports_pin (${from_backports[*]} from $backports, nothing else)"
	"${sudo[@]}" install -m 644 "$tmp/sources" "$backports_list"
	"${sudo[@]}" install -m 644 "$tmp/pin" "$backports_pin"
fi
"${sudo[@]}" apt-get update
# The pin holds: apt would take nothing but ${from_backports[*]} from
# $backports, neither for what is installed nor for what is missing.
leak=$(apt-get -s -o Debug::NoLocking=1 install --no-install-recommends "${missing[@]}" 2>/dev/null |
	sed -n "s/^Inst \([^ ]*\) .*$backports.*/\1/p" | grep -vxF -f <(printf '%s\n' "${from_backports[@]}") || true)
leak+=$(apt-get -s -o Debug::NoLocking=1 upgrade 2>/dev/null | sed -n "s/^Inst \([^ ]*\) .*$backports.*/ \1/p" || true)
if [ -n "$leak" ]; then
	echo "setup.sh: apt would take these from $backports too, which the pin must prevent: $leak" >&2
	echo "setup.sh: see $backports_pin and 'apt-cache policy'; nothing was installed" >&2
	exit 1
fi
"${sudo[@]}" apt-get install -y --no-install-recommends "${missing[@]}"
