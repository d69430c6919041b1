// SPDX-License-Identifier: MIT
/*
 * Ranges, queries and info against a fake kernel: argument validation,
 * what reaches the ioctl, errors passed through unchanged, bookkeeping.
 *
 * Copyright 2026 The svmatomic authors
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test-common.h"

static int fds[2];
static struct svma_device *dev;
/* A page-aligned address; never dereferenced by the mock. */
#define BUF	((void *)(uintptr_t)(64 * TEST_PAGE))

static void setup(void)
{
	mock_reset();
	ck_assert_int_eq(pipe(fds), 0);
	dev = mock_device(fds[0]);
}

static void teardown(void)
{
	svma_device_close(dev);
	close(fds[1]);
}

static struct svma_range *acquire(void *addr, size_t len)
{
	struct svma_range *r = NULL;

	ck_assert_int_eq(svma_range_acquire(dev, addr, len, 42, 0, NULL, 0,
					    &r), 0);
	ck_assert_ptr_nonnull(r);
	return r;
}

START_TEST(test_acquire_bad_args)
{
	struct svma_range *r = (struct svma_range *)&r;
	uint8_t bm[2];
	char *b = BUF;

	ck_assert_int_eq(svma_range_acquire(NULL, b, TEST_PAGE, 0, 0, NULL, 0,
					    &r), -EINVAL);
	ck_assert_ptr_null(r);
	ck_assert_int_eq(svma_range_acquire(dev, b, TEST_PAGE, 0, 0, NULL, 0,
					    NULL), -EINVAL);
	/* unknown flags */
	ck_assert_int_eq(svma_range_acquire(dev, b, TEST_PAGE, 0, 2, NULL, 0,
					    &r), -EINVAL);
	ck_assert_int_eq(svma_range_acquire(dev, b, TEST_PAGE, 0, ~0u, NULL,
					    0, &r), -EINVAL);
	/* alignment, zero, wrap-around */
	ck_assert_int_eq(svma_range_acquire(dev, b + 1, TEST_PAGE, 0, 0, NULL,
					    0, &r), -EINVAL);
	ck_assert_int_eq(svma_range_acquire(dev, b, TEST_PAGE + 1, 0, 0, NULL,
					    0, &r), -EINVAL);
	ck_assert_int_eq(svma_range_acquire(dev, b, 0, 0, 0, NULL, 0, &r),
			 -EINVAL);
	ck_assert_int_eq(svma_range_acquire(dev, b, SIZE_MAX & ~(size_t)4095,
					    0, 0, NULL, 0, &r), -EINVAL);
	/* bitmap: too small, or a size without a bitmap */
	ck_assert_int_eq(svma_range_acquire(dev, b, 9 * TEST_PAGE, 0, 0, bm,
					    1, &r), -EINVAL);
	ck_assert_int_eq(svma_range_acquire(dev, b, TEST_PAGE, 0, 0, NULL, 1,
					    &r), -EINVAL);
	ck_assert_ptr_null(r);
	/* none of that reached the kernel */
	ck_assert_int_eq(mock_calls(DRM_SVM_IOCTL_ACQUIRE), 0);
}
END_TEST

START_TEST(test_acquire_passes_through)
{
	struct svma_range *r = NULL;
	uint8_t bm[2] = { 0, 0 };

	ck_assert_int_eq(svma_range_acquire(dev, BUF, 9 * TEST_PAGE, 0xabcd,
					    SVMA_ACQUIRE_PARTIAL, bm,
					    sizeof(bm), &r), 0);
	ck_assert_uint_eq(mock.last_acquire.addr, (uintptr_t)BUF);
	ck_assert_uint_eq(mock.last_acquire.length, 9 * TEST_PAGE);
	ck_assert_uint_eq(mock.last_acquire.flags, DRM_SVM_ACQUIRE_PARTIAL);
	ck_assert_uint_eq(mock.last_acquire.bitmap_ptr, (uintptr_t)bm);
	ck_assert_uint_eq(mock.last_acquire.seqno, 0);
	ck_assert_uint_eq(mock.last_acquire.hold_us, 0);
	ck_assert_uint_eq(bm[0], 0xff);

	ck_assert_ptr_eq(svma_range_device(r), dev);
	ck_assert_ptr_eq(svma_range_addr(r), BUF);
	ck_assert_uint_eq(svma_range_length(r), 9 * TEST_PAGE);
	ck_assert_uint_eq(svma_range_cookie(r), 0xabcd);
	ck_assert_uint_eq(svma_range_handle(r), 1);
	ck_assert_uint_eq(svma_range_pages_exclusive(r), 9);
	ck_assert_int_eq(svma_range_is_revoked(r), 0);
	ck_assert_uint_eq(svma_range_seqno(r), 0);
}
END_TEST

