// SPDX-License-Identifier: MIT
/*
 * Device atomics through held pages (DRM_IOCTL_VSVM_ATOMIC, vsvm's own
 * ioctl, not part of the library: on the DRM fd, naming the device's
 * context), and CPU threads contending with the device on the same
 * counters without losing an update.
 *
 * Copyright 2026 The svmatomic authors
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

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

static struct drm_vsvm_atomic_op mkop(void *addr, uint32_t op, uint32_t size,
				      uint64_t operand, uint64_t compare)
{
	struct drm_vsvm_atomic_op o;

	memset(&o, 0, sizeof(o));
	o.addr = (uintptr_t)addr;
	o.op = op;
	o.size = size;
	o.operand = operand;
	o.compare = compare;
	return o;
}

struct op_case {
	uint32_t op;
	uint64_t operand;
	uint64_t compare;
	uint64_t want_old;
};

/* Every operation in one batch; each result is the value before it. */
static void check_ops(void *word, uint32_t size, const struct op_case *c,
		      size_t n, uint64_t want_final)
{
	struct drm_vsvm_atomic_op ops[16];
	uint32_t done, reacq;
	uint64_t final;
	size_t i;

	ck_assert_uint_le(n, 16);
	for (i = 0; i < n; i++)
		ops[i] = mkop(word, c[i].op, size, c[i].operand, c[i].compare);
	ck_assert_int_eq(dev_atomic(dev, ops, (uint32_t)n, 0, &done, &reacq),
			 0);
	ck_assert_uint_eq(done, n);
	ck_assert_uint_eq(reacq, 0);
	for (i = 0; i < n; i++)
		ck_assert_msg(ops[i].result == c[i].want_old,
			      "size %u op %zu (%u): old %#llx, expected %#llx",
			      size, i, c[i].op,
			      (unsigned long long)ops[i].result,
			      (unsigned long long)c[i].want_old);
	/* the final value, read by a device op that changes nothing */
	ck_assert_int_eq(dev_op(dev, DRM_VSVM_OP_OR, word, size, 0, 0, 0,
				&final), 0);
	ck_assert_uint_eq(final, want_final);
}

START_TEST(test_ops)
{
	static const struct op_case c64[] = {
		{ DRM_VSVM_OP_XCHG, 10, 0, 0x1111111111111111ull },
		{ DRM_VSVM_OP_ADD, 5, 0, 10 },
		{ DRM_VSVM_OP_CMPXCHG, 100, 15, 15 },
		{ DRM_VSVM_OP_CMPXCHG, 7, 1, 100 },		/* no match */
		{ DRM_VSVM_OP_AND, 0x3c, 0, 100 },		/* 36 */
		{ DRM_VSVM_OP_OR, 0x101, 0, 36 },		/* 293 */
		{ DRM_VSVM_OP_XOR, 0xff, 0, 293 },		/* 474 */
		{ DRM_VSVM_OP_SMIN, (uint64_t)-5, 0, 474 },	/* -5 */
		{ DRM_VSVM_OP_SMAX, 3, 0, (uint64_t)-5 },	/* 3 */
		{ DRM_VSVM_OP_UMIN, (uint64_t)-1, 0, 3 },	/* 3 */
		{ DRM_VSVM_OP_UMAX, (uint64_t)-1, 0, 3 },	/* ~0 */
		{ DRM_VSVM_OP_ADD, 2, 0, (uint64_t)-1 },	/* wraps: 1 */
	};
	static const struct op_case c32[] = {
		{ DRM_VSVM_OP_XCHG, 10, 0, 0x22222222 },
		{ DRM_VSVM_OP_ADD, 0xfffffffe, 0, 10 },		/* 8 */
		{ DRM_VSVM_OP_CMPXCHG, 100, 8, 8 },
		{ DRM_VSVM_OP_SMIN, 0xfffffffb, 0, 100 },	/* -5 */
		{ DRM_VSVM_OP_UMIN, 7, 0, 0xfffffffb },		/* 7 */
		{ DRM_VSVM_OP_SMAX, 0xfffffff0, 0, 7 },		/* 7 */
		{ DRM_VSVM_OP_UMAX, 0xfffffff0, 0, 7 },
	};
	char *buf = map_pages(1);
	uint64_t *w64 = (uint64_t *)buf;
	uint32_t *w32 = (uint32_t *)(buf + 64);
	struct svma_range *r;

	*w64 = 0x1111111111111111ull;
	*w32 = 0x22222222;
	w32[1] = 0x33333333;		/* the neighbour must not change */
	r = acquire(dev, buf, 1, 1);
	check_ops(w64, 8, c64, sizeof(c64) / sizeof(c64[0]), 1);
	check_ops(w32, 4, c32, sizeof(c32) / sizeof(c32[0]), 0xfffffff0);
	/* no CPU access happened: nothing was revoked */
	ck_assert_int_eq(dispatch_until(dev, &rec, 0, 0, 0), 0);
	ck_assert_int_eq(svma_range_release(r, 0), 0);
	ck_assert_uint_eq(*w64, 1);
	ck_assert_uint_eq(*w32, 0xfffffff0);
	ck_assert_uint_eq(w32[1], 0x33333333);
	unmap_pages(buf, 1);
}
END_TEST

