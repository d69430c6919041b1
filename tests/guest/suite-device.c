// SPDX-License-Identifier: MIT
/*
 * Devices against the real kernel: open, discovery, adopt, close (with
 * ranges held), info, probe, versions and strings.
 *
 * Copyright 2026 The svmatomic authors
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <xf86drm.h>

#include "guest-common.h"

static void assert_is_vsvm(int fd)
{
	drmVersionPtr ver = drmGetVersion(fd);

	ck_assert_ptr_nonnull(ver);
	ck_assert_str_eq(ver->name, "vsvm");
	drmFreeVersion(ver);
}

/* The fd count of this process: what a call must leave as it found. */
static int count_fds(void)
{
	struct dirent *de;
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	ck_assert_ptr_nonnull(d);
	while ((de = readdir(d)))
		n += de->d_name[0] != '.';
	closedir(d);
	return n - 1;	/* opendir's own */
}

START_TEST(test_open_path)
{
	struct svma_device *dev = open_vsvm();
	int fd = svma_device_fd(dev), drm_fd = svma_device_drm_fd(dev);
	uint64_t handles = 99;

	ck_assert_int_ge(fd, 0);
	ck_assert_int_ge(drm_fd, 0);
	ck_assert_int_ne(fd, drm_fd);
	assert_is_vsvm(drm_fd);
	/* the DRM fd: opened close-on-exec and non-blocking, as documented */
	ck_assert_int_ne(fcntl(drm_fd, F_GETFD) & FD_CLOEXEC, 0);
	ck_assert_int_ne(fcntl(drm_fd, F_GETFL) & O_NONBLOCK, 0);
	/* the context: the same, and no DRM file (its fdinfo says what) */
	ck_assert_int_ne(fcntl(fd, F_GETFD) & FD_CLOEXEC, 0);
	ck_assert_int_ne(fcntl(fd, F_GETFL) & O_NONBLOCK, 0);
	ck_assert_int_lt(drmGetNodeTypeFromFd(fd), 0);
	ck_assert_int_eq(vsvm_fdinfo(fd, "svm-handles", &handles), 0);
	ck_assert_uint_eq(handles, 0);
	svma_device_close(dev);
	ck_assert_int_eq(fcntl(fd, F_GETFD), -1);
	ck_assert_int_eq(errno, EBADF);
	ck_assert_int_eq(fcntl(drm_fd, F_GETFD), -1);
	ck_assert_int_eq(errno, EBADF);
}
END_TEST

START_TEST(test_open_errors)
{
	struct svma_device *dev = (struct svma_device *)&dev;

	ck_assert_int_eq(svma_device_open(NULL, 0, &dev), -EINVAL);
	ck_assert_ptr_null(dev);
	ck_assert_int_eq(svma_device_open(vsvm_path, 0, NULL), -EINVAL);
	ck_assert_int_eq(svma_device_open(vsvm_path, 1, &dev), -EINVAL);
	ck_assert_int_eq(svma_device_open("/dev/dri/renderD999", 0, &dev),
			 -ENOENT);
	ck_assert_int_eq(svma_device_open("/dev/null", 0, &dev), -ENODEV);
	ck_assert_int_eq(svma_device_open("/tmp", 0, &dev), -EISDIR);
	ck_assert_ptr_null(dev);
}
END_TEST

START_TEST(test_open_first_finds_vsvm)
{
	struct svma_device *dev = (struct svma_device *)&dev;

	ck_assert_int_eq(svma_device_open_first(1, &dev), -EINVAL);
	ck_assert_ptr_null(dev);
	ck_assert_int_eq(svma_device_open_first(0, NULL), -EINVAL);
	ck_assert_int_eq(svma_device_open_first(0, &dev), 0);
	ck_assert_ptr_nonnull(dev);
	assert_is_vsvm(svma_device_drm_fd(dev));
	svma_device_close(dev);
}
END_TEST

