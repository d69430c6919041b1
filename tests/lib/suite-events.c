// SPDX-License-Identifier: MIT
/*
 * The event stream, from synthetic bytes written to a pipe: whole, split
 * across reads, other event types, stale events, sequence gaps,
 * truncated and oversized events, and handlers that call back in.
 *
 * Copyright 2026 The svmatomic authors
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <stdio.h>
#include <sys/inotify.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test-common.h"

static int fds[2];
static struct svma_device *dev;

#define MAX_SEEN 600

static struct seen {
	int revocations;
	int others;
	struct svma_range *range[MAX_SEEN];
	struct svma_revocation rev[MAX_SEEN];
	uint32_t other_type[MAX_SEEN];
	size_t other_length[MAX_SEEN];
	unsigned char other_bytes[64];
	int dispatch_in_handler;
	int release_in_handler;
	int reacquire_in_handler;
	struct svma_range *acquired_in_handler;
} seen;

static void on_revoke(struct svma_range *range,
		      const struct svma_revocation *rev, void *data)
{
	ck_assert_ptr_eq(data, &seen);
	ck_assert_int_lt(seen.revocations, MAX_SEEN);
	seen.range[seen.revocations] = range;
	seen.rev[seen.revocations] = *rev;
	seen.revocations++;
}

static void on_other(uint32_t type, const void *event, size_t length,
		     void *data)
{
	ck_assert_ptr_eq(data, &seen);
	ck_assert_int_lt(seen.others, MAX_SEEN);
	seen.other_type[seen.others] = type;
	seen.other_length[seen.others] = length;
	memcpy(seen.other_bytes, event,
	       length < sizeof(seen.other_bytes) ? length :
						   sizeof(seen.other_bytes));
	seen.others++;
}

static void setup(void)
{
	mock_reset();
	memset(&seen, 0, sizeof(seen));
	ck_assert_int_eq(pipe(fds), 0);
	dev = mock_device(fds[0]);
	ck_assert_int_eq(svma_set_revoke_handler(dev, on_revoke, &seen), 0);
	ck_assert_int_eq(svma_set_event_fallback(dev, on_other, &seen), 0);
}

static void teardown(void)
{
	svma_device_close(dev);
	dev = NULL;
	if (fds[1] >= 0)
		close(fds[1]);
}

static struct svma_range *acquire(uintptr_t page)
{
	struct svma_range *r = NULL;

	ck_assert_int_eq(svma_range_acquire(dev, (void *)(page * TEST_PAGE),
					    4 * TEST_PAGE, page, 0, NULL, 0,
					    &r), 0);
	return r;
}

static void put(const void *bytes, size_t len)
{
	ck_assert_int_eq(write(fds[1], bytes, len), (ssize_t)len);
}

static void put_revoked(const struct svma_range *r, uint32_t seqno,
			uint32_t reasons)
{
	struct drm_svm_event_revoked ev;

	make_revoked(&ev, r, seqno, reasons);
	put(&ev, sizeof(ev));
}

/* Some other DRM event, vblank-sized. */
struct other_event {
	struct drm_svm_event base;
	uint64_t user_data;
	uint32_t a, b;
};

static void make_other(struct other_event *ev, uint32_t type)
{
	memset(ev, 0, sizeof(*ev));
	ev->base.type = type;
	ev->base.size = sizeof(*ev);
	ev->user_data = 0x1122334455667788ull;
}

START_TEST(test_nothing_pending)
{
	ck_assert_int_eq(svma_dispatch(dev), 0);
	ck_assert_int_eq(svma_wait(dev, 0), 0);
	ck_assert_int_eq(svma_wait(dev, 1000000), 0);
}
END_TEST

START_TEST(test_whole)
{
	struct svma_range *a = acquire(16), *b = acquire(32);
	struct other_event o;
	unsigned char buf[512];
	size_t len = 0;
	struct drm_svm_event_revoked ev;

	make_revoked(&ev, a, 1, SVMA_REASON_CPU_ACCESS);
	ev.addr += TEST_PAGE;
	memcpy(buf + len, &ev, sizeof(ev));
	len += sizeof(ev);
	make_other(&o, 0x01 /* DRM_EVENT_VBLANK */);
	memcpy(buf + len, &o, sizeof(o));
	len += sizeof(o);
	make_revoked(&ev, b, 1, SVMA_REASON_UNMAP | SVMA_REASON_PROTECTION);
	memcpy(buf + len, &ev, sizeof(ev));
	len += sizeof(ev);
	put(buf, len);

	ck_assert_int_eq(svma_wait(dev, -1), 1);
	ck_assert_int_eq(svma_dispatch(dev), 3);
	ck_assert_int_eq(seen.revocations, 2);
	ck_assert_int_eq(seen.others, 1);

	ck_assert_ptr_eq(seen.range[0], a);
	ck_assert_ptr_eq(seen.rev[0].addr, (char *)svma_range_addr(a) +
					   TEST_PAGE);
	ck_assert_uint_eq(seen.rev[0].length, TEST_PAGE);
	ck_assert_uint_eq(seen.rev[0].reasons, SVMA_REASON_CPU_ACCESS);
	ck_assert_uint_eq(seen.rev[0].seqno, 1);
	ck_assert_uint_eq(seen.rev[0].coalesced, 0);
	ck_assert_ptr_eq(seen.range[1], b);
	ck_assert_uint_eq(seen.rev[1].reasons,
			  SVMA_REASON_UNMAP | SVMA_REASON_PROTECTION);

	ck_assert_uint_eq(seen.other_type[0], 0x01);
	ck_assert_uint_eq(seen.other_length[0], sizeof(o));
	ck_assert_int_eq(memcmp(seen.other_bytes, &o, sizeof(o)), 0);

	ck_assert_int_eq(svma_range_is_revoked(a), 1);
	ck_assert_uint_eq(svma_range_seqno(a), 1);
	ck_assert_int_eq(svma_wait(dev, 0), 0);
	ck_assert_int_eq(svma_dispatch(dev), 0);
}
END_TEST

/* Every split point of two events, each part read separately. */
START_TEST(test_split)
{
	struct svma_range *a = acquire(16);
	struct drm_svm_event_revoked ev[2];
	const unsigned char *bytes = (const unsigned char *)ev;
	size_t cut = (size_t)_i;
	int n;

	make_revoked(&ev[0], a, 1, SVMA_REASON_CPU_ACCESS);
	make_revoked(&ev[1], a, 2, SVMA_REASON_FORK);

	put(bytes, cut);
	n = svma_dispatch(dev);
	ck_assert_int_eq(n, cut >= sizeof(ev[0]) ? 1 : 0);
	put(bytes + cut, sizeof(ev) - cut);
	ck_assert_int_eq(svma_dispatch(dev) + n, 2);

	ck_assert_int_eq(seen.revocations, 2);
	ck_assert_uint_eq(seen.rev[0].seqno, 1);
	ck_assert_uint_eq(seen.rev[1].seqno, 2);
	ck_assert_uint_eq(seen.rev[1].reasons, SVMA_REASON_FORK);
	ck_assert_uint_eq(seen.rev[1].coalesced, 0);
}
END_TEST

