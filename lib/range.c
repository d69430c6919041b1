// SPDX-License-Identifier: MIT
/*
 * Ranges: acquire, re-acquire, release, and the handle table.
 *
 * Copyright 2026 The svmatomic authors
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "uapi/drm/drm_svm.h"

static size_t bucket_of(size_t nbuckets, uint32_t handle)
{
	/* Handles are small and dense; Fibonacci hashing spreads them. */
	return (size_t)((handle * 2654435761u) & (nbuckets - 1));
}

/* Make room for one more range, so that inserting cannot fail. */
int svma_ranges_reserve(struct svma_device *dev)
{
	struct svma_range **buckets, *r, *next;
	size_t i, n;

	if (dev->nranges < dev->nbuckets)
		return 0;

	n = dev->nbuckets * 2;
	buckets = calloc(n, sizeof(*buckets));
	if (!buckets)
		return -ENOMEM;
	for (i = 0; i < dev->nbuckets; i++) {
		for (r = dev->buckets[i]; r; r = next) {
			next = r->next;
			r->next = buckets[bucket_of(n, r->handle)];
			buckets[bucket_of(n, r->handle)] = r;
		}
	}
	free(dev->buckets);
	dev->buckets = buckets;
	dev->nbuckets = n;
	return 0;
}

void svma_ranges_insert(struct svma_device *dev, struct svma_range *range)
{
	struct svma_range **head;

	head = &dev->buckets[bucket_of(dev->nbuckets, range->handle)];
	range->next = *head;
	*head = range;
	dev->nranges++;
}

void svma_ranges_remove(struct svma_device *dev, struct svma_range *range)
{
	struct svma_range **p;

	p = &dev->buckets[bucket_of(dev->nbuckets, range->handle)];
	for (; *p; p = &(*p)->next) {
		if (*p == range) {
			*p = range->next;
			dev->nranges--;
			return;
		}
	}
}

struct svma_range *svma_ranges_find(const struct svma_device *dev,
				    uint32_t handle)
{
	struct svma_range *r;

	r = dev->buckets[bucket_of(dev->nbuckets, handle)];
	for (; r; r = r->next) {
		if (r->handle == handle)
			return r;
	}
	return NULL;
}

static int release_handle(struct svma_device *dev, uint32_t handle,
			  unsigned int flags)
{
	struct drm_svm_release args;

	/* Only for a handle we acquired: the file is bound already. */
	memset(&args, 0, sizeof(args));
	args.handle = handle;
	args.flags = flags;
	return dev->ioctl(dev->fd, DRM_SVM_IOCTL_RELEASE, &args);
}

void svma_ranges_release_all(struct svma_device *dev)
{
	bool ours = svma_check_owner(dev) == 0;
	struct svma_range *r, *next;
	size_t i;

	for (i = 0; i < dev->nbuckets; i++) {
		for (r = dev->buckets[i]; r; r = next) {
			next = r->next;
			/*
			 * One by one: closing the context releases nothing
			 * while another process (a forked child) keeps it
			 * open. In such a child the ranges are the parent's:
			 * only the child's copy of them goes.
			 */
			if (ours)
				release_handle(dev, r->handle, 0);
			free(r);
		}
		dev->buckets[i] = NULL;
	}
	dev->nranges = 0;
}

int svma_check_span(const struct svma_device *dev, uint64_t addr,
		    uint64_t length, uint64_t *npages)
{
	uint64_t mask = dev->page_size - 1;

	if (length == 0 || (addr & mask) || (length & mask) ||
	    addr + length < addr)
		return -EINVAL;
	*npages = length / dev->page_size;
	return 0;
}

static int check_bitmap(uint64_t npages, const uint8_t *bitmap,
			size_t bitmap_size)
{
	if (!bitmap)
		return bitmap_size ? -EINVAL : 0;
	if (bitmap_size < (npages + 7) / 8)
		return -EINVAL;
	return 0;
}

/* Both acquires: the hold time is set by the same ioctl, never after. */
static int acquire(struct svma_device *dev, void *addr, size_t length,
		   uint64_t cookie, unsigned int flags, uint8_t *bitmap,
		   size_t bitmap_size, uint32_t hold_us,
		   struct svma_range **rangep)
{
	struct drm_svm_acquire args;
	struct svma_range *range;
	uint64_t npages;
	int ret;

	if (rangep)
		*rangep = NULL;
	if (!dev || !rangep || (flags & ~SVMA_ACQUIRE_PARTIAL))
		return -EINVAL;
	if (hold_us > dev->max_hold_us)
		return dev->uapi_version < SVMA_UAPI_HOLD ? -EOPNOTSUPP : -EINVAL;
	ret = svma_check_span(dev, (uintptr_t)addr, length, &npages);
	if (!ret)
		ret = check_bitmap(npages, bitmap, bitmap_size);
	/* A forked child: the kernel would refuse; say so without asking. */
	if (!ret)
		ret = svma_check_owner(dev);
	if (ret)
		return ret;

	range = calloc(1, sizeof(*range));
	if (!range)
		return -ENOMEM;
	ret = svma_ranges_reserve(dev);
	if (ret) {
		free(range);
		return ret;
	}

	memset(&args, 0, sizeof(args));
	args.addr = (uintptr_t)addr;
	args.length = length;
	/*
	 * The kernel sees a cookie unique to this range, so a late event of
	 * a released range is never taken for one of a range that reuses
	 * its handle, nor an event of another user of the fd for ours.
	 */
	args.cookie = dev->next_kcookie++;
	args.bitmap_ptr = (uintptr_t)bitmap;
	args.flags = flags;
	args.hold_us = hold_us;
	ret = dev->ioctl(dev->fd, DRM_SVM_IOCTL_ACQUIRE, &args);
	if (ret) {
		free(range);
		return ret;
	}
	/*
	 * Nonsense from the kernel. Handle 0 or the handle of a live range
	 * cannot be released without harm; any other one is given back.
	 */
	if (args.handle == 0 || svma_ranges_find(dev, args.handle)) {
		free(range);
		return -EPROTO;
	}
	if (args.pages_exclusive == 0 || args.pages_exclusive > npages) {
		release_handle(dev, args.handle, 0);
		free(range);
		return -EPROTO;
	}

