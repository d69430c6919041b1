// SPDX-License-Identifier: MIT
/*
 * svm-stress: a fixed-time stress test of device-exclusive SVM
 * (include/uapi/drm/drm_svm.h) on the vsvm device (include/uapi/drm/
 * vsvm_drm.h), with invariants checked at the end. Run in the guest VM
 * by tests/vm/svm-stress.test, on the distro kernel (make check) and on
 * the debug kernel (make check-debug). Raw ioctls, no libsvmatomic.
 *
 * Everything below runs at once, in one process, on the same memory:
 *
 * Two contexts, A and B, each created on a DRM file of its own (vsvm's
 * atomic ioctl goes to that file and names its context):
 *
 *  - counters: CNT_PAGES pages of 64-bit counters, covered by SLOTS
 *    handles of context A. CPU_THREADS threads add 1 with __atomic; a
 *    device thread adds DEV_INC (2^32) through vsvm with
 *    DRM_VSVM_ATOMIC_REACQUIRE and re-arms every slot
 *    (DRM_SVM_IOCTL_REACQUIRE) after each batch; a second context B takes
 *    one or two pages over at a time (its acquire revokes A), adds DEV_INC
 *    through its own device mapping and gives them up again. A lifecycle thread retires slot handles (final
 *    re-acquire, then an eager or a lazy release) and acquires them anew.
 *    A mapping thread toggles PROT_EXEC on parts of the counters (a real
 *    protection change that keeps them writable), forks children that
 *    read the counters and exit (FORK), and migrates pages of the
 *    counter, swap and KSM regions between NUMA nodes 0 and 1
 *    (move_pages); another thread compacts memory now and then.
 *  - destroy: a region whose content the destructive paths change.
 *    Its thread alone writes it, so it knows every page's last value and
 *    re-establishes it: MADV_DONTNEED (zeroes), munmap + re-mmap at the
 *    same address (zeroes; the handle lives on and is re-acquired over
 *    the new pages), mremap away and back (content kept), mprotect
 *    read-only, eager and lazy release. After each step the device reads
 *    (an add, whose result is the old value) and the CPU reads every page
 *    and must find exactly the expected value.
 *  - swap: a 2 MiB region: the device writes word 0 of every page while
 *    held (the CPU writes word 1 of every other page), then the handle
 *    is released eagerly, lazily, or revoked by mprotect(PROT_READ); the
 *    test's own memory cgroup (cgroup v2) is reclaimed to swap
 *    (memory.reclaim), /proc/self/pagemap tells which pages went out
 *    (swap bit and a real swap type, not a device-exclusive entry), and
 *    every page must read back the last value written. The next round's
 *    device writes check the old values once more (xchg results).
 *  - ksm: a MADV_MERGEABLE region of few distinct page contents, with
 *    KSM running; it is acquired (which unshares merged pages), read and
 *    written by the device, released, read by the CPU, merged again.
 *  - a query thread queries random spans of every region (and of holes)
 *    in both contexts: every state byte may only have documented bits, and
 *    context B, which holds only counter pages, must never see HELD or
 *    REVOKED elsewhere; INFO must stay in its limits.
 *  - a reader thread polls both contexts and reads every event.
 *
 * The invariants checked at the end (exit 1 and a line saying what and
 * where when one fails):
 *
 *  - every counter is exact: low half = the CPU adds counted, high half
 *    = the device adds (contexts A and B) that an ioctl reported done (an
 *    op counts only when it lies within drm_vsvm_atomic.done);
 *  - the destroy, swap and KSM regions always hold the last value written
 *    (checked at each step, by device and CPU reads), also after swap
 *    round trips, whose number is printed;
 *  - no lost event, per handle of either context. The seqno of a handle
 *    counts its revocations. The test records the seqno of every commit
 *    (acquire, re-acquire; all commits of a handle are serialized by the
 *    test, so the recorded order is the kernel's and must not decrease)
 *    and every event read. A handle is retired by a final re-acquire
 *    (whose seqno is the handle's count so far) and a release. One event
 *    is armed at each commit and sent by the first revocation after it,
 *    with seqno commit + 1. A device take-back (DRM_VSVM_ATOMIC_REACQUIRE)
 *    commits too, arming an event when the last one was sent, at a seqno
 *    the test does not see. A context queues at most one event per
 *    handle: one sent while the handle's previous one is still unread is
 *    merged into it, which then carries the later seqno and
 *    DRM_SVM_EVENT_COALESCED (and may be read twice, before and after the
 *    merge). A release discards the handle's unread event, so the test
 *    releases a handle only once its events up to the final commit were
 *    read (retire() waits for the reader, bounded). So with D the set of
 *    recorded commit seqnos and M its maximum:
 *      * every event's seqno is above min D, and events of a handle come
 *        in increasing seqno order;
 *      * for every c in D with c < M, the event c + 1 was read, or merged
 *        into a later one: the first event read with a seqno above c is
 *        c + 1, or coalesced. The handle was revoked after commit c (its
 *        count moved on by the next commit). A lost event fails here;
 *      * events after M + 1 come only from device take-backs after the
 *        final re-acquire.
 *    So revocations counted after the first commit (M - min D) = events
 *    required + coalesced gaps; printed. Cookies, spans and reasons of
 *    the events must match the handle and the documentation; handle
 *    numbers are never handed out twice within a context.
 *  - a bitmap given to an acquire has exactly pages_exclusive bits set;
 *  - no kernel-log report: vm/run fails the run (93, 94) on WARNING,
 *    BUG, KASAN, lockdep, kmemleak reports in the console log; the test
 *    also fails when /proc/sys/kernel/tainted or lockdep's debug_locks
 *    changed during the run.
 *
 * Features the kernel lacks (a second NUMA node, swap, a cgroup v2
 * memory controller, KSM, compaction) are skipped with a printed reason.
 *
 * fork() must never fail: 6.12's copy_pte_range() only trylocked a
 * device-exclusive page to restore it and failed the fork with -ENOMEM
 * when the page was locked; the series waits for the lock instead.
 *
 * Printed as a finding, not a failure: held pages of regions the test
 * never unmaps revoked with the UNMAP reason (a CPU write to a
 * copy-on-write page sends MMU_NOTIFY_CLEAR for it before re-checking
 * its entry, and the helper reports CLEAR as UNMAP; see docs/DECISIONS.md).
 *
 * Every wait is bounded: workers poll a stop flag, the reader polls with
 * a timeout, children are waited for with a timeout, threads are joined
 * with a timeout (a thread stuck in the kernel fails the test).
 *
 * -ENOSPC is a failure: since uAPI 3 a context has no event space to
 * fill, only max_handles, which the test stays far below.
 *
 * Usage: svm-stress [--seconds N] [--seed N] [--drop-events N]
 * [--without numa,compact,reclaim,ksm,fork]. Exit 0 pass, 1 fail, 77
 * no vsvm device. The seed only picks the mix of operations; the
 * interleaving is up to scheduling. --drop-events N is the negative
 * control of the event check: the reader throws away one event in N as
 * if the kernel had lost it, and the run must fail. --without leaves
 * paths out, to find which one causes what. ("--seconds 0" only probes
 * for the device.)
 *
 * Copyright 2026 The svmatomic authors
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <malloc.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "uapi/drm/drm_svm.h"
#include "uapi/drm/vsvm_drm.h"
#include "vsvm-helpers.h"

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif
#ifndef MADV_MERGEABLE
#define MADV_MERGEABLE 12
#endif
#define MPOL_MF_MOVE_FLAG	(1 << 1)

#define CPU_THREADS	3
#define CNT_PAGES	16
#define CNT_PER_PAGE	8
#define NCTR		(CNT_PAGES * CNT_PER_PAGE)
#define SLOTS		4
#define SLOT_PAGES	(CNT_PAGES / SLOTS)
#define DEV_INC		(1ULL << 32)
#define DEV_BATCH	256
#define B_OPS		64
#define DESTR_PAGES	32
#define SWAP_PAGES	512
#define KSM_PAGES	128
#define KSM_KINDS	8
#define MOVE_PAGES	32
#define MAX_PAGES	SWAP_PAGES
#define HTAB_SIZE	(1u << 18)
#define STALL_MS	30000
#define JOIN_MS		60000
#define CHILD_MS	30000
#define MAX_FAILS	40
/* How long retire() waits for the reader to read a handle's events. */
#define COVER_MS	20000
#define COVER_MS_DROPPING	200

/* Bit 5 is reserved for a device with memory of its own: not vsvm. */
#define ST_VALID	(DRM_SVM_PAGE_PRESENT | DRM_SVM_PAGE_WRITABLE | \
			 DRM_SVM_PAGE_EXCLUSIVE | DRM_SVM_PAGE_HELD | \
			 DRM_SVM_PAGE_REVOKED)
#define REASONS_DOC	(DRM_SVM_REASON_CPU_ACCESS | DRM_SVM_REASON_UNMAP | \
			 DRM_SVM_REASON_PROTECTION | DRM_SVM_REASON_FORK | \
			 DRM_SVM_REASON_MIGRATION | DRM_SVM_REASON_OTHER)
#define NREASONS	8

#define CGROUP_ROOT	"/sys/fs/cgroup"
#define KSM_DIR		"/sys/kernel/mm/ksm/"

enum { R_CNT, R_DESTR, R_SWAP, R_KSM, NREGIONS };
static const char *const region_name[NREGIONS] = {
	"counters", "destroy", "swap", "ksm"
};
static const char *const reason_name[NREASONS] = {
	"cpu-access", "bit1", "unmap", "protection", "fork", "migration",
	"bit6", "other"
};
static const char file_name[2] = { 'A', 'B' };

/* --- global state ------------------------------------------------------ */

static unsigned long ps;
/* the contexts A and B, and the DRM files they were created on */
static int ctx[2] = { -1, -1 }, drm[2] = { -1, -1 };
static int g_stop, g_failed, g_nfails;
static unsigned int g_seconds = 60;
static unsigned long g_drop_every, g_dropped_seen;
static char g_without[128];

/* --without numa,compact,reclaim,ksm,fork leaves paths out (bisecting). */
static bool without(const char *what)
{
	char key[32];

	snprintf(key, sizeof(key), ",%s,", what);
	return strstr(g_without, key) != NULL;
}
static uint64_t g_seed;
static double g_t0;

static char *cnt_base, *destr_base, *destr_alt, *swap_base, *ksm_base;
static bool have_numa, have_swap, have_memcg, have_ksm, have_compact;
static char memcg_path[256];
static char ksm_saved[3][64];

static unsigned long cpu_count[CPU_THREADS][NCTR];
static unsigned long dev_a_count[NCTR], dev_b_count[NCTR];

struct slot {
	pthread_mutex_t lock;
	char *addr;
	uint32_t handle;
	bool live;
};
static struct slot slots[SLOTS];

static struct {
	unsigned long cpu_adds, dev_adds_a, dev_adds_b, dev_region_ops;
	unsigned long dev_enxio, dev_ebusy, dev_reacquired;
	unsigned long acquires, acquire_busy, acquire_bitmap;
	unsigned long reacquires, reacquire_fail;
	unsigned long release_eager, release_lazy, tails;
	unsigned long queries, query_pages, infos;
	unsigned long events, event_reads, events_coalesced;
	unsigned long cover_waits, cover_timeouts, cover_max_ms;
	unsigned long mprotect_exec, forks, fork_enomem, move_calls, moved, move_enoent;
	unsigned long move_busy, move_other, compactions;
	unsigned long destr_rounds, dontneed, remaps, mremaps, mprotect_ro;
	unsigned long replaced_file, prot_none;
	unsigned long relocations;
	unsigned long swap_rounds, reclaims, swapped_dev, swapped_cpu;
	unsigned long lazy_entries;
	unsigned long ksm_rounds, ksm_merged_max, ksm_sharing_max;
	unsigned long takeovers, takeover_busy, lifecycle, dropped;
} st;
#define ADD(f, n)	__atomic_fetch_add(&st.f, (n), __ATOMIC_RELAXED)

