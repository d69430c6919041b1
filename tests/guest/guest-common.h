/* SPDX-License-Identifier: MIT */
/*
 * Shared by the guest test suites: they run inside the VM against the
 * real uAPI on the vsvm device, through the shared libsvmatomic as an
 * application links it (only the public and uAPI headers).
 *
 * Copyright 2026 The svmatomic authors
 */
#ifndef SVMA_GUEST_COMMON_H
#define SVMA_GUEST_COMMON_H

#include <check.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <svmatomic.h>
#include "uapi/drm/drm_svm.h"
#include "uapi/drm/vsvm_drm.h"
#include "vsvm-helpers.h"
#include "vsvm_test.h"

/* Set by guest-main.c before any suite runs. */
extern const char *vsvm_path;	/* the vsvm render node */
extern size_t pgsz;

Suite *suite_device(void);
Suite *suite_range(void);
Suite *suite_revoke(void);
Suite *suite_events(void);
Suite *suite_atomic(void);
Suite *suite_hold(void);

/* svma_device_open(vsvm_path), asserted. */
struct svma_device *open_vsvm(void);

/* Private anonymous read-write memory, every page written (populated). */
void *map_pages(size_t npages);
void unmap_pages(void *addr, size_t npages);
#define PAGE(base, i)	((void *)((char *)(base) + (size_t)(i) * pgsz))

/*
 * Check has no "skipped": a test that cannot run here says why on stderr,
 * where the guest log keeps it, and returns without asserting anything.
 */
#define GUEST_SKIP(...)							\
	do {								\
		fprintf(stderr, "SKIP: %s: ", __func__);		\
		fprintf(stderr, __VA_ARGS__);				\
		fputc('\n', stderr);					\
		return;							\
	} while (0)

/* An acquire of @npages at @addr that must succeed. */
struct svma_range *acquire(struct svma_device *dev, void *addr,
			   size_t npages, uint64_t cookie);

/* svma_device_query() of @npages into @states, asserted to succeed. */
void query(struct svma_device *dev, const void *addr, size_t npages,
	   uint8_t *states);
/* One page's state. */
uint8_t page_state(struct svma_device *dev, const void *addr);

/*
 * DRM_IOCTL_VSVM_ATOMIC for @dev's context (svma_device_fd()), issued on
 * its DRM fd (svma_device_drm_fd()): 0 or -errno.
 */
int dev_atomic(struct svma_device *dev, struct drm_vsvm_atomic_op *ops,
	       uint32_t count, uint32_t flags, uint32_t *done,
	       uint32_t *reacquired);
/* One operation of @size bytes; the old value goes to *@old if given. */
int dev_op(struct svma_device *dev, uint32_t op, void *addr, uint32_t size,
	   uint64_t operand, uint64_t compare, uint32_t flags, uint64_t *old);

/* A CPU access that does not get optimised away. */
void cpu_touch(void *addr);

/* Revocations seen by rec_handler(), in order. */
#define REC_MAX	1100
struct rec_event {
	struct svma_range *range;
	uint64_t cookie;
	uint32_t handle;
	void *addr;
	uint64_t length;
	uint32_t reasons;
	uint32_t seqno;
	uint32_t coalesced;
	uint32_t flags;
};
struct recorder {
	int n;
	struct rec_event ev[REC_MAX];
	int foreign;			/* events given to the fallback */
	uint32_t foreign_type;
	uint32_t foreign_handle;
	size_t foreign_length;
};

/* Install rec_handler and rec_fallback with @rec (cleared). */
void record(struct svma_device *dev, struct recorder *rec);
void rec_handler(struct svma_range *range, const struct svma_revocation *rev,
		 void *user_data);
void rec_fallback(uint32_t type, const void *event, size_t length,
		  void *user_data);

/*
 * Wait and dispatch until @rec holds @want revocations (or the fallback
 * was called @want_foreign times), for at most @timeout_ms; then one more
 * non-blocking dispatch, to catch anything extra. Returns the number of
 * events dispatched in all.
 */
int dispatch_until(struct svma_device *dev, struct recorder *rec, int want,
		   int want_foreign, int timeout_ms);

#endif /* SVMA_GUEST_COMMON_H */
