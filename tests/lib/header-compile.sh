#!/bin/bash
# The public header stands alone: C89 -pedantic, C99, and C++ when a C++
# compiler exists. Needs CC (from make); srcdir is the top source dir.
set -eu
srcdir=${srcdir:-.}
CC=${CC:-cc}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# included twice (guard), every type used, C89 declarations first
cat >"$tmp/t.c" <<'EOC'
#include <svmatomic.h>
#include <svmatomic.h>

static void on_revoke(struct svma_range *r, const struct svma_revocation *rev,
		      void *data)
{
	(void)r;
	(void)rev;
	(void)data;
}

int main(void)
{
	struct svma_device_info info;
	svma_revoke_handler h = on_revoke;
	svma_event_handler f = 0;
	int (*fn)(struct svma_device *) = svma_dispatch;

	info.pages = 0;
	(void)f;
	(void)fn;
	(void)h;
	return SVMA_CHECK_VERSION(0, 1, 0) ? (int)info.pages : 1;
}
EOC

for std in c89 c99 c11; do
	echo "$CC -std=$std -pedantic -Wall -Wextra -Werror"
	# shellcheck disable=SC2086  # CC may carry options
	$CC -std=$std -pedantic -Wall -Wextra -Werror -I"$srcdir/include" \
		-c "$tmp/t.c" -o "$tmp/t.o"
done

cxx=
for c in "${CXX:-}" c++ g++ clang++; do
	if [ -n "$c" ] && command -v "$c" >/dev/null; then
		cxx=$c
		break
	fi
done
if [ -z "$cxx" ]; then
	echo "no C++ compiler: C++ check not run"
	exit 0
fi
cp "$tmp/t.c" "$tmp/t.cc"
for std in c++98 c++11 c++17; do
	echo "$cxx -std=$std -pedantic -Wall -Wextra -Werror"
	$cxx -std=$std -pedantic -Wall -Wextra -Werror -I"$srcdir/include" \
		-c "$tmp/t.cc" -o "$tmp/t.o"
done