	range->dev = dev;
	range->addr = args.addr;
	range->length = args.length;
	range->cookie = cookie;
	range->kcookie = args.cookie;
	range->handle = args.handle;
	range->pages_exclusive = args.pages_exclusive;
	range->seqno = args.seqno;
	range->hold_us = hold_us;
	svma_ranges_insert(dev, range);

	*rangep = range;
	return 0;
}

SVMA_API int svma_range_acquire(struct svma_device *dev, void *addr,
				size_t length, uint64_t cookie,
				unsigned int flags, uint8_t *bitmap,
				size_t bitmap_size,
				struct svma_range **rangep)
{
	return acquire(dev, addr, length, cookie, flags, bitmap, bitmap_size,
		       0, rangep);
}

SVMA_API int svma_device_acquire(struct svma_device *dev, void *addr,
				 size_t length,
				 const struct svma_acquire_config *cfg,
				 struct svma_range **rangep)
{
	static const struct svma_acquire_config defaults;

	if (!cfg)
		cfg = &defaults;
	return acquire(dev, addr, length, cfg->cookie, cfg->flags, cfg->bitmap,
		       cfg->bitmap_size, cfg->hold_us, rangep);
}

SVMA_API int svma_range_reacquire(struct svma_range *range,
				  unsigned int flags, uint8_t *bitmap,
				  size_t bitmap_size)
{
	struct drm_svm_reacquire args;
	struct svma_device *dev;
	int ret;

	if (!range || (flags & ~SVMA_ACQUIRE_PARTIAL))
		return -EINVAL;
	dev = range->dev;
	ret = check_bitmap(range->length / dev->page_size, bitmap,
			   bitmap_size);
	if (!ret)
		ret = svma_check_owner(dev);
	if (ret)
		return ret;

	memset(&args, 0, sizeof(args));
	args.handle = range->handle;
	args.flags = flags;
	args.bitmap_ptr = (uintptr_t)bitmap;
	ret = dev->ioctl(dev->fd, DRM_SVM_IOCTL_REACQUIRE, &args);
	if (ret)
		return ret;
	if (args.pages_exclusive > range->length / dev->page_size)
		return -EPROTO;

	range->pages_exclusive = args.pages_exclusive;
	range->revoked = false;
	/*
	 * Events up to the number as the call committed are stale. It is
	 * never older than an event already dispatched; should it be
	 * (serial arithmetic), keep ours, so that no event counts twice.
	 */
	if (svma_seqno_after(args.seqno, range->seqno))
		range->seqno = args.seqno;
	return 0;
}

SVMA_API int svma_range_release(struct svma_range *range, unsigned int flags)
{
	struct svma_device *dev;
	int ret;

	if (!range || (flags & ~SVMA_RELEASE_LAZY))
		return -EINVAL;
	dev = range->dev;
	/*
	 * In another process the kernel would refuse. Nothing is freed
	 * either: after clone(CLONE_VM) the memory is the owner's own, and
	 * a fork child's copy is freed with the child.
	 */
	ret = svma_check_owner(dev);
	if (ret)
		return ret;
	ret = release_handle(dev, range->handle, flags);

	svma_ranges_remove(dev, range);
	free(range);
	return ret;
}

SVMA_API int svma_range_set_hold(struct svma_range *range, uint32_t usec)
{
	struct drm_svm_set_hold args;
	struct svma_device *dev;
	int ret;

	if (!range)
		return -EINVAL;
	dev = range->dev;
	/* The kernel's own limit, as reported at open, like the page size. */
	if (dev->uapi_version >= SVMA_UAPI_HOLD && usec > dev->max_hold_us)
		return -EINVAL;
	ret = svma_check_owner(dev);
	if (ret)
		return ret;
	/*
	 * A uAPI 1 kernel has no such ioctl: DRM's core would answer
	 * -EINVAL, which the caller would take for a bad @usec.
	 */
	if (dev->uapi_version < SVMA_UAPI_HOLD)
		return -EOPNOTSUPP;

	memset(&args, 0, sizeof(args));
	args.handle = range->handle;
	args.hold_us = usec;
	ret = dev->ioctl(dev->fd, DRM_SVM_IOCTL_SET_HOLD, &args);
	if (ret)
		return ret;
	range->hold_us = usec;
	return 0;
}

SVMA_API struct svma_device *svma_range_device(const struct svma_range *range)
{
	return range->dev;
}

SVMA_API void *svma_range_addr(const struct svma_range *range)
{
	return (void *)(uintptr_t)range->addr;
}

SVMA_API size_t svma_range_length(const struct svma_range *range)
{
	return (size_t)range->length;
}

SVMA_API uint64_t svma_range_cookie(const struct svma_range *range)
{
	return range->cookie;
}

SVMA_API uint32_t svma_range_handle(const struct svma_range *range)
{
	return range->handle;
}

SVMA_API uint64_t svma_range_pages_exclusive(const struct svma_range *range)
{
	return range->pages_exclusive;
}

SVMA_API int svma_range_is_revoked(const struct svma_range *range)
{
	return range->revoked;
}

SVMA_API uint32_t svma_range_seqno(const struct svma_range *range)
{
	return range->seqno;
}

SVMA_API uint32_t svma_range_hold(const struct svma_range *range)
{
	return range->hold_us;
}
