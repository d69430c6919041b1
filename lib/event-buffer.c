// SPDX-License-Identifier: MIT
/*
 * Events you pull: a caller-owned buffer that svma_device_read_events()
 * fills, and the getters of the events in it.
 *
 * Copyright 2026 The svmatomic authors
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "uapi/drm/drm_svm.h"

/* A read never asks for more than this many events at once. */
#define SVMA_EVENT_BUFFER_MAX	4096u

SVMA_API int svma_event_buffer_new(size_t capacity,
				   struct svma_event_buffer **bufp)
{
	struct svma_event_buffer *buf;

	if (bufp)
		*bufp = NULL;
	if (!bufp || capacity == 0 || capacity > SVMA_EVENT_BUFFER_MAX)
		return -EINVAL;
	buf = calloc(1, sizeof(*buf));
	if (!buf)
		return -ENOMEM;
	buf->events = calloc(capacity, sizeof(*buf->events));
	if (!buf->events) {
		free(buf);
		return -ENOMEM;
	}
	buf->capacity = capacity;
	*bufp = buf;
	return 0;
}

SVMA_API void svma_event_buffer_free(struct svma_event_buffer *buf)
{
	if (!buf)
		return;
	free(buf->bytes);
	free(buf->events);
	free(buf);
}

SVMA_API size_t svma_event_buffer_capacity(const struct svma_event_buffer *buf)
{
	return buf ? buf->capacity : 0;
}

SVMA_API size_t svma_event_buffer_count(const struct svma_event_buffer *buf)
{
	return buf ? buf->count : 0;
}

SVMA_API const struct svma_event *
svma_event_buffer_get(const struct svma_event_buffer *buf, size_t index)
{
	if (!buf || index >= buf->count)
		return NULL;
	return &buf->events[index];
}

/* Room for @n events of @dev's size in @buf's read space. */
static int reserve_bytes(struct svma_event_buffer *buf, size_t size)
{
	unsigned char *bytes;

	if (buf->bytes_size >= size)
		return 0;
	bytes = realloc(buf->bytes, size);
	if (!bytes)
		return -ENOMEM;
	buf->bytes = bytes;
	buf->bytes_size = size;
	return 0;
}

SVMA_API int svma_device_read_events(struct svma_device *dev,
				     struct svma_event_buffer *buf,
				     size_t max)
{
	struct drm_svm_event hdr;
	struct svma_event *ev;
	size_t n, off, want;
	int ret;

	if (buf)
		buf->count = 0;		/* dropped, whatever comes next */
	if (!dev || !buf || max == 0)
		return -EINVAL;
	ret = svma_check_owner(dev);
	if (ret)
		return ret;
	/* The handler API's reads keep a partial event: do not mix them. */
	if (dev->dispatching || dev->buf_len)
		return -EBUSY;
	/* A broken stream stays broken, as for svma_device_dispatch(). */
	ret = svma_stream_error(dev);
	if (ret)
		return ret;

	n = max < buf->capacity ? max : buf->capacity;
	want = n * dev->event_size;
	ret = reserve_bytes(buf, want);
	if (ret)
		return ret;
	/* One read: a context hands out whole events, at most @n here. */
	ret = svma_read_some(dev, buf->bytes, want);
	if (ret <= 0)
		return ret;

	for (off = 0; off < (size_t)ret; off += hdr.size) {
		/* Whole events only: anything else breaks the stream. */
		if ((size_t)ret - off < sizeof(hdr))
			goto broken;
		memcpy(&hdr, buf->bytes + off, sizeof(hdr));
		if (hdr.size < sizeof(hdr) || hdr.size > (size_t)ret - off)
			goto broken;
		ev = &buf->events[buf->count];
		if (hdr.type != DRM_SVM_EVENT_REVOKED) {
			/* A type this library does not know: kept, typed. */
			memset(ev, 0, sizeof(*ev));
			ev->type = hdr.type;
			buf->count++;
		} else if (svma_decode_revoked(dev, buf->bytes + off, hdr.size,
					       ev)) {
			ev->type = SVMA_EVENT_REVOCATION;
			buf->count++;
		}
		/* else: it names no range of ours (released): nothing to say */
	}
	return (int)buf->count;

broken:
	svma_set_stream_error(dev, -EBADMSG);
	return buf->count ? (int)buf->count : -EBADMSG;
}

SVMA_API uint32_t svma_event_type(const struct svma_event *ev)
{
	return ev ? ev->type : 0;
}

SVMA_API struct svma_range *svma_event_range(const struct svma_event *ev)
{
	return ev ? ev->range : NULL;
}

SVMA_API uint64_t svma_event_cookie(const struct svma_event *ev)
{
	return ev ? ev->cookie : 0;
}

SVMA_API void *svma_event_addr(const struct svma_event *ev)
{
	return ev ? (void *)(uintptr_t)ev->addr : NULL;
}

SVMA_API uint64_t svma_event_length(const struct svma_event *ev)
{
	return ev ? ev->length : 0;
}

SVMA_API uint32_t svma_event_reasons(const struct svma_event *ev)
{
	return ev ? ev->reasons : 0;
}

SVMA_API uint32_t svma_event_seqno(const struct svma_event *ev)
{
	return ev ? ev->seqno : 0;
}

SVMA_API uint32_t svma_event_coalesced(const struct svma_event *ev)
{
	return ev ? ev->coalesced : 0;
}

SVMA_API int svma_event_is_stale(const struct svma_event *ev)
{
	return ev ? !!(ev->flags & SVMA_REVOCATION_STALE) : 0;
}
