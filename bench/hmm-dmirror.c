// SPDX-License-Identifier: MIT
/*
 * test_hmm, the kernel's software device that mirrors a process with HMM
 * (CONFIG_TEST_HMM): the anchor for what making pages device-exclusive,
 * and snapshotting them, costs a driver inside the kernel.
 *
 * Copyright 2026 The svmatomic authors
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "hmm-dmirror.h"

/*
 * Opening the device registers an MMU interval notifier over the whole
 * address space, which every later invalidation of the process then
 * calls. Callers open it around their own measurements only, so that it
 * does not tax the others.
 */
int bench_dmirror_open(void)
{
	int fd = open(BENCH_DMIRROR_PATH, O_RDWR | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

static int dmirror_cmd(int fd, unsigned long request, void *addr,
		       uint64_t npages, void *ptr)
{
	struct bench_dmirror_cmd cmd;

	memset(&cmd, 0, sizeof(cmd));
	cmd.addr = (uintptr_t)addr;
	cmd.ptr = (uintptr_t)ptr;
	cmd.npages = npages;
	/* As hmm-tests does: only EINTR is retried. */
	while (ioctl(fd, request, &cmd)) {
		if (errno != EINTR)
			return -errno;
	}
	return 0;
}

/*
 * HMM_DMIRROR_EXCLUSIVE copies the range's data into @mirror once it is
 * exclusive (through a kernel bounce buffer of the same size), so a
 * range is passed in calls of at most @chunk pages: a 1 GiB range in one
 * call would need two more GiB. test_hmm works in runs of 64 pages
 * anyway, so the chunking adds only a few calls.
 */
int bench_dmirror_exclusive(int fd, void *addr, uint64_t npages,
			    void *mirror, uint64_t chunk)
{
	const size_t page = (size_t)sysconf(_SC_PAGESIZE);
	char *p = addr;
	uint64_t n;
	int ret;

	while (npages) {
		n = npages < chunk ? npages : chunk;
		ret = dmirror_cmd(fd, BENCH_DMIRROR_EXCLUSIVE, p, n, mirror);
		if (ret)
			return ret;
		p += n * page;
		npages -= n;
	}
	return 0;
}

/* One byte of HMM_DMIRROR_PROT_* per page into @states; faults nothing. */
int bench_dmirror_snapshot(int fd, void *addr, uint64_t npages,
			   uint8_t *states)
{
	return dmirror_cmd(fd, BENCH_DMIRROR_SNAPSHOT, addr, npages, states);
}