START_TEST(test_probe_fd)
{
	int fd, nullfd, nfds;

	fd = open(vsvm_path, O_RDWR | O_CLOEXEC);
	ck_assert_int_ge(fd, 0);
	/* it creates a context to learn the version, and closes it */
	nfds = count_fds();
	ck_assert_int_eq(svma_device_probe(fd), DRM_SVM_UAPI_VERSION);
	ck_assert_int_eq(count_fds(), nfds);
	nullfd = open("/dev/null", O_RDWR | O_CLOEXEC);
	ck_assert_int_ge(nullfd, 0);
	ck_assert_int_eq(svma_device_probe(nullfd), -ENODEV);
	ck_assert_int_eq(svma_device_probe(-1), -EBADF);
	close(nullfd);
	ck_assert_int_eq(svma_device_probe(nullfd), -EBADF);
	close(fd);
}
END_TEST

START_TEST(test_info)
{
	struct svma_device *dev = open_vsvm();
	struct svma_device_info info;
	struct svma_range *r;
	void *buf = map_pages(3);

	memset(&info, 0xff, sizeof(info));
	ck_assert_int_eq(svma_device_get_info(dev, &info, sizeof(info)), 0);
	ck_assert_uint_eq(info.uapi_version, DRM_SVM_UAPI_VERSION);
	ck_assert_uint_eq(info.page_size, pgsz);
	ck_assert_uint_ge(info.max_ranges, 300);
	ck_assert_uint_eq(info.ranges, 0);
	ck_assert_uint_ge(info.max_pages, 1024);
	ck_assert_uint_eq(info.pages, 0);

	r = acquire(dev, buf, 3, 1);
	ck_assert_int_eq(svma_device_get_info(dev, &info, sizeof(info)), 0);
	ck_assert_uint_eq(info.ranges, 1);
	ck_assert_uint_eq(info.pages, 3);
	ck_assert_int_eq(svma_range_release(r, 0), 0);
	ck_assert_int_eq(svma_device_get_info(dev, &info, sizeof(info)), 0);
	ck_assert_uint_eq(info.ranges, 0);
	ck_assert_uint_eq(info.pages, 0);

	svma_device_close(dev);
	unmap_pages(buf, 3);
}
END_TEST

START_TEST(test_info_size)
{
	struct svma_device *dev = open_vsvm();
	unsigned char big[sizeof(struct svma_device_info) + 16];
	struct svma_device_info info;
	size_t i;

	ck_assert_int_eq(svma_device_get_info(NULL, &info, sizeof(info)),
			 -EINVAL);
	ck_assert_int_eq(svma_device_get_info(dev, NULL, sizeof(info)),
			 -EINVAL);
	/* below 0.1's 32 bytes */
	ck_assert_int_eq(svma_device_get_info(dev, &info, 31), -EINVAL);
	/* a newer caller's larger struct: what we do not know is zeroed */
	memset(big, 0xff, sizeof(big));
	ck_assert_int_eq(svma_device_get_info(dev, (void *)big, sizeof(big)),
			 0);
	for (i = sizeof(info); i < sizeof(big); i++)
		ck_assert_uint_eq(big[i], 0);
	memcpy(&info, big, sizeof(info));
	ck_assert_uint_eq(info.page_size, pgsz);
	svma_device_close(dev);
}
END_TEST

START_TEST(test_fd)
{
	ck_assert_int_eq(svma_device_fd(NULL), -EINVAL);
	ck_assert_int_eq(svma_device_drm_fd(NULL), -EINVAL);
	svma_device_close(NULL);	/* a no-op */
}
END_TEST

/* Handles the kernel says the context @fd holds, whoever acquired them. */
static uint32_t kernel_handles(int fd)
{
	struct drm_svm_info info;

	memset(&info, 0, sizeof(info));
	ck_assert_int_eq(ioctl(fd, DRM_SVM_IOCTL_INFO, &info), 0);
	return info.handles;
}