START_TEST(test_kernel_cookies_unique)
{
	uint64_t first;

	acquire(BUF, TEST_PAGE);
	first = mock.last_acquire.cookie;
	acquire(BUF, TEST_PAGE);
	ck_assert_uint_ne(first, mock.last_acquire.cookie);
}
END_TEST

/*
 * What the kernel returns reaches the caller unchanged, in one attempt.
 * Each table is what the uAPI (drm_svm.h) says that ioctl can return,
 * past the library's own checks and the EINTR it retries: a fake kernel
 * that returned more would show errnos no real kernel produces, and
 * tests/lib/errno-coverage.test holds the man pages to what tests see.
 */
static const int acquire_errs[] = { -EBUSY, -ENOSPC, -ENOMEM, -EEXIST,
				    -EPERM, -EFAULT, -EACCES, -EOPNOTSUPP,
				    -ENODEV };
static const int reacquire_errs[] = { -EBUSY, -ENOMEM, -ENOENT, -EPERM,
				      -EFAULT, -EACCES, -EOPNOTSUPP,
				      -ENODEV };
static const int query_errs[] = { -ENOMEM, -EPERM, -EFAULT, -ENODEV };
static const int release_errs[] = { -ENOENT, -EPERM, -ENODEV };
static const int info_errs[] = { -EPERM, -ENODEV };
/*
 * The kernel's -EINVAL (flags, padding, a hold above its maximum) cannot
 * reach the caller: the library sends neither. EPROTO: what svma_ioctl()
 * makes of a positive return.
 */
static const int set_hold_errs[] = { -ENOENT, -EPERM, -ENODEV, -EPROTO };

START_TEST(test_acquire_errors_reach_caller)
{
	struct svma_range *r = (struct svma_range *)&r;
	int e = acquire_errs[_i];

	mock.fail[DRM_SVM_IOCTL_ACQUIRE & 0xf] = e;
	ck_assert_int_eq(svma_range_acquire(dev, BUF, TEST_PAGE, 0, 0, NULL,
					    0, &r), e);
	ck_assert_ptr_null(r);
	/* exactly one attempt: no retry of EBUSY */
	ck_assert_int_eq(mock_calls(DRM_SVM_IOCTL_ACQUIRE), 1);
	r = (struct svma_range *)&r;
	ck_assert_int_eq(svma_device_acquire(dev, BUF, TEST_PAGE, NULL, &r), e);
	ck_assert_ptr_null(r);
	ck_assert_int_eq(mock_calls(DRM_SVM_IOCTL_ACQUIRE), 2);
}
END_TEST

START_TEST(test_reacquire_errors_reach_caller)
{
	struct svma_range *r = acquire(BUF, TEST_PAGE);
	int e = reacquire_errs[_i];

	mock.fail[DRM_SVM_IOCTL_REACQUIRE & 0xf] = e;
	ck_assert_int_eq(svma_range_reacquire(r, 0, NULL, 0), e);
	ck_assert_int_eq(mock_calls(DRM_SVM_IOCTL_REACQUIRE), 1);
}
END_TEST

START_TEST(test_query_errors_reach_caller)
{
	struct svma_range *r = acquire(BUF, TEST_PAGE);
	int e = query_errs[_i];
	uint8_t st[1];

	mock.fail[DRM_SVM_IOCTL_QUERY & 0xf] = e;
	ck_assert_int_eq(svma_range_query(r, st, 1), e);
	ck_assert_int_eq(svma_device_query(dev, BUF, TEST_PAGE, st, 1), e);
	ck_assert_int_eq(mock_calls(DRM_SVM_IOCTL_QUERY), 2);
}
END_TEST

/* The range is freed all the same: the caller can do nothing else. */
START_TEST(test_release_errors_reach_caller)
{
	struct svma_range *r = acquire(BUF, TEST_PAGE);
	int e = release_errs[_i];

	mock.fail[DRM_SVM_IOCTL_RELEASE & 0xf] = e;
	ck_assert_int_eq(svma_range_release(r, 0), e);
	ck_assert_int_eq(mock_calls(DRM_SVM_IOCTL_RELEASE), 1);
	mock.fail[DRM_SVM_IOCTL_RELEASE & 0xf] = 0;
	/* the handle is free for the next acquire */
	mock.next_handle = 1;
	acquire(BUF, TEST_PAGE);
}
END_TEST

START_TEST(test_info_errors_reach_caller)
{
	struct svma_device_info info;
	int e = info_errs[_i];

	mock.fail[DRM_SVM_IOCTL_INFO & 0xf] = e;
	ck_assert_int_eq(svma_device_get_info(dev, &info, sizeof(info)), e);
	ck_assert_int_eq(mock_calls(DRM_SVM_IOCTL_INFO), 1);
}
END_TEST

