// SPDX-License-Identifier: MIT
/*
 * Hold times against the real kernel (uAPI 2): svma_range_set_hold(),
 * who waits and who never does, read from the wait counters of
 * svma_device_get_info() (the context's fdinfo since uAPI 3) rather than
 * from timings, which mean little under emulation.
 *
 * Copyright 2026 The svmatomic authors
 */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "guest-common.h"

/*
 * Past the turn the kernel gives the thread that waited: its accesses to
 * that page within a hold time of the end of its wait do not wait again.
 */
#define TURN_US		(DRM_SVM_HOLD_MAX_US + 10000)

static struct svma_device *dev;

static void setup(void)
{
	dev = open_vsvm();
}

static void teardown(void)
{
	svma_device_close(dev);
}

static struct svma_device_info info(void)
{
	struct svma_device_info i;

	memset(&i, 0xff, sizeof(i));
	ck_assert_int_eq(svma_device_get_info(dev, &i, sizeof(i)), 0);
	return i;
}

/*
 * Whether the kernel has hold times; a test without them says so. A uAPI 1
 * kernel has no such call; a later one may report a maximum of 0, when its
 * fault path cannot wait for a device (7.3's series).
 */
static bool have_hold(void)
{
	return info().uapi_version >= 2 && info().max_hold_us > 0;
}

#define NO_HOLD_SKIP()							\
	GUEST_SKIP("no hold time: uAPI %u, max_hold_us %u",		\
		   info().uapi_version, info().max_hold_us)

/* The page is back with the CPU: the access revoked it. */
static void assert_revoked(const void *addr)
{
	uint8_t st = page_state(dev, addr);

	ck_assert_msg(!(st & SVMA_PAGE_HELD) && (st & SVMA_PAGE_REVOKED),
		      "page state %#x", st);
}

START_TEST(test_set_hold)
{
	struct svma_device_info i;
	struct svma_range *r;
	char *buf = map_pages(1);

	if (info().uapi_version >= 2 && !info().max_hold_us) {
		/* No hold time: only 0 is accepted, and nothing waits. */
		r = acquire(dev, buf, 1, 1);
		ck_assert_int_eq(svma_range_set_hold(r, 1), -EINVAL);
		ck_assert_int_eq(svma_range_set_hold(r, 0), 0);
		ck_assert_uint_eq(svma_range_hold(r), 0);
		cpu_touch(buf);
		assert_revoked(buf);
		ck_assert_uint_eq(info().hold_waits, 0);
		ck_assert_int_eq(svma_range_release(r, 0), 0);
		unmap_pages(buf, 1);
		return;
	}
	if (!have_hold())
		NO_HOLD_SKIP();
	/* a new device: no waits yet */
	i = info();
	ck_assert_uint_eq(i.max_hold_us, DRM_SVM_HOLD_MAX_US);
	ck_assert_uint_eq(i.reserved, 0);
	ck_assert_uint_eq(i.hold_waits, 0);
	ck_assert_uint_eq(i.hold_wait_ns, 0);

	r = acquire(dev, buf, 1, 1);
	ck_assert_uint_eq(svma_range_hold(r), 0);
	ck_assert_int_eq(svma_range_set_hold(r, DRM_SVM_HOLD_MAX_US), 0);
	ck_assert_uint_eq(svma_range_hold(r), DRM_SVM_HOLD_MAX_US);
	ck_assert_int_eq(svma_range_set_hold(r, 1), 0);
	ck_assert_uint_eq(svma_range_hold(r), 1);
	/* refused, and nothing changes */
	ck_assert_int_eq(svma_range_set_hold(r, DRM_SVM_HOLD_MAX_US + 1),
			 -EINVAL);
	ck_assert_int_eq(svma_range_set_hold(r, UINT32_MAX), -EINVAL);
	ck_assert_int_eq(svma_range_set_hold(NULL, 0), -EINVAL);
	ck_assert_uint_eq(svma_range_hold(r), 1);
	ck_assert_int_eq(svma_range_release(r, 0), 0);
	unmap_pages(buf, 1);
}
END_TEST

