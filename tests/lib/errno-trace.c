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
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <svmatomic.h>

/* Errnos are small; anything past this is reported by number. */
#define TRACE_ERRNO_MAX 256

#define TRACE_VOID(name, params, args)

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

#undef TRACE_VOID

/*
 * Per process: a Check test runs in a child forked from the runner, and
 * a child that saw an errno its parent had seen before the fork need not
 * print it again; one that saw a new one prints it itself.
 */
static unsigned char trace_seen[TRACE_NCALLS][TRACE_ERRNO_MAX];

/*
 * Calls the library makes to itself pass here too where they cross its
 * object files (the unit tests link it statically): only the outermost
 * call, the one a test made, is counted. A handler the library calls is
 * the test's again: the handlers are called through a trampoline that
 * counts from 0 while they run.
 */
static __thread unsigned int trace_depth;

struct trace_handler {
	const struct svma_device *dev;
	int kind;			/* 1 revoke, 2 event fallback */
	svma_revoke_handler revoke;
	svma_event_handler event;
	void *data;
};

/* Enough for the devices of one test process; never freed but on close. */
#define TRACE_HANDLERS 256
static struct trace_handler trace_handlers[TRACE_HANDLERS];
static pthread_mutex_t trace_lock = PTHREAD_MUTEX_INITIALIZER;

static struct trace_handler *trace_slot(const struct svma_device *dev,
					int kind)
{
	struct trace_handler *h, *free_slot = NULL;
	unsigned int i;

	for (i = 0; i < TRACE_HANDLERS; i++) {
		h = &trace_handlers[i];
		if (h->dev == dev && h->kind == kind)
			return h;
		if (!h->dev && !free_slot)
			free_slot = h;
	}
	if (!free_slot) {
		static const char msg[] = "errno-trace: out of handler slots\n";

		if (write(STDERR_FILENO, msg, sizeof(msg) - 1) < 0)
			abort();
		abort();
	}
	free_slot->dev = dev;
	free_slot->kind = kind;
	return free_slot;
}

static void trace_forget(const struct svma_device *dev)
{
	unsigned int i;

	pthread_mutex_lock(&trace_lock);
	for (i = 0; i < TRACE_HANDLERS; i++) {
		if (trace_handlers[i].dev == dev)
			memset(&trace_handlers[i], 0, sizeof(trace_handlers[i]));
	}
	pthread_mutex_unlock(&trace_lock);
}

static void trace_revoke(struct svma_range *range,
			 const struct svma_revocation *rev, void *data)
{
	const struct trace_handler *h = data;
	unsigned int depth = trace_depth;

	trace_depth = 0;
	h->revoke(range, rev, h->data);
	trace_depth = depth;
}

static void trace_event(uint32_t type, const void *event, size_t length,
			void *data)
{
	const struct trace_handler *h = data;
	unsigned int depth = trace_depth;

	trace_depth = 0;
	h->event(type, event, length, h->data);
	trace_depth = depth;
}

/*
 * The handler and data a set-handler call passes on: the trampoline and
 * its slot, when a test made the call (depth 1 as its arguments are
 * evaluated) with a handler on a device; as given otherwise.
 */
static struct trace_handler *trace_register(const struct svma_device *dev,
					    int kind, svma_revoke_handler revoke,
					    svma_event_handler event,
					    void *data)
{
	struct trace_handler *h;

	if (!dev || (!revoke && !event) || trace_depth != 1)
		return NULL;
	pthread_mutex_lock(&trace_lock);
	h = trace_slot(dev, kind);
	h->revoke = revoke;
	h->event = event;
	h->data = data;
	pthread_mutex_unlock(&trace_lock);
	return h;
}

static svma_revoke_handler trace_revoke_fn(const struct svma_device *dev,
					   svma_revoke_handler handler)
{
	return dev && handler && trace_depth == 1 ? trace_revoke : handler;
}

static svma_event_handler trace_event_fn(const struct svma_device *dev,
					 svma_event_handler handler)
{
	return dev && handler && trace_depth == 1 ? trace_event : handler;
}

static void *trace_revoke_data(const struct svma_device *dev,
			       svma_revoke_handler handler, void *data)
{
	struct trace_handler *h = trace_register(dev, 1, handler, NULL, data);

	return h ? h : data;
}

static void *trace_event_data(const struct svma_device *dev,
			      svma_event_handler handler, void *data)
{
	struct trace_handler *h = trace_register(dev, 2, NULL, handler, data);

	return h ? h : data;
}

#define TRACE_REVOKE_HANDLER(dev, handler, data)			\
	trace_revoke_fn(dev, handler), trace_revoke_data(dev, handler, data)
#define TRACE_EVENT_HANDLER(dev, handler, data)				\
	trace_event_fn(dev, handler), trace_event_data(dev, handler, data)

static void trace_result(enum trace_call call, int ret)
{
	char line[96];
	const char *name;
	int err, len;

	if (ret >= 0)
		return;
	err = -ret;
	/* Threads of one test may fail the same way at once: print once. */
	if (err < TRACE_ERRNO_MAX &&
	    __atomic_exchange_n(&trace_seen[call][err], 1, __ATOMIC_RELAXED))
		return;
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
		int ret, saved;					\
								\
		trace_depth++;					\
		ret = __real_##name args;			\
		saved = errno;					\
		if (--trace_depth == 0)				\
			trace_result(TRACE_##name, ret);	\
		errno = saved;					\
		return ret;					\
	}
#define TRACE_VOID(name, params, args)				\
	void __real_##name params;				\
	void __wrap_##name params;				\
	void __wrap_##name params				\
	{							\
		trace_depth++;					\
		__real_##name args;				\
		trace_depth--;					\
		trace_forget(dev);				\
	}
#include "errno-trace-calls.h"
#undef TRACE
#undef TRACE_VOID
