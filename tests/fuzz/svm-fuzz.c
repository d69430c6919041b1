// SPDX-License-Identifier: MIT
/*
 * svm-fuzz: a seeded ioctl fuzzer of the device-exclusive SVM uAPI
 * (include/uapi/drm/drm_svm.h) and of vsvm's atomic ioctl
 * (include/uapi/drm/vsvm_drm.h), run in the guest VM.
 *
 * Caller threads issue random sequences of the context ioctls
 * DRM_SVM_IOCTL_INFO, _ACQUIRE, _REACQUIRE, _RELEASE, _QUERY, _SET_HOLD
 * and of DRM_IOCTL_VSVM_ATOMIC (with hold times kept short) on two
 * contexts of the vsvm device, each created on a DRM file of its own (so
 * that the handles of one are foreign to the other; the atomic ioctl goes
 * to either DRM file and names a context), and the context ioctls on DRM
 * files, vgem's (a driver without the feature) or vsvm's, where they are
 * no ioctl at all: about half of them well-formed, so that the real paths
 * run, the others with boundary values, some with the argument's size,
 * number, type or direction changed (a shorter argument is zero-extended,
 * a longer one must have a zero tail, anything else is -ENOTTY). A
 * forked child checks that the contexts refuse it everything (-EPERM,
 * POLLERR). Mapping-changer threads meanwhile remap, unmap, mremap,
 * mprotect, MADV_DONTNEED, migrate, collapse, touch and fork over the
 * same pool of regions, and a reader thread reads the revocation events
 * and checks every one of them. The changers also replace regions, held
 * or not, with every kind of mapping the ioctls must refuse or survive:
 * 2 MiB and 1 GiB hugetlb pages, private and shared file mappings, a vgem
 * GEM object's mmap, read-only and PROT_NONE memory. --unprivileged runs
 * it all as nobody under a small RLIMIT_MEMLOCK.
 *
 * Every error must be one that the uAPI headers document for that ioctl
 * (tables below, built from the headers' kernel-doc) and every result
 * must keep the invariants the headers state. A failure prints the seed,
 * the thread, the call number, the ioctl and its argument struct (as
 * given and as returned) and exits 1. Exit 0 on success, 77 when there is
 * no vsvm device.
 *
 * Reproducibility: each thread draws from its own PRNG seeded from the
 * seed and the thread's index. A run with one caller and no mapping
 * changers (--threads 1 --quiet-mm) makes the same calls for the same
 * seed, every time. Runs with more threads make the same calls per
 * thread, but their interleaving, and so the kernel's answers and the
 * calls that depend on them (which handles exist), is up to scheduling.
 *
 * Copyright 2026 The svmatomic authors
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <grp.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "uapi/drm/drm_svm.h"
#include "uapi/drm/vsvm_drm.h"
#include "vsvm-helpers.h"
#include "vsvm_test.h"

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif
#ifndef MADV_COLLAPSE
#define MADV_COLLAPSE 25
#endif
#ifndef MREMAP_FIXED
#define MREMAP_FIXED 2
#endif
#ifndef MAP_HUGE_SHIFT
#define MAP_HUGE_SHIFT 26
#endif
#define HUGE_2M		(2ULL << 20)
#define HUGE_1G		(1ULL << 30)
/* The 1 GiB region: 64 pages of anonymous memory at a 1 GiB boundary. */
#define GIGA_PAGES	64
/* Its hugetlb replacement zeroes a gigabyte: a few times a run at most. */
#define GIGA_MAX_REPLACE 4
/* --unprivileged: RLIMIT_MEMLOCK, in pages */
#define UNPRIV_MEMLOCK_PAGES 64

#define PAGE		4096ULL
#define TASK_SIZE_X86	0x7ffffffff000ULL	/* x86-64, 4-level paging */
#define TASK_SIZE_X86_LA57 0xfffffffffff000ULL	/* x86-64, 5-level paging */
#define KADDR_DIRECT	0xffff888000000000ULL
#define KADDR_TEXT	0xffffffff81000000ULL

/* The arena: every address the fuzzer lets the kernel write to. */
#define ARENA_HINT	0x600000000000ULL
#define SLOT_SIZE	(4ULL << 20)
#define NSLOTS		16
#define POOL_SIZE	(NSLOTS * SLOT_SIZE)
#define SCRATCH_PAGES	16
#define SCRATCH_SIZE	(SCRATCH_PAGES * PAGE)
#define SCRATCH_STRIDE	(256ULL << 10)	/* scratch, then a guard */
#define MAX_THREADS	32
#define ARENA_SIZE	(POOL_SIZE + MAX_THREADS * SCRATCH_STRIDE)

#define MAX_TRACKED	96	/* handles tracked per context */
#define NSTALE		32
#define NHIST		(1 << 16)
#define MAX_OPS		8	/* ops of a well-formed atomic batch */
#define ERRNO_MAX	160

enum { IO_INFO, IO_ACQUIRE, IO_REACQUIRE, IO_RELEASE, IO_QUERY, IO_ATOMIC,
       IO_SET_HOLD, IO_N };
static const char *const io_name[IO_N] = {
	"DRM_SVM_IOCTL_INFO", "DRM_SVM_IOCTL_ACQUIRE",
	"DRM_SVM_IOCTL_REACQUIRE", "DRM_SVM_IOCTL_RELEASE",
	"DRM_SVM_IOCTL_QUERY", "DRM_IOCTL_VSVM_ATOMIC",
	"DRM_SVM_IOCTL_SET_HOLD",
};
static const unsigned long io_req[IO_N] = {
	DRM_SVM_IOCTL_INFO, DRM_SVM_IOCTL_ACQUIRE, DRM_SVM_IOCTL_REACQUIRE,
	DRM_SVM_IOCTL_RELEASE, DRM_SVM_IOCTL_QUERY, DRM_IOCTL_VSVM_ATOMIC,
	DRM_SVM_IOCTL_SET_HOLD,
};

/*
 * How a context ioctl's command is changed (issued with the argument of
 * struct call's @in, in a buffer of its own):
 *  SZ_LONG_ZERO   a longer argument with a zero tail: as the real one
 *  SZ_LONG_DIRTY  a longer argument with a nonzero tail: -E2BIG
 *  SZ_SHORT       a shorter one whose missing input fields are zero in
 *                 @in: as the real one
 *  SZ_SHORT_INFO  INFO of any shorter size: what fits is written back
 *  SZ_BAD_NR, SZ_BAD_TYPE, SZ_BAD_DIR   no ioctl of the context: -ENOTTY
 */
enum { SZ_NONE, SZ_LONG_ZERO, SZ_LONG_DIRTY, SZ_SHORT, SZ_SHORT_INFO,
       SZ_BAD_NR, SZ_BAD_TYPE, SZ_BAD_DIR, SZ_N };
static const char *const sz_name[SZ_N] = {
	"natural", "longer-zero-tail", "longer-nonzero-tail", "shorter",
	"shorter-info", "unknown-nr", "other-type", "other-direction",
};
#define ARGBUF_MAX	128

/*
 * Hold times stay short: the callers' own touches of held pages wait for
 * them, and a fuzzer that sleeps finds nothing.
 */
#define FUZZ_HOLD_US	200

/*
 * The targets: the contexts A and B, each on a vsvm DRM file of its own,
 * and FD_DRM, DRM files (vgem's, no SVM support, or vsvm's): the context
 * ioctls are none of theirs, and vsvm's atomic ioctl on vgem's is vgem's
 * own ioctl of that number.
 */
enum { FD_A, FD_B, FD_DRM, FD_N };
static const char *const fd_name[FD_N] = { "ctx-A", "ctx-B", "drm-file" };

/* ---- options and global state ---- */

static uint64_t opt_seed;
static unsigned long opt_calls = 100000;
static int opt_threads = 4;
static int opt_mm_threads = 2;
static unsigned int opt_max_seconds = 600;
static bool opt_quiet_mm;
static bool opt_verbose;
static bool opt_no_negative_control;

/* the contexts A and B; vgem's DRM file (or -1) */
static int fds[FD_N] = { -1, -1, -1 };
/* the vsvm DRM files A's and B's contexts were created on */
static int drm_fds[2] = { -1, -1 };
static uintptr_t arena;
static unsigned long task_size = TASK_SIZE_X86;
static volatile int stop_callers, stop_others;
static unsigned long calls_claimed;	/* atomic */
static pthread_mutex_t print_lock = PTHREAD_MUTEX_INITIALIZER;
static struct timespec t_start;

/*
 * The kernel's TASK_SIZE, which bounds every span it accepts: 47 bits
 * with 4-level paging, 56 when the kernel and the CPU have 5-level paging
 * (Linux 7.3 always builds it, under qemu's -cpu max it is on), which
 * shows as a mapping hint above 47 bits being honoured
 * (Documentation/arch/x86/x86_64/5level-paging.rst).
 */
static void probe_task_size(void)
{
	void *hint = (void *)(1UL << 48), *p;

	p = mmap(hint, PAGE, PROT_NONE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (p == hint)
		task_size = TASK_SIZE_X86_LA57;
	if (p != MAP_FAILED)
		munmap(p, PAGE);
}

static double elapsed(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t_start.tv_sec) +
	       (double)(t.tv_nsec - t_start.tv_nsec) / 1e9;
}

/* ---- PRNG: splitmix64, one per thread ---- */

struct rng {
	uint64_t s;
};

static uint64_t rnd(struct rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Uniform in [0, n); n > 0. */
static uint64_t below(struct rng *r, uint64_t n)
{
	return rnd(r) % n;
}

static bool chance(struct rng *r, unsigned int percent)
{
	return below(r, 100) < percent;
}

static void rng_init(struct rng *r, uint64_t seed, uint64_t idx)
{
	r->s = seed ^ (idx * 0xd1b54a32d192ed03ULL);
	rnd(r);
}

/* ---- the pool of regions ---- */

enum { K_ANON, K_SHARED, K_FILE, K_RO, K_NONE, K_SHORT };
enum { ST_RW, ST_RO, ST_NONE, ST_UNMAPPED, ST_MOVED, ST_FOREIGN };

struct region {
	uintptr_t addr;
	size_t npages;
	int kind;
	bool thp;
	pthread_mutex_t lock;	/* held by whoever changes the mapping */
	int state;		/* under @lock */
	size_t foreign_len;	/* ST_FOREIGN: bytes the replacement maps */
};

static struct region pool[NSLOTS];
/* Outside the pool: a region at a 1 GiB boundary, for 1 GiB hugetlb. */
static struct region giga;
static bool opt_unprivileged;
static int vgem_card = -1;	/* a primary node of vgem, for GEM objects */

static const struct {
	size_t npages;
	int kind;
} pool_layout[NSLOTS] = {
	{ 1, K_ANON }, { 2, K_ANON }, { 3, K_ANON }, { 8, K_ANON },
	{ 16, K_ANON }, { 64, K_ANON }, { 65, K_ANON }, { 512, K_ANON },
	{ 16, K_ANON }, { 130, K_ANON }, { 4, K_ANON },
	{ 4, K_SHARED }, { 4, K_FILE }, { 4, K_RO }, { 4, K_NONE },
	{ 4, K_SHORT },	/* three pages mapped, the fourth a hole */
};
#define NANON 11	/* the first NANON slots are private anonymous */

static uintptr_t ro_page(void)
{
	return pool[13].addr;
}

static uintptr_t hole_page(void)
{
	return pool[15].addr + 3 * PAGE;
}

static uintptr_t scratch_of(int thread)
{
	return arena + POOL_SIZE + (uintptr_t)thread * SCRATCH_STRIDE;
}

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "svm-fuzz: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	exit(99);
}

