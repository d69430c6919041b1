// SPDX-License-Identifier: MIT
/*
 * svma-demo: a timeline of device-exclusive access, for a person.
 *
 * Opens the vsvm device, acquires a buffer, lets the device do atomic
 * increments through it, lets a CPU thread touch a page and shows the
 * revocation event and the page state changing, re-acquires, then makes
 * CPU threads and the device contend for the same counters and checks
 * that not one update was lost.
 *
 * Exit status: 0 when every check passed, 1 when one failed, 77 when
 * there is no capable vsvm device (run it in the VM: vm/run).
 *
 * Copyright 2026 The svmatomic authors
 */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <xf86drm.h>

#include <svmatomic.h>
#include "uapi/drm/vsvm_drm.h"

#define NPAGES		4
#define NCOUNTERS	4	/* one per page */
#define CPU_THREADS	2	/* adding until the device is done */
#define DEV_BATCHES	400
#define DEV_BATCH	64	/* adds per DRM_IOCTL_VSVM_ATOMIC */
#define FIRST_ADDS	1000
#define MAX_REPLAYS	1000	/* EBUSY in a row without progress */

static struct timespec t0;
static size_t pgsz;
static int failures;

struct demo {
	struct svma_device *dev;
	struct svma_range *range;
	char *buf;
	uint64_t *counter[NCOUNTERS];
	/* contention: the CPU threads count their own adds */
	int stop;
	uint64_t cpu_adds[CPU_THREADS][NCOUNTERS];
	/* events */
	int quiet;
	int events;
	int stale;		/* sent before a re-acquire, read after */
	uint32_t coalesced;
	uint32_t last_seqno;
	uint32_t last_reasons;
	/* device batches resubmitted after EBUSY */
	uint64_t busy;
};

static double elapsed(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0.tv_sec) +
	       (double)(t.tv_nsec - t0.tv_nsec) / 1e9;
}

