// SPDX-License-Identifier: MIT
/*
 * Opening, adopting and closing a device.
 *
 * Copyright 2026 The svmatomic authors
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <xf86drm.h>

#include "internal.h"
#include "uapi/drm/drm_svm.h"

/* The public bits are the uAPI's, so they are passed through unchanged. */
_Static_assert(SVMA_ACQUIRE_PARTIAL == DRM_SVM_ACQUIRE_PARTIAL, "uAPI");
_Static_assert(SVMA_RELEASE_LAZY == DRM_SVM_RELEASE_LAZY, "uAPI");
_Static_assert(SVMA_PAGE_PRESENT == DRM_SVM_PAGE_PRESENT, "uAPI");
_Static_assert(SVMA_PAGE_WRITABLE == DRM_SVM_PAGE_WRITABLE, "uAPI");
_Static_assert(SVMA_PAGE_EXCLUSIVE == DRM_SVM_PAGE_EXCLUSIVE, "uAPI");
_Static_assert(SVMA_PAGE_HELD == DRM_SVM_PAGE_HELD, "uAPI");
_Static_assert(SVMA_PAGE_REVOKED == DRM_SVM_PAGE_REVOKED, "uAPI");
/* SVMA_PAGE_DEVICE_PRIVATE: bit 5, which the uAPI reserves. */
_Static_assert(SVMA_REASON_CPU_ACCESS == DRM_SVM_REASON_CPU_ACCESS, "uAPI");
/* SVMA_REASON_OTHER_DEVICE: bit 1, which the uAPI reserves and never sets. */
_Static_assert(SVMA_REASON_UNMAP == DRM_SVM_REASON_UNMAP, "uAPI");
_Static_assert(SVMA_REASON_PROTECTION == DRM_SVM_REASON_PROTECTION, "uAPI");
_Static_assert(SVMA_REASON_FORK == DRM_SVM_REASON_FORK, "uAPI");
_Static_assert(SVMA_REASON_MIGRATION == DRM_SVM_REASON_MIGRATION, "uAPI");
/* SVMA_REASON_EXIT: bit 6, which the uAPI reserves since version 3. */
_Static_assert(SVMA_REASON_OTHER == DRM_SVM_REASON_OTHER, "uAPI");

/* 0.1's fields end where 0.1's struct did; later ones go after them. */
_Static_assert(offsetof(struct svma_device_info, pages) + sizeof(uint64_t) ==
	       SVMA_DEVICE_INFO_SIZE_0_1, "ABI: 0.1's svma_device_info");
/* 0.2's four follow, with no padding left to the compiler: 56 bytes. */
_Static_assert(offsetof(struct svma_device_info, max_hold_us) ==
	       SVMA_DEVICE_INFO_SIZE_0_1 &&
	       offsetof(struct svma_device_info, hold_waits) == 40 &&
	       offsetof(struct svma_device_info, hold_wait_ns) == 48,
	       "ABI: 0.2's svma_device_info");

#define SVMA_INITIAL_BUCKETS	16

int svma_device_create(int fd, bool own_fd, uint32_t uapi_version,
		       uint32_t page_size, svma_ioctl_fn ioctl_fn,
		       struct svma_device **devp)
{
	struct svma_device *dev;

	/* A power of two keeps every alignment check a mask. */
	if (page_size == 0 || (page_size & (page_size - 1)))
		return -EPROTO;

	dev = calloc(1, sizeof(*dev));
	if (!dev)
		return -ENOMEM;
	dev->buckets = calloc(SVMA_INITIAL_BUCKETS, sizeof(*dev->buckets));
	if (!dev->buckets) {
		free(dev);
		return -ENOMEM;
	}
	dev->nbuckets = SVMA_INITIAL_BUCKETS;
	dev->fd = fd;
	dev->own_fd = own_fd;
	dev->drm_fd = -1;
	dev->uapi_version = uapi_version;
	dev->page_size = page_size;
	dev->event_size = sizeof(struct drm_svm_event_revoked);
	dev->ioctl = ioctl_fn ? ioctl_fn : svma_ioctl;
	dev->next_kcookie = 1;

	*devp = dev;
	return 0;
}

/*
 * -EPERM in any process but the context's creator: a forked child. The
 * kernel refuses every call from another address space too, and consumes
 * nothing for it; checking here first gives the same answer without a
 * system call, and also to a CLONE_VM child, which the kernel would let
 * through but which is not the process that owns the device.
 */
int svma_check_owner(const struct svma_device *dev)
{
	if (dev->owner == SVMA_OWNER_NONE)
		return 0;
	return dev->owner == svma_self_pid() ? 0 : -EPERM;
}

/* A DRM node's fd: 0, or -EBADF, or -ENODEV for anything else. */
static int check_drm_fd(int fd)
{
	struct stat st;

	if (fd < 0 || fstat(fd, &st) < 0)
		return -EBADF;
	/* Checks the device number, so no ioctl reaches a non-DRM device. */
	if (!S_ISCHR(st.st_mode) || drmGetNodeTypeFromFd(fd) < 0)
		return -ENODEV;
	return 0;
}