static void map_rw(uintptr_t addr, size_t len)
{
	if (mmap((void *)addr, len, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED)
		die("mmap %#lx: %s", (unsigned long)addr, strerror(errno));
}

static void reserve(uintptr_t addr, size_t len)
{
	if (mmap((void *)addr, len, PROT_NONE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE,
		 -1, 0) == MAP_FAILED)
		die("mmap %#lx: %s", (unsigned long)addr, strerror(errno));
}

/*
 * The arena is a fixed reservation well below where mmap() places
 * mappings (top-down from the stack), so that its holes are never filled
 * by someone else's mapping: a pointer into a hole stays unmapped.
 */
static void setup_arena(void)
{
	void *p;
	int i, mfd;

	p = mmap((void *)ARENA_HINT, ARENA_SIZE, PROT_NONE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE |
		 MAP_FIXED_NOREPLACE, -1, 0);
	if (p == MAP_FAILED || (uintptr_t)p != ARENA_HINT)
		die("cannot reserve the arena at %#llx", ARENA_HINT);
	arena = (uintptr_t)p;

	for (i = 0; i < NSLOTS; i++) {
		struct region *r = &pool[i];
		size_t len = pool_layout[i].npages * PAGE;

		r->addr = arena + (uintptr_t)i * SLOT_SIZE;
		r->npages = pool_layout[i].npages;
		r->kind = pool_layout[i].kind;
		r->state = ST_RW;
		pthread_mutex_init(&r->lock, NULL);
		switch (r->kind) {
		case K_ANON:
			map_rw(r->addr, len);
			if (r->npages == 512) {
				r->thp = true;
				madvise((void *)r->addr, len, MADV_HUGEPAGE);
			}
			memset((void *)r->addr, 0x5a, len);
			break;
		case K_SHARED:
			if (mmap((void *)r->addr, len, PROT_READ | PROT_WRITE,
				 MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED,
				 -1, 0) == MAP_FAILED)
				die("mmap shared: %s", strerror(errno));
			memset((void *)r->addr, 1, len);
			break;
		case K_FILE:
			mfd = memfd_create("svm-fuzz", MFD_CLOEXEC);
			if (mfd < 0 || ftruncate(mfd, (off_t)len))
				die("memfd: %s", strerror(errno));
			if (mmap((void *)r->addr, len, PROT_READ | PROT_WRITE,
				 MAP_PRIVATE | MAP_FIXED, mfd, 0) == MAP_FAILED)
				die("mmap memfd: %s", strerror(errno));
			close(mfd);
			memset((void *)r->addr, 2, len);
			break;
		case K_RO:
			map_rw(r->addr, len);
			memset((void *)r->addr, 0, len);
			mprotect((void *)r->addr, len, PROT_READ);
			r->state = ST_RO;
			break;
		case K_NONE:
			r->state = ST_NONE;	/* the reservation itself */
			break;
		case K_SHORT:
			map_rw(r->addr, len - PAGE);
			munmap((void *)(r->addr + len - PAGE), PAGE);
			break;
		}
	}
	for (i = 0; i < MAX_THREADS; i++)
		map_rw(scratch_of(i), SCRATCH_SIZE);	/* guard follows */

	/* A gigabyte of reservation at a 1 GiB boundary, its start mapped. */
	p = mmap(NULL, 2 * HUGE_1G, PROT_NONE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p != MAP_FAILED) {
		uintptr_t a = ((uintptr_t)p + HUGE_1G - 1) & ~(HUGE_1G - 1);

		if (a > (uintptr_t)p)
			munmap(p, a - (uintptr_t)p);
		munmap((void *)(a + HUGE_1G),
		       (uintptr_t)p + 2 * HUGE_1G - (a + HUGE_1G));
		giga.addr = a;
		giga.npages = GIGA_PAGES;
		giga.kind = K_ANON;
		giga.state = ST_RW;
		pthread_mutex_init(&giga.lock, NULL);
		map_rw(giga.addr, GIGA_PAGES * PAGE);
		memset((void *)giga.addr, 0x5a, GIGA_PAGES * PAGE);
	}
}

/* ---- statistics ---- */

struct stats {
	unsigned long calls[FD_N][IO_N];
	unsigned long ok[FD_N][IO_N];
	unsigned long err[FD_N][IO_N][ERRNO_MAX];
	unsigned long wellformed[IO_N];
	unsigned long sz[SZ_N];		/* calls by how the command changed */
	unsigned long acq_ok, acq_partial_ok, reacq_ok, rel_eager_ok,
		      rel_lazy_ok, query_ok, atomic_ok, atomic_reacq_ok,
		      atomic_ops_done, atomic_reacquired, touches;
};

/* ---- the tracked handles of each context ---- */

struct tracked {
	uint32_t handle;
	uintptr_t addr;
	uint64_t npages;
	unsigned long added;	/* htab.nadded when it was added */
};

static struct {
	pthread_mutex_t lock;
	struct tracked live[MAX_TRACKED];
	int nlive;
	uint32_t stale[NSTALE];
	unsigned int nstale;
	/*
	 * Handles released (with a handle number not taken from the table,
	 * e.g. another file's) before their acquire got to track them.
	 */
	uint32_t gone[NSTALE];
	unsigned int ngone;
	/* What happened to handles, for a report of a mismatch at the end */
	struct hist {
		unsigned long global;
		int thread, io, ret;
		uint32_t handle;
	} hist[NHIST];
	unsigned long nhist;
	uint32_t max_handle;
	unsigned long nadded;
} htab[2] = {
	{ .lock = PTHREAD_MUTEX_INITIALIZER },
	{ .lock = PTHREAD_MUTEX_INITIALIZER },
};

/* Returns false when there is no room: the caller releases the handle. */
static bool track_add(int f, uint32_t h, uintptr_t addr, uint64_t npages)
{
	bool ok = false;
	unsigned int i;

	pthread_mutex_lock(&htab[f].lock);
	for (i = 0; i < NSTALE; i++) {
		if (htab[f].gone[i] == h) {
			htab[f].gone[i] = 0;
			pthread_mutex_unlock(&htab[f].lock);
			return true;	/* released already */
		}
	}
	if (htab[f].nlive < MAX_TRACKED) {
		htab[f].live[htab[f].nlive++] =
			(struct tracked){ h, addr, npages, ++htab[f].nadded };
		ok = true;
	}
	pthread_mutex_unlock(&htab[f].lock);
	return ok;
}

static void track_del(int f, uint32_t h)
{
	int i;

	pthread_mutex_lock(&htab[f].lock);
	for (i = 0; i < htab[f].nlive; i++) {
		if (htab[f].live[i].handle == h) {
			htab[f].live[i] = htab[f].live[--htab[f].nlive];
			htab[f].stale[htab[f].nstale++ % NSTALE] = h;
			pthread_mutex_unlock(&htab[f].lock);
			return;
		}
	}
	htab[f].gone[htab[f].ngone++ % NSTALE] = h;
	pthread_mutex_unlock(&htab[f].lock);
}

static unsigned long track_generation(int f)
{
	unsigned long n;

	pthread_mutex_lock(&htab[f].lock);
	n = htab[f].nadded;
	pthread_mutex_unlock(&htab[f].lock);
	return n;
}

/*
 * A handle found unknown by a call that started at generation @gen:
 * someone released it, if it was tracked before that call started (one
 * tracked since may have been created after the call looked).
 */
static void track_forget(int f, uint32_t h, unsigned long gen)
{
	int i;

	pthread_mutex_lock(&htab[f].lock);
	for (i = 0; i < htab[f].nlive; i++) {
		if (htab[f].live[i].handle == h &&
		    htab[f].live[i].added <= gen) {
			htab[f].live[i] = htab[f].live[--htab[f].nlive];
			break;
		}
	}
	pthread_mutex_unlock(&htab[f].lock);
}

static void hist_add(int f, unsigned long global, int thread, int io, int ret,
		     uint32_t h)
{
	pthread_mutex_lock(&htab[f].lock);
	htab[f].hist[htab[f].nhist++ % NHIST] =
		(struct hist){ global, thread, io, ret, h };
	if (io == IO_ACQUIRE && !ret && h > htab[f].max_handle)
		htab[f].max_handle = h;
	pthread_mutex_unlock(&htab[f].lock);
}

static bool track_pick(int f, struct rng *r, struct tracked *out)
{
	bool ok = false;

	pthread_mutex_lock(&htab[f].lock);
	if (htab[f].nlive) {
		*out = htab[f].live[below(r, (uint64_t)htab[f].nlive)];
		ok = true;
	}
	pthread_mutex_unlock(&htab[f].lock);
	return ok;
}

static bool track_find(int f, uint32_t h, struct tracked *out)
{
	bool ok = false;
	int i;

	pthread_mutex_lock(&htab[f].lock);
	for (i = 0; i < htab[f].nlive; i++) {
		if (htab[f].live[i].handle == h) {
			*out = htab[f].live[i];
			ok = true;
			break;
		}
	}
	pthread_mutex_unlock(&htab[f].lock);
	return ok;
}

static int track_count(int f)
{
	int n;

	pthread_mutex_lock(&htab[f].lock);
	n = htab[f].nlive;
	pthread_mutex_unlock(&htab[f].lock);
	return n;
}

static uint32_t stale_pick(int f, struct rng *r)
{
	uint32_t h = 0;

	pthread_mutex_lock(&htab[f].lock);
	if (htab[f].nstale) {
		unsigned int n = htab[f].nstale < NSTALE ? htab[f].nstale : NSTALE;

		h = htab[f].stale[below(r, n)];
	}
	pthread_mutex_unlock(&htab[f].lock);
	return h;
}

/* ---- the allowed errnos, from the headers' kernel-doc ---- */

/*
 * drm_svm.h, "Errors common to the context's ioctls": EINVAL, E2BIG,
 * ENOTTY, EFAULT, EPERM, ENOMEM, EINTR. E2BIG and ENOTTY only come from a
 * changed command (struct call's sz), which expects them exactly, and
 * EPERM only to another mm (the fork child's check): neither is allowed
 * here. struct drm_svm_acquire adds EACCES, EOPNOTSUPP, EBUSY, ENOMEM,
 * ENOSPC (max_handles: the only one since uAPI 3, no event space), EEXIST;
 * struct drm_svm_reacquire "errors as drm_svm_acquire" and ENOENT, but
 * never ENOSPC (it adds no handle); struct drm_svm_release and struct
 * drm_svm_set_hold ENOENT; struct drm_svm_query and struct drm_svm_info
 * nothing more.
 * vsvm_drm.h, struct drm_vsvm_atomic: EINVAL (also a ctx_fd that is no
 * context of the device), EBADF (a ctx_fd that is no file), EFAULT,
 * ENXIO, ENOMEM, EINTR, and with DRM_VSVM_ATOMIC_REACQUIRE the errors of
 * DRM_SVM_IOCTL_REACQUIRE.
 *
 * Generic, from the DRM core for the atomic ioctl on a DRM file
 * (Documentation/gpu/drm-uapi.rst, "Recommended IOCTL Return Values"):
 * EINTR, ENOMEM and EFAULT (drm_ioctl() copying the argument struct).
 * ENODEV (device unplugged) is not allowed: nothing unplugs vsvm here.
 *
 * On a DRM file the context ioctls are no DRM ioctl (their type is not
 * DRM's): drm_ioctl() says ENOTTY, before it looks at anything else.
 * vsvm's atomic ioctl number on vgem's file is vgem's own ioctl of that
 * number (a fence attach): the DRM core's EINVAL or ENOTTY, or vgem's
 * EINVAL or ENOENT.
 */
static bool allowed[FD_N][IO_N][2][ERRNO_MAX];	/* [..][reacquire flag] */

static void allow(int f, int io, int reacq, const int *e, int n)
{
	int i;

	for (i = 0; i < n; i++)
		allowed[f][io][reacq][e[i]] = true;
}

#define ALLOW(f, io, rq, ...) do { \
	static const int e_[] = { __VA_ARGS__ }; \
	allow(f, io, rq, e_, (int)(sizeof(e_) / sizeof(e_[0]))); \
} while (0)

static void build_tables(void)
{
	int f, io, rq;

	for (f = FD_A; f <= FD_B; f++) {
		for (io = 0; io < IO_N; io++)
			for (rq = 0; rq < 2; rq++)
				ALLOW(f, io, rq, EINTR, ENOMEM, EFAULT);
		for (rq = 0; rq < 2; rq++) {
			ALLOW(f, IO_INFO, rq, EINVAL);
			ALLOW(f, IO_QUERY, rq, EINVAL);
			ALLOW(f, IO_RELEASE, rq, EINVAL, ENOENT);
			ALLOW(f, IO_ACQUIRE, rq, EINVAL, EOPNOTSUPP, EACCES,
			      EBUSY, ENOSPC, EEXIST);
			ALLOW(f, IO_REACQUIRE, rq, EINVAL, EOPNOTSUPP, EACCES,
			      EBUSY, EEXIST, ENOENT);
			ALLOW(f, IO_ATOMIC, rq, EINVAL, EBADF, ENXIO);
			ALLOW(f, IO_SET_HOLD, rq, EINVAL, ENOENT);
		}
		ALLOW(f, IO_ATOMIC, 1, EOPNOTSUPP, EACCES, EBUSY, EEXIST,
		      ENOENT);
	}
	for (io = 0; io < IO_N; io++)
		for (rq = 0; rq < 2; rq++) {
			if (io == IO_ATOMIC)
				ALLOW(FD_DRM, io, rq, EINTR, ENOMEM, EFAULT,
				      EINVAL, ENOTTY, ENOENT);
			else
				ALLOW(FD_DRM, io, rq, ENOTTY);
		}
}

/* ---- one call: its arguments, as given and as returned ---- */

union args {
	struct drm_svm_info info;
	struct drm_svm_acquire acq;
	struct drm_svm_reacquire reacq;
	struct drm_svm_release rel;
	struct drm_svm_query query;
	struct drm_vsvm_atomic atomic;
	struct drm_svm_set_hold hold;
};

struct call {
	int io, f;
	int fd;			/* where the ioctl went */
	int drm_f;		/* IO_ATOMIC on a context: its DRM file */
	int sz;			/* SZ_*: how the command was changed */
	unsigned int cmd;	/* the command issued */
	int expect;		/* the one errno the call must fail with */
	unsigned int ksize;	/* the argument's real size */
	unsigned char argbuf[ARGBUF_MAX];	/* what went to the kernel */
	bool wellformed, must_fail;
	bool unusable;		/* the address can never be acquired */
	unsigned long gen;	/* track_generation() before the call */
	char whatbuf[160];	/* the boundary value(s) used */
	bool bad_argp;		/* pass @argp, not &out, to ioctl() */
	uintptr_t argp;
	union args in, out;
	struct drm_vsvm_atomic_op ops[MAX_OPS];	/* the first ops, as given */
	unsigned int nops;	/* how many of them are valid in @ops */
	int ret;
};

struct thread {
	int idx;
	pthread_t tid;
	struct rng rng;
	unsigned long ncalls;	/* calls made by this thread */
	unsigned long global;	/* the global number of the current call */
	volatile int in_call;
	struct call c;
	struct stats st;
	uintptr_t scratch;
};

static struct thread *threads;

