// SPDX-License-Identifier: MIT
/*
 * Creating a context on a DRM file, and reading what its fdinfo reports.
 *
 * Copyright 2026 The svmatomic authors
 */
#define _GNU_SOURCE	/* getline() */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xf86drm.h>

#include "internal.h"
#include "uapi/drm/drm_svm.h"
#include "uapi/drm/vsvm_drm.h"

/*
 * A context is created by a driver ioctl, which each driver numbers in its
 * own range (drm_svm.h explains why it is not a core ioctl), so the
 * library knows the drivers that offer it by name, as libdrm's per-driver
 * code does. Every one takes struct drm_svm_context_create.
 */
static const struct {
	const char *name;
	unsigned long create;
} svma_drivers[] = {
	{ "vsvm", DRM_IOCTL_VSVM_SVM_CONTEXT_CREATE },
};

/*
 * The driver's creation ioctl, 0 when it has none. The name is asked for
 * into a buffer of our own rather than through drmGetVersion(), which
 * allocates and, out of memory, fails with whatever errno its cleanup
 * left, which read as "no DRM device". Here nothing is allocated. A name
 * longer than the buffer is no driver of the table.
 */
static int create_ioctl(int drm_fd, unsigned long *request)
{
	struct drm_version version;
	char name[32];
	size_t i;
	int ret;

	memset(&version, 0, sizeof(version));
	version.name = name;
	version.name_len = sizeof(name) - 1;
	ret = svma_ioctl(drm_fd, DRM_IOCTL_VERSION, &version);
	if (ret)
		return -ENODEV;
	*request = 0;
	if (version.name_len >= sizeof(name))
		return 0;
	name[version.name_len] = '\0';
	for (i = 0; i < sizeof(svma_drivers) / sizeof(svma_drivers[0]); i++) {
		if (strcmp(name, svma_drivers[i].name) == 0)
			*request = svma_drivers[i].create;
	}
	return 0;
}

/*
 * A new context on @drm_fd, non-blocking, close-on-exec: its fd, or
 * -EOPNOTSUPP when the driver has none (or an older kernel's does not
 * know the ioctl), or -errno.
 */
int svma_context_create(int drm_fd, uint32_t *version)
{
	struct drm_svm_context_create args;
	unsigned long request;
	int ret;

	ret = create_ioctl(drm_fd, &request);
	if (ret)
		return ret;
	if (!request)
		return -EOPNOTSUPP;

	memset(&args, 0, sizeof(args));
	args.flags = DRM_SVM_CONTEXT_NONBLOCK;
	ret = svma_ioctl(drm_fd, request, &args);
	/* A driver ioctl the kernel does not have: DRM says -EINVAL. */
	if (ret == -EINVAL || ret == -ENOTTY)
		return -EOPNOTSUPP;
	if (ret)
		return ret;
	if (args.fd < 0 || args.version == 0) {
		if (args.fd >= 0)
			close(args.fd);
		return -EPROTO;
	}
	*version = args.version;
	return args.fd;
}

/*
 * The hold counters a context's fdinfo reports, read in one pass: 0 with
 * both set, -ENOENT when a line is missing (not a context), or -errno.
 */
int svma_read_hold_stats(int fd, uint64_t *waits, uint64_t *wait_ns)
{
	char path[64], *line = NULL;
	size_t cap = 0;
	int found = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	while (found != 3 && getline(&line, &cap, f) > 0) {
		if (sscanf(line, "svm-hold-waits: %" SCNu64, waits) == 1)
			found |= 1;
		else if (sscanf(line, "svm-hold-wait-ns: %" SCNu64, wait_ns) == 1)
			found |= 2;
	}
	free(line);
	fclose(f);
	return found == 3 ? 0 : -ENOENT;
}