START_TEST(test_adopt_keeps_fd)
{
	struct svma_device *dev = (struct svma_device *)&dev, *other;
	void *buf = map_pages(4);
	uint64_t old;
	int fd, ctx;

	fd = open(vsvm_path, O_RDWR | O_CLOEXEC);	/* blocking */
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(svma_device_adopt(fd, 2, &dev), -EINVAL);
	ck_assert_ptr_null(dev);
	ck_assert_int_eq(svma_device_adopt(fd, 0, NULL), -EINVAL);
	ck_assert_int_eq(svma_device_adopt(fd, 0, &dev), 0);
	/* the DRM fd is the one given; the events come on a context */
	ck_assert_int_eq(svma_device_drm_fd(dev), fd);
	ctx = svma_device_fd(dev);
	ck_assert_int_ge(ctx, 0);
	ck_assert_int_ne(ctx, fd);

	acquire(dev, buf, 2, 1);
	acquire(dev, PAGE(buf, 2), 2, 2);
	ck_assert_int_eq(dev_op(dev, DRM_VSVM_OP_ADD, PAGE(buf, 3), 8, 5, 0,
				0, &old), 0);
	ck_assert_uint_eq(kernel_handles(ctx), 2);
	/* nothing pending: a dispatch must not block */
	ck_assert_int_eq(svma_device_dispatch(dev), 0);

	svma_device_close(dev);
	/* the DRM fd is still ours, the context is gone ... */
	ck_assert_int_ne(fcntl(fd, F_GETFD), -1);
	ck_assert_int_eq(fcntl(ctx, F_GETFD), -1);
	/* ... and the ranges were released */
	other = open_vsvm();
	ck_assert_uint_eq(page_state(other, PAGE(buf, 3)) & SVMA_PAGE_EXCLUSIVE,
			  0);
	ck_assert_uint_eq(*(uint64_t *)PAGE(buf, 3), 5);
	svma_device_close(other);
	/* and the fd can be adopted again */
	ck_assert_int_eq(svma_device_adopt(fd, 0, &dev), 0);
	ck_assert_uint_eq(kernel_handles(svma_device_fd(dev)), 0);
	svma_device_close(dev);
	close(fd);
	unmap_pages(buf, 4);
}
END_TEST

START_TEST(test_adopt_close_fd)
{
	struct svma_device *dev;
	void *buf = map_pages(1);
	int fd;

	fd = open(vsvm_path, O_RDWR | O_CLOEXEC | O_NONBLOCK);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(svma_device_adopt(fd, SVMA_DEVICE_CLOSE_FD, &dev), 0);
	acquire(dev, buf, 1, 1);
	svma_device_close(dev);
	ck_assert_int_eq(fcntl(fd, F_GETFD), -1);
	unmap_pages(buf, 1);
}
END_TEST

START_TEST(test_adopt_errors)
{
	struct svma_device *dev = (struct svma_device *)&dev, *other;
	int fd;

	ck_assert_int_eq(svma_device_adopt(-1, 0, &dev), -EBADF);
	ck_assert_ptr_null(dev);
	fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(svma_device_adopt(fd, SVMA_DEVICE_CLOSE_FD, &dev),
			 -ENODEV);
	/* never closed on failure */
	ck_assert_int_ne(fcntl(fd, F_GETFD), -1);
	close(fd);
	/* a context is not a DRM device */
	other = open_vsvm();
	ck_assert_int_eq(svma_device_adopt(svma_device_fd(other), 0, &dev),
			 -ENODEV);
	ck_assert_ptr_null(dev);
	ck_assert_int_eq(svma_device_probe(svma_device_fd(other)), -ENODEV);
	svma_device_close(other);
}
END_TEST

/*
 * Closing a device with ranges held releases them eagerly: the pages are
 * the CPU's again, writable, with what the device wrote.
 */
START_TEST(test_close_with_ranges)
{
	struct svma_device *dev = open_vsvm(), *other = open_vsvm();
	void *buf = map_pages(6);
	uint8_t st[6];
	int i;

	acquire(dev, buf, 1, 1);
	acquire(dev, PAGE(buf, 1), 2, 2);
	acquire(dev, PAGE(buf, 3), 3, 3);
	for (i = 0; i < 6; i++)
		ck_assert_int_eq(dev_op(dev, DRM_VSVM_OP_ADD, PAGE(buf, i), 8,
					(uint64_t)i + 10, 0, 0, NULL), 0);
	query(other, buf, 6, st);
	for (i = 0; i < 6; i++)
		ck_assert_uint_eq(st[i], SVMA_PAGE_PRESENT |
				  SVMA_PAGE_WRITABLE | SVMA_PAGE_EXCLUSIVE);

	svma_device_close(dev);
	query(other, buf, 6, st);
	for (i = 0; i < 6; i++)
		ck_assert_uint_eq(st[i], SVMA_PAGE_PRESENT |
				  SVMA_PAGE_WRITABLE);
	for (i = 0; i < 6; i++)
		ck_assert_uint_eq(*(uint64_t *)PAGE(buf, i), (uint64_t)i + 10);
	svma_device_close(other);
	unmap_pages(buf, 6);
}
END_TEST

