// SPDX-License-Identifier: MIT
/*
 * Per-page state queries.
 *
 * Copyright 2026 The svmatomic authors
 */
#include <errno.h>
#include <string.h>

#include "internal.h"
#include "uapi/drm/drm_svm.h"

SVMA_API int svma_device_query(struct svma_device *dev, const void *addr,
			size_t length, uint8_t *states, size_t states_size)
{
	struct drm_svm_query args;
	uint64_t npages;
	int ret;

	if (!dev || !states)
		return -EINVAL;
	ret = svma_check_span(dev, (uintptr_t)addr, length, &npages);
	if (ret)
		return ret;
	if (states_size < npages)
		return -EINVAL;
	ret = svma_check_owner(dev);
	if (ret)
		return ret;

	memset(&args, 0, sizeof(args));
	args.addr = (uintptr_t)addr;
	args.npages = npages;
	args.states_ptr = (uintptr_t)states;
	ret = dev->ioctl(dev->fd, DRM_SVM_IOCTL_QUERY, &args);
	return ret;
}

SVMA_API int svma_range_query(const struct svma_range *range,
			      uint8_t *states, size_t states_size)
{
	if (!range)
		return -EINVAL;
	return svma_device_query(range->dev, (const void *)(uintptr_t)range->addr,
			  (size_t)range->length, states, states_size);
}
