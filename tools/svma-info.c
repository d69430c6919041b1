// SPDX-License-Identifier: MIT
/*
 * svma-info: which DRM devices offer device-exclusive SVM, their limits,
 * and this process's budget; and, when none does, why.
 *
 * Copyright 2026 The svmatomic authors
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <linux/capability.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <xf86drm.h>

#include <svmatomic.h>
#include "uapi/drm/drm_svm.h"

#define MAX_NODES	64
#define MAX_PATH	256

/* What the scan found, for the verdict at the end. */
struct verdict {
	int nodes;
	int capable;
	int denied;
	int no_series;		/* vsvm, but it creates no context */
	int no_driver;		/* a driver that does not offer it */
};

static bool has_cap_ipc_lock(void)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[2];

	if (syscall(SYS_capget, &hdr, data))
		return false;
	return data[CAP_IPC_LOCK / 32].effective & (1u << (CAP_IPC_LOCK % 32));
}

static void print_size(const char *label, rlim_t bytes)
{
	if (bytes == RLIM_INFINITY)
		printf("%s unlimited", label);
	else if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0)
		printf("%s %llu MiB", label, (unsigned long long)bytes >> 20);
	else
		printf("%s %llu KiB", label, (unsigned long long)bytes >> 10);
}

static void print_memlock(bool cap)
{
	struct rlimit rl;

	printf("memlock:  ");
	if (getrlimit(RLIMIT_MEMLOCK, &rl)) {
		printf("RLIMIT_MEMLOCK unknown: %s\n", strerror(errno));
		return;
	}
	print_size("RLIMIT_MEMLOCK", rl.rlim_cur);
	print_size(" (hard", rl.rlim_max);
	printf(")");
	if (cap)
		printf(", CAP_IPC_LOCK: held pages are not charged");
	printf("\n");
}

/* Pages this process may hold on a device: the smaller of both limits. */
static void print_budget(const struct svma_device_info *info, bool cap)
{
	uint64_t pages = info->max_pages;
	struct rlimit rl;

	if (!cap && getrlimit(RLIMIT_MEMLOCK, &rl) == 0 &&
	    rl.rlim_cur != RLIM_INFINITY &&
	    rl.rlim_cur / info->page_size < pages)
		pages = rl.rlim_cur / info->page_size;
	printf("    budget:    %" PRIu64 " pages (%" PRIu64 " KiB) for this "
	       "process, %s\n", pages, pages * info->page_size / 1024,
	       pages == info->max_pages ? "the device's cap" :
	       "limited by RLIMIT_MEMLOCK");
}

/* @also: the device's other nodes, or NULL */
static void describe(const char *path, const char *also, bool cap,
		     struct verdict *v)
{
	struct svma_device_info info;
	struct drm_svm_info kinfo;
	struct svma_device *dev;
	drmVersionPtr ver;
	bool vsvm = false;
	int fd, ret;

	v->nodes++;
	printf("%s", path);
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		printf(": cannot open: %s%s\n", strerror(errno),
		       errno == EACCES || errno == EPERM ?
		       " (permissions: a member of the node's group, often"
		       " \"render\", may open it)" : "");
		v->denied += errno == EACCES || errno == EPERM;
		return;
	}
	ver = drmGetVersion(fd);
	if (ver) {
		printf(": %s (%s), driver %d.%d.%d", ver->name, ver->desc,
		       ver->version_major, ver->version_minor,
		       ver->version_patchlevel);
		vsvm = ver->name && strcmp(ver->name, "vsvm") == 0;
	}
	printf("\n");
	drmFreeVersion(ver);
	if (also)
		printf("    also:      %s\n", also);

	/*
	 * A driver offers device-exclusive SVM through a context creation
	 * ioctl of its own, which the library knows for the drivers that
	 * have one: creating a context is the test. The library answers
	 * -EOPNOTSUPP for a driver it does not list, and for a listed
	 * driver whose kernel does not know the ioctl (DRM's -EINVAL): vsvm
	 * exists only with the series, so there the kernel lacks the series
	 * (or has one before uAPI 3, without contexts).
	 */
	ret = svma_device_adopt(fd, SVMA_DEVICE_CLOSE_FD, &dev);
	if ((ret == -EOPNOTSUPP || ret == -EINVAL) && vsvm) {
		printf("    capable:   no, the vsvm driver creates no SVM "
		       "context (%s): the kernel lacks the svmatomic series "
		       "(uAPI %d)\n", svma_strerror(ret),
		       DRM_SVM_UAPI_VERSION);
		v->no_series++;
		close(fd);
		return;
	}
	if (ret == -EOPNOTSUPP || ret == -EINVAL) {
		printf("    capable:   no, the driver does not offer "
		       "device-exclusive SVM\n");
		v->no_driver++;
		close(fd);
		return;
	}
	if (ret) {
		printf("    capable:   no: %s\n", svma_strerror(ret));
		close(fd);
		return;
	}
	ret = svma_device_get_info(dev, &info, sizeof(info));
	if (ret) {
		printf("    capable:   a context, but: %s\n",
		       svma_strerror(ret));
		svma_device_close(dev);
		return;
	}
	v->capable++;
	printf("    capable:   yes, uAPI %" PRIu32 "\n", info.uapi_version);
	printf("    limits:    %" PRIu32 " ranges, %" PRIu64 " pages (%"
	       PRIu64 " MiB) per context; page %" PRIu32 " bytes\n",
	       info.max_ranges, info.max_pages,
	       info.max_pages * info.page_size >> 20, info.page_size);
	/*
	 * uAPI 1 has no hold time; the library reports 0 for it there. The
	 * waits are this context's (its fdinfo), so 0 here: what the tool
	 * shows is that the kernel counts them.
	 */
	if (info.max_hold_us)
		printf("    hold:      up to %" PRIu32 " us per range; %" PRIu64
		       " CPU accesses waited, %" PRIu64 " ns in all\n",
		       info.max_hold_us, info.hold_waits, info.hold_wait_ns);
	else
		printf("    hold:      not supported by this kernel\n");
	/* The kernel's size, not this program's idea of it: the context's. */
	memset(&kinfo, 0, sizeof(kinfo));
	if (drmIoctl(svma_device_fd(dev), DRM_SVM_IOCTL_INFO, &kinfo) == 0)
		printf("    events:    %" PRIu32 " bytes each, one armed per "
		       "range\n", kinfo.event_size);
	else
		printf("    events:    size unknown: %s\n", strerror(errno));
	print_budget(&info, cap);
	svma_device_close(dev);
}

