# shellcheck shell=bash
# shellcheck disable=SC2034 # the variables here are used by the scripts that source this
# Common settings for the vm/ scripts.  Sourced, never run.
#
# Everything expensive (the unpacked kernel source, the kernel builds, the
# hmm-tests binary) lives in one cache directory outside any build tree, so
# that a second checkout, "make distcheck" and CI's clean clone reuse one
# kernel build instead of starting over.
#
# There is one kernel base per directory kernel-patch/BASE/ (6.12, the LTS
# series; 7.3, the mainline one), each with its series file, its Debian
# package linux-source-BASE, and its own part of the cache:
#   CACHE/BASE/linux            the unpacked source, a git tree (tag "base")
#   CACHE/BASE/build/FLAVOUR    one kernel build per flavour
#   CACHE/BASE/selftests        hmm-tests and the series' selftests
# SVMA_KERNEL_BASE picks one (default 6.12); scripts that take --kernel
# call svma_use_base again after reading their options.

set -euo pipefail

SVMA_VM_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SVMA_TOP_DIR=$(cd "$SVMA_VM_DIR/.." && pwd)

: "${SVMA_CACHE_DIR:=${XDG_CACHE_HOME:-${HOME:-/root}/.cache}/svmatomic}"
: "${SVMA_JOBS:=$(nproc 2>/dev/null || echo 2)}"
# The base everything defaults to: the LTS series users run.
SVMA_DEFAULT_BASE=6.12

SVMA_LOCK="$SVMA_CACHE_DIR/lock"
# Set from outside, these win over what svma_use_base derives (bench/run
# --series points SVMA_PATCH_DIR at an older series).
svma_env_patch_dir=${SVMA_PATCH_DIR:-}
svma_env_tarball=${SVMA_KERNEL_TARBALL:-}

# Exit statuses shared by every vm/ script.  Documented in vm/README.
readonly SVMA_EXIT_SKIP=77	# automake "skipped": qemu or kernel source missing
readonly SVMA_EXIT_SETUP=90	# harness error: bad usage, build failed
readonly SVMA_EXIT_NOBOOT=91	# kernel never reached the guest's /init
readonly SVMA_EXIT_PANIC=92	# guest kernel panicked
readonly SVMA_EXIT_OOPS=93	# Oops or BUG: in the kernel log
readonly SVMA_EXIT_KLOG=94	# WARNING, KASAN, lockdep or kmemleak report
readonly SVMA_EXIT_TIMEOUT=95	# guest did not finish within the timeout

svma_log() {
	printf '%s: %s\n' "${0##*/}" "$*" >&2
}

svma_die() {
	local status=$1
	shift
	svma_log "$*"
	exit "$status"
}

# The kernel bases this checkout has a series for, in version order.
svma_bases() {
	local d
	for d in "$SVMA_TOP_DIR"/kernel-patch/*/series; do
		[ -f "$d" ] || continue
		d=${d%/series}
		echo "${d##*/}"
	done | sort -V
}

# Make BASE the kernel base of the calling script: where its series, its
# Debian source tarball and its part of the cache are.
svma_use_base() {
	local base=$1
	case $base in
	''|*[!0-9.]*|.*|*.) base=invalid ;;
	esac
	if [ ! -f "$SVMA_TOP_DIR/kernel-patch/$base/series" ]; then
		svma_die $SVMA_EXIT_SETUP "unknown kernel base '$1' (want one of: $(svma_bases | tr '\n' ' '))"
	fi
	SVMA_KERNEL_BASE=$base
	SVMA_KERNEL_PACKAGE=linux-source-$base
	SVMA_KERNEL_TARBALL=${svma_env_tarball:-/usr/src/$SVMA_KERNEL_PACKAGE.tar.xz}
	SVMA_PATCH_DIR=${svma_env_patch_dir:-$SVMA_TOP_DIR/kernel-patch/$base}
	SVMA_BASE_DIR=$SVMA_CACHE_DIR/$base
	SVMA_SRC=$SVMA_BASE_DIR/linux
	export SVMA_KERNEL_BASE
}

# "--kernel BASE" as a script's first arguments: make BASE the base and
# succeed, for the caller to shift them off. Fails, changing nothing, when
# the first argument is something else.
svma_kernel_option() {
	[ "${1:-}" = --kernel ] || return 1
	svma_use_base "${2:?--kernel wants a base}"
}

svma_check_flavour() {
	case $1 in
	default|distro|debug) ;;
	*) svma_die $SVMA_EXIT_SETUP "unknown kernel flavour '$1' (want default, distro or debug)" ;;
	esac
}

svma_build_dir() {
	printf '%s/build/%s\n' "$SVMA_BASE_DIR" "$1"
}

# Hold the cache lock for the rest of the calling script: two builds in
# one tree would corrupt it, and parallel "make check" jobs all ask for one.
svma_lock_cache() {
	mkdir -p "$SVMA_CACHE_DIR"
	exec 9>"$SVMA_LOCK"
	if ! flock -n 9; then
		svma_log "waiting for another build to release $SVMA_LOCK"
		flock 9
	fi
}

