// SPDX-License-Identifier: MIT
/*
 * Runs every guest suite against the vsvm device. Skips (exit 77, with a
 * reason) when no capable vsvm render node exists, e.g. on the host.
 * CK_FORK=no runs the tests in one process; CK_RUN_SUITE / CK_RUN_CASE
 * pick some.
 *
 * Copyright 2026 The svmatomic authors
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "guest-common.h"

const char *vsvm_path;
size_t pgsz;
static char vsvm_path_buf[300];

struct svma_device *open_vsvm(void)
{
	struct svma_device *dev = NULL;
	int ret;

	ret = svma_device_open(vsvm_path, 0, &dev);
	ck_assert_msg(ret == 0, "svma_device_open(%s): %s", vsvm_path,
		      svma_strerror(ret));
	ck_assert_ptr_nonnull(dev);
	return dev;
}

void *map_pages(size_t npages)
{
	void *p;

	p = mmap(NULL, npages * pgsz, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ck_assert_ptr_ne(p, MAP_FAILED);
	memset(p, 0, npages * pgsz);
	return p;
}

void unmap_pages(void *addr, size_t npages)
{
	ck_assert_int_eq(munmap(addr, npages * pgsz), 0);
}

struct svma_range *acquire(struct svma_device *dev, void *addr,
			   size_t npages, uint64_t cookie)
{
	struct svma_range *r = NULL;
	int ret;

	ret = svma_range_acquire(dev, addr, npages * pgsz, cookie, 0, NULL, 0,
				 &r);
	ck_assert_msg(ret == 0, "acquire %zu pages: %s", npages,
		      svma_strerror(ret));
	ck_assert_ptr_nonnull(r);
	ck_assert_uint_eq(svma_range_pages_exclusive(r), npages);
	return r;
}

void query(struct svma_device *dev, const void *addr, size_t npages,
	   uint8_t *states)
{
	int ret;

	memset(states, 0xee, npages);
	ret = svma_device_query(dev, addr, npages * pgsz, states, npages);
	ck_assert_msg(ret == 0, "query: %s", svma_strerror(ret));
}

uint8_t page_state(struct svma_device *dev, const void *addr)
{
	uint8_t st;

	query(dev, addr, 1, &st);
	return st;
}

int dev_atomic(struct svma_device *dev, struct drm_vsvm_atomic_op *ops,
	       uint32_t count, uint32_t flags, uint32_t *done,
	       uint32_t *reacquired)
{
	return vsvm_atomic(svma_device_drm_fd(dev), svma_device_fd(dev), ops,
			   count, flags, done, reacquired);
}

int dev_op(struct svma_device *dev, uint32_t op, void *addr, uint32_t size,
	   uint64_t operand, uint64_t compare, uint32_t flags, uint64_t *old)
{
	struct drm_vsvm_atomic_op o;
	int ret;

	memset(&o, 0, sizeof(o));
	o.addr = (uintptr_t)addr;
	o.operand = operand;
	o.compare = compare;
	o.op = op;
	o.size = size;
	ret = dev_atomic(dev, &o, 1, flags, NULL, NULL);
	if (!ret && old)
		*old = o.result;
	return ret;
}

void cpu_touch(void *addr)
{
	__atomic_fetch_add((volatile uint64_t *)addr, 0, __ATOMIC_SEQ_CST);
}

void rec_handler(struct svma_range *range, const struct svma_revocation *rev,
		 void *user_data)
{
	struct recorder *rec = user_data;
	struct rec_event *e;

	ck_assert_int_lt(rec->n, REC_MAX);
	e = &rec->ev[rec->n++];
	e->range = range;
	e->cookie = svma_range_cookie(range);
	e->handle = svma_range_handle(range);
	e->addr = rev->addr;
	e->length = rev->length;
	e->reasons = rev->reasons;
	e->seqno = rev->seqno;
	e->coalesced = rev->coalesced;
	e->flags = rev->flags;
}

void rec_fallback(uint32_t type, const void *event, size_t length,
		  void *user_data)
{
	struct recorder *rec = user_data;
	const struct drm_svm_event_revoked *ev = event;

	rec->foreign++;
	rec->foreign_type = type;
	rec->foreign_length = length;
	if (type == DRM_SVM_EVENT_REVOKED && length >= sizeof(*ev))
		rec->foreign_handle = ev->handle;
}

void record(struct svma_device *dev, struct recorder *rec)
{
	memset(rec, 0, sizeof(*rec));
	ck_assert_int_eq(svma_device_set_revoke_handler(dev, rec_handler, rec), 0);
	ck_assert_int_eq(svma_device_set_event_fallback(dev, rec_fallback, rec), 0);
}

int dispatch_until(struct svma_device *dev, struct recorder *rec, int want,
		   int want_foreign, int timeout_ms)
{
	int total = 0, ret, waited = 0;

	while (rec->n < want || rec->foreign < want_foreign) {
		ret = svma_device_wait(dev, 10 * 1000 * 1000);
		ck_assert_int_ge(ret, 0);
		if (ret == 0) {
			waited += 10;
			if (waited >= timeout_ms)
				break;
			continue;
		}
		ret = svma_device_dispatch(dev);
		ck_assert_msg(ret >= 0, "dispatch: %s", svma_strerror(ret));
		total += ret;
	}
	ret = svma_device_dispatch(dev);
	ck_assert_msg(ret >= 0, "dispatch: %s", svma_strerror(ret));
	return total + ret;
}

/*
 * The vsvm render node, found the way an application would not: by
 * driver name (tests/vsvm-helpers.h), so that the tests know it is vsvm
 * (they use its atomic engine) and not merely some capable device.
 */
static int find_vsvm(const char **why)
{
	int fd, version;

	fd = vsvm_open(vsvm_path_buf, sizeof(vsvm_path_buf));
	if (fd < 0) {
		*why = fd == -ENOENT ? "no /dev/dri (no DRM device)" :
		       fd == -EACCES ? "a render node could not be opened (permissions)" :
		       "no render node is vsvm's (kernel without the svmatomic series or CONFIG_DRM_VSVM)";
		return 0;
	}
	version = svma_device_probe(fd);
	close(fd);
	if (version <= 0) {
		*why = "the vsvm node creates no SVM context (a kernel with an older svmatomic series)";
		return 0;
	}
	return 1;
}

int main(void)
{
	const char *why = NULL;
	SRunner *sr;
	int failed;

	pgsz = (size_t)sysconf(_SC_PAGESIZE);
	if (!find_vsvm(&why)) {
		printf("SKIP: %s\n", why);
		return 77;
	}
	vsvm_path = vsvm_path_buf;
	printf("vsvm device: %s, libsvmatomic %s\n", vsvm_path,
	       svma_version_string());

	sr = srunner_create(suite_device());
	srunner_add_suite(sr, suite_range());
	srunner_add_suite(sr, suite_revoke());
	srunner_add_suite(sr, suite_events());
	srunner_add_suite(sr, suite_atomic());
	srunner_add_suite(sr, suite_hold());

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