/*
 * Out of memory at each allocation of a configuration and of an acquire
 * in turn: -ENOMEM, nothing returned, and no handle left in the kernel
 * (one it gave is given back), until the call has all it needs.
 */
START_TEST(test_acquire_out_of_memory)
{
	struct svma_acquire_config *cfg = (struct svma_acquire_config *)&cfg;
	unsigned int n, failures = 0;
	struct svma_range *r;
	int ret, api;

	for (n = 1; ; n++) {
		ck_assert_uint_lt(n, 100);
		test_fail_nth_alloc(n);
		ret = svma_acquire_config_new(&cfg);
		test_fail_nth_alloc(0);
		if (!ret)
			break;
		ck_assert_int_eq(ret, -ENOMEM);
		ck_assert_ptr_null(cfg);
		failures++;
	}
	ck_assert_uint_gt(failures, 0);
	ck_assert_int_eq(svma_acquire_config_set_cookie(cfg, 9), 0);

	for (api = 0; api < 2; api++) {
		failures = 0;
		for (n = 1; ; n++) {
			ck_assert_uint_lt(n, 100);
			r = (struct svma_range *)&r;
			test_fail_nth_alloc(n);
			if (api)
				ret = svma_device_acquire(dev, BUF, TEST_PAGE,
							  cfg, &r);
			else
				ret = svma_range_acquire(dev, BUF, TEST_PAGE,
							 9, 0, NULL, 0, &r);
			test_fail_nth_alloc(0);
			if (!ret)
				break;
			ck_assert_int_eq(ret, -ENOMEM);
			ck_assert_ptr_null(r);
			/* today nothing is allocated after the ioctl */
			ck_assert_int_eq(mock_calls(DRM_SVM_IOCTL_ACQUIRE),
					 mock_calls(DRM_SVM_IOCTL_RELEASE));
			failures++;
		}
		ck_assert_uint_gt(failures, 0);
		ck_assert_uint_eq(svma_range_cookie(r), 9);
		ck_assert_int_eq(svma_range_release(r, 0), 0);
	}
	svma_acquire_config_free(cfg);
}
END_TEST

/* A device the library did not open has no DRM fd to give. */
START_TEST(test_no_drm_fd)
{
	ck_assert_int_eq(svma_device_drm_fd(NULL), -EINVAL);
	ck_assert_int_eq(svma_device_drm_fd(dev), -ENODEV);
	ck_assert_int_eq(svma_device_fd(dev), fds[0]);
}
END_TEST

START_TEST(test_kernel_nonsense)
{
	struct svma_range *r = NULL;

	/* more pages than asked for: -EPROTO, and the handle given back */
	mock.pages_override = 5;
	ck_assert_int_eq(svma_range_acquire(dev, BUF, TEST_PAGE, 0, 0, NULL,
					    0, &r), -EPROTO);
	ck_assert_ptr_null(r);
	ck_assert_int_eq(mock_calls(DRM_SVM_IOCTL_RELEASE), 1);
	ck_assert_uint_eq(mock.last_release.handle, 1);
	/* the same through the options API */
	ck_assert_int_eq(svma_device_acquire(dev, BUF, TEST_PAGE, NULL, &r),
			 -EPROTO);
	ck_assert_ptr_null(r);
	ck_assert_int_eq(mock_calls(DRM_SVM_IOCTL_RELEASE), 2);

	/* handle 0 */
	mock.pages_override = 0;
	mock.next_handle = 0;
	ck_assert_int_eq(svma_range_acquire(dev, BUF, TEST_PAGE, 0, 0, NULL,
					    0, &r), -EPROTO);
	/* a handle that is already a live range's: not released */
	mock.next_handle = 7;
	acquire(BUF, TEST_PAGE);
	mock.next_handle = 7;
	ck_assert_int_eq(svma_range_acquire(dev, BUF, TEST_PAGE, 0, 0, NULL,
					    0, &r), -EPROTO);
	ck_assert_int_eq(mock_calls(DRM_SVM_IOCTL_RELEASE), 2);
}
END_TEST

