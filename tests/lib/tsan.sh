#!/bin/bash
# svma_wait() is documented MT-safe: run a thread that waits while
# another dispatches into a broken stream, with the library built under
# ThreadSanitizer; a data race fails. Needs CC and LIBDRM_CFLAGS/LIBS
# (from make); srcdir is the top source dir, the current directory the
# top build dir (config.h).
set -eu
srcdir=${srcdir:-.}
CC=${CC:-cc}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo 'int main(void) { return 0; }' >"$tmp/probe.c"
# shellcheck disable=SC2086  # CC may carry options
if ! $CC -fsanitize=thread "$tmp/probe.c" -o "$tmp/probe" 2>/dev/null ||
	! "$tmp/probe" 2>/dev/null; then
	echo "SKIP: $CC cannot build or run -fsanitize=thread programs (Debian: libtsan2)"
	exit 77
fi

# shellcheck disable=SC2086  # word splitting of the flags is wanted
$CC -std=gnu11 -g -O1 -fsanitize=thread -pthread -I. -I"$srcdir/include" \
	-I"$srcdir/lib" ${LIBDRM_CFLAGS:-} "$srcdir"/lib/*.c \
	"$srcdir/tests/lib/race-wait.c" -o "$tmp/race-wait" ${LIBDRM_LIBS:--ldrm}
TSAN_OPTIONS="halt_on_error=1 exitcode=66 ${TSAN_OPTIONS:-}" "$tmp/race-wait"