START_TEST(test_byte_by_byte)
{
	struct svma_range *a = acquire(16);
	struct drm_svm_event_revoked ev;
	const unsigned char *bytes = (const unsigned char *)&ev;
	size_t i;

	make_revoked(&ev, a, 1, SVMA_REASON_MIGRATION);
	for (i = 0; i < sizeof(ev) - 1; i++) {
		put(bytes + i, 1);
		ck_assert_int_eq(svma_dispatch(dev), 0);
	}
	put(bytes + i, 1);
	ck_assert_int_eq(svma_dispatch(dev), 1);
	ck_assert_uint_eq(seen.rev[0].reasons, SVMA_REASON_MIGRATION);
}
END_TEST

/*
 * More than the read buffer holds. A dispatch reads a bounded number of
 * times, enough for one event per range (all a context can queue), so
 * that a stream that never runs dry cannot keep the caller (issue 24):
 * here, with five per range, the calls that follow get the rest.
 */
START_TEST(test_many_events)
{
	const int per_read = SVMA_EVENT_BUF / sizeof(struct drm_svm_event_revoked);
	const int reads = 100 / SVMA_KERNEL_READ_BATCH + 2;
	struct svma_range *r[100];
	int i, n, total = 0, calls = 0;
	uint32_t seqno;

	for (i = 0; i < 100; i++)
		r[i] = acquire(16 + 4 * (uintptr_t)i);
	for (seqno = 1; seqno <= 5; seqno++)
		for (i = 0; i < 100; i++)
			put_revoked(r[i], seqno, SVMA_REASON_CPU_ACCESS);
	/* the first call: at most @reads reads of what was pending */
	n = svma_dispatch(dev);
	ck_assert_int_ge(n, 100);
	ck_assert_int_le(n, reads * per_read);
	total = n;
	calls = 1;
	while ((n = svma_dispatch(dev)) > 0) {
		total += n;
		calls++;
	}
	ck_assert_int_eq(n, 0);
	ck_assert_int_eq(total, 500);
	ck_assert_int_eq(seen.revocations, 500);
	for (i = 0; i < 500; i++)
		ck_assert_uint_eq(seen.rev[i].coalesced, 0);
	for (i = 0; i < 100; i++)
		ck_assert_uint_eq(svma_range_seqno(r[i]), 5);
}
END_TEST

START_TEST(test_unknown_without_fallback)
{
	struct other_event o;

	ck_assert_int_eq(svma_set_event_fallback(dev, NULL, NULL), 0);
	make_other(&o, 0x80000000);
	put(&o, sizeof(o));
	ck_assert_int_eq(svma_dispatch(dev), 1);
	ck_assert_int_eq(seen.others, 0);
}
END_TEST

START_TEST(test_minimal_and_long_unknown)
{
	struct drm_svm_event hdr = { .type = 0x42, .size = sizeof(hdr) };
	unsigned char big[SVMA_EVENT_MAX];
	struct drm_svm_event *bh = (struct drm_svm_event *)big;

	put(&hdr, sizeof(hdr));
	memset(big, 0xa5, sizeof(big));
	bh->type = 0x43;
	bh->size = SVMA_EVENT_MAX;
	put(big, sizeof(big));
	/* two reads: the second event did not fit after the first */
	ck_assert_int_eq(svma_dispatch(dev), 2);
	ck_assert_uint_eq(seen.other_type[0], 0x42);
	ck_assert_uint_eq(seen.other_length[0], sizeof(hdr));
	ck_assert_uint_eq(seen.other_type[1], 0x43);
	ck_assert_uint_eq(seen.other_length[1], SVMA_EVENT_MAX);
}
END_TEST

START_TEST(test_stale_events)
{
	struct svma_range *a = acquire(16);
	struct drm_svm_event_revoked ev;

	/* no such handle: another user of the fd, or released */
	make_revoked(&ev, a, 1, SVMA_REASON_CPU_ACCESS);
	ev.handle = 999;
	put(&ev, sizeof(ev));
	/* right handle, wrong cookie: a reused handle's old event */
	make_revoked(&ev, a, 1, SVMA_REASON_CPU_ACCESS);
	ev.cookie ^= 1;
	put(&ev, sizeof(ev));
	ck_assert_int_eq(svma_dispatch(dev), 2);
	ck_assert_int_eq(seen.revocations, 0);
	ck_assert_int_eq(seen.others, 2);
	ck_assert_uint_eq(seen.other_type[1], DRM_SVM_EVENT_REVOKED);
	ck_assert_int_eq(svma_range_is_revoked(a), 0);
}
END_TEST

START_TEST(test_short_and_long_revoked)
{
	struct svma_range *a = acquire(16);
	struct {
		struct drm_svm_event_revoked ev;
		uint64_t newer_field;
	} longer;
	struct drm_svm_event_revoked ev;

	/* shorter than the uAPI's struct: not ours to interpret */
	make_revoked(&ev, a, 1, SVMA_REASON_CPU_ACCESS);
	ev.base.size = 16;
	put(&ev, 16);
	/* longer (a newer uAPI): the known prefix is used */
	make_revoked(&longer.ev, a, 1, SVMA_REASON_MIGRATION);
	longer.ev.base.size = sizeof(longer);
	longer.newer_field = 7;
	put(&longer, sizeof(longer));
	ck_assert_int_eq(svma_dispatch(dev), 2);
	ck_assert_int_eq(seen.others, 1);
	ck_assert_uint_eq(seen.other_length[0], 16);
	ck_assert_int_eq(seen.revocations, 1);
	ck_assert_uint_eq(seen.rev[0].reasons, SVMA_REASON_MIGRATION);
}
END_TEST

START_TEST(test_sequence_gap)
{
	struct svma_range *a = acquire(16);

	put_revoked(a, 1, SVMA_REASON_CPU_ACCESS);
	/* revocations 2..4 coalesced into the handle's state */
	put_revoked(a, 5, SVMA_REASON_CPU_ACCESS);
	/* a number that goes back: reported as stale, seqno kept */
	put_revoked(a, 3, SVMA_REASON_CPU_ACCESS);
	ck_assert_int_eq(svma_dispatch(dev), 3);
	ck_assert_uint_eq(seen.rev[0].coalesced, 0);
	ck_assert_uint_eq(seen.rev[0].flags, 0);
	ck_assert_uint_eq(seen.rev[1].seqno, 5);
	ck_assert_uint_eq(seen.rev[1].coalesced, 3);
	ck_assert_uint_eq(seen.rev[1].flags, 0);
	ck_assert_uint_eq(seen.rev[2].seqno, 3);
	ck_assert_uint_eq(seen.rev[2].coalesced, 0);
	ck_assert_uint_eq(seen.rev[2].flags, SVMA_REVOCATION_STALE);
	ck_assert_uint_eq(svma_range_seqno(a), 5);
}
END_TEST

