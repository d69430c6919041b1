// SPDX-License-Identifier: MIT
/*
 * What the library adds to a call, measured on many one-page calls.
 *
 * The per-page tables compare a library call with a raw ioctl made on
 * other memory at another moment; on a shared, emulated machine that
 * moves the ratio by tens of percent, far more than the library's work.
 * The library does no per-page work (a span check, its range table, the
 * ioctl), so what it adds is a cost per call: measured here as the mean
 * of many one-page calls, library and raw in alternating blocks, it is
 * set against the raw call of N pages in the report.
 *
 * Copyright 2026 The svmatomic authors
 */
#include <string.h>

#include <svmatomic.h>

#include "bench.h"

/* Sums of a block's calls; the added ones may be negative. */
struct libcall_block {
	int64_t ns[LC_METRICS];
};

/* One block of raw acquire/release pairs and queries of the page @p. */
static int block_raw(struct bench *b, void *p, struct libcall_block *blk)
{
	uint64_t t0, t1, t2;
	uint32_t handle;
	unsigned int i;
	int ret;

	for (i = 0; i < BENCH_LIBCALL_CALLS; i++) {
		t0 = bench_now();
		ret = bench_svm_acquire(b->ctx, p, b->page, &handle);
		if (ret)
			return ret;
		t1 = bench_now();
		ret = bench_svm_release(b->ctx, handle, 0);
		if (ret)
			return ret;
		t2 = bench_now();
		blk->ns[LC_RAW_ACQUIRE] += (int64_t)(t1 - t0);
		blk->ns[LC_RAW_RELEASE] += (int64_t)(t2 - t1);

		t0 = bench_now();
		ret = bench_svm_query(b->ctx, p, 1, b->states);
		if (ret)
			return ret;
		blk->ns[LC_RAW_QUERY] += (int64_t)(bench_now() - t0);
	}
	return 0;
}

/* The same calls through the library. */
static int block_lib(struct bench *b, void *p, struct libcall_block *blk)
{
	struct svma_range *range;
	uint64_t t0, t1, t2;
	unsigned int i;
	int ret;

	for (i = 0; i < BENCH_LIBCALL_CALLS; i++) {
		t0 = bench_now();
		ret = svma_range_acquire(b->dev, p, b->page, 1, 0, NULL, 0,
					 &range);
		if (ret < 0)
			return ret;
		t1 = bench_now();
		ret = svma_range_release(range, 0);
		if (ret < 0)
			return ret;
		t2 = bench_now();
		blk->ns[LC_LIB_ACQUIRE] += (int64_t)(t1 - t0);
		blk->ns[LC_LIB_RELEASE] += (int64_t)(t2 - t1);

		t0 = bench_now();
		ret = svma_device_query(b->dev, p, b->page, b->states, 1);
		if (ret < 0)
			return ret;
		blk->ns[LC_LIB_QUERY] += (int64_t)(bench_now() - t0);
	}
	return 0;
}

void bench_lib_calls(struct bench *b, enum bench_thp mode)
{
	struct libcall_block blk;
	unsigned int i, m;
	int ret = 0;
	void *p;

	p = bench_map(b, b->page, false);
	if (!p) {
		for (m = 0; m < LC_METRICS; m++)
			b->libcall[mode][m].why = "no memory";
		b->errors++;
		return;
	}
	/* Odd blocks run the library first: neither gets the warmer cache. */
	for (i = 0; i < BENCH_LIBCALL_BLOCKS && !ret; i++) {
		memset(&blk, 0, sizeof(blk));
		if (i % 2) {
			ret = block_lib(b, p, &blk);
			if (!ret)
				ret = block_raw(b, p, &blk);
		} else {
			ret = block_raw(b, p, &blk);
			if (!ret)
				ret = block_lib(b, p, &blk);
		}
		if (ret)
			break;
		blk.ns[LC_ADDED_ACQUIRE] = blk.ns[LC_LIB_ACQUIRE] -
					   blk.ns[LC_RAW_ACQUIRE];
		blk.ns[LC_ADDED_RELEASE] = blk.ns[LC_LIB_RELEASE] -
					   blk.ns[LC_RAW_RELEASE];
		blk.ns[LC_ADDED_QUERY] = blk.ns[LC_LIB_QUERY] -
					 blk.ns[LC_RAW_QUERY];
		for (m = 0; m < LC_METRICS; m++)
			bench_add(&b->libcall[mode][m],
				  (double)blk.ns[m] / BENCH_LIBCALL_CALLS);
	}
	if (ret) {
		bench_log("one-page library and raw calls: %s",
			  bench_errname(-ret));
		for (m = 0; m < LC_METRICS; m++)
			bench_fail(b, &b->libcall[mode][m], -ret);
	}
	bench_unmap(p, b->page);
}
