// SPDX-License-Identifier: MIT
/*
 * Event delivery against the real kernel: waiting and dispatching, many
 * ranges revoked at once with no event lost, what a handler may call,
 * and a DRM fd shared with a libdrm drmEventContext user and with another
 * context: each reads its own events, none takes the others'.
 *
 * Copyright 2026 The svmatomic authors
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <xf86drm.h>

#include "guest-common.h"

static struct svma_device *dev;
static struct recorder rec;

static void setup(void)
{
	dev = open_vsvm();
	record(dev, &rec);
}

static void teardown(void)
{
	svma_device_close(dev);
	dev = NULL;
}

START_TEST(test_wait_dispatch)
{
	char *buf = map_pages(1);
	struct svma_range *r;

	ck_assert_int_eq(svma_device_wait(NULL, 0), -EINVAL);
	ck_assert_int_eq(svma_device_dispatch(NULL), -EINVAL);
	r = acquire(dev, buf, 1, 1);
	/* nothing pending: a poll, a short timeout, a dispatch */
	ck_assert_int_eq(svma_device_wait(dev, 0), 0);
	ck_assert_int_eq(svma_device_wait(dev, 20 * 1000 * 1000), 0);
	ck_assert_int_eq(svma_device_dispatch(dev), 0);

	cpu_touch(buf);
	ck_assert_int_eq(svma_device_wait(dev, -1), 1);
	ck_assert_int_eq(svma_device_wait(dev, 0), 1);	/* still pending */
	ck_assert_int_eq(svma_device_dispatch(dev), 1);
	ck_assert_int_eq(rec.n, 1);
	ck_assert_int_eq(svma_device_wait(dev, 0), 0);
	ck_assert_int_eq(svma_device_dispatch(dev), 0);
	ck_assert_int_eq(svma_range_release(r, 0), 0);
	unmap_pages(buf, 1);
}
END_TEST

/*
 * Hundreds of ranges revoked before anyone reads: the context queues one
 * event per handle, with no space of its own to fill, and every one
 * arrives, once.
 */
START_TEST(test_many_ranges)
{
	enum { N = 300 };
	struct svma_range *r[N];
	char *buf = map_pages(N);
	int seen[N];
	int i;

	for (i = 0; i < N; i++)
		r[i] = acquire(dev, PAGE(buf, i), 1, (uint64_t)i);
	/* every range loses its page before a single event is read */
	for (i = 0; i < N; i++)
		cpu_touch(PAGE(buf, i));
	dispatch_until(dev, &rec, N, 0, 10000);
	ck_assert_int_eq(rec.n, N);
	ck_assert_int_eq(rec.foreign, 0);

	memset(seen, 0, sizeof(seen));
	for (i = 0; i < rec.n; i++) {
		uint64_t c = rec.ev[i].cookie;

		ck_assert_uint_lt(c, N);
		ck_assert_ptr_eq(rec.ev[i].range, r[c]);
		ck_assert_ptr_eq(rec.ev[i].addr, PAGE(buf, c));
		ck_assert_uint_eq(rec.ev[i].reasons, SVMA_REASON_CPU_ACCESS);
		ck_assert_uint_eq(rec.ev[i].seqno, 1);
		seen[c]++;
	}
	for (i = 0; i < N; i++) {
		ck_assert_int_eq(seen[i], 1);
		ck_assert_int_eq(svma_range_is_revoked(r[i]), 1);
	}

	/* and again, after re-arming every one */
	rec.n = 0;
	for (i = 0; i < N; i++)
		ck_assert_int_eq(svma_range_reacquire(r[i], 0, NULL, 0), 0);
	for (i = N - 1; i >= 0; i--)
		cpu_touch(PAGE(buf, i));
	dispatch_until(dev, &rec, N, 0, 10000);
	ck_assert_int_eq(rec.n, N);
	for (i = 0; i < N; i++)
		ck_assert_uint_eq(svma_range_seqno(r[i]), 2);

	for (i = 0; i < N; i++)
		ck_assert_int_eq(svma_range_release(r[i], 0), 0);
	unmap_pages(buf, N);
}
END_TEST

