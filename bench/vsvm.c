// SPDX-License-Identifier: MIT
/*
 * The vsvm device, as the benchmarks use it: finding its render node and
 * running a batch of atomic operations through it to the end.
 *
 * Copyright 2026 The svmatomic authors
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "uapi/drm/drm_svm.h"
#include "uapi/drm/vsvm_drm.h"

#include "bench.h"

/* Submissions in a row that make no progress before giving up. */
#define MAX_REPLAYS	1000

/* The vsvm render node, found by its driver name, like svm-stress. */
int bench_open_vsvm(char *path, size_t len)
{
	struct dirent *de;
	int fd = -1;
	DIR *dir;

	dir = opendir("/dev/dri");
	if (!dir)
		return -1;
	while ((de = readdir(dir))) {
		char name[32] = "";
		struct drm_version v = { .name_len = sizeof(name) - 1,
					 .name = name };

		if (strncmp(de->d_name, "renderD", 7))
			continue;
		snprintf(path, len, "/dev/dri/%s", de->d_name);
		fd = open(path, O_RDWR | O_CLOEXEC | O_NONBLOCK);
		if (fd < 0)
			continue;
		if (!ioctl(fd, DRM_IOCTL_VERSION, &v) && !strcmp(name, "vsvm"))
			break;
		close(fd);
		fd = -1;
	}
	closedir(dir);
	return fd;
}

/*
 * Run @count operations. The ioctl stops at the first that fails and says
 * in done how many completed, so the rest is resubmitted: after EINTR,
 * after EBUSY (the CPU took the page back before the device could use
 * it), as a device replays a fault, and after ENOSPC, once the pending
 * events are read (a take-back arms the handle's next event, and the
 * file's event space holds two per handle).
 */
int bench_vsvm_run(int fd, struct drm_vsvm_atomic_op *ops, uint32_t count)
{
	struct drm_vsvm_atomic args;
	unsigned int stuck = 0;
	uint32_t done = 0;
	int err;

	while (done < count) {
		memset(&args, 0, sizeof(args));
		args.ops_ptr = (uintptr_t)(ops + done);
		args.count = count - done;
		args.flags = DRM_VSVM_ATOMIC_REACQUIRE;
		err = ioctl(fd, DRM_IOCTL_VSVM_ATOMIC, &args) ? errno : 0;
		if (args.done > count - done)
			return -EPROTO;
		done += args.done;
		if (!err)
			return done == count ? 0 : -EPROTO;
		if (err == ENOSPC)
			bench_drain_fd(fd);
		else if (err != EBUSY && err != EINTR)
			return -err;
		stuck = args.done ? 0 : stuck + 1;
		if (stuck > MAX_REPLAYS)
			return -EBUSY;
	}
	return 0;
}
