// SPDX-License-Identifier: MIT
/*
 * The vsvm device, as the benchmarks use it: finding its render node and
 * running a batch of atomic operations through it to the end (the shared
 * helpers of tests/vsvm-helpers.h).
 *
 * Copyright 2026 The svmatomic authors
 */
#include <errno.h>

#include "vsvm-helpers.h"

#include "bench.h"

/* Submissions in a row that make no progress before giving up. */
#define MAX_REPLAYS	1000

/* The vsvm render node, found by its driver name, like svm-stress. */
int bench_open_vsvm(char *path, size_t len)
{
	return vsvm_open(path, len);
}

/*
 * Run @count operations for the context @ctx. The ioctl stops at the
 * first that fails and says in done how many completed, so the rest is
 * resubmitted: after EINTR, and after EBUSY (the CPU took the page back
 * before the device could use it), as a device replays a fault. A
 * take-back arms the handle's next event, but a context queues at most
 * one per handle, so nothing has to be read first: ENOSPC is an error.
 */
int bench_vsvm_run(int fd, int ctx, struct drm_vsvm_atomic_op *ops,
		   uint32_t count)
{
	unsigned int stuck = 0;
	uint32_t done = 0, n;
	int err;

	while (done < count) {
		err = -vsvm_atomic(fd, ctx, ops + done, count - done,
				   DRM_VSVM_ATOMIC_REACQUIRE, &n, NULL);
		if (n > count - done)
			return -EPROTO;
		done += n;
		if (!err)
			return done == count ? 0 : -EPROTO;
		if (err != EBUSY && err != EINTR)
			return -err;
		stuck = n ? 0 : stuck + 1;
		if (stuck > MAX_REPLAYS)
			return -EBUSY;
	}
	return 0;
}