START_TEST(test_reacquire)
{
	struct svma_range *r = acquire(BUF, 16 * TEST_PAGE);
	uint8_t bm[2];

	r->revoked = true;
	ck_assert_int_eq(svma_range_reacquire(r, 4, NULL, 0), -EINVAL);
	ck_assert_int_eq(svma_range_reacquire(r, 0, bm, 1), -EINVAL);
	ck_assert_int_eq(svma_range_reacquire(r, 0, NULL, 2), -EINVAL);
	ck_assert_int_eq(mock_calls(DRM_SVM_IOCTL_REACQUIRE), 0);

	mock.pages_override = 3;
	ck_assert_int_eq(svma_range_reacquire(r, SVMA_ACQUIRE_PARTIAL, bm,
					      sizeof(bm)), 0);
	ck_assert_uint_eq(mock.last_reacquire.handle, svma_range_handle(r));
	ck_assert_uint_eq(mock.last_reacquire.flags, SVMA_ACQUIRE_PARTIAL);
	ck_assert_uint_eq(mock.last_reacquire.bitmap_ptr, (uintptr_t)bm);
	ck_assert_uint_eq(svma_range_pages_exclusive(r), 3);
	ck_assert_int_eq(svma_range_is_revoked(r), 0);
	ck_assert_uint_eq(mock.last_reacquire.seqno, 0);
	ck_assert_uint_eq(mock.last_reacquire.pad, 0);

	mock.pages_override = 17;
	ck_assert_int_eq(svma_range_reacquire(r, 0, NULL, 0), -EPROTO);
}
END_TEST

/* The sequence number as the re-acquire committed is the range's. */
START_TEST(test_reacquire_seqno)
{
	struct svma_range *r = acquire(BUF, 4 * TEST_PAGE);

	ck_assert_uint_eq(svma_range_seqno(r), 0);
	mock.seqno = 7;
	ck_assert_int_eq(svma_range_reacquire(r, 0, NULL, 0), 0);
	ck_assert_uint_eq(svma_range_seqno(r), 7);
	/* a failed re-acquire changes nothing */
	mock.seqno = 9;
	mock.fail[DRM_SVM_IOCTL_REACQUIRE & 0xf] = -EBUSY;
	ck_assert_int_eq(svma_range_reacquire(r, 0, NULL, 0), -EBUSY);
	ck_assert_uint_eq(svma_range_seqno(r), 7);
	mock.fail[DRM_SVM_IOCTL_REACQUIRE & 0xf] = 0;
	/* never backwards (serial arithmetic), also across the wrap */
	mock.seqno = 6;
	ck_assert_int_eq(svma_range_reacquire(r, 0, NULL, 0), 0);
	ck_assert_uint_eq(svma_range_seqno(r), 7);
	r->seqno = UINT32_MAX;
	mock.seqno = 1;
	ck_assert_int_eq(svma_range_reacquire(r, 0, NULL, 0), 0);
	ck_assert_uint_eq(svma_range_seqno(r), 1);
}
END_TEST

START_TEST(test_release)
{
	struct svma_range *r = acquire(BUF, TEST_PAGE);
	uint32_t h = svma_range_handle(r);

	/* unknown flags: nothing happens, the range stays */
	ck_assert_int_eq(svma_range_release(r, 2), -EINVAL);
	ck_assert_int_eq(mock_calls(DRM_SVM_IOCTL_RELEASE), 0);
	ck_assert_ptr_eq(svma_ranges_find(dev, h), r);

	ck_assert_int_eq(svma_range_release(r, SVMA_RELEASE_LAZY), 0);
	ck_assert_uint_eq(mock.last_release.handle, h);
	ck_assert_uint_eq(mock.last_release.flags, DRM_SVM_RELEASE_LAZY);
	ck_assert_ptr_null(svma_ranges_find(dev, h));

	/* a failed release still frees the range (valgrind sees leaks) */
	r = acquire(BUF, TEST_PAGE);
	mock.fail[DRM_SVM_IOCTL_RELEASE & 0xf] = -ENOENT;
	ck_assert_int_eq(svma_range_release(r, 0), -ENOENT);
	ck_assert_uint_eq(dev->nranges, 0);
}
END_TEST

START_TEST(test_many_ranges)
{
	struct svma_range *r[1000];
	int i;

	for (i = 0; i < 1000; i++)
		r[i] = acquire(BUF, TEST_PAGE);
	ck_assert_uint_eq(dev->nranges, 1000);
	for (i = 0; i < 1000; i++)
		ck_assert_ptr_eq(svma_ranges_find(dev, (uint32_t)i + 1), r[i]);
	for (i = 0; i < 1000; i += 2)
		ck_assert_int_eq(svma_range_release(r[i], 0), 0);
	for (i = 0; i < 1000; i++)
		ck_assert_ptr_eq(svma_ranges_find(dev, (uint32_t)i + 1),
				 i % 2 ? r[i] : NULL);
	ck_assert_uint_eq(dev->nranges, 500);
	/* the rest go with the device, in teardown */
}
END_TEST