/*
 * The same while a forked child still has the fds open (so the kernel
 * does not release the context): the close must release every range
 * itself.
 */
START_TEST(test_close_with_ranges_fd_shared)
{
	struct svma_device *dev = open_vsvm(), *other = open_vsvm();
	void *buf = map_pages(2);
	int go[2], status;
	uint8_t st[2];
	pid_t pid;

	ck_assert_int_eq(pipe(go), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		char c;

		/* keeps the inherited fds open until told */
		close(go[1]);
		_exit(read(go[0], &c, 1) == 0 ? 0 : 1);
	}
	close(go[0]);
	/* acquired after the fork: the child's COW does not revoke them */
	acquire(dev, buf, 2, 1);
	svma_device_close(dev);
	query(other, buf, 2, st);
	ck_assert_uint_eq(st[0], SVMA_PAGE_PRESENT | SVMA_PAGE_WRITABLE);
	ck_assert_uint_eq(st[1], SVMA_PAGE_PRESENT | SVMA_PAGE_WRITABLE);
	close(go[1]);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	svma_device_close(other);
	unmap_pages(buf, 2);
}
END_TEST

/*
 * Two devices opened on the same node in one process are independent:
 * each has its own ranges, limits' usage and events. Acquiring a page
 * the other holds takes it from there, which reports CPU_ACCESS (the
 * acquire faults the page back to the CPU first).
 */
START_TEST(test_two_devices_independent)
{
	struct svma_device *a = open_vsvm(), *b = open_vsvm();
	struct recorder ra, rb;
	struct svma_device_info ia, ib;
	struct svma_range *r1, *r2, *r3;
	char *buf = map_pages(4);
	uint8_t st;

	record(a, &ra);
	record(b, &rb);
	ck_assert_int_ne(svma_device_fd(a), svma_device_fd(b));
	r1 = acquire(a, buf, 2, 1);
	r2 = acquire(b, PAGE(buf, 2), 2, 2);
	/* each counts its own */
	ck_assert_int_eq(svma_device_get_info(a, &ia, sizeof(ia)), 0);
	ck_assert_int_eq(svma_device_get_info(b, &ib, sizeof(ib)), 0);
	ck_assert_uint_eq(ia.ranges, 1);
	ck_assert_uint_eq(ia.pages, 2);
	ck_assert_uint_eq(ib.ranges, 1);
	ck_assert_uint_eq(ib.pages, 2);
	/* each sees its own pages held, the other's only exclusive */
	ck_assert_uint_eq(page_state(a, buf) & SVMA_PAGE_HELD, SVMA_PAGE_HELD);
	st = page_state(a, PAGE(buf, 2));
	ck_assert_uint_eq(st & (SVMA_PAGE_HELD | SVMA_PAGE_EXCLUSIVE),
			  SVMA_PAGE_EXCLUSIVE);
	st = page_state(b, buf);
	ck_assert_uint_eq(st & (SVMA_PAGE_HELD | SVMA_PAGE_EXCLUSIVE),
			  SVMA_PAGE_EXCLUSIVE);
	/* the device reaches a page through its own context only */
	ck_assert_int_eq(dev_op(a, DRM_VSVM_OP_ADD, PAGE(buf, 2), 8, 1, 0, 0,
				NULL), -ENXIO);
	ck_assert_int_eq(dev_op(b, DRM_VSVM_OP_ADD, PAGE(buf, 2), 8, 1, 0, 0,
				NULL), 0);

	/* b acquiring a page a holds takes it from a, as a CPU access */
	r3 = acquire(b, PAGE(buf, 1), 1, 3);
	ck_assert_int_eq(dispatch_until(a, &ra, 1, 0, 5000), 1);
	ck_assert_int_eq(ra.n, 1);
	ck_assert_ptr_eq(ra.ev[0].range, r1);
	ck_assert_ptr_eq(ra.ev[0].addr, PAGE(buf, 1));
	ck_assert_uint_eq(ra.ev[0].length, pgsz);
	ck_assert_uint_eq(ra.ev[0].reasons, SVMA_REASON_CPU_ACCESS);
	ck_assert_int_eq(svma_range_is_revoked(r1), 1);
	ck_assert_uint_eq(page_state(a, PAGE(buf, 1)) &
			  (SVMA_PAGE_HELD | SVMA_PAGE_REVOKED),
			  SVMA_PAGE_REVOKED);
	ck_assert_uint_eq(page_state(a, buf) & SVMA_PAGE_HELD, SVMA_PAGE_HELD);
	ck_assert_uint_eq(page_state(b, PAGE(buf, 1)) & SVMA_PAGE_HELD,
			  SVMA_PAGE_HELD);
	ck_assert_int_eq(svma_device_wait(b, 0), 0);
	ck_assert_int_eq(dispatch_until(b, &rb, 0, 0, 100), 0);
	ck_assert_int_eq(rb.n + rb.foreign, 0);

	/* a CPU touch of b's page: b's event, nothing for a */
	cpu_touch(PAGE(buf, 3));
	ck_assert_int_eq(dispatch_until(b, &rb, 1, 0, 5000), 1);
	ck_assert_ptr_eq(rb.ev[0].range, r2);
	ck_assert_ptr_eq(rb.ev[0].addr, PAGE(buf, 3));
	ck_assert_uint_eq(rb.ev[0].reasons, SVMA_REASON_CPU_ACCESS);
	ck_assert_int_eq(dispatch_until(a, &ra, 2, 0, 100), 0);
	ck_assert_int_eq(ra.n + ra.foreign, 1);

	/* closing one leaves the other's ranges alone */
	svma_device_close(a);
	ck_assert_uint_eq(page_state(b, PAGE(buf, 1)) & SVMA_PAGE_HELD,
			  SVMA_PAGE_HELD);
	ck_assert_uint_eq(page_state(b, PAGE(buf, 2)) & SVMA_PAGE_HELD,
			  SVMA_PAGE_HELD);
	ck_assert_uint_eq(page_state(b, buf) & SVMA_PAGE_EXCLUSIVE, 0);
	ck_assert_int_eq(svma_range_release(r3, 0), 0);
	ck_assert_int_eq(svma_range_release(r2, 0), 0);
	svma_device_close(b);
	ck_assert_uint_eq(*(uint64_t *)PAGE(buf, 2), 1);
	unmap_pages(buf, 4);
}
END_TEST

