// SPDX-License-Identifier: MIT
/*
 * Every revocation reason the library reports, as the real kernel
 * produces it: CPU touch, munmap, MADV_DONTNEED, mremap, mprotect, fork,
 * another device; the sequence-number gap of coalesced revocations; a
 * release discarding its range's unread event.
 *
 * Copyright 2026 The svmatomic authors
 */
#define _GNU_SOURCE	/* mremap() */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "guest-common.h"

static struct svma_device *dev;
static struct recorder rec;

static void setup(void)
{
	dev = open_vsvm();
	record(dev, &rec);
}

static void teardown(void)
{
	svma_device_close(dev);
}

/* Exactly one revocation of @r for page @first..@first+@n-1, @reason. */
static void expect_one(struct svma_range *r, void *buf, size_t first,
		       size_t n, uint32_t reason)
{
	ck_assert_int_eq(dispatch_until(dev, &rec, 1, 0, 5000), 1);
	ck_assert_int_eq(rec.n, 1);
	ck_assert_int_eq(rec.foreign, 0);
	ck_assert_ptr_eq(rec.ev[0].range, r);
	ck_assert_ptr_eq(rec.ev[0].addr, PAGE(buf, first));
	ck_assert_uint_eq(rec.ev[0].length, n * pgsz);
	ck_assert_msg(rec.ev[0].reasons == reason,
		      "reasons %#x, expected %#x (%s)", rec.ev[0].reasons,
		      reason, svma_reason_string(reason));
	ck_assert_uint_eq(rec.ev[0].seqno, 1);
	ck_assert_uint_eq(rec.ev[0].coalesced, 0);
	ck_assert_uint_eq(rec.ev[0].flags, 0);
	ck_assert_int_eq(svma_range_is_revoked(r), 1);
	ck_assert_uint_eq(svma_range_seqno(r), 1);
}

static void *touch_thread(void *addr)
{
	*(volatile uint64_t *)addr = 0x5eed;
	return NULL;
}

START_TEST(test_cpu_access)
{
	char *buf = map_pages(4);
	struct svma_range *r;
	pthread_t t;

	r = acquire(dev, buf, 4, 0xabc);
	ck_assert_int_eq(svma_device_wait(dev, 0), 0);
	ck_assert_int_eq(pthread_create(&t, NULL, touch_thread, PAGE(buf, 2)),
			 0);
	ck_assert_int_eq(pthread_join(t, NULL), 0);
	ck_assert_int_eq(svma_device_wait(dev, 1000 * 1000 * 1000), 1);
	expect_one(r, buf, 2, 1, SVMA_REASON_CPU_ACCESS);
	ck_assert_uint_eq(rec.ev[0].cookie, 0xabc);
	ck_assert_uint_eq(rec.ev[0].handle, svma_range_handle(r));
	/* the touched page is the CPU's, the others still the device's */
	ck_assert_uint_eq(page_state(dev, PAGE(buf, 2)) &
			  (SVMA_PAGE_HELD | SVMA_PAGE_REVOKED),
			  SVMA_PAGE_REVOKED);
	ck_assert_uint_eq(page_state(dev, PAGE(buf, 3)) & SVMA_PAGE_HELD,
			  SVMA_PAGE_HELD);
	ck_assert_uint_eq(*(uint64_t *)PAGE(buf, 2), 0x5eed);
	ck_assert_int_eq(svma_range_release(r, 0), 0);
	unmap_pages(buf, 4);
}
END_TEST

START_TEST(test_unmap)
{
	char *buf = map_pages(3);
	struct svma_range *r;

	r = acquire(dev, buf, 3, 1);
	ck_assert_int_eq(munmap(PAGE(buf, 1), pgsz), 0);
	expect_one(r, buf, 1, 1, SVMA_REASON_UNMAP);
	/* the uAPI: an unmapped page of a range reads as REVOKED alone */
	ck_assert_uint_eq(page_state(dev, PAGE(buf, 1)), SVMA_PAGE_REVOKED);
	/* and the range cannot be re-acquired: it is not entirely mapped */
	ck_assert_int_eq(svma_range_reacquire(r, 0, NULL, 0), -EFAULT);
	ck_assert_int_eq(svma_range_reacquire(r, SVMA_ACQUIRE_PARTIAL, NULL, 0),
			 -EFAULT);
	ck_assert_int_eq(svma_range_release(r, 0), 0);
	munmap(buf, 3 * pgsz);
}
END_TEST