START_TEST(test_close_adopted_releases)
{
	struct svma_device *adopted = NULL;
	struct svma_range *r = NULL;
	int i;

	ck_assert_int_eq(svma_device_create(fds[0], false, 1, TEST_PAGE,
					    mock_ioctl, &adopted), 0);
	for (i = 0; i < 3; i++)
		ck_assert_int_eq(svma_range_acquire(adopted, BUF, TEST_PAGE, 0,
						    0, NULL, 0, &r), 0);
	svma_device_close(adopted);
	/* the fd stays with its owner, so its handles are released */
	ck_assert_int_eq(mock_calls(DRM_SVM_IOCTL_RELEASE), 3);
	ck_assert_int_ne(fcntl(fds[0], F_GETFD), -1);
}
END_TEST

START_TEST(test_close_owned)
{
	acquire(BUF, TEST_PAGE);
	acquire(BUF, TEST_PAGE);
	svma_device_close(dev);
	/*
	 * released one by one: a forked child holding the fd would keep
	 * them alive past the close
	 */
	ck_assert_int_eq(mock_calls(DRM_SVM_IOCTL_RELEASE), 2);
	ck_assert_int_eq(fcntl(fds[0], F_GETFD), -1);
	dev = NULL;
}
END_TEST

START_TEST(test_query)
{
	uint8_t st[4];
	char *b = BUF;

	ck_assert_int_eq(svma_query(dev, b, 4 * TEST_PAGE, NULL, 4), -EINVAL);
	ck_assert_int_eq(svma_query(dev, b, 4 * TEST_PAGE, st, 3), -EINVAL);
	ck_assert_int_eq(svma_query(dev, b + 8, TEST_PAGE, st, 4), -EINVAL);
	ck_assert_int_eq(svma_query(dev, b, 100, st, 4), -EINVAL);
	ck_assert_int_eq(svma_query(dev, b, 0, st, 4), -EINVAL);
	ck_assert_int_eq(mock_calls(DRM_SVM_IOCTL_QUERY), 0);

	ck_assert_int_eq(svma_query(dev, b, 4 * TEST_PAGE, st, 4), 0);
	ck_assert_uint_eq(mock.last_query.addr, (uintptr_t)b);
	ck_assert_uint_eq(mock.last_query.npages, 4);
	ck_assert_uint_eq(mock.last_query.states_ptr, (uintptr_t)st);
	ck_assert_uint_eq(mock.last_query.flags, 0);
	ck_assert_uint_eq(mock.last_query.pad, 0);

	{
		struct svma_range *r = acquire(b, 2 * TEST_PAGE);

		ck_assert_int_eq(svma_range_query(r, st, 1), -EINVAL);
		ck_assert_int_eq(svma_range_query(r, st, 2), 0);
		ck_assert_uint_eq(mock.last_query.npages, 2);
	}
}
END_TEST

START_TEST(test_info)
{
	struct {
		struct svma_device_info info;
		uint64_t future;
	} big;
	struct svma_device_info info;

	/* nothing written past the size given */
	memset(&big, 0xff, sizeof(big));
	ck_assert_int_eq(svma_device_get_info(dev, &big.info,
					      SVMA_DEVICE_INFO_SIZE_0_1), 0);
	ck_assert_uint_eq(big.future, UINT64_MAX);

	ck_assert_int_eq(svma_device_get_info(dev, NULL, sizeof(info)),
			 -EINVAL);
	ck_assert_int_eq(svma_device_get_info(dev, &info,
					      SVMA_DEVICE_INFO_SIZE_0_1 - 1),
			 -EINVAL);
	memset(&info, 0xff, sizeof(info));
	ck_assert_int_eq(svma_device_get_info(dev, &info, sizeof(info)), 0);
	ck_assert_uint_eq(info.uapi_version, 1);
	ck_assert_uint_eq(info.page_size, TEST_PAGE);
	ck_assert_uint_eq(info.max_ranges, 1024);
	ck_assert_uint_eq(info.ranges, 3);
	ck_assert_uint_eq(info.max_pages, 1u << 20);
	ck_assert_uint_eq(info.pages, 7);
	/* uAPI 1 has no hold time: 0, whatever the kernel's bytes say */
	ck_assert_uint_eq(info.max_hold_us, 0);
	ck_assert_uint_eq(info.reserved, 0);
	ck_assert_uint_eq(info.hold_waits, 0);
	ck_assert_uint_eq(info.hold_wait_ns, 0);

	/* a caller built against a newer header: unknown fields zeroed */
	memset(&big, 0xff, sizeof(big));
	ck_assert_int_eq(svma_device_get_info(dev, &big.info, sizeof(big)), 0);
	ck_assert_uint_eq(big.future, 0);
	ck_assert_uint_eq(big.info.pages, 7);

	mock.fail[DRM_SVM_IOCTL_INFO & 0xf] = -EPERM;
	ck_assert_int_eq(svma_device_get_info(dev, &info, sizeof(info)),
			 -EPERM);
	ck_assert_int_eq(svma_device_fd(dev), fds[0]);
}
END_TEST