static void what(struct call *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void what(struct call *c, const char *fmt, ...)
{
	size_t len = strlen(c->whatbuf);
	va_list ap;

	if (len + 2 >= sizeof(c->whatbuf))
		return;
	if (len)
		c->whatbuf[len++] = ' ';
	va_start(ap, fmt);
	vsnprintf(c->whatbuf + len, sizeof(c->whatbuf) - len, fmt, ap);
	va_end(ap);
}

static const char *errname(int e)
{
	static const struct {
		int e;
		const char *n;
	} names[] = {
		{ EPERM, "EPERM" }, { ENOENT, "ENOENT" }, { EINTR, "EINTR" },
		{ EIO, "EIO" }, { EBADF, "EBADF" }, { ENXIO, "ENXIO" },
		{ E2BIG, "E2BIG" },
		{ EAGAIN, "EAGAIN" }, { ENOMEM, "ENOMEM" },
		{ EACCES, "EACCES" }, { EFAULT, "EFAULT" }, { EBUSY, "EBUSY" },
		{ EEXIST, "EEXIST" }, { ENODEV, "ENODEV" },
		{ EINVAL, "EINVAL" }, { ENOTTY, "ENOTTY" },
		{ ENOSPC, "ENOSPC" }, { ERANGE, "ERANGE" },
		{ EOVERFLOW, "EOVERFLOW" }, { EOPNOTSUPP, "EOPNOTSUPP" },
		{ EHWPOISON, "EHWPOISON" }, { ETIMEDOUT, "ETIMEDOUT" },
		{ EDEADLK, "EDEADLK" }, { ESRCH, "ESRCH" },
	};
	static char buf[ERRNO_MAX][16];
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].e == e)
			return names[i].n;
	if (e > 0 && e < ERRNO_MAX) {
		snprintf(buf[e], sizeof(buf[e]), "errno%d", e);
		return buf[e];
	}
	return "errno?";
}

static void print_args(FILE *o, int io, const union args *a)
{
	switch (io) {
	case IO_INFO:
		fprintf(o, "{version=%u flags=%#x page_size=%u event_size=%u max_handles=%u handles=%u max_pages=%llu pages=%llu}",
			a->info.version, a->info.flags, a->info.page_size,
			a->info.event_size, a->info.max_handles,
			a->info.handles, (unsigned long long)a->info.max_pages,
			(unsigned long long)a->info.pages);
		break;
	case IO_ACQUIRE:
		fprintf(o, "{addr=%#llx length=%#llx cookie=%#llx bitmap_ptr=%#llx flags=%#x handle=%u pages_exclusive=%llu seqno=%u hold_us=%u}",
			(unsigned long long)a->acq.addr,
			(unsigned long long)a->acq.length,
			(unsigned long long)a->acq.cookie,
			(unsigned long long)a->acq.bitmap_ptr, a->acq.flags,
			a->acq.handle,
			(unsigned long long)a->acq.pages_exclusive,
			a->acq.seqno, a->acq.hold_us);
		break;
	case IO_REACQUIRE:
		fprintf(o, "{handle=%u flags=%#x bitmap_ptr=%#llx pages_exclusive=%llu seqno=%u pad=%#x}",
			a->reacq.handle, a->reacq.flags,
			(unsigned long long)a->reacq.bitmap_ptr,
			(unsigned long long)a->reacq.pages_exclusive,
			a->reacq.seqno, a->reacq.pad);
		break;
	case IO_RELEASE:
		fprintf(o, "{handle=%u flags=%#x}", a->rel.handle,
			a->rel.flags);
		break;
	case IO_QUERY:
		fprintf(o, "{addr=%#llx npages=%#llx states_ptr=%#llx flags=%#x pad=%#x}",
			(unsigned long long)a->query.addr,
			(unsigned long long)a->query.npages,
			(unsigned long long)a->query.states_ptr,
			a->query.flags, a->query.pad);
		break;
	case IO_ATOMIC:
		fprintf(o, "{ops_ptr=%#llx count=%u flags=%#x done=%u reacquired=%u ctx_fd=%d pad=%#x}",
			(unsigned long long)a->atomic.ops_ptr,
			a->atomic.count, a->atomic.flags, a->atomic.done,
			a->atomic.reacquired, a->atomic.ctx_fd, a->atomic.pad);
		break;
	case IO_SET_HOLD:
		fprintf(o, "{handle=%u hold_us=%u flags=%#x pad=%#x}",
			a->hold.handle, a->hold.hold_us, a->hold.flags,
			a->hold.pad);
		break;
	}
}

static void print_call(FILE *o, const struct thread *t, const struct call *c)
{
	unsigned int i;

	fprintf(o, "  thread %d, its call %lu, global call %lu: %s on %s, fd %d%s (%s%s)\n",
		t->idx, t->ncalls, t->global, io_name[c->io], fd_name[c->f],
		c->fd, c->io == IO_ATOMIC && c->f != FD_DRM ?
		(c->drm_f ? ", vsvm DRM file B" : ", vsvm DRM file A") :
		c->f != FD_DRM ? "" : c->fd == fds[FD_DRM] ? ", vgem" :
		", vsvm DRM file",
		c->wellformed ? "well-formed" : "malformed",
		c->must_fail ? ", must fail" : "");
	if (c->cmd != io_req[c->io])
		fprintf(o, "  command %#x (size %u, nr %u, type %#x, dir %u) for %#lx\n",
			c->cmd, _IOC_SIZE(c->cmd), _IOC_NR(c->cmd),
			_IOC_TYPE(c->cmd), _IOC_DIR(c->cmd), io_req[c->io]);
	if (c->whatbuf[0])
		fprintf(o, "  boundary values: %s\n", c->whatbuf);
	if (c->bad_argp)
		fprintf(o, "  argument pointer: %#lx (not the struct below)\n",
			(unsigned long)c->argp);
	fprintf(o, "  in:  ");
	print_args(o, c->io, &c->in);
	fprintf(o, "\n  out: ");
	print_args(o, c->io, &c->out);
	fprintf(o, "\n");
	for (i = 0; i < c->nops; i++)
		fprintf(o, "  op[%u] = {addr=%#llx operand=%#llx compare=%#llx result=%#llx op=%u size=%u}\n",
			i, (unsigned long long)c->ops[i].addr,
			(unsigned long long)c->ops[i].operand,
			(unsigned long long)c->ops[i].compare,
			(unsigned long long)c->ops[i].result, c->ops[i].op,
			c->ops[i].size);
	if (c->ret < 0)
		fprintf(o, "  returned -%s (%d)\n", errname(-c->ret), c->ret);
	else
		fprintf(o, "  returned %d\n", c->ret);
}

static void print_stats(FILE *o);

static void fail(struct thread *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3), noreturn));
static void fail(struct thread *t, const char *fmt, ...)
{
	va_list ap;

	pthread_mutex_lock(&print_lock);
	stop_callers = stop_others = 1;
	fprintf(stdout, "\nsvm-fuzz: FAIL (seed %" PRIu64 "): ", opt_seed);
	va_start(ap, fmt);
	vfprintf(stdout, fmt, ap);
	va_end(ap);
	fprintf(stdout, "\n");
	if (t) {
		print_call(stdout, t, &t->c);
		fprintf(stdout, "  replay: svm-fuzz --seed %" PRIu64 " --threads %d%s --calls %lu%s\n",
			opt_seed, opt_threads, opt_quiet_mm ? " --quiet-mm" : "",
			t->global + 1,
			opt_threads == 1 && opt_quiet_mm ? "" :
			" (exact only with --threads 1 --quiet-mm)");
	}
	print_stats(stdout);
	fflush(stdout);
	_exit(1);
}

/* ---- boundary values ---- */

static uint64_t pick_region_page(struct rng *r, const struct region **out)
{
	const struct region *reg = &pool[below(r, NSLOTS)];

	*out = reg;
	return reg->addr + below(r, reg->npages) * PAGE;
}

/* An address for acquire/query that is wrong in some way. */
static uint64_t bad_addr(struct rng *r, struct call *c)
{
	const struct region *reg;
	uint64_t a;

	switch (below(r, 18)) {
	case 0: what(c, "addr=0"); c->unusable = true; return 0;
	case 1: what(c, "addr=1"); return 1;
	case 2: what(c, "addr=page-1"); return PAGE - 1;
	case 3:
		what(c, "addr=0x10000(unmapped)");
		c->unusable = true;
		return 0x10000;
	case 4:
		a = pick_region_page(r, &reg) + 1 + below(r, PAGE - 1);
		what(c, "addr=unaligned");
		return a;
	case 5: what(c, "addr=TASK_SIZE-page"); return task_size - PAGE;
	case 6: what(c, "addr=TASK_SIZE"); return task_size;
	case 7: what(c, "addr=1<<47"); return 1ULL << 47;
	case 8: what(c, "addr=kernel-direct-map"); return KADDR_DIRECT;
	case 9: what(c, "addr=kernel-text"); return KADDR_TEXT;
	case 10: what(c, "addr=~0"); return ~0ULL;
	case 11: what(c, "addr=~0&PAGE_MASK"); return ~0ULL & ~(PAGE - 1);
	case 12: what(c, "addr=1<<63"); return 1ULL << 63;
	case 13: what(c, "addr=random"); return rnd(r);
	case 14:
		what(c, "addr=random-page");
		return rnd(r) & (task_size - 1) & ~(PAGE - 1);
	case 15:
		what(c, "addr=hole");
		c->unusable = true;
		return hole_page();
	case 16:
		/* A page of the arena's reservation (PROT_NONE) */
		what(c, "addr=prot-none");
		c->unusable = true;
		return pool[14].addr + (4 + below(r, 64)) * PAGE;
	default:
		/* Not private anonymous and writable: shared, file, RO, none */
		reg = &pool[NANON + below(r, 4)];
		what(c, "addr=region%d", (int)(reg - pool));
		c->unusable = true;
		return reg->addr;
	}
}

static uint64_t bad_length(struct rng *r, struct call *c, uint64_t addr)
{
	switch (below(r, 14)) {
	case 0: what(c, "length=0"); return 0;
	case 1: what(c, "length=1"); return 1;
	case 2: what(c, "length=page-1"); return PAGE - 1;
	case 3: what(c, "length=page+1"); return PAGE + 1;
	case 4: what(c, "length=1<<47"); return 1ULL << 47;
	case 5: what(c, "length=~0"); return ~0ULL;
	case 6: what(c, "length=~0&PAGE_MASK"); return ~0ULL & ~(PAGE - 1);
	case 7:
		what(c, "length=to-TASK_SIZE");
		return (task_size - addr) & ~(PAGE - 1);
	case 8:
		what(c, "length=past-TASK_SIZE");
		return ((task_size - addr) & ~(PAGE - 1)) + PAGE;
	case 9:
		what(c, "length=wrap");
		return (0 - addr) & ~(PAGE - 1);
	case 10:
		what(c, "length=wrap+page");
		return ((0 - addr) & ~(PAGE - 1)) + PAGE;
	case 11:
		/* More pages than drm_svm_info.max_pages (4 GiB) */
		what(c, "length=4GiB+page");
		return (4ULL << 30) + PAGE;
	case 12: what(c, "length=random"); return rnd(r);
	default:
		what(c, "length=random-pages");
		return (below(r, 4096) + 1) * PAGE;
	}
}

/*
 * A user pointer the kernel would write through that is wrong: never
 * into memory of the program's own, only the arena or unmapped space.
 */
static uint64_t bad_uptr(struct rng *r, struct call *c, struct thread *t,
			 const char *field)
{
	switch (below(r, 11)) {
	case 0: what(c, "%s=NULL", field); return 0;
	case 1: what(c, "%s=1", field); return 1;
	case 2: what(c, "%s=unaligned", field); return t->scratch + 1 + below(r, 7);
	case 3: what(c, "%s=read-only", field); return ro_page() + below(r, 64);
	case 4: what(c, "%s=unmapped", field); return hole_page();
	case 5: what(c, "%s=kernel-direct-map", field); return KADDR_DIRECT;
	case 6: what(c, "%s=kernel-text", field); return KADDR_TEXT;
	case 7:
		what(c, "%s=too-short", field);
		return t->scratch + SCRATCH_SIZE - 1 - below(r, 8);
	case 8: what(c, "%s=~0", field); return ~0ULL;
	case 9: what(c, "%s=above-TASK_SIZE", field); return task_size + 8;
	default:
		what(c, "%s=prot-none", field);
		return pool[14].addr;
	}
}

static uint32_t bad_flags32(struct rng *r, struct call *c, uint32_t known)
{
	uint32_t f;

	switch (below(r, 4)) {
	case 0: f = ~0u; break;
	case 1: f = (uint32_t)rnd(r); break;
	default: f = 1u << below(r, 32); break;
	}
	what(c, "flags=%#x", f);
	(void)known;
	return f;
}

static uint32_t pick_handle(struct rng *r, struct call *c, int f,
			    bool *is_own)
{
	struct tracked tr;
	int other = f == FD_A ? FD_B : FD_A;

	*is_own = false;
	switch (below(r, 7)) {
	case 0: what(c, "handle=0"); return 0;
	case 1: what(c, "handle=1"); return 1;
	case 2: what(c, "handle=~0"); return ~0u;
	case 3: what(c, "handle=random"); return (uint32_t)rnd(r);
	case 4:
		what(c, "handle=stale");
		return f == FD_DRM ? (uint32_t)below(r, 64) : stale_pick(f, r);
	case 5:
		what(c, "handle=foreign");
		if (track_pick(other, r, &tr))
			return tr.handle;
		return stale_pick(other, r);
	default:
		if (f != FD_DRM && track_pick(f, r, &tr)) {
			*is_own = true;
			return tr.handle;
		}
		what(c, "handle=small");
		return (uint32_t)below(r, 8);
	}
}

/* The handle of a call: one of the file's live ones when well-formed. */
static uint32_t gen_handle(struct thread *t, bool wf)
{
	struct call *c = &t->c;
	struct tracked tr;
	bool own;

	if (wf && c->f != FD_DRM && track_pick(c->f, &t->rng, &tr))
		return tr.handle;
	return pick_handle(&t->rng, c, c->f, &own);
}

/* A hold time above DRM_SVM_HOLD_MAX_US: -EINVAL. */
static uint32_t bad_hold(struct rng *r, struct call *c)
{
	uint32_t v = DRM_SVM_HOLD_MAX_US + 1 +
		     (uint32_t)below(r, UINT32_MAX - DRM_SVM_HOLD_MAX_US);

	what(c, "hold_us=%u", v);
	return v;
}