static pthread_mutex_t out_lock = PTHREAD_MUTEX_INITIALIZER;

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static bool stopped(void)
{
	return __atomic_load_n(&g_stop, __ATOMIC_ACQUIRE);
}

static void msleep(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static __attribute__((format(printf, 1, 2))) void say(const char *fmt, ...)
{
	va_list ap;

	pthread_mutex_lock(&out_lock);
	printf("svm-stress: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	pthread_mutex_unlock(&out_lock);
}

/* An invariant failed: say what and where, and stop the run. */
static __attribute__((format(printf, 1, 2))) void failf(const char *fmt, ...)
{
	va_list ap;

	pthread_mutex_lock(&out_lock);
	if (++g_nfails <= MAX_FAILS) {
		printf("svm-stress: FAIL [%.1f s]: ", (now_ms() - g_t0) / 1e3);
		va_start(ap, fmt);
		vprintf(fmt, ap);
		va_end(ap);
		printf("\n");
	} else if (g_nfails == MAX_FAILS + 1) {
		printf("svm-stress: FAIL: (more failures not shown)\n");
	}
	fflush(stdout);
	pthread_mutex_unlock(&out_lock);
	__atomic_store_n(&g_failed, 1, __ATOMIC_RELEASE);
	__atomic_store_n(&g_stop, 1, __ATOMIC_RELEASE);
}

/* xorshift64*, one state per thread */
static uint64_t rnd(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*s = x;
	return x * 0x2545f4914f6cdd1dULL;
}

static uint64_t rnd_seed(unsigned int id)
{
	uint64_t z = g_seed + 0x9e3779b97f4a7c15ULL * (id + 1);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	z ^= z >> 31;
	return z ? z : 1;
}

static int read_file(const char *path, char *buf, size_t len)
{
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = 0;
	return 0;
}

static int write_file(const char *path, const char *val)
{
	ssize_t n;
	int fd, err;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, val, strlen(val));
	err = errno;
	close(fd);
	if (n < 0)
		return -err;
	return n == (ssize_t)strlen(val) ? 0 : -EIO;
}

static long read_long_at(const char *path, const char *key)
{
	char buf[4096], *p;

	if (read_file(path, buf, sizeof(buf)))
		return -1;
	if (!key)
		return strtol(buf, NULL, 10);
	p = strstr(buf, key);
	return p ? strtol(p + strlen(key), NULL, 10) : -1;
}

/* --- ioctls -------------------------------------------------------------- */

/* -errno; a positive return is an error too. */
static int xioctl(int fd, unsigned long req, void *arg)
{
	int ret;

	do {
		ret = ioctl(fd, req, arg);
	} while (ret == -1 && errno == EINTR);
	if (ret > 0)
		return -EPROTO;
	return ret ? -errno : 0;
}

static uint64_t *ctr(unsigned int c)
{
	return (uint64_t *)(cnt_base + (c % CNT_PAGES) * ps +
			    (c / CNT_PAGES) * 64);
}

static uint64_t *word(char *base, unsigned long page, unsigned int w)
{
	return (uint64_t *)(base + page * ps) + w;
}

static uint64_t peek(char *base, unsigned long page, unsigned int w)
{
	return __atomic_load_n(word(base, page, w), __ATOMIC_RELAXED);
}

/* --- handle records ------------------------------------------------------ */

struct evrec {
	uint32_t seqno, reasons, flags;
	uint64_t cookie, addr, length;
};

struct hrec {
	bool known, released, tail;
	int region;
	uint64_t cookie, addr, len;
	uint32_t *commits;
	size_t ncommits, capc;
	struct evrec *evs;
	size_t nevs, cape;
};

static struct hrec **htab[2];
static pthread_mutex_t hlock = PTHREAD_MUTEX_INITIALIZER;
static uint64_t cookie_serial;

static struct hrec *hget_locked(int fdi, uint32_t handle)
{
	struct hrec *h;

	if (!handle || handle >= HTAB_SIZE)
		return NULL;
	h = htab[fdi][handle];
	if (!h) {
		h = calloc(1, sizeof(*h));
		htab[fdi][handle] = h;
	}
	return h;
}

static bool push_commit(struct hrec *h, uint32_t seqno)
{
	if (h->ncommits == h->capc) {
		size_t cap = h->capc ? 2 * h->capc : 16;
		uint32_t *p = realloc(h->commits, cap * sizeof(*p));

		if (!p)
			return false;
		h->commits = p;
		h->capc = cap;
	}
	h->commits[h->ncommits++] = seqno;
	return true;
}

static void rec_acquire(int fdi, uint32_t handle, int region, uint64_t cookie,
			char *addr, size_t len, uint32_t seqno)
{
	struct hrec *h;

	pthread_mutex_lock(&hlock);
	h = hget_locked(fdi, handle);
	if (!h) {
		pthread_mutex_unlock(&hlock);
		failf("context %c: handle %u beyond the test's table (%u) or out of memory",
		      file_name[fdi], handle, HTAB_SIZE);
		return;
	}
	if (h->known) {
		pthread_mutex_unlock(&hlock);
		failf("context %c: acquire returned handle %u a second time",
		      file_name[fdi], handle);
		return;
	}
	h->known = true;
	h->region = region;
	h->cookie = cookie;
	h->addr = (uintptr_t)addr;
	h->len = len;
	if (!push_commit(h, seqno))
		failf("out of memory");
	pthread_mutex_unlock(&hlock);
}

static void rec_commit(int fdi, uint32_t handle, uint32_t seqno)
{
	struct hrec *h;
	uint32_t last;

	pthread_mutex_lock(&hlock);
	h = hget_locked(fdi, handle);
	if (!h || !h->known || h->released || !h->ncommits) {
		pthread_mutex_unlock(&hlock);
		failf("context %c: re-acquire of handle %u, which the test does not hold",
		      file_name[fdi], handle);
		return;
	}
	last = h->commits[h->ncommits - 1];
	if ((int32_t)(seqno - last) < 0)
		failf("context %c handle %u: re-acquire returned seqno %u after a commit at %u",
		      file_name[fdi], handle, seqno, last);
	if (!push_commit(h, seqno))
		failf("out of memory");
	pthread_mutex_unlock(&hlock);
}

static void rec_release(int fdi, uint32_t handle, bool tail)
{
	struct hrec *h;

	pthread_mutex_lock(&hlock);
	h = hget_locked(fdi, handle);
	if (h) {
		h->released = true;
		h->tail = tail;
	}
	pthread_mutex_unlock(&hlock);
}

static void rec_event(int fdi, const struct drm_svm_event_revoked *ev)
{
	struct hrec *h;

	pthread_mutex_lock(&hlock);
	h = hget_locked(fdi, ev->handle);
	if (!h) {
		pthread_mutex_unlock(&hlock);
		failf("context %c: event for handle %u, beyond the test's table",
		      file_name[fdi], ev->handle);
		return;
	}
	if (h->nevs == h->cape) {
		size_t cap = h->cape ? 2 * h->cape : 8;
		struct evrec *p = realloc(h->evs, cap * sizeof(*p));

		if (!p) {
			pthread_mutex_unlock(&hlock);
			failf("out of memory");
			return;
		}
		h->evs = p;
		h->cape = cap;
	}
	h->evs[h->nevs++] = (struct evrec) {
		.seqno = ev->seqno, .reasons = ev->reasons, .flags = ev->flags,
		.cookie = ev->cookie, .addr = ev->addr, .length = ev->length,
	};
	pthread_mutex_unlock(&hlock);
}

/*
 * The commits of @h below its last one whose revocation no event read
 * covers: the first event read with a seqno above commit c must be c + 1
 * itself, or one it was merged into (DRM_SVM_EVENT_COALESCED). Commits
 * and events are both in increasing order: one pass. With @first, the
 * first such commit; 0 when every one is covered. Under hlock.
 */
static size_t uncovered_locked(const struct hrec *h, uint32_t *first)
{
	size_t i, j = 0, n = 0;
	uint32_t c, maxc;

	if (!h->ncommits)
		return 0;
	maxc = h->commits[h->ncommits - 1];
	for (i = 0; i < h->ncommits; i++) {
		c = h->commits[i];
		if (c == maxc)
			break;
		if (i && c == h->commits[i - 1])
			continue;
		while (j < h->nevs && h->evs[j].seqno <= c)
			j++;
		if (j < h->nevs && (h->evs[j].seqno == c + 1 ||
				    (h->evs[j].flags & DRM_SVM_EVENT_COALESCED)))
			continue;
		if (!n++ && first)
			*first = c;
	}
	return n;
}

/*
 * A release discards the handle's unread event: before it, wait until
 * the reader has read what the handle's commits so far armed (bounded;
 * a lost event shows in check_handle() at the end).
 */
static void wait_covered(int fdi, uint32_t handle)
{
	double t0 = now_ms();
	unsigned int limit = g_drop_every ? COVER_MS_DROPPING : COVER_MS;
	struct hrec *h;
	size_t n;
	bool waited = false;

	unsigned long ms, max;

	for (;;) {
		pthread_mutex_lock(&hlock);
		h = hget_locked(fdi, handle);
		n = h ? uncovered_locked(h, NULL) : 0;
		pthread_mutex_unlock(&hlock);
		/*
		 * Not at the stop: the threads' last releases come after
		 * it, and the reader reads on until they are joined.
		 */
		if (!n || __atomic_load_n(&g_failed, __ATOMIC_ACQUIRE))
			break;
		if (now_ms() - t0 > limit) {
			ADD(cover_timeouts, 1);
			break;
		}
		waited = true;
		msleep(2);
	}
	if (!waited)
		return;
	ADD(cover_waits, 1);
	ms = (unsigned long)(now_ms() - t0);
	max = __atomic_load_n(&st.cover_max_ms, __ATOMIC_RELAXED);
	while (ms > max &&
	       !__atomic_compare_exchange_n(&st.cover_max_ms, &max, ms, false,
					    __ATOMIC_RELAXED, __ATOMIC_RELAXED))
		;
}

/* --- SVM calls that keep the records --------------------------------------- */

static uint64_t next_cookie(int fdi, int region)
{
	return 0x5353000000000000ULL | (uint64_t)fdi << 44 |
	       (uint64_t)region << 40 |
	       __atomic_add_fetch(&cookie_serial, 1, __ATOMIC_RELAXED);
}

static int popcount_bytes(const uint8_t *b, size_t n)
{
	int c = 0;
	size_t i;

	for (i = 0; i < n; i++)
		c += __builtin_popcount(b[i]);
	return c;
}

static int svm_acquire(int fdi, int region, char *addr, size_t len,
		       uint32_t flags, uint32_t *handle)
{
	uint8_t bm[MAX_PAGES / 8];
	struct drm_svm_acquire a;
	size_t npages = len / ps;
	bool with_bm;
	int ret;

	memset(&a, 0, sizeof(a));
	a.addr = (uintptr_t)addr;
	a.length = len;
	a.cookie = next_cookie(fdi, region);
	a.flags = flags;
	with_bm = a.cookie & 1;
	if (with_bm)
		a.bitmap_ptr = (uintptr_t)bm;
	/* -ENOSPC: max_handles only (no event space since uAPI 3) */
	ret = xioctl(ctx[fdi], DRM_SVM_IOCTL_ACQUIRE, &a);
	if (ret) {
		if (ret == -EBUSY)
			ADD(acquire_busy, 1);
		return ret;
	}
	if (!a.handle || a.pages_exclusive > npages || !a.pages_exclusive ||
	    (!(flags & DRM_SVM_ACQUIRE_PARTIAL) && a.pages_exclusive != npages))
		failf("context %c: acquire of %zu pages (flags %#x) returned handle %u, %llu pages",
		      file_name[fdi], npages, flags, a.handle,
		      (unsigned long long)a.pages_exclusive);
	if (with_bm) {
		ADD(acquire_bitmap, 1);
		if ((uint64_t)popcount_bytes(bm, (npages + 7) / 8) !=
		    a.pages_exclusive)
			failf("context %c handle %u: the acquire's bitmap has %d bits set, pages_exclusive is %llu",
			      file_name[fdi], a.handle,
			      popcount_bytes(bm, (npages + 7) / 8),
			      (unsigned long long)a.pages_exclusive);
	}
	rec_acquire(fdi, a.handle, region, a.cookie, addr, len, a.seqno);
	ADD(acquires, 1);
	*handle = a.handle;
	return 0;
}

static int svm_reacquire(int fdi, uint32_t handle, uint32_t flags)
{
	struct drm_svm_reacquire a;
	int ret, tries;

	for (tries = 0;; tries++) {
		memset(&a, 0, sizeof(a));
		a.handle = handle;
		a.flags = flags;
		ret = xioctl(ctx[fdi], DRM_SVM_IOCTL_REACQUIRE, &a);
		/*
		 * -EBUSY: with PARTIAL, no page could be taken (a fork or a
		 * CPU access revoked them all meanwhile); try again.
		 */
		if (ret != -EBUSY || tries >= 2000 || stopped())
			break;
		msleep(1);
	}
	if (ret) {
		ADD(reacquire_fail, 1);
		return ret;
	}
	rec_commit(fdi, handle, a.seqno);
	ADD(reacquires, 1);
	return 0;
}

/*
 * Retire a handle: a final re-acquire, whose seqno is the handle's count
 * of revocations, then, once the reader has read the events the commits
 * so far armed (a release discards the handle's unread one), a release.
 * Without the final commit (the range is gone) the handle's last events
 * cannot be checked: a "tail".
 */
static void retire(int fdi, uint32_t handle, bool lazy)
{
	struct drm_svm_release rel = { .handle = handle };
	bool tail = true;
	int ret, tries;

	for (tries = 0; tries < 20; tries++) {
		ret = svm_reacquire(fdi, handle, DRM_SVM_ACQUIRE_PARTIAL);
		if (!ret) {
			tail = false;
			break;
		}
		if (ret == -EFAULT || ret == -EACCES)
			break;
		if (ret != -EBUSY) {
			failf("context %c: final re-acquire of handle %u: %s",
			      file_name[fdi], handle, strerror(-ret));
			break;
		}
		msleep(1);
	}
	if (tail)
		ADD(tails, 1);
	wait_covered(fdi, handle);
	rel.flags = lazy ? DRM_SVM_RELEASE_LAZY : 0;
	ret = xioctl(ctx[fdi], DRM_SVM_IOCTL_RELEASE, &rel);
	if (ret)
		failf("context %c: release of handle %u: %s", file_name[fdi],
		      handle, strerror(-ret));
	if (lazy)
		ADD(release_lazy, 1);
	else
		ADD(release_eager, 1);
	rec_release(fdi, handle, tail);
}

static void set_op(struct drm_vsvm_atomic_op *op, void *addr, uint32_t kind,
		   uint64_t operand)
{
	memset(op, 0, sizeof(*op));
	op->addr = (uintptr_t)addr;
	op->op = kind;
	op->size = 8;
	op->operand = operand;
}

/*
 * Run ops[0..n) in order for context @fdi (on its DRM file), retrying
 * what -EBUSY left. done[i] is set for every op that completed, as
 * drm_vsvm_atomic.done reports; with @skip_enxio an op on a page in no
 * handle is skipped; with @can_abort the rest is given up at the stop.
 * Returns 0 or a negative errno (-ETIMEDOUT after STALL_MS without
 * progress).
 */
static int dev_run(int fdi, struct drm_vsvm_atomic_op *ops, unsigned int n,
		   uint32_t flags, bool skip_enxio, bool can_abort,
		   uint8_t *done)
{
	unsigned int pos = 0;
	double stall = 0;
	int ret;

	memset(done, 0, n);
	while (pos < n) {
		struct drm_vsvm_atomic a = {
			.ops_ptr = (uintptr_t)(ops + pos),
			.count = n - pos,
			.flags = flags,
			.ctx_fd = ctx[fdi],
		};

		ret = xioctl(drm[fdi], DRM_IOCTL_VSVM_ATOMIC, &a);
		if (a.done > n - pos) {
			failf("context %c: atomic ioctl reports %u of %u ops done",
			      file_name[fdi], a.done, n - pos);
			return -EPROTO;
		}
		memset(done + pos, 1, a.done);
		pos += a.done;
		ADD(dev_reacquired, a.reacquired);
		if (!ret) {
			if (pos != n) {
				failf("context %c: atomic ioctl returned 0 after %u of %u ops",
				      file_name[fdi], a.done, a.count);
				return -EPROTO;
			}
			break;
		}
		if (a.done)
			stall = 0;
		switch (ret) {
		case -ENXIO:
			if (!skip_enxio)
				return ret;
			ADD(dev_enxio, 1);
			pos++;
			continue;
		case -EBUSY:
			ADD(dev_ebusy, 1);
			break;
		default:	/* -ENOSPC too: a take-back adds no handle */
			return ret;
		}
		if (can_abort && stopped())
			return 0;
		if (!stall)
			stall = now_ms();
		else if (now_ms() - stall > STALL_MS)
			return -ETIMEDOUT;
	}
	return 0;
}

/* --- CPU adders and the device --------------------------------------------- */

/* A running total for the progress lines (the threads keep counting). */
static unsigned long cpu_adds_now(void)
{
	unsigned long n = 0;
	unsigned int t, c;

	for (t = 0; t < CPU_THREADS; t++)
		for (c = 0; c < NCTR; c++)
			n += __atomic_load_n(&cpu_count[t][c], __ATOMIC_RELAXED);
	return n;
}

static void *cpu_fn(void *arg)
{
	unsigned int id = (uintptr_t)arg, k;
	uint64_t rs = rnd_seed(100 + id);
	unsigned long *cnt = cpu_count[id], n = 0;

	while (!stopped()) {
		for (k = 0; k < 4096; k++) {
			unsigned int c = rnd(&rs) % NCTR;

			__atomic_fetch_add(ctr(c), 1, __ATOMIC_SEQ_CST);
			__atomic_store_n(&cnt[c], cnt[c] + 1, __ATOMIC_RELAXED);
		}
		n += k;
	}
	ADD(cpu_adds, n);
	return NULL;
}

/* Re-arm every live slot (a commit each). */
static void rearm_slots(void)
{
	unsigned int s;
	int ret;

	for (s = 0; s < SLOTS; s++) {
		pthread_mutex_lock(&slots[s].lock);
		if (slots[s].live) {
			ret = svm_reacquire(0, slots[s].handle,
					    DRM_SVM_ACQUIRE_PARTIAL);
			if (ret && ret != -EBUSY)
				failf("re-arm of counter slot %u (handle %u): %s",
				      s, slots[s].handle, strerror(-ret));
		}
		pthread_mutex_unlock(&slots[s].lock);
	}
}

static void *dev_fn(void *arg)
{
	static struct drm_vsvm_atomic_op ops[DEV_BATCH];
	unsigned int idx[DEV_BATCH], k;
	uint8_t done[DEV_BATCH];
	uint64_t rs = rnd_seed(200);
	int ret;

	(void)arg;
	while (!stopped()) {
		for (k = 0; k < DEV_BATCH; k++) {
			idx[k] = rnd(&rs) % NCTR;
			set_op(&ops[k], ctr(idx[k]), DRM_VSVM_OP_ADD, DEV_INC);
		}
		ret = dev_run(0, ops, DEV_BATCH, DRM_VSVM_ATOMIC_REACQUIRE,
			      true, true, done);
		for (k = 0; k < DEV_BATCH; k++)
			if (done[k]) {
				dev_a_count[idx[k]]++;
				ADD(dev_adds_a, 1);
			}
		if (ret) {
			failf("device adds on the counters (context A): %s",
			      strerror(-ret));
			break;
		}
		rearm_slots();
	}
	return NULL;
}

/* Retire slot handles (eager or lazy) and acquire them anew. */
static void *life_fn(void *arg)
{
	uint64_t rs = rnd_seed(300);
	struct slot *s;
	uint32_t h;
	int ret;

	(void)arg;
	while (!stopped()) {
		msleep(30 + rnd(&rs) % 120);
		s = &slots[rnd(&rs) % SLOTS];
		pthread_mutex_lock(&s->lock);
		if (s->live) {
			retire(0, s->handle, rnd(&rs) & 1);
			s->live = false;
			ADD(lifecycle, 1);
		}
		ret = svm_acquire(0, R_CNT, s->addr, SLOT_PAGES * ps,
				  DRM_SVM_ACQUIRE_PARTIAL, &h);
		if (!ret) {
			s->handle = h;
			s->live = true;
		} else if (ret != -EBUSY) {
			failf("acquire of a counter slot: %s", strerror(-ret));
		}
		pthread_mutex_unlock(&s->lock);
	}
	return NULL;
}

/* File B takes counter pages over from A, adds, and gives them up. */
static void *second_fn(void *arg)
{
	static struct drm_vsvm_atomic_op ops[B_OPS];
	unsigned int idx[B_OPS], k, p, np, half;
	uint8_t done[B_OPS];
	uint64_t rs = rnd_seed(400);
	uint32_t h;
	int ret;

	(void)arg;
	while (!stopped()) {
		p = rnd(&rs) % CNT_PAGES;
		np = p + 1 < CNT_PAGES ? 1 + (rnd(&rs) & 1) : 1;
		ret = svm_acquire(1, R_CNT, cnt_base + p * ps, np * ps, 0, &h);
		if (ret == -EBUSY) {
			ADD(takeover_busy, 1);
			msleep(1);
			continue;
		}
		if (ret) {
			failf("context B: acquire of counter pages: %s",
			      strerror(-ret));
			break;
		}
		ADD(takeovers, 1);
		for (k = 0; k < B_OPS; k++) {
			idx[k] = p + rnd(&rs) % np +
				 CNT_PAGES * (rnd(&rs) % CNT_PER_PAGE);
			set_op(&ops[k], ctr(idx[k]), DRM_VSVM_OP_ADD, DEV_INC);
		}
		/* Half, a re-arm, the other half. */
		half = B_OPS / 2;
		ret = dev_run(1, ops, half, DRM_VSVM_ATOMIC_REACQUIRE, false,
			      true, done);
		if (!ret) {
			svm_reacquire(1, h, DRM_SVM_ACQUIRE_PARTIAL);
			ret = dev_run(1, ops + half, B_OPS - half,
				      DRM_VSVM_ATOMIC_REACQUIRE, false, true,
				      done + half);
		} else {
			memset(done + half, 0, B_OPS - half);
		}
		for (k = 0; k < B_OPS; k++)
			if (done[k]) {
				dev_b_count[idx[k]]++;
				ADD(dev_adds_b, 1);
			}
		if (ret)
			failf("context B: device adds on pages it holds: %s",
			      strerror(-ret));
		retire(1, h, rnd(&rs) & 1);
		msleep(1 + rnd(&rs) % 4);
	}
	return NULL;
}

/* --- region helpers ---------------------------------------------------------- */

/*
 * One device op per page on word 0: its result (the old value) must be
 * exp[i]; exp[i] becomes what the op stores. @kind is ADD or XCHG.
 */
static int dev_check(char *base, unsigned int np, uint64_t *exp, uint32_t kind,
		     const uint64_t *operand, const char *what)
{
	static __thread struct drm_vsvm_atomic_op ops[MAX_PAGES];
	static __thread uint8_t done[MAX_PAGES];
	unsigned int i;
	int ret;

	for (i = 0; i < np; i++)
		set_op(&ops[i], word(base, i, 0), kind, operand[i]);
	ret = dev_run(0, ops, np, DRM_VSVM_ATOMIC_REACQUIRE, false, false,
		      done);
	if (ret) {
		failf("%s: device ops: %s", what, strerror(-ret));
		return -1;
	}
	ADD(dev_region_ops, np);
	for (i = 0; i < np; i++) {
		if (ops[i].result != exp[i]) {
			failf("%s: page %u: the device read %#" PRIx64 ", the last value written was %#" PRIx64,
			      what, i, (uint64_t)ops[i].result, exp[i]);
			return -1;
		}
		exp[i] = kind == DRM_VSVM_OP_ADD ? exp[i] + operand[i] :
						   operand[i];
	}
	return 0;
}

static int cpu_check(char *base, unsigned int np, const uint64_t *exp,
		     const char *what)
{
	unsigned int i;
	uint64_t v;

	for (i = 0; i < np; i++) {
		v = peek(base, i, 0);
		if (v != exp[i]) {
			failf("%s: page %u: the CPU read %#" PRIx64 ", the last value written was %#" PRIx64,
			      what, i, v, exp[i]);
			return -1;
		}
	}
	return 0;
}

static char *map_at(char *addr, size_t len, int prot)
{
	void *p = mmap(addr, len, prot, MAP_PRIVATE | MAP_ANONYMOUS |
		       (addr ? MAP_FIXED_NOREPLACE : 0), -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	if (addr && p != addr) {
		munmap(p, len);
		return NULL;
	}
	return p;
}

/*
 * Replace [base, base + len) with a private (@shared false) or shared
 * mapping of a new memfd, filled with @fill: memory the ioctls must
 * refuse. Returns false, with errno, when it cannot.
 */
static bool map_file_over(char *base, size_t len, bool shared, int fill)
{
	int mfd = memfd_create("svm-stress", MFD_CLOEXEC);
	void *p = MAP_FAILED;

	if (mfd < 0)
		return false;
	if (!ftruncate(mfd, (off_t)len))
		p = mmap(base, len, PROT_READ | PROT_WRITE,
			 (shared ? MAP_SHARED : MAP_PRIVATE) | MAP_FIXED, mfd, 0);
	close(mfd);
	if (p == MAP_FAILED)
		return false;
	memset(base, fill, len);
	return true;
}

/* The device's re-acquire of a page of the destroy region, once. */
static int dev_reacquire_one(char *page)
{
	struct drm_vsvm_atomic_op op = {
		.addr = (uintptr_t)page, .op = DRM_VSVM_OP_ADD, .size = 8,
	};
	struct drm_vsvm_atomic a = {
		.ops_ptr = (uintptr_t)&op, .count = 1,
		.flags = DRM_VSVM_ATOMIC_REACQUIRE, .ctx_fd = ctx[0],
	};

	return xioctl(drm[0], DRM_IOCTL_VSVM_ATOMIC, &a);
}

/* --- the destroy region -------------------------------------------------------- */

static void *destroy_fn(void *arg)
{
	static uint64_t exp[DESTR_PAGES], inc[DESTR_PAGES];
	size_t len = DESTR_PAGES * ps;
	uint64_t rs = rnd_seed(500);
	char *base = destr_base, *alt = destr_alt, *p, what[96];
	bool live = false, ok;
	uint32_t h = 0;
	unsigned long k;
	unsigned int i;
	int ret;

	(void)arg;
	for (k = 0; !stopped(); k++) {
		unsigned int step = rnd(&rs) % 9;

		snprintf(what, sizeof(what), "destroy round %lu step %u", k,
			 step);
		for (i = 0; i < DESTR_PAGES; i++) {
			exp[i] = (k << 32) | (i << 8) | 0x11;
			*word(base, i, 0) = exp[i];
			inc[i] = k + 1;
		}
		if (!live) {
			ret = svm_acquire(0, R_DESTR, base, len,
					  DRM_SVM_ACQUIRE_PARTIAL, &h);
			if (ret == -EBUSY)
				continue;
			if (ret) {
				failf("%s: acquire: %s", what, strerror(-ret));
				break;
			}
			live = true;
		} else if ((ret = svm_reacquire(0, h, DRM_SVM_ACQUIRE_PARTIAL))) {
			failf("%s: re-acquire: %s", what, strerror(-ret));
			break;
		}
		if (dev_check(base, DESTR_PAGES, exp, DRM_VSVM_OP_ADD, inc, what))
			break;

		ok = true;
		switch (step) {
		case 0:	/* MADV_DONTNEED: the first half reads zero again */
			if (madvise(base, len / 2, MADV_DONTNEED)) {
				failf("%s: madvise: %s", what, strerror(errno));
				ok = false;
				break;
			}
			ADD(dontneed, 1);
			for (i = 0; i < DESTR_PAGES / 2; i++)
				exp[i] = 0;
			ret = svm_reacquire(0, h, DRM_SVM_ACQUIRE_PARTIAL);
			ok = !ret;
			break;
		case 1:	/* munmap and re-mmap at the same address: zeroes */
			if (munmap(base, len)) {
				failf("%s: munmap: %s", what, strerror(errno));
				ok = false;
				break;
			}
			ADD(remaps, 1);
			p = map_at(base, len, PROT_READ | PROT_WRITE);
			if (!p) {
				/* Someone took the address: move on. */
				ADD(relocations, 1);
				retire(0, h, false);
				live = false;
				base = map_at(NULL, len, PROT_READ | PROT_WRITE);
				if (!base) {
					failf("%s: mmap: %s", what,
					      strerror(errno));
					ok = false;
					break;
				}
				__atomic_store_n(&destr_base, base,
						 __ATOMIC_RELAXED);
				continue;
			}
			memset(exp, 0, sizeof(exp));
			ret = svm_reacquire(0, h, DRM_SVM_ACQUIRE_PARTIAL);
			ok = !ret;
			break;
		case 2:	/* mremap away and back: the content moves along */
			p = mremap(base, len, len, MREMAP_MAYMOVE | MREMAP_FIXED,
				   alt);
			if (p != alt) {
				failf("%s: mremap away: %s", what,
				      strerror(errno));
				ok = false;
				break;
			}
			ADD(mremaps, 1);
			/* Keep the address: a placeholder until it comes back. */
			map_at(base, len, PROT_NONE);
			if (cpu_check(alt, DESTR_PAGES, exp, what)) {
				ok = false;
				break;
			}
			p = mremap(alt, len, len, MREMAP_MAYMOVE | MREMAP_FIXED,
				   base);
			if (p != base) {
				failf("%s: mremap back: %s", what,
				      strerror(errno));
				ok = false;
				break;
			}
			if (!map_at(alt, len, PROT_NONE))
				ADD(relocations, 1);	/* alt stays a hole */
			ret = svm_reacquire(0, h, DRM_SVM_ACQUIRE_PARTIAL);
			ok = !ret;
			break;
		case 3:	/* read-only and back */
			if (mprotect(base, len, PROT_READ)) {
				failf("%s: mprotect: %s", what, strerror(errno));
				ok = false;
				break;
			}
			ADD(mprotect_ro, 1);
			if (cpu_check(base, DESTR_PAGES, exp, what) ||
			    mprotect(base, len, PROT_READ | PROT_WRITE)) {
				ok = false;
				break;
			}
			ret = svm_reacquire(0, h, DRM_SVM_ACQUIRE_PARTIAL);
			ok = !ret;
			break;
		case 4:	/* lazy release */
		case 5:	/* eager release */
			retire(0, h, step == 4);
			live = false;
			break;
		case 7: { /* replaced by file memory under the handle: refused */
			bool shared = k & 1;

			if (!map_file_over(base, len, shared, 0x41)) {
				failf("%s: mmap a memfd: %s", what,
				      strerror(errno));
				ok = false;
				break;
			}
			ADD(replaced_file, 1);
			ret = svm_reacquire(0, h, DRM_SVM_ACQUIRE_PARTIAL);
			if (ret != -EOPNOTSUPP) {
				failf("%s: re-acquire over %s file memory: %s, want -EOPNOTSUPP",
				      what, shared ? "shared" : "private",
				      strerror(-ret));
				ok = false;
				break;
			}
			ret = dev_reacquire_one(base);
			if (ret != -EOPNOTSUPP && ret != -ENXIO) {
				failf("%s: device re-acquire over file memory: %s",
				      what, strerror(-ret));
				ok = false;
				break;
			}
			/* The file's bytes, untouched by either. */
			for (i = 0; i < DESTR_PAGES && ok; i++)
				if (*word(base, i, 0) != 0x4141414141414141ULL) {
					failf("%s: file memory page %u changed: %#" PRIx64,
					      what, i, *word(base, i, 0));
					ok = false;
				}
			if (!ok)
				break;
			/* Anonymous memory again: zeroes, held again. */
			if (munmap(base, len) || !map_at(base, len,
							 PROT_READ | PROT_WRITE)) {
				failf("%s: back to anonymous memory: %s", what,
				      strerror(errno));
				ok = false;
				break;
			}
			memset(exp, 0, sizeof(exp));
			ret = svm_reacquire(0, h, DRM_SVM_ACQUIRE_PARTIAL);
			ok = !ret;
			break;
		}
		case 8:	/* PROT_NONE: refused, then writable and held again */
			if (mprotect(base, len, PROT_NONE)) {
				failf("%s: mprotect: %s", what, strerror(errno));
				ok = false;
				break;
			}
			ADD(prot_none, 1);
			ret = svm_reacquire(0, h, DRM_SVM_ACQUIRE_PARTIAL);
			if (ret != -EACCES) {
				failf("%s: re-acquire of PROT_NONE memory: %s, want -EACCES",
				      what, strerror(-ret));
				ok = false;
				break;
			}
			if (mprotect(base, len, PROT_READ | PROT_WRITE)) {
				ok = false;
				break;
			}
			ret = svm_reacquire(0, h, DRM_SVM_ACQUIRE_PARTIAL);
			ok = !ret;
			break;
		default: /* CPU reads only */
			break;
		}
		if (!ok) {
			if (!g_failed)
				failf("%s: re-acquire failed: %s", what,
				      strerror(-ret));
			break;
		}
		if (live) {
			for (i = 0; i < DESTR_PAGES; i++)
				inc[i] = 1;
			if (dev_check(base, DESTR_PAGES, exp, DRM_VSVM_OP_ADD,
				      inc, what))
				break;
		}
		if (cpu_check(base, DESTR_PAGES, exp, what))
			break;
		ADD(destr_rounds, 1);
	}
	if (live)
		retire(0, h, false);
	return NULL;
}

/* --- swap round trips ------------------------------------------------------- */

static int enter_memcg(void)
{
	char buf[512], procs[300];

	if (read_file(CGROUP_ROOT "/cgroup.subtree_control", buf, sizeof(buf)) ||
	    !strstr(buf, "memory"))
		return -EOPNOTSUPP;
	snprintf(memcg_path, sizeof(memcg_path), CGROUP_ROOT "/svm-stress-%d",
		 getpid());
	if (mkdir(memcg_path, 0755) && errno != EEXIST)
		return -errno;
	snprintf(procs, sizeof(procs), "%s/cgroup.procs", memcg_path);
	snprintf(buf, sizeof(buf), "%d", getpid());
	return write_file(procs, buf);
}

static void leave_memcg(void)
{
	char buf[32];

	if (!have_memcg)
		return;
	snprintf(buf, sizeof(buf), "%d", getpid());
	write_file(CGROUP_ROOT "/cgroup.procs", buf);
	rmdir(memcg_path);
}

static void memcg_reclaim(void)
{
	char file[300];

	snprintf(file, sizeof(file), "%s/memory.reclaim", memcg_path);
	/* It may fall short (-EAGAIN): what matters is what went out. */
	write_file(file, "1G");
	ADD(reclaims, 1);
}

/*
 * Pagemap entries of [base, base + np pages): *on_swap gets a bit per
 * page out on a swap device, *excl the pages that are swap-type entries of
 * another kind (device-exclusive, migration). Root sees the swap type
 * in bits 0-4: real swap devices have small types, the special entries
 * the top ones (include/linux/swap.h).
 */
static int pagemap_scan(char *base, unsigned int np, uint8_t *on_swap,
			unsigned long *excl)
{
	static __thread uint64_t ent[MAX_PAGES];
	unsigned int i;
	ssize_t got;
	int fd;

	fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	got = pread(fd, ent, np * sizeof(ent[0]),
		    (uintptr_t)base / ps * sizeof(ent[0]));
	close(fd);
	if (got != (ssize_t)(np * sizeof(ent[0])))
		return -EIO;
	*excl = 0;
	for (i = 0; i < np; i++) {
		on_swap[i] = 0;
		if (!(ent[i] & (1ULL << 62)))
			continue;
		if ((ent[i] & 0x1f) < 16)
			on_swap[i] = 1;
		else
			(*excl)++;
	}
	return 0;
}

static void *swap_fn(void *arg)
{
	static uint64_t exp0[SWAP_PAGES], exp1[SWAP_PAGES], val[SWAP_PAGES];
	static uint8_t on_swap[SWAP_PAGES];
	size_t len = SWAP_PAGES * ps;
	unsigned long r, excl = 0, sw_dev, sw_cpu;
	unsigned int i, mode;
	char what[80];
	bool live = false;
	uint32_t h = 0;
	uint64_t v0, v1;
	int ret;

	(void)arg;
	for (i = 0; i < SWAP_PAGES; i++) {
		exp0[i] = peek(swap_base, i, 0);
		exp1[i] = peek(swap_base, i, 1);
	}
	for (r = 0; !stopped(); r++) {
		mode = r % 3;
		snprintf(what, sizeof(what), "swap round %lu (%s)", r,
			 mode == 0 ? "eager release" :
			 mode == 1 ? "lazy release" : "mprotect revocation");
		if (!live) {
			ret = svm_acquire(0, R_SWAP, swap_base, len,
					  DRM_SVM_ACQUIRE_PARTIAL, &h);
			if (ret == -EBUSY) {
				msleep(5);
				continue;
			}
			if (ret) {
				failf("%s: acquire: %s", what, strerror(-ret));
				break;
			}
			live = true;
		} else if ((ret = svm_reacquire(0, h, DRM_SVM_ACQUIRE_PARTIAL))) {
			failf("%s: re-acquire: %s", what, strerror(-ret));
			break;
		}
		/* The device writes word 0 of every page while it holds it. */
		for (i = 0; i < SWAP_PAGES; i++)
			val[i] = 0xd0000000000000ULL | r << 20 | i;
		if (dev_check(swap_base, SWAP_PAGES, exp0, DRM_VSVM_OP_XCHG,
			      val, what))
			break;
		/* The CPU writes word 1 of every other page (revoking it). */
		for (i = 1; i < SWAP_PAGES; i += 2) {
			exp1[i] = 0xc0000000000000ULL | r << 20 | i;
			*word(swap_base, i, 1) = exp1[i];
		}
		if (mode < 2) {
			retire(0, h, mode == 1);
			live = false;
		} else if (mprotect(swap_base, len, PROT_READ)) {
			failf("%s: mprotect: %s", what, strerror(errno));
			break;
		}
		if (have_memcg && have_swap) {
			memcg_reclaim();
			ret = pagemap_scan(swap_base, SWAP_PAGES, on_swap, &excl);
			if (ret) {
				failf("%s: pagemap: %s", what, strerror(-ret));
				break;
			}
			ADD(lazy_entries, excl);
		} else {
			memset(on_swap, 0, sizeof(on_swap));
		}
		sw_dev = sw_cpu = 0;
		for (i = 0; i < SWAP_PAGES; i++) {
			v0 = peek(swap_base, i, 0);
			v1 = peek(swap_base, i, 1);
			if (v0 != exp0[i] || v1 != exp1[i]) {
				failf("%s: page %u (%s, %s): read %#" PRIx64 "/%#" PRIx64 ", the last values written were %#" PRIx64 "/%#" PRIx64,
				      what, i,
				      i & 1 ? "device and CPU wrote it" :
					      "only the device wrote it",
				      on_swap[i] ? "was on swap" : "was not on swap",
				      v0, v1, exp0[i], exp1[i]);
				break;
			}
			if (on_swap[i]) {
				if (i & 1)
					sw_cpu++;
				else
					sw_dev++;
			}
		}
		ADD(swapped_dev, sw_dev);
		ADD(swapped_cpu, sw_cpu);
		if (g_failed)
			break;
		if (mode == 2 && mprotect(swap_base, len, PROT_READ | PROT_WRITE)) {
			failf("%s: mprotect back: %s", what, strerror(errno));
			break;
		}
		ADD(swap_rounds, 1);
		msleep(50);
	}
	if (live) {
		mprotect(swap_base, len, PROT_READ | PROT_WRITE);
		retire(0, h, false);
	}
	return NULL;
}

/* --- KSM --------------------------------------------------------------------- */

static uint64_t ksm_value(unsigned int page)
{
	return 0x4b534d0000000000ULL | (page % KSM_KINDS);
}

static void *ksm_fn(void *arg)
{
	static struct drm_vsvm_atomic_op ops[2 * KSM_PAGES];
	static uint8_t done[2 * KSM_PAGES];
	size_t len = KSM_PAGES * ps;
	unsigned long r, w;
	unsigned int i, t;
	uint32_t h;
	long merged;
	int ret;

	(void)arg;
	for (r = 0; !stopped(); r++) {
		for (t = 0; t < 10 && !stopped(); t++)
			msleep(50);
		merged = read_long_at("/proc/self/ksm_stat", "ksm_merging_pages ");
		if (merged > (long)st.ksm_merged_max)
			st.ksm_merged_max = merged;
		merged = read_long_at(KSM_DIR "pages_sharing", NULL);
		if (merged > (long)st.ksm_sharing_max)
			st.ksm_sharing_max = merged;
		ret = svm_acquire(0, R_KSM, ksm_base, len,
				  DRM_SVM_ACQUIRE_PARTIAL, &h);
		if (ret == -EBUSY)
			continue;
		if (ret) {
			failf("ksm round %lu: acquire: %s", r, strerror(-ret));
			break;
		}
		/* The device reads one word and rewrites word 0 of each page. */
		w = 1 + r % (ps / 8 - 1);
		for (i = 0; i < KSM_PAGES; i++) {
			set_op(&ops[2 * i], word(ksm_base, i, w), DRM_VSVM_OP_ADD, 0);
			set_op(&ops[2 * i + 1], word(ksm_base, i, 0),
			       DRM_VSVM_OP_XCHG, ksm_value(i));
		}
		ret = dev_run(0, ops, 2 * KSM_PAGES, DRM_VSVM_ATOMIC_REACQUIRE,
			      false, false, done);
		if (ret) {
			failf("ksm round %lu: device ops: %s", r, strerror(-ret));
			retire(0, h, false);
			break;
		}
		ADD(dev_region_ops, 2 * KSM_PAGES);
		for (i = 0; i < 2 * KSM_PAGES; i++)
			if (ops[i].result != ksm_value(i / 2)) {
				failf("ksm round %lu: page %u word %lu: the device read %#llx, expected %#" PRIx64,
				      r, i / 2, i & 1 ? 0 : w,
				      (unsigned long long)ops[i].result,
				      ksm_value(i / 2));
				break;
			}
		retire(0, h, r & 1);
		for (i = 0; i < KSM_PAGES && !g_failed; i++)
			for (w = 0; w < ps / 8; w += (r % 4) ? 61 : 1)
				if (peek(ksm_base, i, w) != ksm_value(i)) {
					failf("ksm round %lu: page %u word %lu: the CPU read %#" PRIx64 ", expected %#" PRIx64,
					      r, i, w, peek(ksm_base, i, w),
					      ksm_value(i));
					break;
				}
		if (g_failed)
			break;
		ADD(ksm_rounds, 1);
	}
	return NULL;
}

/* --- mapping changes: mprotect, fork, migration, compaction ------------------- */

static void do_fork(void)
{
	double t0;
	pid_t pid;
	int status = 0, tries;

	/*
	 * Unpatched 6.12 fails fork() with -ENOMEM when a device-exclusive
	 * page is locked as it copies the page tables. Counted, retried so
	 * that the rest of the run goes on, and a failure of the run.
	 */
	for (tries = 0;; tries++) {
		pid = fork();
		if (pid >= 0 || errno != ENOMEM || tries >= 100)
			break;
		ADD(fork_enomem, 1);
		msleep(1);
	}
	if (pid < 0) {
		failf("fork: %s (%d tries)", strerror(errno), tries + 1);
		return;
	}
	if (tries)
		failf("fork: failed with -ENOMEM %d times before it worked", tries);
	if (!pid) {
		struct drm_svm_event_revoked ev;
		struct drm_svm_info info;
		uint64_t sum = 0;
		unsigned int i;

		for (i = 0; i < NCTR; i++)
			sum += __atomic_load_n(ctr(i), __ATOMIC_RELAXED);
		for (i = 0; i < SWAP_PAGES; i += 4)
			sum += peek(swap_base, i, 0);
		for (i = 0; i < KSM_PAGES; i += 4)
			sum += peek(ksm_base, i, 0) != ksm_value(i);
		/*
		 * The contexts are the parent's: refused here, and nothing
		 * read (the parent's events wait for its reader).
		 */
		for (i = 0; i < 2; i++) {
			memset(&info, 0, sizeof(info));
			if (ioctl(ctx[i], DRM_SVM_IOCTL_INFO, &info) != -1 ||
			    errno != EPERM ||
			    read(ctx[i], &ev, sizeof(ev)) != -1 || errno != EPERM)
				_exit(4);
		}
		_exit(sum == 1 ? 3 : 0);
	}
	t0 = now_ms();
	for (;;) {
		pid_t got = waitpid(pid, &status, WNOHANG);

		if (got == pid)
			break;
		if (got < 0 && errno != EINTR) {
			failf("waitpid: %s", strerror(errno));
			return;
		}
		if (now_ms() - t0 > CHILD_MS) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			failf("a forked child did not finish reading in %d s",
			      CHILD_MS / 1000);
			return;
		}
		msleep(2);
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		failf("a forked child ended with status %#x%s", status,
		      WIFEXITED(status) && WEXITSTATUS(status) == 4 ?
		      ": a context of the parent did not refuse it -EPERM" : "");
	ADD(forks, 1);
}

static char *move_page_addr(uint64_t *rs)
{
	switch (rnd(rs) % 3) {
	case 0:
		return cnt_base + rnd(rs) % CNT_PAGES * ps;
	case 1:
		return swap_base + rnd(rs) % SWAP_PAGES * ps;
	default:
		return ksm_base + rnd(rs) % KSM_PAGES * ps;
	}
}

static void do_move(uint64_t *rs, int node)
{
	void *pages[MOVE_PAGES];
	int nodes[MOVE_PAGES], before[MOVE_PAGES], status[MOVE_PAGES];
	unsigned int i;
	long ret;

	for (i = 0; i < MOVE_PAGES; i++) {
		pages[i] = move_page_addr(rs);
		nodes[i] = node;
	}
	if (syscall(SYS_move_pages, 0, MOVE_PAGES, pages, NULL, before, 0))
		memset(before, 0xff, sizeof(before));
	ret = syscall(SYS_move_pages, 0, MOVE_PAGES, pages, nodes, status,
		      MPOL_MF_MOVE_FLAG);
	ADD(move_calls, 1);
	if (ret < 0) {
		if (errno != EBUSY && errno != ENOMEM)
			failf("move_pages: %s", strerror(errno));
		return;
	}
	for (i = 0; i < MOVE_PAGES; i++) {
		if (status[i] == node && before[i] != node)
			ADD(moved, 1);
		else if (status[i] == -ENOENT)
			ADD(move_enoent, 1);
		else if (status[i] == -EBUSY || status[i] == -EAGAIN)
			ADD(move_busy, 1);
		else if (status[i] != node)
			ADD(move_other, 1);
	}
}

static void *mm_fn(void *arg)
{
	uint64_t rs = rnd_seed(600);
	double next_fork = now_ms() + 100, next_move = now_ms() + 50;
	unsigned int p, n;
	int node = 1;

	(void)arg;
	while (!stopped()) {
		/* PROT_EXEC on and off: a protection change, still writable. */
		p = rnd(&rs) % CNT_PAGES;
		n = 1 + rnd(&rs) % 4;
		if (p + n > CNT_PAGES)
			n = CNT_PAGES - p;
		if (mprotect(cnt_base + p * ps, n * ps,
			     PROT_READ | PROT_WRITE | PROT_EXEC) ||
		    mprotect(cnt_base + p * ps, n * ps, PROT_READ | PROT_WRITE)) {
			failf("mprotect of counter pages: %s", strerror(errno));
			break;
		}
		ADD(mprotect_exec, 1);
		if (now_ms() >= next_fork && !without("fork")) {
			do_fork();
			next_fork = now_ms() + 200 + rnd(&rs) % 200;
		}
		if (have_numa && now_ms() >= next_move) {
			do_move(&rs, node);
			node ^= 1;
			next_move = now_ms() + 20 + rnd(&rs) % 60;
		}
		msleep(5 + rnd(&rs) % 10);
	}
	return NULL;
}

static void *compact_fn(void *arg)
{
	unsigned int t;
	int ret;

	(void)arg;
	while (!stopped()) {
		for (t = 0; t < 40 && !stopped(); t++)
			msleep(100);
		if (stopped())
			break;
		ret = write_file("/proc/sys/vm/compact_memory", "1");
		if (ret) {
			failf("compact_memory: %s", strerror(-ret));
			break;
		}
		ADD(compactions, 1);
	}
	return NULL;
}

/* --- queries and events ---------------------------------------------------------- */

static void *query_fn(void *arg)
{
	static uint8_t states[MAX_PAGES + 8];
	uint64_t rs = rnd_seed(700);
	unsigned long n, i, npages, k = 0;
	struct drm_svm_info info;
	struct drm_svm_query q;
	int area, fdi, ret;
	char *base;

	(void)arg;
	while (!stopped()) {
		area = rnd(&rs) % 5;
		switch (area) {
		case 0: base = cnt_base; npages = CNT_PAGES; break;
		case 1: base = __atomic_load_n(&destr_base, __ATOMIC_RELAXED);
			npages = DESTR_PAGES; break;
		case 2: base = swap_base; npages = SWAP_PAGES; break;
		case 3: base = ksm_base; npages = KSM_PAGES; break;
		default: base = destr_alt; npages = DESTR_PAGES; break;
		}
		i = rnd(&rs) % npages;
		n = 1 + rnd(&rs) % (npages - i);
		fdi = rnd(&rs) & 1;
		memset(&q, 0, sizeof(q));
		q.addr = (uintptr_t)(base + i * ps);
		q.npages = n;
		q.states_ptr = (uintptr_t)states;
		ret = xioctl(ctx[fdi], DRM_SVM_IOCTL_QUERY, &q);
		if (ret) {
			failf("context %c: query of %lu pages at %#llx: %s",
			      file_name[fdi], n, (unsigned long long)q.addr,
			      strerror(-ret));
			break;
		}
		ADD(queries, 1);
		ADD(query_pages, n);
		for (k = 0; k < n; k++) {
			if (states[k] & ~ST_VALID)
				failf("context %c: query: page %#lx has undocumented state bits %#x",
				      file_name[fdi],
				      (unsigned long)(q.addr + k * ps), states[k]);
			if (fdi == 1 && base != cnt_base &&
			    (states[k] & (DRM_SVM_PAGE_HELD | DRM_SVM_PAGE_REVOKED)))
				failf("context B: query of the %s region: page %#lx reads %#x, but B never held a page there",
				      area == 4 ? "mremap target" : region_name[area],
				      (unsigned long)(q.addr + k * ps), states[k]);
		}
		if (rnd(&rs) % 32 == 0) {
			for (fdi = 0; fdi < 2; fdi++) {
				memset(&info, 0, sizeof(info));
				ret = xioctl(ctx[fdi], DRM_SVM_IOCTL_INFO, &info);
				if (ret || info.version != DRM_SVM_UAPI_VERSION ||
				    info.page_size != ps ||
				    info.event_size != sizeof(struct drm_svm_event_revoked) ||
				    info.handles > info.max_handles ||
				    info.pages > info.max_pages)
					failf("context %c: info: %s, version %u, page size %u, event size %u, %u of %u handles, %llu of %llu pages",
					      file_name[fdi], strerror(-ret),
					      info.version, info.page_size,
					      info.event_size, info.handles,
					      info.max_handles,
					      (unsigned long long)info.pages,
					      (unsigned long long)info.max_pages);
				ADD(infos, 1);
			}
		}
		msleep(1);
	}
	return NULL;
}

static int reader_final;

/* Read what one context has; returns events read, or -1 (failed). */
static int read_events(int fdi)
{
	static uint64_t buf[4096 / 8];
	const char *p = (const char *)buf;
	struct drm_svm_event_revoked ev;
	ssize_t n, off = 0;
	int count = 0;

	n = read(ctx[fdi], buf, sizeof(buf));
	if (n < 0) {
		if (errno == EAGAIN || errno == EINTR)
			return 0;
		failf("context %c: read: %s", file_name[fdi], strerror(errno));
		return -1;
	}
	ADD(event_reads, 1);
	while (off < n) {
		struct drm_svm_event e;

		if (n - off < (ssize_t)sizeof(e)) {
			failf("context %c: a short event in a read of %zd bytes",
			      file_name[fdi], n);
			return -1;
		}
		memcpy(&e, p + off, sizeof(e));
		if (e.size < sizeof(e) || off + (ssize_t)e.size > n) {
			failf("context %c: a torn event (size %u) in a read of %zd bytes",
			      file_name[fdi], e.size, n);
			return -1;
		}
		if (e.type != DRM_SVM_EVENT_REVOKED || e.size != sizeof(ev)) {
			failf("context %c: event of type %#x, size %u",
			      file_name[fdi], e.type, e.size);
			return -1;
		}
		memcpy(&ev, p + off, sizeof(ev));
		off += e.size;
		if (!ev.reasons || (ev.reasons & ~REASONS_DOC) ||
		    (ev.flags & ~DRM_SVM_EVENT_COALESCED) ||
		    !ev.length || ev.addr % ps || ev.length % ps)
			failf("context %c handle %u: event with reasons %#x, flags %#x, span %#llx+%#llx",
			      file_name[fdi], ev.handle, ev.reasons, ev.flags,
			      (unsigned long long)ev.addr,
			      (unsigned long long)ev.length);
		if (ev.flags & DRM_SVM_EVENT_COALESCED)
			ADD(events_coalesced, 1);
		/* The negative control: lose an event now and then. */
		if (g_drop_every &&
		    __atomic_add_fetch(&g_dropped_seen, 1, __ATOMIC_RELAXED) %
		    g_drop_every == 0) {
			ADD(dropped, 1);
			continue;
		}
		rec_event(fdi, &ev);
		count++;
	}
	ADD(events, count);
	return count;
}

static void *reader_fn(void *arg)
{
	struct pollfd pfd[2] = {
		{ .fd = ctx[0], .events = POLLIN },
		{ .fd = ctx[1], .events = POLLIN },
	};
	int n, i, got;

	(void)arg;
	for (;;) {
		bool final = __atomic_load_n(&reader_final, __ATOMIC_ACQUIRE);

		n = poll(pfd, 2, final ? 0 : 100);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			failf("poll: %s", strerror(errno));
			return NULL;
		}
		if (!n) {
			if (final)
				return NULL;
			continue;
		}
		for (i = 0; i < 2; i++) {
			if (pfd[i].revents & (POLLERR | POLLHUP | POLLNVAL)) {
				failf("context %c: poll revents %#x",
				      file_name[i], pfd[i].revents);
				return NULL;
			}
			if (pfd[i].revents & POLLIN) {
				got = read_events(i);
				if (got < 0)
					return NULL;
			}
		}
	}
}

/* --- the end: invariants and figures ----------------------------------------------- */

struct totals {
	unsigned long handles, tails, revocations, during_first, evented;
	unsigned long coalesced, coalesced_events, tail_events, commits;
	unsigned long by_reason[NREGIONS][NREASONS];
	unsigned long handles_by[2][NREGIONS];
	struct {
		int fdi;
		uint32_t handle;
		uint64_t addr, length;
	} first_unmap[NREGIONS];
};

static void check_handle(int fdi, uint32_t hn, struct hrec *h, struct totals *t)
{
	size_t i, nd = 0, required = 0;
	uint32_t *d, maxc, prev = 0;
	unsigned int b;

	if (!h->known) {
		failf("context %c: %zu events for handle %u, which no acquire returned (first seqno %u)",
		      file_name[fdi], h->nevs, hn, h->nevs ? h->evs[0].seqno : 0);
		return;
	}
	if (!h->released)
		failf("context %c handle %u (%s): never released (a bug of the test)",
		      file_name[fdi], hn, region_name[h->region]);
	t->handles++;
	t->handles_by[fdi][h->region]++;
	t->tails += h->tail;
	t->commits += h->ncommits;
	/* The commits were recorded in order; D = the distinct values. */
	d = h->commits;
	for (i = 0; i < h->ncommits; i++)
		if (!nd || d[nd - 1] != d[i])
			d[nd++] = d[i];
	h->ncommits = nd;
	maxc = d[nd - 1];
	for (i = 0; i < h->nevs; i++) {
		const struct evrec *e = &h->evs[i];

		if (e->cookie != h->cookie || e->addr < h->addr ||
		    e->addr + e->length > h->addr + h->len)
			failf("context %c handle %u (%s, %#" PRIx64 "+%#" PRIx64 ", cookie %#" PRIx64 "): event with cookie %#" PRIx64 ", span %#" PRIx64 "+%#" PRIx64,
			      file_name[fdi], hn, region_name[h->region], h->addr,
			      h->len, h->cookie, e->cookie, e->addr, e->length);
		if (i && e->seqno <= prev)
			failf("context %c handle %u: event seqno %u read after %u",
			      file_name[fdi], hn, e->seqno, prev);
		prev = e->seqno;
		/*
		 * A device take-back (DRM_VSVM_ATOMIC_REACQUIRE) commits
		 * too, at a sequence number the test does not see: an
		 * event follows a recorded commit or one of those, never
		 * the acquire's own revocations.
		 */
		if (e->seqno <= d[0])
			failf("context %c handle %u (%s): event seqno %u (reasons %#x) precedes the first commit (commits %u..%u, %zu distinct)",
			      file_name[fdi], hn, region_name[h->region],
			      e->seqno, e->reasons, d[0], maxc, nd);
		if (e->seqno == maxc + 1)
			t->tail_events++;
		if ((e->reasons & DRM_SVM_REASON_UNMAP) &&
		    !t->by_reason[h->region][2]) {
			t->first_unmap[h->region].fdi = fdi;
			t->first_unmap[h->region].handle = hn;
			t->first_unmap[h->region].addr = e->addr;
			t->first_unmap[h->region].length = e->length;
		}
		for (b = 0; b < NREASONS; b++)
			if (e->reasons & (1u << b))
				t->by_reason[h->region][b]++;
	}
	for (i = 0; i < h->nevs; i++)
		if (h->evs[i].flags & DRM_SVM_EVENT_COALESCED)
			t->coalesced_events++;
	required = nd - 1;
	{
		uint32_t first = 0;
		size_t lost = uncovered_locked(h, &first);
		size_t j;

		for (j = 0; j < nd && d[j] != first; j++)
			;
		if (lost)
			failf("lost event: context %c handle %u (%s region, cookie %#" PRIx64 "): committed at seqno %u, revoked again (the next commit returned %u, the last %u), but no event with seqno %u (or a coalesced one after it) was read (%zu events read for it; %zu such commits)",
			      file_name[fdi], hn, region_name[h->region],
			      h->cookie, first, j + 1 < nd ? d[j + 1] : maxc,
			      maxc, first + 1, h->nevs, lost);
	}
	t->revocations += maxc;
	t->during_first += d[0];
	t->evented += required;
	t->coalesced += (maxc - d[0]) - required;
}

static void check_all_handles(struct totals *t)
{
	uint32_t hn;
	int fdi;

	memset(t, 0, sizeof(*t));
	for (fdi = 0; fdi < 2; fdi++)
		for (hn = 1; hn < HTAB_SIZE; hn++)
			if (htab[fdi][hn])
				check_handle(fdi, hn, htab[fdi][hn], t);
}

static void check_counters(void)
{
	unsigned long cpu, bad = 0;
	unsigned int c, th;
	uint64_t v, want;

	for (c = 0; c < NCTR; c++) {
		cpu = 0;
		for (th = 0; th < CPU_THREADS; th++)
			cpu += cpu_count[th][c];
		v = *ctr(c);
		want = cpu + ((uint64_t)(dev_a_count[c] + dev_b_count[c]) << 32);
		if (v != want && ++bad <= 10)
			failf("counter %u (page %u, offset %u): %#" PRIx64 " = %" PRIu64 " CPU + %" PRIu64 " device adds, but %lu CPU adds and %lu + %lu device adds (A + B) were done",
			      c, c % CNT_PAGES, c / CNT_PAGES * 64, v,
			      (uint64_t)(v & 0xffffffffULL), (uint64_t)(v >> 32), cpu, dev_a_count[c],
			      dev_b_count[c]);
	}
	if (bad)
		failf("%lu of %d counters are not exact: updates were lost", bad,
		      NCTR);
}

static void report(const struct totals *t, double secs)
{
	unsigned int r, b;

	say("--- figures (%.1f s of stress) ---", secs);
	say("ops: %lu CPU atomic adds (%d threads), device adds: %lu by context A, %lu by context B; %lu other device ops (destroy, swap, KSM regions)",
	    st.cpu_adds, CPU_THREADS, st.dev_adds_a, st.dev_adds_b,
	    st.dev_region_ops);
	say("ops: device: %lu pages re-acquired on the way, %lu -EBUSY retries, %lu ops skipped for a page in no handle (-ENXIO)",
	    st.dev_reacquired, st.dev_ebusy, st.dev_enxio);
	say("ops: %lu acquires (%lu with a bitmap; %lu -EBUSY), %lu re-acquires (%lu failed), %lu releases eager, %lu lazy; %lu slot handles cycled; %lu B takeovers (%lu -EBUSY)",
	    st.acquires, st.acquire_bitmap, st.acquire_busy,
	    st.reacquires, st.reacquire_fail, st.release_eager,
	    st.release_lazy, st.lifecycle, st.takeovers, st.takeover_busy);
	say("ops: %lu queries (%lu pages) and %lu info calls from another thread; %lu reads returned %lu events",
	    st.queries, st.query_pages, st.infos, st.event_reads, st.events);
	if (g_drop_every)
		say("negative control: the reader threw away %lu events (one in %lu): the run must fail with lost events",
		    st.dropped, g_drop_every);
	if (st.fork_enomem)
		say("fork() failed with -ENOMEM %lu times (retried): a device-exclusive page was locked while fork copied the page tables",
		    st.fork_enomem);
	say("paths: %lu PROT_EXEC toggles, %lu forks, %lu destroy rounds: %lu MADV_DONTNEED, %lu munmap+mmap, %lu mremap away and back, %lu mprotect read-only, %lu PROT_NONE, %lu replaced by file memory (%lu relocations)",
	    st.mprotect_exec, st.forks, st.destr_rounds, st.dontneed,
	    st.remaps, st.mremaps, st.mprotect_ro, st.prot_none,
	    st.replaced_file, st.relocations);
	if (have_numa)
		say("paths: %lu move_pages calls: %lu pages migrated, %lu not present or held (-ENOENT), %lu busy, %lu other",
		    st.move_calls, st.moved, st.move_enoent, st.move_busy,
		    st.move_other);
	if (have_compact)
		say("paths: %lu compactions", st.compactions);
	if (have_swap && have_memcg)
		say("swap: %lu rounds, %lu memcg reclaims; round trips verified: %lu device-only-written pages, %lu CPU-written pages; %lu device-exclusive entries seen after reclaim",
		    st.swap_rounds, st.reclaims, st.swapped_dev, st.swapped_cpu,
		    st.lazy_entries);
	else
		say("swap: %lu rounds without reclaim", st.swap_rounds);
	if (have_ksm)
		say("ksm: %lu rounds; at most %lu pages of this process merged (ksm_merging_pages), %lu pages_sharing system-wide",
		    st.ksm_rounds, st.ksm_merged_max, st.ksm_sharing_max);
	say("handles: %lu (context A: %lu counters, %lu destroy, %lu swap, %lu ksm; context B: %lu), %lu commits, %lu without a final commit",
	    t->handles, t->handles_by[0][R_CNT], t->handles_by[0][R_DESTR],
	    t->handles_by[0][R_SWAP], t->handles_by[0][R_KSM],
	    t->handles_by[1][R_CNT], t->commits, t->tails);
	say("revocations: %lu counted by seqnos: %lu during acquires, %lu after = %lu events + %lu coalesced; %lu more events after final commits",
	    t->revocations, t->during_first, t->revocations - t->during_first,
	    t->evented, t->coalesced, t->tail_events);
	say("events: %lu read as DRM_SVM_EVENT_COALESCED (merged while unread); %lu releases waited for the reader first (at most %lu ms; %lu gave up after %d ms)",
	    t->coalesced_events, st.cover_waits, st.cover_max_ms,
	    st.cover_timeouts, g_drop_every ? COVER_MS_DROPPING : COVER_MS);
	for (r = 0; r < NREGIONS; r++) {
		/* Only the destroy region is ever unmapped by the test. */
		unsigned long unmaps = t->by_reason[r][2];

		if (r != R_DESTR && unmaps)
			say("finding: %lu revocations of held %s pages reported as UNMAP, though the test never unmaps, remaps or zaps that region (first: context %c handle %u, span %#" PRIx64 "+%#" PRIx64 ")",
			    unmaps, region_name[r], file_name[t->first_unmap[r].fdi],
			    t->first_unmap[r].handle, t->first_unmap[r].addr,
			    t->first_unmap[r].length);
	}
	for (r = 0; r < NREGIONS; r++) {
		char line[256];
		int len = 0;

		for (b = 0; b < NREASONS; b++)
			if (t->by_reason[r][b])
				len += snprintf(line + len, sizeof(line) - len,
						" %s %lu", reason_name[b],
						t->by_reason[r][b]);
		say("events by reason, %s region:%s", region_name[r],
		    len ? line : " none");
	}
}

/* --- setup -------------------------------------------------------------------------- */

static char *map_aligned(size_t len, size_t align)
{
	char *p = mmap(NULL, len + align, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *a;

	if (p == MAP_FAILED)
		return NULL;
	a = (char *)(((uintptr_t)p + align - 1) & ~(uintptr_t)(align - 1));
	if (a > p)
		munmap(p, a - p);
	munmap(a + len, p + len + align - (a + len));
	return a;
}

static const char *const ksm_knobs[3] = { "run", "sleep_millisecs",
					  "pages_to_scan" };

static void ksm_setup(void)
{
	static const char *const vals[3] = { "1", "20", "1000" };
	char path[128];
	unsigned int i;

	for (i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), KSM_DIR "%s", ksm_knobs[i]);
		if (read_file(path, ksm_saved[i], sizeof(ksm_saved[i])))
			ksm_saved[i][0] = 0;
	}
	/* Set the pace first, then start it. */
	for (i = 3; i-- > 0;) {
		snprintf(path, sizeof(path), KSM_DIR "%s", ksm_knobs[i]);
		if (write_file(path, vals[i]))
			say("ksm: could not set %s", path);
	}
}

