# shellcheck shell=bash
# shellcheck disable=SC2034 # the variables here are used by the scripts that source this
# Shared by the in-VM tests: locate the harness, and helpers to run a
# command in the guest and compare its exit status.  Sourced, never run.

set -uo pipefail

: "${srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
top_srcdir=$(cd "$srcdir" && pwd)
VM_RUN=$top_srcdir/vm/run
TEST_NAME=$(basename "$0" .test)
export SVMA_VM_LOGDIR=${SVMA_VM_LOGDIR:-$PWD/vm-logs}
# The kernel tests boot SVMA_VM_FLAVOUR (make check: distro; make
# check-debug: debug); tests/vm/BASE/ (7.3: the mainline series) links
# them to run on that base's kernel of the same flavour.
: "${SVMA_VM_FLAVOUR:=distro}"
export SVMA_VM_FLAVOUR
test_dir=$(basename "$(dirname "$0")")
if [ -f "$top_srcdir/kernel-patch/$test_dir/series" ]; then
	export SVMA_KERNEL_BASE=$test_dir
fi
# Logs of one test on several kernels must not overwrite each other.
case ${SVMA_KERNEL_BASE:-6.12} in
6.12) ;;
*) TEST_NAME+=-$SVMA_KERNEL_BASE ;;
esac
case $SVMA_VM_FLAVOUR in
distro) ;;
*) TEST_NAME+=-$SVMA_VM_FLAVOUR ;;
esac

# vm_run [vm/run options] -- command...: run with this test's log names.
# The kernel is built by "make check" before any test starts, so the
# tests themselves never build (and never wait on each other's build).
# Under "make check" (SVMA_VM_SESSION) the command runs in a guest kept up
# between tests (vm/session.sh); the harness tests below boot their own.
vm_run() {
	"$VM_RUN" --no-build --name "$TEST_NAME" "$@"
}

skip_without_vm() {
	if ! command -v qemu-system-x86_64 >/dev/null; then
		echo "SKIP: qemu-system-x86_64 not installed (Debian: qemu-system-x86)"
		exit 77
	fi
	local flavour=$SVMA_VM_FLAVOUR base=${SVMA_KERNEL_BASE:-6.12} kernel
	kernel=$("$top_srcdir/vm/kernel-path" "$flavour")
	if [ ! -f "$kernel" ]; then
		echo "SKIP: no $base $flavour guest kernel at $kernel (install linux-source-$base and run 'make check')"
		exit 77
	fi
}

# expect_status WANT GOT WHAT
expect_status() {
	if [ "$2" -ne "$1" ]; then
		echo "FAIL: $3: expected exit status $1, got $2"
		exit 1
	fi
	echo "PASS: $3: exit status $2"
}

# expect_vm WANT_STATUS TIMEOUT WHAT -- command...: run the command in the
# guest with the given timeout and check vm/run's exit status, that the
# run ended well before the timeout (or, for a hang, right after it), and
# that a failure's one-line diagnosis names the console log.
expect_vm() {
	local want=$1 limit=$2 what=$3 start took status=0 err
	shift 4
	err=$SVMA_VM_LOGDIR/$TEST_NAME.stderr
	mkdir -p "$SVMA_VM_LOGDIR"
	start=$(date +%s)
	SVMA_VM_SESSION='' vm_run --timeout "$limit" -- "$@" 2>"$err" || status=$?
	took=$(($(date +%s) - start))
	cat "$err"
	expect_status "$want" "$status" "$what"
	if [ "$want" -ge 91 ] && ! grep -q "see .*$TEST_NAME.console.log" "$err"; then
		echo "FAIL: $what: the diagnosis does not name the console log"
		exit 1
	fi
	if [ "$want" -eq 95 ]; then
		# A hang ends at the timeout plus qemu's kill grace.
		if [ "$took" -gt $((limit + 15)) ]; then
			echo "FAIL: $what: took ${took}s for a ${limit}s timeout"
			exit 1
		fi
	elif [ "$took" -ge $((limit / 2)) ]; then
		echo "FAIL: $what: took ${took}s, half the ${limit}s timeout"
		exit 1
	fi
	echo "PASS: $what: ended after ${took}s (timeout ${limit}s)"
}

# run_hmm_tests THP_MODE: run upstream's hmm-tests (whole suite) in the
# guest, with a 1 GiB hugetlb page reserved for the series' tests; leaves
# the output in $HMM_OUT and vm/run's status in $HMM_STATUS.
run_hmm_tests() {
	local bin
	bin=$("$top_srcdir/vm/build-selftests")/hmm-tests || {
		echo "FAIL: the selftests could not be built"
		exit 99
	}
	HMM_OUT=$SVMA_VM_LOGDIR/$TEST_NAME.hmm-tests.txt
	mkdir -p "$SVMA_VM_LOGDIR"
	HMM_STATUS=0
	# 7.3's benchmark_thp_migration times sixteen migrations of up to
	# 16 MB each way and asserts only that they succeed; under KASAN on a
	# busy host it outran its own 120 s (CI, 2026-12-07), and the THP
	# migration paths it takes run in migrate_anon_huge_* anyway: not on
	# debug (docs/DECISIONS.md 4.6).
	local skip=()
	if [ "$SVMA_VM_FLAVOUR" = debug ] && grep -q benchmark_thp_migration "$bin"; then
		skip=(-T benchmark_thp_migration)
		echo "(not run on debug: benchmark_thp_migration)"
	fi
	# 7.3's migrate_fault expects a second migration to the device to
	# take every page back; on the 7.3 debug kernel in a session guest
	# one page now and then stays behind (-ENOENT), on stock 7.3 as well
	# as with the series (DECISIONS 4.27): it cannot tell the series
	# apart there.  It runs on 7.3 distro and on both 6.12 kernels.
	if [ "$SVMA_VM_FLAVOUR" = debug ] && [ "${SVMA_KERNEL_BASE:-6.12}" = 7.3 ]; then
		skip+=(-T migrate_fault)
		echo "(not run on 7.3 debug: migrate_fault, fails on stock 7.3 there too)"
	fi
	vm_run --thp "$1" --gigantic 1 --timeout 600 -- "$bin" "${skip[@]}" >"$HMM_OUT" 2>&1 || HMM_STATUS=$?
	grep -E '^(ok|not ok|# Totals|# SKIP|run: )' "$HMM_OUT" | grep -v '^ok .* # SKIP' || true
	echo "(skipped: $(grep -c '^ok .* # SKIP' "$HMM_OUT") tests; full output: $HMM_OUT)"
}
