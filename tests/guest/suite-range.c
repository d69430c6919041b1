// SPDX-License-Identifier: MIT
/*
 * Ranges and page states against the real kernel: acquire, accessors,
 * every page-state bit, eager and lazy release, re-acquire, limits and
 * bad inputs.
 *
 * Copyright 2026 The svmatomic authors
 */
#define _GNU_SOURCE	/* memfd_create() */
#include <errno.h>
#include <linux/capability.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "guest-common.h"

#define RW	(SVMA_PAGE_PRESENT | SVMA_PAGE_WRITABLE)
#define HELD	(RW | SVMA_PAGE_EXCLUSIVE | SVMA_PAGE_HELD)

static struct svma_device *dev;

static void setup(void)
{
	dev = open_vsvm();
}

static void teardown(void)
{
	svma_device_close(dev);
}

START_TEST(test_acquire_accessors)
{
	struct svma_range *r = NULL, *r2;
	uint8_t bitmap[2] = { 0, 0xaa };
	void *buf = map_pages(12);

	ck_assert_int_eq(svma_range_acquire(dev, buf, 10 * pgsz, 0xc0ffee, 0,
					    bitmap, sizeof(bitmap), &r), 0);
	ck_assert_ptr_nonnull(r);
	ck_assert_ptr_eq(svma_range_device(r), dev);
	ck_assert_ptr_eq(svma_range_addr(r), buf);
	ck_assert_uint_eq(svma_range_length(r), 10 * pgsz);
	ck_assert_uint_eq(svma_range_cookie(r), 0xc0ffee);
	ck_assert_uint_ne(svma_range_handle(r), 0);
	ck_assert_uint_eq(svma_range_pages_exclusive(r), 10);
	ck_assert_int_eq(svma_range_is_revoked(r), 0);
	ck_assert_uint_eq(svma_range_seqno(r), 0);
	/* bits 0..9: the bits past the range are cleared */
	ck_assert_uint_eq(bitmap[0], 0xff);
	ck_assert_uint_eq(bitmap[1], 0x03);

	r2 = acquire(dev, PAGE(buf, 10), 2, 7);
	ck_assert_uint_ne(svma_range_handle(r2), svma_range_handle(r));
	ck_assert_int_eq(svma_range_release(r2, 0), 0);
	ck_assert_int_eq(svma_range_release(r, 0), 0);
	unmap_pages(buf, 12);
}
END_TEST

START_TEST(test_partial_flag)
{
	struct svma_range *r;
	void *buf = map_pages(4);

	/* everything can be had: the flag changes nothing */
	ck_assert_int_eq(svma_range_acquire(dev, buf, 4 * pgsz, 1,
					    SVMA_ACQUIRE_PARTIAL, NULL, 0,
					    &r), 0);
	ck_assert_uint_eq(svma_range_pages_exclusive(r), 4);
	ck_assert_int_eq(svma_range_release(r, 0), 0);
	unmap_pages(buf, 4);
}
END_TEST

/* AnonHugePages of the mapping holding @addr, in kB; -1 when unknown. */
static long anon_huge_kb(const void *addr)
{
	unsigned long a = (uintptr_t)addr, lo, hi;
	char line[256];
	bool in = false;
	long kb = -1;
	FILE *f;

	f = fopen("/proc/self/smaps", "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		/* a mapping's first line: "lo-hi perms offset dev inode" */
		if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2) {
			in = a >= lo && a < hi;
			continue;
		}
		if (in && sscanf(line, "AnonHugePages: %ld kB", &kb) == 1)
			break;
	}
	fclose(f);
	return kb;
}

