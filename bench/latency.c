// SPDX-License-Identifier: MIT
/*
 * Revocation latency: from a CPU write to a held page until a thread
 * blocked in poll() on the context has read the revocation event, against
 * the nearest thing the kernel offers without this series, a userfaultfd
 * write-protect fault: the faulting thread stops, a handler thread reads
 * the message and lifts the protection, the faulting thread resumes.
 *
 * Copyright 2026 The svmatomic authors
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/userfaultfd.h>

#include "uapi/drm/drm_svm.h"

#include "bench.h"

/* How long a sample may take before the run is declared stuck. */
#define STUCK_NS	(10ULL * 1000000000)
/* How often a waiting thread looks at the stop flag, in ms. */
#define POLL_MS		100

struct waiter {
	struct bench *b;
	pthread_t thread;
	atomic_bool stop;
	/* Events read (poller) or faults resolved (uffd handler). */
	atomic_uint count;
	/* When the last one was read, by bench_now(). */
	_Atomic uint64_t when;
	int fd;
	uint32_t handle;
	/* Set by the thread when it gives up: a positive errno. */
	atomic_int err;
	void *page;
};

/* Wait until @w has counted @target, or it failed, or too long passed. */
static int wait_count(struct waiter *w, unsigned int target)
{
	uint64_t start = bench_now();

	while (atomic_load(&w->count) < target) {
		if (atomic_load(&w->err))
			return -atomic_load(&w->err);
		if (bench_now() - start > STUCK_NS)
			return -ETIMEDOUT;
	}
	return 0;
}

/* --- the revocation event ------------------------------------------- */

static void *poller(void *arg)
{
	struct waiter *w = arg;
	struct pollfd pfd = { .fd = w->b->ctx, .events = POLLIN };
	char buf[4096];
	ssize_t got;
	size_t off;

	while (!atomic_load(&w->stop)) {
		if (poll(&pfd, 1, POLL_MS) < 0 && errno != EINTR) {
			atomic_store(&w->err, errno);
			return NULL;
		}
		if (!(pfd.revents & POLLIN))
			continue;
		got = read(w->b->ctx, buf, sizeof(buf));
		if (got < 0) {
			if (errno == EAGAIN || errno == EINTR)
				continue;
			atomic_store(&w->err, errno);
			return NULL;
		}
		atomic_store(&w->when, bench_now());
		/* Count only our handle's revocations, framed as the uAPI says. */
		for (off = 0; off + sizeof(struct drm_svm_event) <= (size_t)got;) {
			struct drm_svm_event_revoked ev;
			struct drm_svm_event e;

			memcpy(&e, buf + off, sizeof(e));
			if (e.size < sizeof(e) || off + e.size > (size_t)got) {
				atomic_store(&w->err, EPROTO);
				return NULL;
			}
			if (e.type == DRM_SVM_EVENT_REVOKED &&
			    e.size >= sizeof(ev)) {
				memcpy(&ev, buf + off, sizeof(ev));
				if (ev.handle == w->handle)
					atomic_fetch_add(&w->count, 1);
			}
			off += e.size;
		}
	}
	return NULL;
}

static int event_samples(struct waiter *w, double *v, unsigned int n)
{
	struct drm_svm_reacquire r;
	volatile char *c = w->page;
	unsigned int i;
	uint64_t t0;
	int ret;

	for (i = 0; i < n; i++) {
		t0 = bench_now();
		c[0] = (char)i;
		ret = wait_count(w, i + 1);
		if (ret)
			return ret;
		v[i] = (double)(atomic_load(&w->when) - t0);

		/* Take the page back and arm the next event (untimed). */
		memset(&r, 0, sizeof(r));
		r.handle = w->handle;
		if (ioctl(w->b->ctx, DRM_SVM_IOCTL_REACQUIRE, &r))
			return -errno;
	}
	return 0;
}

static void event_latency(struct bench *b, enum bench_thp mode, double *v)
{
	struct bench_latency_result *r = &b->lat[mode][L_EVENT];
	struct drm_svm_release rel = { 0 };
	struct drm_svm_acquire a;
	struct waiter w = { .b = b };
	int ret;

	w.page = bench_map(b, b->page, mode == THP_ALWAYS);
	if (!w.page) {
		r->why = "no memory";
		b->errors++;
		return;
	}
	memset(&a, 0, sizeof(a));
	a.addr = (uintptr_t)w.page;
	a.length = b->page;
	a.cookie = 2;
	if (ioctl(b->ctx, DRM_SVM_IOCTL_ACQUIRE, &a)) {
		r->err = errno;
		r->why = "DRM_SVM_IOCTL_ACQUIRE";
		b->errors++;
		goto out;
	}
	w.handle = a.handle;
	ret = pthread_create(&w.thread, NULL, poller, &w);
	if (ret) {
		r->err = ret;
		r->why = "pthread_create";
		b->errors++;
		goto release;
	}
	ret = event_samples(&w, v, b->samples);
	atomic_store(&w.stop, true);
	pthread_join(w.thread, NULL);
	if (ret) {
		r->err = -ret;
		r->why = ret == -ETIMEDOUT ? "no event within 10 s" :
			 "reading the events or re-acquiring";
		b->errors++;
	} else {
		bench_latency_stats(r, v, b->samples);
	}
release:
	rel.handle = w.handle;
	ioctl(b->ctx, DRM_SVM_IOCTL_RELEASE, &rel);
	bench_drain_events(b);
out:
	bench_unmap(w.page, b->page);
}