START_TEST(test_not_held)
{
	struct drm_vsvm_atomic_op ops[3];
	char *buf = map_pages(3);
	uint32_t done, reacq;
	struct svma_range *r;

	r = acquire(dev, buf, 2, 1);
	/* outside every range: -ENXIO, with or without REACQUIRE */
	ck_assert_int_eq(dev_op(dev, DRM_VSVM_OP_ADD, PAGE(buf, 2), 8, 1, 0, 0,
				NULL), -ENXIO);
	ck_assert_int_eq(dev_op(dev, DRM_VSVM_OP_ADD, PAGE(buf, 2), 8, 1, 0,
				DRM_VSVM_ATOMIC_REACQUIRE, NULL), -ENXIO);

	/* revoked: -ENXIO; the batch stops at the first failure */
	cpu_touch(PAGE(buf, 1));
	ops[0] = mkop(buf, DRM_VSVM_OP_ADD, 8, 1, 0);
	ops[1] = mkop(PAGE(buf, 1), DRM_VSVM_OP_ADD, 8, 1, 0);
	ops[2] = mkop(buf, DRM_VSVM_OP_ADD, 8, 1, 0);
	ck_assert_int_eq(dev_atomic(dev, ops, 3, 0, &done, &reacq), -ENXIO);
	ck_assert_uint_eq(done, 1);
	ck_assert_uint_eq(reacq, 0);

	/* REACQUIRE takes the page back, as a replayable fault would */
	ck_assert_int_eq(dev_atomic(dev, ops, 3, DRM_VSVM_ATOMIC_REACQUIRE,
				    &done, &reacq), 0);
	ck_assert_uint_eq(done, 3);
	ck_assert_uint_eq(reacq, 1);
	ck_assert_uint_eq(ops[2].result, 2);
	ck_assert_uint_eq(page_state(dev, PAGE(buf, 1)),
			  SVMA_PAGE_PRESENT | SVMA_PAGE_WRITABLE |
			  SVMA_PAGE_EXCLUSIVE | SVMA_PAGE_HELD);

	/* after release the device reaches nothing */
	ck_assert_int_eq(svma_range_release(r, 0), 0);
	ck_assert_int_eq(dev_op(dev, DRM_VSVM_OP_ADD, buf, 8, 1, 0,
				DRM_VSVM_ATOMIC_REACQUIRE, NULL), -ENXIO);
	ck_assert_uint_eq(*(uint64_t *)buf, 3);
	ck_assert_uint_eq(*(uint64_t *)PAGE(buf, 1), 1);
	unmap_pages(buf, 3);
}
END_TEST