/* uAPI 1 has no SET_HOLD: refused before the kernel is asked. */
START_TEST(test_set_hold_uapi1)
{
	struct svma_range *r = acquire(BUF, TEST_PAGE);

	ck_assert_int_eq(svma_range_set_hold(r, 1000), -EOPNOTSUPP);
	ck_assert_int_eq(svma_range_set_hold(r, 0), -EOPNOTSUPP);
	ck_assert_int_eq(svma_range_set_hold(NULL, 0), -EINVAL);
	ck_assert_int_eq(mock_calls(DRM_SVM_IOCTL_SET_HOLD), 0);
	ck_assert_uint_eq(svma_range_hold(r), 0);
}
END_TEST

START_TEST(test_handlers_null_ok)
{
	ck_assert_int_eq(svma_set_revoke_handler(dev, NULL, NULL), 0);
	ck_assert_int_eq(svma_set_event_fallback(dev, NULL, NULL), 0);
}
END_TEST

/* ---- hold time, on a uAPI 2 device ------------------------------------ */

static void setup_v2(void)
{
	mock_reset();
	ck_assert_int_eq(pipe(fds), 0);
	dev = mock_device_version(fds[0], 2);
}

START_TEST(test_set_hold)
{
	struct svma_range *r = acquire(BUF, 2 * TEST_PAGE);

	/* an acquire sets no hold: the call has no argument for it */
	ck_assert_uint_eq(mock.last_acquire.hold_us, 0);
	ck_assert_uint_eq(svma_range_hold(r), 0);

	ck_assert_int_eq(svma_range_set_hold(r, 2500), 0);
	ck_assert_int_eq(mock_calls(DRM_SVM_IOCTL_SET_HOLD), 1);
	ck_assert_uint_eq(mock.last_set_hold.handle, svma_range_handle(r));
	ck_assert_uint_eq(mock.last_set_hold.hold_us, 2500);
	ck_assert_uint_eq(mock.last_set_hold.flags, 0);
	ck_assert_uint_eq(mock.last_set_hold.pad, 0);
	ck_assert_uint_eq(svma_range_hold(r), 2500);

	ck_assert_int_eq(svma_range_set_hold(r, DRM_SVM_HOLD_MAX_US), 0);
	ck_assert_uint_eq(svma_range_hold(r), DRM_SVM_HOLD_MAX_US);
	ck_assert_int_eq(svma_range_set_hold(r, 0), 0);
	ck_assert_uint_eq(mock.last_set_hold.hold_us, 0);
	ck_assert_uint_eq(svma_range_hold(r), 0);
	ck_assert_int_eq(mock_calls(DRM_SVM_IOCTL_SET_HOLD), 3);
}
END_TEST

START_TEST(test_set_hold_bad_args)
{
	struct svma_range *r = acquire(BUF, TEST_PAGE);

	ck_assert_int_eq(svma_range_set_hold(r, 700), 0);
	ck_assert_int_eq(svma_range_set_hold(NULL, 0), -EINVAL);
	ck_assert_int_eq(svma_range_set_hold(r, DRM_SVM_HOLD_MAX_US + 1),
			 -EINVAL);
	ck_assert_int_eq(svma_range_set_hold(r, UINT32_MAX), -EINVAL);
	/* the kernel's maximum as reported at open, not the header's */
	dev->max_hold_us = 1000;
	ck_assert_int_eq(svma_range_set_hold(r, 1001), -EINVAL);
	ck_assert_int_eq(svma_range_set_hold(r, 1000), 0);
	/* only the two good calls reached the kernel */
	ck_assert_int_eq(mock_calls(DRM_SVM_IOCTL_SET_HOLD), 2);
	ck_assert_uint_eq(svma_range_hold(r), 1000);
}
END_TEST

START_TEST(test_set_hold_errors)
{
	struct svma_range *r = acquire(BUF, TEST_PAGE);
	int e = set_hold_errs[_i];

	ck_assert_int_eq(svma_range_set_hold(r, 300), 0);
	mock.fail[DRM_SVM_IOCTL_SET_HOLD & 0xf] = e;
	ck_assert_int_eq(svma_range_set_hold(r, 400), e);
	ck_assert_int_eq(mock_calls(DRM_SVM_IOCTL_SET_HOLD), 2);
	/* a failed call changes nothing */
	ck_assert_uint_eq(svma_range_hold(r), 300);
}
END_TEST