/* ---- reentrancy ---------------------------------------------------------- */

struct reentry {
	struct svma_range *release_me;
	struct svma_range *reacquire_me;
	struct svma_range *acquired;
	void *spare;
	int calls;
	int dispatch_ret;
	int release_ret;
	int reacquire_ret;
	int query_ret;
	int acquire_ret;
	int info_ret;
};

static void reentrant_handler(struct svma_range *range,
			      const struct svma_revocation *rev,
			      void *user_data)
{
	struct reentry *re = user_data;
	struct svma_device_info info;
	uint8_t st;

	(void)rev;
	re->calls++;
	re->dispatch_ret = svma_device_dispatch(svma_range_device(range));
	re->query_ret = svma_device_query(svma_range_device(range),
				   svma_range_addr(range), pgsz, &st, 1);
	re->info_ret = svma_device_get_info(svma_range_device(range), &info,
					    sizeof(info));
	if (range == re->release_me) {
		/* the range must not be used after this */
		re->release_ret = svma_range_release(range, 0);
	} else if (range == re->reacquire_me) {
		re->reacquire_ret = svma_range_reacquire(range, 0, NULL, 0);
		re->acquire_ret = svma_range_acquire(svma_range_device(range),
						     re->spare, pgsz, 99, 0,
						     NULL, 0, &re->acquired);
	}
}

START_TEST(test_handler_reentrancy)
{
	struct reentry re;
	char *buf = map_pages(3);
	struct svma_range *a, *b;
	int i;

	memset(&re, 0, sizeof(re));
	re.dispatch_ret = re.release_ret = re.reacquire_ret = 1;
	re.query_ret = re.acquire_ret = re.info_ret = 1;
	a = acquire(dev, buf, 1, 1);
	b = acquire(dev, PAGE(buf, 1), 1, 2);
	re.release_me = a;
	re.reacquire_me = b;
	re.spare = PAGE(buf, 2);
	ck_assert_int_eq(svma_device_set_revoke_handler(dev, reentrant_handler, &re),
			 0);

	cpu_touch(buf);
	cpu_touch(PAGE(buf, 1));
	for (i = 0; i < 500 && re.calls < 2; i++) {
		ck_assert_int_ge(svma_device_wait(dev, 10 * 1000 * 1000), 0);
		ck_assert_int_ge(svma_device_dispatch(dev), 0);
	}
	ck_assert_int_eq(re.calls, 2);
	ck_assert_int_eq(re.dispatch_ret, -EBUSY);
	ck_assert_int_eq(re.query_ret, 0);
	ck_assert_int_eq(re.info_ret, 0);
	ck_assert_int_eq(re.release_ret, 0);
	ck_assert_int_eq(re.reacquire_ret, 0);
	ck_assert_int_eq(re.acquire_ret, 0);
	ck_assert_ptr_nonnull(re.acquired);

	/* what the handler did holds: a released, b re-armed, c new */
	ck_assert_uint_eq(page_state(dev, buf) & SVMA_PAGE_HELD, 0);
	ck_assert_uint_eq(page_state(dev, PAGE(buf, 1)) & SVMA_PAGE_HELD,
			  SVMA_PAGE_HELD);
	ck_assert_int_eq(svma_range_is_revoked(b), 0);
	ck_assert_uint_eq(svma_range_cookie(re.acquired), 99);
	/* b's new event comes, to the handler again, outside dispatch */
	re.reacquire_me = NULL;
	cpu_touch(PAGE(buf, 1));
	for (i = 0; i < 500 && re.calls < 3; i++) {
		ck_assert_int_ge(svma_device_wait(dev, 10 * 1000 * 1000), 0);
		ck_assert_int_ge(svma_device_dispatch(dev), 0);
	}
	ck_assert_int_eq(re.calls, 3);
	ck_assert_int_eq(svma_device_dispatch(dev), 0);	/* not stuck busy */
	ck_assert_int_eq(svma_range_release(b, 0), 0);
	ck_assert_int_eq(svma_range_release(re.acquired, 0), 0);
	unmap_pages(buf, 3);
}
END_TEST

