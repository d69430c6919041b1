# Man pages: one per public function (variants are .so links) and the
# overview in section 7. Included from the top-level Makefile.am.

dist_man_MANS += \
	man/man3/svma_check_version.3 \
	man/man3/svma_device_adopt.3 \
	man/man3/svma_device_close.3 \
	man/man3/svma_device_fd.3 \
	man/man3/svma_device_drm_fd.3 \
	man/man3/svma_device_get_info.3 \
	man/man3/svma_device_open.3 \
	man/man3/svma_device_open_first.3 \
	man/man3/svma_dispatch.3 \
	man/man3/svma_device_read_events.3 \
	man/man3/svma_event_addr.3 \
	man/man3/svma_event_buffer_capacity.3 \
	man/man3/svma_event_buffer_count.3 \
	man/man3/svma_event_buffer_free.3 \
	man/man3/svma_event_buffer_get.3 \
	man/man3/svma_event_buffer_new.3 \
	man/man3/svma_event_coalesced.3 \
	man/man3/svma_event_cookie.3 \
	man/man3/svma_event_is_stale.3 \
	man/man3/svma_event_length.3 \
	man/man3/svma_event_range.3 \
	man/man3/svma_event_reasons.3 \
	man/man3/svma_event_seqno.3 \
	man/man3/svma_major_version.3 \
	man/man3/svma_micro_version.3 \
	man/man3/svma_minor_version.3 \
	man/man3/svma_probe_fd.3 \
	man/man3/svma_query.3 \
	man/man3/svma_range_acquire.3 \
	man/man3/svma_range_addr.3 \
	man/man3/svma_range_cookie.3 \
	man/man3/svma_range_device.3 \
	man/man3/svma_range_handle.3 \
	man/man3/svma_range_hold.3 \
	man/man3/svma_range_is_revoked.3 \
	man/man3/svma_range_length.3 \
	man/man3/svma_range_pages_exclusive.3 \
	man/man3/svma_range_query.3 \
	man/man3/svma_range_reacquire.3 \
	man/man3/svma_range_release.3 \
	man/man3/svma_range_seqno.3 \
	man/man3/svma_range_set_hold.3 \
	man/man3/svma_reason_string.3 \
	man/man3/svma_set_event_fallback.3 \
	man/man3/svma_set_revoke_handler.3 \
	man/man3/svma_strerror.3 \
	man/man3/svma_version_string.3 \
	man/man3/svma_wait.3 \
	man/man7/svmatomic.7
