// SPDX-License-Identifier: MIT
/*
 * Acquire a buffer, then wait for revocations with poll() and handle them
 * in the same thread. Run it, then touch the buffer from another thread
 * or process to see an event.
 *
 * Copyright 2026 The svmatomic authors
 */
#include <errno.h>
#include <poll.h>
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
	printf("\n");
	(*events)++;
}

int main(void)
{
	size_t len = 16 * (size_t)sysconf(_SC_PAGESIZE);
	struct svma_device *dev;
	struct svma_range *range;
	struct pollfd pfd;
	int ret, events = 0;
	void *buf;

	ret = svma_device_open_first(0, &dev);
	if (ret) {
		fprintf(stderr, "no capable device: %s\n", svma_strerror(ret));
		return 1;
	}
	svma_set_revoke_handler(dev, on_revoke, &events);

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
		ret = svma_dispatch(dev);
		if (ret < 0) {
			fprintf(stderr, "dispatch: %s\n", svma_strerror(ret));
			break;
		}
	}
	svma_range_release(range, 0);
out:
	svma_device_close(dev);
	munmap(buf, len);
	return ret < 0;
}