/*
 * An event sent before a re-acquire and read after it describes pages
 * the range holds again: the handler gets it, marked stale, and the
 * range stays not revoked, its number where the re-acquire put it.
 */
START_TEST(test_stale_after_reacquire)
{
	struct svma_range *a = acquire(16);

	put_revoked(a, 1, SVMA_REASON_CPU_ACCESS);	/* not read yet */
	mock.seqno = 1;
	ck_assert_int_eq(svma_range_reacquire(a, 0, NULL, 0), 0);
	ck_assert_uint_eq(svma_range_seqno(a), 1);
	ck_assert_int_eq(svma_range_is_revoked(a), 0);

	ck_assert_int_eq(svma_dispatch(dev), 1);
	ck_assert_int_eq(seen.revocations, 1);
	ck_assert_ptr_eq(seen.range[0], a);
	ck_assert_uint_eq(seen.rev[0].flags, SVMA_REVOCATION_STALE);
	ck_assert_uint_eq(seen.rev[0].seqno, 1);
	ck_assert_uint_eq(seen.rev[0].coalesced, 0);
	ck_assert_uint_eq(seen.rev[0].reasons, SVMA_REASON_CPU_ACCESS);
	ck_assert_int_eq(svma_range_is_revoked(a), 0);
	ck_assert_uint_eq(svma_range_seqno(a), 1);

	/* the next revocation is news again */
	put_revoked(a, 2, SVMA_REASON_UNMAP);
	ck_assert_int_eq(svma_dispatch(dev), 1);
	ck_assert_uint_eq(seen.rev[1].flags, 0);
	ck_assert_uint_eq(seen.rev[1].coalesced, 0);
	ck_assert_int_eq(svma_range_is_revoked(a), 1);
	ck_assert_uint_eq(svma_range_seqno(a), 2);
}
END_TEST

/* Without a handler a stale event changes nothing either. */
START_TEST(test_stale_without_handler)
{
	struct svma_range *a = acquire(16);

	ck_assert_int_eq(svma_set_revoke_handler(dev, NULL, NULL), 0);
	put_revoked(a, 1, SVMA_REASON_CPU_ACCESS);
	put_revoked(a, 2, SVMA_REASON_CPU_ACCESS);
	mock.seqno = 2;
	ck_assert_int_eq(svma_range_reacquire(a, 0, NULL, 0), 0);
	ck_assert_int_eq(svma_dispatch(dev), 2);
	ck_assert_int_eq(svma_range_is_revoked(a), 0);
	ck_assert_uint_eq(svma_range_seqno(a), 2);
}
END_TEST

/* The acquire's own number: revocations during the call sent nothing. */
START_TEST(test_acquire_seqno)
{
	struct svma_range *a;

	mock.seqno = 2;
	a = acquire(16);
	ck_assert_uint_eq(svma_range_seqno(a), 2);
	ck_assert_int_eq(svma_range_is_revoked(a), 0);
	/* the first event after it: 3, nothing coalesced */
	put_revoked(a, 3, SVMA_REASON_CPU_ACCESS);
	ck_assert_int_eq(svma_dispatch(dev), 1);
	ck_assert_uint_eq(seen.rev[0].coalesced, 0);
	ck_assert_uint_eq(seen.rev[0].flags, 0);
	ck_assert_int_eq(svma_range_is_revoked(a), 1);
}
END_TEST

/*
 * The gap after a re-acquire counts from the number as it committed:
 * revocations before it were taken back by it and are not "coalesced".
 */
START_TEST(test_gap_after_reacquire)
{
	struct svma_range *a = acquire(16);

	put_revoked(a, 1, SVMA_REASON_CPU_ACCESS);
	ck_assert_int_eq(svma_dispatch(dev), 1);
	/* revocations 2 and 3 coalesced, then the re-acquire */
	mock.seqno = 3;
	ck_assert_int_eq(svma_range_reacquire(a, 0, NULL, 0), 0);
	ck_assert_uint_eq(svma_range_seqno(a), 3);
	/* revocation 4 sent the new event; 5 coalesced into it */
	put_revoked(a, 4, SVMA_REASON_CPU_ACCESS);
	ck_assert_int_eq(svma_dispatch(dev), 1);
	ck_assert_uint_eq(seen.rev[1].seqno, 4);
	ck_assert_uint_eq(seen.rev[1].coalesced, 0);
	mock.seqno = 5;
	ck_assert_int_eq(svma_range_reacquire(a, 0, NULL, 0), 0);
	/* 6 and 7 coalesced, 8 sent: two missed since the re-acquire */
	put_revoked(a, 8, SVMA_REASON_CPU_ACCESS);
	ck_assert_int_eq(svma_dispatch(dev), 1);
	ck_assert_uint_eq(seen.rev[2].coalesced, 2);
	ck_assert_uint_eq(svma_range_seqno(a), 8);
}
END_TEST

START_TEST(test_first_event_gap)
{
	struct svma_range *a = acquire(16);

	/* the first event already a later revocation: 1 and 2 coalesced */
	put_revoked(a, 3, SVMA_REASON_UNMAP);
	ck_assert_int_eq(svma_dispatch(dev), 1);
	ck_assert_uint_eq(seen.rev[0].coalesced, 2);
}
END_TEST

START_TEST(test_seqno_wraps)
{
	struct svma_range *a = acquire(16);

	a->seqno = UINT32_MAX - 1;
	put_revoked(a, 1, SVMA_REASON_UNMAP);
	ck_assert_int_eq(svma_dispatch(dev), 1);
	ck_assert_uint_eq(seen.rev[0].coalesced, 2);
	ck_assert_uint_eq(svma_range_seqno(a), 1);
}
END_TEST

START_TEST(test_truncated_at_eof)
{
	struct svma_range *a = acquire(16);
	struct drm_svm_event_revoked ev;

	make_revoked(&ev, a, 1, SVMA_REASON_CPU_ACCESS);
	put(&ev, sizeof(ev));
	put(&ev, sizeof(ev) - 5);
	close(fds[1]);
	fds[1] = -1;
	/* the whole event is handled, the rest reported next */
	ck_assert_int_eq(svma_dispatch(dev), 1);
	ck_assert_int_eq(svma_wait(dev, 0), 1);
	ck_assert_int_eq(svma_dispatch(dev), -EBADMSG);
	ck_assert_int_eq(svma_dispatch(dev), -EBADMSG);
	ck_assert_int_eq(seen.revocations, 1);
}
END_TEST

START_TEST(test_truncated_header_at_eof)
{
	struct drm_svm_event hdr = { .type = 1, .size = 32 };

	put(&hdr, 3);
	close(fds[1]);
	fds[1] = -1;
	/* the first read brings the 3 bytes, the next the end inside them */
	ck_assert_int_eq(svma_dispatch(dev), -EBADMSG);
}
END_TEST

