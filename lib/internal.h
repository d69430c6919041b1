/* SPDX-License-Identifier: MIT */
/*
 * libsvmatomic internals: shared by the library sources and the host
 * tests, never installed.
 *
 * Copyright 2026 The svmatomic authors
 */
#ifndef SVMA_INTERNAL_H
#define SVMA_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "svmatomic.h"

/* Marks the definition of every exported function. */
#define SVMA_API __attribute__((visibility("default")))

/*
 * The event read buffer. A context's read() copies whole events only, and
 * fails with -EINVAL when the next one does not fit the room left, which
 * is the whole buffer whenever the library reads: an event is small (a
 * revocation is 48 bytes), and one that does not fit 8 KiB is reported
 * with -EMSGSIZE, never skipped.
 */
#define SVMA_EVENT_BUF		8192u
/* The largest event: a partial one is kept at the start of the buffer. */
#define SVMA_EVENT_MAX		SVMA_EVENT_BUF
/* Events a context's read() returns at most (the kernel's own bound). */
#define SVMA_KERNEL_READ_BATCH	32u

/*
 * sizeof(struct svma_device_info) in version 0.1, frozen: the smallest
 * size svma_device_get_info() accepts, whatever the struct grows to.
 */
#define SVMA_DEVICE_INFO_SIZE_0_1	32u

/* The first uAPI version with hold times (DRM_SVM_IOCTL_SET_HOLD). */
#define SVMA_UAPI_HOLD			2u

/* ioctl(2) without EINTR: 0 or -errno. Replaceable for host tests. */
typedef int (*svma_ioctl_fn)(int fd, unsigned long request, void *arg);

struct svma_range {
	struct svma_device *dev;
	struct svma_range *next;	/* hash chain */
	uint64_t addr;
	uint64_t length;
	uint64_t cookie;		/* the caller's */
	uint64_t kcookie;		/* the kernel's: unique per device */
	uint64_t pages_exclusive;
	uint32_t handle;
	uint32_t seqno;
	uint32_t hold_us;		/* as last set: acquire sets none */
	bool revoked;
};

/* svma_device.owner: no process (a host test's device) */
#define SVMA_OWNER_NONE		0

struct svma_device {
	/* The context: its ioctls, its events. */
	int fd;
	bool own_fd;
	/* The DRM file the context came from, -1 for none. */
	int drm_fd;
	bool own_drm_fd;
	bool dispatching;
	bool closing;			/* closed by a handler: freed on return */
	/*
	 * The process that created the context, by pid: the kernel binds
	 * the context to its address space. SVMA_OWNER_NONE in host tests.
	 */
	int owner;
	uint32_t uapi_version;
	uint32_t page_size;
	uint32_t event_size;		/* the kernel's revocation event */
	uint32_t max_hold_us;		/* from INFO at open; 0 before uAPI 2 */
	svma_ioctl_fn ioctl;

	/* handle -> range, chained, power-of-two buckets */
	struct svma_range **buckets;
	size_t nbuckets;
	size_t nranges;
	uint64_t next_kcookie;

	svma_revoke_handler revoke_handler;
	void *revoke_data;
	svma_event_handler fallback;
	void *fallback_data;

	/*
	 * Sticky: the stream lost framing. Written by svma_dispatch(), read
	 * by the MT-safe svma_wait() too: accessed atomically.
	 */
	int stream_error;
	size_t buf_len;
	unsigned char buf[SVMA_EVENT_BUF];
};

/* ioctl.c */
int svma_ioctl(int fd, unsigned long request, void *arg);

/*
 * A decoded revocation: what struct svma_revocation and the getters of
 * struct svma_event report. @range is NULL for an event of no range of
 * the device.
 */
struct svma_event {
	uint32_t type;			/* SVMA_EVENT_*, or the kernel's */
	struct svma_range *range;
	uint64_t cookie;		/* the caller's, of @range */
	uint64_t addr;
	uint64_t length;
	uint32_t reasons;
	uint32_t seqno;
	uint32_t coalesced;
	uint32_t flags;			/* SVMA_REVOCATION_* */
};

struct svma_acquire_config {
	uint64_t cookie;
	unsigned int flags;
	uint32_t hold_us;
	uint8_t *bitmap;
	size_t bitmap_size;
};

struct svma_event_buffer {
	size_t capacity;
	size_t count;
	struct svma_event *events;
	unsigned char *bytes;		/* read space: capacity events */
	size_t bytes_size;
};

/* event.c */
int svma_decode_revoked(struct svma_device *dev, const void *event,
			size_t size, struct svma_event *out);
int svma_read_some(struct svma_device *dev, void *buf, size_t size);
int svma_stream_error(const struct svma_device *dev);
void svma_set_stream_error(struct svma_device *dev, int err);

/* device.c */
int svma_device_create(int fd, bool own_fd, uint32_t uapi_version,
		       uint32_t page_size, svma_ioctl_fn ioctl_fn,
		       struct svma_device **devp);
void svma_device_free(struct svma_device *dev);
int svma_check_owner(const struct svma_device *dev);
/* getpid() without a system call in the steady state (self.c). */
int svma_self_pid(void);

/* driver.c */
int svma_context_create(int drm_fd, uint32_t *version);
int svma_read_hold_stats(int fd, uint64_t *waits, uint64_t *wait_ns);

/* range.c */
int svma_ranges_reserve(struct svma_device *dev);
void svma_ranges_insert(struct svma_device *dev, struct svma_range *range);
void svma_ranges_remove(struct svma_device *dev, struct svma_range *range);
struct svma_range *svma_ranges_find(const struct svma_device *dev,
				    uint32_t handle);
void svma_ranges_release_all(struct svma_device *dev);

/* Serial number arithmetic (RFC 1982): whether @a is newer than @b. */
static inline bool svma_seqno_after(uint32_t a, uint32_t b)
{
	return a != b && a - b < 0x80000000u;
}

/* common argument checks: 0 or -EINVAL, *npages set */
int svma_check_span(const struct svma_device *dev, uint64_t addr,
		    uint64_t length, uint64_t *npages);

#endif /* SVMA_INTERNAL_H */
