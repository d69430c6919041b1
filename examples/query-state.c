// SPDX-License-Identifier: MIT
/*
 * Print the per-page state of a buffer before and after acquiring it.
 *
 * Copyright 2026 The svmatomic authors
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <svmatomic.h>

#define PAGES 8

static void show(struct svma_device *dev, const char *when, void *buf,
		 size_t len)
{
	static const struct {
		uint8_t bit;
		char c;
	} legend[] = {
		{ SVMA_PAGE_PRESENT, 'p' }, { SVMA_PAGE_WRITABLE, 'w' },
		{ SVMA_PAGE_EXCLUSIVE, 'x' }, { SVMA_PAGE_HELD, 'h' },
		{ SVMA_PAGE_REVOKED, 'r' },
	};
	uint8_t states[PAGES];
	size_t i, j;
	int ret;

	ret = svma_device_query(dev, buf, len, states, sizeof(states));
	if (ret) {
		fprintf(stderr, "query: %s\n", svma_strerror(ret));
		return;
	}
	printf("%-8s", when);
	for (i = 0; i < PAGES; i++) {
		putchar(' ');
		for (j = 0; j < sizeof(legend) / sizeof(legend[0]); j++)
			putchar(states[i] & legend[j].bit ? legend[j].c : '-');
	}
	putchar('\n');
}

int main(void)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE), len = PAGES * page;
	struct svma_device *dev;
	struct svma_range *range;
	char *buf;
	int ret;

	ret = svma_device_open_first(0, &dev);
	if (ret) {
		fprintf(stderr, "no capable device: %s\n", svma_strerror(ret));
		return 1;
	}
	buf = mmap(NULL, len, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED) {
		perror("mmap");
		svma_device_close(dev);
		return 1;
	}

	show(dev, "mapped", buf, len);
	memset(buf, 1, len);
	show(dev, "touched", buf, len);
	ret = svma_range_acquire(dev, buf, len, 0, 0, NULL, 0, &range);
	if (ret) {
		fprintf(stderr, "acquire: %s\n", svma_strerror(ret));
	} else {
		show(dev, "acquired", buf, len);
		buf[3 * page] = 2;	/* the CPU takes page 3 back */
		show(dev, "CPU 3", buf, len);
		svma_range_release(range, 0);
		show(dev, "released", buf, len);
	}

	svma_device_close(dev);
	munmap(buf, len);
	return ret != 0;
}