/*
 * The process that opens a device owns it from the start: the kernel
 * binds the context to the opener's address space at creation, not at
 * the first call. A fork child of a device nobody used yet can use it no
 * more than one of a used device (every call fails with -EPERM and
 * consumes nothing), and the parent's first calls, after the child's,
 * work and see the parent's events.
 */
START_TEST(test_opener_owns_device)
{
	struct svma_device *dev = open_vsvm();
	struct recorder rec;
	struct svma_range *r;
	char *buf = map_pages(2);
	int status;
	pid_t pid;

	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		struct svma_device_info info;
		struct drm_svm_query q;
		struct svma_range *cr;
		uint8_t st[2];
		int bad = 0;

		/* the child's own memory: still not its device */
		bad |= (svma_range_acquire(dev, buf, pgsz, 1, 0, NULL, 0, &cr) !=
			-EPERM) << 0;
		bad |= (svma_device_query(dev, buf, 2 * pgsz, st, 2) != -EPERM) << 1;
		bad |= (svma_device_get_info(dev, &info, sizeof(info)) !=
			-EPERM) << 2;
		bad |= (svma_device_dispatch(dev) != -EPERM) << 3;
		bad |= (svma_device_wait(dev, 0) != -EPERM) << 4;
		/* the kernel's answer, not only the library's */
		memset(&q, 0, sizeof(q));
		q.addr = (uintptr_t)buf;
		q.npages = 2;
		q.states_ptr = (uintptr_t)st;
		bad |= !(ioctl(svma_device_fd(dev), DRM_SVM_IOCTL_QUERY, &q) ==
			 -1 && errno == EPERM) << 5;
		bad |= (dev_op(dev, DRM_VSVM_OP_ADD, buf, 8, 1, 0, 0, NULL) !=
			-EPERM) << 6;
		svma_device_close(dev);
		_exit(bad);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		      "the child could use a device it did not open (status %#x)",
		      status);
	/* the parent's first calls */
	record(dev, &rec);
	r = acquire(dev, buf, 2, 5);
	ck_assert_int_eq(dev_op(dev, DRM_VSVM_OP_ADD, buf, 8, 7, 0, 0, NULL),
			 0);
	cpu_touch(PAGE(buf, 1));
	ck_assert_int_eq(dispatch_until(dev, &rec, 1, 0, 5000), 1);
	ck_assert_ptr_eq(rec.ev[0].range, r);
	ck_assert_uint_eq(rec.ev[0].reasons, SVMA_REASON_CPU_ACCESS);
	ck_assert_int_eq(svma_range_release(r, 0), 0);
	svma_device_close(dev);
	ck_assert_uint_eq(*(uint64_t *)buf, 7);
	unmap_pages(buf, 2);
}
END_TEST

