// SPDX-License-Identifier: MIT
/*
 * Programs built against an older struct svma_device_info keep working
 * with a newer library. info-abi.sh builds the library with a header
 * whose struct has one more field than today's and runs this program,
 * built against the real header, with it: svma_device_get_info() must
 * accept 0.1's size (a local copy of 0.1's struct stands for a 0.1
 * program) and today's, and write nothing past either.
 *
 * Copyright 2026 The svmatomic authors
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <svmatomic.h>
#include "uapi/drm/drm_svm.h"

/*
 * From lib/internal.h, which this file must not include: it sees the
 * grown header when the library does.
 */
typedef int (*svma_ioctl_fn)(int fd, unsigned long request, void *arg);
int svma_device_create(int fd, bool own_fd, uint32_t uapi_version,
		       uint32_t page_size, svma_ioctl_fn ioctl_fn,
		       struct svma_device **devp);

/* Version 0.1's struct, as a program built then knows it. */
struct info_0_1 {
	uint32_t uapi_version;
	uint32_t page_size;
	uint32_t max_ranges;
	uint32_t ranges;
	uint64_t max_pages;
	uint64_t pages;
};

_Static_assert(sizeof(struct info_0_1) == 32, "0.1's struct");
_Static_assert(sizeof(struct svma_device_info) == 56,
	       "this program is built against 0.2's struct");

static int fake_ioctl(int fd, unsigned long request, void *arg)
{
	struct drm_svm_info *info = arg;

	(void)fd;
	if (request != DRM_SVM_IOCTL_INFO)
		return -ENOTTY;
	info->version = DRM_SVM_UAPI_VERSION;
	info->page_size = 4096;
	info->event_size = sizeof(struct drm_svm_event_revoked);
	info->max_handles = 1024;
	info->handles = 2;
	info->max_pages = 1u << 20;
	info->pages = 9;
	info->max_hold_us = DRM_SVM_HOLD_MAX_US;
	return 0;
}

/* Whether the @n bytes at @p are all @c. */
static bool all(const unsigned char *p, size_t n, unsigned char c)
{
	while (n--)
		if (*p++ != c)
			return false;
	return true;
}

static int check_0_1(struct svma_device *dev)
{
	struct {
		struct info_0_1 info;
		unsigned char guard[48];
	} buf;
	int ret, fail = 0;

	memset(&buf, 0xa5, sizeof(buf));
	ret = svma_device_get_info(dev, (struct svma_device_info *)&buf.info,
				   sizeof(buf.info));
	if (ret) {
		printf("FAIL: get_info with 0.1's size: %d (%s)\n", ret,
		       svma_strerror(ret));
		fail = 1;
	} else if (buf.info.page_size != 4096 || buf.info.ranges != 2 ||
		   buf.info.pages != 9 || buf.info.max_ranges != 1024) {
		printf("FAIL: 0.1's size: wrong values\n");
		fail = 1;
	}
	if (!all(buf.guard, sizeof(buf.guard), 0xa5)) {
		printf("FAIL: bytes past 0.1's struct written\n");
		fail = 1;
	}
	ret = svma_device_get_info(dev, (struct svma_device_info *)&buf.info,
				   sizeof(buf.info) - 1);
	if (ret != -EINVAL) {
		printf("FAIL: a size below 0.1's: %d, not -EINVAL\n", ret);
		fail = 1;
	}
	return fail;
}

static int check_0_2(struct svma_device *dev, bool hold)
{
	struct {
		struct svma_device_info info;
		unsigned char guard[32];
	} buf;
	int ret, fail = 0;

	memset(&buf, 0xa5, sizeof(buf));
	ret = svma_device_get_info(dev, &buf.info, sizeof(buf.info));
	if (ret) {
		printf("FAIL: get_info with 0.2's size: %d (%s)\n", ret,
		       svma_strerror(ret));
		return 1;
	}
	if (buf.info.pages != 9 || buf.info.reserved != 0 ||
	    buf.info.max_hold_us != (hold ? DRM_SVM_HOLD_MAX_US : 0) ||
	    /* from the context's fdinfo: fd -1 has none */
	    buf.info.hold_waits != 0 || buf.info.hold_wait_ns != 0) {
		printf("FAIL: 0.2's size, uAPI %d: wrong values\n",
		       hold ? 2 : 1);
		fail = 1;
	}
	if (!all(buf.guard, sizeof(buf.guard), 0xa5)) {
		printf("FAIL: bytes past 0.2's struct written\n");
		fail = 1;
	}
	/* the grown library's own size: its new field zeroed, no further */
	memset(&buf, 0xa5, sizeof(buf));
	ret = svma_device_get_info(dev, &buf.info, sizeof(buf.info) + 8);
	if (ret || !all(buf.guard, 8, 0) || !all(buf.guard + 8, 24, 0xa5)) {
		printf("FAIL: the grown size: %d\n", ret);
		fail = 1;
	}
	return fail;
}

int main(void)
{
	struct svma_device *dev;
	int fail = 0;

	/* uAPI 2, then uAPI 1, whose hold fields must read 0 */
	if (svma_device_create(-1, false, 2, 4096, fake_ioctl, &dev))
		return 99;
	fail |= check_0_1(dev);
	fail |= check_0_2(dev, true);
	svma_device_close(dev);

	if (svma_device_create(-1, false, 1, 4096, fake_ioctl, &dev))
		return 99;
	fail |= check_0_1(dev);
	fail |= check_0_2(dev, false);
	svma_device_close(dev);

	if (!fail)
		printf("0.1 and 0.2 callers work with a library whose struct grew\n");
	return fail;
}
