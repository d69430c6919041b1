// SPDX-License-Identifier: MIT
/*
 * Runs every host suite. CK_FORK=no runs them in one process, for a
 * debugger or valgrind; CK_RUN_SUITE / CK_RUN_CASE pick one.
 *
 * Copyright 2026 The svmatomic authors
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test-common.h"

struct mock mock;

static int nr_of(unsigned long request)
{
	int nr = (int)(request & 0xff);

	return nr >= 0 && nr < 8 ? nr : 7;
}

void mock_reset(void)
{
	memset(&mock, 0, sizeof(mock));
	mock.next_handle = 1;
}

int mock_calls(unsigned long request)
{
	return mock.calls[nr_of(request)];
}

int mock_ioctl(int fd, unsigned long request, void *arg)
{
	int nr = nr_of(request);
	uint64_t pages;

	(void)fd;
	mock.calls[nr]++;
	mock.last_request = request;
	if (mock.fail[nr])
		return mock.fail[nr];

	switch (request) {
	case DRM_SVM_IOCTL_INFO: {
		struct drm_svm_info *info = arg;

		info->version = DRM_SVM_UAPI_VERSION;
		info->page_size = TEST_PAGE;
		info->event_size = sizeof(struct drm_svm_event_revoked);
		info->max_handles = 1024;
		info->handles = 3;
		info->max_pages = 1u << 20;
		info->pages = 7;
		/* what a uAPI 2 kernel says; a uAPI 1 one would not */
		info->max_hold_us = DRM_SVM_HOLD_MAX_US;
		return 0;
	}
	case DRM_SVM_IOCTL_ACQUIRE: {
		struct drm_svm_acquire *a = arg;

		mock.last_acquire = *a;
		a->handle = mock.next_handle++;
		pages = a->length / TEST_PAGE;
		a->pages_exclusive = mock.pages_override ?
				     mock.pages_override : pages;
		a->seqno = mock.seqno;
		if (a->bitmap_ptr)
			memset((void *)(uintptr_t)a->bitmap_ptr, 0xff,
			       (pages + 7) / 8);
		return 0;
	}
	case DRM_SVM_IOCTL_REACQUIRE: {
		struct drm_svm_reacquire *r = arg;

		mock.last_reacquire = *r;
		r->pages_exclusive = mock.pages_override ?
				     mock.pages_override : 1;
		r->seqno = mock.seqno;
		return 0;
	}
	case DRM_SVM_IOCTL_RELEASE:
		mock.last_release = *(struct drm_svm_release *)arg;
		return 0;
	case DRM_SVM_IOCTL_QUERY:
		mock.last_query = *(struct drm_svm_query *)arg;
		return 0;
	case DRM_SVM_IOCTL_SET_HOLD:
		mock.last_set_hold = *(struct drm_svm_set_hold *)arg;
		return 0;
	default:
		return -ENOTTY;
	}
}

struct svma_device *mock_device_version(int fd, uint32_t version)
{
	struct svma_device *dev = NULL;

	ck_assert_int_eq(svma_device_create(fd, true, version, TEST_PAGE,
					    mock_ioctl, &dev), 0);
	ck_assert_ptr_nonnull(dev);
	/* as device_from_fd() does: the opener owns the device */
	dev->owner = (int)getpid();
	/* device_from_fd() takes it from INFO, which the mock skips */
	if (version >= SVMA_UAPI_HOLD)
		dev->max_hold_us = DRM_SVM_HOLD_MAX_US;
	return dev;
}

struct svma_device *mock_device(int fd)
{
	return mock_device_version(fd, 1);
}

void make_revoked(struct drm_svm_event_revoked *ev, const struct svma_range *r,
		  uint32_t seqno, uint32_t reasons)
{
	memset(ev, 0, sizeof(*ev));
	ev->base.type = DRM_SVM_EVENT_REVOKED;
	ev->base.size = sizeof(*ev);
	ev->cookie = r->kcookie;
	ev->addr = r->addr;
	ev->length = TEST_PAGE;
	ev->handle = r->handle;
	ev->reasons = reasons;
	ev->seqno = seqno;
}

int main(void)
{
	SRunner *sr;
	int failed;

	sr = srunner_create(suite_version());
	srunner_add_suite(sr, suite_strings());
	srunner_add_suite(sr, suite_nodevice());
	srunner_add_suite(sr, suite_ranges());
	srunner_add_suite(sr, suite_events());

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