/* --- the userfaultfd write-protect round trip ------------------------ */

static int uffd_protect(struct waiter *w, bool wp)
{
	struct uffdio_writeprotect p;

	memset(&p, 0, sizeof(p));
	p.range.start = (uintptr_t)w->page;
	p.range.len = w->b->page;
	/* Clearing the protection also wakes the faulting thread. */
	p.mode = wp ? UFFDIO_WRITEPROTECT_MODE_WP : 0;
	return ioctl(w->fd, UFFDIO_WRITEPROTECT, &p) ? -errno : 0;
}

static void *uffd_handler(void *arg)
{
	struct waiter *w = arg;
	struct pollfd pfd = { .fd = w->fd, .events = POLLIN };
	struct uffd_msg msg;
	ssize_t got;
	int ret;

	while (!atomic_load(&w->stop)) {
		if (poll(&pfd, 1, POLL_MS) < 0 && errno != EINTR) {
			atomic_store(&w->err, errno);
			return NULL;
		}
		if (!(pfd.revents & POLLIN))
			continue;
		got = read(w->fd, &msg, sizeof(msg));
		if (got < 0) {
			if (errno == EAGAIN || errno == EINTR)
				continue;
			atomic_store(&w->err, errno);
			return NULL;
		}
		if (got != sizeof(msg) || msg.event != UFFD_EVENT_PAGEFAULT ||
		    !(msg.arg.pagefault.flags & UFFD_PAGEFAULT_FLAG_WP)) {
			atomic_store(&w->err, EPROTO);
			return NULL;
		}
		ret = uffd_protect(w, false);
		if (ret) {
			atomic_store(&w->err, -ret);
			return NULL;
		}
		atomic_fetch_add(&w->count, 1);
	}
	return NULL;
}

static int uffd_samples(struct waiter *w, double *v, unsigned int n)
{
	volatile char *c = w->page;
	unsigned int i;
	uint64_t t0, t1;
	int ret;

	for (i = 0; i < n; i++) {
		ret = uffd_protect(w, true);
		if (ret)
			return ret;
		t0 = bench_now();
		c[0] = (char)i;
		t1 = bench_now();
		/* The handler counts after it woke us: wait for its count. */
		ret = wait_count(w, i + 1);
		if (ret)
			return ret;
		v[i] = (double)(t1 - t0);
	}
	return 0;
}

/* userfaultfd with write protection; -errno with @why set otherwise. */
static int uffd_open(struct waiter *w, const char **why)
{
	struct uffdio_register reg;
	struct uffdio_api api;
	int fd, err;

	fd = (int)syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		*why = "userfaultfd()";
		return -errno;
	}
	memset(&api, 0, sizeof(api));
	api.api = UFFD_API;
	api.features = UFFD_FEATURE_PAGEFAULT_FLAG_WP;
	if (ioctl(fd, UFFDIO_API, &api)) {
		*why = "UFFDIO_API with UFFD_FEATURE_PAGEFAULT_FLAG_WP";
		goto fail;
	}
	memset(&reg, 0, sizeof(reg));
	reg.range.start = (uintptr_t)w->page;
	reg.range.len = w->b->page;
	reg.mode = UFFDIO_REGISTER_MODE_WP;
	if (ioctl(fd, UFFDIO_REGISTER, &reg)) {
		*why = "UFFDIO_REGISTER_MODE_WP";
		goto fail;
	}
	w->fd = fd;
	return 0;
fail:
	err = errno;
	close(fd);
	return -err;
}

static void uffd_latency(struct bench *b, enum bench_thp mode, double *v)
{
	struct bench_latency_result *r = &b->lat[mode][L_UFFD];
	struct waiter w = { .b = b };
	int ret;

	w.page = bench_map(b, b->page, mode == THP_ALWAYS);
	if (!w.page) {
		r->why = "no memory";
		b->errors++;
		return;
	}
	ret = uffd_open(&w, &r->why);
	if (ret) {
		/* A kernel without it: an anchor missing, not an error. */
		r->err = -ret;
		goto out;
	}
	ret = pthread_create(&w.thread, NULL, uffd_handler, &w);
	if (ret) {
		r->err = ret;
		r->why = "pthread_create";
		b->errors++;
		goto close;
	}
	ret = uffd_samples(&w, v, b->samples);
	atomic_store(&w.stop, true);
	pthread_join(w.thread, NULL);
	if (ret) {
		r->err = -ret;
		r->why = ret == -ETIMEDOUT ? "no fault resolved within 10 s" :
			 "UFFDIO_WRITEPROTECT or reading the messages";
		b->errors++;
	} else {
		bench_latency_stats(r, v, b->samples);
	}
close:
	close(w.fd);
out:
	bench_unmap(w.page, b->page);
}

/* Both latencies, on a page of memory of their own. */
void bench_latency(struct bench *b, enum bench_thp mode)
{
	double *v = calloc(b->samples, sizeof(*v));

	if (!v) {
		b->lat[mode][L_EVENT].why = "no memory";
		b->lat[mode][L_UFFD].why = "no memory";
		b->errors++;
		return;
	}
	event_latency(b, mode, v);
	uffd_latency(b, mode, v);
	free(v);
}
