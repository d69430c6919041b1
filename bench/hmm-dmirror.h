/* SPDX-License-Identifier: MIT */
/*
 * The part of test_hmm's ioctl interface that svm-bench uses as an anchor.
 *
 * The kernel defines it in lib/test_hmm_uapi.h, which it does not install
 * and which exists only in a prepared kernel tree (vm/prepare-source),
 * not wherever "make" builds svm-bench. So this is a minimal equivalent
 * under names of our own; it must match lib/test_hmm_uapi.h of the
 * kernel the guest runs. bench/hmm-dmirror-check.c asserts that it does,
 * and bench/run compiles that check against the cached tree before every
 * run.
 *
 * Copyright 2026 The svmatomic authors
 */
#ifndef SVM_BENCH_HMM_DMIRROR_H
#define SVM_BENCH_HMM_DMIRROR_H

#include <stdint.h>

#include <linux/ioctl.h>
#include <linux/types.h>

/* struct hmm_dmirror_cmd */
struct bench_dmirror_cmd {
	__u64 addr;	/* in: start of the range */
	__u64 ptr;	/* in: buffer the device copies data (or states) to */
	__u64 npages;	/* in */
	__u64 cpages;	/* out: pages copied */
	__u64 faults;	/* out: device faults */
};

_Static_assert(sizeof(struct bench_dmirror_cmd) == 40,
	       "struct bench_dmirror_cmd must match struct hmm_dmirror_cmd");

/* _IOWR encodes the size too: equal numbers mean equal struct sizes. */
#define BENCH_DMIRROR_SNAPSHOT	_IOWR('H', 0x04, struct bench_dmirror_cmd)
#define BENCH_DMIRROR_EXCLUSIVE	_IOWR('H', 0x05, struct bench_dmirror_cmd)

/* The first test_hmm device; hmm-tests opens the same node. */
#define BENCH_DMIRROR_PATH	"/dev/hmm_dmirror0"

/* hmm-dmirror.c: 0 or a negative errno */
int bench_dmirror_open(void);
int bench_dmirror_exclusive(int fd, void *addr, uint64_t npages,
			    void *mirror, uint64_t chunk);
int bench_dmirror_snapshot(int fd, void *addr, uint64_t npages,
			   uint8_t *states);

#endif /* SVM_BENCH_HMM_DMIRROR_H */
