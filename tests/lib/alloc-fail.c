// SPDX-License-Identifier: MIT
/*
 * Allocation failures on demand, for the error paths of the library: the
 * unit tests are linked with --wrap=malloc,--wrap=calloc,--wrap=realloc
 * (tests/lib/local.mk), so every malloc(), calloc() and realloc() the
 * library's own code calls (it is linked in statically) comes through
 * here; what glibc allocates inside fopen(), getline() or scandir() for
 * it does not. test_fail_nth_alloc(n) makes
 * the nth allocation from then on fail with ENOMEM, and only that one;
 * 0 turns failures off. The real allocator is still the one below
 * (glibc's, or ASan's or valgrind's when they run the tests).
 *
 * Copyright 2026 The svmatomic authors
 */
#include <errno.h>
#include <stddef.h>

#include "test-common.h"

void *__real_malloc(size_t size);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t size);
void *__wrap_malloc(size_t size);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t size);

static unsigned int fail_at;
static unsigned int allocs;

void test_fail_nth_alloc(unsigned int n)
{
	allocs = 0;
	fail_at = n;
}

static int alloc_fails(void)
{
	if (!fail_at || ++allocs != fail_at)
		return 0;
	errno = ENOMEM;
	return 1;
}

void *__wrap_malloc(size_t size)
{
	return alloc_fails() ? NULL : __real_malloc(size);
}

void *__wrap_calloc(size_t n, size_t size)
{
	return alloc_fails() ? NULL : __real_calloc(n, size);
}

void *__wrap_realloc(void *p, size_t size)
{
	return alloc_fails() ? NULL : __real_realloc(p, size);
}