/*
 * read() returning 0 with nothing buffered: the stream ended. A kernel
 * context never ends; a closed pipe does.
 */
START_TEST(test_zero_read)
{
	close(fds[1]);
	fds[1] = -1;
	ck_assert_int_eq(svma_wait(dev, -1), 1);
	ck_assert_int_eq(svma_dispatch(dev), -EPIPE);
	ck_assert_int_eq(svma_dispatch(dev), -EPIPE);
}
END_TEST

/*
 * The same from a file that stays readable: a zero-length record on a
 * SOCK_SEQPACKET socket. It is not sticky: what comes after is read.
 */
START_TEST(test_zero_read_not_sticky)
{
	struct svma_device *sdev;
	struct drm_svm_event_revoked ev;
	struct svma_range *a = acquire(16);
	int sp[2];

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0,
				    sp), 0);
	sdev = mock_device(sp[0]);
	ck_assert_int_eq(svma_set_event_fallback(sdev, on_other, &seen), 0);
	make_revoked(&ev, a, 1, SVMA_REASON_CPU_ACCESS);
	ck_assert_int_eq(write(sp[1], &ev, 0), 0);
	ck_assert_int_eq(write(sp[1], &ev, sizeof(ev)), (ssize_t)sizeof(ev));
	ck_assert_int_eq(svma_dispatch(sdev), -EPIPE);
	ck_assert_int_eq(svma_dispatch(sdev), 1);
	ck_assert_int_eq(svma_dispatch(sdev), 0);
	/* sdev has no range: the event went to the fallback */
	ck_assert_int_eq(seen.others, 1);
	svma_device_close(sdev);
	close(sp[1]);
}
END_TEST

START_TEST(test_length_too_small)
{
	struct svma_range *a = acquire(16);
	struct drm_svm_event bad = { .type = 1, .size = 4 };

	put_revoked(a, 1, SVMA_REASON_CPU_ACCESS);
	put(&bad, sizeof(bad));
	put_revoked(a, 2, SVMA_REASON_CPU_ACCESS);
	/* what came before is handled; then the stream is dead for good */
	ck_assert_int_eq(svma_dispatch(dev), 1);
	ck_assert_int_eq(svma_dispatch(dev), -EBADMSG);
	ck_assert_int_eq(svma_wait(dev, 0), 1);
	ck_assert_int_eq(svma_dispatch(dev), -EBADMSG);
	ck_assert_int_eq(seen.revocations, 1);
}
END_TEST

START_TEST(test_oversized)
{
	struct drm_svm_event big = { .type = 1, .size = SVMA_EVENT_MAX + 1 };

	put(&big, sizeof(big));
	ck_assert_int_eq(svma_dispatch(dev), -EMSGSIZE);
	ck_assert_int_eq(svma_dispatch(dev), -EMSGSIZE);
	ck_assert_int_eq(seen.others, 0);
}
END_TEST

START_TEST(test_no_revoke_handler)
{
	struct svma_range *a = acquire(16);

	ck_assert_int_eq(svma_set_revoke_handler(dev, NULL, NULL), 0);
	put_revoked(a, 1, SVMA_REASON_CPU_ACCESS);
	ck_assert_int_eq(svma_dispatch(dev), 1);
	/* not passed on as "other", but visible in the range */
	ck_assert_int_eq(seen.others, 0);
	ck_assert_int_eq(svma_range_is_revoked(a), 1);
}
END_TEST

/* ---- processes ------------------------------------------------------- */

/* Run @fn in a child and return its exit status (-1: it did not exit). */
static int in_child(int (*fn)(void))
{
	int status;
	pid_t pid;

	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0)
		_exit(fn());
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* In a forked child: every reading call fails, nothing is consumed. */
static int child_reads_nothing(void)
{
	struct svma_device_info info;
	int bad = 0;

	bad |= (svma_dispatch(dev) != -EPERM) << 0;
	bad |= (svma_wait(dev, 0) != -EPERM) << 1;
	bad |= (svma_wait(dev, 1000) != -EPERM) << 2;
	bad |= (svma_device_get_info(dev, &info, sizeof(info)) != -EPERM) << 3;
	bad |= (seen.revocations + seen.others != 0) << 4;
	return bad;
}

/*
 * A forked child shares the parent's context: the kernel refuses its
 * reads, and so does the library, first. The parent gets every event
 * (issue 7).
 */
START_TEST(test_fork_child_reads_nothing)
{
	struct svma_range *a = acquire(16);

	put_revoked(a, 1, SVMA_REASON_FORK);
	ck_assert_int_eq(in_child(child_reads_nothing), 0);
	ck_assert_int_eq(svma_wait(dev, 0), 1);
	ck_assert_int_eq(svma_dispatch(dev), 1);
	ck_assert_int_eq(seen.revocations, 1);
	ck_assert_uint_eq(seen.rev[0].reasons, SVMA_REASON_FORK);
}
END_TEST

/* After a query, too: nothing of the child's depends on the calls made. */
START_TEST(test_fork_after_query)
{
	struct other_event o;
	uint8_t st;

	ck_assert_int_eq(svma_query(dev, (void *)(uintptr_t)TEST_PAGE,
				    TEST_PAGE, &st, 1), 0);
	make_other(&o, 0x01);
	put(&o, sizeof(o));
	ck_assert_int_eq(in_child(child_reads_nothing), 0);
	ck_assert_int_eq(svma_dispatch(dev), 1);
	ck_assert_int_eq(seen.others, 1);
}
END_TEST

/*
 * Before any acquire or query too: since 0.3 the device belongs to the
 * process that opened it from the start (the kernel binds the context at
 * creation), so the child of an unused device reads nothing either, and
 * asks the kernel nothing.
 */
START_TEST(test_fork_before_use)
{
	struct other_event o;

	make_other(&o, 0x01);
	put(&o, sizeof(o));
	ck_assert_int_eq(in_child(child_reads_nothing), 0);
	ck_assert_int_eq(mock_calls(DRM_SVM_IOCTL_INFO), 0);
	ck_assert_int_eq(svma_dispatch(dev), 1);
	ck_assert_int_eq(seen.others, 1);
}
END_TEST

/* ---- handlers that call back into the library ------------------------ */

static void reentrant(struct svma_range *range,
		      const struct svma_revocation *rev, void *data)
{
	on_revoke(range, rev, data);
	seen.dispatch_in_handler = svma_dispatch(svma_range_device(range));
	switch (svma_range_cookie(range) % 3) {
	case 0:
		seen.release_in_handler = svma_range_release(range, 0);
		break;
	case 1:
		seen.reacquire_in_handler =
			svma_range_reacquire(range, 0, NULL, 0);
		break;
	default:
		ck_assert_int_eq(svma_range_acquire(svma_range_device(range),
						    (void *)(uintptr_t)0x100000,
						    TEST_PAGE, 0, 0, NULL, 0,
						    &seen.acquired_in_handler),
				 0);
		break;
	}
}