# The kernel version ("6.12.118") a top-level kernel Makefile on stdin
# names: the tarball's name does not carry the point release.  Reads to
# the end, so that a pipe into it never breaks (pipefail).
svma_makefile_version() {
	awk -F' *= *' '$1 == "VERSION" && !v { v = $2 }
		$1 == "PATCHLEVEL" && !p { p = $2 } $1 == "SUBLEVEL" && !s { s = $2 }
		END { print v "." p "." s }'
}

# The kernel version of an unpacked source tree.
svma_tree_version() {
	svma_makefile_version <"$1/Makefile"
}

# The version the series was tested on, from kernel-patch/BASE/series'
# "# Base: ... i.e. Linux X.Y.Z." line.
svma_series_base() {
	sed -n 's/^# Base: .*Linux \([0-9][0-9.]*[0-9]\)\.$/\1/p' \
		"$SVMA_PATCH_DIR/series" 2>/dev/null | head -n1
}

# Say plainly, on stderr, when the unpacked source is not the base the
# series names: Debian moves linux-source-6.12 to each new point release,
# and a patch that still applies may no longer do what it did (vm/README,
# "When Debian moves the base").  A warning, not a failure: the tests
# decide whether the series still works there.
svma_check_base() {
	local have want
	have=$(svma_tree_version "$SVMA_SRC")
	want=$(svma_series_base)
	[ -n "$have" ] && [ "$have" = "$want" ] && return 0
	svma_log "WARNING: the kernel source is Linux ${have:-of unknown version} ($SVMA_KERNEL_TARBALL)," \
		"but kernel-patch/$SVMA_KERNEL_BASE/series was tested on Linux ${want:-(no Base: line)}: a patch may" \
		"apply and no longer work; see vm/README, \"When Debian moves the base\""
}

# Content hash of the patch series: the series file and every patch it
# names, in order.  Any edit to either changes it.
svma_series_hash() {
	local series="$SVMA_PATCH_DIR/series" p
	{
		[ -f "$series" ] && cat "$series"
		for p in $(svma_series_patches); do
			# A missing patch is reported when the series is applied.
			cat "$SVMA_PATCH_DIR/$p" 2>/dev/null || echo "missing: $p"
		done
	} | sha256sum | cut -d' ' -f1
}

# Patch file names listed in kernel-patch/BASE/series, comments and blanks dropped.
svma_series_patches() {
	local series="$SVMA_PATCH_DIR/series"
	[ -f "$series" ] || return 0
	sed -e 's/#.*//' -e 's/[[:space:]]*$//' -e '/^$/d' "$series"
}

# git in the cached source tree, with an identity for "git am".
svma_git_src() {
	git -C "$SVMA_SRC" -c user.name=svmatomic -c user.email=svmatomic@localhost \
		-c advice.detachedHead=false "$@"
}

# Put the cached tree back to the pristine tarball (tag "base") and forget
# which series was applied.  git rewrites only files that differ, so
# kbuild recompiles only what the series touches.
svma_reset_source() {
	rm -f "$SVMA_SRC/.svma-series"
	svma_git_src am --abort >/dev/null 2>&1 || true
	svma_git_src reset -q --hard base
	# -e keeps our stamps; -x also drops files ignored by the kernel's
	# .gitignore, which is what a patch may have added.
	svma_git_src clean -q -f -d -x -e .svma-tarball -e .svma-series
}

# Remember the content and mtime of every file the applied series
# changed (in the associative arrays svma_old_blob and svma_old_mtime),
# so that svma_restore_mtimes can give back their mtime to those that
# come out the same after the tree is reset and a series applied again:
# kbuild then rebuilds only what depends on files that really changed.
svma_save_mtimes() {
	local f
	declare -gA svma_old_blob=() svma_old_mtime=()
	[ -f "$SVMA_SRC/.svma-series" ] || return 0
	while IFS= read -r f; do
		[ -f "$SVMA_SRC/$f" ] || continue
		svma_old_blob[$f]=$(svma_git_src rev-parse "HEAD:$f" 2>/dev/null) || continue
		svma_old_mtime[$f]=$(stat -c %y "$SVMA_SRC/$f")
	done < <(svma_git_src diff --name-only base HEAD)
}

# Give @1, a file svma_save_mtimes saw, its saved mtime back if it has
# its saved content again. Returns 1 when its content differs, 2 when it
# is not there.
svma_mtime_back() {
	local blob
	blob=$(svma_git_src rev-parse -q --verify "HEAD:$1" 2>/dev/null) || return 2
	[ "$blob" = "${svma_old_blob[$1]}" ] || return 1
	touch -d "${svma_old_mtime[$1]}" "$SVMA_SRC/$1"
}

