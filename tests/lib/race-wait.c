// SPDX-License-Identifier: MIT
/*
 * svma_wait() is MT-safe: one thread waits while another dispatches and
 * runs into a broken stream (which sets the device's sticky stream
 * error). Built and run under ThreadSanitizer by tsan.sh; any data race
 * fails it.
 *
 * Copyright 2026 The svmatomic authors
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "internal.h"
#include "uapi/drm/drm_svm.h"

static struct svma_device *dev;
static int done;
static int waits;

static int no_ioctl(int fd, unsigned long request, void *arg)
{
	(void)fd;
	(void)request;
	(void)arg;
	return -ENOTTY;
}

static void *waiter(void *arg)
{
	(void)arg;
	while (!__atomic_load_n(&done, __ATOMIC_ACQUIRE)) {
		if (svma_wait(dev, 0) < 0)
			abort();
		__atomic_fetch_add(&waits, 1, __ATOMIC_RELAXED);
	}
	return NULL;
}

/* Relaxed, so that the counting orders nothing between the threads. */
static void wait_for_waits(int n)
{
	int start = __atomic_load_n(&waits, __ATOMIC_RELAXED);

	while (__atomic_load_n(&waits, __ATOMIC_RELAXED) - start < n)
		usleep(100);
}

int main(void)
{
	struct drm_svm_event bad = { .type = 1, .size = 4 };
	pthread_t t;
	int p[2], ret;

	if (pipe(p) || svma_device_create(p[0], true, 1, 4096, no_ioctl, &dev))
		return 99;
	if (pthread_create(&t, NULL, waiter, NULL))
		return 99;
	wait_for_waits(100);
	/* a length below the header's: the stream error is set */
	if (write(p[1], &bad, sizeof(bad)) != (ssize_t)sizeof(bad))
		return 99;
	ret = svma_dispatch(dev);
	wait_for_waits(100);
	__atomic_store_n(&done, 1, __ATOMIC_RELEASE);
	pthread_join(t, NULL);
	if (ret != -EBADMSG || svma_wait(dev, 0) != 1) {
		fprintf(stderr, "dispatch %d, wait %d\n", ret, svma_wait(dev, 0));
		return 1;
	}
	svma_device_close(dev);
	close(p[1]);
	printf("no data race between svma_wait() and svma_dispatch()\n");
	return 0;
}
