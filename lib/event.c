// SPDX-License-Identifier: MIT
/*
 * Reading, parsing and dispatching a context's events.
 *
 * Copyright 2026 The svmatomic authors
 */
#define _GNU_SOURCE	/* ppoll() */
#include <errno.h>
#include <poll.h>
#include <stddef.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"
#include "uapi/drm/drm_svm.h"

/*
 * The library fills struct svma_revocation and the application only reads
 * it: it may grow at its end, but 0.1's fields stay where they were. On
 * LP64, flags took 0.1's tail padding, so the size is 0.1's too.
 */
#if UINTPTR_MAX == UINT64_MAX
_Static_assert(offsetof(struct svma_revocation, length) == 8, "ABI");
_Static_assert(offsetof(struct svma_revocation, reasons) == 16, "ABI");
_Static_assert(offsetof(struct svma_revocation, seqno) == 20, "ABI");
_Static_assert(offsetof(struct svma_revocation, coalesced) == 24, "ABI");
_Static_assert(offsetof(struct svma_revocation, flags) == 28, "ABI");
_Static_assert(sizeof(struct svma_revocation) == 32, "ABI: 0.1's size");
#endif

SVMA_API int svma_device_set_revoke_handler(struct svma_device *dev,
				     svma_revoke_handler handler,
				     void *user_data)
{
	if (!dev)
		return -EINVAL;
	dev->revoke_handler = handler;
	dev->revoke_data = user_data;
	return 0;
}

SVMA_API int svma_device_set_event_fallback(struct svma_device *dev,
				     svma_event_handler handler,
				     void *user_data)
{
	if (!dev)
		return -EINVAL;
	dev->fallback = handler;
	dev->fallback_data = user_data;
	return 0;
}

static void pass_on(struct svma_device *dev, const struct drm_svm_event *hdr,
		    const unsigned char *event)
{
	if (dev->fallback)
		dev->fallback(hdr->type, event, hdr->size,
			      dev->fallback_data);
}

/*
 * Decode the revocation event @event (@size bytes) and apply it to its
 * range: 1 with *@out filled when it names a range of @dev, 0 when it
 * names none or is shorter than the uAPI's struct (a longer one is a
 * newer uAPI: its prefix is what we know).
 *
 * Sequence numbers count revocations; the ones between two events, or
 * since the last (re)acquire committed, were coalesced by the kernel and
 * are reported, not hidden. A number that does not move forward (serial
 * arithmetic) is stale: sent before the last (re)acquire, which took
 * those pages back. It is reported, marked, and changes nothing.
 */
int svma_decode_revoked(struct svma_device *dev, const void *event,
			size_t size, struct svma_event *out)
{
	struct drm_svm_event_revoked ev;
	struct svma_range *range;

	if (size < sizeof(ev))
		return 0;
	memcpy(&ev, event, sizeof(ev));
	range = svma_ranges_find(dev, ev.handle);
	if (!range || range->kcookie != ev.cookie)
		return 0;

	memset(out, 0, sizeof(*out));
	out->type = SVMA_EVENT_REVOCATION;
	if (svma_seqno_after(ev.seqno, range->seqno)) {
		out->coalesced = ev.seqno - range->seqno - 1;
		range->seqno = ev.seqno;
		range->revoked = true;
	} else {
		out->flags = SVMA_REVOCATION_STALE;
	}
	out->range = range;
	out->cookie = range->cookie;
	out->addr = ev.addr;
	out->length = ev.length;
	out->reasons = ev.reasons;
	out->seqno = ev.seqno;
	return 1;
}

static void handle_revoked(struct svma_device *dev,
			   const struct drm_svm_event *hdr,
			   const unsigned char *event)
{
	struct svma_revocation rev;
	struct svma_event ev;

	if (!svma_decode_revoked(dev, event, hdr->size, &ev)) {
		pass_on(dev, hdr, event);
		return;
	}
	memset(&rev, 0, sizeof(rev));
	rev.addr = (void *)(uintptr_t)ev.addr;
	rev.length = ev.length;
	rev.reasons = ev.reasons;
	rev.seqno = ev.seqno;
	rev.coalesced = ev.coalesced;
	rev.flags = ev.flags;

	/* The handler may free the range: do not touch it afterwards. */
	if (dev->revoke_handler)
		dev->revoke_handler(ev.range, &rev, dev->revoke_data);
}

/* The sticky stream error; svma_device_wait() reads it from any thread. */
int svma_stream_error(const struct svma_device *dev)
{
	return __atomic_load_n(&dev->stream_error, __ATOMIC_RELAXED);
}

void svma_set_stream_error(struct svma_device *dev, int err)
{
	__atomic_store_n(&dev->stream_error, err, __ATOMIC_RELAXED);
}

/*
 * Handle the complete events in the buffer and keep a partial one.
 * Returns how many were handled; sets the sticky stream error when the
 * framing is broken.
 */
