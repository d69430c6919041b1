/* SPDX-License-Identifier: MIT */
/*
 * The libsvmatomic calls tests/lib/errno-trace.c wraps: every call that
 * returns int and is documented on a man page with an ERRORS section,
 * old names included. Each line is TRACE(name, (parameters),
 * (arguments)), or TRACE_VOID for a call wrapped only to see what it
 * calls; tests/lib/errno-trace.wrap lists the same names for the linker
 * (a name missing from either fails the link), and errno-coverage.test
 * checks both lists against each other and the man pages. No include
 * guard: included once per use.
 */
TRACE(svma_device_probe, (int fd), (fd))
TRACE(svma_device_open, (const char *path, unsigned int flags,
			 struct svma_device **devp), (path, flags, devp))
TRACE(svma_device_open_first, (unsigned int flags, struct svma_device **devp),
      (flags, devp))
TRACE(svma_device_adopt, (int fd, unsigned int flags,
			  struct svma_device **devp), (fd, flags, devp))
TRACE(svma_device_fd, (const struct svma_device *dev), (dev))
TRACE(svma_device_drm_fd, (const struct svma_device *dev), (dev))
TRACE(svma_device_get_info, (struct svma_device *dev,
			     struct svma_device_info *info, size_t size),
      (dev, info, size))
TRACE(svma_range_acquire, (struct svma_device *dev, void *addr, size_t length,
			   uint64_t cookie, unsigned int flags,
			   uint8_t *bitmap, size_t bitmap_size,
			   struct svma_range **rangep),
      (dev, addr, length, cookie, flags, bitmap, bitmap_size, rangep))
TRACE(svma_acquire_config_new, (struct svma_acquire_config **cfgp), (cfgp))
TRACE(svma_acquire_config_set_cookie, (struct svma_acquire_config *cfg,
				       uint64_t cookie), (cfg, cookie))
TRACE(svma_acquire_config_set_flags, (struct svma_acquire_config *cfg,
				      unsigned int flags), (cfg, flags))
TRACE(svma_acquire_config_set_hold, (struct svma_acquire_config *cfg,
				     uint32_t usec), (cfg, usec))
TRACE(svma_acquire_config_set_bitmap, (struct svma_acquire_config *cfg,
				       uint8_t *bitmap, size_t size),
      (cfg, bitmap, size))
TRACE(svma_device_acquire, (struct svma_device *dev, void *addr, size_t length,
			    const struct svma_acquire_config *cfg,
			    struct svma_range **rangep),
      (dev, addr, length, cfg, rangep))
TRACE(svma_range_reacquire, (struct svma_range *range, unsigned int flags,
			     uint8_t *bitmap, size_t bitmap_size),
      (range, flags, bitmap, bitmap_size))
TRACE(svma_range_release, (struct svma_range *range, unsigned int flags),
      (range, flags))
TRACE(svma_range_set_hold, (struct svma_range *range, uint32_t usec),
      (range, usec))
TRACE(svma_device_query, (struct svma_device *dev, const void *addr,
			  size_t length, uint8_t *states, size_t states_size),
      (dev, addr, length, states, states_size))
TRACE(svma_range_query, (const struct svma_range *range, uint8_t *states,
			 size_t states_size), (range, states, states_size))
TRACE(svma_device_set_revoke_handler, (struct svma_device *dev,
				       svma_revoke_handler handler,
				       void *user_data),
      (dev, TRACE_REVOKE_HANDLER(dev, handler, user_data)))
TRACE(svma_device_set_event_fallback, (struct svma_device *dev,
				       svma_event_handler handler,
				       void *user_data),
      (dev, TRACE_EVENT_HANDLER(dev, handler, user_data)))
TRACE(svma_device_dispatch, (struct svma_device *dev), (dev))
TRACE(svma_device_wait, (struct svma_device *dev, int64_t timeout_ns),
      (dev, timeout_ns))
TRACE(svma_event_buffer_new, (size_t capacity, struct svma_event_buffer **bufp),
      (capacity, bufp))
TRACE(svma_device_read_events, (struct svma_device *dev,
				struct svma_event_buffer *buf, size_t max),
      (dev, buf, max))
TRACE(svma_event_is_stale, (const struct svma_event *ev), (ev))
TRACE(svma_probe_fd, (int fd), (fd))
TRACE(svma_query, (struct svma_device *dev, const void *addr, size_t length,
		   uint8_t *states, size_t states_size),
      (dev, addr, length, states, states_size))
TRACE(svma_set_revoke_handler, (struct svma_device *dev,
				svma_revoke_handler handler, void *user_data),
      (dev, TRACE_REVOKE_HANDLER(dev, handler, user_data)))
TRACE(svma_set_event_fallback, (struct svma_device *dev,
				svma_event_handler handler, void *user_data),
      (dev, TRACE_EVENT_HANDLER(dev, handler, user_data)))
TRACE(svma_dispatch, (struct svma_device *dev), (dev))
TRACE(svma_wait, (struct svma_device *dev, int64_t timeout_ns),
      (dev, timeout_ns))
/*
 * Wrapped, not traced: what it calls in the library is not a test's
 * call, and its device's handlers are forgotten (its parameter is dev).
 */
TRACE_VOID(svma_device_close, (struct svma_device *dev), (dev))