/*
 * A CPU access within the window waits, once, and then revokes; the
 * window opens again whenever the device takes pages: a re-acquire, or
 * a device access that re-acquires. Hold 0 waits for nothing.
 */
START_TEST(test_cpu_waits)
{
	struct svma_device_info before, after;
	struct svma_range *r;
	char *buf = map_pages(1);

	if (!have_hold())
		NO_HOLD_SKIP();
	r = acquire(dev, buf, 1, 1);
	ck_assert_int_eq(svma_range_set_hold(r, DRM_SVM_HOLD_MAX_US), 0);
	/*
	 * The window opened at the acquire, a moment before the hold was
	 * set: this access may wait or not. The ones below are counted.
	 */
	cpu_touch(buf);
	assert_revoked(buf);

	/* past the turn the CPU gets after a wait (which may have been) */
	usleep(TURN_US);
	before = info();
	ck_assert_int_eq(svma_range_reacquire(r, 0, NULL, 0), 0);
	cpu_touch(buf);
	after = info();
	assert_revoked(buf);
	ck_assert_uint_eq(after.hold_waits, before.hold_waits + 1);
	ck_assert_uint_gt(after.hold_wait_ns, before.hold_wait_ns);

	/* the device taking the page back opens the window too */
	usleep(TURN_US);
	before = after;
	ck_assert_int_eq(dev_op(dev, DRM_VSVM_OP_ADD, buf, 8, 1, 0,
				DRM_VSVM_ATOMIC_REACQUIRE, NULL), 0);
	cpu_touch(buf);
	after = info();
	assert_revoked(buf);
	ck_assert_uint_eq(after.hold_waits, before.hold_waits + 1);
	ck_assert_uint_gt(after.hold_wait_ns, before.hold_wait_ns);
	ck_assert_uint_eq(*(volatile uint64_t *)buf, 1);
	/* the library's numbers are the context's fdinfo's */
	{
		uint64_t waits = 0, ns = 0;

		ck_assert_int_eq(vsvm_fdinfo(svma_device_fd(dev),
					     "svm-hold-waits", &waits), 0);
		ck_assert_int_eq(vsvm_fdinfo(svma_device_fd(dev),
					     "svm-hold-wait-ns", &ns), 0);
		ck_assert_uint_eq(waits, after.hold_waits);
		ck_assert_uint_eq(ns, after.hold_wait_ns);
	}

	/* back to 0: no wait, the access revokes at once */
	ck_assert_int_eq(svma_range_set_hold(r, 0), 0);
	before = after;
	ck_assert_int_eq(svma_range_reacquire(r, 0, NULL, 0), 0);
	cpu_touch(buf);
	after = info();
	assert_revoked(buf);
	ck_assert_uint_eq(after.hold_waits, before.hold_waits);
	ck_assert_uint_eq(after.hold_wait_ns, before.hold_wait_ns);

	ck_assert_int_eq(svma_range_release(r, 0), 0);
	unmap_pages(buf, 1);
}
END_TEST

static double now_sec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * The CPU's turn: after a CPU access took the page back,
 * svma_range_reacquire() returns no sooner than the hold time after it.
 * An exact bound: the turn cannot start before t0.
 */
START_TEST(test_reacquire_waits_cpu_turn)
{
	const double hold = DRM_SVM_HOLD_MAX_US / 1e6;
	struct svma_range *r;
	char *buf = map_pages(1);
	double t0, t1;

	if (!have_hold())
		NO_HOLD_SKIP();
	r = acquire(dev, buf, 1, 1);
	ck_assert_int_eq(svma_range_set_hold(r, DRM_SVM_HOLD_MAX_US), 0);
	/* past the device's window: the access below does not wait */
	usleep(TURN_US);
	t0 = now_sec();
	cpu_touch(buf);
	assert_revoked(buf);
	ck_assert_int_eq(svma_range_reacquire(r, 0, NULL, 0), 0);
	t1 = now_sec();
	ck_assert(page_state(dev, buf) & SVMA_PAGE_HELD);
	ck_assert_msg(t1 - t0 >= hold, "re-acquired %.1f ms after the access",
		      (t1 - t0) * 1e3);
	ck_assert_int_eq(svma_range_release(r, 0), 0);
	unmap_pages(buf, 1);
}
END_TEST