SVMA_API int svma_device_probe(int fd)
{
	uint32_t version;
	int ret;

	ret = check_drm_fd(fd);
	if (ret)
		return ret;
	/* Creating a context is the one way to learn the driver has one. */
	ret = svma_context_create(fd, &version);
	if (ret < 0)
		return ret;
	close(ret);
	return version > INT32_MAX ? INT32_MAX : (int)version;
}

static int device_from_fd(int fd, bool own_fd, struct svma_device **devp)
{
	struct drm_svm_info info;
	struct svma_device *dev;
	uint32_t version;
	int ctx, ret;

	ret = check_drm_fd(fd);
	if (ret)
		return ret;
	ctx = svma_context_create(fd, &version);
	if (ctx < 0)
		return ctx;

	memset(&info, 0, sizeof(info));
	ret = svma_ioctl(ctx, DRM_SVM_IOCTL_INFO, &info);
	if (!ret && (info.event_size < sizeof(struct drm_svm_event_revoked) ||
		     info.event_size > SVMA_EVENT_MAX))
		ret = -EPROTO;
	if (!ret)
		ret = svma_device_create(ctx, true, version, info.page_size,
					 NULL, &dev);
	if (ret) {
		close(ctx);
		return ret;
	}
	dev->drm_fd = fd;
	dev->own_drm_fd = own_fd;
	dev->owner = svma_self_pid();
	dev->max_hold_us = info.max_hold_us;
	dev->event_size = info.event_size;
	*devp = dev;
	return 0;
}

SVMA_API int svma_device_open(const char *path, unsigned int flags,
			      struct svma_device **devp)
{
	int fd, ret;

	if (devp)
		*devp = NULL;
	if (!path || !devp || flags)
		return -EINVAL;

	fd = open(path, O_RDWR | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0)
		return -errno;

	ret = device_from_fd(fd, true, devp);
	if (ret)
		close(fd);
	return ret;
}

SVMA_API int svma_device_adopt(int fd, unsigned int flags,
			       struct svma_device **devp)
{
	if (devp)
		*devp = NULL;
	if (!devp || (flags & ~SVMA_DEVICE_CLOSE_FD))
		return -EINVAL;

	return device_from_fd(fd, flags & SVMA_DEVICE_CLOSE_FD, devp);
}

SVMA_API void svma_device_close(struct svma_device *dev)
{
	if (!dev)
		return;

	/*
	 * Release every handle one by one: a forked child shares the
	 * context, which keeps its handles alive after our close.
	 */
	svma_ranges_release_all(dev);
	if (dev->own_fd) {
		close(dev->fd);
		dev->fd = -1;
	}
	if (dev->own_drm_fd) {
		close(dev->drm_fd);
		dev->drm_fd = -1;
	}
	/*
	 * From a handler: svma_dispatch() is still parsing dev->buf. It
	 * stops after the handler and frees the device on its way out.
	 */
	if (dev->dispatching) {
		dev->closing = true;
		return;
	}
	svma_device_free(dev);
}

void svma_device_free(struct svma_device *dev)
{
	free(dev->buckets);
	free(dev);
}

SVMA_API int svma_device_fd(const struct svma_device *dev)
{
	if (!dev)
		return -EINVAL;
	return dev->fd;
}

SVMA_API int svma_device_drm_fd(const struct svma_device *dev)
{
	if (!dev)
		return -EINVAL;
	return dev->drm_fd < 0 ? -ENODEV : dev->drm_fd;
}

SVMA_API int svma_device_get_info(struct svma_device *dev,
				  struct svma_device_info *info, size_t size)
{
	struct svma_device_info out;
	struct drm_svm_info args;
	int ret;

	/* A caller built against an older header passes a smaller size. */
	if (!dev || !info || size < SVMA_DEVICE_INFO_SIZE_0_1)
		return -EINVAL;
	ret = svma_check_owner(dev);
	if (ret)
		return ret;

	memset(&args, 0, sizeof(args));
	ret = dev->ioctl(dev->fd, DRM_SVM_IOCTL_INFO, &args);
	if (ret)
		return ret;

	memset(&out, 0, sizeof(out));
	out.uapi_version = dev->uapi_version;
	out.page_size = args.page_size;
	out.max_ranges = args.max_handles;
	out.ranges = args.handles;
	out.max_pages = args.max_pages;
	out.pages = args.pages;
	/* Before uAPI 2 there is no hold time. */
	if (dev->uapi_version >= SVMA_UAPI_HOLD)
		out.max_hold_us = args.max_hold_us;
	/* The context's fdinfo counts the waits; a host test's fd has none. */
	if (svma_read_hold_stats(dev->fd, &out.hold_waits, &out.hold_wait_ns)) {
		out.hold_waits = 0;
		out.hold_wait_ns = 0;
	}

	/*
	 * Fields an older caller does not know: not written. Fields a newer
	 * caller knows and this library does not: zero.
	 */
	memset(info, 0, size);
	memcpy(info, &out, size < sizeof(out) ? size : sizeof(out));
	return 0;
}
