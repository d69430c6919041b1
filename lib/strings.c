// SPDX-License-Identifier: MIT
/*
 * Strings for errors and revocation reasons.
 *
 * Copyright 2026 The svmatomic authors
 */
#define _GNU_SOURCE	/* strerrordesc_np() */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <string.h>

#include "internal.h"

struct svma_errstr {
	int err;
	const char *str;
};

/* What each error means coming from this library. */
static const struct svma_errstr svma_errors[] = {
	{ 0, "Success" },
	{ EPERM, "The device belongs to another process (it was inherited "
		 "across fork(), or its context passed over a socket)" },
	{ ENOENT, "No such device node, or unknown range handle" },
	{ EINTR, "Interrupted by a signal" },
	{ EBADF, "Not an open file descriptor" },
	{ ENOMEM, "Out of memory, or over RLIMIT_MEMLOCK or the device's "
		  "page limit" },
	{ EACCES, "Permission denied: no access to the device node (join "
		  "the render group), or the memory is not writable" },
	{ EFAULT, "The range is not entirely mapped, or a bad buffer" },
	{ EBUSY, "A page could not be made exclusive (pinned, or owned by "
		 "a device), or called from an event handler" },
	{ ENODEV, "No DRM device: the fd or path is not a DRM device node, "
		  "or the system has no DRM render node" },
	{ EINVAL, "Invalid argument: unknown flags, a NULL pointer, an "
		  "address or length that is not page-aligned, zero or "
		  "wrapping, a buffer that is too small, or a hold time "
		  "above the kernel's maximum" },
	{ ENOSPC, "The device holds its maximum number of ranges" },
	{ EMFILE, "No file descriptor left for the device's kernel context" },
	{ ENFILE, "The system's file table is full" },
	{ EEXIST, "The range overlaps a range already acquired on this "
		  "device" },
	{ EPIPE, "The event stream ended (not a kernel context)" },
	{ EBADMSG, "Malformed event stream: an event is truncated or its "
		   "length is impossible" },
	{ EMSGSIZE, "An event is larger than the library's read buffer "
		    "(8 KiB)" },
	{ EPROTO, "The kernel answered something the uAPI does not allow" },
	{ EOPNOTSUPP, "Device-exclusive SVM is not supported: the kernel "
		      "lacks the svmatomic patches or the DRM driver does not "
		      "offer device-exclusive SVM contexts (vsvm does), the "
		      "memory is not private anonymous memory, or the kernel's "
		      "uAPI is too old for the call (hold times need version "
		      "2)" },
};

SVMA_API const char *svma_strerror(int err)
{
	size_t i;

	if (err == INT_MIN)
		return "Unknown error";
	if (err < 0)
		err = -err;
	for (i = 0; i < sizeof(svma_errors) / sizeof(svma_errors[0]); i++) {
		if (svma_errors[i].err == err)
			return svma_errors[i].str;
	}
#ifdef HAVE_STRERRORDESC_NP
	{
		/* glibc's table: static strings, unlike strerror(). */
		const char *s = strerrordesc_np(err);

		if (s)
			return s;
	}
#endif
	return "Unknown error";
}

SVMA_API const char *svma_reason_string(uint32_t reason)
{
	switch (reason) {
	case SVMA_REASON_CPU_ACCESS:
		return "CPU access";
	case SVMA_REASON_OTHER_DEVICE:
		return "another device";
	case SVMA_REASON_UNMAP:
		return "unmap";
	case SVMA_REASON_PROTECTION:
		return "protection change";
	case SVMA_REASON_FORK:
		return "fork";
	case SVMA_REASON_MIGRATION:
		return "migration";
	case SVMA_REASON_EXIT:
		return "process exit";
	case SVMA_REASON_OTHER:
		return "other change";
	default:
		return "unknown reason";
	}
}