# Prints how many of the files svma_save_mtimes saw got their mtime back.
# git's index then learns the mtimes: "git reset --hard" rewrites every
# file whose mtime the index does not know, same content or not, and the
# next reset (vm/check-series, vm/prepare-source) would give each a new
# mtime and rebuild all that depends on it.
svma_restore_mtimes() {
	local f kept=0
	for f in "${!svma_old_blob[@]}"; do
		svma_mtime_back "$f" && kept=$((kept + 1))
	done
	svma_git_src update-index -q --refresh >/dev/null || true
	echo "$kept of ${#svma_old_blob[@]}"
}

# Apply one patch of the series on top of the cached tree, or die.
svma_apply_patch() {
	[ -f "$SVMA_PATCH_DIR/$1" ] ||
		svma_die "$SVMA_EXIT_SETUP" "kernel-patch/$SVMA_KERNEL_BASE/series names $1, which does not exist"
	if ! svma_git_src am -q --keep-cr "$SVMA_PATCH_DIR/$1"; then
		svma_git_src am --abort >/dev/null 2>&1 || true
		svma_die "$SVMA_EXIT_SETUP" "patch $1 does not apply to $(svma_git_src log -1 --format=%s base)"
	fi
}

# Compile the mm selftest NAME of the prepared tree into OUT/NAME, with the
# flags tools/testing/selftests/mm/Makefile uses and the helpers it links
# every mm test with: vm_util.c, and thp_settings.c (6.12) or
# hugepage_settings.c (7.3). HDR holds the installed uAPI headers; the
# remaining arguments go to the compiler last (libraries, -I).
svma_cc_mm_selftest() {
	local out=$1 hdr=$2 name=$3 sel=$SVMA_SRC/tools/testing/selftests f
	local helpers=()
	shift 3
	for f in vm_util.c thp_settings.c hugepage_settings.c; do
		[ -f "$sel/mm/$f" ] && helpers+=("$sel/mm/$f")
	done
	${CC:-gcc} -Wall -O2 -U_FORTIFY_SOURCE -no-pie -isystem "$hdr/include" \
		-isystem "$SVMA_SRC/tools/include/uapi" -I "$SVMA_SRC" \
		-I "$sel/mm" -I "$sel" -o "$out/$name" "$sel/mm/$name.c" \
		"${helpers[@]}" -lrt -lpthread -lm "$@"
}

# Whether the series adds the vsvm driver, and so the options of
# config/series.config: the mainline series has none until it does.
svma_series_has_vsvm() {
	local p
	for p in $(svma_series_patches); do
		grep -q '^+++ b/drivers/gpu/drm/vsvm/Kconfig' "$SVMA_PATCH_DIR/$p" 2>/dev/null && return 0
	done
	return 1
}

# The configuration fragments of a flavour, in merge order.  debug is the
# distro kernel with the debugging options on: the paths the distro
# flavour adds (swap, NUMA, KSM, khugepaged) are where lockdep and KASAN
# are most wanted.
svma_fragments() {
	local flavour=$1
	printf '%s\n' "$SVMA_VM_DIR/config/base.config"
	if svma_series_has_vsvm; then
		printf '%s\n' "$SVMA_VM_DIR/config/series.config"
	fi
	case $flavour in
	distro|debug)
		printf '%s\n' "$SVMA_VM_DIR/config/distro.config"
		# What differs between the bases' Kconfig.
		if [ -f "$SVMA_VM_DIR/config/$SVMA_KERNEL_BASE/distro.config" ]; then
			printf '%s\n' "$SVMA_VM_DIR/config/$SVMA_KERNEL_BASE/distro.config"
		fi
		;;
	esac
	if [ "$flavour" = debug ]; then
		printf '%s\n' "$SVMA_VM_DIR/config/debug.config"
	fi
}

# Whether a flavour's guest gets two NUMA nodes and a swap disk.
svma_flavour_is_distro() {
	case $1 in
	distro|debug) return 0 ;;
	*) return 1 ;;
	esac
}

# Print, on stderr, the kernel's report that scan-klog quoted ($2) from
# the console log $1: from a few lines before it, 60 lines at most, for
# logs that outlive the console log (CI's).
svma_klog_excerpt() {
	local at
	at=$(tr -d '\r' <"$1" | grep -n -m1 -F -- "$2" | cut -d: -f1) || return 0
	[ -n "$at" ] || return 0
	echo "--- the kernel's report, from $1 (line $at):" >&2
	tr -d '\r' <"$1" | tail -n +$((at > 5 ? at - 5 : 1)) | head -n 60 >&2
	echo "---" >&2
}

# A memory size as qemu takes it (1536M, 3G; bare numbers are MiB) in MiB.
svma_size_mib() {
	local n=${1%[MmGg]}
	case $n in
	''|*[!0-9]*) return 1 ;;
	esac
	case $1 in
	*[Gg]) echo $((n * 1024)) ;;
	*) echo "$n" ;;
	esac
}

# Print "elapsed" as 3m07s.
svma_elapsed() {
	local s=$(($(date +%s) - $1))
	printf '%dm%02ds' $((s / 60)) $((s % 60))
}

svma_use_base "${SVMA_KERNEL_BASE:-$SVMA_DEFAULT_BASE}"