/* A THP-backed range becomes exclusive page by page, all of it. */
START_TEST(test_thp)
{
	const size_t huge = 2u << 20, n = huge / pgsz;
	struct svma_range *r;
	uint8_t *st = malloc(n);
	char *raw, *buf;
	size_t i;

	raw = mmap(NULL, 2 * huge, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ck_assert_ptr_ne(raw, MAP_FAILED);
	buf = (char *)(((uintptr_t)raw + huge - 1) & ~(uintptr_t)(huge - 1));
	madvise(buf, huge, MADV_HUGEPAGE);
	memset(buf, 1, huge);
	/* on 4 KiB pages this would pass and prove nothing */
	if (anon_huge_kb(buf) < (long)(huge >> 10)) {
		munmap(raw, 2 * huge);
		free(st);
		GUEST_SKIP("no transparent huge page was allocated (AnonHugePages: %ld kB)",
			   anon_huge_kb(buf));
	}

	r = acquire(dev, buf, n, 1);
	query(dev, buf, n, st);
	for (i = 0; i < n; i++)
		ck_assert_msg(st[i] == HELD, "page %zu: state %#x", i, st[i]);
	ck_assert_int_eq(svma_range_release(r, 0), 0);
	query(dev, buf, n, st);
	for (i = 0; i < n; i++)
		ck_assert_uint_eq(st[i], RW);
	ck_assert_int_eq(buf[huge - 1], 1);
	munmap(raw, 2 * huge);
	free(st);
}
END_TEST

/*
 * PRESENT, WRITABLE, EXCLUSIVE, HELD and REVOKED, each seen set and
 * clear, by the holder and by another device.
 */
START_TEST(test_states)
{
	struct svma_device *other = open_vsvm();
	struct svma_range *r;
	char *buf = map_pages(4);
	uint8_t st[6];
	char *hole;

	/* an unpopulated page, a read-only one, a hole after them */
	hole = mmap(NULL, 3 * pgsz, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ck_assert_ptr_ne(hole, MAP_FAILED);
	hole[pgsz] = 1;
	ck_assert_int_eq(mprotect(hole + pgsz, pgsz, PROT_READ), 0);
	ck_assert_int_eq(munmap(hole + 2 * pgsz, pgsz), 0);
	query(dev, hole, 3, st);
	ck_assert_uint_eq(st[0], 0);
	ck_assert_uint_eq(st[1], SVMA_PAGE_PRESENT);
	ck_assert_uint_eq(st[2], 0);

	query(dev, buf, 4, st);
	ck_assert_uint_eq(st[0], RW);

	r = acquire(dev, buf, 4, 1);
	query(dev, buf, 4, st);
	ck_assert_uint_eq(st[0], HELD);
	ck_assert_uint_eq(st[3], HELD);
	/* exclusive to a device, but not held by the other device */
	query(other, buf, 4, st);
	ck_assert_uint_eq(st[0], RW | SVMA_PAGE_EXCLUSIVE);

	cpu_touch(PAGE(buf, 2));
	query(dev, buf, 4, st);
	ck_assert_uint_eq(st[1], HELD);
	ck_assert_uint_eq(st[2], RW | SVMA_PAGE_REVOKED);
	ck_assert_uint_eq(st[3], HELD);
	query(other, buf, 4, st);
	ck_assert_uint_eq(st[2], RW);

	ck_assert_int_eq(svma_range_reacquire(r, 0, NULL, 0), 0);
	ck_assert_uint_eq(page_state(dev, PAGE(buf, 2)), HELD);
	ck_assert_int_eq(svma_range_release(r, 0), 0);
	svma_device_close(other);
	munmap(hole, 2 * pgsz);
	unmap_pages(buf, 4);
}
END_TEST

/*
 * SVMA_PAGE_DEVICE_PRIVATE is never reported since 0.3: the kernel
 * reserves bit 5 for a device with memory of its own, which vsvm is not.
 * It must never show, whatever the page's state.
 */
START_TEST(test_state_device_private_never_on_vsvm)
{
	struct svma_range *r;
	char *buf = map_pages(3);
	uint8_t st[3];
	int i;

	r = acquire(dev, buf, 2, 1);
	cpu_touch(PAGE(buf, 1));
	query(dev, buf, 3, st);
	for (i = 0; i < 3; i++)
		ck_assert_uint_eq(st[i] & SVMA_PAGE_DEVICE_PRIVATE, 0);
	ck_assert_int_eq(svma_range_release(r, 0), 0);
	unmap_pages(buf, 3);
}
END_TEST

/* A query faults nothing in: untouched pages stay unpopulated. */
START_TEST(test_query_faults_nothing)
{
	const size_t n = 600;	/* more than one of the kernel's chunks */
	unsigned char vec[600];
	uint8_t *st = malloc(n);
	char *buf;
	size_t i;

	buf = mmap(NULL, n * pgsz, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ck_assert_ptr_ne(buf, MAP_FAILED);
	madvise(buf, n * pgsz, MADV_NOHUGEPAGE);
	buf[599 * pgsz] = 1;
	query(dev, buf, n, st);
	for (i = 0; i < n - 1; i++)
		ck_assert_uint_eq(st[i], 0);
	ck_assert_uint_eq(st[n - 1], RW);
	ck_assert_int_eq(mincore(buf, n * pgsz, vec), 0);
	for (i = 0; i < n - 1; i++)
		ck_assert_uint_eq(vec[i] & 1, 0);
	munmap(buf, n * pgsz);
	free(st);
}
END_TEST

START_TEST(test_release_eager)
{
	struct recorder rec;
	struct svma_range *r;
	char *buf = map_pages(3);
	uint8_t st[3];

	record(dev, &rec);
	r = acquire(dev, buf, 3, 1);
	ck_assert_int_eq(dev_op(dev, DRM_VSVM_OP_XCHG, buf, 4, 77, 0, 0,
				NULL), 0);
	ck_assert_int_eq(svma_range_release(r, 0), 0);
	/* the CPU mappings are back: not exclusive to anyone */
	query(dev, buf, 3, st);
	ck_assert_uint_eq(st[0], RW);
	ck_assert_uint_eq(st[2], RW);
	ck_assert_int_eq(*(volatile uint32_t *)buf, 77);
	ck_assert_int_eq(dispatch_until(dev, &rec, 0, 0, 0), 0);
	ck_assert_int_eq(rec.n + rec.foreign, 0);
	/* the device no longer reaches it */
	ck_assert_int_eq(dev_op(dev, DRM_VSVM_OP_ADD, buf, 4, 1, 0, 0, NULL),
			 -ENXIO);
	unmap_pages(buf, 3);
}
END_TEST

START_TEST(test_release_lazy)
{
	struct recorder rec;
	struct svma_range *r;
	char *buf = map_pages(3);
	uint8_t st[3];

	record(dev, &rec);
	r = acquire(dev, buf, 3, 1);
	ck_assert_int_eq(dev_op(dev, DRM_VSVM_OP_XCHG, PAGE(buf, 1), 4, 9, 0,
				0, NULL), 0);
	ck_assert_int_eq(svma_range_release(r, SVMA_RELEASE_LAZY), 0);
	/* still device-exclusive entries, but nobody holds them */
	query(dev, buf, 3, st);
	ck_assert_uint_eq(st[0], RW | SVMA_PAGE_EXCLUSIVE);
	ck_assert_uint_eq(st[1], RW | SVMA_PAGE_EXCLUSIVE);
	/* the next touch restores the mapping, silently */
	ck_assert_int_eq(*(volatile uint32_t *)PAGE(buf, 1), 9);
	query(dev, buf, 3, st);
	ck_assert_uint_eq(st[0], RW | SVMA_PAGE_EXCLUSIVE);
	ck_assert_uint_eq(st[1], RW);
	ck_assert_int_eq(dispatch_until(dev, &rec, 0, 0, 0), 0);
	ck_assert_int_eq(rec.n + rec.foreign, 0);
	unmap_pages(buf, 3);
}
END_TEST

START_TEST(test_reacquire)
{
	struct recorder rec;
	struct svma_range *r;
	uint8_t bitmap[1];
	char *buf = map_pages(5);

	record(dev, &rec);
	r = acquire(dev, buf, 5, 1);
	/* nothing revoked: a no-op that succeeds */
	bitmap[0] = 0;
	ck_assert_int_eq(svma_range_reacquire(r, 0, bitmap, 1), 0);
	ck_assert_uint_eq(bitmap[0], 0x1f);
	ck_assert_uint_eq(svma_range_pages_exclusive(r), 5);

	cpu_touch(PAGE(buf, 0));
	cpu_touch(PAGE(buf, 4));
	ck_assert_int_eq(dispatch_until(dev, &rec, 1, 0, 5000), 1);
	ck_assert_int_eq(svma_range_is_revoked(r), 1);
	ck_assert_int_eq(dev_op(dev, DRM_VSVM_OP_ADD, buf, 8, 1, 0, 0, NULL),
			 -ENXIO);

	/* the bitmap reports every page held now */
	bitmap[0] = 0;
	ck_assert_int_eq(svma_range_reacquire(r, SVMA_ACQUIRE_PARTIAL,
					      bitmap, 1), 0);
	ck_assert_uint_eq(bitmap[0], 0x1f);
	ck_assert_uint_eq(svma_range_pages_exclusive(r), 5);
	ck_assert_int_eq(svma_range_is_revoked(r), 0);
	/*
	 * the handle's number as the re-acquire committed: two revocations
	 * (one event, one coalesced), never reset
	 */
	ck_assert_uint_eq(svma_range_seqno(r), 2);
	ck_assert_int_eq(dev_op(dev, DRM_VSVM_OP_ADD, buf, 8, 1, 0, 0, NULL),
			 0);

	/* bad arguments change nothing */
	ck_assert_int_eq(svma_range_reacquire(NULL, 0, NULL, 0), -EINVAL);
	ck_assert_int_eq(svma_range_reacquire(r, 2, NULL, 0), -EINVAL);
	ck_assert_int_eq(svma_range_reacquire(r, 0, bitmap, 0), -EINVAL);
	ck_assert_int_eq(svma_range_reacquire(r, 0, NULL, 1), -EINVAL);
	ck_assert_int_eq(svma_range_reacquire(r, 0, (uint8_t *)8, 1),
			 -EFAULT);
	ck_assert_int_eq(svma_range_release(r, 0), 0);
	unmap_pages(buf, 5);
}
END_TEST

START_TEST(test_acquire_bad_inputs)
{
	struct svma_range *r = (struct svma_range *)&r, *held;
	char *buf = map_pages(5), *p, *ro;
	uint8_t bitmap[1];
	int fd;

	ck_assert_int_eq(munmap(PAGE(buf, 4), pgsz), 0);	/* a hole */
	/* rejected by the library */
	ck_assert_int_eq(svma_range_acquire(NULL, buf, pgsz, 0, 0, NULL, 0,
					    &r), -EINVAL);
	ck_assert_ptr_null(r);
	ck_assert_int_eq(svma_range_acquire(dev, buf, pgsz, 0, 0, NULL, 0,
					    NULL), -EINVAL);
	ck_assert_int_eq(svma_range_acquire(dev, buf, pgsz, 0, 2, NULL, 0,
					    &r), -EINVAL);
	ck_assert_int_eq(svma_range_acquire(dev, buf + 8, pgsz, 0, 0, NULL,
					    0, &r), -EINVAL);
	ck_assert_int_eq(svma_range_acquire(dev, buf, pgsz - 1, 0, 0, NULL,
					    0, &r), -EINVAL);
	ck_assert_int_eq(svma_range_acquire(dev, buf, 0, 0, 0, NULL, 0, &r),
			 -EINVAL);
	ck_assert_int_eq(svma_range_acquire(dev, buf, 9 * pgsz, 0, 0, bitmap,
					    1, &r), -EINVAL);
	/* rejected by the kernel */
	ck_assert_int_eq(svma_range_acquire(dev, buf, pgsz, 0, 0,
					    (uint8_t *)8, 1, &r), -EFAULT);
	ck_assert_int_eq(svma_range_acquire(dev, (void *)(uintptr_t)pgsz,
					    pgsz, 0, 0, NULL, 0, &r), -EFAULT);
	ck_assert_int_eq(svma_range_acquire(dev, buf, 5 * pgsz, 0, 0, NULL,
					    0, &r), -EFAULT);	/* past the end */
	/* above the user address space, with 4- or 5-level paging */
	ck_assert_int_eq(svma_range_acquire(dev,
					    (void *)(uintptr_t)(1ull << 57),
					    pgsz, 0, 0, NULL, 0, &r), -EINVAL);

	ro = mmap(NULL, pgsz, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ck_assert_ptr_ne(ro, MAP_FAILED);
	ck_assert_int_eq(svma_range_acquire(dev, ro, pgsz, 0, 0, NULL, 0, &r),
			 -EACCES);
	ck_assert_int_eq(mprotect(ro, pgsz, PROT_NONE), 0);
	ck_assert_int_eq(svma_range_acquire(dev, ro, pgsz, 0, 0, NULL, 0, &r),
			 -EACCES);
	munmap(ro, pgsz);

	p = mmap(NULL, pgsz, PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ck_assert_ptr_ne(p, MAP_FAILED);
	p[0] = 1;
	ck_assert_int_eq(svma_range_acquire(dev, p, pgsz, 0, 0, NULL, 0, &r),
			 -EOPNOTSUPP);
	munmap(p, pgsz);

	fd = memfd_create("svma-guest", MFD_CLOEXEC);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(ftruncate(fd, (off_t)pgsz), 0);
	p = mmap(NULL, pgsz, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	ck_assert_ptr_ne(p, MAP_FAILED);
	p[0] = 1;
	ck_assert_int_eq(svma_range_acquire(dev, p, pgsz, 0, 0, NULL, 0, &r),
			 -EOPNOTSUPP);
	munmap(p, pgsz);
	close(fd);

	/* overlapping a range of this device */
	held = acquire(dev, PAGE(buf, 1), 2, 1);
	ck_assert_int_eq(svma_range_acquire(dev, buf, 2 * pgsz, 0, 0, NULL, 0,
					    &r), -EEXIST);
	ck_assert_int_eq(svma_range_acquire(dev, PAGE(buf, 2), pgsz, 0, 0,
					    NULL, 0, &r), -EEXIST);
	ck_assert_ptr_null(r);
	/* nothing of the failures was left held or charged */
	ck_assert_uint_eq(page_state(dev, buf), RW);
	ck_assert_uint_eq(page_state(dev, PAGE(buf, 3)), RW);
	{
		struct svma_device_info info;

		ck_assert_int_eq(svma_device_get_info(dev, &info,
						      sizeof(info)), 0);
		ck_assert_uint_eq(info.ranges, 1);
		ck_assert_uint_eq(info.pages, 2);
	}

	/* release: unknown flags do nothing, the range stays usable */
	ck_assert_int_eq(svma_range_release(NULL, 0), -EINVAL);
	ck_assert_int_eq(svma_range_release(held, 2), -EINVAL);
	ck_assert_uint_eq(page_state(dev, PAGE(buf, 1)), HELD);
	ck_assert_int_eq(svma_range_release(held, 0), 0);
	unmap_pages(buf, 4);
}
END_TEST

START_TEST(test_query_bad_inputs)
{
	char *buf = map_pages(2);
	uint8_t st[2];

	ck_assert_int_eq(svma_device_query(NULL, buf, pgsz, st, 1), -EINVAL);
	ck_assert_int_eq(svma_device_query(dev, buf, pgsz, NULL, 1), -EINVAL);
	ck_assert_int_eq(svma_device_query(dev, buf + 1, pgsz, st, 1), -EINVAL);
	ck_assert_int_eq(svma_device_query(dev, buf, pgsz + 1, st, 2), -EINVAL);
	ck_assert_int_eq(svma_device_query(dev, buf, 0, st, 1), -EINVAL);
	ck_assert_int_eq(svma_device_query(dev, buf, 2 * pgsz, st, 1), -EINVAL);
	ck_assert_int_eq(svma_device_query(dev, buf, pgsz, (uint8_t *)8, 1),
			 -EFAULT);
	ck_assert_int_eq(svma_device_query(dev, (void *)(uintptr_t)(1ull << 57),
				    pgsz, st, 1), -EINVAL);
	ck_assert_int_eq(svma_range_query(NULL, st, 1), -EINVAL);
	unmap_pages(buf, 2);
}
END_TEST

START_TEST(test_range_query)
{
	struct svma_range *r;
	char *buf = map_pages(3);
	uint8_t st[3];

	r = acquire(dev, buf, 3, 1);
	cpu_touch(PAGE(buf, 1));
	memset(st, 0xee, sizeof(st));
	ck_assert_int_eq(svma_range_query(r, st, 3), 0);
	ck_assert_uint_eq(st[0], HELD);
	ck_assert_uint_eq(st[1], RW | SVMA_PAGE_REVOKED);
	ck_assert_uint_eq(st[2], HELD);
	ck_assert_int_eq(svma_range_query(r, st, 2), -EINVAL);
	ck_assert_int_eq(svma_range_release(r, 0), 0);
	unmap_pages(buf, 3);
}
END_TEST

static int drop_cap_ipc_lock(void)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[2];

	if (syscall(SYS_capget, &hdr, data))
		return -errno;
	data[CAP_IPC_LOCK / 32].effective &= ~(1u << (CAP_IPC_LOCK % 32));
	if (syscall(SYS_capset, &hdr, data))
		return -errno;
	return 0;
}

/* Held pages are charged to RLIMIT_MEMLOCK; over it is -ENOMEM. */
START_TEST(test_memlock)
{
	struct rlimit rl = { 4 * pgsz, 4 * pgsz };
	struct svma_range *r = NULL, *r2;
	char *buf = map_pages(8);

	/* it changes the process for good: only in a forked test */
	if (getenv("CK_FORK") && strcmp(getenv("CK_FORK"), "no") == 0) {
		unmap_pages(buf, 8);
		GUEST_SKIP("CK_FORK=no: it would lower this process's limit for good");
	}
	ck_assert_int_eq(drop_cap_ipc_lock(), 0);
	ck_assert_int_eq(setrlimit(RLIMIT_MEMLOCK, &rl), 0);
	ck_assert_int_eq(svma_range_acquire(dev, buf, 5 * pgsz, 0, 0, NULL, 0,
					    &r), -ENOMEM);
	ck_assert_ptr_null(r);
	ck_assert_uint_eq(page_state(dev, buf), RW);
	r = acquire(dev, buf, 3, 1);
	ck_assert_int_eq(svma_range_acquire(dev, PAGE(buf, 3), 2 * pgsz, 0, 0,
					    NULL, 0, &r2), -ENOMEM);
	/* the charge goes with the release */
	ck_assert_int_eq(svma_range_release(r, 0), 0);
	r2 = acquire(dev, PAGE(buf, 3), 4, 2);
	ck_assert_int_eq(svma_range_release(r2, 0), 0);
	unmap_pages(buf, 8);
}
END_TEST

/* The device's range limit: one more is -ENOSPC, and nothing breaks. */
START_TEST(test_max_ranges)
{
	static struct recorder rec;
	struct svma_device_info info;
	struct svma_range **r, *extra = NULL;
	struct svma_device *other;
	char *buf;
	uint32_t i, n;

	ck_assert_int_eq(svma_device_get_info(dev, &info, sizeof(info)), 0);
	n = info.max_ranges;
	ck_assert_uint_le(n, 65536);
	r = calloc(n, sizeof(*r));
	buf = map_pages(n + 1);
	for (i = 0; i < n; i++)
		r[i] = acquire(dev, PAGE(buf, i), 1, i);
	ck_assert_int_eq(svma_range_acquire(dev, PAGE(buf, n), pgsz, 0, 0,
					    NULL, 0, &extra), -ENOSPC);
	ck_assert_ptr_null(extra);
	/* the limit is the device's (its context's): another has room */
	other = open_vsvm();
	extra = acquire(other, PAGE(buf, n), 1, 0);
	ck_assert_int_eq(svma_range_release(extra, 0), 0);
	svma_device_close(other);
	/*
	 * Every range revoked before one event is read: one event each, no
	 * event space to run out of (-ENOSPC was that until uAPI 3).
	 */
	if (n < REC_MAX) {
		record(dev, &rec);
		for (i = 0; i < n; i++)
			cpu_touch(PAGE(buf, i));
		dispatch_until(dev, &rec, (int)n, 0, 20000);
		ck_assert_int_eq(rec.n, (int)n);
		ck_assert_int_eq(rec.foreign, 0);
		for (i = 0; i < n; i++)
			ck_assert_int_eq(svma_range_reacquire(r[i], 0, NULL,
							      0), 0);
	}
	ck_assert_int_eq(svma_range_release(r[n / 2], 0), 0);
	r[n / 2] = acquire(dev, PAGE(buf, n), 1, 0);
	for (i = 0; i < n; i++)
		ck_assert_int_eq(svma_range_release(r[i], 0), 0);
	ck_assert_int_eq(svma_device_get_info(dev, &info, sizeof(info)), 0);
	ck_assert_uint_eq(info.ranges, 0);
	free(r);
	unmap_pages(buf, n + 1);
}
END_TEST

Suite *suite_range(void)
{
	Suite *s = suite_create("range");
	TCase *tc;

	tc = tcase_create("acquire");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_acquire_accessors);
	tcase_add_test(tc, test_partial_flag);
	tcase_add_test(tc, test_thp);
	tcase_add_test(tc, test_reacquire);
	suite_add_tcase(s, tc);

	tc = tcase_create("states");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_states);
	tcase_add_test(tc, test_state_device_private_never_on_vsvm);
	tcase_add_test(tc, test_query_faults_nothing);
	tcase_add_test(tc, test_range_query);
	suite_add_tcase(s, tc);

	tc = tcase_create("release");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_release_eager);
	tcase_add_test(tc, test_release_lazy);
	suite_add_tcase(s, tc);

	tc = tcase_create("bad-inputs");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_acquire_bad_inputs);
	tcase_add_test(tc, test_query_bad_inputs);
	suite_add_tcase(s, tc);

	tc = tcase_create("limits");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_memlock);
	tcase_add_test(tc, test_max_ranges);
	tcase_set_timeout(tc, 120);
	suite_add_tcase(s, tc);

	return s;
}
