// SPDX-License-Identifier: MIT
/*
 * The options of svma_device_acquire(): an opaque object, so that an
 * acquire can learn options without a new function each time.
 *
 * Copyright 2026 The svmatomic authors
 */
#include <errno.h>
#include <stdlib.h>

#include "internal.h"

SVMA_API int svma_acquire_config_new(struct svma_acquire_config **cfgp)
{
	if (!cfgp)
		return -EINVAL;
	*cfgp = calloc(1, sizeof(**cfgp));
	return *cfgp ? 0 : -ENOMEM;
}

SVMA_API void svma_acquire_config_free(struct svma_acquire_config *cfg)
{
	free(cfg);
}

SVMA_API int svma_acquire_config_set_cookie(struct svma_acquire_config *cfg,
					    uint64_t cookie)
{
	if (!cfg)
		return -EINVAL;
	cfg->cookie = cookie;
	return 0;
}

SVMA_API int svma_acquire_config_set_flags(struct svma_acquire_config *cfg,
					   unsigned int flags)
{
	if (!cfg || (flags & ~SVMA_ACQUIRE_PARTIAL))
		return -EINVAL;
	cfg->flags = flags;
	return 0;
}

SVMA_API int svma_acquire_config_set_hold(struct svma_acquire_config *cfg,
					  uint32_t usec)
{
	/* The device's limit is checked by the acquire: it knows the device. */
	if (!cfg)
		return -EINVAL;
	cfg->hold_us = usec;
	return 0;
}

SVMA_API int svma_acquire_config_set_bitmap(struct svma_acquire_config *cfg,
					    uint8_t *bitmap, size_t size)
{
	if (!cfg || (!bitmap && size))
		return -EINVAL;
	cfg->bitmap = bitmap;
	cfg->bitmap_size = size;
	return 0;
}
