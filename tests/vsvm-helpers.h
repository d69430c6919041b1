/* SPDX-License-Identifier: MIT */
/*
 * What the programs that drive vsvm through the raw uAPI share: finding
 * the vsvm render node, creating a device-exclusive SVM context on it,
 * running vsvm's atomic ioctl on a context, and reading a context's
 * fdinfo. Static inline, so that a program includes it and links nothing
 * (tests/guest, tests/fuzz, tests/stress, bench). Needs only the vendored
 * uAPI headers (and libdrm's drm.h, which they include): add
 * -I$(top_srcdir)/include $(LIBDRM_CFLAGS) -I$(top_srcdir)/tests.
 *
 * Every function returns a negative errno on failure and never leaves
 * errno meaningful.
 *
 * Copyright 2026 The svmatomic authors
 */
#ifndef SVMA_VSVM_HELPERS_H
#define SVMA_VSVM_HELPERS_H

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "uapi/drm/drm_svm.h"
#include "uapi/drm/vsvm_drm.h"

/* Whether the DRM file @fd is of driver @driver (by DRM_IOCTL_VERSION). */
static inline int vsvm_drm_is(int fd, const char *driver)
{
	char name[32] = "";
	struct drm_version v;

	memset(&v, 0, sizeof(v));
	v.name_len = sizeof(name) - 1;
	v.name = name;
	if (ioctl(fd, DRM_IOCTL_VERSION, &v))
		return 0;
	return v.name_len == strlen(driver) && strcmp(name, driver) == 0;
}

/*
 * Open the first node under /dev/dri whose name starts with @prefix
 * ("renderD", "card") and whose driver is @driver, with @oflags besides
 * O_RDWR | O_CLOEXEC; its path goes to @path. Returns the fd, or -ENOENT
 * when there is no /dev/dri, -EACCES when some node of the prefix could
 * not be opened and none was @driver's, -ENODEV when none is @driver's.
 */
static inline int vsvm_open_node(const char *prefix, const char *driver,
				 int oflags, char *path, size_t len)
{
	struct dirent **names;
	int i, n, fd = -1, denied = 0;

	n = scandir("/dev/dri", &names, NULL, alphasort);
	if (n < 0)
		return -ENOENT;
	for (i = 0; i < n; i++) {
		if (fd < 0 &&
		    strncmp(names[i]->d_name, prefix, strlen(prefix)) == 0) {
			snprintf(path, len, "/dev/dri/%s", names[i]->d_name);
			fd = open(path, O_RDWR | O_CLOEXEC | oflags);
			if (fd < 0) {
				denied |= errno == EACCES || errno == EPERM;
			} else if (!vsvm_drm_is(fd, driver)) {
				close(fd);
				fd = -1;
			}
		}
		free(names[i]);
	}
	free(names);
	if (fd >= 0)
		return fd;
	return denied ? -EACCES : -ENODEV;
}

/* The vsvm render node, non-blocking: as vsvm_open_node(). */
static inline int vsvm_open(char *path, size_t len)
{
	return vsvm_open_node("renderD", "vsvm", O_NONBLOCK, path, len);
}

/*
 * A new context on the vsvm DRM file @drm_fd (DRM_SVM_CONTEXT_* @flags),
 * close-on-exec: its fd, with the uAPI version in *@version if given.
 * -EOPNOTSUPP when the kernel's vsvm has no contexts (DRM's -EINVAL for
 * a driver ioctl it does not have), or -errno.
 */
static inline int vsvm_context_create(int drm_fd, uint32_t flags,
				      uint32_t *version)
{
	struct drm_svm_context_create args;
	int ret;

	memset(&args, 0, sizeof(args));
	args.flags = flags;
	do {
		ret = ioctl(drm_fd, DRM_IOCTL_VSVM_SVM_CONTEXT_CREATE, &args);
	} while (ret == -1 && errno == EINTR);
	if (ret)
		return errno == EINVAL && !(flags & ~DRM_SVM_CONTEXT_NONBLOCK) ?
		       -EOPNOTSUPP : -errno;
	if (args.fd < 0)
		return -EPROTO;
	if (version)
		*version = args.version;
	return args.fd;
}

/*
 * DRM_IOCTL_VSVM_ATOMIC on the vsvm DRM file @drm_fd for the context
 * @ctx_fd, retried after EINTR when nothing was done: 0 or -errno, with
 * the operations done and the pages re-acquired in *@done and
 * *@reacquired if given.
 */
static inline int vsvm_atomic(int drm_fd, int ctx_fd,
			      struct drm_vsvm_atomic_op *ops, uint32_t count,
			      uint32_t flags, uint32_t *done,
			      uint32_t *reacquired)
{
	struct drm_vsvm_atomic args;
	int ret;

	do {
		memset(&args, 0, sizeof(args));
		args.ops_ptr = (uintptr_t)ops;
		args.count = count;
		args.flags = flags;
		args.ctx_fd = ctx_fd;
		ret = ioctl(drm_fd, DRM_IOCTL_VSVM_ATOMIC, &args);
	} while (ret == -1 && errno == EINTR && !args.done);
	if (done)
		*done = args.done;
	if (reacquired)
		*reacquired = args.reacquired;
	return ret < 0 ? -errno : 0;
}

/*
 * The number the fdinfo of our fd @fd gives for @key (say,
 * "svm-hold-waits"): 0 with *@value set, -ENOENT when it has no
 * such line, or -errno.
 */
static inline int vsvm_fdinfo(int fd, const char *key, uint64_t *value)
{
	char path[64], line[256];
	size_t klen = strlen(key);
	int ret = -ENOENT;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, key, klen) == 0 && line[klen] == ':') {
			ret = sscanf(line + klen + 1, "%" SCNu64, value) == 1 ?
			      0 : -EPROTO;
			break;
		}
	}
	fclose(f);
	return ret;
}

#endif /* SVMA_VSVM_HELPERS_H */