static void closing_handler(struct svma_range *range,
			    const struct svma_revocation *rev, void *user_data)
{
	int *calls = user_data;

	(void)rev;
	(*calls)++;
	svma_device_close(svma_range_device(range));
}

/*
 * A handler may close its device: the ranges are released and the fd
 * closed at once, and svma_device_dispatch() frees the device on its way out
 * instead of parsing on in freed memory (issue 7).
 */
START_TEST(test_close_from_handler)
{
	struct svma_device *other = open_vsvm();
	char *buf = map_pages(3);
	uint8_t st[3];
	int calls = 0, fd, i;

	for (i = 0; i < 3; i++)
		acquire(dev, PAGE(buf, i), 1, (uint64_t)i);
	fd = svma_device_fd(dev);
	ck_assert_int_eq(svma_device_set_revoke_handler(dev, closing_handler, &calls),
			 0);
	/* three events queued before the dispatch */
	for (i = 0; i < 3; i++)
		cpu_touch(PAGE(buf, i));
	ck_assert_int_eq(svma_device_wait(dev, 1000 * 1000 * 1000), 1);
	ck_assert_int_eq(svma_device_dispatch(dev), 1);
	dev = NULL;	/* freed */
	ck_assert_int_eq(calls, 1);
	ck_assert_int_eq(fcntl(fd, F_GETFD), -1);
	/* nothing is held any more, by anyone */
	query(other, buf, 3, st);
	for (i = 0; i < 3; i++)
		ck_assert_uint_eq(st[i] & SVMA_PAGE_EXCLUSIVE, 0);
	svma_device_close(other);
	unmap_pages(buf, 3);
}
END_TEST

/* ---- the DRM fd's other users -------------------------------------------- */

struct drm_user {
	int vblank_calls;
	int flip_calls;
};

static void drm_vblank(int fd, unsigned int seq, unsigned int sec,
		       unsigned int usec, void *data)
{
	(void)fd; (void)seq; (void)sec; (void)usec;
	((struct drm_user *)data)->vblank_calls++;
}

static void drm_flip(int fd, unsigned int seq, unsigned int sec,
		     unsigned int usec, unsigned int crtc, void *data)
{
	(void)fd; (void)seq; (void)sec; (void)usec; (void)crtc;
	((struct drm_user *)data)->flip_calls++;
}

static short poll_revents(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	ck_assert_int_ge(poll(&p, 1, 0), 0);
	return p.revents;
}

/*
 * Since 0.3 the revocations come on the device's context, not on the DRM
 * fd: a libdrm user calling drmHandleEvent() on the DRM fd (a display
 * stack's event loop, say) finds nothing there and consumes nothing of
 * ours; svma_device_dispatch() still gets the revocation afterwards.
 */
