#!/bin/bash
# The shared library exports exactly what lib/libsvmatomic.sym lists, each
# symbol in the version node that lists it (SVMATOMIC_0.1, and every node
# added after it), and the public header declares each of them.
# SVMA_EXPORTS_LIB, _SYM and _HEADER name other files (exports-selftest.sh
# uses them).
set -eu
srcdir=${srcdir:-.}
lib=${SVMA_EXPORTS_LIB:-lib/.libs/libsvmatomic.so}
sym=${SVMA_EXPORTS_SYM:-$srcdir/lib/libsvmatomic.sym}
header=${SVMA_EXPORTS_HEADER:-$srcdir/include/svmatomic.h}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if [ ! -e "$lib" ]; then
	echo "$lib not built (configured with --disable-shared?)"
	exit 77
fi

# "symbol node" for every symbol the script lists, comments left out
sed '/\/\*/,/\*\//d' "$sym" | awk '
	/^[[:space:]]*[A-Za-z_][A-Za-z0-9_.]*[[:space:]]*\{/ {
		node = $1
		sub(/\{.*/, "", node)
	}
	/^[[:space:]]*svma_[a-z0-9_]*;/ {
		name = $1
		sub(/;.*/, "", name)
		print name, node
	}' | sort >"$tmp/listed"
# "symbol node" for every symbol the library exports (its default version)
nm -D --defined-only --with-symbol-versions "$lib" |
	awk '$2 ~ /^[TDBRVW]$/ && $3 !~ /^SVMATOMIC_/ { print $3 }' |
	sed 's/@@*/ /' | sort >"$tmp/exported"

if [ ! -s "$tmp/listed" ]; then
	echo "FAIL: no symbol found in $sym"
	exit 1
fi
if ! diff -u "$tmp/listed" "$tmp/exported"; then
	echo "FAIL: exports differ from $sym (- listed only, + exported only;"
	echo "      a symbol on both sides is in another version node)"
	exit 1
fi

status=0
while read -r name _; do
	if ! grep -q "[ *]$name(" "$header"; then
		echo "FAIL: $name is exported but not declared in $header"
		status=1
	fi
done <"$tmp/listed"
nodes=$(cut -d' ' -f2 "$tmp/listed" | sort -u | paste -sd' ')
[ $status -eq 0 ] && echo "$(wc -l <"$tmp/listed") symbols, all listed, versioned ($nodes) and declared"
exit $status
