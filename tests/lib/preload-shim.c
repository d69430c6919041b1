// SPDX-License-Identifier: MIT
/*
 * LD_PRELOAD shim for testing the programs (tools, examples) in ways the
 * machine does not offer on its own. Every behaviour is off unless its
 * environment variable is set:
 *
 *   SVMA_SHIM_STRDUP_FAIL=PREFIX  strdup() of a string starting with
 *                                 PREFIX fails with ENOMEM
 *   SVMA_SHIM_RENDER_NODES=N      scandir("/dev/dri") lists N render
 *                                 nodes that do not exist, renderD200...
 *   SVMA_SHIM_EPOLL_CTL_FAIL=1    epoll_ctl() fails with EPERM
 *   SVMA_SHIM_EPOLL_LEAKS=1       at exit, an epoll fd still open fails
 *                                 the process (exit status 97)
 *   SVMA_SHIM_EVENT_SIZE=N        DRM_SVM_IOCTL_INFO reports event_size N
 *   SVMA_SHIM_EXTRA_REASONS=MASK  revocation events read from an SVM
 *                                 context carry MASK in their reasons too
 *   SVMA_SHIM_CONTEXT_ERRNO=N     vsvm's context creation ioctl fails
 *                                 with errno N (EINVAL: as on a kernel
 *                                 without it); read at every call, so a
 *                                 program may change it as it runs
 *
 * Copyright 2026 The svmatomic authors
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <drm.h>
#include "uapi/drm/drm_svm.h"
#include "uapi/drm/vsvm_drm.h"

#define SHIM_API __attribute__((visibility("default")))

static void *next(const char *name)
{
	void *fn = dlsym(RTLD_NEXT, name);

	if (!fn) {
		fprintf(stderr, "svma-shim: no %s\n", name);
		_exit(98);
	}
	return fn;
}

static unsigned long env_ul(const char *name)
{
	const char *v = getenv(name);

	return v ? strtoul(v, NULL, 0) : 0;
}

SHIM_API char *strdup(const char *s)
{
	static char *(*real)(const char *);
	const char *prefix = getenv("SVMA_SHIM_STRDUP_FAIL");

	if (prefix && strncmp(s, prefix, strlen(prefix)) == 0) {
		errno = ENOMEM;
		return NULL;
	}
	if (!real)
		real = next("strdup");
	return real(s);
}

SHIM_API int scandir(const char *dir, struct dirent ***namelist,
		     int (*filter)(const struct dirent *),
		     int (*compar)(const struct dirent **,
				   const struct dirent **))
{
	static int (*real)(const char *, struct dirent ***,
			   int (*)(const struct dirent *),
			   int (*)(const struct dirent **,
				   const struct dirent **));
	unsigned long i, n = env_ul("SVMA_SHIM_RENDER_NODES");
	struct dirent **list;
	int count = 0;

	if (!n || strcmp(dir, "/dev/dri") != 0) {
		if (!real)
			real = next("scandir");
		return real(dir, namelist, filter, compar);
	}
	list = calloc(n, sizeof(*list));
	if (!list)
		return -1;
	for (i = 0; i < n; i++) {
		struct dirent *e = calloc(1, sizeof(*e));

		if (!e)
			return -1;
		e->d_type = DT_CHR;
		snprintf(e->d_name, sizeof(e->d_name), "renderD%lu", 200 + i);
		if (filter && !filter(e)) {
			free(e);
			continue;
		}
		list[count++] = e;
	}
	*namelist = list;
	return count;
}

SHIM_API int epoll_ctl(int epfd, int op, int fd, struct epoll_event *ev)
{
	static int (*real)(int, int, int, struct epoll_event *);

	if (getenv("SVMA_SHIM_EPOLL_CTL_FAIL")) {
		errno = EPERM;
		return -1;
	}
	if (!real)
		real = next("epoll_ctl");
	return real(epfd, op, fd, ev);
}

/* The epoll fds open now, for SVMA_SHIM_EPOLL_LEAKS. */
#define MAX_TRACKED	64
static int epoll_fds[MAX_TRACKED];
static int n_epoll_fds;

