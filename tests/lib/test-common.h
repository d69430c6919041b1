/* SPDX-License-Identifier: MIT */
/*
 * Shared by the host test suites.
 *
 * Copyright 2026 The svmatomic authors
 */
#ifndef SVMA_TEST_COMMON_H
#define SVMA_TEST_COMMON_H

#include <check.h>
#include <stdint.h>

#include "internal.h"
#include "uapi/drm/drm_svm.h"

#define TEST_PAGE	4096u

/* Every suite; test-main.c runs them all. */
Suite *suite_version(void);
Suite *suite_strings(void);
Suite *suite_nodevice(void);
Suite *suite_ranges(void);
Suite *suite_events(void);

/*
 * A fake kernel behind the library's ioctl hook: it hands out handles
 * 1, 2, 3, ... and records what it was asked.
 */
struct mock {
	int calls[8];			/* by ioctl nr (DRM_SVM_IOCTL_*) */
	int fail[8];			/* -errno to return, by nr */
	uint32_t next_handle;
	uint64_t pages_override;	/* != 0: pages_exclusive to report */
	uint32_t seqno;			/* (re)acquire's commit seqno */
	struct drm_svm_acquire last_acquire;
	struct drm_svm_reacquire last_reacquire;
	struct drm_svm_release last_release;
	struct drm_svm_query last_query;
	struct drm_svm_set_hold last_set_hold;
	unsigned long last_request;
};

extern struct mock mock;

void mock_reset(void);
int mock_ioctl(int fd, unsigned long request, void *arg);
int mock_calls(unsigned long request);

/* A device on @fd (owned) whose ioctls go to the mock: uAPI 1. */
struct svma_device *mock_device(int fd);
/* The same with uAPI @version; from 2 on with the kernel's hold limit. */
struct svma_device *mock_device_version(int fd, uint32_t version);

/* Bytes of a revocation event as the kernel would send them. */
void make_revoked(struct drm_svm_event_revoked *ev, const struct svma_range *r,
		  uint32_t seqno, uint32_t reasons);

/*
 * The nth allocation (malloc, calloc, realloc) from now fails with
 * ENOMEM, the others do not; 0: none fails (tests/lib/alloc-fail.c).
 */
void test_fail_nth_alloc(unsigned int n);

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif /* SVMA_TEST_COMMON_H */