START_TEST(test_drmhandleevent_consumes_nothing)
{
	drmEventContext ctx;
	struct drm_user du;
	char *buf = map_pages(2);
	struct svma_range *r;
	int drm_fd = svma_device_drm_fd(dev);

	memset(&du, 0, sizeof(du));
	memset(&ctx, 0, sizeof(ctx));
	ctx.version = DRM_EVENT_CONTEXT_VERSION;
	ctx.vblank_handler = drm_vblank;
	ctx.page_flip_handler2 = drm_flip;

	r = acquire(dev, buf, 2, 1);
	cpu_touch(buf);
	ck_assert_int_eq(svma_device_wait(dev, 1000 * 1000 * 1000), 1);
	/* readable: the context; not the DRM fd */
	ck_assert_int_eq(poll_revents(svma_device_fd(dev)) & POLLIN, POLLIN);
	ck_assert_int_eq(poll_revents(drm_fd) & POLLIN, 0);
	/* the DRM fd is non-blocking (svma_device_open): nothing to read */
	errno = 0;
	ck_assert_int_eq(drmHandleEvent(drm_fd, &ctx), -1);
	ck_assert_int_eq(errno, EAGAIN);
	ck_assert_int_eq(du.vblank_calls + du.flip_calls, 0);
	ck_assert_int_eq(rec.n + rec.foreign, 0);
	/* the event is still ours */
	ck_assert_int_eq(svma_device_wait(dev, 0), 1);
	ck_assert_int_eq(svma_device_dispatch(dev), 1);
	ck_assert_int_eq(rec.n, 1);
	ck_assert_int_eq(rec.foreign, 0);
	ck_assert_ptr_eq(rec.ev[0].range, r);
	ck_assert_ptr_eq(rec.ev[0].addr, buf);
	ck_assert_uint_eq(rec.ev[0].reasons, SVMA_REASON_CPU_ACCESS);
	ck_assert_uint_eq(rec.ev[0].seqno, 1);
	ck_assert_int_eq(svma_range_is_revoked(r), 1);
	/* and the DRM fd's user still finds nothing */
	ck_assert_int_eq(drmHandleEvent(drm_fd, &ctx), -1);
	ck_assert_int_eq(du.vblank_calls + du.flip_calls, 0);
	ck_assert_int_eq(svma_range_release(r, 0), 0);
	unmap_pages(buf, 2);
}
END_TEST

/*
 * A driver stack sharing the DRM fd creates a context of its own on it
 * (the raw ioctl, as a driver library would): its handles and events are
 * its own, ours reach our handler and nothing else; the fallback, which
 * until 0.2 got the shared fd's other events, gets nothing.
 */
START_TEST(test_shared_fd_other_context)
{
	struct drm_svm_event_revoked ev;
	struct drm_svm_acquire raw;
	struct drm_svm_release rel;
	struct drm_svm_info info;
	char *buf = map_pages(2);
	struct svma_range *r;
	uint32_t version = 0;
	int other, i;
	ssize_t n;

	other = vsvm_context_create(svma_device_drm_fd(dev),
				    DRM_SVM_CONTEXT_NONBLOCK, &version);
	ck_assert_msg(other >= 0, "context: %s", strerror(-other));
	ck_assert_uint_eq(version, DRM_SVM_UAPI_VERSION);
	ck_assert_int_ne(fcntl(other, F_GETFD) & FD_CLOEXEC, 0);

	r = acquire(dev, buf, 1, 1);
	memset(&raw, 0, sizeof(raw));
	raw.addr = (uintptr_t)PAGE(buf, 1);
	raw.length = pgsz;
	raw.cookie = 0xfeedface;
	ck_assert_int_eq(ioctl(other, DRM_SVM_IOCTL_ACQUIRE, &raw), 0);
	/* each context counts its own */
	memset(&info, 0, sizeof(info));
	ck_assert_int_eq(ioctl(other, DRM_SVM_IOCTL_INFO, &info), 0);
	ck_assert_uint_eq(info.handles, 1);
	ck_assert_uint_eq(info.pages, 1);
	ck_assert_uint_eq(page_state(dev, PAGE(buf, 1)) & SVMA_PAGE_HELD, 0);

	cpu_touch(PAGE(buf, 1));
	cpu_touch(buf);
	ck_assert_int_eq(dispatch_until(dev, &rec, 1, 0, 5000), 1);
	ck_assert_int_eq(rec.n, 1);
	ck_assert_ptr_eq(rec.ev[0].range, r);
	ck_assert_int_eq(rec.foreign, 0);
	/* the other context's event waits there, whole */
	for (i = 0; i < 500 && !(poll_revents(other) & POLLIN); i++)
		usleep(10000);
	n = read(other, &ev, sizeof(ev));
	ck_assert_int_eq(n, (ssize_t)sizeof(ev));
	ck_assert_uint_eq(ev.base.type, DRM_SVM_EVENT_REVOKED);
	ck_assert_uint_eq(ev.base.size, sizeof(ev));
	ck_assert_uint_eq(ev.handle, raw.handle);
	ck_assert_uint_eq(ev.cookie, 0xfeedface);
	ck_assert_uint_eq(ev.addr, (uintptr_t)PAGE(buf, 1));
	ck_assert_uint_eq(ev.reasons, DRM_SVM_REASON_CPU_ACCESS);
	ck_assert_uint_eq(ev.flags, 0);
	ck_assert_int_eq(read(other, &ev, sizeof(ev)), -1);
	ck_assert_int_eq(errno, EAGAIN);
	ck_assert_int_eq(svma_device_dispatch(dev), 0);

	memset(&rel, 0, sizeof(rel));
	rel.handle = raw.handle;
	ck_assert_int_eq(ioctl(other, DRM_SVM_IOCTL_RELEASE, &rel), 0);
	close(other);
	ck_assert_int_eq(svma_range_release(r, 0), 0);
	unmap_pages(buf, 2);
}
END_TEST