/* A page-aligned span inside one anonymous region (or any region). */
static void pick_span(struct rng *r, bool anon_only, uint64_t *addr,
		      uint64_t *npages)
{
	const struct region *reg;
	uint64_t first, n;

	reg = &pool[below(r, anon_only ? NANON : NSLOTS)];
	if (giga.addr && chance(r, 3))
		reg = &giga;
	first = below(r, reg->npages);
	n = 1 + below(r, reg->npages - first);
	if (n > 32 && chance(r, 70))
		n = 1 + below(r, 32);
	*addr = reg->addr + first * PAGE;
	*npages = n;
}

/* ---- running and checking a call ---- */

static int do_call(struct thread *t)
{
	struct call *c = &t->c;
	void *arg;
	int ret;

	c->out = c->in;
	if (c->bad_argp)
		arg = (void *)c->argp;
	else if (c->sz != SZ_NONE)
		arg = c->argbuf;	/* filled by change_cmd() */
	else
		arg = &c->out;
	t->in_call = 1;
	ret = ioctl(c->fd, c->cmd, arg);
	t->in_call = 0;
	c->ret = ret < 0 ? -errno : ret;
	if (arg == c->argbuf)
		memcpy(&c->out, c->argbuf, c->ksize);
	return c->ret;
}

static void account(struct thread *t)
{
	struct call *c = &t->c;
	int reacq = c->io == IO_ATOMIC &&
		    (c->in.atomic.flags & DRM_VSVM_ATOMIC_REACQUIRE);

	t->st.calls[c->f][c->io]++;
	t->st.sz[c->sz]++;
	if (c->wellformed)
		t->st.wellformed[c->io]++;
	if (c->ret > 0)
		fail(t, "positive return value %d", c->ret);
	if (c->ret == 0) {
		t->st.ok[c->f][c->io]++;
		if (c->must_fail)
			fail(t, "the call succeeded but must fail");
		if (c->f == FD_DRM)
			fail(t, "an SVM call succeeded on a DRM file");
		return;
	}
	if (c->expect) {
		if (c->ret != -c->expect)
			fail(t, "-%s, expected -%s", errname(-c->ret),
			     errname(c->expect));
	} else if (-c->ret >= ERRNO_MAX ||
		   !allowed[c->f][c->io][reacq][-c->ret]) {
		fail(t, "-%s is not documented for %s%s", errname(-c->ret),
		     io_name[c->io],
		     reacq ? " with DRM_VSVM_ATOMIC_REACQUIRE" : "");
	}
	t->st.err[c->f][c->io][-c->ret]++;
}

/*
 * Change a context ioctl's command now and then (struct call's sz): its
 * argument's size, its number, type or direction. The argument goes to
 * the kernel from c->argbuf: @in, then the tail of a longer one.
 */
static void change_cmd(struct thread *t)
{
	static const unsigned int types[] = { 'd', 'b', 0xb8, 0xba, 'V', 1 };
	struct call *c = &t->c;
	struct rng *r = &t->rng;
	unsigned int ks = c->ksize, us = ks, dir = _IOC_DIR(c->cmd);
	unsigned int type = _IOC_TYPE(c->cmd), nr = _IOC_NR(c->cmd), i;
	int sz = 1 + (int)below(r, SZ_N - 1);

	memset(c->argbuf, 0, sizeof(c->argbuf));
	memcpy(c->argbuf, &c->in, ks);
	switch (sz) {
	case SZ_LONG_ZERO:
		us = ks + 8 * (1 + (unsigned int)below(r, 8));
		break;
	case SZ_LONG_DIRTY:
		us = ks + 1 + (unsigned int)below(r, 64);
		c->argbuf[ks + below(r, us - ks)] = (unsigned char)(1 + below(r, 255));
		c->expect = E2BIG;
		break;
	case SZ_SHORT:
		/* Only input fields that are zero in @in may go missing. */
		switch (c->io) {
		case IO_ACQUIRE:
			if (!c->in.acq.hold_us)
				us = offsetof(struct drm_svm_acquire, hold_us);
			break;
		case IO_REACQUIRE:
			if (!c->in.reacq.pad)
				us = offsetof(struct drm_svm_reacquire, pad);
			break;
		case IO_RELEASE:
			if (!c->in.rel.flags)
				us = offsetof(struct drm_svm_release, flags);
			break;
		case IO_QUERY:
			if (!c->in.query.flags && !c->in.query.pad)
				us = offsetof(struct drm_svm_query, flags);
			break;
		case IO_SET_HOLD:
			if (!c->in.hold.flags && !c->in.hold.pad)
				us = offsetof(struct drm_svm_set_hold, flags);
			break;
		default:
			sz = SZ_SHORT_INFO;
			break;
		}
		if (sz == SZ_SHORT && us == ks)
			sz = SZ_NONE;
		if (sz != SZ_SHORT_INFO)
			break;
		/* fall through */
	case SZ_SHORT_INFO:
		if (c->io != IO_INFO) {
			sz = SZ_NONE;
			break;
		}
		/* Zero-extended: flags the kernel does not see are 0. */
		us = 4 * (unsigned int)below(r, ks / 4);
		for (i = us; i < ks; i++)
			c->argbuf[i] = 0xa5;
		c->must_fail = us > offsetof(struct drm_svm_info, flags) &&
			       c->in.info.flags;
		break;
	case SZ_BAD_NR:
		nr = 6 + (unsigned int)below(r, 250);
		c->expect = ENOTTY;
		break;
	case SZ_BAD_TYPE:
		type = types[below(r, sizeof(types) / sizeof(types[0]))];
		c->expect = ENOTTY;
		break;
	default:
		dir = (dir + 1 + (unsigned int)below(r, 3)) % 4;
		c->expect = ENOTTY;
		break;
	}
	c->sz = sz;
	if (sz == SZ_NONE)
		return;
	if (c->expect)
		c->must_fail = true;
	c->cmd = _IOC(dir, type, nr, us);
	what(c, "cmd=%s(size %u of %u, nr %u, type %#x, dir %u)",
	     sz_name[sz], us, ks, nr, type, dir);
}

/* What a changed command must have left of the argument buffer. */
static void check_changed(struct thread *t)
{
	struct call *c = &t->c;
	unsigned int us = _IOC_SIZE(c->cmd), i;
	const struct drm_svm_info *info = &c->out.info;

	switch (c->sz) {
	case SZ_LONG_ZERO:
		for (i = c->ksize; i < us; i++)
			if (c->argbuf[i])
				fail(t, "the kernel wrote byte %u of a %u-byte argument of %u",
				     i, us, c->ksize);
		break;
	case SZ_SHORT:
		for (i = us; i < c->ksize; i++)
			if (c->argbuf[i])
				fail(t, "the kernel wrote byte %u past a %u-byte argument",
				     i, us);
		break;
	case SZ_SHORT_INFO:
		for (i = us; i < c->ksize; i++)
			if (c->argbuf[i] != 0xa5)
				fail(t, "the kernel wrote byte %u past a %u-byte argument",
				     i, us);
		if (c->ret)
			break;
		if ((us > offsetof(struct drm_svm_info, version) &&
		     info->version != DRM_SVM_UAPI_VERSION) ||
		    (us > offsetof(struct drm_svm_info, page_size) &&
		     info->page_size != PAGE) ||
		    (us > offsetof(struct drm_svm_info, event_size) &&
		     info->event_size != sizeof(struct drm_svm_event_revoked)))
			fail(t, "a %u-byte INFO reports wrong constants", us);
		break;
	default:
		break;
	}
}

static unsigned long popcount_bytes(const uint8_t *b, uint64_t nbytes)
{
	unsigned long n = 0;
	uint64_t i;

	for (i = 0; i < nbytes; i++)
		n += (unsigned long)__builtin_popcount(b[i]);
	return n;
}

/* A bitmap the kernel wrote for @npages pages holding @held pages. */
static void check_bitmap(struct thread *t, const uint8_t *bm, uint64_t npages,
			 uint64_t held)
{
	uint64_t nbytes = (npages + 7) / 8;

	if (npages % 8 && (bm[nbytes - 1] >> (npages % 8)))
		fail(t, "the bitmap has bits set past page %llu",
		     (unsigned long long)npages);
	if (popcount_bytes(bm, nbytes) != held)
		fail(t, "the bitmap has %lu bits set, pages_exclusive is %llu",
		     popcount_bytes(bm, nbytes), (unsigned long long)held);
}

static void fill_garbage(struct rng *r, void *p, size_t n)
{
	memset(p, (int)(rnd(r) & 0xff) | 1, n);
}

static void gen_info(struct thread *t, bool wf)
{
	struct call *c = &t->c;
	struct rng *r = &t->rng;

	if (chance(r, 50))
		fill_garbage(r, &c->in.info, sizeof(c->in.info));
	c->in.info.flags = 0;
	if (!wf)
		c->in.info.flags = bad_flags32(r, c, 0);
	if (c->in.info.flags)
		c->must_fail = true;
}

static void check_info(struct thread *t)
{
	const struct drm_svm_info *i = &t->c.out.info;

	if (t->c.ret || t->c.f == FD_DRM || t->c.sz == SZ_SHORT_INFO)
		return;
	if (i->version != DRM_SVM_UAPI_VERSION || i->page_size != PAGE ||
	    i->event_size != sizeof(struct drm_svm_event_revoked) ||
	    !i->max_handles || !i->max_pages ||
	    (i->max_hold_us != DRM_SVM_HOLD_MAX_US && i->max_hold_us) ||
	    i->pad)
		fail(t, "INFO reports wrong constants");
	if (i->handles > i->max_handles || i->pages > i->max_pages)
		fail(t, "INFO's usage is above its limits");
	if ((i->handles == 0) != (i->pages == 0))
		fail(t, "INFO: handles without pages or pages without handles");
}

static void gen_acquire(struct thread *t, bool wf)
{
	struct call *c = &t->c;
	struct rng *r = &t->rng;
	struct drm_svm_acquire *a = &c->in.acq;
	uint64_t addr, npages;
	unsigned int k, nmut;

	pick_span(r, wf, &addr, &npages);
	a->addr = addr;
	a->length = npages * PAGE;
	a->cookie = rnd(r);
	a->flags = chance(r, 50) ? DRM_SVM_ACQUIRE_PARTIAL : 0;
	a->bitmap_ptr = chance(r, 70) ? t->scratch : 0;
	if (chance(r, 20))
		a->hold_us = (uint32_t)below(r, FUZZ_HOLD_US + 1);
	if (chance(r, 30)) {	/* outputs are ignored on input */
		a->handle = (uint32_t)rnd(r);
		a->pages_exclusive = rnd(r);
		a->seqno = (uint32_t)rnd(r);
	}
	if (wf)
		return;
	nmut = 1 + (unsigned int)below(r, 2);
	for (k = 0; k < nmut; k++) {
		switch (below(r, 6)) {
		case 0:
			a->addr = bad_addr(r, c);
			break;
		case 1:
			a->length = bad_length(r, c, a->addr);
			break;
		case 2:
			a->addr = bad_addr(r, c);
			a->length = bad_length(r, c, a->addr);
			break;
		case 3:
			a->flags = bad_flags32(r, c, DRM_SVM_ACQUIRE_PARTIAL);
			break;
		case 4:
			a->hold_us = bad_hold(r, c);
			break;
		default:
			a->bitmap_ptr = bad_uptr(r, c, t, "bitmap_ptr");
			break;
		}
	}
	/* Documented EINVAL, EFAULT, EACCES, EOPNOTSUPP cases */
	if (a->flags & ~DRM_SVM_ACQUIRE_PARTIAL ||
	    a->hold_us > DRM_SVM_HOLD_MAX_US || c->unusable || !a->length || (a->addr | a->length) & (PAGE - 1) ||
	    a->addr + a->length < a->addr || a->addr + a->length > task_size)
		c->must_fail = true;
}

static void check_acquire(struct thread *t)
{
	struct call *c = &t->c;
	const struct drm_svm_acquire *a = &c->out.acq;
	uint64_t npages = c->in.acq.length / PAGE;

	if (c->ret || c->f == FD_DRM || c->bad_argp)
		return;
	t->st.acq_ok++;
	if (a->flags & DRM_SVM_ACQUIRE_PARTIAL)
		t->st.acq_partial_ok++;
	if (!a->handle)
		fail(t, "acquire returned handle 0");
	if (a->pages_exclusive > npages)
		fail(t, "pages_exclusive > npages");
	if (!(a->flags & DRM_SVM_ACQUIRE_PARTIAL) && a->pages_exclusive != npages)
		fail(t, "an all-or-nothing acquire holds %llu of %llu pages",
		     (unsigned long long)a->pages_exclusive,
		     (unsigned long long)npages);
	if (!a->pages_exclusive)
		fail(t, "a successful acquire holds no page");
	if (a->bitmap_ptr == t->scratch)
		check_bitmap(t, (const uint8_t *)t->scratch, npages,
			     a->pages_exclusive);
	hist_add(c->f, t->global, t->idx, IO_ACQUIRE, 0, a->handle);
	if (a->addr < arena || a->addr + a->length > arena + ARENA_SIZE ||
	    !track_add(c->f, a->handle, a->addr, npages)) {
		/* Not ours to keep (or no room to track): release at once */
		struct drm_svm_release rel = { .handle = a->handle };
		int ret = ioctl(fds[c->f], DRM_SVM_IOCTL_RELEASE, &rel);

		/* -ENOENT: another thread's release got there first */
		if (ret && errno != ENOENT)
			fail(t, "releasing handle %u just acquired: %s",
			     a->handle, strerror(errno));
		hist_add(c->f, t->global, t->idx, IO_RELEASE,
			 ret ? -errno : 0, a->handle);
	}
}

