#!/bin/bash
# exports.sh itself: it must accept a library with a second version node
# (the day 0.2 adds a symbol) and reject a symbol exported in a node other
# than the one that lists it, or missing from the header. Builds small
# libraries with CC.
set -eu
srcdir=${srcdir:-.}
CC=${CC:-cc}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cat >"$tmp/h.h" <<'EOH'
int svma_old(void);
int svma_new(void);
EOH
printf 'int svma_old(void) { return 1; }\nint svma_new(void) { return 2; }\n' >"$tmp/l.c"
cat >"$tmp/two.sym" <<'EOS'
/*
 * A comment, as the real one has:
 *     SVMATOMIC_0.2 { global: <the new symbols>; } SVMATOMIC_0.1;
 */
SVMATOMIC_0.1 {
global:
	svma_old;
local:
	*;
};

SVMATOMIC_0.2 {
global:
	svma_new;
} SVMATOMIC_0.1;
EOS
# shellcheck disable=SC2086  # CC may carry options
$CC -shared -fPIC -Wl,--version-script="$tmp/two.sym" "$tmp/l.c" -o "$tmp/two.so"

check() {
	local want=$1 what=$2 status=0
	shift 2
	env "$@" SVMA_EXPORTS_HEADER="$tmp/h.h" \
		"$BASH" "$srcdir/tests/lib/exports.sh" >"$tmp/out" 2>&1 || status=$?
	if [ "$status" -ne "$want" ]; then
		cat "$tmp/out"
		echo "FAIL: $what: exports.sh exited $status, expected $want"
		exit 1
	fi
	echo "ok: $what"
}

check 0 "two version nodes" SVMA_EXPORTS_LIB="$tmp/two.so" \
	SVMA_EXPORTS_SYM="$tmp/two.sym"

# the library says svma_new is 0.1's; the script, 0.2's
printf 'SVMATOMIC_0.1 {\nglobal:\n\tsvma_old;\n\tsvma_new;\nlocal:\n\t*;\n};\n' \
	>"$tmp/moved.sym"
# shellcheck disable=SC2086
$CC -shared -fPIC -Wl,--version-script="$tmp/moved.sym" "$tmp/l.c" -o "$tmp/moved.so"
check 1 "a symbol in the wrong node" SVMA_EXPORTS_LIB="$tmp/moved.so" \
	SVMA_EXPORTS_SYM="$tmp/two.sym"

echo 'int svma_old(void);' >"$tmp/h.h"
check 1 "a symbol the header does not declare" \
	SVMA_EXPORTS_LIB="$tmp/two.so" SVMA_EXPORTS_SYM="$tmp/two.sym"