/*
 * Events pulled into a buffer (0.3): every getter against what happened,
 * at most the buffer's capacity per read, and the ranges' state as
 * svma_device_dispatch() would leave it, without calling a handler.
 */
START_TEST(test_pull_events)
{
	enum { N = 40 };
	struct svma_event_buffer *buf;
	struct svma_range *r[N];
	char *mem = map_pages(N);
	int seen[N], i, n, total = 0;

	for (i = 0; i < N; i++)
		r[i] = acquire(dev, PAGE(mem, i), 1, 1000 + (uint64_t)i);
	ck_assert_int_eq(svma_event_buffer_new(16, &buf), 0);
	ck_assert_int_eq(svma_device_read_events(dev, buf, 16), 0);
	for (i = 0; i < N; i++)
		cpu_touch(PAGE(mem, i));

	memset(seen, 0, sizeof(seen));
	ck_assert_int_eq(svma_device_wait(dev, -1), 1);
	while ((n = svma_device_read_events(dev, buf, 100)) > 0) {
		ck_assert_int_le(n, 16);
		ck_assert_uint_eq(svma_event_buffer_count(buf), (size_t)n);
		for (i = 0; i < n; i++) {
			const struct svma_event *ev =
				svma_event_buffer_get(buf, (size_t)i);
			uint64_t c = svma_event_cookie(ev) - 1000;

			ck_assert_uint_lt(c, N);
			ck_assert_ptr_eq(svma_event_range(ev), r[c]);
			ck_assert_ptr_eq(svma_event_addr(ev), PAGE(mem, c));
			ck_assert_uint_eq(svma_event_length(ev), pgsz);
			ck_assert_uint_eq(svma_event_reasons(ev),
					  SVMA_REASON_CPU_ACCESS);
			ck_assert_uint_eq(svma_event_seqno(ev), 1);
			ck_assert_uint_eq(svma_event_coalesced(ev), 0);
			ck_assert_int_eq(svma_event_is_stale(ev), 0);
			seen[c]++;
		}
		total += n;
	}
	ck_assert_int_eq(n, 0);
	ck_assert_int_eq(total, N);
	for (i = 0; i < N; i++) {
		ck_assert_int_eq(seen[i], 1);
		ck_assert_int_eq(svma_range_is_revoked(r[i]), 1);
		ck_assert_uint_eq(svma_range_seqno(r[i]), 1);
	}
	/* no handler ran */
	ck_assert_int_eq(rec.n, 0);

	/* a revocation, a re-acquire, then the old event read: stale */
	ck_assert_int_eq(svma_range_reacquire(r[0], 0, NULL, 0), 0);
	cpu_touch(PAGE(mem, 0));
	ck_assert_int_eq(svma_range_reacquire(r[0], 0, NULL, 0), 0);
	ck_assert_int_eq(svma_device_read_events(dev, buf, 16), 1);
	ck_assert_int_eq(svma_event_is_stale(svma_event_buffer_get(buf, 0)),
			 1);
	ck_assert_int_eq(svma_range_is_revoked(r[0]), 0);

	svma_event_buffer_free(buf);
	for (i = 0; i < N; i++)
		ck_assert_int_eq(svma_range_release(r[i], 0), 0);
	unmap_pages(mem, N);
}
END_TEST