START_TEST(test_madv_dontneed)
{
	char *buf = map_pages(4);
	struct svma_range *r;

	r = acquire(dev, buf, 4, 1);
	ck_assert_int_eq(madvise(PAGE(buf, 1), 2 * pgsz, MADV_DONTNEED), 0);
	expect_one(r, buf, 1, 2, SVMA_REASON_UNMAP);
	ck_assert_uint_eq(page_state(dev, PAGE(buf, 1)), SVMA_PAGE_REVOKED);
	ck_assert_int_eq(svma_range_release(r, 0), 0);
	unmap_pages(buf, 4);
}
END_TEST

START_TEST(test_mremap)
{
	char *buf = map_pages(2), *to;
	struct svma_range *r;

	to = mmap(NULL, 2 * pgsz, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1,
		  0);
	ck_assert_ptr_ne(to, MAP_FAILED);
	r = acquire(dev, buf, 2, 1);
	ck_assert_ptr_eq(mremap(buf, 2 * pgsz, 2 * pgsz,
				MREMAP_MAYMOVE | MREMAP_FIXED, to), to);
	expect_one(r, buf, 0, 2, SVMA_REASON_UNMAP);
	ck_assert_int_eq(svma_range_release(r, 0), 0);
	unmap_pages(to, 2);
}
END_TEST

START_TEST(test_mprotect)
{
	char *buf = map_pages(3);
	struct svma_range *r;

	r = acquire(dev, buf, 3, 1);
	ck_assert_int_eq(mprotect(buf, 3 * pgsz, PROT_READ), 0);
	expect_one(r, buf, 0, 3, SVMA_REASON_PROTECTION);
	/* a read-only page cannot be had again ... */
	ck_assert_int_eq(svma_range_reacquire(r, 0, NULL, 0), -EACCES);
	/* ... a writable one can */
	ck_assert_int_eq(mprotect(buf, 3 * pgsz, PROT_READ | PROT_WRITE), 0);
	ck_assert_int_eq(svma_range_reacquire(r, 0, NULL, 0), 0);
	ck_assert_uint_eq(svma_range_pages_exclusive(r), 3);
	ck_assert_int_eq(svma_range_release(r, 0), 0);
	unmap_pages(buf, 3);
}
END_TEST

/*
 * fork() write-protects the parent's copy-on-write range: the parent's
 * device loses the pages with reason FORK. The device belongs to the
 * parent, which opened it, from the start: in the child every call on it
 * fails with -EPERM and consumes nothing, through the library and through
 * the raw uAPI on the inherited context alike (the FORK event waits on it
 * meanwhile), but the child may close it. A device the child opens on
 * the inherited DRM fd is the child's own, and sees nothing of the
 * parent's. The parent's device works on.
 */
