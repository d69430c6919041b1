// SPDX-License-Identifier: MIT
/*
 * Finding the first capable render node.
 *
 * Copyright 2026 The svmatomic authors
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xf86drm.h>

#include "internal.h"

struct discovery {
	bool saw_node;
	bool denied;
	bool not_capable;
	int other_error;
};

/* 1 and *devp set: found; 0: keep looking; <0: stop with that error */
static int try_node(struct discovery *d, const char *path,
		    struct svma_device **devp)
{
	int ret;

	d->saw_node = true;
	ret = svma_device_open(path, 0, devp);
	switch (ret) {
	case 0:
		return 1;
	case -ENOMEM:
		return ret;
	case -EACCES:
	case -EPERM:
		d->denied = true;
		return 0;
	case -EOPNOTSUPP:
		d->not_capable = true;
		return 0;
	case -ENODEV:
	case -ENOENT:
	case -ENXIO:
		return 0;
	default:
		d->other_error = ret;
		return 0;
	}
}

static int try_libdrm(struct discovery *d, struct svma_device **devp)
{
	drmDevicePtr *devices;
	int i, n, ret = 0;

	n = drmGetDevices2(0, NULL, 0);
	if (n <= 0)
		return 0;
	devices = calloc((size_t)n, sizeof(*devices));
	if (!devices)
		return -ENOMEM;
	n = drmGetDevices2(0, devices, n);
	for (i = 0; i < n && ret == 0; i++) {
		if (devices[i]->available_nodes & (1 << DRM_NODE_RENDER))
			ret = try_node(d, devices[i]->nodes[DRM_NODE_RENDER],
				       devp);
	}
	if (n > 0)
		drmFreeDevices(devices, n);
	free(devices);
	return ret;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int is_render_node(const struct dirent *e)
{
	return strncmp(e->d_name, "renderD", 7) == 0;
}

/*
 * drmGetDevices2() lists only devices on a bus it can parse; a virtual
 * device (vgem, vsvm) may be missing, so look at the nodes themselves.
 * Nodes already tried are tried again, which costs one open.
 */
static int try_dev_dri(struct discovery *d, struct svma_device **devp)
{
	struct dirent **names;
	char path[sizeof(DRM_DIR_NAME) + 1 + sizeof(names[0]->d_name)];
	int i, n, ret = 0;

	n = scandir(DRM_DIR_NAME, &names, is_render_node, by_name);
	if (n < 0)
		return 0;
	for (i = 0; i < n; i++) {
		if (ret == 0) {
			snprintf(path, sizeof(path), "%s/%s", DRM_DIR_NAME,
				 names[i]->d_name);
			ret = try_node(d, path, devp);
		}
		free(names[i]);
	}
	free(names);
	return ret;
}

SVMA_API int svma_device_open_first(unsigned int flags,
				    struct svma_device **devp)
{
	struct discovery d = { 0 };
	int ret;

	if (devp)
		*devp = NULL;
	if (!devp || flags)
		return -EINVAL;

	ret = try_libdrm(&d, devp);
	if (ret == 0)
		ret = try_dev_dri(&d, devp);
	if (ret > 0)
		return 0;
	if (ret < 0)
		return ret;

	if (!d.saw_node)
		return -ENODEV;
	if (d.denied)
		return -EACCES;
	if (d.not_capable)
		return -EOPNOTSUPP;
	return d.other_error ? d.other_error : -ENODEV;
}