static void gen_reacquire(struct thread *t, bool wf)
{
	struct call *c = &t->c;
	struct rng *r = &t->rng;
	struct drm_svm_reacquire *a = &c->in.reacq;

	a->handle = gen_handle(t, wf);
	a->flags = chance(r, 50) ? DRM_SVM_ACQUIRE_PARTIAL : 0;
	a->bitmap_ptr = chance(r, 70) ? t->scratch : 0;
	if (chance(r, 30)) {
		a->pages_exclusive = rnd(r);
		a->seqno = (uint32_t)rnd(r);
	}
	if (wf)
		return;
	switch (below(r, 4)) {
	case 0:
		a->flags = bad_flags32(r, c, DRM_SVM_ACQUIRE_PARTIAL);
		break;
	case 1:
		a->pad = (uint32_t)rnd(r) | 1;
		what(c, "pad=%#x", a->pad);
		break;
	case 2:
		a->bitmap_ptr = bad_uptr(r, c, t, "bitmap_ptr");
		break;
	default:
		break;	/* the handle alone */
	}
	if (!a->handle || a->flags & ~DRM_SVM_ACQUIRE_PARTIAL || a->pad)
		c->must_fail = true;
}

static void check_reacquire(struct thread *t)
{
	struct call *c = &t->c;
	const struct drm_svm_reacquire *a = &c->out.reacq;
	struct tracked tr;

	if (c->ret || c->f == FD_DRM || c->bad_argp)
		return;
	t->st.reacq_ok++;
	if (a->handle != c->in.reacq.handle)
		fail(t, "reacquire changed the handle");
	if (!track_find(c->f, a->handle, &tr))
		return;	/* not ours: a handle released meanwhile, or raced */
	if (a->pages_exclusive > tr.npages)
		fail(t, "pages_exclusive > the handle's %llu pages",
		     (unsigned long long)tr.npages);
	if (!(a->flags & DRM_SVM_ACQUIRE_PARTIAL) &&
	    a->pages_exclusive != tr.npages)
		fail(t, "an all-or-nothing re-acquire holds %llu of %llu pages",
		     (unsigned long long)a->pages_exclusive,
		     (unsigned long long)tr.npages);
	if (a->bitmap_ptr == t->scratch)
		check_bitmap(t, (const uint8_t *)t->scratch, tr.npages,
			     a->pages_exclusive);
}

static void gen_release(struct thread *t, bool wf)
{
	struct call *c = &t->c;
	struct rng *r = &t->rng;
	struct drm_svm_release *a = &c->in.rel;

	a->handle = gen_handle(t, wf);
	a->flags = chance(r, 50) ? DRM_SVM_RELEASE_LAZY : 0;
	if (!wf && chance(r, 40)) {
		a->flags = bad_flags32(r, c, DRM_SVM_RELEASE_LAZY);
	}
	if (!a->handle || a->flags & ~DRM_SVM_RELEASE_LAZY)
		c->must_fail = true;
}

static void check_release(struct thread *t)
{
	struct call *c = &t->c;

	if (c->f == FD_DRM || c->bad_argp)
		return;
	if (c->ret == 0) {
		if (c->in.rel.flags & DRM_SVM_RELEASE_LAZY)
			t->st.rel_lazy_ok++;
		else
			t->st.rel_eager_ok++;
	}
	if (c->ret == 0 || c->ret == -ENOENT)
		hist_add(c->f, t->global, t->idx, IO_RELEASE, c->ret,
			 c->in.rel.handle);
	/* Released now, or by someone else before: not this file's any more */
	if (c->ret == 0)
		track_del(c->f, c->in.rel.handle);
	else if (c->ret == -ENOENT)
		track_forget(c->f, c->in.rel.handle, c->gen);
}

static void gen_set_hold(struct thread *t, bool wf)
{
	struct call *c = &t->c;
	struct rng *r = &t->rng;
	struct drm_svm_set_hold *a = &c->in.hold;

	a->handle = gen_handle(t, wf);
	a->hold_us = chance(r, 50) ? 0 : (uint32_t)below(r, FUZZ_HOLD_US + 1);
	if (!wf) {
		switch (below(r, 3)) {
		case 0:
			a->hold_us = bad_hold(r, c);
			break;
		case 1:
			a->flags = bad_flags32(r, c, 0);
			break;
		default:
			a->pad = (uint32_t)rnd(r) | 1;
			what(c, "pad=%#x", a->pad);
			break;
		}
	}
	if (!a->handle || a->flags || a->pad ||
	    a->hold_us > DRM_SVM_HOLD_MAX_US)
		c->must_fail = true;
}

static void gen_query(struct thread *t, bool wf)
{
	struct call *c = &t->c;
	struct rng *r = &t->rng;
	struct drm_svm_query *a = &c->in.query;
	uint64_t addr, npages;
	unsigned int k, nmut;

	pick_span(r, false, &addr, &npages);
	if (chance(r, 10))	/* across slots: holes and reservations */
		npages = 1 + below(r, 2 * SLOT_SIZE / PAGE);
	a->addr = addr;
	a->npages = npages;
	a->states_ptr = t->scratch;
	if (npages > SCRATCH_SIZE)
		a->npages = SCRATCH_SIZE;
	if (wf)
		return;
	nmut = 1 + (unsigned int)below(r, 2);
	for (k = 0; k < nmut; k++) {
		switch (below(r, 5)) {
		case 0:
			a->addr = bad_addr(r, c);
			break;
		case 1:
			switch (below(r, 9)) {
			case 0: a->npages = 0; break;
			case 1: a->npages = 1ULL << 35; break;
			case 2: a->npages = task_size / PAGE; break;
			case 3: a->npages = task_size / PAGE + 1; break;
			case 4: a->npages = ~0ULL; break;
			case 5: a->npages = 1ULL << 52; break;
			case 6: a->npages = 1ULL << 63; break;
			case 7: a->npages = (task_size - a->addr) / PAGE; break;
			default: a->npages = rnd(r); break;
			}
			what(c, "npages=%#llx", (unsigned long long)a->npages);
			break;
		case 2:
			a->states_ptr = bad_uptr(r, c, t, "states_ptr");
			break;
		case 3:
			a->flags = bad_flags32(r, c, 0);
			break;
		default:
			a->pad = (uint32_t)rnd(r) | 1;
			what(c, "pad=%#x", a->pad);
			break;
		}
	}
	if (a->flags || a->pad || !a->npages || a->addr & (PAGE - 1) ||
	    a->npages > task_size / PAGE ||
	    a->addr + a->npages * PAGE < a->addr ||
	    a->addr + a->npages * PAGE > task_size)
		c->must_fail = true;
}

static void check_query(struct thread *t)
{
	struct call *c = &t->c;
	const uint8_t *s = (const uint8_t *)t->scratch;
	uint64_t i;

	if (c->ret || c->f == FD_DRM || c->bad_argp)
		return;
	t->st.query_ok++;
	if (c->in.query.states_ptr != t->scratch)
		return;
	for (i = 0; i < c->in.query.npages; i++)
		if (s[i] & ~0x3fu)
			fail(t, "page %llu has state %#x: undefined bits",
			     (unsigned long long)i, s[i]);
}

/* An address for an op that no mapping of the program's own can be at. */
static uint64_t bad_op_addr(struct rng *r, struct call *c, uint32_t size)
{
	uint64_t a;

	switch (below(r, 10)) {
	case 0: a = 0; break;
	case 1: a = 0x10000; break;
	case 2: a = KADDR_DIRECT; break;
	case 3: a = KADDR_TEXT; break;
	case 4: a = ~0ULL; break;
	case 5: a = ~0ULL & ~7ULL; break;
	case 6: a = task_size; break;
	case 7: a = hole_page(); break;
	case 8: a = 1ULL << 63; break;
	default:
		/* Misaligned, inside the pool */
		a = pool[below(r, NANON)].addr + 1 + below(r, 3);
		break;
	}
	what(c, "op.addr=%#llx/%u", (unsigned long long)a, size);
	return a;
}

static void gen_op(struct thread *t, struct drm_vsvm_atomic_op *op, bool wf,
		   uint32_t flags)
{
	struct call *c = &t->c;
	struct rng *r = &t->rng;
	struct tracked tr;
	uint64_t base, npages;

	memset(op, 0, sizeof(*op));
	op->op = DRM_VSVM_OP_ADD + (uint32_t)below(r, 10);
	op->size = chance(r, 50) ? 4 : 8;
	op->operand = rnd(r);
	op->compare = chance(r, 50) ? 0x5a5a5a5a5a5a5a5aULL : rnd(r);
	if (chance(r, 20))
		op->result = rnd(r);	/* output: ignored on input */
	if (c->f != FD_DRM && chance(r, 75) &&
	    track_pick(c->f, r, &tr)) {
		base = tr.addr;
		npages = tr.npages;
	} else {
		pick_span(r, !(flags & VSVM_TEST_ATOMIC_NO_EXCLUSIVE) ||
			  chance(r, 50), &base, &npages);
	}
	op->addr = base + below(r, npages * PAGE / op->size) * op->size;
	if (wf)
		return;
	switch (below(r, 5)) {
	case 0: {
		static const uint32_t ops[] = { 0, 11, 12, 0x80000000u, ~0u };

		op->op = ops[below(r, 5)];
		what(c, "op.op=%#x", op->op);
		break;
	}
	case 1: {
		static const uint32_t sizes[] = { 0, 1, 2, 3, 5, 16, ~0u };

		op->size = sizes[below(r, 7)];
		what(c, "op.size=%#x", op->size);
		break;
	}
	case 2:
	case 3:
		op->addr = bad_op_addr(r, c, op->size);
		break;
	default:
		break;
	}
}

static void gen_atomic(struct thread *t, bool wf)
{
	struct call *c = &t->c;
	struct rng *r = &t->rng;
	struct drm_vsvm_atomic *a = &c->in.atomic;
	struct drm_vsvm_atomic_op *ops = (struct drm_vsvm_atomic_op *)t->scratch;
	unsigned int i, n = 1 + (unsigned int)below(r, MAX_OPS);

	a->flags = chance(r, 50) ? DRM_VSVM_ATOMIC_REACQUIRE : 0;
	if (chance(r, 4))	/* the debug kernels' negative control */
		a->flags = VSVM_TEST_ATOMIC_NO_EXCLUSIVE;
	/* The context: the call's (on either vsvm DRM file), or A. */
	a->ctx_fd = fds[c->f == FD_DRM ? FD_A : c->f];
	for (i = 0; i < n; i++)
		gen_op(t, &ops[i], wf || !chance(r, 30), a->flags);
	/* Whatever follows the batch in the scratch page is not an op. */
	memset(&ops[n], 0, sizeof(ops[n]));
	a->ops_ptr = (uintptr_t)ops;
	a->count = n;
	if (!wf) {
		switch (below(r, 8)) {
		case 0:
			a->ops_ptr = bad_uptr(r, c, t, "ops_ptr");
			break;
		case 6: {
			/* No context: no file, or a file of another kind */
			const int bad[] = {
				-1, INT32_MIN, 1 << 20, drm_fds[0], drm_fds[1],
				fds[FD_DRM] >= 0 ? fds[FD_DRM] : -2,
			};

			a->ctx_fd = bad[below(r, sizeof(bad) / sizeof(bad[0]))];
			what(c, "ctx_fd=%d", a->ctx_fd);
			c->must_fail = true;
			break;
		}
		case 7:
			a->pad = (uint32_t)rnd(r) | 1;
			what(c, "pad=%#x", a->pad);
			break;
		case 1: {
			static const uint32_t counts[] = {
				0, MAX_OPS + 1, DRM_VSVM_ATOMIC_MAX_OPS,
				DRM_VSVM_ATOMIC_MAX_OPS + 1, ~0u,
			};

			a->count = counts[below(r, 5)];
			what(c, "count=%#x", a->count);
			break;
		}
		case 2:
			a->flags = bad_flags32(r, c, DRM_VSVM_ATOMIC_REACQUIRE |
					       VSVM_TEST_ATOMIC_NO_EXCLUSIVE);
			break;
		case 3:
			a->done = (uint32_t)rnd(r) | 1;
			what(c, "done=%#x", a->done);
			break;
		case 4:
			a->reacquired = (uint32_t)rnd(r) | 1;
			what(c, "reacquired=%#x", a->reacquired);
			break;
		default:
			break;	/* the ops alone */
		}
	}
	if (opt_no_negative_control)
		a->flags &= ~VSVM_TEST_ATOMIC_NO_EXCLUSIVE;
	if (a->count > DRM_VSVM_ATOMIC_MAX_OPS || a->done || a->reacquired ||
	    a->pad ||
	    a->flags & ~(DRM_VSVM_ATOMIC_REACQUIRE |
			 VSVM_TEST_ATOMIC_NO_EXCLUSIVE) ||
	    (a->flags & DRM_VSVM_ATOMIC_REACQUIRE &&
	     a->flags & VSVM_TEST_ATOMIC_NO_EXCLUSIVE))
		c->must_fail = true;
	c->nops = n;
	memcpy(c->ops, ops, n * sizeof(ops[0]));
}

static void check_atomic(struct thread *t)
{
	struct call *c = &t->c;
	const struct drm_vsvm_atomic *a = &c->out.atomic;

	if (c->f == FD_DRM || c->bad_argp)
		return;
	if (c->in.atomic.done || c->in.atomic.reacquired) {
		/* Rejected up front: nothing done, the fields as given */
		if (a->done != c->in.atomic.done ||
		    a->reacquired != c->in.atomic.reacquired)
			fail(t, "a rejected batch changed done or reacquired");
		return;
	}
	if (a->done > a->count || a->reacquired > a->count)
		fail(t, "done or reacquired above count");
	if (!(a->flags & DRM_VSVM_ATOMIC_REACQUIRE) && a->reacquired)
		fail(t, "pages re-acquired without DRM_VSVM_ATOMIC_REACQUIRE");
	if (c->ret == 0 && a->done != a->count)
		fail(t, "success with %u of %u operations done", a->done,
		     a->count);
	if (c->ret && c->in.atomic.done == 0 && a->done >= a->count &&
	    a->count)
		fail(t, "failure with every operation done");
	if (c->ret == 0) {
		t->st.atomic_ok++;
		if (a->flags & DRM_VSVM_ATOMIC_REACQUIRE)
			t->st.atomic_reacq_ok++;
	}
	if (!c->in.atomic.done && !c->in.atomic.reacquired) {
		t->st.atomic_ops_done += a->done;
		t->st.atomic_reacquired += a->reacquired;
	}
	/* Results are written back in place, only for the ops done. */
}

