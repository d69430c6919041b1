#!/bin/bash
# A released version node is never edited: the SVMATOMIC_0.1 and _0.2
# nodes of lib/libsvmatomic.sym list exactly what 0.2 shipped
# (tests/abi/0.2/libsvmatomic.sym, as released), so that a program linked
# against 0.2 finds each of its symbols in the node it was bound to.
set -eu
srcdir=${srcdir:-.}
now=$srcdir/lib/libsvmatomic.sym
then=$srcdir/tests/abi/0.2/libsvmatomic.sym

# "node symbol" for the symbols of the nodes 0.2 had, comments left out
nodes() {
	sed '/\/\*/,/\*\//d' "$1" | awk '
		/^[[:space:]]*[A-Za-z_][A-Za-z0-9_.]*[[:space:]]*\{/ {
			node = $1
			sub(/\{.*/, "", node)
		}
		/^[[:space:]]*svma_[a-z0-9_]*;/ &&
		(node == "SVMATOMIC_0.1" || node == "SVMATOMIC_0.2") {
			name = $1
			sub(/;.*/, "", name)
			print node, name
		}' | sort
}

if ! diff <(nodes "$then") <(nodes "$now") >/dev/null; then
	echo "FAIL: the 0.1 and 0.2 nodes changed since 0.2 was released:"
	diff <(nodes "$then") <(nodes "$now") | sed -n 's/^[<>] /  /p'
	exit 1
fi
echo "$(nodes "$now" | wc -l) symbols of 0.1 and 0.2, in the nodes 0.2 shipped them in"