static void ksm_restore(void)
{
	char path[128];
	unsigned int i;

	if (!have_ksm)
		return;
	for (i = 0; i < 3; i++) {
		if (!ksm_saved[i][0])
			continue;
		snprintf(path, sizeof(path), KSM_DIR "%s", ksm_knobs[i]);
		write_file(path, ksm_saved[i]);
	}
}

static void detect_features(void)
{
	char buf[512];

	have_numa = !read_file("/sys/devices/system/node/online", buf,
			       sizeof(buf)) &&
		    (strchr(buf, '-') || strchr(buf, ',')) &&
		    !access("/sys/devices/system/node/node1", F_OK);
	if (have_numa) {
		int status;
		void *page = cnt_base;

		/* move_pages exists (CONFIG_MIGRATION, CONFIG_NUMA)? */
		if (syscall(SYS_move_pages, 0, 1, &page, NULL, &status, 0) &&
		    errno == ENOSYS)
			have_numa = false;
	}
	if (!have_numa)
		say("skip: migration between NUMA nodes (no node 1 online, or no move_pages)");
	else if (without("numa"))
		say("skip: migration between NUMA nodes (--without numa)");
	have_numa = have_numa && !without("numa");

	have_swap = !read_file("/proc/swaps", buf, sizeof(buf)) &&
		    strchr(buf, '\n') && strchr(buf, '\n')[1];
	if (!have_swap)
		say("skip: swap round trips (no swap device in use, /proc/swaps)");
	have_ksm = !access(KSM_DIR "run", W_OK);
	if (!have_ksm)
		say("skip: KSM merging (no writable " KSM_DIR "run)");
	else if (without("ksm"))
		say("skip: KSM merging (--without ksm)");
	have_ksm = have_ksm && !without("ksm");
	have_compact = !access("/proc/sys/vm/compact_memory", W_OK);
	if (!have_compact)
		say("skip: compaction (no writable /proc/sys/vm/compact_memory)");
	else if (without("compact"))
		say("skip: compaction (--without compact)");
	have_compact = have_compact && !without("compact");
	if (without("fork"))
		say("skip: fork (--without fork)");
}

