#!/bin/bash
# Every errno that svmatomic.h or a man page documents is in the list
# tests/lib/suite-strings.c checks svma_strerror() against, so that list
# cannot fall behind the documentation again.
set -eu
srcdir=${srcdir:-.}
suite=$srcdir/tests/lib/suite-strings.c

documented=$(grep -ohE -- '-E[A-Z0-9]+\b' "$srcdir/include/svmatomic.h" \
	"$srcdir"/man/man3/*.3 "$srcdir"/man/man7/*.7 | sed 's/^-//' | sort -u)
listed=$(sed -n '/^static const int documented\[\] = {/,/^};/p' "$suite" |
	grep -oE '\bE[A-Z0-9]+\b' | sort -u)
if [ -z "$listed" ]; then
	echo "FAIL: no documented[] list found in $suite"
	exit 1
fi
missing=$(comm -23 <(echo "$documented") <(echo "$listed"))
if [ -n "$missing" ]; then
	echo "FAIL: documented but not in $suite's documented[]:" $missing
	exit 1
fi
# And the other way: svma_strerror() has a text of its own only for an
# errno some call documents, none for one that no path returns.
texts=$(grep -oE '^[[:space:]]*\{ E[A-Z0-9]+,' "$srcdir/lib/strings.c" |
	grep -oE 'E[A-Z0-9]+' | sort -u)
extra=$(comm -13 <(echo "$documented") <(echo "$texts"))
if [ -n "$extra" ]; then
	echo "FAIL: lib/strings.c has a text for errnos no call documents:" $extra
	exit 1
fi
echo "$(echo "$documented" | wc -l) documented errnos, all checked by the strings suite, and no other has a text"
