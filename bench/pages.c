// SPDX-License-Identifier: MIT
/*
 * The per-page costs: one repetition of every metric at one size.
 *
 * Each step measures on memory of its own, mapped and populated before
 * the clock starts and unmapped after it stops, so that no step finds
 * pages another left split, read-only or device-exclusive; and so that
 * the largest size (1 GiB) is mapped only once at a time.
 *
 * Copyright 2026 The svmatomic authors
 */
#define _GNU_SOURCE	/* memfd_create() */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <svmatomic.h>
#include "uapi/drm/drm_svm.h"

#include "bench.h"
#include "hmm-dmirror.h"

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

/* Pages per HMM_DMIRROR_EXCLUSIVE call: see bench_dmirror_exclusive(). */
#define HMM_CHUNK_PAGES	65536

struct step {
	struct bench *b;
	enum bench_thp mode;
	unsigned int si;
	uint64_t npages;
	size_t len;
};

static struct bench_samples *at(const struct step *s, enum bench_metric m)
{
	return &s->b->pages[s->mode][m][s->si];
}

static void put(const struct step *s, enum bench_metric m, uint64_t t0,
		uint64_t t1)
{
	bench_add(at(s, m), (double)(t1 - t0) / (double)s->npages);
}

static void *map(const struct step *s)
{
	return bench_map(s->b, s->len, s->mode == THP_ALWAYS);
}

static int step_mprotect(const struct step *s, void *p, unsigned int rep)
{
	uint64_t t0, t1;
	int ret;

	t0 = bench_now();
	ret = mprotect(p, s->len, PROT_NONE);
	t1 = bench_now();
	(void)rep;
	if (ret)
		bench_fail(s->b, at(s, M_MPROTECT), errno);
	else
		put(s, M_MPROTECT, t0, t1);
	return 0;
}

/*
 * A timed raw query into metric @m, then a check that it measured what it
 * should (not a timing check): every page's @mask bits read @want.
 */
static void query_timed(const struct step *s, void *p, enum bench_metric m,
			uint8_t mask, uint8_t want, const char *what)
{
	uint64_t t0, t1, i, bad = 0;
	int ret;

	t0 = bench_now();
	ret = bench_svm_query(s->b->ctx, p, s->npages, s->b->states);
	t1 = bench_now();
	if (ret) {
		bench_fail(s->b, at(s, m), -ret);
		return;
	}
	put(s, m, t0, t1);
	for (i = 0; i < s->npages; i++)
		bad += (s->b->states[i] & mask) != want;
	if (bad)
		bench_log("query: %llu of %llu pages %s",
			  (unsigned long long)bad,
			  (unsigned long long)s->npages, what);
}

/* Held pages: the query reads them from the context's own table. */
static void query_raw(const struct step *s, void *p)
{
	query_timed(s, p, M_QUERY, DRM_SVM_PAGE_HELD, DRM_SVM_PAGE_HELD,
		    "not held after the acquire");
}

/* The same pages once released: the query reads the CPU page tables. */
static void query_released(const struct step *s, void *p)
{
	query_timed(s, p, M_QUERY_CPU, 0xff,
		    DRM_SVM_PAGE_PRESENT | DRM_SVM_PAGE_WRITABLE,
		    "not plain CPU pages after the release");
}

/* mincore() of the range into metric @m: the query's anchor. */
static void mincore_timed(const struct step *s, void *p, enum bench_metric m)
{
	uint64_t t0, t1;
	int ret;

	t0 = bench_now();
	ret = mincore(p, s->len, s->b->states);
	t1 = bench_now();
	if (ret)
		bench_fail(s->b, at(s, m), errno);
	else
		put(s, m, t0, t1);
}

static void query_lib(const struct step *s, void *p)
{
	uint64_t t0, t1;
	int ret;

	t0 = bench_now();
	ret = svma_device_query(s->b->dev, p, s->len, s->b->states, s->npages);
	t1 = bench_now();
	if (ret < 0)
		bench_fail(s->b, at(s, M_LIB_QUERY), -ret);
	else
		put(s, M_LIB_QUERY, t0, t1);
}

static void snapshot(const struct step *s, void *p)
{
	uint64_t t0, t1;
	int fd, ret;

	if (!s->b->hmm_path) {
		at(s, M_HMM_SNAPSHOT)->why = s->b->hmm_why;
		return;
	}
	fd = bench_dmirror_open();
	if (fd < 0) {
		bench_fail(s->b, at(s, M_HMM_SNAPSHOT), -fd);
		return;
	}
	t0 = bench_now();
	ret = bench_dmirror_snapshot(fd, p, s->npages, s->b->states);
	t1 = bench_now();
	close(fd);
	if (ret)
		bench_fail(s->b, at(s, M_HMM_SNAPSHOT), -ret);
	else
		put(s, M_HMM_SNAPSHOT, t0, t1);
}

/*
 * On held pages: the query against its anchors and the library's. The
 * first query after an acquire is slower than the next ones (whatever
 * the acquire left behind), so an untimed one goes first; then @rep
 * alternates the order of the raw and the library query.
 */
