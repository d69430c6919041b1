/* SPDX-License-Identifier: MIT */
/*
 * svm-bench: what device-exclusive SVM costs, against kernel operations
 * of comparable work measured in the same guest boot (issue 9).
 *
 * Copyright 2026 The svmatomic authors
 */
#ifndef SVM_BENCH_H
#define SVM_BENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct svma_device;

#define BENCH_MAX_SIZES		8
#define BENCH_MAX_REPS		15
#define BENCH_MAX_SAMPLES	100000

enum bench_thp { THP_NEVER, THP_ALWAYS, THP_MODES };

/*
 * Per-page costs: each is measured once per repetition and size, on
 * memory of its own (see pages.c). The anchors are kernel operations
 * that do comparable work on the same pages.
 */
enum bench_metric {
	M_MPROTECT,		/* anchor: mprotect(PROT_NONE) */
	M_HMM_EXCLUSIVE,	/* anchor: test_hmm HMM_DMIRROR_EXCLUSIVE */
	M_ACQUIRE,		/* DRM_SVM_IOCTL_ACQUIRE */
	M_RELEASE_EAGER,	/* DRM_SVM_IOCTL_RELEASE */
	M_RELEASE_LAZY,		/* ... with DRM_SVM_RELEASE_LAZY */
	M_MINOR_FAULT,		/* anchor: write fault on a page-cache page */
	M_HMM_REVOKE,		/* anchor: write fault after test_hmm EXCLUSIVE */
	M_REVOKE,		/* write fault after an acquire */
	M_MINCORE,		/* anchor: mincore() of held pages */
	M_HMM_SNAPSHOT,		/* anchor: test_hmm HMM_DMIRROR_SNAPSHOT */
	M_QUERY,		/* DRM_SVM_IOCTL_QUERY of held pages */
	M_QUERY_CPU,		/* ... of the same pages once released */
	M_MINCORE_CPU,		/* anchor: mincore() of those released pages */
	M_LIB_ACQUIRE,		/* svma_range_acquire() */
	M_LIB_RELEASE,		/* svma_range_release() */
	M_LIB_QUERY,		/* svma_device_query() */
	M_PAGE_METRICS
};

/* vsvm atomic throughput: handles in the context x CPU contention. */
enum bench_atomic {
	A_ALONE_1,		/* 1 handle, the device alone */
	A_CONTENDED_1,		/* 1 handle, CPU threads on the same pages */
	A_ALONE_MANY,		/* 1024 handles, the target one last */
	A_CONTENDED_MANY,
	A_CPU_1,		/* the CPU threads' own rate, contended, 1 handle */
	A_CPU_MANY,
	A_METRICS
};

/*
 * The cost of one call of one page, raw and through the library (mean of
 * a block of calls; libcall.c): what the library adds per call, as the
 * median over the blocks of each block's library mean less its raw mean
 * (a pair a moment apart, so that the machine's drift cancels).
 */
#define BENCH_LIBCALL_CALLS	200	/* calls per block */
#define BENCH_LIBCALL_BLOCKS	15	/* blocks; the medians are over them */

enum bench_libcall {
	LC_RAW_ACQUIRE, LC_LIB_ACQUIRE,
	LC_RAW_RELEASE, LC_LIB_RELEASE,
	LC_RAW_QUERY, LC_LIB_QUERY,
	LC_ADDED_ACQUIRE, LC_ADDED_RELEASE, LC_ADDED_QUERY,
	LC_METRICS
};

/* Revocation latency, one sample per event (not per page). */
enum bench_latency { L_EVENT, L_UFFD, L_METRICS };

/*
 * The repetitions of one measurement. A repetition either yields a
 * value or fails with an errno (@failed, @err: the first one seen);
 * @why says why nothing could be measured at all.
 */
struct bench_samples {
	double v[BENCH_MAX_REPS];
	unsigned int n;
	unsigned int failed;
	int err;
	const char *why;
};

/* The sorted samples of a latency run, in ns. */
struct bench_latency_result {
	double median;
	double p99;
	unsigned int n;
	int err;		/* positive errno when the run failed */
	const char *why;	/* what failed, or why it was not run */
};