/* The nodes described so far, so that none is described twice. */
struct node_list {
	int n;
	char path[MAX_NODES][MAX_PATH];
};

static bool seen(const struct node_list *nodes, const char *path)
{
	int i;

	for (i = 0; i < nodes->n; i++)
		if (strcmp(nodes->path[i], path) == 0)
			return true;
	return false;
}

static void remember(struct node_list *nodes, const char *path)
{
	/* a longer path is no DRM node's; at worst it is described twice */
	if (nodes->n < MAX_NODES && strlen(path) < MAX_PATH)
		strcpy(nodes->path[nodes->n++], path);
}

static int is_render_node(const struct dirent *e)
{
	return strncmp(e->d_name, "renderD", 7) == 0;
}

static void usage(FILE *f)
{
	fprintf(f, "Usage: svma-info [-h] [-V]\n"
		"List the DRM devices, whether each offers device-exclusive "
		"shared virtual\nmemory (libsvmatomic), its limits and this "
		"process's memlock budget.\n\n"
		"  -h, --help     this help\n"
		"  -V, --version  the library and uAPI versions\n\n"
		"Exit status: 0 when a capable device was found, 1 when none "
		"was, 2 on bad usage.\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	static struct node_list nodes;
	drmDevicePtr devices[MAX_NODES];
	struct verdict v = { 0 };
	struct dirent **names;
	int c, i, n;
	bool cap;

	while ((c = getopt_long(argc, argv, "hV", opts, NULL)) != -1) {
		switch (c) {
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("svma-info: libsvmatomic %s (built with %d.%d.%d), "
			       "uAPI %d\n", svma_version_string(),
			       SVMA_VERSION_MAJOR, SVMA_VERSION_MINOR,
			       SVMA_VERSION_MICRO, DRM_SVM_UAPI_VERSION);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}

	cap = has_cap_ipc_lock();
	printf("library:  libsvmatomic %s (built with %d.%d.%d), uAPI %d\n",
	       svma_version_string(), SVMA_VERSION_MAJOR, SVMA_VERSION_MINOR,
	       SVMA_VERSION_MICRO, DRM_SVM_UAPI_VERSION);
	print_memlock(cap);
	printf("\n");

	/*
	 * What libdrm knows, one device at a time through its render node
	 * (else its primary node); then render nodes it does not list.
	 */
	n = drmGetDevices2(0, devices, MAX_NODES);
	for (i = 0; i < n && nodes.n + 2 <= MAX_NODES; i++) {
		drmDevicePtr d = devices[i];
		bool render = d->available_nodes & (1 << DRM_NODE_RENDER);
		bool primary = d->available_nodes & (1 << DRM_NODE_PRIMARY);

		if (!render && !primary)
			continue;
		if (render && primary) {
			remember(&nodes, d->nodes[DRM_NODE_RENDER]);
			remember(&nodes, d->nodes[DRM_NODE_PRIMARY]);
			describe(d->nodes[DRM_NODE_RENDER],
				 d->nodes[DRM_NODE_PRIMARY], cap, &v);
		} else {
			int type = render ? DRM_NODE_RENDER : DRM_NODE_PRIMARY;

			remember(&nodes, d->nodes[type]);
			describe(d->nodes[type], NULL, cap, &v);
		}
	}
	if (n > 0)
		drmFreeDevices(devices, n);

	n = scandir(DRM_DIR_NAME, &names, is_render_node, alphasort);
	for (i = 0; i < n; i++) {
		char path[300];

		snprintf(path, sizeof(path), "%s/%s", DRM_DIR_NAME,
			 names[i]->d_name);
		if (!seen(&nodes, path) && nodes.n < MAX_NODES) {
			remember(&nodes, path);
			describe(path, NULL, cap, &v);
		}
		free(names[i]);
	}
	if (n >= 0)
		free(names);

	if (v.nodes)
		printf("\n");
	if (v.capable) {
		printf("%d capable device%s\n", v.capable,
		       v.capable == 1 ? "" : "s");
		return 0;
	}
	printf("no capable device: ");
	if (!v.nodes)
		printf("no DRM device node under %s (no GPU, no vsvm; "
		       "a kernel with the svmatomic series has CONFIG_DRM_VSVM)\n",
		       DRM_DIR_NAME);
	else if (v.no_series)
		printf("the kernel lacks the svmatomic series (uAPI %d: "
		       "contexts)\n", DRM_SVM_UAPI_VERSION);
	else if (v.no_driver)
		printf("no driver here offers it (vsvm does: CONFIG_DRM_VSVM)\n");
	else if (v.denied)
		printf("the nodes could not be opened (permissions)\n");
	else
		printf("none of the nodes is capable\n");
	return 1;
}