static int step_held(const struct step *s, void *p, unsigned int rep)
{
	static const enum bench_metric after[] = {
		M_QUERY, M_LIB_QUERY, M_MINCORE, M_HMM_SNAPSHOT, M_QUERY_CPU,
		M_MINCORE_CPU,
	};
	uint32_t handle;
	unsigned int i;
	int ret;

	ret = bench_svm_acquire(s->b->ctx, p, s->len, &handle);
	if (ret) {
		for (i = 0; i < sizeof(after) / sizeof(after[0]); i++)
			bench_fail(s->b, at(s, after[i]), -ret);
		return 0;
	}
	ret = bench_svm_query(s->b->ctx, p, s->npages, s->b->states);
	if (ret)
		bench_log("untimed query: %s", bench_errname(-ret));

	if (rep % 2) {
		query_lib(s, p);
		query_raw(s, p);
	} else {
		query_raw(s, p);
		query_lib(s, p);
	}

	mincore_timed(s, p, M_MINCORE);
	snapshot(s, p);

	ret = bench_svm_release(s->b->ctx, handle, 0);
	if (ret) {
		bench_log("release after the queries: %s", bench_errname(-ret));
		s->b->errors++;
		bench_fail(s->b, at(s, M_QUERY_CPU), -ret);
		bench_fail(s->b, at(s, M_MINCORE_CPU), -ret);
		return 0;
	}
	/*
	 * The released query against mincore() of the same present pages,
	 * back to back in alternating order: mincore() of held pages decodes
	 * a swap entry per page, which a present page does not need.
	 */
	if (rep % 2) {
		mincore_timed(s, p, M_MINCORE_CPU);
		query_released(s, p);
	} else {
		query_released(s, p);
		mincore_timed(s, p, M_MINCORE_CPU);
	}
	return 0;
}

/*
 * The raw acquire and eager release of a range, back to back: exactly
 * what step_lib() does through the library, so that the two compare.
 */
static int step_raw(const struct step *s, void *p, unsigned int rep)
{
	uint32_t handle;
	uint64_t t0, t1;
	int ret;

	(void)rep;
	t0 = bench_now();
	ret = bench_svm_acquire(s->b->ctx, p, s->len, &handle);
	t1 = bench_now();
	if (ret) {
		bench_fail(s->b, at(s, M_ACQUIRE), -ret);
		bench_fail(s->b, at(s, M_RELEASE_EAGER), -ret);
		return 0;
	}
	put(s, M_ACQUIRE, t0, t1);

	t0 = bench_now();
	ret = bench_svm_release(s->b->ctx, handle, 0);
	t1 = bench_now();
	if (ret)
		bench_fail(s->b, at(s, M_RELEASE_EAGER), -ret);
	else
		put(s, M_RELEASE_EAGER, t0, t1);
	return 0;
}

/* The library's acquire and release of the same kind of range. */
static int step_lib(const struct step *s, void *p, unsigned int rep)
{
	struct svma_range *range;
	uint64_t t0, t1;
	int ret;

	(void)rep;
	t0 = bench_now();
	ret = svma_range_acquire(s->b->dev, p, s->len, 1, 0, NULL, 0, &range);
	t1 = bench_now();
	if (ret < 0) {
		bench_fail(s->b, at(s, M_LIB_ACQUIRE), -ret);
		bench_fail(s->b, at(s, M_LIB_RELEASE), -ret);
		return 0;
	}
	put(s, M_LIB_ACQUIRE, t0, t1);

	t0 = bench_now();
	ret = svma_range_release(range, 0);
	t1 = bench_now();
	if (ret < 0)
		bench_fail(s->b, at(s, M_LIB_RELEASE), -ret);
	else
		put(s, M_LIB_RELEASE, t0, t1);
	return 0;
}

/* A lazy release leaves device-exclusive entries; the munmap drops them. */
static int step_lazy(const struct step *s, void *p, unsigned int rep)
{
	uint32_t handle;
	uint64_t t0, t1;
	int ret;

	(void)rep;
	ret = bench_svm_acquire(s->b->ctx, p, s->len, &handle);
	if (ret) {
		bench_fail(s->b, at(s, M_RELEASE_LAZY), -ret);
		return 0;
	}
	t0 = bench_now();
	ret = bench_svm_release(s->b->ctx, handle, DRM_SVM_RELEASE_LAZY);
	t1 = bench_now();
	if (ret)
		bench_fail(s->b, at(s, M_RELEASE_LAZY), -ret);
	else
		put(s, M_RELEASE_LAZY, t0, t1);
	return 0;
}

/*
 * The revocation fault: a CPU write to each held page. The first one
 * also sends the handle's event; the others are coalesced into it.
 */
