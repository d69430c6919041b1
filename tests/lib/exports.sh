#!/bin/bash
# The shared library exports exactly what lib/libsvmatomic.sym lists, in
# node SVMATOMIC_0.1, and the public header declares each of them.
set -eu
srcdir=${srcdir:-.}
lib=lib/.libs/libsvmatomic.so
sym=$srcdir/lib/libsvmatomic.sym
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if [ ! -e "$lib" ]; then
	echo "$lib not built (configured with --disable-shared?)"
	exit 77
fi

# the symbols the script lists between "global:" and "local:"
sed -n '/global:/,/local:/p' "$sym" | sed -n 's/^[[:space:]]*\(svma_[a-z0-9_]*\);.*/\1/p' |
	sort >"$tmp/listed"
nm -D --defined-only "$lib" | awk '$2 ~ /^[TDBRVW]$/ { print $3 }' |
	grep -v '^SVMATOMIC_' | sed 's/@.*//' | sort >"$tmp/exported"

if ! diff -u "$tmp/listed" "$tmp/exported"; then
	echo "FAIL: exports differ from $sym (- listed only, + exported only)"
	exit 1
fi
if nm -D --defined-only --with-symbol-versions "$lib" 2>/dev/null |
	awk '$2 == "T"' | grep -v '@@SVMATOMIC_0.1$' | grep .; then
	echo "FAIL: exported functions outside node SVMATOMIC_0.1"
	exit 1
fi

status=0
while read -r name; do
	if ! grep -q "[ *]$name(" "$srcdir/include/svmatomic.h"; then
		echo "FAIL: $name is exported but not declared in svmatomic.h"
		status=1
	fi
done <"$tmp/listed"
[ $status -eq 0 ] && echo "$(wc -l <"$tmp/listed") symbols, all listed, versioned and declared"
exit $status
