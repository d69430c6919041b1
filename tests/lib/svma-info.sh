#!/bin/bash
# svma-info keeps going when memory is short: with strdup() of node paths
# failing (the preload shim) and two render nodes listed, it must describe
# both and end with its verdict, not crash. The nodes do not exist, so it
# exits 1 ("none capable"). Needs tools/svma-info and the shim built.
set -eu
prog=tools/.libs/svma-info
[ -x "$prog" ] || prog=tools/svma-info
shim=$PWD/tests/lib/.libs/libsvma-shim.so
if [ ! -e "$shim" ]; then
	echo "SKIP: $shim not built (configured with --disable-shared?)"
	exit 77
fi
out=$(mktemp)
trap 'rm -f "$out"' EXIT

status=0
# (an ASan build wants its runtime first; the shim comes first here)
ASAN_OPTIONS=verify_asan_link_order=0${ASAN_OPTIONS:+:$ASAN_OPTIONS} \
	LD_LIBRARY_PATH=$PWD/lib/.libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH} \
	LD_PRELOAD=$shim SVMA_SHIM_RENDER_NODES=2 SVMA_SHIM_STRDUP_FAIL=/dev/dri/ \
	"$prog" >"$out" 2>&1 || status=$?
cat "$out"
fail=0
if [ "$status" -ne 1 ]; then
	echo "FAIL: exit status $status, expected 1 (no capable device)"
	fail=1
fi
for node in renderD200 renderD201; do
	if ! grep -q "^/dev/dri/$node: cannot open" "$out"; then
		echo "FAIL: $node not described"
		fail=1
	fi
done
if ! grep -q '^no capable device: ' "$out"; then
	echo "FAIL: no verdict"
	fail=1
fi
[ $fail = 0 ] && echo "PASS: every node described without strdup()"
exit $fail