START_TEST(test_reentrant_release)
{
	struct svma_range *a = acquire(15);	/* cookie 15: release */

	ck_assert_int_eq(svma_set_revoke_handler(dev, reentrant, &seen), 0);
	put_revoked(a, 1, SVMA_REASON_CPU_ACCESS);
	/* the next event of the released range is no longer ours */
	put_revoked(a, 2, SVMA_REASON_CPU_ACCESS);
	ck_assert_int_eq(svma_dispatch(dev), 2);
	ck_assert_int_eq(seen.dispatch_in_handler, -EBUSY);
	ck_assert_int_eq(seen.release_in_handler, 0);
	ck_assert_int_eq(seen.revocations, 1);
	ck_assert_int_eq(seen.others, 1);
	ck_assert_uint_eq(dev->nranges, 0);
}
END_TEST

START_TEST(test_reentrant_reacquire)
{
	struct svma_range *a = acquire(16);	/* cookie 16: re-acquire */

	ck_assert_int_eq(svma_set_revoke_handler(dev, reentrant, &seen), 0);
	put_revoked(a, 1, SVMA_REASON_CPU_ACCESS);
	ck_assert_int_eq(svma_dispatch(dev), 1);
	ck_assert_int_eq(seen.reacquire_in_handler, 0);
	ck_assert_int_eq(svma_range_is_revoked(a), 0);
	ck_assert_uint_eq(svma_range_seqno(a), 1);
	/* after the handler returns, dispatch works again */
	put_revoked(a, 2, SVMA_REASON_CPU_ACCESS);
	ck_assert_int_eq(svma_dispatch(dev), 1);
}
END_TEST

START_TEST(test_reentrant_acquire)
{
	struct svma_range *a = acquire(17);	/* cookie 17: acquire */
	struct svma_range *b;

	ck_assert_int_eq(svma_set_revoke_handler(dev, reentrant, &seen), 0);
	put_revoked(a, 1, SVMA_REASON_CPU_ACCESS);
	ck_assert_int_eq(svma_dispatch(dev), 1);
	b = seen.acquired_in_handler;
	ck_assert_ptr_nonnull(b);
	ck_assert_ptr_eq(svma_ranges_find(dev, svma_range_handle(b)), b);
}
END_TEST

/* ---- a handler that closes the device -------------------------------- */

static void closing_handler(struct svma_range *range,
			    const struct svma_revocation *rev, void *data)
{
	on_revoke(range, rev, data);
	svma_device_close(svma_range_device(range));
}

static void closing_fallback(uint32_t type, const void *event, size_t length,
			     void *data)
{
	on_other(type, event, length, data);
	svma_device_close(dev);
}

/*
 * svma_device_close() from a handler: the ranges are released and the fd
 * closed at once, and svma_dispatch() stops, frees the device when it
 * returns and reports what it handled. It used to go on parsing the
 * buffer it had just freed (valgrind and ASan see any access).
 */
START_TEST(test_close_from_handler)
{
	struct svma_range *a = acquire(16), *b = acquire(32);

	ck_assert_int_eq(svma_set_revoke_handler(dev, closing_handler, &seen),
			 0);
	put_revoked(a, 1, SVMA_REASON_CPU_ACCESS);
	put_revoked(b, 1, SVMA_REASON_CPU_ACCESS);
	put_revoked(a, 2, SVMA_REASON_CPU_ACCESS);
	ck_assert_int_eq(svma_dispatch(dev), 1);
	ck_assert_int_eq(seen.revocations, 1);
	ck_assert_int_eq(seen.others, 0);
	ck_assert_int_eq(mock_calls(DRM_SVM_IOCTL_RELEASE), 2);
	ck_assert_int_eq(fcntl(fds[0], F_GETFD), -1);
	dev = NULL;	/* freed: not for teardown */
}
END_TEST

START_TEST(test_close_from_fallback)
{
	struct svma_range *a = acquire(16);
	struct other_event o;

	ck_assert_int_eq(svma_set_event_fallback(dev, closing_fallback, &seen),
			 0);
	make_other(&o, 0x01);
	put(&o, sizeof(o));
	put_revoked(a, 1, SVMA_REASON_CPU_ACCESS);
	ck_assert_int_eq(svma_dispatch(dev), 1);
	ck_assert_int_eq(seen.others, 1);
	ck_assert_int_eq(seen.revocations, 0);
	ck_assert_int_eq(mock_calls(DRM_SVM_IOCTL_RELEASE), 1);
	dev = NULL;
}
END_TEST

/* Closed from the handler of the last event read: the same. */
START_TEST(test_close_from_last_handler)
{
	struct svma_range *a = acquire(16);

	ck_assert_int_eq(svma_set_revoke_handler(dev, closing_handler, &seen),
			 0);
	put_revoked(a, 1, SVMA_REASON_CPU_ACCESS);
	ck_assert_int_eq(svma_dispatch(dev), 1);
	ck_assert_int_eq(seen.revocations, 1);
	dev = NULL;
}
END_TEST

/* ---- the device's fd and signals ----------------------------------------- */

/* The device's fd closed behind the library's back. */
START_TEST(test_fd_closed)
{
	struct svma_event_buffer *buf;

	ck_assert_int_eq(svma_event_buffer_new(4, &buf), 0);
	ck_assert_int_eq(close(svma_device_fd(dev)), 0);
	ck_assert_int_eq(svma_device_dispatch(dev), -EBADF);
	ck_assert_int_eq(svma_device_read_events(dev, buf, 4), -EBADF);
	ck_assert_int_eq(svma_device_wait(dev, 0), -EBADF);
	ck_assert_int_eq(svma_device_wait(dev, -1), -EBADF);
	svma_event_buffer_free(buf);
}
END_TEST

static void on_alarm(int sig)
{
	(void)sig;
}

/*
 * A signal whose handler does not ask for restarts ends a wait. The
 * timer repeats, so that a signal that came before the wait began is
 * followed by one that comes during it.
 */
START_TEST(test_wait_interrupted)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	struct itimerval it = {
		.it_value = { .tv_usec = 20000 },
		.it_interval = { .tv_usec = 20000 },
	};
	struct itimerval off = { 0 };

	ck_assert_int_eq(sigaction(SIGALRM, &sa, NULL), 0);
	ck_assert_int_eq(setitimer(ITIMER_REAL, &it, NULL), 0);
	ck_assert_int_eq(svma_device_wait(dev, -1), -EINTR);
	/* and with a timeout */
	ck_assert_int_eq(svma_device_wait(dev, 10 * 1000000000ll), -EINTR);
	ck_assert_int_eq(setitimer(ITIMER_REAL, &off, NULL), 0);
	sa.sa_handler = SIG_DFL;
	ck_assert_int_eq(sigaction(SIGALRM, &sa, NULL), 0);
}
END_TEST