SHIM_API int epoll_create1(int flags)
{
	static int (*real)(int);
	int fd;

	if (!real)
		real = next("epoll_create1");
	fd = real(flags);
	if (fd >= 0 && n_epoll_fds < MAX_TRACKED)
		epoll_fds[n_epoll_fds++] = fd;
	return fd;
}

SHIM_API int close(int fd)
{
	static int (*real)(int);
	int i;

	for (i = 0; i < n_epoll_fds; i++) {
		if (epoll_fds[i] == fd) {
			epoll_fds[i] = epoll_fds[--n_epoll_fds];
			break;
		}
	}
	if (!real)
		real = next("close");
	return real(fd);
}

__attribute__((destructor)) static void check_epoll_leaks(void)
{
	if (!getenv("SVMA_SHIM_EPOLL_LEAKS") || n_epoll_fds == 0)
		return;
	fprintf(stderr, "svma-shim: epoll fd %d leaked\n", epoll_fds[0]);
	_exit(97);
}

SHIM_API int ioctl(int fd, unsigned long request, ...)
{
	static int (*real)(int, unsigned long, ...);
	unsigned long size = env_ul("SVMA_SHIM_EVENT_SIZE");
	va_list ap;
	void *arg;
	int ret;

	va_start(ap, request);
	arg = va_arg(ap, void *);
	va_end(ap);
	if (!real)
		real = next("ioctl");
	if (request == DRM_IOCTL_VSVM_SVM_CONTEXT_CREATE &&
	    env_ul("SVMA_SHIM_CONTEXT_ERRNO")) {
		errno = (int)env_ul("SVMA_SHIM_CONTEXT_ERRNO");
		return -1;
	}
	ret = real(fd, request, arg);
	if (ret == 0 && size && request == DRM_SVM_IOCTL_INFO)
		((struct drm_svm_info *)arg)->event_size = (__u32)size;
	return ret;
}

/* A device-exclusive SVM context: events come from it, not a DRM node. */
static int is_svm_context(int fd)
{
	static const char name[] = "anon_inode:[drm_svm]";
	char path[64], link[sizeof(name)];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	n = readlink(path, link, sizeof(link));
	return n == (ssize_t)sizeof(name) - 1 && memcmp(link, name, n) == 0;
}

SHIM_API ssize_t read(int fd, void *buf, size_t count)
{
	static ssize_t (*real)(int, void *, size_t);
	unsigned long extra = env_ul("SVMA_SHIM_EXTRA_REASONS");
	struct drm_svm_event_revoked ev;
	unsigned char *p = buf;
	ssize_t n, off = 0;

	if (!real)
		real = next("read");
	n = real(fd, buf, count);
	if (n <= 0 || !extra || !is_svm_context(fd))
		return n;
	/* a context's read() returns whole events */
	while (n - off >= (ssize_t)sizeof(struct drm_svm_event)) {
		memcpy(&ev.base, p + off, sizeof(ev.base));
		if (ev.base.size < sizeof(ev.base) ||
		    ev.base.size > n - off)
			break;
		if (ev.base.type == DRM_SVM_EVENT_REVOKED &&
		    ev.base.size >= sizeof(ev)) {
			memcpy(&ev, p + off, sizeof(ev));
			ev.reasons |= (__u32)extra;
			memcpy(p + off, &ev, sizeof(ev));
		}
		off += ev.base.size;
	}
	return n;
}

/* read() as _FORTIFY_SOURCE builds call it */
ssize_t __read_chk(int fd, void *buf, size_t count, size_t buflen);

SHIM_API ssize_t __read_chk(int fd, void *buf, size_t count, size_t buflen)
{
	if (count > buflen)
		abort();
	return read(fd, buf, count);
}
