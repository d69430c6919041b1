// SPDX-License-Identifier: MIT
/*
 * Keep a buffer exclusive: when access is revoked, re-acquire it with
 * exponential backoff, as a device whose work must resume would. Uses
 * epoll, as an application with other fds would.
 *
 * Copyright 2026 The svmatomic authors
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <svmatomic.h>

static void sleep_ns(long ns)
{
	struct timespec ts = { ns / 1000000000, ns % 1000000000 };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* Re-acquire; -EBUSY and -EAGAIN are transient, anything else is final. */
static int reacquire(struct svma_range *range)
{
	long delay = 1000;	/* 1 us, doubling up to 10 ms */
	int ret, tries;

	for (tries = 0; tries < 20; tries++) {
		ret = svma_range_reacquire(range, 0, NULL, 0);
		if (ret != -EBUSY && ret != -EAGAIN)
			return ret;
		sleep_ns(delay);
		if (delay < 10000000)
			delay *= 2;
	}
	return ret;
}

static void on_revoke(struct svma_range *range,
		      const struct svma_revocation *rev, void *user_data)
{
	int *revoked = user_data;
	uint32_t bit;

	/* sent before our last re-acquire, which took the pages back */
	if (rev->flags & SVMA_REVOCATION_STALE)
		return;
	/* reasons is a mask: svma_reason_string() names one bit */
	printf("revoked (");
	for (bit = 1; bit; bit <<= 1)
		if (rev->reasons & bit)
			printf("%s%s", svma_reason_string(bit),
			       rev->reasons & ~((bit << 1) - 1) ? ", " : "");
	printf("%s), seqno %u\n", rev->coalesced ? "; and more" : "",
	       rev->seqno);
	/* svma_device_dispatch() may not be called from here: defer the work */
	(void)range;
	*revoked = 1;
}

int main(void)
{
	size_t len = 4 * (size_t)sysconf(_SC_PAGESIZE);
	struct epoll_event ev = { .events = EPOLLIN }, out;
	struct svma_device *dev;
	struct svma_range *range;
	int ep, ret, revoked = 0, rounds = 0;
	char *buf;

	ret = svma_device_open_first(0, &dev);
	if (ret) {
		fprintf(stderr, "no capable device: %s\n", svma_strerror(ret));
		return 1;
	}
	svma_device_set_revoke_handler(dev, on_revoke, &revoked);
	buf = mmap(NULL, len, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED) {
		svma_device_close(dev);
		return 1;
	}
	memset(buf, 0, len);
	ret = svma_range_acquire(dev, buf, len, 0, 0, NULL, 0, &range);
	if (ret) {
		fprintf(stderr, "acquire: %s\n", svma_strerror(ret));
		goto out;
	}

	ep = epoll_create1(EPOLL_CLOEXEC);
	if (ep < 0) {
		ret = -errno;
		perror("epoll_create1");
		goto out;
	}
	ev.data.fd = svma_device_fd(dev);
	if (epoll_ctl(ep, EPOLL_CTL_ADD, ev.data.fd, &ev)) {
		ret = -errno;
		perror("epoll_ctl");
		close(ep);
		goto out;
	}

	while (rounds < 3) {
		buf[0]++;	/* the CPU takes page 0 back: revocation */
		if (epoll_wait(ep, &out, 1, 5000) != 1)
			break;
		ret = svma_device_dispatch(dev);
		if (ret < 0)
			break;
		if (revoked) {
			revoked = 0;
			ret = reacquire(range);
			printf("re-acquire: %s\n", svma_strerror(ret));
			if (ret)
				break;
			rounds++;
		}
	}
	close(ep);
out:
	svma_device_close(dev);
	munmap(buf, len);
	return ret < 0;
}