START_TEST(test_info_v2)
{
	struct {
		struct svma_device_info info;
		uint64_t future;
	} big;
	struct svma_device_info info;

	memset(&info, 0xff, sizeof(info));
	ck_assert_int_eq(svma_device_get_info(dev, &info, sizeof(info)), 0);
	ck_assert_uint_eq(info.uapi_version, 2);
	ck_assert_uint_eq(info.pages, 7);
	ck_assert_uint_eq(info.max_hold_us, DRM_SVM_HOLD_MAX_US);
	ck_assert_uint_eq(info.reserved, 0);
	/* from the context's fdinfo, which a host test's pipe lacks */
	ck_assert_uint_eq(info.hold_waits, 0);
	ck_assert_uint_eq(info.hold_wait_ns, 0);

	/* a 0.1 caller: nothing written past its 32 bytes */
	memset(&info, 0xff, sizeof(info));
	ck_assert_int_eq(svma_device_get_info(dev, &info,
					      SVMA_DEVICE_INFO_SIZE_0_1), 0);
	ck_assert_uint_eq(info.pages, 7);
	ck_assert_uint_eq(info.max_hold_us, UINT32_MAX);
	ck_assert_uint_eq(info.hold_waits, UINT64_MAX);
	ck_assert_uint_eq(info.hold_wait_ns, UINT64_MAX);

	/* a size that ends inside the struct: exactly that much */
	memset(&info, 0xff, sizeof(info));
	ck_assert_int_eq(svma_device_get_info(dev, &info,
			 offsetof(struct svma_device_info, hold_waits)), 0);
	ck_assert_uint_eq(info.max_hold_us, DRM_SVM_HOLD_MAX_US);
	ck_assert_uint_eq(info.reserved, 0);
	ck_assert_uint_eq(info.hold_waits, UINT64_MAX);

	/* a newer caller: what this library does not know is zero */
	memset(&big, 0xff, sizeof(big));
	ck_assert_int_eq(svma_device_get_info(dev, &big.info, sizeof(big)), 0);
	ck_assert_uint_eq(big.info.max_hold_us, DRM_SVM_HOLD_MAX_US);
	ck_assert_uint_eq(big.info.hold_wait_ns, 0);
	ck_assert_uint_eq(big.future, 0);
}
END_TEST

/* ---- svma_device_acquire() and its configuration (0.3) ---------------- */

START_TEST(test_config_args)
{
	struct svma_acquire_config *cfg = NULL;
	uint8_t bm[1];

	ck_assert_int_eq(svma_acquire_config_new(NULL), -EINVAL);
	ck_assert_int_eq(svma_acquire_config_new(&cfg), 0);
	ck_assert_int_eq(svma_acquire_config_set_cookie(NULL, 1), -EINVAL);
	ck_assert_int_eq(svma_acquire_config_set_flags(NULL, 0), -EINVAL);
	ck_assert_int_eq(svma_acquire_config_set_flags(cfg, 2), -EINVAL);
	ck_assert_int_eq(svma_acquire_config_set_hold(NULL, 1), -EINVAL);
	ck_assert_int_eq(svma_acquire_config_set_bitmap(NULL, bm, 1), -EINVAL);
	ck_assert_int_eq(svma_acquire_config_set_bitmap(cfg, NULL, 1), -EINVAL);
	ck_assert_int_eq(svma_acquire_config_set_bitmap(cfg, NULL, 0), 0);
	svma_acquire_config_free(cfg);
	svma_acquire_config_free(NULL);
}
END_TEST

/* Every option reaches the kernel in the acquire itself. */
START_TEST(test_device_acquire)
{
	struct svma_acquire_config *cfg;
	struct svma_range *r = NULL;
	uint8_t bm[2] = { 0, 0 };

	ck_assert_int_eq(svma_acquire_config_new(&cfg), 0);
	ck_assert_int_eq(svma_acquire_config_set_cookie(cfg, 0xbeef), 0);
	ck_assert_int_eq(svma_acquire_config_set_flags(cfg,
						       SVMA_ACQUIRE_PARTIAL), 0);
	ck_assert_int_eq(svma_acquire_config_set_hold(cfg, 1234), 0);
	ck_assert_int_eq(svma_acquire_config_set_bitmap(cfg, bm, sizeof(bm)),
			 0);
	ck_assert_int_eq(svma_device_acquire(dev, BUF, 9 * TEST_PAGE, cfg, &r),
			 0);
	ck_assert_uint_eq(mock.last_acquire.addr, (uintptr_t)BUF);
	ck_assert_uint_eq(mock.last_acquire.length, 9 * TEST_PAGE);
	ck_assert_uint_eq(mock.last_acquire.flags, DRM_SVM_ACQUIRE_PARTIAL);
	ck_assert_uint_eq(mock.last_acquire.bitmap_ptr, (uintptr_t)bm);
	ck_assert_uint_eq(mock.last_acquire.hold_us, 1234);
	ck_assert_uint_eq(svma_range_cookie(r), 0xbeef);
	ck_assert_uint_eq(svma_range_hold(r), 1234);
	ck_assert_int_eq(mock_calls(DRM_SVM_IOCTL_SET_HOLD), 0);
	/* the configuration is the caller's: reusable, kept by nobody */
	ck_assert_int_eq(svma_range_release(r, 0), 0);
	ck_assert_int_eq(svma_device_acquire(dev, BUF, 9 * TEST_PAGE, cfg, &r),
			 0);
	svma_acquire_config_free(cfg);
	ck_assert_uint_eq(svma_range_cookie(r), 0xbeef);

	/* no configuration: no options */
	ck_assert_int_eq(svma_device_acquire(dev, (char *)BUF + 16 * TEST_PAGE,
					     TEST_PAGE, NULL, &r), 0);
	ck_assert_uint_eq(mock.last_acquire.hold_us, 0);
	ck_assert_uint_eq(mock.last_acquire.flags, 0);
	ck_assert_uint_eq(mock.last_acquire.bitmap_ptr, 0);
	ck_assert_uint_eq(svma_range_cookie(r), 0);
}
END_TEST

