// SPDX-License-Identifier: MIT
/*
 * Acquire a buffer, then wait for revocations with poll() and handle them
 * in the same thread. Another thread of the process touches the buffer,
 * as the rest of an application would: that revokes the page and sends
 * the event. (The memory is private: no other process can touch it. A
 * forked child has its own copy, and the fork itself revokes every page,
 * with reason "fork".)
 *
 * Copyright 2026 The svmatomic authors
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <svmatomic.h>

static void print_reasons(uint32_t reasons)
{
	uint32_t bit;

	for (bit = 1; bit; bit <<= 1)
		if (reasons & bit)
			printf(" %s", svma_reason_string(bit));
}

static void on_revoke(struct svma_range *range,
		      const struct svma_revocation *rev, void *user_data)
{
	int *events = user_data;

	printf("range %llu: %llu bytes at %p revoked (seqno %u):",
	       (unsigned long long)svma_range_cookie(range),
	       (unsigned long long)rev->length, rev->addr, rev->seqno);
	print_reasons(rev->reasons);
	if (rev->coalesced)
		printf("; %u more revocations since the last event",
		       rev->coalesced);
	if (rev->flags & SVMA_REVOCATION_STALE)
		printf(" (stale: sent before the last re-acquire)");
	printf("\n");
	(*events)++;
}

/* The rest of the program: a CPU access, a moment after the acquire. */
static void *toucher(void *addr)
{
	usleep(100 * 1000);
	((volatile char *)addr)[3 * sysconf(_SC_PAGESIZE)]++;
	return NULL;
}

int main(void)
{
	size_t len = 16 * (size_t)sysconf(_SC_PAGESIZE);
	struct svma_device *dev;
	struct svma_range *range;
	struct pollfd pfd;
	int ret, events = 0;
	pthread_t thread;
	void *buf;

	ret = svma_device_open_first(0, &dev);
	if (ret) {
		fprintf(stderr, "no capable device: %s\n", svma_strerror(ret));
		return 1;
	}
	svma_device_set_revoke_handler(dev, on_revoke, &events);

	buf = mmap(NULL, len, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED) {
		perror("mmap");
		svma_device_close(dev);
		return 1;
	}
	memset(buf, 0, len);	/* populate before acquiring */

	ret = svma_range_acquire(dev, buf, len, 1, 0, NULL, 0, &range);
	if (ret) {
		fprintf(stderr, "acquire: %s\n", svma_strerror(ret));
		goto out;
	}
	printf("%llu pages exclusive\n",
	       (unsigned long long)svma_range_pages_exclusive(range));
	if (pthread_create(&thread, NULL, toucher, buf)) {
		fprintf(stderr, "pthread_create failed\n");
		ret = -EAGAIN;
		goto release;
	}

	pfd.fd = svma_device_fd(dev);
	pfd.events = POLLIN;
	while (events < 1) {
		ret = poll(&pfd, 1, 10000);
		if (ret < 0 && errno == EINTR)
			continue;
		if (ret <= 0) {
			printf("%s\n", ret ? strerror(errno) : "no event in 10 s");
			break;
		}
		ret = svma_device_dispatch(dev);
		if (ret < 0) {
			fprintf(stderr, "dispatch: %s\n", svma_strerror(ret));
			break;
		}
	}
	pthread_join(thread, NULL);
release:
	svma_range_release(range, 0);
out:
	svma_device_close(dev);
	munmap(buf, len);
	return ret < 0 || events == 0;
}
