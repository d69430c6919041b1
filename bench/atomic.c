// SPDX-License-Identifier: MIT
/*
 * vsvm's atomic engine throughput: with one handle in the context and
 * with the most a context may hold (the target handle acquired last, so that a
 * lookup walking the handles in order finds it last), each alone and
 * contended by CPU threads doing atomics on other words of the same
 * pages, which revoke them over and over.
 *
 * Copyright 2026 The svmatomic authors
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "uapi/drm/drm_svm.h"
#include "uapi/drm/vsvm_drm.h"

#include "bench.h"

#define TARGET_PAGES	16
#define BATCH		256
/* The handles of the crowded context: drm_svm_info.max_handles of vsvm. */
#define MANY_HANDLES	1024
#define CPU_THREADS	2
/* Each run of batches lasts at least this long. */
#define RUN_MS		300
/* Where in each page the CPU threads' words are: apart from the device's. */
#define CPU_WORD_OFF	2048

struct atomics {
	struct bench *b;
	enum bench_thp mode;
	char *target;
	char *filler;
	size_t filler_len;
	uint32_t *handles;
	unsigned int nhandles;
	struct drm_vsvm_atomic_op ops[BATCH];
	atomic_bool stop;
	atomic_uint ready;
};

struct cpu_thread {
	struct atomics *a;
	pthread_t thread;
	unsigned int id;
	uint64_t ops;
};

static void *cpu_adder(void *arg)
{
	struct cpu_thread *t = arg;
	struct atomics *a = t->a;
	size_t page = a->b->page;
	unsigned int pg = 0;
	uint64_t *w;

	atomic_fetch_add(&a->ready, 1);
	while (!atomic_load_explicit(&a->stop, memory_order_relaxed)) {
		w = (uint64_t *)(a->target + pg * page + CPU_WORD_OFF +
				 t->id * 64);
		__atomic_fetch_add(w, 1, __ATOMIC_RELAXED);
		t->ops++;
		pg = (pg + 1) % TARGET_PAGES;
	}
	return NULL;
}

/* Device ops/s over one run of batches, with @contend CPU threads on. */
static int one_run(struct atomics *a, bool contend, double *dev_rate,
		   double *cpu_rate)
{
	struct cpu_thread cpu[CPU_THREADS];
	uint64_t t0 = 0, t1 = 0, ops = 0, cpu_ops = 0;
	unsigned int i, started = 0;
	int ret = 0;

	atomic_store(&a->stop, false);
	atomic_store(&a->ready, 0);
	for (i = 0; contend && i < CPU_THREADS; i++) {
		cpu[i] = (struct cpu_thread){ .a = a, .id = i };
		ret = pthread_create(&cpu[i].thread, NULL, cpu_adder, &cpu[i]);
		if (ret) {
			bench_log("pthread_create: %s", strerror(ret));
			ret = -ret;
			goto stop;
		}
		started++;
	}
	while (atomic_load(&a->ready) < started)
		sched_yield();

	t0 = bench_now();
	do {
		ret = bench_vsvm_run(a->b->fd, a->b->ctx, a->ops, BATCH);
		if (ret)
			break;
		ops += BATCH;
		t1 = bench_now();
	} while (t1 - t0 < RUN_MS * 1000000ULL);
stop:
	atomic_store(&a->stop, true);
	for (i = 0; i < started; i++) {
		pthread_join(cpu[i].thread, NULL);
		cpu_ops += cpu[i].ops;
	}
	bench_drain_events(a->b);
	if (ret)
		return ret;
	*dev_rate = (double)ops * 1e9 / (double)(t1 - t0);
	*cpu_rate = (double)cpu_ops * 1e9 / (double)(t1 - t0);
	return 0;
}

static int acquire(struct atomics *a, void *p, size_t len)
{
	struct drm_svm_acquire acq;

	memset(&acq, 0, sizeof(acq));
	acq.addr = (uintptr_t)p;
	acq.length = len;
	acq.cookie = 3;
	if (ioctl(a->b->ctx, DRM_SVM_IOCTL_ACQUIRE, &acq))
		return -errno;
	a->handles[a->nhandles++] = acq.handle;
	return 0;
}