START_TEST(test_bad_ops)
{
	struct drm_vsvm_atomic_op op;
	char *buf = map_pages(1);
	struct svma_range *r;
	uint64_t old;

	r = acquire(dev, buf, 1, 1);
	op = mkop(buf, DRM_VSVM_OP_ADD, 2, 1, 0);
	ck_assert_int_eq(dev_atomic(dev, &op, 1, 0, NULL, NULL), -EINVAL);
	op = mkop(buf + 4, DRM_VSVM_OP_ADD, 8, 1, 0);
	ck_assert_int_eq(dev_atomic(dev, &op, 1, 0, NULL, NULL), -EINVAL);
	op = mkop(buf, 0, 8, 1, 0);
	ck_assert_int_eq(dev_atomic(dev, &op, 1, 0, NULL, NULL), -EINVAL);
	op = mkop(buf, DRM_VSVM_OP_UMAX + 1, 8, 1, 0);
	ck_assert_int_eq(dev_atomic(dev, &op, 1, 0, NULL, NULL), -EINVAL);
	op = mkop(buf, DRM_VSVM_OP_ADD, 8, 1, 0);
	/*
	 * Flags no kernel knows (bit 31 is the negative control of
	 * CONFIG_DRM_VSVM_DEBUG kernels, tests/vsvm_test.h)
	 */
	ck_assert_int_eq(dev_atomic(dev, &op, 1, 1u << 1, NULL, NULL),
			 -EINVAL);
	ck_assert_int_eq(dev_atomic(dev, &op, 1, 1u << 30, NULL, NULL),
			 -EINVAL);
	/* the negative control never re-acquires, whatever the kernel */
	ck_assert_int_eq(dev_atomic(dev, &op, 1, VSVM_TEST_ATOMIC_NO_EXCLUSIVE |
				    DRM_VSVM_ATOMIC_REACQUIRE, NULL, NULL),
			 -EINVAL);
	ck_assert_int_eq(dev_atomic(dev, &op, DRM_VSVM_ATOMIC_MAX_OPS + 1, 0,
				    NULL, NULL), -EINVAL);
	ck_assert_int_eq(dev_atomic(dev, (void *)8, 1, 0, NULL, NULL),
			 -EFAULT);
	/* ctx_fd must name a context of this device */
	ck_assert_int_eq(vsvm_atomic(svma_device_drm_fd(dev), -1, &op, 1, 0,
				     NULL, NULL), -EBADF);
	ck_assert_int_eq(vsvm_atomic(svma_device_drm_fd(dev),
				     svma_device_drm_fd(dev), &op, 1, 0, NULL,
				     NULL), -EINVAL);
	/* none of it touched the word */
	ck_assert_int_eq(dev_op(dev, DRM_VSVM_OP_OR, buf, 8, 0, 0, 0, &old),
			 0);
	ck_assert_uint_eq(old, 0);
	/* a 32-bit operation ignores the high half of its operands */
	ck_assert_int_eq(dev_op(dev, DRM_VSVM_OP_ADD, buf, 4, (7ull << 32) | 2,
				0, 0, &old), 0);
	ck_assert_int_eq(dev_op(dev, DRM_VSVM_OP_CMPXCHG, buf, 4,
				(7ull << 32) | 5, (9ull << 32) | 2, 0, &old),
			 0);
	ck_assert_uint_eq(old, 2);
	ck_assert_int_eq(svma_range_release(r, 0), 0);
	ck_assert_uint_eq(*(uint64_t *)buf, 5);
	unmap_pages(buf, 1);
}
END_TEST

/*
 * The device reaches a page through the context ctx_fd names, whichever
 * vsvm DRM fd carries the ioctl: another device's context holds nothing
 * here, and a context's pages are reached through another DRM file too.
 */
START_TEST(test_ctx_fd_names_context)
{
	struct svma_device *other = open_vsvm();
	struct drm_vsvm_atomic_op op;
	char *buf = map_pages(2);
	struct svma_range *r, *ro;
	uint32_t done = 9;

	r = acquire(dev, buf, 1, 1);
	ro = acquire(other, PAGE(buf, 1), 1, 2);
	/* our DRM fd, the other's context: its page only */
	op = mkop(buf, DRM_VSVM_OP_ADD, 8, 1, 0);
	ck_assert_int_eq(vsvm_atomic(svma_device_drm_fd(dev),
				     svma_device_fd(other), &op, 1, 0, &done,
				     NULL), -ENXIO);
	ck_assert_uint_eq(done, 0);
	op = mkop(PAGE(buf, 1), DRM_VSVM_OP_ADD, 8, 1, 0);
	ck_assert_int_eq(vsvm_atomic(svma_device_drm_fd(dev),
				     svma_device_fd(other), &op, 1, 0, &done,
				     NULL), 0);
	ck_assert_uint_eq(done, 1);
	/* the other's DRM fd, our context */
	ck_assert_int_eq(vsvm_atomic(svma_device_drm_fd(other),
				     svma_device_fd(dev), &op, 1, 0, NULL,
				     NULL), -ENXIO);
	op = mkop(buf, DRM_VSVM_OP_ADD, 8, 2, 0);
	ck_assert_int_eq(vsvm_atomic(svma_device_drm_fd(other),
				     svma_device_fd(dev), &op, 1, 0, NULL,
				     NULL), 0);
	/* neither revoked the other */
	ck_assert_int_eq(dispatch_until(dev, &rec, 0, 0, 0), 0);
	ck_assert_int_eq(svma_range_release(ro, 0), 0);
	ck_assert_int_eq(svma_range_release(r, 0), 0);
	svma_device_close(other);
	ck_assert_uint_eq(*(uint64_t *)buf, 2);
	ck_assert_uint_eq(*(uint64_t *)PAGE(buf, 1), 1);
	unmap_pages(buf, 2);
}
END_TEST

