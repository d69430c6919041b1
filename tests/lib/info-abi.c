// SPDX-License-Identifier: MIT
/*
 * A program built against version 0.1's struct svma_device_info, run
 * with a library whose struct has grown (info-abi.sh builds the library
 * with a header that adds a field): svma_device_get_info() must accept
 * 0.1's size and write nothing past it.
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

static int fake_ioctl(int fd, unsigned long request, void *arg)
{
	struct drm_svm_info *info = arg;

	(void)fd;
	if (request != DRM_IOCTL_SVM_INFO)
		return -ENOTTY;
	info->version = DRM_SVM_UAPI_VERSION;
	info->page_size = 4096;
	info->event_size = sizeof(struct drm_svm_event_revoked);
	info->max_handles = 1024;
	info->handles = 2;
	info->max_pages = 1u << 20;
	info->pages = 9;
	return 0;
}

int main(void)
{
	struct {
		struct svma_device_info info;
		unsigned char guard[32];
	} buf;
	struct svma_device *dev;
	size_t i;
	int ret, fail = 0;

	_Static_assert(sizeof(struct svma_device_info) == 32,
		       "this program is built against 0.1's struct");
	if (svma_device_create(-1, false, 1, 4096, fake_ioctl, &dev))
		return 99;

	memset(&buf, 0xa5, sizeof(buf));
	ret = svma_device_get_info(dev, &buf.info, sizeof(buf.info));
	if (ret) {
		printf("FAIL: get_info with 0.1's size: %d (%s)\n", ret,
		       svma_strerror(ret));
		fail = 1;
	} else if (buf.info.page_size != 4096 || buf.info.ranges != 2 ||
		   buf.info.pages != 9 || buf.info.max_ranges != 1024) {
		printf("FAIL: wrong values\n");
		fail = 1;
	}
	for (i = 0; i < sizeof(buf.guard); i++) {
		if (buf.guard[i] != 0xa5) {
			printf("FAIL: byte %zu past 0.1's struct written\n",
			       sizeof(buf.info) + i);
			fail = 1;
			break;
		}
	}
	ret = svma_device_get_info(dev, &buf.info, sizeof(buf.info) - 1);
	if (ret != -EINVAL) {
		printf("FAIL: a size below 0.1's: %d, not -EINVAL\n", ret);
		fail = 1;
	}
	/* the grown library's own size works as well */
	memset(&buf, 0xa5, sizeof(buf));
	ret = svma_device_get_info(dev, &buf.info, sizeof(buf.info) + 8);
	if (ret || buf.guard[0] != 0 || buf.guard[8] != 0xa5) {
		printf("FAIL: the grown size: %d\n", ret);
		fail = 1;
	}
	svma_device_close(dev);
	if (!fail)
		printf("a 0.1 caller works with a library whose struct grew\n");
	return fail;
}