static unsigned long kernel_tainted(void)
{
	return read_long_at("/proc/sys/kernel/tainted", NULL);
}

static long debug_locks(void)
{
	return read_long_at("/proc/lockdep_stats", "debug_locks:");
}

struct worker {
	const char *name;
	void *(*fn)(void *);
	void *arg;
	pthread_t thread;
	bool started;
};

static bool join_timed(struct worker *w, double deadline)
{
	struct timespec ts;
	double left = deadline - now_ms();
	int ret;

	if (!w->started)
		return true;
	clock_gettime(CLOCK_REALTIME, &ts);
	if (left < 0)
		left = 0;
	ts.tv_sec += (time_t)(left / 1000);
	ts.tv_nsec += (long)((left - (time_t)(left / 1000) * 1000) * 1e6);
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	ret = pthread_timedjoin_np(w->thread, NULL, &ts);
	if (ret) {
		failf("thread %s did not stop within %d s of the end (stuck in the kernel?)",
		      w->name, JOIN_MS / 1000);
		return false;
	}
	w->started = false;
	return true;
}

static void add_worker(struct worker *w, unsigned int *n, const char *name,
		       void *(*fn)(void *), void *arg)
{
	memset(&w[*n], 0, sizeof(w[*n]));
	w[*n].name = name;
	w[*n].fn = fn;
	w[*n].arg = arg;
	(*n)++;
}

