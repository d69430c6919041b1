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

/* The driver's creation ioctl, 0 when it has none. */
static int create_ioctl(int drm_fd, unsigned long *request)
{
	drmVersionPtr version;
	size_t i;

	version = drmGetVersion(drm_fd);
	if (!version)
		return errno == ENOMEM ? -ENOMEM : -ENODEV;
	*request = 0;
	for (i = 0; i < sizeof(svma_drivers) / sizeof(svma_drivers[0]); i++) {
		if (version->name &&
		    strcmp(version->name, svma_drivers[i].name) == 0)
			*request = svma_drivers[i].create;
	}
	drmFreeVersion(version);
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
 * The number a context's fdinfo gives for @key ("svm-hold-waits"):
 * 0 and *@value set, -ENOENT when it has no such line, or -errno.
 */
int svma_read_fdinfo(int fd, const char *key, uint64_t *value)
{
	char path[64], *line = NULL;
	size_t cap = 0, klen = strlen(key);
	int ret = -ENOENT;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	while (getline(&line, &cap, f) > 0) {
		if (strncmp(line, key, klen) == 0 && line[klen] == ':') {
			ret = sscanf(line + klen + 1, "%" SCNu64, value) == 1 ?
			      0 : -EPROTO;
			break;
		}
	}
	free(line);
	fclose(f);
	return ret;
}