/*
 * A child of a raw clone(), which runs no pthread_atfork() handler, is
 * refused all the same after the parent's calls (lib/self.c): the
 * library must not take it for the parent.
 */
START_TEST(test_raw_clone_child_refused)
{
	uint8_t st[1];
	int status;
	pid_t pid;

	ck_assert_int_eq(svma_device_wait(dev, 0), 0);
	pid = (pid_t)syscall(SYS_clone, SIGCHLD, NULL, NULL, NULL, NULL);
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		int ok = svma_device_wait(dev, 0) == -EPERM &&
			 svma_device_dispatch(dev) == -EPERM &&
			 svma_device_query(dev, (void *)(uintptr_t)TEST_PAGE,
					   TEST_PAGE, st, 1) == -EPERM;

		_exit(ok ? 0 : 1);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), 0);
	/* and the parent is still the owner */
	ck_assert_int_eq(svma_device_wait(dev, 0), 0);
	ck_assert_int_eq(mock_calls(DRM_SVM_IOCTL_QUERY), 0);
}
END_TEST

/* ---- events pulled into a buffer (0.3) -------------------------------- */

START_TEST(test_buffer_args)
{
	struct svma_event_buffer *buf = (void *)1;

	ck_assert_int_eq(svma_event_buffer_new(0, &buf), -EINVAL);
	ck_assert_ptr_null(buf);
	ck_assert_int_eq(svma_event_buffer_new(4097, &buf), -EINVAL);
	ck_assert_int_eq(svma_event_buffer_new(4, NULL), -EINVAL);
	ck_assert_int_eq(svma_event_buffer_new(4, &buf), 0);
	ck_assert_uint_eq(svma_event_buffer_capacity(buf), 4);
	ck_assert_uint_eq(svma_event_buffer_count(buf), 0);
	ck_assert_ptr_null(svma_event_buffer_get(buf, 0));
	ck_assert_int_eq(svma_device_read_events(NULL, buf, 4), -EINVAL);
	ck_assert_int_eq(svma_device_read_events(dev, NULL, 4), -EINVAL);
	ck_assert_int_eq(svma_device_read_events(dev, buf, 0), -EINVAL);
	/* nothing pending */
	ck_assert_int_eq(svma_device_read_events(dev, buf, 4), 0);
	svma_event_buffer_free(buf);
	svma_event_buffer_free(NULL);
	ck_assert_uint_eq(svma_event_buffer_capacity(NULL), 0);
	ck_assert_uint_eq(svma_event_buffer_count(NULL), 0);
	ck_assert_ptr_null(svma_event_buffer_get(NULL, 0));
	ck_assert_ptr_null(svma_event_range(NULL));
	ck_assert_uint_eq(svma_event_cookie(NULL), 0);
	ck_assert_ptr_null(svma_event_addr(NULL));
	ck_assert_uint_eq(svma_event_length(NULL), 0);
	ck_assert_uint_eq(svma_event_reasons(NULL), 0);
	ck_assert_uint_eq(svma_event_seqno(NULL), 0);
	ck_assert_uint_eq(svma_event_coalesced(NULL), 0);
	ck_assert_int_eq(svma_event_is_stale(NULL), 0);
}
END_TEST

/* Every getter, a gap, a stale event, and the range's state after. */
START_TEST(test_buffer_fields)
{
	struct svma_range *a = acquire(16), *b = acquire(32);
	struct svma_event_buffer *buf;
	const struct svma_event *ev;

	ck_assert_int_eq(svma_event_buffer_new(8, &buf), 0);
	put_revoked(a, 1, SVMA_REASON_CPU_ACCESS);	/* stale, below */
	put_revoked(b, 3, SVMA_REASON_UNMAP | SVMA_REASON_PROTECTION);
	mock.seqno = 1;
	ck_assert_int_eq(svma_range_reacquire(a, 0, NULL, 0), 0);

	ck_assert_int_eq(svma_device_read_events(dev, buf, 8), 2);
	ck_assert_uint_eq(svma_event_buffer_count(buf), 2);
	ev = svma_event_buffer_get(buf, 0);
	ck_assert_ptr_eq(svma_event_range(ev), a);
	ck_assert_uint_eq(svma_event_cookie(ev), 16);
	ck_assert_ptr_eq(svma_event_addr(ev), svma_range_addr(a));
	ck_assert_uint_eq(svma_event_length(ev), TEST_PAGE);
	ck_assert_uint_eq(svma_event_reasons(ev), SVMA_REASON_CPU_ACCESS);
	ck_assert_uint_eq(svma_event_seqno(ev), 1);
	ck_assert_uint_eq(svma_event_coalesced(ev), 0);
	ck_assert_int_eq(svma_event_is_stale(ev), 1);
	ck_assert_int_eq(svma_range_is_revoked(a), 0);

	ev = svma_event_buffer_get(buf, 1);
	ck_assert_ptr_eq(svma_event_range(ev), b);
	ck_assert_uint_eq(svma_event_cookie(ev), 32);
	ck_assert_uint_eq(svma_event_reasons(ev),
			  SVMA_REASON_UNMAP | SVMA_REASON_PROTECTION);
	ck_assert_uint_eq(svma_event_seqno(ev), 3);
	ck_assert_uint_eq(svma_event_coalesced(ev), 2);
	ck_assert_int_eq(svma_event_is_stale(ev), 0);
	ck_assert_int_eq(svma_range_is_revoked(b), 1);
	ck_assert_uint_eq(svma_range_seqno(b), 3);
	ck_assert_ptr_null(svma_event_buffer_get(buf, 2));
	/* no handler ran */
	ck_assert_int_eq(seen.revocations, 0);

	/* the next read drops the previous events */
	ck_assert_int_eq(svma_device_read_events(dev, buf, 8), 0);
	ck_assert_uint_eq(svma_event_buffer_count(buf), 0);
	svma_event_buffer_free(buf);
}
END_TEST

/* At most @max, at most the capacity, one read: the rest stays queued. */
START_TEST(test_buffer_bounded)
{
	struct svma_range *a = acquire(16);
	struct svma_event_buffer *buf;
	uint32_t seqno;
	int n, total = 0;

	ck_assert_int_eq(svma_event_buffer_new(4, &buf), 0);
	for (seqno = 1; seqno <= 10; seqno++)
		put_revoked(a, seqno, SVMA_REASON_CPU_ACCESS);
	ck_assert_int_eq(svma_device_read_events(dev, buf, 3), 3);
	ck_assert_uint_eq(svma_event_seqno(svma_event_buffer_get(buf, 2)), 3);
	ck_assert_int_eq(svma_device_read_events(dev, buf, 100), 4);
	total = 7;
	while ((n = svma_device_read_events(dev, buf, 4)) > 0)
		total += n;
	ck_assert_int_eq(n, 0);
	ck_assert_int_eq(total, 10);
	ck_assert_uint_eq(svma_range_seqno(a), 10);
	svma_event_buffer_free(buf);
}
END_TEST