static void usage(const char *argv0)
{
	fprintf(stderr, "usage: %s [--seconds N] [--seed N] [--drop-events N] [--without numa,compact,reclaim,ksm,fork]\n",
		argv0);
	exit(2);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "seconds", required_argument, NULL, 's' },
		{ "seed", required_argument, NULL, 'S' },
		{ "drop-events", required_argument, NULL, 'D' },
		{ "without", required_argument, NULL, 'W' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct worker workers[16];
	struct worker reader = { .name = "reader", .fn = reader_fn };
	unsigned int nw = 0, i, s;
	unsigned long taint0, taint1;
	long locks0, locks1;
	uint32_t version = 0;
	struct drm_svm_info info;
	struct totals totals;
	char path[300];
	struct utsname un;
	double end, t_stop, last_progress;
	int opt, ret, fdi;

	g_seed = (uint64_t)time(NULL);
	while ((opt = getopt_long(argc, argv, "s:S:D:W:h", opts, NULL)) != -1) {
		switch (opt) {
		case 's':
			g_seconds = strtoul(optarg, NULL, 0);
			break;
		case 'S':
			g_seed = strtoull(optarg, NULL, 0);
			break;
		case 'D':
			g_drop_every = strtoul(optarg, NULL, 0);
			break;
		case 'W':
			snprintf(g_without, sizeof(g_without), ",%s,", optarg);
			break;
		default:
			usage(argv[0]);
		}
	}
	setvbuf(stdout, NULL, _IOLBF, 0);

	drm[0] = vsvm_open(path, sizeof(path));
	if (drm[0] < 0) {
		say("SKIP: no vsvm render node under /dev/dri");
		return 77;
	}
	/* Two contexts, each on a DRM file of its own, bound to this mm. */
	ctx[0] = vsvm_context_create(drm[0], DRM_SVM_CONTEXT_NONBLOCK, &version);
	if (ctx[0] < 0 || version != DRM_SVM_UAPI_VERSION) {
		say("SKIP: %s creates no SVM context of uAPI version %d (%s)",
		    path, DRM_SVM_UAPI_VERSION,
		    ctx[0] < 0 ? strerror(-ctx[0]) : "another version");
		return 77;
	}
	drm[1] = open(path, O_RDWR | O_CLOEXEC | O_NONBLOCK);
	if (drm[1] < 0) {
		say("FAIL: second open of %s: %s", path, strerror(errno));
		return 1;
	}
	ctx[1] = vsvm_context_create(drm[1], DRM_SVM_CONTEXT_NONBLOCK, NULL);
	if (ctx[1] < 0) {
		say("FAIL: second context on %s: %s", path, strerror(-ctx[1]));
		return 1;
	}
	ps = sysconf(_SC_PAGESIZE);
	uname(&un);
	say("%s on %s %s, seed %" PRIu64 ", %u s (replay: --seed %" PRIu64 ")",
	    path, un.sysname, un.release, g_seed, g_seconds, g_seed);
	if (!g_seconds)
		return 0;

	/* Keep malloc off mmap: the destroy region's holes stay ours. */
	mallopt(M_MMAP_THRESHOLD, 32 << 20);
	taint0 = kernel_tainted();
	locks0 = debug_locks();

	/* The memory cgroup first: it is charged what is allocated after. */
	ret = without("reclaim") ? -ECANCELED : enter_memcg();
	have_memcg = !ret;
	if (ret == -ECANCELED)
		say("skip: memcg reclaim to swap (--without reclaim)");
	else if (ret)
		say("skip: memcg reclaim to swap (no cgroup v2 memory controller at %s: %s)",
		    CGROUP_ROOT, strerror(-ret));

	htab[0] = calloc(HTAB_SIZE, sizeof(*htab[0]));
	htab[1] = calloc(HTAB_SIZE, sizeof(*htab[1]));
	cnt_base = map_at(NULL, CNT_PAGES * ps, PROT_READ | PROT_WRITE);
	destr_base = map_at(NULL, DESTR_PAGES * ps, PROT_READ | PROT_WRITE);
	destr_alt = map_at(NULL, DESTR_PAGES * ps, PROT_NONE);
	swap_base = map_aligned(SWAP_PAGES * ps, 2 << 20);
	ksm_base = map_at(NULL, KSM_PAGES * ps, PROT_READ | PROT_WRITE);
	if (!htab[0] || !htab[1] || !cnt_base || !destr_base || !destr_alt ||
	    !swap_base || !ksm_base) {
		say("FAIL: out of memory");
		return 1;
	}
	detect_features();
	if (have_ksm) {
		if (madvise(ksm_base, KSM_PAGES * ps, MADV_MERGEABLE)) {
			say("skip: KSM merging (MADV_MERGEABLE: %s)",
			    strerror(errno));
			have_ksm = false;
		} else {
			ksm_setup();
		}
	}
	memset(cnt_base, 0, CNT_PAGES * ps);
	for (i = 0; i < SWAP_PAGES; i++) {
		*word(swap_base, i, 0) = 0x5000000000ULL | i;
		*word(swap_base, i, 1) = 0x6000000000ULL | i;
	}
	for (i = 0; i < KSM_PAGES; i++) {
		unsigned long w;

		for (w = 0; w < ps / 8; w++)
			*word(ksm_base, i, w) = ksm_value(i);
	}
	g_t0 = now_ms();

	for (s = 0; s < SLOTS; s++) {
		pthread_mutex_init(&slots[s].lock, NULL);
		slots[s].addr = cnt_base + s * SLOT_PAGES * ps;
		ret = svm_acquire(0, R_CNT, slots[s].addr, SLOT_PAGES * ps, 0,
				  &slots[s].handle);
		if (ret) {
			say("FAIL: acquire of counter slot %u: %s", s,
			    strerror(-ret));
			return 1;
		}
		slots[s].live = true;
	}

	if (pthread_create(&reader.thread, NULL, reader_fn, NULL)) {
		say("FAIL: pthread_create");
		return 1;
	}
	reader.started = true;
	for (i = 0; i < CPU_THREADS; i++)
		add_worker(workers, &nw, "cpu", cpu_fn, (void *)(uintptr_t)i);
	add_worker(workers, &nw, "device", dev_fn, NULL);
	add_worker(workers, &nw, "lifecycle", life_fn, NULL);
	add_worker(workers, &nw, "second-file", second_fn, NULL);
	add_worker(workers, &nw, "destroy", destroy_fn, NULL);
	add_worker(workers, &nw, "swap", swap_fn, NULL);
	if (have_ksm)
		add_worker(workers, &nw, "ksm", ksm_fn, NULL);
	add_worker(workers, &nw, "mm", mm_fn, NULL);
	if (have_compact)
		add_worker(workers, &nw, "compact", compact_fn, NULL);
	add_worker(workers, &nw, "query", query_fn, NULL);
	for (i = 0; i < nw; i++) {
		if (pthread_create(&workers[i].thread, NULL, workers[i].fn,
				   workers[i].arg)) {
			failf("pthread_create: %s", strerror(errno));
			break;
		}
		workers[i].started = true;
	}

	end = g_t0 + g_seconds * 1000.0;
	last_progress = g_t0;
	while (!stopped() && now_ms() < end) {
		msleep(100);
		if (now_ms() - last_progress >= 10000) {
			last_progress = now_ms();
			say("%.0f s: %lu CPU adds, %lu + %lu device adds, %lu events, %lu forks, %lu destroy rounds, %lu swap rounds",
			    (last_progress - g_t0) / 1e3, cpu_adds_now(),
			    st.dev_adds_a, st.dev_adds_b, st.events, st.forks,
			    st.destr_rounds, st.swap_rounds);
		}
	}
	t_stop = now_ms();
	__atomic_store_n(&g_stop, 1, __ATOMIC_RELEASE);
	for (i = 0; i < nw; i++)
		if (!join_timed(&workers[i], t_stop + JOIN_MS)) {
			say("FAIL: giving up: a thread is stuck");
			fflush(stdout);
			_exit(1);
		}

	/* Nothing revokes now: final commits give the final counts. */
	for (s = 0; s < SLOTS; s++)
		if (slots[s].live) {
			retire(0, slots[s].handle, false);
			slots[s].live = false;
		}
	for (fdi = 0; fdi < 2; fdi++) {
		memset(&info, 0, sizeof(info));
		ret = xioctl(ctx[fdi], DRM_SVM_IOCTL_INFO, &info);
		if (ret || info.handles || info.pages)
			failf("context %c: at the end: info %s, %u handles, %llu pages still held",
			      file_name[fdi], strerror(-ret), info.handles,
			      (unsigned long long)info.pages);
	}
	/* Every event is queued by now: the reader drains and ends. */
	__atomic_store_n(&reader_final, 1, __ATOMIC_RELEASE);
	if (!join_timed(&reader, now_ms() + JOIN_MS)) {
		fflush(stdout);
		_exit(1);
	}

	check_counters();
	check_all_handles(&totals);
	if (!totals.evented && !totals.tail_events)
		failf("no event was read: the run showed nothing");
	if (!st.dev_adds_a || !st.cpu_adds)
		failf("no device or no CPU add completed: the run showed nothing");
	if (have_swap && have_memcg && st.swap_rounds >= 6 && !st.swapped_dev)
		failf("no device-written page went to swap in %lu rounds: the swap check showed nothing",
		      st.swap_rounds);
	report(&totals, (t_stop - g_t0) / 1e3);

	close(ctx[1]);
	close(ctx[0]);
	close(drm[1]);
	close(drm[0]);
	ksm_restore();
	leave_memcg();

	taint1 = kernel_tainted();
	locks1 = debug_locks();
	if (taint1 != taint0)
		failf("the kernel became tainted during the run: %#lx -> %#lx",
		      taint0, taint1);
	if (locks0 > 0 && locks1 == 0)
		failf("lockdep turned itself off during the run (debug_locks 0): a lockdep report");
	say("%s (%.1f s in all)", g_failed ? "FAIL" : "PASS",
	    (now_ms() - g_t0) / 1e3);
	return g_failed ? 1 : 0;
}
