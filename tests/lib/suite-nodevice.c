// SPDX-License-Identifier: MIT
/*
 * Behaviour without a capable device: clear errors, never a crash, and
 * adopted fds are left alone.
 *
 * Copyright 2026 The svmatomic authors
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "test-common.h"

static int fd_is_open(int fd)
{
	return fcntl(fd, F_GETFD) != -1;
}

START_TEST(test_open_missing_path)
{
	struct svma_device *dev = (struct svma_device *)&dev;

	ck_assert_int_eq(svma_device_open("/nonexistent/dri/renderD128", 0,
					  &dev), -ENOENT);
	ck_assert_ptr_null(dev);
}
END_TEST

START_TEST(test_open_not_drm)
{
	struct svma_device *dev = (struct svma_device *)&dev;

	/* a character device that is not DRM */
	ck_assert_int_eq(svma_device_open("/dev/null", 0, &dev), -ENODEV);
	ck_assert_ptr_null(dev);
}
END_TEST

START_TEST(test_open_regular_file)
{
	char path[] = "/tmp/svma-test-XXXXXX";
	struct svma_device *dev = NULL;
	int fd = mkstemp(path);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(svma_device_open(path, 0, &dev), -ENODEV);
	ck_assert_ptr_null(dev);
	unlink(path);
	close(fd);
}
END_TEST

START_TEST(test_open_bad_args)
{
	struct svma_device *dev = (struct svma_device *)&dev;

	ck_assert_int_eq(svma_device_open(NULL, 0, &dev), -EINVAL);
	ck_assert_ptr_null(dev);
	ck_assert_int_eq(svma_device_open("/dev/null", 0, NULL), -EINVAL);
	dev = (struct svma_device *)&dev;
	ck_assert_int_eq(svma_device_open("/dev/null", 1, &dev), -EINVAL);
	ck_assert_ptr_null(dev);
	ck_assert_int_eq(svma_device_open_first(0, NULL), -EINVAL);
	ck_assert_int_eq(svma_device_open_first(1, &dev), -EINVAL);
	ck_assert_int_eq(svma_device_adopt(0, 0, NULL), -EINVAL);
	ck_assert_int_eq(svma_device_adopt(0, ~SVMA_DEVICE_CLOSE_FD, &dev),
			 -EINVAL);
}
END_TEST

START_TEST(test_open_first)
{
	struct svma_device *dev = NULL;
	int ret = svma_device_open_first(0, &dev);

	/* Whatever this machine has, the answer is one of these. */
	if (ret == 0) {
		ck_assert_ptr_nonnull(dev);
		svma_device_close(dev);
		return;
	}
	ck_assert_ptr_null(dev);
	ck_assert_msg(ret == -ENODEV || ret == -EOPNOTSUPP || ret == -EACCES,
		      "unexpected %d (%s)", ret, svma_strerror(ret));
}
END_TEST

START_TEST(test_adopt_pipe_keeps_fd)
{
	struct svma_device *dev = (struct svma_device *)&dev;
	int p[2];

	ck_assert_int_eq(pipe(p), 0);
	ck_assert_int_eq(svma_device_adopt(p[0], 0, &dev), -ENODEV);
	ck_assert_ptr_null(dev);
	ck_assert(fd_is_open(p[0]));
	/* not even when asked to close it: failure leaves it to the caller */
	ck_assert_int_eq(svma_device_adopt(p[0], SVMA_DEVICE_CLOSE_FD, &dev),
			 -ENODEV);
	ck_assert(fd_is_open(p[0]));
	close(p[0]);
	close(p[1]);
}
END_TEST

START_TEST(test_adopt_dev_null)
{
	struct svma_device *dev = NULL;
	int fd = open("/dev/null", O_RDWR);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(svma_device_adopt(fd, 0, &dev), -ENODEV);
	ck_assert(fd_is_open(fd));
	close(fd);
}
END_TEST

START_TEST(test_adopt_bad_fd)
{
	struct svma_device *dev = NULL;
	int fd = open("/dev/null", O_RDONLY);

	ck_assert_int_eq(svma_device_adopt(-1, 0, &dev), -EBADF);
	close(fd);
	ck_assert_int_eq(svma_device_adopt(fd, 0, &dev), -EBADF);
	ck_assert_ptr_null(dev);
}
END_TEST

START_TEST(test_probe)
{
	int fd = open("/dev/null", O_RDONLY);

	ck_assert_int_eq(svma_probe_fd(-1), -EBADF);
	ck_assert_int_eq(svma_probe_fd(fd), -ENODEV);
	ck_assert_int_eq(svma_probe_fd(STDIN_FILENO) < 0, 1);
	close(fd);
	ck_assert_int_eq(svma_probe_fd(fd), -EBADF);
}
END_TEST

START_TEST(test_null_device)
{
	struct svma_device_info info;

	svma_device_close(NULL);
	ck_assert_int_eq(svma_device_fd(NULL), -EINVAL);
	ck_assert_int_eq(svma_device_get_info(NULL, &info, sizeof(info)),
			 -EINVAL);
	ck_assert_int_eq(svma_dispatch(NULL), -EINVAL);
	ck_assert_int_eq(svma_wait(NULL, 0), -EINVAL);
	ck_assert_int_eq(svma_set_revoke_handler(NULL, NULL, NULL), -EINVAL);
	ck_assert_int_eq(svma_set_event_fallback(NULL, NULL, NULL), -EINVAL);
	ck_assert_int_eq(svma_query(NULL, NULL, TEST_PAGE, NULL, 0), -EINVAL);
	ck_assert_int_eq(svma_range_query(NULL, NULL, 0), -EINVAL);
	ck_assert_int_eq(svma_range_release(NULL, 0), -EINVAL);
	ck_assert_int_eq(svma_range_reacquire(NULL, 0, NULL, 0), -EINVAL);
}
END_TEST

START_TEST(test_ioctl_wrapper)
{
	struct drm_svm_info info = { 0 };
	int fd = open("/dev/null", O_RDONLY);

	/* -errno, never -1 */
	ck_assert_int_eq(svma_ioctl(fd, DRM_SVM_IOCTL_INFO, &info), -ENOTTY);
	ck_assert_int_eq(svma_ioctl(-1, DRM_SVM_IOCTL_INFO, &info), -EBADF);
	close(fd);
}
END_TEST

START_TEST(test_create_rejects_bad_page_size)
{
	struct svma_device *dev = NULL;

	ck_assert_int_eq(svma_device_create(0, false, 1, 0, NULL, &dev),
			 -EPROTO);
	ck_assert_int_eq(svma_device_create(0, false, 1, 4095, NULL, &dev),
			 -EPROTO);
	ck_assert_ptr_null(dev);
}
END_TEST

Suite *suite_nodevice(void)
{
	Suite *s = suite_create("nodevice");
	TCase *tc = tcase_create("open");

	tcase_add_test(tc, test_open_missing_path);
	tcase_add_test(tc, test_open_not_drm);
	tcase_add_test(tc, test_open_regular_file);
	tcase_add_test(tc, test_open_bad_args);
	tcase_add_test(tc, test_open_first);
	tcase_add_test(tc, test_adopt_pipe_keeps_fd);
	tcase_add_test(tc, test_adopt_dev_null);
	tcase_add_test(tc, test_adopt_bad_fd);
	tcase_add_test(tc, test_probe);
	tcase_add_test(tc, test_null_device);
	tcase_add_test(tc, test_ioctl_wrapper);
	tcase_add_test(tc, test_create_rejects_bad_page_size);
	suite_add_tcase(s, tc);
	return s;
}
