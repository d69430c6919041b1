#!/bin/bash
# Runs inside the guest (tests/guest/programs.test), in the build tree:
# the tool and the examples on the vsvm device, some under the preload
# shim of tests/lib (see tests/lib/preload-shim.c). Exit 0 when every
# check passes, 1 otherwise.
set -u
top=$PWD
libs=$top/lib/.libs
shim=$top/tests/lib/.libs/libsvma-shim.so
fail=0
out=$(mktemp)

# The real program, not its libtool wrapper (which may want to write).
bin() {
	if [ -x "$top/$1/.libs/$2" ]; then
		echo "$top/$1/.libs/$2"
	else
		echo "$top/$1/$2"
	fi
}

# run WANT_STATUS NAME ENV... -- PROG: run with the build's library,
# print its output, check its exit status.
run() {
	local want=$1 name=$2 status=0
	shift 2
	local envs=()
	while [ "$1" != -- ]; do
		envs+=("$1")
		shift
	done
	shift
	echo "--- $name"
	timeout 120 env LD_LIBRARY_PATH="$libs" \
		ASAN_OPTIONS=verify_asan_link_order=0 "${envs[@]}" "$@" \
		>"$out" 2>&1 ||
		status=$?
	cat "$out"
	if [ "$status" -ne "$want" ]; then
		echo "FAIL: $name: exit status $status, expected $want"
		fail=1
	fi
}

expect() {
	if ! grep -q -- "$2" "$out"; then
		echo "FAIL: $1: no line matching '$2'"
		fail=1
	fi
}

expect_not() {
	if grep -q -- "$2" "$out"; then
		echo "FAIL: $1: a line matches '$2'"
		fail=1
	fi
}

# svma-info prints the event size the kernel reports, not its own.
run 0 "svma-info, a kernel whose events are 64 bytes" \
	LD_PRELOAD="$shim" SVMA_SHIM_EVENT_SIZE=64 -- "$(bin tools svma-info)"
expect svma-info 'events: *64 bytes each'
run 0 "svma-info" -- "$(bin tools svma-info)"
expect svma-info 'events: *48 bytes each'
expect svma-info 'capable: *yes'

# acquire-poll sees a revocation on its own: its other thread touches
# the buffer.
run 0 acquire-poll -- "$(bin examples acquire-poll)"
expect acquire-poll 'revoked (seqno 1): CPU access'

# reacquire-backoff names each reason of a mask (the shim adds one).
run 0 "reacquire-backoff, two reasons per event" \
	LD_PRELOAD="$shim" SVMA_SHIM_EXTRA_REASONS=0x8 -- \
	"$(bin examples reacquire-backoff)"
expect reacquire-backoff 'revoked (CPU access, protection change)'
expect_not reacquire-backoff 'unknown reason'
expect reacquire-backoff '^re-acquire: Success'

# ... and closes its epoll fd when epoll_ctl() fails.
run 1 "reacquire-backoff, epoll_ctl failing" \
	LD_PRELOAD="$shim" SVMA_SHIM_EPOLL_CTL_FAIL=1 SVMA_SHIM_EPOLL_LEAKS=1 -- \
	"$(bin examples reacquire-backoff)"
expect reacquire-backoff '^epoll_ctl: Operation not permitted'
expect_not reacquire-backoff 'leaked'

# hold-adaptive: CPU threads and the device on the same counters while
# the hold time adapts; nothing may be lost, with or without a hold.
run 0 hold-adaptive -- "$(bin examples hold-adaptive)" --duration 2
expect hold-adaptive '^no increment lost: '
expect_not hold-adaptive 'LOST'

# pull-events: the 0.3 calls (an acquire with its options, events read
# into a buffer); each touched page is heard of, as a CPU access.
run 0 pull-events -- "$(bin examples pull-events)"
# (hold 0 on a kernel without hold times: 7.3's series)
expect pull-events '^16 pages exclusive, hold \(100\|0\) us'
expect pull-events 'page 9 revoked (seqno [0-9]*, CPU access)'

# A program built against 0.2's header runs against this library and
# kernel: the names, structs and event stream 0.2 offered still work.
run 0 "a 0.2 program" -- "$(bin tests/guest old-binary)"
expect "a 0.2 program" '^a program built against libsvmatomic 0.2 works'

# The errors of opening a device, one process each (errno-cases.c); what
# the calls returned goes on to errno-coverage.test through this log.
cases=$(bin tests/guest errno-cases)
run 0 "open at each allocation failing" -- "$cases" alloc
run 0 "open and probe with no fd left" -- "$cases" emfile
run 0 "a node the caller may not open" -- "$cases" eacces
run 0 "the kernel failing to create a context" \
	LD_PRELOAD="$shim" -- "$cases" context-errors
run 0 "a kernel reporting a nonsense event size" \
	LD_PRELOAD="$shim" SVMA_SHIM_EVENT_SIZE=1 -- "$cases" bad-info

rm -f "$out"
[ $fail = 0 ] && echo "PASS: the tool, the examples, a 0.2 program and the errors of opening a device"
exit $fail