/* Touch a page of an anonymous region, as the CPU side of the races. */
static void touch(struct thread *t)
{
	struct region *reg = &pool[below(&t->rng, NANON)];
	uint64_t pg = below(&t->rng, reg->npages);
	bool write = chance(&t->rng, 60);

	if (pthread_mutex_trylock(&reg->lock))
		return;
	if (reg->state == ST_RW || (reg->state == ST_RO && !write)) {
		volatile uint64_t *p = (volatile uint64_t *)(reg->addr + pg * PAGE);

		if (write)
			__atomic_fetch_add(p, 1, __ATOMIC_RELAXED);
		else
			(void)*p;
		t->st.touches++;
	}
	pthread_mutex_unlock(&reg->lock);
}

static void *caller(void *arg)
{
	struct thread *t = arg;
	struct rng *r = &t->rng;

	while (!stop_callers) {
		struct call *c = &t->c;
		bool wf;
		unsigned long g;
		uint64_t x;

		if (chance(r, 5))
			touch(t);
		g = __atomic_fetch_add(&calls_claimed, 1, __ATOMIC_RELAXED);
		if (g >= opt_calls)
			break;
		memset(c, 0, sizeof(*c));
		t->global = g;
		t->ncalls++;

		x = below(r, 100);
		c->io = x < 5 ? IO_INFO : x < 29 ? IO_ACQUIRE :
			x < 43 ? IO_REACQUIRE : x < 58 ? IO_RELEASE :
			x < 72 ? IO_QUERY : x < 76 ? IO_SET_HOLD : IO_ATOMIC;
		x = below(r, 100);
		c->f = x < 46 ? FD_A : x < 92 ? FD_B : FD_DRM;
		/* vsvm's ioctl on a DRM file: vgem's only (vsvm's is A's) */
		if (c->f == FD_DRM && c->io == IO_ATOMIC && fds[FD_DRM] < 0)
			c->f = FD_A;
		wf = chance(r, 50);
		/* Keep the contexts well below max_handles */
		if (c->io == IO_ACQUIRE && c->f != FD_DRM &&
		    track_count(c->f) > MAX_TRACKED * 3 / 4) {
			c->io = IO_RELEASE;
			wf = true;
		}
		c->wellformed = wf;
		switch (c->io) {
		case IO_INFO: gen_info(t, wf); break;
		case IO_ACQUIRE: gen_acquire(t, wf); break;
		case IO_REACQUIRE: gen_reacquire(t, wf); break;
		case IO_RELEASE: gen_release(t, wf); break;
		case IO_QUERY: gen_query(t, wf); break;
		case IO_SET_HOLD: gen_set_hold(t, wf); break;
		default: gen_atomic(t, wf); break;
		}
		if (!wf && chance(r, 3)) {
			/* A bad argument pointer: drm_ioctl()'s copies fail */
			static const uint64_t bad[] = {
				0, 1, KADDR_DIRECT, ~0ULL, 0x10000,
			};

			c->bad_argp = true;
			c->argp = (uintptr_t)bad[below(r, 5)];
			if (chance(r, 30))
				c->argp = hole_page();
			c->must_fail = true;
			what(c, "argp=%#lx", (unsigned long)c->argp);
		}
		/* Where it goes, and what. */
		c->cmd = (unsigned int)io_req[c->io];
		c->ksize = _IOC_SIZE(c->cmd);
		if (c->io == IO_ATOMIC && c->f != FD_DRM) {
			c->drm_f = (int)below(r, 2);
			c->fd = drm_fds[c->drm_f];
		} else if (c->f == FD_DRM && c->io != IO_ATOMIC) {
			/* no DRM ioctl: its type is not DRM's */
			x = below(r, 3);
			c->fd = x == 2 && fds[FD_DRM] >= 0 ? fds[FD_DRM] :
				drm_fds[x & 1];
			c->expect = ENOTTY;
		} else {
			c->fd = fds[c->f];
		}
		if (c->f != FD_DRM && c->io != IO_ATOMIC && !c->bad_argp &&
		    chance(r, 8))
			change_cmd(t);
		if (c->f == FD_DRM)
			c->must_fail = true;
		else
			c->gen = track_generation(c->f);
		do_call(t);
		account(t);
		check_changed(t);
		switch (c->io) {
		case IO_INFO: check_info(t); break;
		case IO_ACQUIRE: check_acquire(t); break;
		case IO_REACQUIRE: check_reacquire(t); break;
		case IO_RELEASE: check_release(t); break;
		case IO_QUERY: check_query(t); break;
		case IO_SET_HOLD: break;	/* its errno is all there is */
		default: check_atomic(t); break;
		}
		if (opt_verbose) {
			pthread_mutex_lock(&print_lock);
			print_call(stdout, t, c);
			pthread_mutex_unlock(&print_lock);
		}
	}
	return NULL;
}

/* ---- the mapping changers ---- */

enum { MM_RESTORE = 12, MM_HUGETLB_2M, MM_FILE_PRIVATE, MM_FILE_SHARED,
       MM_GEM, MM_HUGETLB_1G, MM_N };
static unsigned long mm_ops[MM_N];
static const char *const mm_op_name[MM_N] = {
	"remap", "munmap", "mremap", "mprotect-ro", "mprotect-none",
	"dontneed", "touch", "fork", "migrate", "collapse", "pageout",
	"clear_refs", "restore", "hugetlb-2m", "file-private", "file-shared",
	"gem", "hugetlb-1g",
};
static unsigned long fork_eperm_checked;

static void restore(struct region *reg)
{
	size_t len = reg->npages * PAGE;
	uintptr_t moved = reg->addr + SLOT_SIZE / 2;

	switch (reg->state) {
	case ST_RO:
	case ST_NONE:
		mprotect((void *)reg->addr, len, PROT_READ | PROT_WRITE);
		break;
	case ST_FOREIGN:
		/* Anonymous memory again, the rest of the slot reserved. */
		munmap((void *)reg->addr, reg->foreign_len);
		map_rw(reg->addr, len);
		if (reg->foreign_len > len)
			reserve(reg->addr + len, reg->foreign_len - len);
		break;
	case ST_UNMAPPED:
		map_rw(reg->addr, len);
		break;
	case ST_MOVED:
		if (mremap((void *)moved, len, len, MREMAP_MAYMOVE | MREMAP_FIXED,
			   (void *)reg->addr) == MAP_FAILED)
			map_rw(reg->addr, len);
		reserve(moved, len);
		break;
	default:
		break;
	}
	if (reg->thp)
		madvise((void *)reg->addr, len, MADV_HUGEPAGE);
	reg->state = ST_RW;
}

