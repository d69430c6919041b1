/* SPDX-License-Identifier: MIT */
/*
 * libsvmatomic: device-exclusive access to shared virtual memory.
 *
 * Copyright 2026 The svmatomic authors
 */
#ifndef SVMATOMIC_H
#define SVMATOMIC_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @file svmatomic.h
 *
 * Conventions, valid for every function below unless its comment says
 * otherwise:
 *
 * - Functions returning int return a negative errno on failure and zero
 *   or a positive value on success. They never set errno.
 * - There is no global state and the library starts no threads.
 * - A struct svma_device and the ranges acquired through it form one
 *   unit: calls on the same device (or its ranges) must not run
 *   concurrently; serialise them yourself. Different devices are
 *   independent. Functions marked "MT-safe" may run concurrently with
 *   anything except svma_device_close() of the same device.
 * - Nothing is async-signal-safe unless marked so.
 * - Argument errors (-EINVAL) are reported before -EPERM.
 * - A device belongs to the process that opened or adopted it: the
 *   library creates a kernel context then, which the kernel binds to
 *   that address space for good. After fork() the child must only call
 *   svma_device_close() on devices it inherited (it closes the child's
 *   copies of the fds, and leaves the parent's ranges alone); every other
 *   call that reaches the kernel fails there with -EPERM and reads,
 *   changes and consumes nothing, and the accessors of the ranges answer
 *   from the copy of the library's memory the child got. The parent's
 *   device works on, whatever the child does. The same holds for a
 *   process the context fd is passed to, and after execve(). A child
 *   that shares the parent's memory (vfork(), clone(CLONE_VM)) must not
 *   call the library at all: the memory it would free is the parent's.
 * - fork() revokes every held page of the parent (reason
 *   SVMA_REASON_FORK): it write-protects private memory for copy-on-write.
 *   To start a helper while holding ranges use posix_spawn(), which does
 *   not copy the address space, or mark the held memory MADV_DONTFORK.
 */

/* Compile-time version of the header. */
#define SVMA_VERSION_MAJOR	0
#define SVMA_VERSION_MINOR	3
#define SVMA_VERSION_MICRO	0

/**
 * SVMA_CHECK_VERSION - true when this header is at least version
 * @major.@minor.@micro.
 */
#define SVMA_CHECK_VERSION(major, minor, micro)				\
	(SVMA_VERSION_MAJOR > (major) ||				\
	 (SVMA_VERSION_MAJOR == (major) &&				\
	  (SVMA_VERSION_MINOR > (minor) ||				\
	   (SVMA_VERSION_MINOR == (minor) &&				\
	    SVMA_VERSION_MICRO >= (micro)))))

struct svma_device;
struct svma_range;

/* Flags of svma_device_adopt(). */
/** SVMA_DEVICE_CLOSE_FD - svma_device_close() also closes the fd */
#define SVMA_DEVICE_CLOSE_FD		(1u << 0)

/* Flags of svma_range_acquire() and svma_range_reacquire(). */
/**
 * SVMA_ACQUIRE_PARTIAL - succeed when at least one page could be made
 * exclusive; without it the call is all or nothing.
 */
#define SVMA_ACQUIRE_PARTIAL		(1u << 0)

/* Flags of svma_range_release(). */
/** SVMA_RELEASE_LAZY - restore CPU mappings on next touch, not now */
#define SVMA_RELEASE_LAZY		(1u << 0)

/* Page-state bits written by svma_device_query(), one byte per page. */
#define SVMA_PAGE_PRESENT		(1u << 0) /* populated */
#define SVMA_PAGE_WRITABLE		(1u << 1) /* mapping is writable */
#define SVMA_PAGE_EXCLUSIVE		(1u << 2) /* exclusive to any device */
#define SVMA_PAGE_HELD			(1u << 3) /* held by this device */
#define SVMA_PAGE_REVOKED		(1u << 4) /* lost since last taken */
/*
 * In this device's own memory: never set. Since 0.3 the kernel reserves the
 * bit for a device with memory of its own; kept so that code written
 * against 0.1 compiles.
 */
#define SVMA_PAGE_DEVICE_PRIVATE	(1u << 5)

/* Why access was revoked: bits of svma_revocation.reasons. */
#define SVMA_REASON_CPU_ACCESS		(1u << 0) /* the CPU touched it */
/*
 * Reserved, never reported: another device's acquire faults a page back to
 * the CPU first, so taking a page over reports SVMA_REASON_CPU_ACCESS.
 * Kept so that code written against 0.1 compiles.
 */
#define SVMA_REASON_OTHER_DEVICE	(1u << 1)
/*
 * The page table entry was cleared: by the process (munmap, mremap,
 * MADV_DONTNEED), or by the kernel moving, freeing or splitting the page
 * (migration, reclaim, compaction, memory failure). A re-acquire takes the
 * page back, or fails with -EFAULT when the process unmapped it.
 */
#define SVMA_REASON_UNMAP		(1u << 2)
/* mprotect(): a re-acquire fails with -EACCES until it is read-write again */
#define SVMA_REASON_PROTECTION		(1u << 3)
#define SVMA_REASON_FORK		(1u << 4) /* fork, copy-on-write */
/* a driver moves the page to its device memory */
#define SVMA_REASON_MIGRATION		(1u << 5)
/*
 * Reserved, never reported since 0.3: a context is read only by its own
 * process, which is gone when its address space is torn down. Kept so that
 * code written against 0.1 compiles.
 */
#define SVMA_REASON_EXIT		(1u << 6)
#define SVMA_REASON_OTHER		(1u << 7) /* any other change */

/**
 * struct svma_device_info - limits and usage of a device
 * @uapi_version: version of the kernel uAPI (3 since 0.3)
 * @page_size: granule of every address and length, in bytes
 * @max_ranges: ranges the device may hold at once
 * @ranges: ranges the device holds now
 * @max_pages: pages the device may hold (RLIMIT_MEMLOCK applies as well)
 * @pages: pages the device's ranges span now
 * @max_hold_us: the longest hold time svma_range_set_hold() accepts, in
 *	microseconds (100000 on uAPI 2 and 3); 0 when the kernel has no hold
 *	time (uAPI 1, or a kernel whose fault path cannot wait for a device,
 *	such as the mainline series on Linux 7.3). Since 0.2.
 * @reserved: 0
 * @hold_waits: CPU faults of this process on held pages that waited
 *	for a hold window to end, since the device was opened. Since 0.2.
 * @hold_wait_ns: the time they waited in total, in nanoseconds. Since
 *	0.2.
 *
 * The struct only grows at its end; see svma_device_get_info().
 */
struct svma_device_info {
	uint32_t uapi_version;
	uint32_t page_size;
	uint32_t max_ranges;
	uint32_t ranges;
	uint64_t max_pages;
	uint64_t pages;
	/* version 0.2 */
	uint32_t max_hold_us;
	uint32_t reserved;
	uint64_t hold_waits;
	uint64_t hold_wait_ns;
};

/**
 * struct svma_revocation - what a revocation event says
 * @addr: start of the span whose revocation sent the event
 * @length: length of that span in bytes, clipped to the range
 * @reasons: SVMA_REASON_* bits
 * @seqno: the range's revocation count when the event was sent (from 1)
 * @coalesced: revocations since the range's previous event or since its
 *	last acquire or re-acquire, whichever is later, that sent no event
 *	of their own (the sequence-number gap); 0 when none, and always 0
 *	for a stale event. Pages they took are only visible through
 *	svma_range_query().
 * @flags: SVMA_REVOCATION_* bits
 *
 * Only valid during the handler call.
 */
struct svma_revocation {
	void *addr;
	uint64_t length;
	uint32_t reasons;
	uint32_t seqno;
	uint32_t coalesced;
	uint32_t flags;
};

/**
 * SVMA_REVOCATION_STALE - the event was sent before the range's last
 * successful acquire or re-acquire and read after it: that call already
 * took the pages back (its bitmap and svma_range_pages_exclusive() say
 * so). The handler still gets it, but it changed nothing: the range is
 * not marked revoked, its sequence number does not move.
 */
#define SVMA_REVOCATION_STALE		(1u << 0)

/**
 * svma_revoke_handler - called by svma_device_dispatch() for a revocation
 * @range: the range that lost pages
 * @rev: the event
 * @user_data: as given to svma_device_set_revoke_handler()
 *
 * A stale event (SVMA_REVOCATION_STALE in @rev->flags) was sent before
 * the range's last acquire or re-acquire; it changed nothing and needs no
 * action.
 *
 * May call svma_range_reacquire(), svma_range_release() (also of @range,
 * which must then not be used after the call), svma_range_acquire(),
 * svma_device_query() and the accessors. svma_device_dispatch() returns -EBUSY when
 * called from a handler. svma_device_close() of the device may be called
 * too, as the handler's last use of the device: svma_device_dispatch() then
 * handles no further event, frees the device and returns.
 */
typedef void (*svma_revoke_handler)(struct svma_range *range,
				    const struct svma_revocation *rev,
				    void *user_data);

/**
 * svma_event_handler - called by svma_device_dispatch() for any other event
 * @type: drm_svm_event.type
 * @event: the whole event, starting with its struct drm_svm_event header
 * @length: drm_svm_event.size, in bytes
 * @user_data: as given to svma_device_set_event_fallback()
 *
 * Receives every event of the device's context that is not a revocation
 * of one of its ranges: event types this library does not know, which a
 * later kernel may send (until 0.2, events of the shared DRM fd came here
 * too; since 0.3 the context carries only its own). The same reentrancy
 * rules as svma_revoke_handler apply.
 */
typedef void (*svma_event_handler)(uint32_t type, const void *event,
				   size_t length, void *user_data);

/* ---- versions ---------------------------------------------------------- */

/** svma_major_version - run-time major version. MT-safe, AS-safe. */
int svma_major_version(void);
/** svma_minor_version - run-time minor version. MT-safe, AS-safe. */
int svma_minor_version(void);
/** svma_micro_version - run-time micro version. MT-safe, AS-safe. */
int svma_micro_version(void);
/** svma_version_string - "major.minor.micro". MT-safe, AS-safe. */
const char *svma_version_string(void);
/**
 * svma_check_version - whether the library running is at least
 * @major.@minor.@micro
 *
 * @retval 1 it is
 * @retval 0 it is older
 *
 * MT-safe, AS-safe.
 */
int svma_check_version(int major, int minor, int micro);

/* ---- devices ----------------------------------------------------------- */

/**
 * svma_device_probe - whether an open fd is a capable DRM device
 * @fd: any file descriptor; not modified, not closed
 *
 * Creates a kernel context on @fd and closes it again: a driver offers
 * device-exclusive SVM through an ioctl of its own, which the library
 * knows for the drivers that have one (vsvm).
 *
 * @return the uAPI version (> 0) of a capable device
 * @retval -EBADF @fd is not an open file descriptor
 * @retval -ENODEV @fd is not a DRM device
 * @retval -EOPNOTSUPP the DRM driver (or the kernel) lacks device-exclusive
 *	SVM support
 * @retval -EMFILE no file descriptor left for the context
 * @retval -ENFILE the system's file table is full
 * @retval -ENOMEM out of memory (in the kernel)
 *
 * MT-safe.
 */
int svma_device_probe(int fd);

/**
 * svma_device_open - open a DRM device node by path
 * @path: e.g. "/dev/dri/renderD128"
 * @flags: 0
 * @devp: set to the new device on success, NULL on failure
 *
 * Opens @path read-write, close-on-exec and non-blocking, and creates a
 * kernel context on it, bound to the calling process.
 *
 * @retval 0 success
 * @retval -EINVAL NULL argument or unknown flags
 * @retval -ENOENT, -EACCES, ... open(2) failed
 * @retval -ENODEV @path is not a DRM device
 * @retval -EOPNOTSUPP the driver or kernel lacks device-exclusive SVM
 * @retval -EMFILE no file descriptor left for the context
 * @retval -ENFILE the system's file table is full
 * @retval -EPROTO the kernel answered something the uAPI does not allow
 * @retval -ENOMEM out of memory
 *
 * MT-safe.
 */
int svma_device_open(const char *path, unsigned int flags,
		     struct svma_device **devp);

/**
 * svma_device_open_first - open the first capable render node
 * @flags: 0
 * @devp: set to the new device on success, NULL on failure
 *
 * Tries the render nodes that libdrm's drmGetDevices2() lists, then any
 * other /dev/dri/renderD* node, in order.
 *
 * @retval 0 success
 * @retval -EINVAL NULL @devp or unknown flags
 * @retval -ENODEV no DRM render node at all
 * @retval -EOPNOTSUPP render nodes exist but none is capable (the kernel
 *	lacks the svmatomic patches or the vsvm driver)
 * @retval -EACCES a render node could not be opened and none was capable
 * @retval -ENOMEM out of memory
 *
 * MT-safe.
 */
int svma_device_open_first(unsigned int flags, struct svma_device **devp);

/**
 * svma_device_adopt - use a DRM fd that is already open
 * @fd: the DRM fd, e.g. owned by a graphics driver stack
 * @flags: 0 or SVMA_DEVICE_CLOSE_FD
 * @devp: set to the new device on success, NULL on failure
 *
 * Creates a kernel context on @fd, bound to the calling process; events
 * come on the context (svma_device_fd()), not on @fd. Without
 * SVMA_DEVICE_CLOSE_FD the caller keeps owning @fd and closes it after
 * svma_device_close(). On failure @fd is never closed.
 *
 * @retval 0 success
 * @retval -EINVAL NULL @devp or unknown flags
 * @retval -EBADF @fd is not open
 * @retval -ENODEV @fd is not a DRM device
 * @retval -EOPNOTSUPP the driver or kernel lacks device-exclusive SVM
 * @retval -EMFILE no file descriptor left for the context
 * @retval -ENFILE the system's file table is full
 * @retval -EPROTO the kernel answered something the uAPI does not allow
 * @retval -ENOMEM out of memory
 *
 * MT-safe.
 */
int svma_device_adopt(int fd, unsigned int flags, struct svma_device **devp);

/**
 * svma_device_close - release every range and free the device
 * @dev: the device, or NULL (no-op)
 *
 * Every range of @dev is released (eagerly) and freed; the context is
 * closed, and the DRM fd when the library opened it or
 * SVMA_DEVICE_CLOSE_FD was given.
 *
 * From a handler of @dev (called by svma_device_dispatch()): the ranges are
 * released and the fd closed at once; the memory of @dev is freed when
 * svma_device_dispatch() returns, which handles no further event.
 *
 * MT-unsafe: nothing else may use @dev or its ranges concurrently or
 * afterwards.
 */
void svma_device_close(struct svma_device *dev);

/**
 * svma_device_fd - the fd to poll for events (POLLIN)
 *
 * Since 0.3 the fd of the kernel context, owned by @dev: poll it, and pass
 * it to driver ioctls that name a context (vsvm's ctx_fd). It is not a DRM
 * fd: see svma_device_drm_fd(). This is the one change a 0.1 or 0.2
 * program can see, made on purpose: the events moved to the context, and
 * this is still the fd to poll for them; a program that used it as its
 * DRM fd (for driver ioctls, or adopted it and closes it itself) must
 * move to svma_device_drm_fd(), and must not close this one.
 *
 * @return the fd
 * @retval -EINVAL @dev is NULL
 *
 * MT-safe.
 */
int svma_device_fd(const struct svma_device *dev);

/**
 * svma_device_drm_fd - the DRM fd the device was opened or adopted on
 *
 * For the driver's own ioctls (vsvm's atomic engine, say). Owned by @dev
 * unless adopted without SVMA_DEVICE_CLOSE_FD. Since 0.3.
 *
 * @return the fd
 * @retval -EINVAL @dev is NULL
 * @retval -ENODEV the device has no DRM fd (never one the library opened
 *	or adopted)
 *
 * MT-safe.
 */
int svma_device_drm_fd(const struct svma_device *dev);

/**
 * svma_device_get_info - limits and usage of the device
 * @dev: the device
 * @info: filled in
 * @size: sizeof(*info) as the caller knows it, at least version 0.1's
 *	(32; 0.2's is 56); fields past @size are not written, fields the
 *	library does not know are zeroed
 *
 * @retval 0 success
 * @retval -EINVAL NULL argument or @size smaller than version 0.1's struct
 * @retval -EPERM the device belongs to another process (a forked
 *	child's inherited device)
 * @retval -ENODEV the device was unplugged
 *
 * MT-safe.
 */
int svma_device_get_info(struct svma_device *dev,
			 struct svma_device_info *info, size_t size);

/* ---- ranges ------------------------------------------------------------ */

/**
 * svma_range_acquire - make a range of this process's memory exclusive
 * @dev: the device
 * @addr: start, page-aligned
 * @length: bytes, page-aligned, non-zero
 * @cookie: any value, returned by svma_range_cookie()
 * @flags: 0 or SVMA_ACQUIRE_PARTIAL
 * @bitmap: NULL, or where to store which pages are held exclusive as the
 *	acquire commits (bit i of byte i / 8 for page i)
 * @bitmap_size: bytes at @bitmap, at least (pages + 7) / 8; 0 when NULL
 * @rangep: set to the new range on success, NULL on failure
 *
 * The range's sequence number (svma_range_seqno()) starts at the kernel's
 * as the acquire commits: 0, unless pages were revoked during the call
 * (the bitmap and svma_range_pages_exclusive() already leave them out).
 *
 * @retval 0 success
 * @retval -EINVAL NULL argument, unknown flags, bad alignment, zero or
 *	wrapping length, @bitmap_size too small
 * @retval -EFAULT part of the range is not mapped
 * @retval -EACCES part of the range is not readable and writable
 * @retval -EOPNOTSUPP part of the range is not private anonymous memory
 * @retval -EBUSY a page could not be made exclusive (its page lock stayed
 *	contended, its mapping changed, or it was revoked again before the
 *	acquire completed; with SVMA_ACQUIRE_PARTIAL: no page could)
 * @retval -ENOMEM over RLIMIT_MEMLOCK or the device's page limit
 * @retval -ENOSPC the device holds its maximum number of ranges
 * @retval -EEXIST the range overlaps a range of this device
 * @retval -EPERM the device belongs to another process
 * @retval -ENODEV the device was unplugged
 * @retval -EPROTO the kernel answered nonsense
 */
int svma_range_acquire(struct svma_device *dev, void *addr, size_t length,
		       uint64_t cookie, unsigned int flags,
		       uint8_t *bitmap, size_t bitmap_size,
		       struct svma_range **rangep);

struct svma_acquire_config;

/**
 * svma_acquire_config_new - options for svma_device_acquire()
 * @cfgp: set to a new configuration: cookie 0, no flags, no hold time,
 *	no bitmap
 *
 * Opaque, so that later versions add options without new acquire
 * functions. One configuration may serve any number of acquires, on any
 * device; the acquire reads it and keeps nothing of it.
 *
 * @retval 0 success
 * @retval -EINVAL NULL @cfgp
 * @retval -ENOMEM out of memory
 *
 * MT-safe. Since 0.3.
 */
int svma_acquire_config_new(struct svma_acquire_config **cfgp);

/** svma_acquire_config_free - free a configuration (NULL: no-op) */
void svma_acquire_config_free(struct svma_acquire_config *cfg);

/*
 * The setters: each returns 0, or -EINVAL for a NULL @cfg or a bad value.
 * Since 0.3.
 */
/** svma_acquire_config_set_cookie - returned by svma_range_cookie() */
int svma_acquire_config_set_cookie(struct svma_acquire_config *cfg,
				   uint64_t cookie);
/** svma_acquire_config_set_flags - 0 or SVMA_ACQUIRE_PARTIAL */
int svma_acquire_config_set_flags(struct svma_acquire_config *cfg,
				  unsigned int flags);
/**
 * svma_acquire_config_set_hold - the range's hold time, microseconds, as
 * svma_range_set_hold() would set it, but from the acquire on: there is
 * no moment the range is held without it
 */
int svma_acquire_config_set_hold(struct svma_acquire_config *cfg,
				 uint32_t usec);
/**
 * svma_acquire_config_set_bitmap - where the acquire stores which pages
 * it holds, as the @bitmap of svma_range_acquire(); NULL and 0 for none
 */
int svma_acquire_config_set_bitmap(struct svma_acquire_config *cfg,
				   uint8_t *bitmap, size_t size);

/**
 * svma_device_acquire - make a range of this process's memory exclusive
 * @dev: the device
 * @addr: start, page-aligned
 * @length: bytes, page-aligned, non-zero
 * @cfg: the options, or NULL for none (svma_acquire_config_new())
 * @rangep: set to the new range on success, NULL on failure
 *
 * svma_range_acquire() with its options in an object, and a hold time
 * the kernel sets in the same call. The range's sequence number starts
 * as for svma_range_acquire().
 *
 * @retval 0 success
 * @retval -EINVAL as svma_range_acquire(), or a hold time above the
 *	device's maximum (svma_device_get_info())
 * @retval other as svma_range_acquire()
 *
 * Since 0.3.
 */
int svma_device_acquire(struct svma_device *dev, void *addr, size_t length,
			const struct svma_acquire_config *cfg,
			struct svma_range **rangep);

/**
 * svma_range_reacquire - make a range's revoked pages exclusive again
 * @range: the range
 * @flags: 0 or SVMA_ACQUIRE_PARTIAL
 * @bitmap: as for svma_range_acquire()
 * @bitmap_size: as for svma_range_acquire()
 *
 * Clears the range's revoked state, re-arms its revocation event and
 * records the range's sequence number as the call commits. A revocation
 * event sent before that and dispatched after it is stale: the handler
 * gets it with SVMA_REVOCATION_STALE, and it changes nothing (the range
 * stays not revoked). Later events count their gap from that number.
 * With a hold time (svma_range_set_hold()) it first waits for the end
 * of the CPU's turn, up to the hold time after the CPU access that took
 * pages of the range back.
 *
 * @retval 0 success
 * @retval -EINVAL NULL @range, unknown flags, @bitmap_size too small
 * @retval -ENOENT the kernel does not know the range's handle
 * @retval -EFAULT part of the range is no longer mapped
 * @retval -EACCES part of the range is no longer readable and writable
 * @retval -EOPNOTSUPP part of the range is no longer private anonymous
 *	memory
 * @retval -EBUSY a page could not be made exclusive again (with
 *	SVMA_ACQUIRE_PARTIAL: no page could)
 * @retval -ENOMEM over RLIMIT_MEMLOCK or the device's page limit
 * @retval -EPERM the device belongs to another process
 * @retval -ENODEV the device was unplugged
 * @retval -EPROTO the kernel answered nonsense
 */
int svma_range_reacquire(struct svma_range *range, unsigned int flags,
			 uint8_t *bitmap, size_t bitmap_size);

/**
 * svma_range_release - release a range and free it
 * @range: the range
 * @flags: 0 or SVMA_RELEASE_LAZY
 *
 * With unknown flags nothing happens. Otherwise, in the process that
 * owns the device, @range is freed whatever the result; the kernel
 * releases whatever it still holds when the device is closed. In a
 * forked child it fails with -EPERM without asking the kernel and frees
 * nothing: the parent's range stays, and the child's copy goes with the
 * child's svma_device_close(). With SVMA_RELEASE_LAZY the pages stay
 * device-exclusive, and count against RLIMIT_MEMLOCK, until the CPU
 * touches them.
 *
 * @retval 0 success
 * @retval -EINVAL NULL @range or unknown flags
 * @retval -EPERM the device belongs to another process
 * @retval -ENOENT the kernel did not know the handle
 * @retval -ENODEV the device was unplugged
 */
int svma_range_release(struct svma_range *range, unsigned int flags);

/**
 * svma_range_set_hold - set how long the device keeps a range's pages
 * @range: the range
 * @usec: the hold time in microseconds, at most the device's
 *	svma_device_info.max_hold_us (100000, 100 ms); 0 for none, which is
 *	what every range starts with
 *
 * Whenever the device takes pages of the range (svma_range_acquire(),
 * svma_range_reacquire(), a device access that re-acquires), a window of
 * @usec opens. A load or store by a thread of this process to a held page
 * within the window (a page fault from user mode) waits until the window
 * ends, and then revokes the page as usual: this damps CPU/device
 * ping-pong on shared data. The thread waits holding no kernel lock, as
 * in a userfaultfd fault, and a signal ends the wait. Only this
 * process's own threads wait; the kernel's own accesses to the page (a
 * system call copying from or to it), munmap(), mprotect(), fork(),
 * migration, exit and every access from another process never wait.
 * svma_device_get_info() counts the faults that waited and the time they
 * waited. The wait ends at
 * the first timer expiry after the window: within the thread's timer
 * slack with high-resolution timers, up to a tick later without. An
 * access waits at most once, however fast the device takes the page
 * back: the thread that waited then gets a turn as long as the hold
 * time, in which its accesses to that page do not wait. The CPU's turn
 * holds for the device too: once a CPU access of this process took
 * pages of the range back, a re-acquire of the range
 * (svma_range_reacquire(), a device access that re-acquires) waits,
 * killably, until @usec has passed since. So on data both sides keep
 * using they take turns of @usec each; pages revoked for any other
 * reason are re-acquired at once.
 *
 * Takes effect for the next CPU access; one already waiting keeps the
 * window it found. On success svma_range_hold() returns @usec.
 *
 * Needs uAPI version 2 (the kernel's DRM_SVM_IOCTL_SET_HOLD).
 *
 * @retval 0 success
 * @retval -EINVAL NULL @range, or @usec above the device's maximum (the
 *	kernel is not asked)
 * @retval -EOPNOTSUPP the kernel's uAPI is version 1, which has no hold
 *	time (the kernel is not asked)
 * @retval -ENOENT the kernel did not know the range's handle
 * @retval -EPERM the device belongs to another process
 * @retval -ENODEV the device was unplugged
 * @retval -EPROTO the kernel answered nonsense
 *
 * Since 0.2.
 */
int svma_range_set_hold(struct svma_range *range, uint32_t usec);

/*
 * Accessors. @range must be a valid range; MT-safe except
 * svma_range_pages_exclusive(), svma_range_is_revoked() and
 * svma_range_seqno(), which change in svma_range_reacquire() and
 * svma_device_dispatch(), and svma_range_hold(), which changes in
 * svma_range_set_hold().
 */
/** svma_range_device - the device the range was acquired from */
struct svma_device *svma_range_device(const struct svma_range *range);
/** svma_range_addr - start address */
void *svma_range_addr(const struct svma_range *range);
/** svma_range_length - length in bytes */
size_t svma_range_length(const struct svma_range *range);
/** svma_range_cookie - the cookie given at acquire */
uint64_t svma_range_cookie(const struct svma_range *range);
/** svma_range_handle - the kernel's handle, never 0 */
uint32_t svma_range_handle(const struct svma_range *range);
/** svma_range_pages_exclusive - pages exclusive after the last (re)acquire */
uint64_t svma_range_pages_exclusive(const struct svma_range *range);
/**
 * svma_range_is_revoked - 1 when a revocation event (not a stale one) was
 * dispatched since the last (re)acquire
 */
int svma_range_is_revoked(const struct svma_range *range);
/**
 * svma_range_seqno - the range's sequence number: of the last revocation
 * event dispatched or as the last (re)acquire committed, whichever is later
 */
uint32_t svma_range_seqno(const struct svma_range *range);
/**
 * svma_range_hold - the hold time last set by svma_range_set_hold(), in
 * microseconds; 0 until then. Since 0.2.
 */
uint32_t svma_range_hold(const struct svma_range *range);

/* ---- query ------------------------------------------------------------- */

/**
 * svma_device_query - per-page state of any range of this process
 * @dev: the device
 * @addr: start, page-aligned
 * @length: bytes, page-aligned, non-zero
 * @states: one byte of SVMA_PAGE_* bits per page is written here
 * @states_size: bytes at @states, at least @length / page size
 *
 * Never faults a page in and changes nothing. Unmapped pages read as 0.
 *
 * @retval 0 success
 * @retval -EINVAL NULL argument, bad alignment, zero or wrapping length,
 *	@states_size too small
 * @retval -EFAULT @states is not writable
 * @retval -ENOMEM out of memory (in the kernel)
 * @retval -EPERM the device belongs to another process
 * @retval -ENODEV the device was unplugged
 *
 * MT-safe.
 */
int svma_device_query(struct svma_device *dev, const void *addr,
		      size_t length, uint8_t *states, size_t states_size);

/**
 * svma_range_query - per-page state of a range
 *
 * svma_device_query() over svma_range_addr() and svma_range_length().
 */
int svma_range_query(const struct svma_range *range, uint8_t *states,
		     size_t states_size);

/* ---- events ------------------------------------------------------------ */

/**
 * svma_device_set_revoke_handler - set the revocation handler of a device
 * @dev: the device
 * @handler: called by svma_device_dispatch(), or NULL for none (the range's
 *	state is updated all the same)
 * @user_data: passed to @handler
 *
 * @retval 0 success
 * @retval -EINVAL @dev is NULL
 */
int svma_device_set_revoke_handler(struct svma_device *dev,
				   svma_revoke_handler handler,
				   void *user_data);

/**
 * svma_device_set_event_fallback - set the handler of every other event
 * @dev: the device
 * @handler: see svma_event_handler, or NULL to discard such events
 * @user_data: passed to @handler
 *
 * Since 0.3 the events come on the device's own context, which nothing
 * else reads: the DRM fd's events (drmHandleEvent()) are not ours, nor
 * ours theirs. The handler gets the context's events of types this
 * library does not know, which a newer kernel may send.
 *
 * @retval 0 success
 * @retval -EINVAL @dev is NULL
 */
int svma_device_set_event_fallback(struct svma_device *dev,
				   svma_event_handler handler,
				   void *user_data);

/**
 * svma_device_dispatch - read and handle pending events, without blocking
 * @dev: the device
 *
 * Calls the handlers, in the caller's thread, for the events pending.
 * A context queues one event per range at most and a read returns up to
 * 32, so it reads at most ranges / 32 + 2 times: enough for everything
 * pending when it was called, and bounded, so that pages revoked as fast
 * as they are re-acquired cannot keep the caller here (since 0.3; before,
 * it read until none was pending, which could go on for ever).
 * svma_device_read_events() pulls them instead.
 *
 * @return the number of events handled (0 when none was pending)
 * @retval -EINVAL @dev is NULL
 * @retval -EPERM the device belongs to another process (a forked
 *	child's inherited device); nothing was read
 * @retval -EBUSY called from a handler
 * @retval -EBADMSG the event stream is malformed or ends inside an event
 *	(no event of the device is read after this)
 * @retval -EMSGSIZE the next event is larger than the library's read
 *	buffer (8 KiB): it stays queued, and every later call fails the
 *	same way
 * @retval -EPIPE the event stream ended (never for a kernel context)
 * @retval -EBADF the device's fd is not open
 * @retval other read(2) failed
 */
int svma_device_dispatch(struct svma_device *dev);

/**
 * svma_device_wait - wait until events are pending
 * @dev: the device
 * @timeout_ns: nanoseconds; 0 to poll, negative to wait forever
 *
 * @retval 1 events are pending (or the stream is broken, or the fd
 *	reported an error, which svma_device_dispatch() then returns)
 * @retval 0 timed out
 * @retval -EINVAL @dev is NULL
 * @retval -EPERM the device belongs to another process (a forked
 *	child's inherited device)
 * @retval -EINTR a signal arrived
 * @retval -EBADF the device's fd is not open
 *
 * MT-safe, but only one thread should read the events.
 */
int svma_device_wait(struct svma_device *dev, int64_t timeout_ns);

/* ---- events you pull (since 0.3) --------------------------------------- */

struct svma_event;
struct svma_event_buffer;

/**
 * svma_event_buffer_new - a buffer for svma_device_read_events()
 * @capacity: events it holds, 1 to 4096
 * @bufp: set to the buffer on success, NULL on failure
 *
 * The buffer and its events are opaque: they grow in later versions
 * without breaking programs built against this one. One buffer may serve
 * several devices, one read at a time.
 *
 * @retval 0 success
 * @retval -EINVAL NULL @bufp, or @capacity 0 or above 4096
 * @retval -ENOMEM out of memory
 *
 * MT-safe. Since 0.3.
 */
int svma_event_buffer_new(size_t capacity, struct svma_event_buffer **bufp);

/**
 * svma_event_buffer_free - free an event buffer
 * @buf: the buffer, or NULL (no-op)
 *
 * Its events go with it. Since 0.3.
 */
void svma_event_buffer_free(struct svma_event_buffer *buf);

/** svma_event_buffer_capacity - events @buf holds at most (0 for NULL) */
size_t svma_event_buffer_capacity(const struct svma_event_buffer *buf);

/** svma_event_buffer_count - events the last read stored (0 for NULL) */
size_t svma_event_buffer_count(const struct svma_event_buffer *buf);

/**
 * svma_event_buffer_get - an event of the last read
 * @buf: the buffer
 * @index: from 0 to svma_event_buffer_count() - 1
 *
 * @return the event, valid until the next read into @buf or its free;
 *	NULL for a NULL @buf or an @index out of range
 */
const struct svma_event *svma_event_buffer_get(
	const struct svma_event_buffer *buf, size_t index);

/**
 * svma_device_read_events - read pending revocations into a buffer
 * @dev: the device
 * @buf: the buffer; its previous events are dropped
 * @max: read at most this many (and at most the buffer's capacity)
 *
 * One non-blocking read of the device's events, without calling any
 * handler: the pull counterpart of svma_device_dispatch(), and the same
 * state changes (each revocation's range is marked revoked and takes its
 * sequence number, unless the event is stale). Bounded: a device that
 * keeps revoking cannot keep the caller here. Poll svma_device_fd() or
 * call svma_device_wait() to learn when to call it. Use it or
 * svma_device_dispatch() on a device, not both at once. A revocation of a
 * range released meanwhile is skipped; an event of a type this library
 * does not know (none in uAPI 3) is stored with its type only
 * (svma_event_type()). The previous events of @buf are dropped, also when
 * the call fails.
 *
 * @return the number of events stored, 0 when none was pending
 * @retval -EINVAL NULL @dev or @buf, or @max 0
 * @retval -EPERM the device belongs to another process (a forked
 *	child's inherited device); nothing was read
 * @retval -EBUSY called from a handler, or svma_device_dispatch() left
 *	part of an event to read first
 * @retval -ENOMEM out of memory
 * @retval -EBADMSG the event stream is malformed; every later call fails
 *	the same way, as svma_device_dispatch()'s do
 * @retval -EMSGSIZE the next event is larger than @max events of the
 *	kernel's revocation size: it stays queued
 * @retval -EPIPE the event stream ended (never for a kernel context)
 * @retval -EBADF the device's fd is not open
 * @retval other read(2) failed
 *
 * Since 0.3.
 */
int svma_device_read_events(struct svma_device *dev,
			    struct svma_event_buffer *buf, size_t max);

/** SVMA_EVENT_REVOCATION - svma_event_type() of a revocation */
#define SVMA_EVENT_REVOCATION		1u

/*
 * The getters of an event: what struct svma_revocation says, each also
 * answering 0 (NULL) for a NULL @ev and, but svma_event_type(), for an
 * event that is not a revocation. Since 0.3.
 */
/**
 * svma_event_type - SVMA_EVENT_REVOCATION, or the kernel's type of an
 * event this library does not know
 */
uint32_t svma_event_type(const struct svma_event *ev);
/** svma_event_range - the range; valid until it is released */
struct svma_range *svma_event_range(const struct svma_event *ev);
/** svma_event_cookie - the cookie given when the range was acquired */
uint64_t svma_event_cookie(const struct svma_event *ev);
/** svma_event_addr - start of the revoked span */
void *svma_event_addr(const struct svma_event *ev);
/** svma_event_length - length of the revoked span, in bytes */
uint64_t svma_event_length(const struct svma_event *ev);
/** svma_event_reasons - SVMA_REASON_* bits */
uint32_t svma_event_reasons(const struct svma_event *ev);
/** svma_event_seqno - the range's revocation count it reports */
uint32_t svma_event_seqno(const struct svma_event *ev);
/**
 * svma_event_coalesced - revocations before it that sent no event of
 * their own (the sequence-number gap); 0 for a stale event
 */
uint32_t svma_event_coalesced(const struct svma_event *ev);
/**
 * svma_event_is_stale - 1 when it was sent before the range's last
 * acquire or re-acquire, which took the pages back: it changed nothing
 */
int svma_event_is_stale(const struct svma_event *ev);

/* ---- names before 0.3 ---------------------------------------------------- */

/*
 * Since 0.3 every function that acts on an object is named
 * svma_<object>_<verb>. The names below are those functions' names in 0.1
 * and 0.2, kept, with the same behaviour, for programs written against
 * them; new code uses the names on the right. (What changed under both
 * names in 0.3: svma_device_fd() is the context's fd, and a dispatch reads
 * a bounded number of times.)
 */
/** svma_probe_fd - svma_device_probe() */
int svma_probe_fd(int fd);
/** svma_query - svma_device_query() */
int svma_query(struct svma_device *dev, const void *addr, size_t length,
	       uint8_t *states, size_t states_size);
/** svma_set_revoke_handler - svma_device_set_revoke_handler() */
int svma_set_revoke_handler(struct svma_device *dev,
			    svma_revoke_handler handler, void *user_data);
/** svma_set_event_fallback - svma_device_set_event_fallback() */
int svma_set_event_fallback(struct svma_device *dev,
			    svma_event_handler handler, void *user_data);
/** svma_dispatch - svma_device_dispatch() */
int svma_dispatch(struct svma_device *dev);
/** svma_wait - svma_device_wait() */
int svma_wait(struct svma_device *dev, int64_t timeout_ns);

/* ---- strings ----------------------------------------------------------- */

/**
 * svma_strerror - describe an error returned by this library
 * @err: a negative (or positive) errno value
 *
 * @return a static string, never NULL. MT-safe, AS-safe.
 */
const char *svma_strerror(int err);

/**
 * svma_reason_string - name one SVMA_REASON_* bit
 * @reason: a single SVMA_REASON_* bit
 *
 * @return a static string; "unknown reason" for anything else (no bit,
 *	several bits, unknown bits). MT-safe, AS-safe.
 */
const char *svma_reason_string(uint32_t reason);

#ifdef __cplusplus
}
#endif

#endif /* SVMATOMIC_H */