struct bench {
	/*
	 * The vsvm render node (vsvm's atomic ioctl), a context of our own
	 * on it (the raw SVM ioctls and their events), and the library over
	 * the same node, with a context of its own.
	 */
	int fd;
	int ctx;
	char path[300];
	/* The guest as svm-bench sees it: kernel, CPUs, memory. */
	char guest[320];
	struct svma_device *dev;
	/* test_hmm's device; NULL with the reason in @hmm_why. */
	const char *hmm_path;
	const char *hmm_why;

	size_t page;
	/* One byte per page of the largest size: query, mincore, snapshot. */
	uint8_t *states;
	unsigned int reps;
	unsigned int nsizes;
	uint64_t sizes[BENCH_MAX_SIZES];
	unsigned int samples;
	bool run_mode[THP_MODES];
	const char *mode_why[THP_MODES];

	struct bench_samples pages[THP_MODES][M_PAGE_METRICS][BENCH_MAX_SIZES];
	struct bench_latency_result lat[THP_MODES][L_METRICS];
	struct bench_samples atomics[THP_MODES][A_METRICS];
	struct bench_samples libcall[THP_MODES][LC_METRICS];
	unsigned int atomic_pages;	/* pages of the target handle */
	unsigned int atomic_batch;	/* operations per ioctl */
	unsigned int atomic_run_ms;	/* each rate is over a run this long */
	double mode_seconds[THP_MODES];

	/* Failures that are not findings: a bug or a broken setup. */
	unsigned int errors;
};

extern const char *const bench_thp_name[THP_MODES];
extern const char *const bench_metric_name[M_PAGE_METRICS];
extern const char *const bench_atomic_name[A_METRICS];
extern const char *const bench_latency_name[L_METRICS];
extern const char *const bench_libcall_name[LC_METRICS];

/* util.c */
extern const char *bench_prog;
uint64_t bench_now(void);
void bench_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
const char *bench_errname(int err);
void bench_add(struct bench_samples *s, double v);
void bench_fail(struct bench *b, struct bench_samples *s, int err);
bool bench_median(const struct bench_samples *s, double *med);
void bench_latency_stats(struct bench_latency_result *r, double *v,
			 unsigned int n);
void *bench_map(struct bench *b, size_t len, bool huge);
void bench_unmap(void *p, size_t len);
void bench_touch(struct bench *b, void *p, uint64_t npages);
void bench_drain_fd(int fd);
void bench_drain_events(struct bench *b);

/*
 * vsvm.c: the device's render node (-errno when none: tests/vsvm-helpers.h),
 * and a batch of atomics on DRM fd @fd for the context @ctx
 */
struct drm_vsvm_atomic_op;
int bench_open_vsvm(char *path, size_t len);
int bench_vsvm_run(int fd, int ctx, struct drm_vsvm_atomic_op *ops,
		   uint32_t count);

/* pages.c: one repetition of every per-page metric at one size */
int bench_pages(struct bench *b, enum bench_thp mode, unsigned int si,
		unsigned int rep);

/* latency.c */
void bench_latency(struct bench *b, enum bench_thp mode);

/* svm-ioctl.c: the raw SVM ioctls on a context; 0 or a negative errno */
int bench_svm_acquire(int fd, void *p, size_t len, uint32_t *handle);
int bench_svm_release(int fd, uint32_t handle, uint32_t flags);
int bench_svm_query(int fd, void *p, uint64_t npages, uint8_t *states);

/* libcall.c: one-page calls, raw and through the library */
void bench_lib_calls(struct bench *b, enum bench_thp mode);

/* atomic.c */
int bench_atomics(struct bench *b, enum bench_thp mode);

/* thp.c: the transparent_hugepage "enabled" mode */
int bench_thp_get(char *mode, size_t len);
int bench_thp_set(const char *mode);

/* report.c */
void bench_report_text(const struct bench *b, FILE *f);
void bench_report_csv(const struct bench *b, FILE *f);

#endif /* SVM_BENCH_H */
