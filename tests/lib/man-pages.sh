#!/bin/bash
# Every exported symbol has a section 3 page (possibly a .so link); every
# real page has the sections a reader expects, and groff renders each
# page, and svmatomic(7), without a single warning.
set -eu
srcdir=${srcdir:-.}
man=$srcdir/man
sym=$srcdir/lib/libsvmatomic.sym

if ! command -v groff >/dev/null; then
	echo "SKIP: groff is not installed (Debian: groff)"
	exit 77
fi

status=0
fail() {
	echo "FAIL: $*"
	status=1
}

names=$(sed -n '/global:/,/local:/p' "$sym" |
	sed -n 's/^[[:space:]]*\(svma_[a-z0-9_]*\);.*/\1/p')
[ -n "$names" ] || fail "no symbols found in $sym"

pages=0
for name in $names; do
	page=$man/man3/$name.3
	if [ ! -e "$page" ]; then
		fail "$name has no man page ($page)"
		continue
	fi
	# follow a .so link to the page that documents it
	target=$(sed -n 's/^\.so //p' "$page")
	if [ -n "$target" ]; then
		[ -e "$man/$target" ] || fail "$page links to missing $target"
		page=$man/$target
		grep -q "^\\.B[IR]* .*$name\\b\|$name(" "$page" ||
			fail "$page, linked from $name, does not mention it"
		continue
	fi
	grep -q "$name" "$page" || fail "$page does not mention $name"
done

for page in "$man"/man3/*.3 "$man"/man7/*.7; do
	grep -q '^\.so ' "$page" && continue
	pages=$((pages + 1))
	for section in NAME SYNOPSIS DESCRIPTION 'SEE ALSO'; do
		grep -q "^\\.SH \"\\?$section\"\\?\$" "$page" ||
			fail "$page has no $section section"
	done
	case $page in
	*.3)
		for section in 'RETURN VALUE' ERRORS; do
			grep -q "^\\.SH \"$section\"\$\|^\\.SH $section\$" "$page" ||
				fail "$page has no $section section"
		done
		;;
	esac
	# groff: -ww all warnings, -z no output; any stderr is a failure
	out=$(cd "$man" && LC_ALL=C.UTF-8 groff -ww -z -t -man -Tutf8 "$page" 2>&1) ||
		fail "groff failed on $page"
	if [ -n "$out" ]; then
		fail "groff warns on $page:"
		echo "$out"
	fi
done

[ $status -eq 0 ] && echo "$(echo "$names" | wc -w) symbols documented in $pages pages, all render cleanly"
exit $status
