#!/bin/bash
# The day struct svma_device_info grows, programs built against 0.1 and
# 0.2 keep working: build the library with a header whose struct has one
# more field, and run tests/lib/info-abi.c, built against the real
# header, with it. Needs CC and LIBDRM_CFLAGS/LIBS (from make); srcdir is the top
# source dir, the current directory the top build dir (config.h).
set -eu
srcdir=${srcdir:-.}
CC=${CC:-cc}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

mkdir "$tmp/grown"
# (after the struct's last field, 0.2's hold_wait_ns)
sed 's/^\(\tuint64_t hold_wait_ns;\)$/\1\n\tuint64_t added_later;/' \
	"$srcdir/include/svmatomic.h" >"$tmp/grown/svmatomic.h"
# the grown header must really have grown
printf '#include <svmatomic.h>\n_Static_assert(sizeof(struct svma_device_info) == 64, "grown");\n' |
	$CC -I"$tmp/grown" -fsyntax-only -x c -

# The library sources find the grown header first (internal.h includes
# "svmatomic.h"); the program, the real one.
mkdir "$tmp/lib"
for src in "$srcdir"/lib/*.c; do
	# shellcheck disable=SC2086  # word splitting of the flags is wanted
	$CC -std=gnu11 -c -I. -I"$tmp/grown" -I"$srcdir/include" \
		${LIBDRM_CFLAGS:-} "$src" -o "$tmp/lib/$(basename "$src" .c).o"
done
# shellcheck disable=SC2086
$CC -std=gnu11 -c -I"$srcdir/include" ${LIBDRM_CFLAGS:-} \
	"$srcdir/tests/lib/info-abi.c" -o "$tmp/info-abi.o"
# shellcheck disable=SC2086
$CC "$tmp/info-abi.o" "$tmp"/lib/*.o -o "$tmp/info-abi" ${LIBDRM_LIBS:--ldrm}
"$tmp/info-abi"