/* An event that names no range of the device is nothing to report. */
START_TEST(test_buffer_skips_unknown_range)
{
	struct svma_range *a = acquire(16);
	struct svma_event_buffer *buf;
	struct drm_svm_event_revoked ev;

	ck_assert_int_eq(svma_event_buffer_new(4, &buf), 0);
	make_revoked(&ev, a, 1, SVMA_REASON_CPU_ACCESS);
	ev.handle += 1000;
	put(&ev, sizeof(ev));
	put_revoked(a, 1, SVMA_REASON_FORK);
	ck_assert_int_eq(svma_device_read_events(dev, buf, 4), 1);
	ck_assert_uint_eq(svma_event_reasons(svma_event_buffer_get(buf, 0)),
			  SVMA_REASON_FORK);
	svma_event_buffer_free(buf);
}
END_TEST

static int child_pulls_nothing(void)
{
	struct svma_event_buffer *buf;
	int ret;

	if (svma_event_buffer_new(4, &buf))
		return 2;
	ret = svma_device_read_events(dev, buf, 4);
	svma_event_buffer_free(buf);
	return ret == -EPERM ? 0 : 1;
}

/* A malformed stream fails a pull as it fails a dispatch, for good. */
START_TEST(test_buffer_malformed)
{
	struct svma_range *a = acquire(16);
	struct drm_svm_event bad = { .type = 1, .size = 4 };
	struct svma_event_buffer *buf;

	ck_assert_int_eq(svma_event_buffer_new(4, &buf), 0);
	put_revoked(a, 1, SVMA_REASON_CPU_ACCESS);
	put(&bad, sizeof(bad));
	put_revoked(a, 2, SVMA_REASON_CPU_ACCESS);
	/* what came before is read; then the stream is dead for good */
	ck_assert_int_eq(svma_device_read_events(dev, buf, 4), 1);
	ck_assert_int_eq(svma_device_read_events(dev, buf, 4), -EBADMSG);
	ck_assert_uint_eq(svma_event_buffer_count(buf), 0);
	ck_assert_int_eq(svma_device_read_events(dev, buf, 4), -EBADMSG);
	ck_assert_int_eq(svma_device_dispatch(dev), -EBADMSG);
	svma_event_buffer_free(buf);
}
END_TEST

/*
 * An event larger than the room a pull asked for: a context's read()
 * fails with EINVAL and keeps it queued. So does inotify's, whose events
 * grow with the file name: it stands in for a context here.
 */
