// SPDX-License-Identifier: MIT
/*
 * Which errnos the tests make libsvmatomic return. The test programs
 * (tests/lib/test-main, tests/guest/guest-main) are linked with
 * -Wl,@tests/lib/errno-trace.wrap, one --wrap per library call that
 * documents errnos, so each of their calls goes through a wrapper here.
 * A wrapper passes the call on and, the first time in a process that the
 * call fails with an errno, prints to stderr
 *
 *	svma-errno: svma_device_open ENOENT
 *
 * tests/lib/errno-coverage.test reads these lines back from the test logs
 * and checks them against the man pages both ways: every errno a page
 * lists was returned by some test, and no test saw an errno its page
 * does not list. The calls are counted as the tests make them, not as
 * the tests say they do.
 *
 * Copyright 2026 The svmatomic authors
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <svmatomic.h>

/* Errnos are small; anything past this is reported by number. */
#define TRACE_ERRNO_MAX 256

enum trace_call {
#define TRACE(name, params, args) TRACE_##name,
#include "errno-trace-calls.h"
#undef TRACE
	TRACE_NCALLS
};

static const char *const trace_names[TRACE_NCALLS] = {
#define TRACE(name, params, args) [TRACE_##name] = #name,
#include "errno-trace-calls.h"
#undef TRACE
};

/*
 * Per process: a Check test runs in a child forked from the runner, and
 * a child that saw an errno its parent had seen before the fork need not
 * print it again; one that saw a new one prints it itself.
 */
static bool trace_seen[TRACE_NCALLS][TRACE_ERRNO_MAX];

static void trace_result(enum trace_call call, int ret)
{
	char line[96];
	const char *name;
	int err, len;

	if (ret >= 0)
		return;
	err = -ret;
	if (err < TRACE_ERRNO_MAX) {
		if (trace_seen[call][err])
			return;
		trace_seen[call][err] = true;
	}
	name = err < TRACE_ERRNO_MAX ? strerrorname_np(err) : NULL;
	if (name)
		len = snprintf(line, sizeof(line), "svma-errno: %s %s\n",
			       trace_names[call], name);
	else
		len = snprintf(line, sizeof(line), "svma-errno: %s %d\n",
			       trace_names[call], err);
	/* One write, so that lines of forked tests do not interleave. */
	if (len > 0 && write(STDERR_FILENO, line, (size_t)len) < 0)
		return;
}

/* Keeps errno as the library left it: some callers look at it. */
#define TRACE(name, params, args)				\
	int __real_##name params;				\
	int __wrap_##name params;				\
	int __wrap_##name params				\
	{							\
		int ret = __real_##name args;			\
		int saved = errno;				\
								\
		trace_result(TRACE_##name, ret);		\
		errno = saved;					\
		return ret;					\
	}
#include "errno-trace-calls.h"
#undef TRACE
