// SPDX-License-Identifier: MIT
/*
 * The 0.3 way: acquire with an options object (the hold time set by the
 * acquire itself), then pull revocation events into a buffer the program
 * owns and read each through its getters, no handler involved. The
 * program touches its pages one by one, and takes each back as it hears
 * of it: a range has one event armed at a time, re-armed by the
 * re-acquire.
 *
 * Copyright 2026 The svmatomic authors
 */
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <svmatomic.h>

#define NPAGES		16
#define TOUCHED		4	/* pages the program takes back itself */
#define HOLD_US		100	/* the device keeps a page this long at least */

static void print_event(const struct svma_event *ev, const char *buf,
			size_t pgsz)
{
	printf("range %llu: page %zu revoked (seqno %u, %s)%s\n",
	       (unsigned long long)svma_event_cookie(ev),
	       (size_t)((const char *)svma_event_addr(ev) - buf) / pgsz,
	       svma_event_seqno(ev),
	       svma_reason_string(svma_event_reasons(ev)),
	       svma_event_is_stale(ev) ? ", stale" : "");
}

int main(void)
{
	size_t pgsz = (size_t)sysconf(_SC_PAGESIZE), len = NPAGES * pgsz;
	struct svma_acquire_config *cfg = NULL;
	struct svma_event_buffer *events = NULL;
	struct svma_range *range = NULL;
	struct svma_device_info info;
	struct svma_device *dev;
	uint32_t hold = HOLD_US;
	int i, j, n, ret, seen = 0;
	uint8_t held[NPAGES / 8];
	char *buf;

	ret = svma_device_open_first(0, &dev);
	if (ret) {
		fprintf(stderr, "no capable device: %s\n", svma_strerror(ret));
		return 1;
	}
	/* A kernel without hold times reports a maximum of 0: do without. */
	if (svma_device_get_info(dev, &info, sizeof(info)) == 0 &&
	    info.max_hold_us < hold)
		hold = info.max_hold_us;
	buf = mmap(NULL, len, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED) {
		perror("mmap");
		svma_device_close(dev);
		return 1;
	}
	memset(buf, 0, len);	/* populate before acquiring */

	/* Every option in one object; the acquire reads it and keeps none. */
	ret = svma_acquire_config_new(&cfg);
	if (!ret)
		ret = svma_acquire_config_set_cookie(cfg, 42);
	if (!ret)
		ret = svma_acquire_config_set_hold(cfg, hold);
	if (!ret)
		ret = svma_acquire_config_set_bitmap(cfg, held, sizeof(held));
	if (!ret)
		ret = svma_device_acquire(dev, buf, len, cfg, &range);
	svma_acquire_config_free(cfg);
	if (ret) {
		fprintf(stderr, "acquire: %s\n", svma_strerror(ret));
		goto out;
	}
	printf("%llu pages exclusive, hold %u us\n",
	       (unsigned long long)svma_range_pages_exclusive(range),
	       svma_range_hold(range));

	ret = svma_event_buffer_new(8, &events);
	if (ret) {
		fprintf(stderr, "event buffer: %s\n", svma_strerror(ret));
		goto release;
	}
	for (i = 0; i < TOUCHED && ret >= 0; i++) {
		/* The CPU takes a page back (it waits out the hold time)... */
		((volatile char *)buf)[(size_t)(i * 3) * pgsz]++;
		ret = svma_device_wait(dev, 1000 * 1000 * 1000);
		if (ret <= 0) {
			printf("%s\n", ret ? svma_strerror(ret) : "no event in 1 s");
			ret = -1;
			break;
		}
		/* ...and the program hears of it, from its own buffer. */
		ret = n = svma_device_read_events(dev, events, 8);
		if (n < 0) {
			fprintf(stderr, "read events: %s\n", svma_strerror(n));
			break;
		}
		for (j = 0; j < n; j++)
			print_event(svma_event_buffer_get(events, (size_t)j),
				    buf, pgsz);
		seen += n;
		/* It takes the page back, as a device about to use it would. */
		ret = svma_range_reacquire(range, 0, NULL, 0);
		if (ret)
			fprintf(stderr, "re-acquire: %s\n", svma_strerror(ret));
	}
	svma_event_buffer_free(events);
release:
	svma_range_release(range, 0);
out:
	svma_device_close(dev);
	munmap(buf, len);
	return ret < 0 || seen < TOUCHED;
}