START_TEST(test_fork)
{
	char *buf = map_pages(2);
	struct svma_range *r, *cr;
	int status;
	uint8_t st;
	pid_t pid;

	r = acquire(dev, buf, 2, 1);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		struct drm_svm_event_revoked ev;
		struct drm_svm_info kinfo;
		struct svma_device_info info;
		struct svma_device *mine;
		struct pollfd pfd;
		int ctx = svma_device_fd(dev), bad = 0;
		char *own;

		/* the FORK event is pending: none of these may read it */
		bad |= (svma_device_wait(dev, 0) != -EPERM) << 0;
		bad |= (svma_device_dispatch(dev) != -EPERM) << 1;
		bad |= (svma_device_get_info(dev, &info, sizeof(info)) !=
			-EPERM) << 2;
		bad |= (rec.n + rec.foreign != 0) << 3;
		/* the kernel refuses the inherited context itself */
		memset(&kinfo, 0, sizeof(kinfo));
		bad |= !(ioctl(ctx, DRM_SVM_IOCTL_INFO, &kinfo) == -1 &&
			 errno == EPERM) << 4;
		bad |= !(read(ctx, &ev, sizeof(ev)) == -1 &&
			 errno == EPERM) << 5;
		pfd.fd = ctx;
		pfd.events = POLLIN;
		pfd.revents = 0;
		bad |= !(poll(&pfd, 1, 0) == 1 && (pfd.revents & POLLERR)) << 6;
		/* and the device's accesses for it (vsvm's own ioctl) */
		bad |= (dev_op(dev, DRM_VSVM_OP_ADD, buf, 8, 1, 0, 0, NULL) !=
			-EPERM) << 7;
		bad |= (dev_op(dev, DRM_VSVM_OP_ADD, buf, 8, 1, 0,
			       DRM_VSVM_ATOMIC_REACQUIRE, NULL) != -EPERM) << 8;
		if (bad)
			_exit(bad & 0x7f ? bad & 0x7f : 0x7f);

		bad |= svma_device_query(dev, buf, pgsz, &st, 1) != -EPERM;
		bad |= svma_range_acquire(dev, PAGE(buf, 1), pgsz, 0, 0, NULL,
					  0, &cr) != -EPERM;
		bad |= svma_range_reacquire(r, 0, NULL, 0) != -EPERM;
		/* 0: valid on every kernel, so only the owner check fails */
		bad |= svma_range_set_hold(r, 0) != -EPERM;
		bad |= svma_range_release(r, 0) != -EPERM;
		if (bad)
			_exit(0x41);

		/* a device of its own on the inherited DRM fd: the child's */
		if (svma_device_adopt(svma_device_drm_fd(dev), 0, &mine))
			_exit(0x42);
		own = mmap(NULL, pgsz, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (own == MAP_FAILED)
			_exit(0x43);
		own[0] = 1;
		bad |= svma_range_acquire(mine, own, pgsz, 7, 0, NULL, 0,
					  &cr) != 0;
		if (!bad) {
			*(volatile char *)own = 2;	/* revokes it */
			bad |= svma_device_wait(mine, 1000 * 1000 * 1000) != 1;
			/* its own event only: not the parent's FORK */
			bad |= svma_device_dispatch(mine) != 1;
			bad |= svma_range_is_revoked(cr) != 1;
			bad |= svma_range_release(cr, 0) != 0;
		}
		bad |= rec.n + rec.foreign != 0;
		svma_device_close(mine);
		if (bad)
			_exit(0x44);
		svma_device_close(dev);
		_exit(0);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		      "the child's calls did not fail with -EPERM, or its own device did not work (status %#x)",
		      status);
	/* the child consumed nothing: the event is the parent's still */
	expect_one(r, buf, 0, 2, SVMA_REASON_FORK);
	/* the child's close released nothing of ours: the context lives on */
	ck_assert_uint_eq(page_state(dev, buf) & SVMA_PAGE_REVOKED,
			  SVMA_PAGE_REVOKED);
	ck_assert_int_eq(svma_range_reacquire(r, 0, NULL, 0), 0);
	ck_assert_uint_eq(page_state(dev, buf) & SVMA_PAGE_HELD,
			  SVMA_PAGE_HELD);
	ck_assert_int_eq(dev_op(dev, DRM_VSVM_OP_ADD, buf, 8, 3, 0, 0, NULL),
			 0);
	/* and still gets its events */
	cpu_touch(PAGE(buf, 1));
	ck_assert_int_eq(dispatch_until(dev, &rec, 2, 0, 5000), 1);
	ck_assert_ptr_eq(rec.ev[1].addr, PAGE(buf, 1));
	ck_assert_uint_eq(rec.ev[1].reasons, SVMA_REASON_CPU_ACCESS);
	ck_assert_uint_eq(rec.ev[1].seqno, 2);
	ck_assert_int_eq(svma_range_release(r, 0), 0);
	ck_assert_uint_eq(*(uint64_t *)buf, 3);
	unmap_pages(buf, 2);
}
END_TEST

