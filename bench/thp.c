// SPDX-License-Identifier: MIT
/*
 * Switching transparent huge pages at run time, so that one guest boot
 * measures both modes: /sys/kernel/mm/transparent_hugepage/enabled,
 * which root may write.
 *
 * Copyright 2026 The svmatomic authors
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"

#define THP_ENABLED	"/sys/kernel/mm/transparent_hugepage/enabled"

/*
 * The current mode, the bracketed word of "always [madvise] never".
 * -ENOENT when the kernel has no transparent hugepages.
 */
int bench_thp_get(char *mode, size_t len)
{
	char buf[128], *open_b, *close_b;
	ssize_t got;
	int fd;

	fd = open(THP_ENABLED, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	got = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (got < 0)
		return -errno;
	buf[got] = '\0';
	open_b = strchr(buf, '[');
	close_b = open_b ? strchr(open_b, ']') : NULL;
	if (!close_b || (size_t)(close_b - open_b) > len)
		return -EPROTO;
	memcpy(mode, open_b + 1, (size_t)(close_b - open_b - 1));
	mode[close_b - open_b - 1] = '\0';
	return 0;
}

/* Set @mode and read it back: a write the kernel ignored is an error. */
int bench_thp_set(const char *mode)
{
	char now[32];
	ssize_t put;
	int fd, ret;

	fd = open(THP_ENABLED, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	put = write(fd, mode, strlen(mode));
	ret = put < 0 ? -errno : 0;
	close(fd);
	if (ret)
		return ret;
	ret = bench_thp_get(now, sizeof(now));
	if (ret)
		return ret;
	return strcmp(now, mode) ? -EIO : 0;
}