START_TEST(test_buffer_oversized)
{
	char dir[] = "/tmp/svma-test-XXXXXX", path[512];
	struct svma_event_buffer *buf;
	struct svma_device *idev;
	int ifd, fd;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	ifd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	ck_assert_int_ge(ifd, 0);
	ck_assert_int_ge(inotify_add_watch(ifd, dir, IN_CREATE), 0);
	idev = mock_device(ifd);
	/* an inotify event of 16 bytes and a 256-byte name */
	snprintf(path, sizeof(path), "%s/%0255d", dir, 0);
	fd = open(path, O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
	ck_assert_int_ge(fd, 0);
	close(fd);

	ck_assert_int_eq(svma_event_buffer_new(1, &buf), 0);
	ck_assert_int_eq(svma_device_read_events(idev, buf, 1), -EMSGSIZE);
	ck_assert_int_eq(svma_device_read_events(idev, buf, 1), -EMSGSIZE);
	ck_assert_int_eq(svma_device_wait(idev, 0), 1);
	svma_event_buffer_free(buf);
	svma_device_close(idev);
	ck_assert_int_eq(unlink(path), 0);
	ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

START_TEST(test_buffer_stream_ended)
{
	struct svma_event_buffer *buf;

	ck_assert_int_eq(svma_event_buffer_new(4, &buf), 0);
	close(fds[1]);
	fds[1] = -1;
	ck_assert_int_eq(svma_device_read_events(dev, buf, 4), -EPIPE);
	svma_event_buffer_free(buf);
}
END_TEST

static struct svma_event_buffer *handler_buf;
static int read_in_handler;

static void on_revoke_read(struct svma_range *range,
			   const struct svma_revocation *rev, void *data)
{
	(void)range;
	(void)rev;
	(void)data;
	read_in_handler = svma_device_read_events(dev, handler_buf, 4);
}

/*
 * Pulling while a dispatch is under way: from its handler, or with part
 * of an event the dispatch read still buffered. Both -EBUSY, and the
 * event is not lost: the dispatch that holds it delivers it.
 */
START_TEST(test_buffer_busy)
{
	struct svma_range *a = acquire(16);
	struct drm_svm_event_revoked ev;

	ck_assert_int_eq(svma_event_buffer_new(4, &handler_buf), 0);
	ck_assert_int_eq(svma_set_revoke_handler(dev, on_revoke_read, NULL), 0);
	put_revoked(a, 1, SVMA_REASON_CPU_ACCESS);
	ck_assert_int_eq(svma_device_dispatch(dev), 1);
	ck_assert_int_eq(read_in_handler, -EBUSY);

	make_revoked(&ev, a, 2, SVMA_REASON_CPU_ACCESS);
	put(&ev, 10);
	ck_assert_int_eq(svma_device_dispatch(dev), 0);
	ck_assert_int_eq(svma_device_read_events(dev, handler_buf, 4), -EBUSY);
	put((const char *)&ev + 10, sizeof(ev) - 10);
	ck_assert_int_eq(svma_set_revoke_handler(dev, on_revoke, &seen), 0);
	ck_assert_int_eq(svma_device_dispatch(dev), 1);
	ck_assert_int_eq(seen.revocations, 1);
	ck_assert_uint_eq(seen.rev[0].seqno, 2);
	svma_event_buffer_free(handler_buf);
}
END_TEST

/*
 * Out of memory: a buffer not made, or a read that cannot make room, and
 * the event still there for the next read.
 */
START_TEST(test_buffer_out_of_memory)
{
	struct svma_event_buffer *buf = (struct svma_event_buffer *)&buf;
	struct svma_range *a = acquire(16);
	unsigned int n, failures = 0;
	int ret;

	for (n = 1; ; n++) {
		ck_assert_uint_lt(n, 100);
		test_fail_nth_alloc(n);
		ret = svma_event_buffer_new(4, &buf);
		test_fail_nth_alloc(0);
		if (!ret)
			break;
		ck_assert_int_eq(ret, -ENOMEM);
		ck_assert_ptr_null(buf);
		failures++;
	}
	ck_assert_uint_gt(failures, 0);

	put_revoked(a, 1, SVMA_REASON_CPU_ACCESS);
	test_fail_nth_alloc(1);
	ret = svma_device_read_events(dev, buf, 4);
	test_fail_nth_alloc(0);
	ck_assert_int_eq(ret, -ENOMEM);
	ck_assert_int_eq(svma_device_read_events(dev, buf, 4), 1);
	ck_assert_uint_eq(svma_event_seqno(svma_event_buffer_get(buf, 0)), 1);
	svma_event_buffer_free(buf);
}
END_TEST

START_TEST(test_buffer_fork_child)
{
	struct svma_range *a = acquire(16);
	struct svma_event_buffer *buf;

	put_revoked(a, 1, SVMA_REASON_FORK);
	ck_assert_int_eq(in_child(child_pulls_nothing), 0);
	ck_assert_int_eq(svma_event_buffer_new(4, &buf), 0);
	ck_assert_int_eq(svma_device_read_events(dev, buf, 4), 1);
	svma_event_buffer_free(buf);
}
END_TEST

/*
 * The fork contract holds for every call (issue 24): in a child, each call
 * that would reach the kernel fails with -EPERM before it does (the mock
 * counts no ioctl), the accessors answer from the child's copy, and the
 * parent's ranges are untouched.
 */
static struct svma_range *fork_range;

/* The number of the first check that fails (1 on), 0 when none does. */
static int child_every_call_refused(void)
{
	struct svma_acquire_config *cfg;
	struct svma_range *r = NULL;
	uint8_t st[4];
	int ok[12], i;

	mock_reset();
	if (svma_acquire_config_new(&cfg))
		return 100;
	ok[0] = svma_range_acquire(dev, (void *)(uintptr_t)(64 * TEST_PAGE),
				   TEST_PAGE, 0, 0, NULL, 0, &r) == -EPERM;
	ok[1] = svma_device_acquire(dev, (void *)(uintptr_t)(64 * TEST_PAGE),
				    TEST_PAGE, cfg, &r) == -EPERM;
	ok[2] = svma_range_reacquire(fork_range, 0, NULL, 0) == -EPERM;
	ok[3] = svma_range_set_hold(fork_range, 0) == -EPERM;
	ok[4] = svma_device_query(dev, svma_range_addr(fork_range), TEST_PAGE,
				  st, sizeof(st)) == -EPERM;
	ok[5] = svma_range_query(fork_range, st, sizeof(st)) == -EPERM;
	/* the accessors: the child's copy of what the parent had */
	ok[6] = svma_range_cookie(fork_range) == 16;
	ok[7] = svma_range_device(fork_range) == dev;
	ok[8] = svma_range_pages_exclusive(fork_range) == 4;
	ok[9] = svma_device_fd(dev) == fds[0];
	/* refused, and nothing freed: the range is still there after */
	ok[10] = svma_range_release(fork_range, 0) == -EPERM &&
		 svma_range_cookie(fork_range) == 16;
	/* none of it reached the kernel */
	ok[11] = mock_calls(DRM_SVM_IOCTL_ACQUIRE) +
		 mock_calls(DRM_SVM_IOCTL_REACQUIRE) +
		 mock_calls(DRM_SVM_IOCTL_RELEASE) +
		 mock_calls(DRM_SVM_IOCTL_QUERY) +
		 mock_calls(DRM_SVM_IOCTL_SET_HOLD) +
		 mock_calls(DRM_SVM_IOCTL_INFO) == 0;
	svma_acquire_config_free(cfg);
	/* and closing the device in the child releases nothing either */
	svma_device_close(dev);
	if (mock_calls(DRM_SVM_IOCTL_RELEASE))
		return 13;
	for (i = 0; i < 12; i++)
		if (!ok[i])
			return i + 1;
	return 0;
}

START_TEST(test_fork_every_call_refused)
{
	fork_range = acquire(16);
	ck_assert_int_eq(in_child(child_every_call_refused), 0);
	/* the parent's range is as it was, and still works */
	ck_assert_uint_eq(svma_range_cookie(fork_range), 16);
	ck_assert_int_eq(svma_range_reacquire(fork_range, 0, NULL, 0), 0);
	ck_assert_int_eq(svma_range_release(fork_range, 0), 0);
}
END_TEST

Suite *suite_events(void)
{
	Suite *s = suite_create("events");
	TCase *tc = tcase_create("stream");
	TCase *re = tcase_create("reentrancy");
	TCase *pr = tcase_create("processes");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_nothing_pending);
	tcase_add_test(tc, test_whole);
	tcase_add_loop_test(tc, test_split, 1,
			    2 * sizeof(struct drm_svm_event_revoked));
	tcase_add_test(tc, test_byte_by_byte);
	tcase_add_test(tc, test_many_events);
	tcase_add_test(tc, test_unknown_without_fallback);
	tcase_add_test(tc, test_minimal_and_long_unknown);
	tcase_add_test(tc, test_stale_events);
	tcase_add_test(tc, test_short_and_long_revoked);
	tcase_add_test(tc, test_sequence_gap);
	tcase_add_test(tc, test_stale_after_reacquire);
	tcase_add_test(tc, test_stale_without_handler);
	tcase_add_test(tc, test_acquire_seqno);
	tcase_add_test(tc, test_gap_after_reacquire);
	tcase_add_test(tc, test_first_event_gap);
	tcase_add_test(tc, test_seqno_wraps);
	tcase_add_test(tc, test_truncated_at_eof);
	tcase_add_test(tc, test_truncated_header_at_eof);
	tcase_add_test(tc, test_zero_read);
	tcase_add_test(tc, test_zero_read_not_sticky);
	tcase_add_test(tc, test_length_too_small);
	tcase_add_test(tc, test_oversized);
	tcase_add_test(tc, test_no_revoke_handler);
	tcase_add_test(tc, test_buffer_args);
	tcase_add_test(tc, test_buffer_fields);
	tcase_add_test(tc, test_buffer_bounded);
	tcase_add_test(tc, test_buffer_skips_unknown_range);
	tcase_add_test(tc, test_buffer_malformed);
	tcase_add_test(tc, test_buffer_oversized);
	tcase_add_test(tc, test_buffer_stream_ended);
	tcase_add_test(tc, test_buffer_busy);
	tcase_add_test(tc, test_buffer_out_of_memory);
	tcase_add_test(tc, test_fd_closed);
	tcase_add_test(tc, test_wait_interrupted);
	tcase_add_test(tc, test_raw_clone_child_refused);
	suite_add_tcase(s, tc);

	tcase_add_checked_fixture(pr, setup, teardown);
	tcase_add_test(pr, test_fork_child_reads_nothing);
	tcase_add_test(pr, test_fork_after_query);
	tcase_add_test(pr, test_fork_before_use);
	tcase_add_test(pr, test_buffer_fork_child);
	tcase_add_test(pr, test_fork_every_call_refused);
	suite_add_tcase(s, pr);

	tcase_add_checked_fixture(re, setup, teardown);
	tcase_add_test(re, test_reentrant_release);
	tcase_add_test(re, test_reentrant_reacquire);
	tcase_add_test(re, test_reentrant_acquire);
	tcase_add_test(re, test_close_from_handler);
	tcase_add_test(re, test_close_from_fallback);
	tcase_add_test(re, test_close_from_last_handler);
	suite_add_tcase(s, re);
	return s;
}