static int step_revoke(const struct step *s, void *p, unsigned int rep)
{
	uint32_t handle;
	uint64_t t0, t1;
	int ret;

	(void)rep;
	ret = bench_svm_acquire(s->b->ctx, p, s->len, &handle);
	if (ret) {
		bench_fail(s->b, at(s, M_REVOKE), -ret);
		return 0;
	}
	t0 = bench_now();
	bench_touch(s->b, p, s->npages);
	t1 = bench_now();
	put(s, M_REVOKE, t0, t1);

	/* Nothing is held any more: this only forgets the handle. */
	ret = bench_svm_release(s->b->ctx, handle, 0);
	if (ret) {
		bench_log("release after the revocation fault: %s",
			  bench_errname(-ret));
		s->b->errors++;
	}
	bench_drain_events(s->b);
	return 0;
}

/* test_hmm EXCLUSIVE, then the CPU write fault that revokes it. */
static int step_hmm(const struct step *s, void *p, unsigned int rep)
{
	uint64_t chunk = s->npages < HMM_CHUNK_PAGES ? s->npages :
			 HMM_CHUNK_PAGES;
	size_t mlen = chunk * s->b->page;
	uint64_t t0, t1;
	void *mirror;
	int fd, ret;

	(void)rep;
	if (!s->b->hmm_path) {
		at(s, M_HMM_EXCLUSIVE)->why = s->b->hmm_why;
		at(s, M_HMM_REVOKE)->why = s->b->hmm_why;
		return 0;
	}
	/* Populated first, so that the copy into it does not fault. */
	mirror = bench_map(s->b, mlen, false);
	if (!mirror)
		return -1;
	fd = bench_dmirror_open();
	if (fd < 0) {
		bench_fail(s->b, at(s, M_HMM_EXCLUSIVE), -fd);
		bench_fail(s->b, at(s, M_HMM_REVOKE), -fd);
		bench_unmap(mirror, mlen);
		return 0;
	}

	t0 = bench_now();
	ret = bench_dmirror_exclusive(fd, p, s->npages, mirror, chunk);
	t1 = bench_now();
	if (ret) {
		/* The fault is measured only after a complete EXCLUSIVE. */
		bench_fail(s->b, at(s, M_HMM_EXCLUSIVE), -ret);
		bench_fail(s->b, at(s, M_HMM_REVOKE), -ret);
	} else {
		put(s, M_HMM_EXCLUSIVE, t0, t1);
		t0 = bench_now();
		bench_touch(s->b, p, s->npages);
		t1 = bench_now();
		put(s, M_HMM_REVOKE, t0, t1);
	}
	close(fd);
	bench_unmap(mirror, mlen);
	return 0;
}

/*
 * The minor fault: a write to a shmem page whose PTE MADV_DONTNEED
 * zapped, so that the fault finds the page in the page cache and only
 * maps it (write faults on shared mappings do no fault-around).
 */
static int step_minor(const struct step *s)
{
	uint64_t t0, t1;
	void *p;
	int fd;

	fd = memfd_create("svm-bench", MFD_CLOEXEC);
	if (fd < 0) {
		bench_log("memfd_create: %s", strerror(errno));
		return -1;
	}
	if (ftruncate(fd, (off_t)s->len)) {
		bench_log("ftruncate of a memfd to %zu bytes: %s", s->len,
			  strerror(errno));
		close(fd);
		return -1;
	}
	p = mmap(NULL, s->len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (p == MAP_FAILED) {
		bench_log("mmap of a memfd: %s", strerror(errno));
		return -1;
	}
	if (madvise(p, s->len, MADV_POPULATE_WRITE))
		bench_touch(s->b, p, s->npages);
	if (madvise(p, s->len, MADV_DONTNEED)) {
		bench_log("MADV_DONTNEED: %s", strerror(errno));
		munmap(p, s->len);
		return -1;
	}
	t0 = bench_now();
	bench_touch(s->b, p, s->npages);
	t1 = bench_now();
	put(s, M_MINOR_FAULT, t0, t1);
	munmap(p, s->len);
	return 0;
}

typedef int (*step_fn)(const struct step *s, void *p, unsigned int rep);

/*
 * One repetition of every per-page metric at size @si, each step on
 * fresh memory. Returns 0, or -1 when memory for a step could not be
 * set up (said why): a broken setup, not a finding.
 */
int bench_pages(struct bench *b, enum bench_thp mode, unsigned int si,
		unsigned int rep)
{
	/* Odd repetitions run the library first: neither gets the warmer cache. */
	static const step_fn even[] = {
		step_mprotect, step_raw, step_lib, step_held, step_lazy,
		step_revoke, step_hmm,
	};
	static const step_fn odd[] = {
		step_mprotect, step_lib, step_raw, step_held, step_lazy,
		step_revoke, step_hmm,
	};
	const step_fn *order = rep % 2 ? odd : even;
	struct step s = {
		.b = b, .mode = mode, .si = si, .npages = b->sizes[si],
		.len = b->sizes[si] * b->page,
	};
	unsigned int i;
	void *p;
	int ret;

	for (i = 0; i < sizeof(even) / sizeof(even[0]); i++) {
		p = map(&s);
		if (!p)
			return -1;
		ret = order[i](&s, p, rep);
		bench_unmap(p, s.len);
		if (ret)
			return -1;
	}
	return step_minor(&s);
}
