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
_Static_assert(SVMA_PAGE_DEVICE_PRIVATE == DRM_SVM_PAGE_DEVICE_PRIVATE,
	       "uAPI");
_Static_assert(SVMA_REASON_CPU_ACCESS == DRM_SVM_REASON_CPU_ACCESS, "uAPI");
/* SVMA_REASON_OTHER_DEVICE: bit 1, which the uAPI reserves and never sets. */
_Static_assert(SVMA_REASON_UNMAP == DRM_SVM_REASON_UNMAP, "uAPI");
_Static_assert(SVMA_REASON_PROTECTION == DRM_SVM_REASON_PROTECTION, "uAPI");
_Static_assert(SVMA_REASON_FORK == DRM_SVM_REASON_FORK, "uAPI");
_Static_assert(SVMA_REASON_MIGRATION == DRM_SVM_REASON_MIGRATION, "uAPI");
_Static_assert(SVMA_REASON_EXIT == DRM_SVM_REASON_EXIT, "uAPI");
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
	dev->uapi_version = uapi_version;
	dev->page_size = page_size;
	dev->ioctl = ioctl_fn ? ioctl_fn : svma_ioctl;
	dev->next_kcookie = 1;

	*devp = dev;
	return 0;
}

/*
 * The kernel binds a file to the address space of its first SVM ioctl
 * other than INFO, and sends revocation events only from then on. Of the
 * library's calls only an acquire or a query can come first (a re-acquire
 * or release needs a range): call this after each with its result. The
 * first names the file's process: ours, or another one when the kernel
 * refused us with -EPERM.
 */
void svma_note_binding(struct svma_device *dev, int ret)
{
	int none = SVMA_OWNER_NONE;

	if (__atomic_load_n(&dev->owner, __ATOMIC_RELAXED) != SVMA_OWNER_NONE)
		return;
	__atomic_compare_exchange_n(&dev->owner, &none,
				    ret == -EPERM ? SVMA_OWNER_OTHER :
						    (int)getpid(),
				    false, __ATOMIC_RELAXED, __ATOMIC_RELAXED);
}

/*
 * -EPERM in any process but the file's: a forked child (getpid() differs
 * from the parent's recorded one), or a process whose file another one
 * bound. Whoever reads a DRM file consumes its events, and the kernel does
 * not check the reader's address space, so the library must.
 */
int svma_check_owner(const struct svma_device *dev)
{
	int owner = __atomic_load_n(&dev->owner, __ATOMIC_RELAXED);

	if (owner == SVMA_OWNER_NONE)
		return 0;
	return owner == (int)getpid() ? 0 : -EPERM;
}

SVMA_API int svma_probe_fd(int fd)
{
	struct stat st;
	uint64_t value;

	if (fd < 0 || fstat(fd, &st) < 0)
		return -EBADF;
	/* Checks the device number, so no ioctl reaches a non-DRM device. */
	if (!S_ISCHR(st.st_mode) || drmGetNodeTypeFromFd(fd) < 0)
		return -ENODEV;
	if (drmGetCap(fd, DRM_CAP_SVM_EXCLUSIVE, &value)) {
		/* DRM rejects a capability it does not know with -EINVAL. */
		if (errno == EINVAL)
			return -EOPNOTSUPP;
		if (errno == ENOTTY)
			return -ENODEV;
		return -errno;
	}
	if (value == 0)
		return -EOPNOTSUPP;
	return value > INT32_MAX ? INT32_MAX : (int)value;
}

static int device_from_fd(int fd, bool own_fd, struct svma_device **devp)
{
	struct drm_svm_info info;
	struct svma_device *dev;
	int version, ret;

	version = svma_probe_fd(fd);
	if (version < 0)
		return version;

	memset(&info, 0, sizeof(info));
	ret = svma_ioctl(fd, DRM_IOCTL_SVM_INFO, &info);
	if (ret)
		return ret == -ENOTTY ? -EOPNOTSUPP : ret;
	if (info.event_size < sizeof(struct drm_svm_event_revoked) ||
	    info.event_size > SVMA_EVENT_MAX)
		return -EPROTO;

	ret = svma_device_create(fd, own_fd, (uint32_t)version,
				 info.page_size, NULL, &dev);
	if (ret)
		return ret;
	/*
	 * A uAPI 1 kernel does not know the field: DRM's ioctl core hands
	 * back the bytes we zeroed, but do not rely on what it wrote.
	 */
	if (dev->uapi_version >= SVMA_UAPI_HOLD)
		dev->max_hold_us = info.max_hold_us;
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
	 * Release every handle one by one: an adopted fd lives on, and our
	 * own fd may be shared with a forked child, which keeps the file
	 * (and so its handles) alive after our close.
	 */
	svma_ranges_release_all(dev);
	if (dev->own_fd) {
		close(dev->fd);
		dev->fd = -1;
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
	ret = dev->ioctl(dev->fd, DRM_IOCTL_SVM_INFO, &args);
	if (ret)
		return ret;

	memset(&out, 0, sizeof(out));
	out.uapi_version = dev->uapi_version;
	out.page_size = args.page_size;
	out.max_ranges = args.max_handles;
	out.ranges = args.handles;
	out.max_pages = args.max_pages;
	out.pages = args.pages;
	/* Before uAPI 2 there is no hold time: those fields read 0. */
	if (dev->uapi_version >= SVMA_UAPI_HOLD) {
		out.max_hold_us = args.max_hold_us;
		out.hold_waits = args.hold_waits;
		out.hold_wait_ns = args.hold_wait_ns;
	}

	/*
	 * Fields an older caller does not know: not written. Fields a newer
	 * caller knows and this library does not: zero.
	 */
	memset(info, 0, size);
	memcpy(info, &out, size < sizeof(out) ? size : sizeof(out));
	return 0;
}