struct pingpong {
	struct svma_device *dev;
	volatile uint64_t *word;
	int stop;
	unsigned long device_ops, cpu_ops;
};

/* The device keeps taking the page back, re-acquiring it each time. */
static void *device_side(void *arg)
{
	struct pingpong *pp = arg;

	while (!__atomic_load_n(&pp->stop, __ATOMIC_RELAXED)) {
		if (dev_op(pp->dev, DRM_VSVM_OP_ADD, (void *)pp->word, 8, 1, 0,
			   DRM_VSVM_ATOMIC_REACQUIRE, NULL) == 0)
			pp->device_ops++;
	}
	return NULL;
}

/*
 * svma_device_dispatch() is bounded (issue 24): with the CPU and the device
 * taking one page from each other as fast as they can, and so a stream
 * of revocations that never runs dry, every call returns, after one read.
 */
START_TEST(test_dispatch_bounded_under_pingpong)
{
	struct pingpong pp = { .dev = dev };
	char *mem = map_pages(1);
	unsigned long events = 0;
	struct svma_range *r;
	pthread_t thread;
	int i, ret, calls = 0;

	pp.word = (volatile uint64_t *)mem;
	r = acquire(dev, mem, 1, 7);
	ck_assert_int_eq(pthread_create(&thread, NULL, device_side, &pp), 0);
	for (i = 0; i < 2000; i++) {
		/* the CPU's side: a write, which revokes the device's page */
		(*pp.word)++;
		pp.cpu_ops++;
		ret = svma_device_dispatch(dev);
		ck_assert_int_ge(ret, 0);
		/* one range: at most 1 / 32 + 2 reads, of one event each */
		ck_assert_int_le(ret, 2);
		calls++;
		/* the recorder holds REC_MAX events: count and start over */
		events += (unsigned long)rec.n;
		rec.n = 0;
	}
	__atomic_store_n(&pp.stop, 1, __ATOMIC_RELAXED);
	ck_assert_int_eq(pthread_join(thread, NULL), 0);
	ck_assert_int_eq(calls, 2000);
	/* both sides did take the page: it was a ping-pong */
	ck_assert_uint_gt(pp.device_ops, 0);
	ck_assert_uint_gt(events, 0);
	ck_assert_int_eq(svma_range_release(r, 0), 0);
	ck_assert_uint_eq(*pp.word, pp.cpu_ops + pp.device_ops);
	unmap_pages(mem, 1);
}
END_TEST

Suite *suite_events(void)
{
	Suite *s = suite_create("events");
	TCase *tc;

	tc = tcase_create("dispatch");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_wait_dispatch);
	tcase_add_test(tc, test_many_ranges);
	tcase_add_test(tc, test_pull_events);
	tcase_add_test(tc, test_dispatch_bounded_under_pingpong);
	tcase_set_timeout(tc, 120);
	suite_add_tcase(s, tc);

	tc = tcase_create("reentrancy");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_handler_reentrancy);
	tcase_add_test(tc, test_close_from_handler);
	suite_add_tcase(s, tc);

	tc = tcase_create("shared-fd");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_drmhandleevent_consumes_nothing);
	tcase_add_test(tc, test_shared_fd_other_context);
	suite_add_tcase(s, tc);

	return s;
}