static void release_all(struct atomics *a)
{
	struct drm_svm_release rel;

	while (a->nhandles) {
		memset(&rel, 0, sizeof(rel));
		rel.handle = a->handles[--a->nhandles];
		if (ioctl(a->b->ctx, DRM_SVM_IOCTL_RELEASE, &rel)) {
			bench_log("release of handle %u: %s", rel.handle,
				  bench_errname(errno));
			a->b->errors++;
		}
	}
	bench_drain_events(a->b);
}

/*
 * The context holds @fillers one-page handles, then the target's, then the
 * runs alternate alone and contended, @reps of each.
 */
static void measure(struct atomics *a, unsigned int fillers,
		    enum bench_atomic alone, enum bench_atomic contended,
		    enum bench_atomic cpu)
{
	struct bench_samples *s = a->b->atomics[a->mode];
	double dev_rate, cpu_rate;
	unsigned int i;
	int ret = 0;

	for (i = 0; i < fillers && !ret; i++)
		ret = acquire(a, a->filler + i * a->b->page, a->b->page);
	if (!ret)
		ret = acquire(a, a->target, TARGET_PAGES * a->b->page);
	if (ret) {
		bench_fail(a->b, &s[alone], -ret);
		bench_fail(a->b, &s[contended], -ret);
		bench_fail(a->b, &s[cpu], -ret);
		release_all(a);
		return;
	}
	for (i = 0; i < a->b->reps; i++) {
		ret = one_run(a, false, &dev_rate, &cpu_rate);
		if (ret)
			bench_fail(a->b, &s[alone], -ret);
		else
			bench_add(&s[alone], dev_rate);
		ret = one_run(a, true, &dev_rate, &cpu_rate);
		if (ret) {
			bench_fail(a->b, &s[contended], -ret);
			bench_fail(a->b, &s[cpu], -ret);
		} else {
			bench_add(&s[contended], dev_rate);
			bench_add(&s[cpu], cpu_rate);
		}
	}
	release_all(a);
}

/* Returns 0, or -1 when the memory could not be set up (said why). */
int bench_atomics(struct bench *b, enum bench_thp mode)
{
	struct atomics *a;
	size_t tlen = TARGET_PAGES * b->page;
	unsigned int i;
	int ret = -1;

	b->atomic_pages = TARGET_PAGES;
	b->atomic_batch = BATCH;
	b->atomic_run_ms = RUN_MS;
	a = calloc(1, sizeof(*a));
	if (!a)
		return -1;
	a->b = b;
	a->mode = mode;
	a->filler_len = (MANY_HANDLES - 1) * b->page;
	a->handles = calloc(MANY_HANDLES, sizeof(*a->handles));
	a->target = bench_map(b, tlen, mode == THP_ALWAYS);
	a->filler = bench_map(b, a->filler_len, mode == THP_ALWAYS);
	if (!a->handles || !a->target || !a->filler)
		goto out;

	/* 8-byte adds on the first 128 bytes of every target page. */
	for (i = 0; i < BATCH; i++) {
		struct drm_vsvm_atomic_op *op = &a->ops[i];

		op->addr = (uintptr_t)(a->target +
				       (i % TARGET_PAGES) * b->page +
				       (i / TARGET_PAGES % 16) * 8);
		op->operand = 1;
		op->op = DRM_VSVM_OP_ADD;
		op->size = 8;
	}
	measure(a, 0, A_ALONE_1, A_CONTENDED_1, A_CPU_1);
	measure(a, MANY_HANDLES - 1, A_ALONE_MANY, A_CONTENDED_MANY,
		A_CPU_MANY);
	ret = 0;
out:
	bench_unmap(a->filler, a->filler_len);
	bench_unmap(a->target, tlen);
	free(a->handles);
	free(a);
	return ret;
}
