// SPDX-License-Identifier: MIT
/*
 * The raw SVM ioctls, as an application without the library makes them,
 * on a context (struct bench's ctx): the per-page steps and the one-page
 * calls measure the same code.
 *
 * Copyright 2026 The svmatomic authors
 */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>

#include "uapi/drm/drm_svm.h"

#include "bench.h"

int bench_svm_acquire(int fd, void *p, size_t len, uint32_t *handle)
{
	struct drm_svm_acquire a;

	memset(&a, 0, sizeof(a));
	a.addr = (uintptr_t)p;
	a.length = len;
	a.cookie = 1;
	if (ioctl(fd, DRM_SVM_IOCTL_ACQUIRE, &a))
		return -errno;
	*handle = a.handle;
	return 0;
}

int bench_svm_release(int fd, uint32_t handle, uint32_t flags)
{
	struct drm_svm_release r = { .handle = handle, .flags = flags };

	return ioctl(fd, DRM_SVM_IOCTL_RELEASE, &r) ? -errno : 0;
}

int bench_svm_query(int fd, void *p, uint64_t npages, uint8_t *states)
{
	struct drm_svm_query q;

	memset(&q, 0, sizeof(q));
	q.addr = (uintptr_t)p;
	q.npages = npages;
	q.states_ptr = (uintptr_t)states;
	return ioctl(fd, DRM_SVM_IOCTL_QUERY, &q) ? -errno : 0;
}