/* ---- CPU threads and the device on the same counters -------------------- */

#define NCOUNTERS	4	/* two per page, on two pages */
#define CPU_THREADS	2
#define CPU_ADDS	1500	/* per thread, spread over the counters */
#define DEV_BATCHES	12
#define DEV_BATCH	128	/* ops per batch, spread over the counters */

static uint64_t *counter[NCOUNTERS];

static void *cpu_adder(void *arg)
{
	unsigned int i, t = (unsigned int)(uintptr_t)arg;

	for (i = 0; i < CPU_ADDS; i++)
		__atomic_fetch_add(counter[(i + t) % NCOUNTERS], 1,
				   __ATOMIC_RELAXED);
	return NULL;
}

START_TEST(test_cpu_device_contention)
{
	struct drm_vsvm_atomic_op ops[DEV_BATCH];
	pthread_t threads[CPU_THREADS];
	uint64_t want, reacquired = 0;
	char *buf = map_pages(2);
	uint32_t done, reacq;
	struct svma_range *r;
	unsigned int i, b, submitted = 0;
	int ret;

	for (i = 0; i < NCOUNTERS; i++)
		counter[i] = (uint64_t *)PAGE(buf, i / 2) + (i % 2) * 32;
	r = acquire(dev, buf, 2, 1);
	for (i = 0; i < DEV_BATCH; i++)
		ops[i] = mkop(counter[i % NCOUNTERS], DRM_VSVM_OP_ADD, 8,
			      1000, 0);

	for (i = 0; i < CPU_THREADS; i++)
		ck_assert_int_eq(pthread_create(&threads[i], NULL, cpu_adder,
						(void *)(uintptr_t)i), 0);
	/*
	 * The batch stops where the CPU took a page back again before the
	 * device could use it (-EBUSY, once the kernel's retries ran out):
	 * the device resubmits the rest, as it replays a fault. Nothing of
	 * a stopped batch may have been lost or done twice.
	 */
	for (b = 0; b < DEV_BATCHES; b++) {
		for (i = 0; i < DEV_BATCH; i += done) {
			ret = dev_atomic(dev, ops + i, DEV_BATCH - i,
					 DRM_VSVM_ATOMIC_REACQUIRE, &done,
					 &reacq);
			reacquired += reacq;
			ck_assert_msg(ret == 0 || ret == -EBUSY,
				      "batch %u, op %u: %s", b, i + done,
				      strerror(-ret));
			ck_assert_uint_le(done, DEV_BATCH - i);
			if (ret == 0)
				ck_assert_uint_eq(done, DEV_BATCH - i);
			ck_assert_uint_lt(++submitted, 100000);
		}
	}
	for (i = 0; i < CPU_THREADS; i++)
		ck_assert_int_eq(pthread_join(threads[i], NULL), 0);

	ck_assert_int_eq(svma_range_release(r, 0), 0);
	/* every counter: its share of CPU adds + its share of device adds */
	want = (uint64_t)CPU_ADDS * CPU_THREADS / NCOUNTERS +
	       1000ull * DEV_BATCHES * DEV_BATCH / NCOUNTERS;
	for (i = 0; i < NCOUNTERS; i++)
		ck_assert_msg(*counter[i] == want,
			      "counter %u: %llu, expected %llu (device re-acquired %llu times)",
			      i, (unsigned long long)*counter[i],
			      (unsigned long long)want,
			      (unsigned long long)reacquired);
	unmap_pages(buf, 2);
}
END_TEST

Suite *suite_atomic(void)
{
	Suite *s = suite_create("atomic");
	TCase *tc;

	tc = tcase_create("ops");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_ops);
	tcase_add_test(tc, test_not_held);
	tcase_add_test(tc, test_bad_ops);
	tcase_add_test(tc, test_ctx_fd_names_context);
	suite_add_tcase(s, tc);

	tc = tcase_create("contention");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_cpu_device_contention);
	tcase_set_timeout(tc, 240);
	suite_add_tcase(s, tc);

	return s;
}