static int parse_buffer(struct svma_device *dev)
{
	struct drm_svm_event hdr;
	size_t off = 0;
	int count = 0;

	while (dev->buf_len - off >= sizeof(hdr)) {
		memcpy(&hdr, dev->buf + off, sizeof(hdr));
		if (hdr.size < sizeof(hdr) || hdr.size > SVMA_EVENT_MAX) {
			svma_set_stream_error(dev, hdr.size < sizeof(hdr) ?
					      -EBADMSG : -EMSGSIZE);
			dev->buf_len = 0;
			return count;
		}
		if (dev->buf_len - off < hdr.size)
			break;

		if (hdr.type == DRM_SVM_EVENT_REVOKED)
			handle_revoked(dev, &hdr, dev->buf + off);
		else
			pass_on(dev, &hdr, dev->buf + off);
		off += hdr.size;
		count++;
		/* A handler closed the device: read and handle no more. */
		if (dev->closing)
			return count;
	}

	memmove(dev->buf, dev->buf + off, dev->buf_len - off);
	dev->buf_len -= off;
	return count;
}

/* 1: readable, 0: nothing pending, -errno */
static int poll_fd(int fd, const struct timespec *timeout)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	int ret;

	ret = ppoll(&pfd, 1, timeout, NULL);
	if (ret < 0)
		return -errno;
	if (ret == 0)
		return 0;
	if (pfd.revents & POLLNVAL)
		return -EBADF;
	return 1;
}

/*
 * One read of what is pending into @buf: the bytes read, 0 when nothing
 * was, or -errno. A context hands out whole events only.
 */
int svma_read_some(struct svma_device *dev, void *buf, size_t size)
{
	static const struct timespec now = { 0, 0 };
	ssize_t n;
	int ret;

	for (;;) {
		/* A host test's fd may be blocking: read only what is there. */
		ret = poll_fd(dev->fd, &now);
		if (ret == -EINTR)
			continue;
		if (ret <= 0)
			return ret;
		n = read(dev->fd, buf, size);
		if (n > 0)
			return n > INT32_MAX ? -EPROTO : (int)n;
		if (n == 0)
			return -EPIPE;	/* a context never ends */
		if (errno == EINTR)
			continue;
		/* The next event does not fit @size: it stays queued. */
		if (errno == EINVAL)
			return -EMSGSIZE;
		return errno == EAGAIN ? 0 : -errno;
	}
}

/*
 * Reads the events pending, but a bounded number of times: a context
 * queues one event per range at most, and a read returns up to
 * SVMA_KERNEL_READ_BATCH of them, so nranges / SVMA_KERNEL_READ_BATCH + 2
 * reads take everything that was pending on entry (0.2's promise), and a
 * CPU and a device taking pages back and forth, which queue new events
 * as fast as they are read, cannot keep the caller here (issue 24).
 */
static int read_events(struct svma_device *dev)
{
	size_t reads = dev->nranges / SVMA_KERNEL_READ_BATCH + 2;
	int ret = 0, count = 0;

	while (reads--) {
		ret = svma_read_some(dev, dev->buf + dev->buf_len,
				     sizeof(dev->buf) - dev->buf_len);
		if (ret == -EPIPE && dev->buf_len)
			ret = -EBADMSG;		/* it ended inside an event */
		if (ret <= 0)
			break;
		dev->buf_len += (size_t)ret;
		count += parse_buffer(dev);
		if (dev->closing)
			return count;
		ret = svma_stream_error(dev);
		if (ret)
			break;
	}
	/* Report what was handled; an error that persists comes next time. */
	return count ? count : ret;
}

SVMA_API int svma_device_dispatch(struct svma_device *dev)
{
	int ret;

	if (!dev)
		return -EINVAL;
	ret = svma_check_owner(dev);
	if (ret)
		return ret;
	if (dev->dispatching)
		return -EBUSY;
	ret = svma_stream_error(dev);
	if (ret)
		return ret;

	dev->dispatching = true;
	ret = read_events(dev);
	dev->dispatching = false;
	/* svma_device_close() from a handler left the freeing to us. */
	if (dev->closing)
		svma_device_free(dev);
	return ret;
}

SVMA_API int svma_device_wait(struct svma_device *dev, int64_t timeout_ns)
{
	struct timespec ts;
	int ret;

	if (!dev)
		return -EINVAL;
	ret = svma_check_owner(dev);
	if (ret)
		return ret;
	if (svma_stream_error(dev))
		return 1;
	if (timeout_ns < 0)
		return poll_fd(dev->fd, NULL);

	ts.tv_sec = (time_t)(timeout_ns / 1000000000);
	ts.tv_nsec = (long)(timeout_ns % 1000000000);
	return poll_fd(dev->fd, &ts);
}
