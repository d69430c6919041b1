// SPDX-License-Identifier: MIT
/*
 * Adapt a range's hold time while CPU threads and the device (vsvm's
 * atomic engine) increment the same counters.
 *
 * Without a hold, every CPU increment takes its page back from the
 * device and every device batch takes it back again: the page
 * ping-pongs and both sides spend their time on revocations. A hold
 * makes the CPU wait until the device had the page for a while; too
 * long a hold starves the CPU instead. So, every tenth of a second:
 * raise the hold while the device keeps having to take pages back
 * (many revocations per second), and halve it when the CPU threads
 * spend more than a budget of their time waiting for hold windows
 * (hold_wait_ns of svma_device_get_info()).
 *
 * At the end every counter is checked: the sum must be the CPU's adds
 * plus the device's. Exit 0 when no increment was lost, 1 otherwise.
 *
 * Copyright 2026 The svmatomic authors
 */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <svmatomic.h>
#include "uapi/drm/vsvm_drm.h"

#define NPAGES		2
#define NCOUNTERS	4	/* two per page, on their own cache lines */
#define CPU_THREADS	2
#define DEV_BATCH	64	/* device adds per ioctl */
#define PERIOD_NS	100000000ll	/* the policy looks every 100 ms */
#define RAISE_REVOKES	100	/* per second: the page ping-pongs */
#define WAIT_BUDGET_PCT	25	/* of the CPU threads' time */
#define HOLD_MIN_US	50	/* the first step up from 0 */

static uint64_t *counter[NCOUNTERS];
static int stop;			/* set by main, read by the threads */

struct cpu_thread {
	pthread_t tid;
	unsigned int id;
	uint64_t adds;			/* read by main after the join */
};

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ll + ts.tv_nsec;
}

static void *cpu_adder(void *arg)
{
	struct cpu_thread *t = arg;
	uint64_t i = t->id;

	/* Each add may fault the page back from the device, or wait. */
	while (!__atomic_load_n(&stop, __ATOMIC_RELAXED)) {
		__atomic_fetch_add(counter[i++ % NCOUNTERS], 1,
				   __ATOMIC_RELAXED);
		t->adds++;
	}
	return NULL;
}

/*
 * One batch of device adds. vsvm's ioctl goes to the DRM fd and names
 * the device's context, whose held pages it works on. The engine re-takes
 * revoked pages (DRM_VSVM_ATOMIC_REACQUIRE), as a GPU replays a fault;
 * the ioctl stops where the CPU took a page again before the device could
 * use it (-EBUSY), and the rest is resubmitted. *reacquired counts the
 * pages taken back: each one is a revocation the CPU caused.
 */
static int device_batch(struct svma_device *dev, struct drm_vsvm_atomic_op *ops,
			uint64_t *adds, uint64_t *reacquired)
{
	int fd = svma_device_drm_fd(dev);
	struct drm_vsvm_atomic args;
	uint32_t done = 0;
	int tries = 0;

	while (done < DEV_BATCH) {
		memset(&args, 0, sizeof(args));
		args.ops_ptr = (uintptr_t)(ops + done);
		args.count = DEV_BATCH - done;
		args.flags = DRM_VSVM_ATOMIC_REACQUIRE;
		args.ctx_fd = svma_device_fd(dev);
		if (ioctl(fd, DRM_IOCTL_VSVM_ATOMIC, &args) < 0 &&
		    errno != EBUSY && errno != EINTR)
			return -errno;
		/* only what completed counts: it was written back */
		done += args.done;
		*adds += args.done;
		*reacquired += args.reacquired;
		if (++tries > 100000)	/* a CPU that never lets go */
			return -EBUSY;
	}
	return 0;
}

/*
 * The policy: what to set the hold to after a period of @period_ns in
 * which the device re-took @revokes pages and the CPU threads waited
 * @wait_ns in all.
 */
static uint32_t next_hold(uint32_t hold, uint32_t max, uint64_t revokes,
			  uint64_t wait_ns, int64_t period_ns)
{
	uint64_t busy_ns = (uint64_t)period_ns * CPU_THREADS;

	/* starving: back off first, whatever the ping-pong */
	if (wait_ns * 100 > busy_ns * WAIT_BUDGET_PCT)
		return hold / 2 < HOLD_MIN_US ? 0 : hold / 2;
	/* ping-pong: let the device keep the pages longer */
	if (revokes * 1000000000ull > RAISE_REVOKES * (uint64_t)period_ns) {
		if (hold == 0)
			return HOLD_MIN_US < max ? HOLD_MIN_US : max;
		return hold > max / 2 ? max : hold * 2;
	}
	return hold;
}

static int usage(const char *prog, int status)
{
	fprintf(status ? stderr : stdout,
		"usage: %s [--duration SECONDS]\n"
		"  --duration  how long to run (default 2, at most 60)\n",
		prog);
	return status;
}

