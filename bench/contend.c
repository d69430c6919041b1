// SPDX-License-Identifier: MIT
/*
 * svm-contend: what a hold time does to CPU/device ping-pong (issue 10).
 *
 * CPU threads and vsvm's atomic engine add 1 to the same 64-bit counters,
 * one at the start of each of P pages, for a fixed time. Every CPU add to
 * a page the device holds revokes it, and the device's next add takes it
 * back (DRM_VSVM_ATOMIC_REACQUIRE, as a replayable fault would), so with
 * no hold time the pages bounce. With a hold time the CPU's fault waits
 * until the device has had the page that long.
 *
 * For each P and hold time it prints the combined adds per second (and
 * its ratio to hold 0 at the same P), each side's share, revocations per
 * second, how often and how long the CPU waited (the context's fdinfo), and
 * the CPU's worst and 99th-percentile time for one add, which is where a
 * fault and its wait show. The counters must add up to every add made
 * (exclusivity loses none), or the run fails. Nothing judges a timing.
 *
 * Exit status: 0, 1 when a run failed (said why), 77 when there is no
 * vsvm device or its uAPI has no hold time.
 *
 * Copyright 2026 The svmatomic authors
 */
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "vsvm-helpers.h"

#include "bench.h"

#define MAX_POINTS	8
#define MAX_THREADS	8
/* Device adds per ioctl: a few per page, like a GPU kernel's wave. */
#define BATCH		64
/* Latency histogram: bucket i holds adds that took [2^i, 2^(i+1)) ns. */
#define NBUCKETS	40

struct options {
	unsigned int pages[MAX_POINTS], npages;
	unsigned int holds[MAX_POINTS], nholds;	/* microseconds */
	unsigned int threads;
	unsigned int run_ms;
	unsigned int reps;
	const char *csv;
};

struct cpu_thread {
	pthread_t thread;
	struct run *run;
	unsigned int id;
	uint64_t adds;
	uint64_t worst_ns;
	uint64_t hist[NBUCKETS];
};

struct run {
	int fd;		/* the vsvm DRM fd */
	int ctx;	/* the context */
	size_t page;
	unsigned int npages;
	char *mem;
	atomic_bool go, stop;
	atomic_uint ready;
	struct cpu_thread cpu[MAX_THREADS];
	struct drm_vsvm_atomic_op ops[BATCH];
};

/* What one run measures: adds, revocations and waits per second, ... */
enum column { C_COMBINED, C_DEVICE, C_CPU, C_REVOKE, C_WAITS, C_MEAN_WAIT,
	      C_WORST, C_P99, C_N };

static const char *const column_name[C_N] = {
	"combined_adds_per_s", "device_adds_per_s", "cpu_adds_per_s",
	"revocations_per_s", "waits_per_s", "mean_wait_us",
	"cpu_worst_add_us", "cpu_p99_add_us",
};

/* One repetition of one point, and the summary of all of them. */
struct result {
	double v[C_N];
};

static void *cpu_adder(void *arg)
{
	struct cpu_thread *t = arg;
	struct run *r = t->run;
	unsigned int pg = t->id % r->npages;
	uint64_t t0, t1, dt;
	unsigned int b;

	atomic_fetch_add(&r->ready, 1);
	while (!atomic_load(&r->go))
		;
	t0 = bench_now();
	while (!atomic_load_explicit(&r->stop, memory_order_relaxed)) {
		__atomic_fetch_add((uint64_t *)(r->mem + pg * r->page), 1,
				   __ATOMIC_RELAXED);
		t1 = bench_now();
		dt = t1 - t0;
		t0 = t1;
		t->adds++;
		if (dt > t->worst_ns)
			t->worst_ns = dt;
		for (b = 0; b + 1 < NBUCKETS && dt >> (b + 1); b++)
			;
		t->hist[b]++;
		pg = (pg + 1) % r->npages;
	}
	return NULL;
}

/* The upper bound of the bucket the 99th percentile add falls in, in us. */
static double p99_us(const struct run *r, unsigned int threads)
{
	uint64_t n = 0, seen = 0;
	unsigned int i, b;

	for (i = 0; i < threads; i++)
		n += r->cpu[i].adds;
	for (b = 0; b < NBUCKETS; b++) {
		for (i = 0; i < threads; i++)
			seen += r->cpu[i].hist[b];
		if (seen * 100 >= n * 99)
			break;
	}
	return (double)(2ULL << b) / 1e3;
}