/* One line of the timeline: time, step, what happened. */
__attribute__((format(printf, 2, 3)))
static void step(const char *what, const char *fmt, ...)
{
	va_list ap;

	printf("%8.3f s  %-10s ", elapsed(), what);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

/* A continuation line, aligned under the text of the step above. */
__attribute__((format(printf, 1, 2)))
static void more(const char *fmt, ...)
{
	va_list ap;

	printf("%23s", "");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

__attribute__((format(printf, 1, 2)))
static void fail(const char *fmt, ...)
{
	va_list ap;

	printf("%8.3f s  %-10s ", elapsed(), "FAILED");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	failures++;
}

static const char *reasons_str(uint32_t reasons, char *buf, size_t size)
{
	uint32_t bit;
	size_t len = 0;

	buf[0] = '\0';
	for (bit = 1; bit; bit <<= 1) {
		if (!(reasons & bit) || len >= size)
			continue;
		len += (size_t)snprintf(buf + len, size - len, "%s%s",
					len ? ", " : "",
					svma_reason_string(bit));
	}
	return buf;
}

static const char *state_str(uint8_t st, char *buf, size_t size)
{
	static const struct { uint8_t bit; const char *name; } names[] = {
		{ SVMA_PAGE_PRESENT, "present" },
		{ SVMA_PAGE_WRITABLE, "writable" },
		{ SVMA_PAGE_EXCLUSIVE, "exclusive" },
		{ SVMA_PAGE_HELD, "held" },
		{ SVMA_PAGE_REVOKED, "revoked" },
		{ SVMA_PAGE_DEVICE_PRIVATE, "device-private" },
	};
	size_t i, len = 0;

	buf[0] = '\0';
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if ((st & names[i].bit) && len < size)
			len += (size_t)snprintf(buf + len, size - len, "%s%s",
						len ? " " : "",
						names[i].name);
	return len ? buf : "(none)";
}

static void on_revoke(struct svma_range *range,
		      const struct svma_revocation *rev, void *user_data)
{
	struct demo *d = user_data;
	char reasons[128];

	/* pages a re-acquire already took back: nothing to report */
	if (rev->flags & SVMA_REVOCATION_STALE) {
		d->stale++;
		return;
	}
	d->events++;
	d->coalesced += rev->coalesced;
	d->last_seqno = rev->seqno;
	d->last_reasons = rev->reasons;
	if (d->quiet)
		return;
	step("event", "revoked: page %td (%" PRIu64 " bytes), reason: %s",
	     ((char *)rev->addr - (char *)svma_range_addr(range)) /
	     (ptrdiff_t)pgsz, rev->length,
	     reasons_str(rev->reasons, reasons, sizeof(reasons)));
	more("seqno %" PRIu32 ", %" PRIu32 " coalesced", rev->seqno,
	     rev->coalesced);
}

/*
 * Run ops[0..count) on the device: vsvm's ioctl goes to the DRM fd
 * (svma_device_drm_fd()) and names the device's context, whose held pages
 * it operates on (svma_device_fd()). The ioctl stops at the first
 * operation that fails and says in args.done how many completed, so what
 * follows is resubmitted: after EINTR, and, when re-acquiring, after
 * EBUSY (the CPU took the page back again before the device could use
 * it, as often as the kernel retries): a device replays such a fault the
 * same way.
 */
static int vsvm_atomic(struct demo *d, struct drm_vsvm_atomic_op *ops,
		       uint32_t count, uint32_t flags, uint32_t *reacquired)
{
	struct drm_vsvm_atomic args;
	uint32_t done = 0;
	int ret, err, stuck = 0;

	if (reacquired)
		*reacquired = 0;
	while (done < count) {
		memset(&args, 0, sizeof(args));
		args.ops_ptr = (uintptr_t)(ops + done);
		args.count = count - done;
		args.flags = flags;
		args.ctx_fd = svma_device_fd(d->dev);
		ret = ioctl(svma_device_drm_fd(d->dev), DRM_IOCTL_VSVM_ATOMIC,
			    &args);
		err = ret < 0 ? errno : 0;
		if (reacquired)
			*reacquired += args.reacquired;
		if (args.done > count - done)
			return -EPROTO;
		done += args.done;
		if (!err)
			return done == count ? 0 : -EPROTO;
		if (err == EBUSY && (flags & DRM_VSVM_ATOMIC_REACQUIRE)) {
			/* a bound, for a CPU that never lets go */
			stuck = args.done ? 0 : stuck + 1;
			if (stuck > MAX_REPLAYS)
				return -EBUSY;
			d->busy++;
		} else if (err != EINTR) {
			return -err;
		}
	}
	return 0;
}

static void add_op(struct drm_vsvm_atomic_op *op, uint64_t *word,
		   uint64_t value)
{
	memset(op, 0, sizeof(*op));
	op->addr = (uintptr_t)word;
	op->op = DRM_VSVM_OP_ADD;
	op->size = 8;
	op->operand = value;
}

static uint8_t page_state(struct demo *d, int page)
{
	uint8_t st = 0;
	int ret;

	ret = svma_device_query(d->dev, d->buf + (size_t)page * pgsz, pgsz, &st, 1);
	if (ret)
		fail("query: %s", svma_strerror(ret));
	return st;
}

/* Wait up to a second for events and dispatch them. */
static void pump_events(struct demo *d, int want)
{
	int i, ret;

	for (i = 0; i < 100 && d->events < want; i++) {
		ret = svma_device_wait(d->dev, 10 * 1000 * 1000);
		if (ret < 0)
			break;
		ret = svma_device_dispatch(d->dev);
		if (ret < 0) {
			fail("dispatch: %s", svma_strerror(ret));
			return;
		}
	}
}

static void *cpu_reader(void *arg)
{
	uint64_t *word = arg;

	/* a plain load: the CPU fault takes the page back */
	return (void *)(uintptr_t)*(volatile uint64_t *)word;
}

static void *cpu_adder(void *arg)
{
	struct demo *d = arg;
	static int next;
	int t = __atomic_fetch_add(&next, 1, __ATOMIC_RELAXED);
	uint64_t *mine = d->cpu_adds[t];
	unsigned int i = (unsigned int)t;

	/* at least one round, then until the device is done */
	do {
		__atomic_fetch_add(d->counter[i % NCOUNTERS], 1,
				   __ATOMIC_RELAXED);
		mine[i % NCOUNTERS]++;
		/* bursts, so that the device thread gets the CPU as well */
		if (++i % 1024 == 0)
			sched_yield();
	} while (i < NCOUNTERS || !__atomic_load_n(&d->stop, __ATOMIC_RELAXED));
	return NULL;
}

static int open_device(struct demo *d)
{
	struct svma_device_info info;
	drmVersionPtr ver;
	char *path;
	int ret, fd;

	ret = svma_device_open_first(0, &d->dev);
	if (ret) {
		printf("no capable device: %s\n", svma_strerror(ret));
		printf("(run it in the VM: vm/run -- demo/svma-demo)\n");
		return 77;
	}
	/* the DRM fd: the context (svma_device_fd()) is no DRM file */
	fd = svma_device_drm_fd(d->dev);
	ver = drmGetVersion(fd);
	if (!ver || strcmp(ver->name, "vsvm") != 0) {
		printf("the first capable device is %s, not vsvm: the demo "
		       "needs vsvm's atomic engine\n", ver ? ver->name : "?");
		drmFreeVersion(ver);
		return 77;
	}
	drmFreeVersion(ver);
	ret = svma_device_get_info(d->dev, &info, sizeof(info));
	if (ret) {
		fail("get_info: %s", svma_strerror(ret));
		return 1;
	}
	path = drmGetDeviceNameFromFd2(fd);
	step("open", "%s (vsvm), uAPI %" PRIu32 ", page %" PRIu32
	     " bytes, up to %" PRIu32 " ranges", path ? path : "?",
	     info.uapi_version, info.page_size, info.max_ranges);
	free(path);
	return 0;
}

int main(void)
{
	struct drm_vsvm_atomic_op ops[DEV_BATCH];
	pthread_t threads[CPU_THREADS];
	uint64_t want_cpu, want_dev, got, cpu_total = 0, reacquired = 0;
	struct demo d;
	char s1[128], s2[128];
	uint32_t reacq, seqno0;
	void *read_back;
	uint8_t before, after;
	int ret, i, b;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	setvbuf(stdout, NULL, _IOLBF, 0);
	pgsz = (size_t)sysconf(_SC_PAGESIZE);
	memset(&d, 0, sizeof(d));

	printf("svma-demo: libsvmatomic %s, device-exclusive atomics on "
	       "shared memory\n\n", svma_version_string());
	printf("%10s  %-10s %s\n", "time", "step", "what happened");
	ret = open_device(&d);
	if (ret)
		return ret;
	svma_device_set_revoke_handler(d.dev, on_revoke, &d);

	/* --- acquire a buffer ------------------------------------------- */
	d.buf = mmap(NULL, NPAGES * pgsz, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (d.buf == MAP_FAILED) {
		fail("mmap: %s", strerror(errno));
		return 1;
	}
	memset(d.buf, 0, NPAGES * pgsz);
	for (i = 0; i < NCOUNTERS; i++)
		d.counter[i] = (uint64_t *)(d.buf + (size_t)i * pgsz);
	ret = svma_range_acquire(d.dev, d.buf, NPAGES * pgsz, 1, 0, NULL, 0,
				 &d.range);
	if (ret) {
		fail("acquire: %s", svma_strerror(ret));
		return 1;
	}
	step("acquire", "%d pages (%zu KiB): %" PRIu64 " exclusive to the "
	     "device, handle %" PRIu32, NPAGES, NPAGES * pgsz / 1024,
	     svma_range_pages_exclusive(d.range), svma_range_handle(d.range));

	/* --- device atomics ----------------------------------------------- */
	for (i = 0; i < DEV_BATCH; i++)
		add_op(&ops[i], d.counter[0], 1);
	ret = 0;
	for (i = 0; i < FIRST_ADDS && !ret; i += DEV_BATCH) {
		int n = FIRST_ADDS - i < DEV_BATCH ? FIRST_ADDS - i : DEV_BATCH;

		ret = vsvm_atomic(&d, ops, (uint32_t)n, 0, NULL);
	}
	if (ret)
		fail("device atomics: %s", svma_strerror(ret));
	step("device", "%d atomic adds of 1 to counter 0 (page 0)",
	     FIRST_ADDS);
	before = page_state(&d, 0);
	step("query", "page 0: %s", state_str(before, s1, sizeof(s1)));

	/* --- a CPU thread touches the page ---------------------------------- */
	if (pthread_create(&threads[0], NULL, cpu_reader, d.counter[0]) ||
	    pthread_join(threads[0], &read_back)) {
		fail("pthread");
		return 1;
	}
	step("cpu", "a thread reads counter 0: %" PRIuPTR
	     " (the CPU fault takes page 0 back)", (uintptr_t)read_back);
	if ((uintptr_t)read_back != FIRST_ADDS)
		fail("counter 0 is %" PRIuPTR ", expected %d",
		     (uintptr_t)read_back, FIRST_ADDS);
	pump_events(&d, 1);
	if (d.events != 1 || d.last_reasons != SVMA_REASON_CPU_ACCESS)
		fail("expected one cpu-access revocation, got %d events",
		     d.events);
	after = page_state(&d, 0);
	step("query", "page 0: %s", state_str(after, s2, sizeof(s2)));
	more("(was: %s)", s1);
	if (!(after & SVMA_PAGE_REVOKED) || (after & SVMA_PAGE_HELD))
		fail("page 0 should be revoked and not held");
	ret = vsvm_atomic(&d, ops, 1, 0, NULL);
	step("device", "an add on page 0 now fails: %s", svma_strerror(ret));
	if (ret != -ENXIO)
		fail("expected -ENXIO");

	/* --- re-acquire ------------------------------------------------------ */
	ret = svma_range_reacquire(d.range, 0, NULL, 0);
	if (ret)
		fail("reacquire: %s", svma_strerror(ret));
	step("reacquire", "%" PRIu64 "/%d pages exclusive again; page 0: %s",
	     svma_range_pages_exclusive(d.range), NPAGES,
	     state_str(page_state(&d, 0), s1, sizeof(s1)));

	/* --- contention -------------------------------------------------------- */
	for (i = 0; i < DEV_BATCH; i++)
		add_op(&ops[i], d.counter[i % NCOUNTERS], 1);
	step("contend", "%d CPU threads (__atomic_fetch_add) and the device",
	     CPU_THREADS);
	more("(%d batches x %d adds, VSVM_ATOMIC_REACQUIRE)",
	     DEV_BATCHES, DEV_BATCH);
	more("add 1 to %d counters, one per page", NCOUNTERS);
	d.quiet = 1;
	d.events = 0;
	d.stale = 0;
	d.coalesced = 0;
	seqno0 = svma_range_seqno(d.range);
	for (i = 0; i < CPU_THREADS; i++) {
		if (pthread_create(&threads[i], NULL, cpu_adder, &d)) {
			fail("pthread_create");
			return 1;
		}
	}
	for (b = 0; b < DEV_BATCHES; b++) {
		ret = vsvm_atomic(&d, ops, DEV_BATCH,
				  DRM_VSVM_ATOMIC_REACQUIRE, &reacq);
		reacquired += reacq;
		if (ret) {
			fail("device batch %d: %s", b, svma_strerror(ret));
			break;
		}
		/* read events as they come; re-arm so that more are sent */
		if (svma_device_dispatch(d.dev) > 0)
			svma_range_reacquire(d.range, 0, NULL, 0);
	}
	__atomic_store_n(&d.stop, 1, __ATOMIC_RELAXED);
	for (i = 0; i < CPU_THREADS; i++)
		pthread_join(threads[i], NULL);
	pump_events(&d, d.events + 1);
	for (i = 0; i < CPU_THREADS; i++)
		for (b = 0; b < NCOUNTERS; b++)
			cpu_total += d.cpu_adds[i][b];
	step("contend", "done: %" PRIu64 " CPU adds, %d device adds",
	     cpu_total, DEV_BATCHES * DEV_BATCH);
	/*
	 * The range's sequence number counts revocations: the events' and
	 * the re-acquires' numbers both move it.
	 */
	more("CPU revoked pages %" PRIu32 " times or more (%d events, %"
	     PRIu32 " coalesced into them; %d stale)",
	     svma_range_seqno(d.range) - seqno0, d.events, d.coalesced,
	     d.stale);
	more("device re-acquired pages %" PRIu64 " times (%" PRIu64
	     " batches resubmitted: taken back before use)", reacquired,
	     d.busy);

	/* --- the result --------------------------------------------------------- */
	ret = svma_range_release(d.range, 0);
	if (ret)
		fail("release: %s", svma_strerror(ret));
	step("release", "CPU mappings restored; checking the counters");
	want_dev = (uint64_t)DEV_BATCHES * DEV_BATCH / NCOUNTERS;
	printf("\n%10s  %9s  %9s  %9s  %9s\n", "counter", "cpu adds",
	       "dev adds", "expected", "actual");
	for (i = 0; i < NCOUNTERS; i++) {
		uint64_t want;
		int t;

		for (want_cpu = 0, t = 0; t < CPU_THREADS; t++)
			want_cpu += d.cpu_adds[t][i];
		want = want_cpu + want_dev + (i == 0 ? FIRST_ADDS : 0);
		got = *d.counter[i];
		printf("%10d  %9" PRIu64 "  %9" PRIu64 "  %9" PRIu64 "  %9"
		       PRIu64 "  %s\n", i, want_cpu,
		       want_dev + (i == 0 ? FIRST_ADDS : 0), want, got,
		       got == want ? "ok" : "LOST UPDATES");
		if (got != want)
			failures++;
	}

	svma_device_close(d.dev);
	munmap(d.buf, NPAGES * pgsz);
	printf("\nresult: %s\n", failures ? "FAILED" :
	       "every update counted, by CPU and device alike");
	return failures ? 1 : 0;
}
