// SPDX-License-Identifier: MIT
/*
 * The 0.1 and 0.2 names of the functions 0.3 renamed to the library's one
 * rule, svma_<object>_<verb>: thin wrappers, in their old version nodes,
 * so that programs built against those versions keep working with the
 * same soname.
 *
 * Copyright 2026 The svmatomic authors
 */
#include "internal.h"

SVMA_API int svma_probe_fd(int fd)
{
	return svma_device_probe(fd);
}

SVMA_API int svma_query(struct svma_device *dev, const void *addr,
			size_t length, uint8_t *states, size_t states_size)
{
	return svma_device_query(dev, addr, length, states, states_size);
}

SVMA_API int svma_set_revoke_handler(struct svma_device *dev,
				     svma_revoke_handler handler,
				     void *user_data)
{
	return svma_device_set_revoke_handler(dev, handler, user_data);
}

SVMA_API int svma_set_event_fallback(struct svma_device *dev,
				     svma_event_handler handler,
				     void *user_data)
{
	return svma_device_set_event_fallback(dev, handler, user_data);
}

SVMA_API int svma_dispatch(struct svma_device *dev)
{
	return svma_device_dispatch(dev);
}

SVMA_API int svma_wait(struct svma_device *dev, int64_t timeout_ns)
{
	return svma_device_wait(dev, timeout_ns);
}
