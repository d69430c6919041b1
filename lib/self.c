// SPDX-License-Identifier: MIT
/*
 * Which process this is, without a system call on every library call.
 *
 * Every call that would reach the kernel first checks that its caller is
 * the process that opened the device (the fork contract, svmatomic(7)).
 * getpid() is a system call each time (glibc caches nothing since 2.25):
 * under emulation about a microsecond, more than all the rest the library
 * adds to a call. So the pid is kept in a page the kernel wipes in a fork
 * child (MADV_WIPEONFORK, Linux 4.14): a child finds 0 there and asks the
 * kernel again. That sees every fork, a raw clone() without CLONE_VM
 * (which runs no pthread_atfork() handler) included; a child sharing the
 * parent's memory (vfork(), CLONE_VM) must not call the library anyway.
 * Without such a page (an old kernel, no memory), getpid() every time.
 *
 * Copyright 2026 The svmatomic authors
 */
#include <pthread.h>
#include <sys/mman.h>
#include <unistd.h>

#include "internal.h"

/* The cached pid, 0 in a fork child; NULL when there is no such page. */
static int *self_page;
static pthread_once_t self_once = PTHREAD_ONCE_INIT;

static void self_init(void)
{
	size_t size = (size_t)sysconf(_SC_PAGESIZE);
	void *p;

	p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return;
	if (madvise(p, size, MADV_WIPEONFORK)) {
		munmap(p, size);
		return;
	}
	self_page = p;
}

int svma_self_pid(void)
{
	int pid;

	pthread_once(&self_once, self_init);
	if (!self_page)
		return (int)getpid();
	/* Threads race to store the same value: relaxed is enough. */
	pid = __atomic_load_n(self_page, __ATOMIC_RELAXED);
	if (pid == 0) {
		pid = (int)getpid();
		__atomic_store_n(self_page, pid, __ATOMIC_RELAXED);
	}
	return pid;
}