/* What svmatomic(7) says: MADV_DONTFORK memory is left alone by fork(). */
START_TEST(test_fork_dontfork)
{
	char *buf = map_pages(2);
	struct svma_range *r;
	int status;
	pid_t pid;

	ck_assert_int_eq(madvise(buf, 2 * pgsz, MADV_DONTFORK), 0);
	r = acquire(dev, buf, 2, 1);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0)
		_exit(0);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_int_eq(dispatch_until(dev, &rec, 1, 0, 300), 0);
	ck_assert_int_eq(rec.n + rec.foreign, 0);
	ck_assert_uint_eq(page_state(dev, buf) & SVMA_PAGE_HELD,
			  SVMA_PAGE_HELD);
	ck_assert_uint_eq(page_state(dev, PAGE(buf, 1)) & SVMA_PAGE_HELD,
			  SVMA_PAGE_HELD);
	ck_assert_int_eq(svma_range_release(r, 0), 0);
	unmap_pages(buf, 2);
}
END_TEST

/* ... and posix_spawn() does not copy the address space at all. */
START_TEST(test_posix_spawn)
{
	char *argv[] = { (char *)"true", NULL };
	char *envp[] = { NULL };
	char *buf = map_pages(2);
	struct svma_range *r;
	int status;
	pid_t pid;

	r = acquire(dev, buf, 2, 1);
	ck_assert_int_eq(posix_spawnp(&pid, "true", NULL, NULL, argv, envp),
			 0);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	ck_assert_int_eq(dispatch_until(dev, &rec, 1, 0, 300), 0);
	ck_assert_int_eq(rec.n + rec.foreign, 0);
	ck_assert_uint_eq(page_state(dev, buf) & SVMA_PAGE_HELD,
			  SVMA_PAGE_HELD);
	ck_assert_int_eq(svma_range_release(r, 0), 0);
	unmap_pages(buf, 2);
}
END_TEST

/*
 * Another device acquiring the page: its acquire faults the page back to
 * the CPU first, so the kernel reports CPU_ACCESS.
 */
START_TEST(test_other_device)
{
	struct svma_device *other = open_vsvm();
	char *buf = map_pages(3);
	struct svma_range *r, *ro;
	uint32_t reasons;

	r = acquire(dev, buf, 3, 1);
	ro = acquire(other, PAGE(buf, 1), 1, 2);
	ck_assert_int_eq(dispatch_until(dev, &rec, 1, 0, 5000), 1);
	ck_assert_ptr_eq(rec.ev[0].addr, PAGE(buf, 1));
	ck_assert_uint_eq(rec.ev[0].length, pgsz);
	reasons = rec.ev[0].reasons;
	ck_assert_uint_eq(reasons, SVMA_REASON_CPU_ACCESS);

	/* each device sees who holds what */
	ck_assert_uint_eq(page_state(dev, PAGE(buf, 1)),
			  SVMA_PAGE_PRESENT | SVMA_PAGE_WRITABLE |
			  SVMA_PAGE_EXCLUSIVE | SVMA_PAGE_REVOKED);
	ck_assert_uint_eq(page_state(other, PAGE(buf, 1)) & SVMA_PAGE_HELD,
			  SVMA_PAGE_HELD);
	ck_assert_int_eq(dev_op(dev, DRM_VSVM_OP_ADD, PAGE(buf, 1), 8, 1, 0, 0,
				NULL), -ENXIO);
	ck_assert_int_eq(dev_op(other, DRM_VSVM_OP_ADD, PAGE(buf, 1), 8, 1, 0,
				0, NULL), 0);
	ck_assert_int_eq(dev_op(dev, DRM_VSVM_OP_ADD, PAGE(buf, 0), 8, 1, 0, 0,
				NULL), 0);

	ck_assert_int_eq(svma_range_release(ro, 0), 0);
	ck_assert_int_eq(svma_range_release(r, 0), 0);
	svma_device_close(other);
	ck_assert_uint_eq(*(uint64_t *)PAGE(buf, 1), 1);
	unmap_pages(buf, 3);
}
END_TEST

/*
 * One event per arming: later revocations coalesce into the handle's
 * state and sequence number. The re-acquire takes them back and returns
 * the number as it committed; the next event's gap counts from there.
 */
