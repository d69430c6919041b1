/* SPDX-License-Identifier: MIT */
/*
 * Device-exclusive access to shared virtual memory, for userspace.
 *
 * Copyright 2026 The svmatomic authors
 */
#ifndef _DRM_SVM_H_
#define _DRM_SVM_H_

#include "drm.h"

#if defined(__cplusplus)
extern "C" {
#endif

/**
 * DOC: device-exclusive SVM
 *
 * A device that runs atomic operations on a process's memory which the CPU
 * cannot take part in needs the pages for itself while it does so. The
 * interface below lets a process ask a DRM device for *device-exclusive*
 * access to a range of its own anonymous memory: every CPU mapping of each
 * page is replaced by a device-exclusive entry, and the device maps the
 * page. Any CPU access (or anything else that changes the mapping) takes
 * the page back and *revokes* the device's access; the context then
 * queues a &drm_svm_event_revoked, read from the context's file
 * descriptor.
 *
 * Contexts: a driver that supports this offers a driver ioctl taking a
 * &struct drm_svm_context_create (each driver numbers it in its own range;
 * DRM_IOCTL_VSVM_SVM_CONTEXT_CREATE on vsvm). It returns a new file
 * descriptor, the *context*, bound to the calling process's address space
 * for its whole life. Every request below is an ioctl on the context, and
 * its events are read with read() and poll() on it, from a queue of its
 * own: nothing of it goes through the DRM file, which may be closed once
 * the context exists. A process may create several contexts, on one
 * device or several; each has its own handles, limits and events.
 *
 * Binding: only a task of the bound address space (a thread of the
 * process, or a CLONE_VM child) may use the context. From any other (a
 * fork() child, a process the fd was passed to, the process after
 * execve() when the fd survived it) every ioctl and read() fails with
 * -EPERM and changes or consumes nothing, and poll() reports EPOLLERR. The
 * context is created O_CLOEXEC.
 *
 * Handles: an acquire returns a handle naming the range, local to the
 * context. Handles are allocated cyclically: a released handle's number
 * is not handed out again before 2^32 - 1 more acquires, so a late event
 * cannot be mistaken for a new range's. Closing the context releases
 * every handle.
 *
 * Revocation: a revoked page is no longer mapped by the device; the other
 * pages of its handle stay exclusive. Each handle has a sequence number
 * counting the revocations it suffered. One event is armed per handle at
 * acquire and at each re-acquire: the first revocation queues it, later
 * ones are coalesced into the handle's state (see &DRM_SVM_IOCTL_QUERY)
 * and its sequence number until the next re-acquire. A handle has at most
 * one event queued: when a re-armed event fires while the previous one is
 * still unread, the two are merged (&DRM_SVM_EVENT_COALESCED). The queue
 * thus never holds more events than the context has handles, never
 * overflows, and no revocation goes unreported. A release discards the
 * handle's unread event: once it returns, no read returns an event that
 * names the handle.
 *
 * What does not revoke: NUMA balancing's scans, khugepaged and KSM pass
 * held pages by. What does, besides the process's own accesses and mapping
 * changes: a held page is not pinned, and the kernel may still move it,
 * free it or split its transparent huge page. Reclaim under memory
 * pressure, compaction, contiguous allocations (CMA, gigantic pages),
 * memory offlining, migration, memory-failure handling and splits of its
 * huge page (after a partial unmap, or to merge another of its pages with
 * KSM) revoke the page first, and report &DRM_SVM_REASON_UNMAP.
 *
 * Stale events: an event queued before a re-acquire may be read after it,
 * when it describes pages the handle holds again. An acquire and a
 * re-acquire return the handle's sequence number at the moment they
 * committed (&drm_svm_acquire.seqno, &drm_svm_reacquire.seqno); an event
 * whose &drm_svm_event_revoked.seqno is not greater than that (in serial
 * number arithmetic) was queued before the call and is stale. Revocations
 * during the call itself queue no event: the call's result (its bitmap
 * and page count, taken when it committed) already reflects them.
 *
 * Accounting: the pages of every handle are charged to the process's
 * RLIMIT_MEMLOCK (unless it has CAP_IPC_LOCK), across all its contexts: a
 * process may not give devices more of its memory than it could lock. A
 * page released with &DRM_SVM_RELEASE_LAZY stays device-exclusive, held by
 * no device, until the CPU touches it or the kernel unmaps, migrates or
 * reclaims it; a kernel that counts such entries bounds them by the same
 * limit, one that does not leaves them to reclaim and migration as any
 * other memory. An acquire or re-acquire (the device's own included) that
 * would take the process over the limit fails with -ENOMEM and gives back
 * what it took. A context holds at most
 * &drm_svm_info.max_handles handles and &drm_svm_info.max_pages pages;
 * its memory, events included, is charged to the creator's memory cgroup.
 *
 * Statistics: the context's fdinfo (/proc/PID/fdinfo/FD) reports
 * ``svm-driver``, ``svm-handles``, ``svm-pages`` and, on a kernel with hold
 * times, ``svm-hold-waits`` (user faults on held pages that waited for a
 * hold window) and ``svm-hold-wait-ns`` (the time they waited).
 *
 * Limitations: exclusivity keeps the CPU page tables away from a page, not
 * every other path to it. A base page pinned before or after the acquire
 * (GUP pins: O_DIRECT, RDMA, io_uring fixed buffers, vmsplice) becomes
 * exclusive all the same and is still accessed through its pin. Only
 * private anonymous memory qualifies. A transparent huge page stays whole
 * (its PMD mapping is split into base page mappings), pinned or not, and
 * is never collapsed over held pages; held pages keep no more of it in
 * memory than mapped ones do.
 *
 * Errors common to the context's ioctls:
 *
 * - -EINVAL: unknown flags, nonzero padding, an address or length that is
 *   not page-aligned, zero, or wrapping around the address space.
 * - -EINVAL: also an argument shorter than this header's struct.
 * - -E2BIG: the argument is larger than the kernel knows, and its unknown
 *   tail is not zero.
 * - -ENOTTY: not an ioctl of the context.
 * - -ENODEV: the device is gone (unplugged); the context only releases.
 * - -EFAULT: an invalid user pointer (bitmap, states array), or a range
 *   that is not entirely mapped. Also when the result of an acquire or a
 *   re-acquire cannot be copied back to the argument: the call is then
 *   undone, an acquire holding nothing and a re-acquire leaving the
 *   handle as it found it.
 * - -EPERM: the caller is not a task of the bound address space.
 * - -ENOMEM: out of memory.
 * - -EINTR: a signal arrived while the call slept (on the context's other
 *   ioctls, or for the CPU's turn), and it gave up with nothing held or
 *   taken back; a handler installed with SA_RESTART restarts it instead.
 *   The work itself (taking pages, querying) stops at fatal signals
 *   only.
 */

/** DRM_SVM_UAPI_VERSION - version of this uAPI, reported at creation */
#define DRM_SVM_UAPI_VERSION		3

/**
 * DRM_SVM_CONTEXT_NONBLOCK - create the context with O_NONBLOCK
 *
 * read() then returns -EAGAIN instead of waiting for an event.
 */
#define DRM_SVM_CONTEXT_NONBLOCK	(1u << 0)

/**
 * struct drm_svm_context_create - create a device-exclusive SVM context
 *
 * Argument of the driver's context creation ioctl (a driver ioctl, see the
 * DOC section). Errors: -EINVAL for unknown flags or nonzero padding,
 * -EMFILE or -ENFILE when no file descriptor is left, -ENOMEM.
 */
struct drm_svm_context_create {
	/** @flags: in, DRM_SVM_CONTEXT_* */
	__u32 flags;
	/** @fd: out, the context's file descriptor, close-on-exec */
	__s32 fd;
	/** @version: out, &DRM_SVM_UAPI_VERSION */
	__u32 version;
	/** @pad: must be 0 */
	__u32 pad;
};

/**
 * DRM_SVM_HOLD_MAX_US - the longest hold time, in microseconds (100 ms)
 *
 * A handle's hold time (&drm_svm_acquire.hold_us,
 * &DRM_SVM_IOCTL_SET_HOLD) is a window that starts whenever the device
 * takes pages of the handle (acquire, re-acquire, a device access that
 * re-acquires). A fault from user mode by a thread of the bound process
 * on a held page within the window waits until the window ends, and then
 * revokes the page as usual: the device keeps the page for at least that
 * long against the process's own loads and stores. The CPU gets as long a
 * turn in return: once a CPU access took pages of
 * the handle back, a re-acquire of the handle (&DRM_SVM_IOCTL_REACQUIRE,
 * a device access that re-acquires) waits, interruptibly, until a hold time
 * has passed since. On data both sides keep using they take turns of a
 * hold time each, which damps CPU/device ping-pong; pages revoked for any
 * other reason are re-acquired at once.
 *
 * Only faults from user mode wait: the kernel's own accesses to the page
 * (a system call copying from or to it, GUP, ptrace, reclaim, KSM,
 * khugepaged), unmapping, protection changes, fork(), migration and exit
 * revoke at once. Accesses of the bound process (its user faults, its
 * system calls, exclusive requests it makes through another context) start
 * the CPU's turn. A fault waits with no lock held, as a userfaultfd fault
 * does: it drops the mapping's lock, sleeps, and is retried; nothing but
 * the faulting thread waits, and a signal ends the wait (the access is
 * retried after the handler). A wait ends at the first timer expiry after
 * the window: within the task's timer slack (50 us by default) on kernels
 * with high-resolution timers, up to a scheduler tick later without them.
 * An access waits at most once: the thread that waited gets a turn as
 * long as the device's, in which its faults on that page revoke at once.
 * So the CPU waits no longer than the hold time, and so does a re-acquire.
 *
 * A waiting re-acquire holds no lock a CPU access needs, but the context's
 * other ioctls that acquire, re-acquire, release or access pages or set a
 * hold time wait behind it. Version 2 of the uAPI and later.
 *
 * A kernel whose fault path cannot wait for a device has no hold time:
 * &drm_svm_info.max_hold_us is 0 there, and only a hold of 0 is accepted.
 * The limit is always &drm_svm_info.max_hold_us, this constant or 0.
 */
#define DRM_SVM_HOLD_MAX_US		100000

/**
 * DRM_SVM_ACQUIRE_PARTIAL - accept partial success
 *
 * Without it an acquire is all or nothing: if one page cannot be made
 * exclusive, the pages already made exclusive are released again and the
 * ioctl fails with -EBUSY. With it, the handle holds whatever pages could
 * be made exclusive (at least one), and the bitmap says which.
 */
#define DRM_SVM_ACQUIRE_PARTIAL		(1u << 0)

/**
 * struct drm_svm_acquire - make a range device-exclusive
 *
 * Argument of &DRM_SVM_IOCTL_ACQUIRE.
 *
 * Errors besides the common ones:
 *
 * - -EACCES: part of the range is not readable and writable (read-only,
 *   write-only or PROT_NONE).
 * - -EOPNOTSUPP: part of the range is not private anonymous memory
 *   (shared, file-backed, hugetlbfs, device or I/O mappings).
 * - -EBUSY: some page could not be made exclusive (a page whose lock
 *   stayed contended, or whose mapping changed, or that was revoked again,
 *   before the acquire committed); with &DRM_SVM_ACQUIRE_PARTIAL, only
 *   when no page could be.
 * - -ENOMEM: over RLIMIT_MEMLOCK or &drm_svm_info.max_pages, or out of
 *   memory.
 * - -ENOSPC: the context already holds &drm_svm_info.max_handles handles.
 * - -EEXIST: the range overlaps a handle of this context.
 * - -EINTR: a signal arrived (see above); nothing is held.
 * - -EINVAL: @hold_us above &drm_svm_info.max_hold_us.
 *
 * A failed acquire holds nothing, charges nothing and queues no event.
 */
struct drm_svm_acquire {
	/** @addr: in, start address, page-aligned */
	__u64 addr;
	/** @length: in, length in bytes, page-aligned, non-zero */
	__u64 length;
	/** @cookie: in, opaque value returned in revocation events */
	__u64 cookie;
	/**
	 * @bitmap_ptr: in, optional user pointer to a bitmap of
	 * DIV_ROUND_UP(length / page size, 8) bytes; bit i (byte i / 8,
	 * bit i % 8) is set when page i is held exclusive as the acquire
	 * commits. 0 for none.
	 */
	__u64 bitmap_ptr;
	/** @flags: in, DRM_SVM_ACQUIRE_* */
	__u32 flags;
	/** @handle: out, the range's handle, never 0 */
	__u32 handle;
	/** @pages_exclusive: out, number of pages held as the acquire commits */
	__u64 pages_exclusive;
	/**
	 * @seqno: out, the handle's sequence number as the acquire commits:
	 * 0 unless pages were revoked during the acquire itself
	 */
	__u32 seqno;
	/**
	 * @hold_us: in, the handle's hold time in microseconds, at most
	 * &drm_svm_info.max_hold_us; 0 for none (a CPU access revokes at once)
	 */
	__u32 hold_us;
};

/**
 * struct drm_svm_reacquire - make a handle's revoked pages exclusive again
 *
 * Argument of &DRM_SVM_IOCTL_REACQUIRE. Makes every page of the handle
 * that is not held exclusive again (the others are left alone), clears the
 * revoked state of the pages it takes back and arms a new revocation
 * event, whether or not one was armed before. All or nothing unless
 * &DRM_SVM_ACQUIRE_PARTIAL: a failed re-acquire leaves the handle as it
 * found it (the pages it took are dropped again and stay revoked, the
 * armed event, if any, stays armed). Errors as &drm_svm_acquire, and
 * -ENOENT for an unknown handle. With a hold time, it first waits
 * for the end of the CPU's turn (&DRM_SVM_HOLD_MAX_US).
 */
struct drm_svm_reacquire {
	/** @handle: in */
	__u32 handle;
	/** @flags: in, DRM_SVM_ACQUIRE_PARTIAL or 0 */
	__u32 flags;
	/**
	 * @bitmap_ptr: in, optional, as &drm_svm_acquire.bitmap_ptr: every
	 * page held as the re-acquire commits
	 */
	__u64 bitmap_ptr;
	/** @pages_exclusive: out, pages of the handle held as it commits */
	__u64 pages_exclusive;
	/**
	 * @seqno: out, the handle's sequence number as the re-acquire
	 * commits; events with a sequence number not greater are stale
	 */
	__u32 seqno;
	/** @pad: must be 0 */
	__u32 pad;
};

/**
 * DRM_SVM_RELEASE_LAZY - leave CPU mappings to be restored on next touch
 *
 * By default a release restores the CPU mapping of every page it held, so
 * the process sees no later fault. With this flag the pages stay
 * device-exclusive entries until the CPU touches them (cheaper when the
 * process will not touch most of them).
 */
#define DRM_SVM_RELEASE_LAZY		(1u << 0)

/**
 * struct drm_svm_release - release a handle
 *
 * Argument of &DRM_SVM_IOCTL_RELEASE. The device mappings of the handle
 * are dropped, its armed event is cancelled and its unread event, if any,
 * discarded (no event names a released handle), and the handle's pages
 * are uncharged. -ENOENT for an unknown handle.
 */
struct drm_svm_release {
	/** @handle: in */
	__u32 handle;
	/** @flags: in, DRM_SVM_RELEASE_* */
	__u32 flags;
};

/* Per-page state bits reported by DRM_SVM_IOCTL_QUERY. */
/** DRM_SVM_PAGE_PRESENT - the page is populated (CPU- or device-mapped) */
#define DRM_SVM_PAGE_PRESENT		(1u << 0)
/** DRM_SVM_PAGE_WRITABLE - the mapping is writable */
#define DRM_SVM_PAGE_WRITABLE		(1u << 1)
/** DRM_SVM_PAGE_EXCLUSIVE - the page is device-exclusive, to any device */
#define DRM_SVM_PAGE_EXCLUSIVE		(1u << 2)
/** DRM_SVM_PAGE_HELD - this context's device maps the page exclusively */
#define DRM_SVM_PAGE_HELD		(1u << 3)
/**
 * DRM_SVM_PAGE_REVOKED - the page belongs to a handle of this context, is not
 * held, and was revoked since it was last taken by an acquire or a
 * re-acquire that committed (a failed re-acquire does not clear it)
 */
#define DRM_SVM_PAGE_REVOKED		(1u << 4)
/* Bit 5 is reserved: a device with memory of its own may report it. */

/**
 * struct drm_svm_query - per-page state of a range
 *
 * Argument of &DRM_SVM_IOCTL_QUERY. Writes one byte of DRM_SVM_PAGE_* bits
 * per page. Any range of the process may be queried, mapped or not (holes
 * read as 0, except a page of a handle of this context, which reads as
 * &DRM_SVM_PAGE_REVOKED alone: the handle lost it when it was unmapped).
 * Never faults a page in and never changes any state.
 */
struct drm_svm_query {
	/** @addr: in, page-aligned */
	__u64 addr;
	/** @npages: in, non-zero */
	__u64 npages;
	/** @states_ptr: in, user pointer to @npages bytes */
	__u64 states_ptr;
	/** @flags: in, must be 0 */
	__u32 flags;
	/** @pad: must be 0 */
	__u32 pad;
};

/**
 * struct drm_svm_set_hold - change a handle's hold time
 *
 * Argument of &DRM_SVM_IOCTL_SET_HOLD; see &DRM_SVM_HOLD_MAX_US. Takes
 * effect for the next CPU access; one waiting already keeps the window it
 * found. -ENOENT for an unknown handle, -EINVAL for @hold_us above
 * &drm_svm_info.max_hold_us.
 */
struct drm_svm_set_hold {
	/** @handle: in */
	__u32 handle;
	/** @hold_us: in, microseconds, at most &drm_svm_info.max_hold_us */
	__u32 hold_us;
	/** @flags: in, must be 0 */
	__u32 flags;
	/** @pad: must be 0 */
	__u32 pad;
};

/**
 * struct drm_svm_info - limits and usage of a context
 *
 * Argument of &DRM_SVM_IOCTL_INFO.
 */
struct drm_svm_info {
	/** @version: out, &DRM_SVM_UAPI_VERSION */
	__u32 version;
	/** @flags: in, must be 0 */
	__u32 flags;
	/** @page_size: out, the granule of every address and length */
	__u32 page_size;
	/** @event_size: out, sizeof(struct drm_svm_event_revoked) */
	__u32 event_size;
	/** @max_handles: out, handles a context may hold */
	__u32 max_handles;
	/** @handles: out, handles this context holds */
	__u32 handles;
	/** @max_pages: out, pages a context may hold, besides RLIMIT_MEMLOCK */
	__u64 max_pages;
	/** @pages: out, pages this context's handles span */
	__u64 pages;
	/**
	 * @max_hold_us: out, the longest hold time this kernel accepts:
	 * &DRM_SVM_HOLD_MAX_US, or 0 when it has none
	 */
	__u32 max_hold_us;
	/** @pad: out, 0 */
	__u32 pad;
};

/**
 * struct drm_svm_event - header of every event read from a context
 *
 * read() on a context returns whole events, as many as fit the buffer
 * (up to 32 per call), each starting with this header; a buffer too small for the next event
 * fails with -EINVAL. Without &DRM_SVM_CONTEXT_NONBLOCK (or O_NONBLOCK) it
 * waits, interruptibly, for one. Events leave the queue only once they
 * were copied out: a read that fails (-EFAULT) consumes nothing. An event
 * that a revocation merged into while a read copied it out stays queued
 * and is read again, merged: its later copy supersedes the earlier one.
 */
struct drm_svm_event {
	/** @type: DRM_SVM_EVENT_* */
	__u32 type;
	/**
	 * @size: the event's size in bytes, this header included: the next
	 * event starts that far after this one. An event may grow at its end
	 * in a later version; a reader skips a type it does not know.
	 */
	__u32 size;
};

/** DRM_SVM_EVENT_REVOKED - &struct drm_svm_event_revoked */
#define DRM_SVM_EVENT_REVOKED		1

/*
 * Why access was revoked: bits of &drm_svm_event_revoked.reasons, by what
 * changed the process's page tables. They are categories an application
 * can act on, not the kernel's internal events; what each promises is
 * below. Bits 1 and 6 are reserved and never set.
 */
/**
 * DRM_SVM_REASON_CPU_ACCESS - the CPU touched the page. Another device
 * (or context) acquiring the page also reports this: its acquire first
 * faults the page back to the CPU, so there is no direct takeover to
 * report apart.
 */
#define DRM_SVM_REASON_CPU_ACCESS	(1u << 0)
/**
 * DRM_SVM_REASON_UNMAP - munmap(), MADV_DONTNEED, mremap() and the like;
 * also the kernel moving, freeing or splitting the memory (migration,
 * reclaim, compaction, contiguous allocations, memory failure, huge page
 * splits), which it announces as an unmap
 */
#define DRM_SVM_REASON_UNMAP		(1u << 2)
/** DRM_SVM_REASON_PROTECTION - mprotect() or another protection change */
#define DRM_SVM_REASON_PROTECTION	(1u << 3)
/** DRM_SVM_REASON_FORK - fork() write-protected the page for copy-on-write */
#define DRM_SVM_REASON_FORK		(1u << 4)
/**
 * DRM_SVM_REASON_MIGRATION - a driver is migrating the page to device
 * memory (migrate_vma); the kernel's own page migration reports
 * &DRM_SVM_REASON_UNMAP
 */
#define DRM_SVM_REASON_MIGRATION	(1u << 5)
/**
 * DRM_SVM_REASON_OTHER - any other change of the CPU page tables, such as
 * clearing the soft-dirty bits (/proc/PID/clear_refs)
 */
#define DRM_SVM_REASON_OTHER		(1u << 7)

/**
 * DRM_SVM_EVENT_COALESCED - the event stands for revocations of more than
 * one arming: it was still unread when the handle, re-acquired meanwhile,
 * was revoked again. @addr and @length then cover every span it reports,
 * @reasons is their union and @seqno the latest.
 */
#define DRM_SVM_EVENT_COALESCED		(1u << 0)

/**
 * struct drm_svm_event_revoked - a handle lost pages
 *
 * Read from the context. Queued once per arming (see the DOC section):
 * @addr and @length give the span whose revocation queued it, clipped to
 * the handle; the handle may lose more pages before it is re-acquired,
 * counted by its sequence number.
 */
struct drm_svm_event_revoked {
	/** @base: type &DRM_SVM_EVENT_REVOKED, size sizeof(*this) */
	struct drm_svm_event base;
	/** @cookie: the cookie given at acquire */
	__u64 cookie;
	/** @addr: start of the revoked span */
	__u64 addr;
	/** @length: length of the revoked span in bytes */
	__u64 length;
	/** @handle: the handle */
	__u32 handle;
	/** @reasons: DRM_SVM_REASON_* bits */
	__u32 reasons;
	/**
	 * @seqno: the handle's revocation count when the event was sent;
	 * 1 for the first revocation of a handle, never reset by a
	 * re-acquire, so a jump by more than one means revocations were
	 * coalesced
	 */
	__u32 seqno;
	/** @flags: DRM_SVM_EVENT_* bits */
	__u32 flags;
};

/*
 * The context's ioctls. A context is not a DRM file: its ioctls have a
 * code of their own (Documentation/userspace-api/ioctl/ioctl-number.rst).
 * The kernel matches an ioctl by its number and direction (another
 * direction is -ENOTTY), not its size, so that an argument can grow at
 * its end: a kernel whose struct grew zero-extends one from older
 * headers, and one from newer headers must have a zero tail (-E2BIG). An
 * argument shorter than the struct in this, the first version, is
 * refused (-EINVAL).
 */
#define DRM_SVM_IOCTL_BASE	0xB9
#define DRM_SVM_IOCTL_INFO	_IOWR(DRM_SVM_IOCTL_BASE, 0x00, struct drm_svm_info)
#define DRM_SVM_IOCTL_ACQUIRE	_IOWR(DRM_SVM_IOCTL_BASE, 0x01, struct drm_svm_acquire)
#define DRM_SVM_IOCTL_REACQUIRE	_IOWR(DRM_SVM_IOCTL_BASE, 0x02, struct drm_svm_reacquire)
#define DRM_SVM_IOCTL_RELEASE	_IOW(DRM_SVM_IOCTL_BASE, 0x03, struct drm_svm_release)
#define DRM_SVM_IOCTL_QUERY	_IOW(DRM_SVM_IOCTL_BASE, 0x04, struct drm_svm_query)
#define DRM_SVM_IOCTL_SET_HOLD	_IOW(DRM_SVM_IOCTL_BASE, 0x05, struct drm_svm_set_hold)

#if defined(__cplusplus)
}
#endif

#endif /* _DRM_SVM_H_ */