int main(int argc, char **argv)
{
	size_t pgsz = (size_t)sysconf(_SC_PAGESIZE), len = NPAGES * pgsz;
	struct drm_vsvm_atomic_op ops[DEV_BATCH];
	struct cpu_thread threads[CPU_THREADS];
	uint64_t dev_adds = 0, cpu_adds = 0, sum = 0, reacquired = 0;
	uint64_t last_reacquired = 0, last_wait_ns = 0;
	struct svma_device_info info;
	struct svma_device *dev;
	struct svma_range *range;
	int64_t start, last, end, now;
	double duration = 2;
	bool hold_ok = true;
	uint32_t hold = 0;
	int i, ret, started = 0;
	char *buf;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--duration") && i + 1 < argc)
			duration = strtod(argv[++i], NULL);
		else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help"))
			return usage(argv[0], 0);
		else
			return usage(argv[0], 2);
	}
	if (!(duration > 0 && duration <= 60))
		return usage(argv[0], 2);

	ret = svma_device_open_first(0, &dev);
	if (ret) {
		fprintf(stderr, "no capable device: %s\n", svma_strerror(ret));
		return 1;
	}
	buf = mmap(NULL, len, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED) {
		perror("mmap");
		svma_device_close(dev);
		return 1;
	}
	memset(buf, 0, len);
	for (i = 0; i < NCOUNTERS; i++)
		counter[i] = (uint64_t *)(buf + (size_t)(i / 2) * pgsz +
					  (size_t)(i % 2) * 256);
	for (i = 0; i < DEV_BATCH; i++) {
		memset(&ops[i], 0, sizeof(ops[i]));
		ops[i].addr = (uintptr_t)counter[i % NCOUNTERS];
		ops[i].op = DRM_VSVM_OP_ADD;
		ops[i].size = 8;
		ops[i].operand = 1;
	}

	ret = svma_range_acquire(dev, buf, len, 0, 0, NULL, 0, &range);
	if (ret) {
		fprintf(stderr, "acquire: %s\n", svma_strerror(ret));
		goto out;
	}
	ret = svma_device_get_info(dev, &info, sizeof(info));
	if (ret) {
		fprintf(stderr, "info: %s\n", svma_strerror(ret));
		goto out;
	}
	/* An older kernel: no hold time, but the counters still add up. */
	ret = svma_range_set_hold(range, 0);
	if (ret == -EOPNOTSUPP) {
		printf("this kernel has no hold time: running without\n");
		hold_ok = false;
	} else if (ret) {
		fprintf(stderr, "set hold: %s\n", svma_strerror(ret));
		goto out;
	}

	for (i = 0; i < CPU_THREADS; i++) {
		threads[i].id = (unsigned int)i;
		threads[i].adds = 0;
		if (pthread_create(&threads[i].tid, NULL, cpu_adder,
				   &threads[i])) {
			ret = -EAGAIN;
			goto join;
		}
		started++;
	}

	start = last = now_ns();
	end = start + (int64_t)(duration * 1e9);
	last_wait_ns = info.hold_wait_ns;
	while ((now = now_ns()) < end) {
		ret = device_batch(dev, ops, &dev_adds, &reacquired);
		if (ret) {
			fprintf(stderr, "device: %s\n", svma_strerror(ret));
			goto join;
		}
		if (now - last < PERIOD_NS)
			continue;
		/* Each take-back re-arms the event: read them (one a range). */
		svma_device_dispatch(dev);
		ret = svma_device_get_info(dev, &info, sizeof(info));
		if (ret) {
			fprintf(stderr, "info: %s\n", svma_strerror(ret));
			goto join;
		}
		if (hold_ok) {
			uint32_t h = next_hold(hold, info.max_hold_us,
					       reacquired - last_reacquired,
					       info.hold_wait_ns - last_wait_ns,
					       now - last);

			if (h != hold) {
				ret = svma_range_set_hold(range, h);
				if (ret) {
					fprintf(stderr, "set hold: %s\n",
						svma_strerror(ret));
					goto join;
				}
				printf("%5.2f s: %" PRIu64 " revocations, CPU waited %"
				       PRIu64 " us: hold %" PRIu32 " -> %" PRIu32
				       " us\n", (now - start) / 1e9,
				       reacquired - last_reacquired,
				       (info.hold_wait_ns - last_wait_ns) / 1000,
				       hold, h);
				hold = h;
			}
		}
		last = now;
		last_reacquired = reacquired;
		last_wait_ns = info.hold_wait_ns;
	}
	ret = 0;

join:
	__atomic_store_n(&stop, 1, __ATOMIC_RELAXED);
	for (i = 0; i < started; i++) {
		pthread_join(threads[i].tid, NULL);
		cpu_adds += threads[i].adds;
	}
	if (ret == 0 && svma_device_get_info(dev, &info, sizeof(info)) == 0)
		printf("CPU adds %" PRIu64 ", device adds %" PRIu64
		       ", revocations %" PRIu64 ", CPU waits %" PRIu64
		       " (%" PRIu64 " us)\n", cpu_adds, dev_adds, reacquired,
		       info.hold_waits, info.hold_wait_ns / 1000);
	/* eager: the CPU gets its mappings back before it reads */
	svma_range_release(range, 0);
	if (ret == 0) {
		for (i = 0; i < NCOUNTERS; i++)
			sum += *counter[i];
		if (sum != cpu_adds + dev_adds) {
			printf("LOST: counters sum to %" PRIu64 ", expected %"
			       PRIu64 "\n", sum, cpu_adds + dev_adds);
			ret = -EIO;
		} else {
			printf("no increment lost: %" PRIu64 "\n", sum);
		}
	}
out:
	svma_device_close(dev);
	munmap(buf, len);
	return ret ? 1 : 0;
}
