// SPDX-License-Identifier: MIT
/*
 * The time spent inside ioctl(), so that a library call's own cost can be
 * told from the kernel's.
 *
 * svm-bench defines ioctl() itself.  Symbol lookup searches the executable
 * first, so the shared libsvmatomic's calls bind to this definition as
 * the benchmark's raw calls do; it makes the system call and adds the time
 * spent in it to bench_ioctl_ns.  A library call's own time is then the
 * call's time minus what bench_ioctl_ns gained meanwhile: far less noisy
 * than comparing two calls made on different memory at different times,
 * since the kernel's share, which varies, is taken out of the same call.
 *
 * Copyright 2026 The svmatomic authors
 */
#define _GNU_SOURCE	/* syscall() */
#include <stdarg.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "bench.h"

uint64_t bench_ioctl_ns;

int ioctl(int fd, unsigned long request, ...)
{
	uint64_t t0;
	va_list ap;
	void *arg;
	long ret;

	va_start(ap, request);
	arg = va_arg(ap, void *);
	va_end(ap);

	t0 = bench_now();
	ret = syscall(SYS_ioctl, fd, request, arg);
	bench_ioctl_ns += bench_now() - t0;
	return (int)ret;
}