/* mprotect(), fork() and munmap() revoke at once, window or not. */
START_TEST(test_never_wait)
{
	struct svma_device_info before, after;
	struct svma_range *r;
	char *buf = map_pages(1);
	int status;
	pid_t pid;

	if (!have_hold())
		NO_HOLD_SKIP();
	r = acquire(dev, buf, 1, 1);
	ck_assert_int_eq(svma_range_set_hold(r, DRM_SVM_HOLD_MAX_US), 0);
	before = info();

	ck_assert_int_eq(svma_range_reacquire(r, 0, NULL, 0), 0);
	ck_assert_int_eq(mprotect(buf, pgsz, PROT_READ), 0);
	ck_assert(!(page_state(dev, buf) & SVMA_PAGE_HELD));
	ck_assert_int_eq(mprotect(buf, pgsz, PROT_READ | PROT_WRITE), 0);

	ck_assert_int_eq(svma_range_reacquire(r, 0, NULL, 0), 0);
	ck_assert(page_state(dev, buf) & SVMA_PAGE_HELD);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0)
		_exit(0);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(!(page_state(dev, buf) & SVMA_PAGE_HELD));

	ck_assert_int_eq(svma_range_reacquire(r, 0, NULL, 0), 0);
	ck_assert(page_state(dev, buf) & SVMA_PAGE_HELD);
	unmap_pages(buf, 1);

	after = info();
	ck_assert_uint_eq(after.hold_waits, before.hold_waits);
	ck_assert_uint_eq(after.hold_wait_ns, before.hold_wait_ns);
	ck_assert_int_eq(svma_range_release(r, 0), 0);
}
END_TEST

/*
 * A handle the kernel no longer knows (released behind the library's
 * back): -ENOENT, passed through, and the hold stays as it was. And
 * what the library relies on when it checks before asking: the kernel
 * refuses the same values.
 */
START_TEST(test_unknown_handle)
{
	struct drm_svm_release rel;
	struct drm_svm_set_hold sh;
	struct svma_range *r;
	char *buf = map_pages(1);
	int fd = svma_device_fd(dev);	/* the context */

	if (!have_hold())
		NO_HOLD_SKIP();
	r = acquire(dev, buf, 1, 1);
	ck_assert_int_eq(svma_range_set_hold(r, 500), 0);

	memset(&sh, 0, sizeof(sh));
	sh.handle = svma_range_handle(r);
	sh.hold_us = DRM_SVM_HOLD_MAX_US + 1;
	ck_assert_int_eq(ioctl(fd, DRM_SVM_IOCTL_SET_HOLD, &sh), -1);
	ck_assert_int_eq(errno, EINVAL);
	sh.hold_us = 0;
	sh.flags = 1;
	ck_assert_int_eq(ioctl(fd, DRM_SVM_IOCTL_SET_HOLD, &sh), -1);
	ck_assert_int_eq(errno, EINVAL);
	sh.flags = 0;
	sh.pad = 1;
	ck_assert_int_eq(ioctl(fd, DRM_SVM_IOCTL_SET_HOLD, &sh), -1);
	ck_assert_int_eq(errno, EINVAL);

	memset(&rel, 0, sizeof(rel));
	rel.handle = svma_range_handle(r);
	ck_assert_int_eq(ioctl(fd, DRM_SVM_IOCTL_RELEASE, &rel), 0);
	ck_assert_int_eq(svma_range_set_hold(r, 1000), -ENOENT);
	ck_assert_uint_eq(svma_range_hold(r), 500);
	/* the range is freed all the same */
	ck_assert_int_eq(svma_range_release(r, 0), -ENOENT);
	unmap_pages(buf, 1);
}
END_TEST

Suite *suite_hold(void)
{
	Suite *s = suite_create("hold");
	TCase *tc = tcase_create("hold");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_set_hold);
	tcase_add_test(tc, test_cpu_waits);
	tcase_add_test(tc, test_reacquire_waits_cpu_turn);
	tcase_add_test(tc, test_never_wait);
	tcase_add_test(tc, test_unknown_handle);
	suite_add_tcase(s, tc);
	return s;
}
