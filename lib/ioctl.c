// SPDX-License-Identifier: MIT
/*
 * The one ioctl wrapper of the library.
 *
 * Copyright 2026 The svmatomic authors
 */
#include <errno.h>
#include <sys/ioctl.h>

#include "internal.h"

/*
 * Unlike drmIoctl(), retry only EINTR: -EAGAIN and -EBUSY from an
 * exclusive request mean something and must reach the caller. A positive
 * return is not part of any SVM ioctl's contract, so it is an error too.
 */
int svma_ioctl(int fd, unsigned long request, void *arg)
{
	int ret;

	do {
		ret = ioctl(fd, request, arg);
	} while (ret == -1 && errno == EINTR);

	if (ret < 0)
		return -errno;
	if (ret > 0)
		return -EPROTO;
	return 0;
}