static int info(int ctx, struct drm_svm_info *i)
{
	memset(i, 0, sizeof(*i));
	return ioctl(ctx, DRM_SVM_IOCTL_INFO, i) ? -errno : 0;
}

/* The context's hold waits so far, and their time: its fdinfo says. */
struct waits {
	uint64_t n, ns;
};

static int hold_waits(int ctx, struct waits *w)
{
	int ret = vsvm_fdinfo(ctx, "svm-hold-waits", &w->n);

	return ret ? ret : vsvm_fdinfo(ctx, "svm-hold-wait-ns", &w->ns);
}

/* The handle's revocation count: what a re-acquire returns. */
static int revocations(int ctx, uint32_t handle, uint32_t *seqno)
{
	struct drm_svm_reacquire rq;

	memset(&rq, 0, sizeof(rq));
	rq.handle = handle;
	if (ioctl(ctx, DRM_SVM_IOCTL_REACQUIRE, &rq))
		return -errno;
	*seqno = rq.seqno;
	return 0;
}

static int one_run(int fd, int ctx, size_t page, unsigned int npages,
		   uint32_t hold, const struct options *o, struct result *res)
{
	struct waits i0, i1;
	struct drm_svm_acquire acq;
	struct drm_svm_release rel;
	uint64_t t0, t1, dev = 0, cpu = 0, sum = 0, worst = 0;
	uint32_t seq0 = 0, seq1 = 0;
	unsigned int i, started = 0;
	struct run *r;
	int ret, err;

	r = calloc(1, sizeof(*r));
	if (!r)
		return -ENOMEM;
	r->fd = fd;
	r->ctx = ctx;
	r->page = page;
	r->npages = npages;
	r->mem = mmap(NULL, npages * page, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (r->mem == MAP_FAILED) {
		ret = -errno;
		free(r);
		return ret;
	}
	memset(r->mem, 0, npages * page);
	for (i = 0; i < BATCH; i++) {
		r->ops[i].addr = (uintptr_t)(r->mem + (i % npages) * page);
		r->ops[i].operand = 1;
		r->ops[i].op = DRM_VSVM_OP_ADD;
		r->ops[i].size = 8;
	}

	memset(&acq, 0, sizeof(acq));
	acq.addr = (uintptr_t)r->mem;
	acq.length = npages * page;
	acq.cookie = 10;
	acq.hold_us = hold;
	if (ioctl(ctx, DRM_SVM_IOCTL_ACQUIRE, &acq)) {
		ret = -errno;
		bench_log("acquire of %u pages, hold %u us: %s", npages, hold,
			  bench_errname(-ret));
		goto unmap;
	}
	ret = hold_waits(ctx, &i0);
	if (!ret)
		ret = revocations(ctx, acq.handle, &seq0);
	if (ret)
		goto release;

	for (i = 0; i < o->threads; i++) {
		r->cpu[i] = (struct cpu_thread){ .run = r, .id = i };
		err = pthread_create(&r->cpu[i].thread, NULL, cpu_adder,
				     &r->cpu[i]);
		if (err) {
			ret = -err;
			break;
		}
		started++;
	}
	while (atomic_load(&r->ready) < started)
		;
	atomic_store(&r->go, true);
	t0 = bench_now();
	t1 = t0;
	while (!ret && t1 - t0 < o->run_ms * 1000000ULL) {
		ret = bench_vsvm_run(fd, ctx, r->ops, BATCH);
		if (!ret)
			dev += BATCH;
		t1 = bench_now();
	}
	atomic_store(&r->stop, true);
	for (i = 0; i < started; i++) {
		pthread_join(r->cpu[i].thread, NULL);
		cpu += r->cpu[i].adds;
		if (r->cpu[i].worst_ns > worst)
			worst = r->cpu[i].worst_ns;
	}
	t1 = bench_now();
	if (ret) {
		bench_log("device adds on %u pages, hold %u us: %s", npages,
			  hold, bench_errname(-ret));
		goto release;
	}
	ret = revocations(ctx, acq.handle, &seq1);
	if (!ret)
		ret = hold_waits(ctx, &i1);
	if (ret)
		goto release;

	for (i = 0; i < npages; i++)
		sum += *(uint64_t *)(r->mem + i * page);
	if (sum != dev + cpu) {
		bench_log("LOST UPDATES: %u pages, hold %u us: the counters hold %llu, %llu device + %llu CPU adds were made",
			  npages, hold, (unsigned long long)sum,
			  (unsigned long long)dev, (unsigned long long)cpu);
		ret = -EPROTO;
		goto release;
	}
	{
		double s = (double)(t1 - t0) / 1e9;
		uint64_t waits = i1.n - i0.n;

		res->v[C_DEVICE] = (double)dev / s;
		res->v[C_CPU] = (double)cpu / s;
		res->v[C_COMBINED] = res->v[C_DEVICE] + res->v[C_CPU];
		res->v[C_REVOKE] = (double)(seq1 - seq0) / s;
		res->v[C_WAITS] = (double)waits / s;
		res->v[C_MEAN_WAIT] = waits ? (double)(i1.ns - i0.ns) /
					      (double)waits / 1e3 : 0;
		res->v[C_WORST] = (double)worst / 1e3;
		res->v[C_P99] = p99_us(r, started);
	}
release:
	memset(&rel, 0, sizeof(rel));
	rel.handle = acq.handle;
	if (acq.handle && ioctl(ctx, DRM_SVM_IOCTL_RELEASE, &rel) && !ret)
		ret = -errno;
	bench_drain_fd(ctx);
unmap:
	munmap(r->mem, npages * page);
	free(r);
	return ret;
}

/* "guest: Linux 6.12.x, 2 CPUs": bench/run copies it into the header. */
static void describe_guest(void)
{
	struct utsname u;

	if (!uname(&u))
		printf("guest: %s %s, %ld CPUs\n\n", u.sysname, u.release,
		       sysconf(_SC_NPROCESSORS_ONLN));
}

/* Medians over the repetitions; the worst add is the worst of them all. */
static void summarize(const struct result *reps, unsigned int n,
		      struct result *out)
{
	unsigned int c, i;

	for (c = 0; c < C_N; c++) {
		struct bench_samples s = { .n = 0 };

		out->v[c] = 0;
		for (i = 0; i < n; i++) {
			bench_add(&s, reps[i].v[c]);
			if (reps[i].v[c] > out->v[c])
				out->v[c] = reps[i].v[c];
		}
		if (c != C_WORST)
			bench_median(&s, &out->v[c]);
	}
}

static int parse_list(const char *arg, unsigned int *v, unsigned int *n,
		      double scale, unsigned int max)
{
	char *copy = strdup(arg), *tok, *save = NULL, *end;
	double x;

	*n = 0;
	for (tok = strtok_r(copy, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		x = strtod(tok, &end);
		if (*end || x < 0 || *n == MAX_POINTS || x * scale > max) {
			free(copy);
			return -1;
		}
		v[(*n)++] = (unsigned int)(x * scale + 0.5);
	}
	free(copy);
	return *n ? 0 : -1;
}

static void usage(int status)
{
	fprintf(status ? stderr : stdout,
		"usage: svm-contend [options]\n"
		"  --pages LIST     pages the counters are on (default 1,4,16,64)\n"
		"  --holds LIST     hold times in ms (default 0,0.1,1,5)\n"
		"  --threads N      CPU threads (default 1)\n"
		"  --run-ms MS      each run (default 1000)\n"
		"  --reps N         runs per point, median (default 3)\n"
		"  --csv FILE       also write one row per value\n");
	exit(status);
}

static void parse(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{ "pages", required_argument, NULL, 'p' },
		{ "holds", required_argument, NULL, 'H' },
		{ "threads", required_argument, NULL, 't' },
		{ "run-ms", required_argument, NULL, 'r' },
		{ "reps", required_argument, NULL, 'n' },
		{ "csv", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	parse_list("1,4,16,64", o->pages, &o->npages, 1, 4096);
	parse_list("0,0.1,1,5", o->holds, &o->nholds, 1000,
		   DRM_SVM_HOLD_MAX_US);
	o->threads = 1;
	o->run_ms = 1000;
	o->reps = 3;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'p':
			if (parse_list(optarg, o->pages, &o->npages, 1, 4096))
				usage(1);
			break;
		case 'H':
			if (parse_list(optarg, o->holds, &o->nholds, 1000,
				       DRM_SVM_HOLD_MAX_US))
				usage(1);
			break;
		case 't':
			o->threads = (unsigned int)atoi(optarg);
			if (!o->threads || o->threads > MAX_THREADS)
				usage(1);
			break;
		case 'r':
			o->run_ms = (unsigned int)atoi(optarg);
			if (!o->run_ms)
				usage(1);
			break;
		case 'n':
			o->reps = (unsigned int)atoi(optarg);
			if (!o->reps || o->reps > BENCH_MAX_REPS)
				usage(1);
			break;
		case 'c':
			o->csv = optarg;
			break;
		case 'h':
			usage(0);
			break;
		default:
			usage(1);
		}
	}
	if (optind != argc)
		usage(1);
	for (c = 0; c < (int)o->npages; c++)
		if (!o->pages[c])
			usage(1);
}

int main(int argc, char **argv)
{
	static struct result res[MAX_POINTS][MAX_POINTS];
	struct result reps[BENCH_MAX_REPS];
	struct drm_svm_info inf;
	struct options o = { 0 };
	unsigned int pi, hi, k, failed = 0;
	char path[300];
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	FILE *csv = NULL;
	int fd, ctx, ret = 0;

	bench_prog = "svm-contend";
	parse(argc, argv, &o);
	describe_guest();
	fd = bench_open_vsvm(path, sizeof(path));
	if (fd < 0) {
		bench_log("SKIP: no vsvm render node under /dev/dri");
		return 77;
	}
	ctx = vsvm_context_create(fd, DRM_SVM_CONTEXT_NONBLOCK, NULL);
	if (ctx < 0) {
		bench_log("SKIP: %s creates no SVM context: %s", path,
			  strerror(-ctx));
		return 77;
	}
	if (info(ctx, &inf) || inf.version < 2 || !inf.max_hold_us) {
		bench_log("SKIP: %s has no hold time (uAPI version %u)", path,
			  inf.version);
		return 77;
	}
	if (o.csv) {
		csv = fopen(o.csv, "w");
		if (!csv) {
			bench_log("%s: %s", o.csv, strerror(errno));
			return 1;
		}
		fprintf(csv, "pages,hold_us,metric,value\n");
	}

	for (pi = 0; pi < o.npages; pi++) {
		for (hi = 0; hi < o.nholds; hi++) {
			for (k = 0; k < o.reps; k++) {
				ret = one_run(fd, ctx, page, o.pages[pi],
					      o.holds[hi], &o, &reps[k]);
				if (ret)
					break;
			}
			if (ret) {
				failed++;
				memset(&res[pi][hi], 0, sizeof(res[pi][hi]));
				continue;
			}
			summarize(reps, o.reps, &res[pi][hi]);
			bench_log("%u pages, hold %.1f ms: %.0f adds/s",
				  o.pages[pi], o.holds[hi] / 1e3,
				  res[pi][hi].v[C_COMBINED]);
		}
	}

	printf("CPU threads and the vsvm device adding to the same counters, one per page\n");
	printf("%u CPU thread(s), %u-add device batches, runs of %u ms, median of %u (worst add: the worst of all)\n\n",
	       o.threads, BATCH, o.run_ms, o.reps);
	printf("%5s %7s %11s %7s %11s %11s %9s %8s %9s %10s %9s\n",
	       "pages", "hold_ms", "adds/s", "x_hold0", "device/s", "cpu/s",
	       "revoke/s", "waits/s", "wait_us", "worst_us", "p99_us");
	for (pi = 0; pi < o.npages; pi++) {
		for (hi = 0; hi < o.nholds; hi++) {
			const double *v = res[pi][hi].v;
			double base = res[pi][0].v[C_COMBINED];
			enum column c;

			if (!v[C_COMBINED]) {
				printf("%5u %7.1f  failed (see the log)\n",
				       o.pages[pi], o.holds[hi] / 1e3);
				continue;
			}
			printf("%5u %7.1f %11.0f %7.2f %11.0f %11.0f %9.0f %8.0f %9.0f %10.0f %9.0f\n",
			       o.pages[pi], o.holds[hi] / 1e3, v[C_COMBINED],
			       base ? v[C_COMBINED] / base : 0, v[C_DEVICE],
			       v[C_CPU], v[C_REVOKE], v[C_WAITS],
			       v[C_MEAN_WAIT], v[C_WORST], v[C_P99]);
			for (c = 0; csv && c < C_N; c++)
				fprintf(csv, "%u,%u,%s,%.3f\n", o.pages[pi],
					o.holds[hi], column_name[c], v[c]);
			if (csv && base)
				fprintf(csv, "%u,%u,combined_vs_hold0,%.4f\n",
					o.pages[pi], o.holds[hi],
					v[C_COMBINED] / base);
		}
	}
	printf("\nx_hold0: combined adds/s against hold 0 at the same pages. worst_us bounds\n"
	       "a CPU add, fault and wait included: compare it with the hold time plus\n"
	       "worst_us at hold 0 (the revocation without a wait).\n");
	if (csv)
		fclose(csv);
	close(ctx);
	close(fd);
	return failed ? 1 : 0;
}
