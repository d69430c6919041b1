// SPDX-License-Identifier: MIT
/*
 * svm-bench's small helpers: the clock, statistics, memory to measure on.
 *
 * Copyright 2026 The svmatomic authors
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

/* Transparent huge pages are PMD-sized: 2 MiB on x86-64. */
#define HUGE_ALIGN	(2UL << 20)

/* The program's name, which its log lines start with. */
const char *bench_prog = "svm-bench";

uint64_t bench_now(void)
{
	struct timespec ts;

	/* Cannot fail for CLOCK_MONOTONIC with a valid pointer. */
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Progress goes to stderr; the table to stdout, in one piece at the end. */
void bench_log(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", bench_prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* "EBUSY" rather than strerror()'s sentence: it fits a table cell. */
const char *bench_errname(int err)
{
	static const struct {
		int err;
		const char *name;
	} names[] = {
		{ EPERM, "EPERM" }, { ENOENT, "ENOENT" }, { EINTR, "EINTR" },
		{ EBADF, "EBADF" }, { EAGAIN, "EAGAIN" }, { ENOMEM, "ENOMEM" },
		{ EACCES, "EACCES" }, { EFAULT, "EFAULT" }, { EBUSY, "EBUSY" },
		{ EEXIST, "EEXIST" }, { ENODEV, "ENODEV" }, { EINVAL, "EINVAL" },
		{ ENOTTY, "ENOTTY" }, { ENOSPC, "ENOSPC" }, { ENOSYS, "ENOSYS" },
		{ ENXIO, "ENXIO" }, { EOPNOTSUPP, "EOPNOTSUPP" },
		{ ETIMEDOUT, "ETIMEDOUT" }, { EPROTO, "EPROTO" },
	};
	static char buf[16];
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].err == err)
			return names[i].name;
	snprintf(buf, sizeof(buf), "errno %d", err);
	return buf;
}

void bench_add(struct bench_samples *s, double v)
{
	if (s->n < BENCH_MAX_REPS)
		s->v[s->n++] = v;
}

/*
 * A measured operation failed. EBUSY and ENOMEM are findings (the
 * kernel could not do it: a THP range test_hmm cannot take, a guest too
 * small for 1 GiB); any other errno means svm-bench asked for something
 * wrong, which fails the run once the table is printed.
 */
void bench_fail(struct bench *b, struct bench_samples *s, int err)
{
	if (!s->failed++)
		s->err = err;
	if (err != EBUSY && err != ENOMEM)
		b->errors++;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The median of the repetitions; false when any of them failed. */
bool bench_median(const struct bench_samples *s, double *med)
{
	double v[BENCH_MAX_REPS];

	if (s->failed || !s->n)
		return false;
	memcpy(v, s->v, s->n * sizeof(v[0]));
	qsort(v, s->n, sizeof(v[0]), cmp_double);
	*med = s->n % 2 ? v[s->n / 2] : (v[s->n / 2 - 1] + v[s->n / 2]) / 2;
	return true;
}

/* Sorts @v. The p99 is the smallest sample not below 99 % of them. */
void bench_latency_stats(struct bench_latency_result *r, double *v,
			 unsigned int n)
{
	unsigned int i99;

	r->n = n;
	if (!n)
		return;
	qsort(v, n, sizeof(v[0]), cmp_double);
	r->median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
	i99 = (unsigned int)((99ULL * n + 99) / 100);
	r->p99 = v[i99 ? i99 - 1 : 0];
}

/*
 * Private anonymous memory of @len bytes, 2 MiB-aligned so that a THP
 * can back all of it, populated for writing (the measurements are of
 * populated pages; populating is never timed). With @huge it is
 * MADV_HUGEPAGE, as a GPU runtime's large allocations would be. The
 * mapping is exactly @len bytes long: the slack that aligned it is
 * unmapped. NULL (with a message) when the guest has no memory left.
 */
void *bench_map(struct bench *b, size_t len, bool huge)
{
	size_t slack = len + HUGE_ALIGN;
	char *raw, *p;

	raw = mmap(NULL, slack, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (raw == MAP_FAILED) {
		bench_log("mmap of %zu bytes: %s", slack, strerror(errno));
		return NULL;
	}
	p = (char *)(((uintptr_t)raw + HUGE_ALIGN - 1) & ~(HUGE_ALIGN - 1));
	if (p > raw)
		munmap(raw, (size_t)(p - raw));
	if (raw + slack > p + len)
		munmap(p + len, (size_t)(raw + slack - (p + len)));

	if (huge && madvise(p, len, MADV_HUGEPAGE)) {
		bench_log("MADV_HUGEPAGE: %s", strerror(errno));
		munmap(p, len);
		return NULL;
	}
	if (madvise(p, len, MADV_POPULATE_WRITE)) {
		if (errno != EINVAL) {
			bench_log("populating %zu bytes: %s", len,
				  strerror(errno));
			munmap(p, len);
			return NULL;
		}
		/* A kernel before 5.14: touch every page instead. */
		bench_touch(b, p, len / b->page);
	}
	return p;
}

void bench_unmap(void *p, size_t len)
{
	if (p)
		munmap(p, len);
}

/* A CPU write to every page, the access a revocation is about. */
void bench_touch(struct bench *b, void *p, uint64_t npages)
{
	volatile char *c = p;
	uint64_t i;

	for (i = 0; i < npages; i++)
		c[i * b->page] = 1;
}

/*
 * Read and drop the events of a context created non-blocking: a
 * revocation queues one per handle, which nothing else would read.
 */
void bench_drain_fd(int fd)
{
	char buf[4096];

	while (read(fd, buf, sizeof(buf)) > 0)
		;
}

void bench_drain_events(struct bench *b)
{
	bench_drain_fd(b->ctx);
}