static void do_fork(void)
{
	pid_t pid = fork();
	int status, i;

	if (pid < 0)
		return;
	if (pid == 0) {
		/*
		 * The contexts are bound to the parent's mm: every ioctl and
		 * read() fails with -EPERM here (before it looks at its
		 * argument), poll() says POLLERR, and vsvm's device accesses
		 * for them fail too. System calls only: the parent has
		 * threads.
		 */
		struct drm_vsvm_atomic_op op = {
			.addr = pool[0].addr, .op = DRM_VSVM_OP_ADD, .size = 8,
		};
		struct drm_vsvm_atomic a = {
			.ops_ptr = (uintptr_t)&op, .count = 1,
		};
		union args arg;
		struct pollfd p;
		int f, io, bad = 0;

		for (f = FD_A; f <= FD_B; f++) {
			for (io = 0; io < IO_N; io++) {
				if (io == IO_ATOMIC)
					continue;
				memset(&arg, 0, sizeof(arg));
				if (ioctl(fds[f], io_req[io], &arg) != -1 ||
				    errno != EPERM)
					bad |= 1;
			}
			if (read(fds[f], &arg, sizeof(arg)) != -1 ||
			    errno != EPERM)
				bad |= 2;
			p.fd = fds[f];
			p.events = POLLIN;
			p.revents = 0;
			if (poll(&p, 1, 0) != 1 || !(p.revents & POLLERR))
				bad |= 4;
			a.ctx_fd = fds[f];
			a.done = 0;
			if (ioctl(drm_fds[f], DRM_IOCTL_VSVM_ATOMIC, &a) != -1 ||
			    errno != EPERM)
				bad |= 8;
		}
		_exit(bad ? 0x40 | bad : 0);
	}
	for (i = 0; i < 1000; i++) {	/* at most 10 s */
		pid_t w = waitpid(pid, &status, WNOHANG);

		if (w == pid) {
			if (!WIFEXITED(status) || WEXITSTATUS(status)) {
				pthread_mutex_lock(&print_lock);
				fprintf(stdout, "svm-fuzz: FAIL (seed %" PRIu64 "): a forked child's ioctl, read() or poll() on a context did not fail with -EPERM or POLLERR (status %#x: exit 0x41 ioctl, 0x42 read, 0x44 poll, 0x48 vsvm's ioctl)\n",
					opt_seed, status);
				fflush(stdout);
				_exit(1);
			}
			__atomic_fetch_add(&fork_eperm_checked, 1,
					   __ATOMIC_RELAXED);
			return;
		}
		usleep(10000);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
}

static void migrate(struct rng *r, struct region *reg)
{
	enum { N = 16 };
	void *pages[N];
	int nodes[N], status[N];
	unsigned int i, n = 1 + (unsigned int)below(r, N);
	int node = (int)below(r, 2);

	if (n > reg->npages)
		n = (unsigned int)reg->npages;
	for (i = 0; i < n; i++) {
		pages[i] = (void *)(reg->addr + below(r, reg->npages) * PAGE);
		nodes[i] = node;
	}
	syscall(SYS_move_pages, 0, (unsigned long)n, pages, nodes, status,
		0);
}

/* Write a byte in each page of [addr, addr + len), as far as @limit. */
static void touch_range(uintptr_t addr, size_t len, size_t limit)
{
	size_t off;

	for (off = 0; off < len && off < limit; off += PAGE)
		((volatile char *)addr)[off] = 0x41;
}

/*
 * A vgem GEM object of @len bytes, mapped over [addr, addr + len): the
 * mapping of a driver's buffer object, as a GPU driver's would be.
 */
static bool map_gem(uintptr_t addr, size_t len)
{
	struct drm_mode_create_dumb create = {
		.width = (uint32_t)(len / 4), .height = 1, .bpp = 32,
	};
	struct drm_mode_map_dumb map = { 0 };
	struct drm_gem_close cl = { 0 };
	void *p;

	if (vgem_card < 0 ||
	    ioctl(vgem_card, DRM_IOCTL_MODE_CREATE_DUMB, &create))
		return false;
	map.handle = create.handle;
	p = MAP_FAILED;
	if (!ioctl(vgem_card, DRM_IOCTL_MODE_MAP_DUMB, &map))
		p = mmap((void *)addr, len, PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_FIXED, vgem_card, (off_t)map.offset);
	/* The mapping keeps the object. */
	cl.handle = create.handle;
	ioctl(vgem_card, DRM_IOCTL_GEM_CLOSE, &cl);
	return p != MAP_FAILED;
}

/*
 * Replace @reg (state ST_RW, its lock held) with a mapping of another
 * kind, whatever handles hold its pages: the helper must refuse the new
 * memory cleanly and revoke what it held, and the kernel must never walk
 * the new mapping as if it were the old (the kernel-log scan of vm/run
 * catches a "bad pmd"). Returns false when the kind is not available.
 */
static bool replace(struct rng *r, struct region *reg, unsigned int op)
{
	size_t len = reg->npages * PAGE, maplen = len;
	void *p = MAP_FAILED;
	int mfd;

	switch (op) {
	case MM_HUGETLB_2M:
		/* Slots are 4 MiB apart and aligned: a 2 MiB page fits. */
		maplen = HUGE_2M;
		p = mmap((void *)reg->addr, maplen, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB | MAP_FIXED,
			 -1, 0);
		break;
	case MM_HUGETLB_1G:
		maplen = HUGE_1G;
		p = mmap((void *)reg->addr, maplen, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB | MAP_FIXED |
			 (30 << MAP_HUGE_SHIFT), -1, 0);
		break;
	case MM_FILE_PRIVATE:
	case MM_FILE_SHARED:
		mfd = memfd_create("svm-fuzz-replace", MFD_CLOEXEC);
		if (mfd < 0)
			return false;
		if (!ftruncate(mfd, (off_t)len))
			p = mmap((void *)reg->addr, len, PROT_READ | PROT_WRITE,
				 (op == MM_FILE_SHARED ? MAP_SHARED : MAP_PRIVATE) |
				 MAP_FIXED, mfd, 0);
		close(mfd);
		break;
	case MM_GEM:
		if (map_gem(reg->addr, len))
			p = (void *)reg->addr;
		break;
	}
	if (p == MAP_FAILED)
		return false;
	/*
	 * Bytes shaped like page-table entries, as in the hugetlb
	 * reproduction; the private file mapping gets anonymous copies.
	 */
	touch_range(reg->addr, maplen, chance(r, 50) ? 64 * PAGE : PAGE);
	reg->foreign_len = maplen;
	reg->state = ST_FOREIGN;
	return true;
}

static unsigned long giga_replaced;

/* Now and then, the 1 GiB region: its replacement zeroes a gigabyte. */
static void change_giga(struct rng *r)
{
	unsigned int op = MM_RESTORE;

	if (!giga.addr || !chance(r, 1))
		return;
	pthread_mutex_lock(&giga.lock);
	if (giga.state == ST_RW) {
		if (giga_replaced < GIGA_MAX_REPLACE &&
		    replace(r, &giga, MM_HUGETLB_1G)) {
			giga_replaced++;
			op = MM_HUGETLB_1G;
		}
	} else {
		restore(&giga);
	}
	__atomic_fetch_add(&mm_ops[op], 1, __ATOMIC_RELAXED);
	pthread_mutex_unlock(&giga.lock);
}

static void *mm_changer(void *arg)
{
	struct thread *t = arg;
	struct rng *r = &t->rng;
	int clear_refs = open("/proc/self/clear_refs", O_WRONLY | O_CLOEXEC);

	while (!stop_others) {
		struct region *reg = &pool[below(r, NANON)];
		size_t len = reg->npages * PAGE;
		uintptr_t moved = reg->addr + SLOT_SIZE / 2;
		unsigned int op = (unsigned int)below(r, 12);

		if (chance(r, 25))
			usleep((useconds_t)below(r, 300));
		change_giga(r);
		/* One change in eight replaces the mapping with another kind. */
		if (chance(r, 12))
			op = MM_HUGETLB_2M + (unsigned int)below(r, 4);
		pthread_mutex_lock(&reg->lock);
		if (reg->state != ST_RW && chance(r, 60))
			op = MM_RESTORE;
		switch (op) {
		case 0:
			if (reg->state == ST_FOREIGN) {
				/* A hugetlb page cannot be remapped in part. */
				restore(reg);
				break;
			}
			map_rw(reg->addr, len);
			reg->state = ST_RW;
			break;
		case 1:
			if (reg->state == ST_RW) {
				munmap((void *)reg->addr, len);
				reg->state = ST_UNMAPPED;
			}
			break;
		case 2:
			if (reg->state == ST_RW) {
				if (mremap((void *)reg->addr, len, len,
					   MREMAP_MAYMOVE | MREMAP_FIXED,
					   (void *)moved) != MAP_FAILED)
					reg->state = ST_MOVED;
			}
			break;
		case 3:
			if (reg->state == ST_RW) {
				mprotect((void *)reg->addr, len, PROT_READ);
				reg->state = ST_RO;
			}
			break;
		case 4:
			if (reg->state == ST_RW) {
				mprotect((void *)reg->addr, len, PROT_NONE);
				reg->state = ST_NONE;
			}
			break;
		case 5: {
			uint64_t first = below(r, reg->npages);

			madvise((void *)(reg->addr + first * PAGE),
				(1 + below(r, reg->npages - first)) * PAGE,
				MADV_DONTNEED);
			break;
		}
		case 6:
			if (reg->state == ST_RW) {
				uint64_t i;

				for (i = below(r, reg->npages); i < reg->npages;
				     i += 1 + below(r, 8))
					((volatile char *)reg->addr)[i * PAGE] += 1;
			}
			break;
		case 7:
			if (chance(r, 25))
				do_fork();
			break;
		case 8:
			migrate(r, reg);
			break;
		case 9:
			if (reg->thp)
				madvise((void *)reg->addr, len, MADV_COLLAPSE);
			else
				madvise((void *)reg->addr, len, MADV_PAGEOUT);
			break;
		case 10:
			madvise((void *)reg->addr, len, MADV_PAGEOUT);
			break;
		case 11:
			if (clear_refs >= 0 && chance(r, 10) &&
			    write(clear_refs, "4", 1) < 0)
				(void)0;
			break;
		case MM_HUGETLB_2M:
		case MM_FILE_PRIVATE:
		case MM_FILE_SHARED:
		case MM_GEM:
			if (reg->state != ST_RW || !replace(r, reg, op))
				op = MM_RESTORE;
			else
				break;
			/* fall through */
		default:
			restore(reg);
			break;
		}
		__atomic_fetch_add(&mm_ops[op], 1, __ATOMIC_RELAXED);
		pthread_mutex_unlock(&reg->lock);
	}
	if (clear_refs >= 0)
		close(clear_refs);
	return NULL;
}

/* ---- the event reader ---- */

static unsigned long events[2], events_coalesced[2], event_reasons[2][8],
		     short_reads, reads, reads_eagain;

static void check_event(const struct drm_svm_event_revoked *e, int f)
{
	const char *bad = NULL;
	unsigned int b;

	if (e->base.type != DRM_SVM_EVENT_REVOKED)
		bad = "type";
	else if (e->base.size != sizeof(*e))
		bad = "size";
	else if (!e->handle)
		bad = "handle 0";
	/* bits 1 and 6 are reserved (6 was EXIT until uAPI 3) */
	else if (!e->reasons || (e->reasons & ~0xbdu))
		bad = "reasons";
	else if (e->flags & ~DRM_SVM_EVENT_COALESCED)
		bad = "flags";
	else if (!e->length || (e->addr | e->length) & (PAGE - 1) ||
		 e->addr + e->length < e->addr ||
		 e->addr + e->length > task_size)
		bad = "span";
	else if (!e->seqno)
		bad = "seqno 0";
	if (bad) {
		pthread_mutex_lock(&print_lock);
		fprintf(stdout, "svm-fuzz: FAIL (seed %" PRIu64 "): bad event on %s (%s): type=%#x size=%u cookie=%#llx addr=%#llx length=%#llx handle=%u reasons=%#x seqno=%u flags=%#x\n",
			opt_seed, fd_name[f], bad, e->base.type, e->base.size,
			(unsigned long long)e->cookie,
			(unsigned long long)e->addr,
			(unsigned long long)e->length, e->handle, e->reasons,
			e->seqno, e->flags);
		fflush(stdout);
		_exit(1);
	}
	events[f]++;
	if (e->flags & DRM_SVM_EVENT_COALESCED)
		events_coalesced[f]++;
	for (b = 0; b < 8; b++)
		if (e->reasons & (1u << b))
			event_reasons[f][b]++;
}

static void read_events(int f, bool short_buf)
{
	union {
		struct drm_svm_event_revoked ev[32];
		char raw[32 * sizeof(struct drm_svm_event_revoked)];
	} buf;
	size_t count = short_buf ? sizeof(buf.ev[0]) - 1 : sizeof(buf);
	ssize_t n, off;

	n = read(fds[f], buf.raw, count);
	reads++;
	/*
	 * Nothing, though poll() said POLLIN: a non-blocking read finds the
	 * context's read lock taken (by a release, which holds it while it
	 * waits for the context's other ioctls and restores the pages) and
	 * gives up. Counted: a poll() loop spins meanwhile.
	 */
	if (n < 0 && errno == EAGAIN)
		reads_eagain++;
	/* No event fits: -EINVAL, nothing is read, and nothing is lost. */
	if (short_buf && n < 0 && errno == EINVAL) {
		short_reads++;
		return;
	}
	if (n < 0) {
		if (errno == EAGAIN || errno == EINTR)
			return;
		pthread_mutex_lock(&print_lock);
		fprintf(stdout, "svm-fuzz: FAIL (seed %" PRIu64 "): read on %s: %s\n",
			opt_seed, fd_name[f], strerror(errno));
		fflush(stdout);
		_exit(1);
	}
	if (short_buf) {
		pthread_mutex_lock(&print_lock);
		fprintf(stdout, "svm-fuzz: FAIL (seed %" PRIu64 "): a read of %zu bytes on %s returned %zd, not -EINVAL\n",
			opt_seed, count, fd_name[f], n);
		fflush(stdout);
		_exit(1);
	}
	if (n % (ssize_t)sizeof(buf.ev[0])) {
		pthread_mutex_lock(&print_lock);
		fprintf(stdout, "svm-fuzz: FAIL (seed %" PRIu64 "): read %zd bytes on %s, not whole events\n",
			opt_seed, n, fd_name[f]);
		fflush(stdout);
		_exit(1);
	}
	for (off = 0; off < n; off += (ssize_t)sizeof(buf.ev[0]))
		check_event((const void *)(buf.raw + off), f);
}

static void *event_reader(void *arg)
{
	unsigned int k = 0;

	(void)arg;
	for (;;) {
		struct pollfd p[2] = {
			{ .fd = fds[FD_A], .events = POLLIN },
			{ .fd = fds[FD_B], .events = POLLIN },
		};
		int f, n;
		bool last = stop_others;

		n = poll(p, 2, 100);
		for (f = 0; f < 2 && n > 0; f++)
			if (p[f].revents & POLLIN)
				read_events(f, ++k % 16 == 0);
		if (last)
			break;
	}
	/* Drain what is left */
	read_events(FD_A, false);
	read_events(FD_B, false);
	return NULL;
}

/* ---- setup and the end ---- */

/*
 * --unprivileged: what a user who can open a render node has. The
 * contexts exist already; become nobody, with a small RLIMIT_MEMLOCK.
 */
static void drop_privileges(void)
{
	struct rlimit rl = {
		.rlim_cur = UNPRIV_MEMLOCK_PAGES * PAGE,
		.rlim_max = UNPRIV_MEMLOCK_PAGES * PAGE,
	};

	if (setrlimit(RLIMIT_MEMLOCK, &rl))
		die("setrlimit(RLIMIT_MEMLOCK): %s", strerror(errno));
	if (getuid() == 0 &&
	    (setgroups(0, NULL) || setresgid(65534, 65534, 65534) ||
	     setresuid(65534, 65534, 65534)))
		die("cannot become nobody: %s", strerror(errno));
	/* Keep /proc/self/clear_refs ours to write. */
	prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
	printf("svm-fuzz: unprivileged: uid %d, RLIMIT_MEMLOCK %d pages\n",
	       (int)getuid(), UNPRIV_MEMLOCK_PAGES);
}

/* A render node of @driver (tests/vsvm-helpers.h), or -errno. */
static int open_driver(const char *driver, char *path, size_t len)
{
	return vsvm_open_node("renderD", driver, O_NONBLOCK, path, len);
}

/* A primary node (cardN) of @driver, or -1. */
static int open_card(const char *driver)
{
	char path[300];
	int fd = vsvm_open_node("card", driver, O_NONBLOCK, path, sizeof(path));

	return fd < 0 ? -1 : fd;
}

static struct stats total;

static void sum_stats(void)
{
	int i, f, io, e;

	memset(&total, 0, sizeof(total));
	if (!threads)
		return;
	for (i = 0; i < opt_threads; i++) {
		const struct stats *s = &threads[i].st;

		for (f = 0; f < FD_N; f++)
			for (io = 0; io < IO_N; io++) {
				total.calls[f][io] += s->calls[f][io];
				total.ok[f][io] += s->ok[f][io];
				for (e = 0; e < ERRNO_MAX; e++)
					total.err[f][io][e] += s->err[f][io][e];
			}
		for (io = 0; io < IO_N; io++)
			total.wellformed[io] += s->wellformed[io];
		for (e = 0; e < SZ_N; e++)
			total.sz[e] += s->sz[e];
		total.acq_ok += s->acq_ok;
		total.acq_partial_ok += s->acq_partial_ok;
		total.reacq_ok += s->reacq_ok;
		total.rel_eager_ok += s->rel_eager_ok;
		total.rel_lazy_ok += s->rel_lazy_ok;
		total.query_ok += s->query_ok;
		total.atomic_ok += s->atomic_ok;
		total.atomic_reacq_ok += s->atomic_reacq_ok;
		total.atomic_ops_done += s->atomic_ops_done;
		total.atomic_reacquired += s->atomic_reacquired;
		total.touches += s->touches;
	}
}

static void print_stats(FILE *o)
{
	static const char *const reason[8] = {
		"CPU_ACCESS", "bit1", "UNMAP", "PROTECTION", "FORK",
		"MIGRATION", "bit6", "OTHER",
	};
	unsigned long sum = 0;
	int f, io, e, b;

	sum_stats();
	for (f = 0; f < FD_N; f++)
		for (io = 0; io < IO_N; io++)
			sum += total.calls[f][io];
	fprintf(o, "\ncalls: %lu in %.1f s (%.0f/s)\n", sum, elapsed(),
		sum / (elapsed() > 0 ? elapsed() : 1));
	fprintf(o, "%-24s %8s %8s %8s %8s  errnos\n", "ioctl", "ctx", "drm",
		"wellfrm", "ok");
	for (io = 0; io < IO_N; io++) {
		fprintf(o, "%-24s %8lu %8lu %8lu %8lu ", io_name[io],
			total.calls[FD_A][io] + total.calls[FD_B][io],
			total.calls[FD_DRM][io], total.wellformed[io],
			total.ok[FD_A][io] + total.ok[FD_B][io]);
		for (e = 0; e < ERRNO_MAX; e++) {
			unsigned long n = total.err[FD_A][io][e] +
					  total.err[FD_B][io][e];

			if (n)
				fprintf(o, " %s=%lu", errname(e), n);
		}
		fprintf(o, "\n");
	}
	fprintf(o, "on DRM files (vgem's, vsvm's):\n");
	for (io = 0; io < IO_N; io++) {
		fprintf(o, "  %-24s ok=%lu", io_name[io], total.ok[FD_DRM][io]);
		for (e = 0; e < ERRNO_MAX; e++)
			if (total.err[FD_DRM][io][e])
				fprintf(o, " %s=%lu", errname(e),
					total.err[FD_DRM][io][e]);
		fprintf(o, "\n");
	}
	fprintf(o, "successes: acquire %lu (partial %lu), reacquire %lu, release eager %lu lazy %lu, query %lu, atomic %lu (with REACQUIRE %lu; ops done %lu, pages re-acquired %lu)\n",
		total.acq_ok, total.acq_partial_ok, total.reacq_ok,
		total.rel_eager_ok, total.rel_lazy_ok, total.query_ok,
		total.atomic_ok, total.atomic_reacq_ok, total.atomic_ops_done,
		total.atomic_reacquired);
	fprintf(o, "changed commands:");
	for (e = 1; e < SZ_N; e++)
		fprintf(o, " %s=%lu", sz_name[e], total.sz[e]);
	fprintf(o, "\n");
	fprintf(o, "reads: %lu, %lu of them -EAGAIN after poll() said POLLIN\n",
		reads, reads_eagain);
	fprintf(o, "events read: %s %lu, %s %lu (coalesced %lu; short reads %lu); reasons:",
		fd_name[FD_A], events[FD_A], fd_name[FD_B], events[FD_B],
		events_coalesced[FD_A] + events_coalesced[FD_B], short_reads);
	for (b = 0; b < 8; b++)
		if (event_reasons[0][b] + event_reasons[1][b])
			fprintf(o, " %s=%lu", reason[b],
				event_reasons[0][b] + event_reasons[1][b]);
	fprintf(o, "\nmapping changes:");
	for (b = 0; b < MM_N; b++)
		if (mm_ops[b])
			fprintf(o, " %s=%lu", mm_op_name[b], mm_ops[b]);
	fprintf(o, "; caller touches %lu; fork children checked for -EPERM and POLLERR %lu\n",
		total.touches, fork_eperm_checked);
}

/*
 * After a mismatch: find the handles the context holds that the fuzzer does
 * not track (or the reverse) by re-acquiring every number ever handed
 * out, and print what the fuzzer saw happen to them.
 */
static void explain_mismatch(int f)
{
	uint32_t h;
	unsigned long i, from;
	int k, shown = 0;

	for (h = 1; h <= htab[f].max_handle + 16 && shown < 8; h++) {
		struct drm_svm_reacquire rq = {
			.handle = h, .flags = DRM_SVM_ACQUIRE_PARTIAL,
		};
		bool live = !ioctl(fds[f], DRM_SVM_IOCTL_REACQUIRE, &rq) ||
			    errno != ENOENT;
		bool tracked = false;

		for (k = 0; k < htab[f].nlive; k++)
			if (htab[f].live[k].handle == h)
				tracked = true;
		if (live == tracked)
			continue;
		shown++;
		printf("  handle %u: %s by the context, %s by the fuzzer; its history:\n",
		       h, live ? "held" : "not held",
		       tracked ? "tracked" : "not tracked");
		from = htab[f].nhist > NHIST ? htab[f].nhist - NHIST : 0;
		for (i = from; i < htab[f].nhist; i++) {
			const struct hist *e = &htab[f].hist[i % NHIST];

			if (e->handle == h)
				printf("    global call %lu, thread %d: %s returned %d%s%s\n",
				       e->global, e->thread, io_name[e->io],
				       e->ret, e->ret ? " -" : "",
				       e->ret ? errname(-e->ret) : "");
		}
	}
}

/* Every tracked handle, and nothing else, is what INFO counts. */
static void check_final(void)
{
	int f, i;

	for (f = FD_A; f <= FD_B; f++) {
		struct drm_svm_info info = { 0 };
		uint64_t pages = 0;

		for (i = 0; i < htab[f].nlive; i++)
			pages += htab[f].live[i].npages;
		if (ioctl(fds[f], DRM_SVM_IOCTL_INFO, &info))
			die("INFO: %s", strerror(errno));
		if (info.handles != (uint32_t)htab[f].nlive || info.pages != pages) {
			printf("svm-fuzz: FAIL (seed %" PRIu64 "): at the end %s holds %u handles of %llu pages, the fuzzer tracked %d of %llu\n",
			       opt_seed, fd_name[f], info.handles,
			       (unsigned long long)info.pages, htab[f].nlive,
			       (unsigned long long)pages);
			explain_mismatch(f);
			exit(1);
		}
		for (i = 0; i < htab[f].nlive; i++) {
			struct drm_svm_release rel = {
				.handle = htab[f].live[i].handle,
				.flags = i % 2 ? DRM_SVM_RELEASE_LAZY : 0,
			};

			if (ioctl(fds[f], DRM_SVM_IOCTL_RELEASE, &rel)) {
				printf("svm-fuzz: FAIL (seed %" PRIu64 "): final release of handle %u on %s: %s\n",
				       opt_seed, rel.handle, fd_name[f],
				       strerror(errno));
				exit(1);
			}
		}
		memset(&info, 0, sizeof(info));
		if (ioctl(fds[f], DRM_SVM_IOCTL_INFO, &info) || info.handles ||
		    info.pages) {
			printf("svm-fuzz: FAIL (seed %" PRIu64 "): %s still holds %u handles of %llu pages after releasing all\n",
			       opt_seed, fd_name[f], info.handles,
			       (unsigned long long)info.pages);
			exit(1);
		}
	}
}

static void usage(FILE *o)
{
	fprintf(o,
		"usage: svm-fuzz [options]\n"
		"  --seed N          PRNG seed (default: from the clock; always printed)\n"
		"  --calls N         ioctl calls in all (default 100000)\n"
		"  --threads N       caller threads (default 4, at most %d)\n"
		"  --mm-threads N    mapping-changer threads (default 2)\n"
		"  --quiet-mm        no mapping changers (with --threads 1: exact replay)\n"
		"  --max-seconds N   stop after N s (default 600); stopping before\n"
		"                    --calls calls is a failure\n"
		"  --no-negative-control\n"
		"                    never set VSVM_TEST_ATOMIC_NO_EXCLUSIVE (the\n"
		"                    CONFIG_DRM_VSVM_DEBUG kernels' flag that bypasses\n"
		"                    exclusivity, tests/vsvm_test.h)\n"
		"  --unprivileged    once the contexts exist, run as nobody under an\n"
		"                    RLIMIT_MEMLOCK of %d pages\n"
		"  --verbose         print every call\n"
		"Exit status: 0 pass, 1 failure, 77 no vsvm device, 99 setup error.\n",
		MAX_THREADS, UNPRIV_MEMLOCK_PAGES);
}

static unsigned long num(const char *s, const char *opt)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || !*s || *end)
		die("%s: not a number: %s", opt, s);
	return v;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "seed", required_argument, NULL, 's' },
		{ "calls", required_argument, NULL, 'c' },
		{ "threads", required_argument, NULL, 't' },
		{ "mm-threads", required_argument, NULL, 'm' },
		{ "quiet-mm", no_argument, NULL, 'q' },
		{ "max-seconds", required_argument, NULL, 'T' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "no-negative-control", no_argument, NULL, 'N' },
		{ "unprivileged", no_argument, NULL, 'U' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct thread *mmt = NULL, reader_thr;
	uint32_t version = 0;
	char path[300], vgem_path[300] = "";
	bool seeded = false, joined[MAX_THREADS] = { false };
	unsigned long claimed, ran, last_report = 0;
	int opt, i, f, n_mm;

	while ((opt = getopt_long(argc, argv, "s:c:t:m:qT:vNUh", longopts,
				  NULL)) != -1) {
		switch (opt) {
		case 's': opt_seed = num(optarg, "--seed"); seeded = true; break;
		case 'c': opt_calls = num(optarg, "--calls"); break;
		case 't': opt_threads = (int)num(optarg, "--threads"); break;
		case 'm': opt_mm_threads = (int)num(optarg, "--mm-threads"); break;
		case 'q': opt_quiet_mm = true; break;
		case 'T': opt_max_seconds = (unsigned int)num(optarg, "--max-seconds"); break;
		case 'v': opt_verbose = true; break;
		case 'N': opt_no_negative_control = true; break;
		case 'U': opt_unprivileged = true; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 99;
		}
	}
	if (optind != argc || opt_threads < 1 || opt_threads > MAX_THREADS ||
	    opt_mm_threads > 64) {
		usage(stderr);
		return 99;
	}
	if (!seeded) {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		opt_seed = (uint64_t)ts.tv_sec * 1000000007ULL ^
			   (uint64_t)ts.tv_nsec ^ (uint64_t)getpid();
	}
	n_mm = opt_quiet_mm ? 0 : opt_mm_threads;
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("svm-fuzz: seed %" PRIu64 ", %lu calls, %d caller threads, %d mapping changers, at most %u s\n",
	       opt_seed, opt_calls, opt_threads, n_mm, opt_max_seconds);
	if (sysconf(_SC_PAGESIZE) != (long)PAGE) {
		printf("SKIP: page size %ld, the fuzzer knows 4096 only\n",
		       sysconf(_SC_PAGESIZE));
		return 77;
	}

	drm_fds[FD_A] = open_driver("vsvm", path, sizeof(path));
	if (drm_fds[FD_A] < 0) {
		printf("SKIP: no vsvm render node in /dev/dri\n");
		return 77;
	}
	/* Two contexts, each on a DRM file of its own, bound to this mm. */
	fds[FD_A] = vsvm_context_create(drm_fds[FD_A], DRM_SVM_CONTEXT_NONBLOCK,
					&version);
	if (fds[FD_A] < 0) {
		printf("SKIP: %s creates no SVM context: %s\n", path,
		       strerror(-fds[FD_A]));
		return 77;
	}
	if (version != DRM_SVM_UAPI_VERSION)
		die("%s: uAPI version %u, the fuzzer knows %d", path, version,
		    DRM_SVM_UAPI_VERSION);
	drm_fds[FD_B] = open(path, O_RDWR | O_CLOEXEC | O_NONBLOCK);
	if (drm_fds[FD_B] < 0)
		die("open %s: %s", path, strerror(errno));
	fds[FD_B] = vsvm_context_create(drm_fds[FD_B], DRM_SVM_CONTEXT_NONBLOCK,
					NULL);
	if (fds[FD_B] < 0)
		die("second context: %s", strerror(-fds[FD_B]));
	fds[FD_DRM] = open_driver("vgem", vgem_path, sizeof(vgem_path));
	if (fds[FD_DRM] < 0)
		fds[FD_DRM] = -1;
	vgem_card = open_card("vgem");
	printf("svm-fuzz: %s (two contexts on two files)%s%s%s\n", path,
	       fds[FD_DRM] >= 0 ? ", foreign driver " : ", no vgem",
	       fds[FD_DRM] >= 0 ? vgem_path : "",
	       vgem_card >= 0 ? ", GEM mappings from its primary node" :
				", no GEM mappings (no vgem primary node)");

	build_tables();
	probe_task_size();
	setup_arena();
	if (opt_unprivileged)
		drop_privileges();

	clock_gettime(CLOCK_MONOTONIC, &t_start);
	threads = calloc((size_t)opt_threads, sizeof(*threads));
	mmt = calloc((size_t)(n_mm ? n_mm : 1), sizeof(*mmt));
	if (!threads || !mmt)
		die("out of memory");
	memset(&reader_thr, 0, sizeof(reader_thr));
	if (pthread_create(&reader_thr.tid, NULL, event_reader, NULL))
		die("pthread_create");
	for (i = 0; i < n_mm; i++) {
		mmt[i].idx = 1000 + i;
		rng_init(&mmt[i].rng, opt_seed, 1000 + (uint64_t)i);
		if (pthread_create(&mmt[i].tid, NULL, mm_changer, &mmt[i]))
			die("pthread_create");
	}
	for (i = 0; i < opt_threads; i++) {
		threads[i].idx = i;
		threads[i].scratch = scratch_of(i);
		rng_init(&threads[i].rng, opt_seed, (uint64_t)i);
		if (pthread_create(&threads[i].tid, NULL, caller, &threads[i]))
			die("pthread_create");
	}

	/* Watch: progress, the time limit, and callers stuck in the kernel. */
	for (;;) {
		bool all_done = true;
		double now;

		usleep(100000);
		for (i = 0; i < opt_threads; i++) {
			if (joined[i])
				continue;
			if (pthread_tryjoin_np(threads[i].tid, NULL) == EBUSY)
				all_done = false;
			else
				joined[i] = true;
		}
		now = elapsed();
		if (all_done)
			break;
		claimed = __atomic_load_n(&calls_claimed, __ATOMIC_RELAXED);
		if (now - (double)last_report >= 30) {
			last_report = (unsigned long)now;
			fprintf(stderr, "svm-fuzz: %lu calls after %.0f s\n",
				claimed < opt_calls ? claimed : opt_calls, now);
		}
		if (now >= opt_max_seconds)
			stop_callers = 1;
		if (now >= opt_max_seconds + 60.0) {
			pthread_mutex_lock(&print_lock);
			printf("\nsvm-fuzz: FAIL (seed %" PRIu64 "): callers still in the kernel 60 s after the time limit; their calls:\n",
			       opt_seed);
			for (i = 0; i < opt_threads; i++)
				if (!joined[i] && threads[i].in_call)
					print_call(stdout, &threads[i],
						   &threads[i].c);
			fflush(stdout);
			_exit(1);
		}
	}
	stop_others = 1;
	for (i = 0; i < n_mm; i++)
		pthread_join(mmt[i].tid, NULL);
	pthread_join(reader_thr.tid, NULL);

	check_final();
	print_stats(stdout);
	ran = 0;
	for (i = 0; i < opt_threads; i++)
		ran += threads[i].ncalls;
	if (ran < opt_calls) {
		printf("svm-fuzz: FAIL (seed %" PRIu64 "): stopped at the %u s limit after %lu of %lu calls\n",
		       opt_seed, opt_max_seconds, ran, opt_calls);
		return 1;
	}
	for (f = 0; f < FD_N; f++)
		if (fds[f] >= 0)
			close(fds[f]);
	close(drm_fds[FD_A]);
	close(drm_fds[FD_B]);
	printf("svm-fuzz: PASS: %lu calls, seed %" PRIu64 "\n", ran, opt_seed);
	return 0;
}