START_TEST(test_coalesced_gap)
{
	char *buf = map_pages(4);
	struct svma_range *r;
	uint8_t st[4];

	r = acquire(dev, buf, 4, 1);
	cpu_touch(PAGE(buf, 0));
	cpu_touch(PAGE(buf, 1));
	cpu_touch(PAGE(buf, 2));
	ck_assert_int_eq(dispatch_until(dev, &rec, 1, 0, 5000), 1);
	ck_assert_int_eq(rec.n, 1);
	ck_assert_ptr_eq(rec.ev[0].addr, buf);
	ck_assert_uint_eq(rec.ev[0].seqno, 1);
	ck_assert_uint_eq(rec.ev[0].coalesced, 0);
	/* the coalesced revocations are in the state, not lost */
	query(dev, buf, 4, st);
	ck_assert_uint_eq(st[1] & SVMA_PAGE_REVOKED, SVMA_PAGE_REVOKED);
	ck_assert_uint_eq(st[2] & SVMA_PAGE_REVOKED, SVMA_PAGE_REVOKED);
	ck_assert_uint_eq(st[3] & SVMA_PAGE_HELD, SVMA_PAGE_HELD);

	ck_assert_int_eq(svma_range_reacquire(r, 0, NULL, 0), 0);
	ck_assert_uint_eq(svma_range_seqno(r), 3);
	cpu_touch(PAGE(buf, 3));
	cpu_touch(PAGE(buf, 0));
	ck_assert_int_eq(dispatch_until(dev, &rec, 2, 0, 5000), 1);
	ck_assert_int_eq(rec.n, 2);
	ck_assert_ptr_eq(rec.ev[1].addr, PAGE(buf, 3));
	ck_assert_uint_eq(rec.ev[1].seqno, 4);
	ck_assert_uint_eq(rec.ev[1].coalesced, 0);
	ck_assert_uint_eq(svma_range_seqno(r), 4);
	/* page 0's revocation (5) was coalesced: the re-acquire says so */
	ck_assert_int_eq(svma_range_reacquire(r, 0, NULL, 0), 0);
	ck_assert_uint_eq(svma_range_seqno(r), 5);
	cpu_touch(PAGE(buf, 1));
	cpu_touch(PAGE(buf, 2));
	ck_assert_int_eq(svma_range_reacquire(r, 0, NULL, 0), 0);
	ck_assert_uint_eq(svma_range_seqno(r), 7);
	/* 6 sent an event before the re-acquire: stale, now */
	ck_assert_int_eq(dispatch_until(dev, &rec, 3, 0, 5000), 1);
	ck_assert_uint_eq(rec.ev[2].seqno, 6);
	ck_assert_uint_eq(rec.ev[2].flags, SVMA_REVOCATION_STALE);
	ck_assert_uint_eq(svma_range_seqno(r), 7);
	ck_assert_int_eq(svma_range_is_revoked(r), 0);
	ck_assert_int_eq(svma_range_release(r, 0), 0);
	unmap_pages(buf, 4);
}
END_TEST

/*
 * An event sent before a re-acquire and read after it is stale: the
 * handler gets it, marked, and the range stays not revoked (issue 7).
 */
START_TEST(test_stale_event_after_reacquire)
{
	char *buf = map_pages(2);
	struct svma_range *r;

	r = acquire(dev, buf, 2, 1);
	cpu_touch(buf);
	/* the event is queued; the re-acquire comes before it is read */
	ck_assert_int_eq(svma_device_wait(dev, 1000 * 1000 * 1000), 1);
	ck_assert_int_eq(svma_range_reacquire(r, 0, NULL, 0), 0);
	ck_assert_uint_eq(svma_range_pages_exclusive(r), 2);
	ck_assert_uint_eq(svma_range_seqno(r), 1);
	ck_assert_int_eq(dispatch_until(dev, &rec, 1, 0, 5000), 1);
	ck_assert_ptr_eq(rec.ev[0].range, r);
	ck_assert_uint_eq(rec.ev[0].seqno, 1);
	ck_assert_uint_eq(rec.ev[0].flags, SVMA_REVOCATION_STALE);
	ck_assert_uint_eq(rec.ev[0].coalesced, 0);
	ck_assert_uint_eq(rec.ev[0].reasons, SVMA_REASON_CPU_ACCESS);
	ck_assert_int_eq(svma_range_is_revoked(r), 0);
	ck_assert_uint_eq(svma_range_seqno(r), 1);
	ck_assert_uint_eq(page_state(dev, buf) & SVMA_PAGE_HELD,
			  SVMA_PAGE_HELD);

	/* the re-acquire armed a new event: the next touch is news */
	cpu_touch(PAGE(buf, 1));
	ck_assert_int_eq(dispatch_until(dev, &rec, 2, 0, 5000), 1);
	ck_assert_uint_eq(rec.ev[1].seqno, 2);
	ck_assert_uint_eq(rec.ev[1].flags, 0);
	ck_assert_uint_eq(rec.ev[1].coalesced, 0);
	ck_assert_int_eq(svma_range_is_revoked(r), 1);
	ck_assert_int_eq(svma_range_release(r, 0), 0);
	unmap_pages(buf, 2);
}
END_TEST

