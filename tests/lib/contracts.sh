#!/bin/bash
# One statement of each contract: the errnos a man page lists under
# ERRORS are exactly those svmatomic.h gives (@retval) for the functions
# the page documents, "other as svma_x()" counting x's, and a function
# the header calls MT-safe says so in its page too.
set -eu
srcdir=${srcdir:-.}
header=$srcdir/include/svmatomic.h
man=$srcdir/man/man3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Each declared function, its errnos, the function it defers to, MT-safe.
awk -v dir="$tmp" '
	/^\/\*\*/ {
		errs = ""; as = ""; mt = 0
		# a one-line comment ends where it starts
		if ($0 ~ /\*\//) { pending = 1; next }
		inc = 1; next
	}
	inc && /\*\// { inc = 0; pending = 1; next }
	inc {
		line = $0
		while (match(line, /-E[A-Z0-9]+/)) {
			errs = errs " " substr(line, RSTART + 1, RLENGTH - 1)
			line = substr(line, RSTART + RLENGTH)
		}
		if ($0 ~ /@retval other/ && match($0, /as svma_[a-z0-9_]+\(\)/))
			as = substr($0, RSTART + 3, RLENGTH - 5)
		if ($0 ~ /MT-safe/ && $0 !~ /MT-unsafe/)
			mt = 1
		next
	}
	pending && /^[a-z]/ {
		pending = 0
		if (match($0, /svma_[a-z0-9_]+\(/)) {
			name = substr($0, RSTART, RLENGTH - 1)
			print errs > (dir "/" name ".err")
			print as > (dir "/" name ".as")
			print mt > (dir "/" name ".mt")
		}
	}
' "$header"

errs_of() {
	local f=$1 as
	[ -e "$tmp/$f.err" ] || return 0
	tr ' ' '\n' <"$tmp/$f.err"
	as=$(cat "$tmp/$f.as")
	[ -n "$as" ] && [ "$as" != "$f" ] && errs_of "$as"
	return 0
}

status=0
pages=0
declared_n=0
for page in "$man"/*.3; do
	head -n1 "$page" | grep -q '^\.so ' && continue
	pages=$((pages + 1))
	names=$(sed -n '/^\.SH NAME/{n;p;q}' "$page" | sed 's/ \\-.*//; s/,/ /g')
	documented=$(sed -n '/^\.SH ERRORS/,/^\.SH /p' "$page" |
		grep -oE -- '-E[A-Z0-9]+' | sed 's/^-//' | sort -u)
	declared=$(for n in $names; do errs_of "$n"; done | grep . | sort -u || true)
	if [ "$documented" != "$declared" ]; then
		echo "FAIL: $(basename "$page"): ERRORS and svmatomic.h disagree"
		diff <(echo "$declared") <(echo "$documented") |
			sed -n 's/^< /  only in svmatomic.h: /p; s/^> /  only in the page: /p'
		status=1
	fi
	# What the page's "Thread safety" section says, heading left out.
	safety=$(sed -n '/^\.SS "Thread safety"/,/^\.S[HS] /p' "$page" |
		sed '1d; /^\.S[HS] /d')
	for n in $names; do
		[ "$(cat "$tmp/$n.mt" 2>/dev/null)" = 1 ] || continue
		# A positive statement, not "Not thread-safe" alone.
		if ! echo "$safety" | grep -v '^Not thread' |
			grep -qiE '(^|[ (])thread\\?-safe|MT-safe'; then
			echo "FAIL: $(basename "$page"): $n is MT-safe in svmatomic.h, its page's Thread safety section does not say so"
			status=1
		fi
	done
	declared_n=$((declared_n + $(for n in $names; do [ -e "$tmp/$n.err" ] && echo x; done | wc -l)))
done
# Every function the header declares was parsed: none escapes the check.
parsed=$(find "$tmp" -name '*.err' | wc -l)
exported=$(grep -cE '^[[:space:]]+svma_[a-z0-9_]+;' "$srcdir/lib/libsvmatomic.sym")
if [ "$parsed" -lt "$exported" ]; then
	echo "FAIL: $parsed documented declarations parsed in svmatomic.h, $exported exported"
	status=1
fi
[ $status = 0 ] && echo "$pages pages, $declared_n functions: their errors and thread safety agree with svmatomic.h"
exit $status
