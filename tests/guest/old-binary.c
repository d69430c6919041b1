// SPDX-License-Identifier: MIT
/*
 * A program as built against libsvmatomic 0.2: compiled with 0.2's header
 * (tests/abi/0.2/svmatomic.h, as released), linked against today's
 * library, run on today's kernel. Everything 0.2 offered must still work
 * for it: open, acquire, query, hold time, an event through the handler
 * with 0.2's struct svma_revocation, 0.2's struct svma_device_info, and
 * the device fd to poll. Exits 0 when it does, 1 with a message when not.
 *
 * Copyright 2026 The svmatomic authors
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <svmatomic.h>

#if SVMA_VERSION_MAJOR != 0 || SVMA_VERSION_MINOR != 2
#error "built against the wrong header: this program stands for a 0.2 one"
#endif

static int events;
static struct svma_revocation last;

static void on_revoke(struct svma_range *range,
		      const struct svma_revocation *rev, void *data)
{
	(void)range;
	(void)data;
	events++;
	last = *rev;
}

#define CHECK(cond) do {						\
	if (!(cond)) {							\
		printf("FAIL: %s (line %d)\n", #cond, __LINE__);	\
		return 1;						\
	}								\
} while (0)

int main(void)
{
	struct pollfd pfd = { .events = POLLIN };
	struct svma_device_info info;
	struct svma_device *dev;
	struct svma_range *range;
	long ps = sysconf(_SC_PAGESIZE);
	volatile char *page;
	uint8_t state;
	int i, ret;

	ret = svma_device_open_first(0, &dev);
	if (ret) {
		printf("FAIL: open: %s\n", svma_strerror(ret));
		return 1;
	}
	CHECK(svma_check_version(0, 2, 0) == 1);
	CHECK(svma_probe_fd(-1) == -EBADF);
	CHECK(svma_set_revoke_handler(dev, on_revoke, NULL) == 0);

	/* 0.2's struct, at 0.2's size: nothing written past it */
	memset(&info, 0xa5, sizeof(info));
	CHECK(svma_device_get_info(dev, &info, sizeof(info)) == 0);
	CHECK(info.uapi_version >= 3);
	CHECK(info.page_size == (uint32_t)ps);
	CHECK(info.ranges == 0);
	/* 0 on a kernel without hold times (7.3's series) */
	CHECK(info.max_hold_us <= 100000);
	CHECK(info.reserved == 0);

	page = mmap(NULL, (size_t)ps, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(page != MAP_FAILED);
	page[0] = 1;
	CHECK(svma_range_acquire(dev, (void *)page, (size_t)ps, 77, 0, NULL, 0,
				 &range) == 0);
	CHECK(svma_range_pages_exclusive(range) == 1);
	CHECK(svma_range_cookie(range) == 77);
	CHECK(svma_query(dev, (void *)page, (size_t)ps, &state, 1) == 0);
	CHECK(state & SVMA_PAGE_HELD);
	CHECK(svma_range_set_hold(range, 0) == 0);
	CHECK(svma_range_hold(range) == 0);
	CHECK(svma_device_get_info(dev, &info, sizeof(info)) == 0);
	CHECK(info.ranges == 1);

	/* the CPU takes the page back: an event, on the fd 0.2 polled */
	page[0] = 2;
	pfd.fd = svma_device_fd(dev);
	CHECK(pfd.fd >= 0);
	for (i = 0; i < 100 && !events; i++) {
		CHECK(poll(&pfd, 1, 100) >= 0);
		CHECK(svma_dispatch(dev) >= 0);
	}
	CHECK(events == 1);
	CHECK(last.addr == (void *)page);
	CHECK(last.length == (uint64_t)ps);
	CHECK(last.reasons == SVMA_REASON_CPU_ACCESS);
	CHECK(last.seqno == 1);
	CHECK(last.coalesced == 0);
	CHECK(last.flags == 0);
	CHECK(svma_range_is_revoked(range) == 1);
	CHECK(svma_wait(dev, 0) == 0);

	CHECK(svma_range_reacquire(range, 0, NULL, 0) == 0);
	CHECK(svma_range_is_revoked(range) == 0);
	CHECK(svma_range_release(range, 0) == 0);
	CHECK(page[0] == 2);
	svma_device_close(dev);
	printf("a program built against libsvmatomic 0.2 works with %s\n",
	       svma_version_string());
	return 0;
}