START_TEST(test_versions)
{
	char want[32];

	/* the shared library's run-time version is this header's */
	ck_assert_int_eq(svma_major_version(), SVMA_VERSION_MAJOR);
	ck_assert_int_eq(svma_minor_version(), SVMA_VERSION_MINOR);
	ck_assert_int_eq(svma_micro_version(), SVMA_VERSION_MICRO);
	snprintf(want, sizeof(want), "%d.%d.%d", SVMA_VERSION_MAJOR,
		 SVMA_VERSION_MINOR, SVMA_VERSION_MICRO);
	ck_assert_str_eq(svma_version_string(), want);
	ck_assert_int_eq(svma_check_version(SVMA_VERSION_MAJOR,
					    SVMA_VERSION_MINOR,
					    SVMA_VERSION_MICRO), 1);
	ck_assert_int_eq(svma_check_version(SVMA_VERSION_MAJOR + 1, 0, 0), 0);
	ck_assert(SVMA_CHECK_VERSION(0, 1, 0));
}
END_TEST

START_TEST(test_strings)
{
	static const int errs[] = {
		EINVAL, EFAULT, EACCES, EOPNOTSUPP, EBUSY, ENOMEM, ENOSPC,
		EPERM, EPROTO, ENOENT, ENODEV, EBADF, EBADMSG, EMSGSIZE, EPIPE,
		EEXIST, ENXIO, EINTR,
	};
	uint32_t bit;
	size_t i;

	for (i = 0; i < sizeof(errs) / sizeof(errs[0]); i++) {
		ck_assert_ptr_nonnull(svma_strerror(-errs[i]));
		ck_assert_str_eq(svma_strerror(-errs[i]),
				 svma_strerror(errs[i]));
	}
	for (bit = SVMA_REASON_CPU_ACCESS; bit <= SVMA_REASON_OTHER;
	     bit <<= 1)
		ck_assert_str_ne(svma_reason_string(bit), "unknown reason");
	ck_assert_str_eq(svma_reason_string(SVMA_REASON_OTHER << 1),
			 "unknown reason");
}
END_TEST

Suite *suite_device(void)
{
	Suite *s = suite_create("device");
	TCase *tc;

	tc = tcase_create("open");
	tcase_add_test(tc, test_open_path);
	tcase_add_test(tc, test_open_errors);
	tcase_add_test(tc, test_open_first_finds_vsvm);
	tcase_add_test(tc, test_probe_fd);
	tcase_add_test(tc, test_fd);
	suite_add_tcase(s, tc);

	tc = tcase_create("info");
	tcase_add_test(tc, test_info);
	tcase_add_test(tc, test_info_size);
	suite_add_tcase(s, tc);

	tc = tcase_create("adopt");
	tcase_add_test(tc, test_adopt_keeps_fd);
	tcase_add_test(tc, test_adopt_close_fd);
	tcase_add_test(tc, test_adopt_errors);
	suite_add_tcase(s, tc);

	tc = tcase_create("independent");
	tcase_add_test(tc, test_two_devices_independent);
	tcase_add_test(tc, test_opener_owns_device);
	suite_add_tcase(s, tc);

	tc = tcase_create("close");
	tcase_add_test(tc, test_close_with_ranges);
	tcase_add_test(tc, test_close_with_ranges_fd_shared);
	suite_add_tcase(s, tc);

	tc = tcase_create("strings");
	tcase_add_test(tc, test_versions);
	tcase_add_test(tc, test_strings);
	suite_add_tcase(s, tc);

	return s;
}