/*
 * A release discards the range's unread event: once it returns, no event
 * names the handle, so nothing reaches the handler or the fallback.
 */
START_TEST(test_release_discards_event)
{
	char *buf = map_pages(2);
	struct svma_range *r, *keep;

	r = acquire(dev, buf, 1, 1);
	keep = acquire(dev, PAGE(buf, 1), 1, 2);
	cpu_touch(buf);
	cpu_touch(PAGE(buf, 1));
	ck_assert_int_eq(svma_device_wait(dev, 1000 * 1000 * 1000), 1);
	ck_assert_int_eq(svma_range_release(r, 0), 0);
	/* the other range's event is still there, and only it */
	ck_assert_int_eq(dispatch_until(dev, &rec, 1, 0, 5000), 1);
	ck_assert_int_eq(rec.n, 1);
	ck_assert_int_eq(rec.foreign, 0);
	ck_assert_ptr_eq(rec.ev[0].range, keep);
	ck_assert_uint_eq(rec.ev[0].cookie, 2);
	/* one released with its event pending leaves nothing behind */
	ck_assert_int_eq(svma_range_reacquire(keep, 0, NULL, 0), 0);
	cpu_touch(PAGE(buf, 1));
	ck_assert_int_eq(svma_device_wait(dev, 1000 * 1000 * 1000), 1);
	ck_assert_int_eq(svma_range_release(keep, 0), 0);
	ck_assert_int_eq(svma_device_wait(dev, 0), 0);
	ck_assert_int_eq(dispatch_until(dev, &rec, 2, 0, 200), 0);
	ck_assert_int_eq(rec.n, 1);
	ck_assert_int_eq(rec.foreign, 0);
	unmap_pages(buf, 2);
}
END_TEST

/* Without a handler the range's state is kept all the same. */
START_TEST(test_no_handler)
{
	char *buf = map_pages(1);
	struct svma_range *r;

	ck_assert_int_eq(svma_device_set_revoke_handler(dev, NULL, NULL), 0);
	ck_assert_int_eq(svma_device_set_revoke_handler(NULL, NULL, NULL), -EINVAL);
	ck_assert_int_eq(svma_device_set_event_fallback(NULL, NULL, NULL), -EINVAL);
	r = acquire(dev, buf, 1, 1);
	cpu_touch(buf);
	ck_assert_int_eq(dispatch_until(dev, &rec, 0, 0, 200), 1);
	ck_assert_int_eq(rec.n, 0);
	ck_assert_int_eq(svma_range_is_revoked(r), 1);
	ck_assert_uint_eq(svma_range_seqno(r), 1);
	ck_assert_int_eq(svma_range_release(r, 0), 0);
	unmap_pages(buf, 1);
}
END_TEST

Suite *suite_revoke(void)
{
	Suite *s = suite_create("revoke");
	TCase *tc;

	tc = tcase_create("reasons");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_cpu_access);
	tcase_add_test(tc, test_unmap);
	tcase_add_test(tc, test_madv_dontneed);
	tcase_add_test(tc, test_mremap);
	tcase_add_test(tc, test_mprotect);
	tcase_add_test(tc, test_fork);
	tcase_add_test(tc, test_fork_dontfork);
	tcase_add_test(tc, test_posix_spawn);
	tcase_add_test(tc, test_other_device);
	suite_add_tcase(s, tc);

	tc = tcase_create("delivery");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_coalesced_gap);
	tcase_add_test(tc, test_stale_event_after_reacquire);
	tcase_add_test(tc, test_release_discards_event);
	tcase_add_test(tc, test_no_handler);
	suite_add_tcase(s, tc);

	return s;
}