START_TEST(test_device_acquire_bad_hold)
{
	struct svma_acquire_config *cfg;
	struct svma_range *r = (void *)1;
	uint8_t bm[1];

	ck_assert_int_eq(svma_acquire_config_new(&cfg), 0);
	ck_assert_int_eq(svma_acquire_config_set_hold(cfg,
						      DRM_SVM_HOLD_MAX_US + 1),
			 0);
	ck_assert_int_eq(svma_device_acquire(dev, BUF, TEST_PAGE, cfg, &r),
			 -EINVAL);
	ck_assert_ptr_null(r);
	ck_assert_int_eq(svma_acquire_config_set_hold(cfg, 0), 0);
	/* the bitmap's size is checked against the range, as for the old call */
	ck_assert_int_eq(svma_acquire_config_set_bitmap(cfg, bm, sizeof(bm)),
			 0);
	ck_assert_int_eq(svma_device_acquire(dev, BUF, 9 * TEST_PAGE, cfg, &r),
			 -EINVAL);
	ck_assert_int_eq(svma_device_acquire(NULL, BUF, TEST_PAGE, cfg, &r),
			 -EINVAL);
	ck_assert_int_eq(mock_calls(DRM_SVM_IOCTL_ACQUIRE), 0);
	svma_acquire_config_free(cfg);
}
END_TEST

Suite *suite_ranges(void)
{
	Suite *s = suite_create("ranges");
	TCase *tc = tcase_create("ranges");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_acquire_bad_args);
	tcase_add_test(tc, test_acquire_passes_through);
	tcase_add_test(tc, test_kernel_cookies_unique);
	tcase_add_loop_test(tc, test_acquire_errors_reach_caller, 0,
			    ARRAY_SIZE(acquire_errs));
	tcase_add_loop_test(tc, test_reacquire_errors_reach_caller, 0,
			    ARRAY_SIZE(reacquire_errs));
	tcase_add_loop_test(tc, test_query_errors_reach_caller, 0,
			    ARRAY_SIZE(query_errs));
	tcase_add_loop_test(tc, test_release_errors_reach_caller, 0,
			    ARRAY_SIZE(release_errs));
	tcase_add_loop_test(tc, test_info_errors_reach_caller, 0,
			    ARRAY_SIZE(info_errs));
	tcase_add_test(tc, test_kernel_nonsense);
	tcase_add_test(tc, test_acquire_out_of_memory);
	tcase_add_test(tc, test_no_drm_fd);
	tcase_add_test(tc, test_reacquire);
	tcase_add_test(tc, test_reacquire_seqno);
	tcase_add_test(tc, test_release);
	tcase_add_test(tc, test_many_ranges);
	tcase_add_test(tc, test_close_adopted_releases);
	tcase_add_test(tc, test_close_owned);
	tcase_add_test(tc, test_query);
	tcase_add_test(tc, test_info);
	tcase_add_test(tc, test_set_hold_uapi1);
	tcase_add_test(tc, test_handlers_null_ok);
	suite_add_tcase(s, tc);

	tc = tcase_create("hold");
	tcase_add_checked_fixture(tc, setup_v2, teardown);
	tcase_add_test(tc, test_set_hold);
	tcase_add_test(tc, test_set_hold_bad_args);
	tcase_add_loop_test(tc, test_set_hold_errors, 0,
			    ARRAY_SIZE(set_hold_errs));
	tcase_add_test(tc, test_info_v2);
	tcase_add_test(tc, test_config_args);
	tcase_add_test(tc, test_device_acquire);
	tcase_add_test(tc, test_device_acquire_bad_hold);
	suite_add_tcase(s, tc);
	return s;
}
