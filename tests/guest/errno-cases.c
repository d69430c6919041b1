// SPDX-License-Identifier: MIT
/*
 * The errors of opening a device that the guest suite cannot provoke from
 * inside one process as it runs: out of memory at every allocation, no
 * file descriptor left, a node the caller may not open, and, under
 * tests/lib's preload shim, a kernel
 * whose context creation fails or one that reports nonsense. Each case is a run
 * of this program, named by its argument, from programs-in-guest.sh (the
 * shim's variables are set there). It is linked with errno-trace.c, so
 * what the calls returned also reaches errno-coverage.test.
 *
 * Exits 0 when the case behaved as documented, 1 with a message when
 * not, 77 when the guest cannot run it.
 *
 * Copyright 2026 The svmatomic authors
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <grp.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <xf86drm.h>

#include <svmatomic.h>

#define FAIL(...) do {							\
	printf("FAIL: " __VA_ARGS__);					\
	printf("\n");							\
	exit(1);							\
} while (0)

/*
 * Allocation failures, one at a time: the executable's malloc(),
 * calloc() and realloc() are the ones libsvmatomic.so (and libdrm) bind
 * to, so every allocation of a call passes here. When @fail_at is n, the
 * nth allocation from now fails with ENOMEM; the others go to glibc.
 */
void *__libc_malloc(size_t size);
void *__libc_calloc(size_t n, size_t size);
void *__libc_realloc(void *p, size_t size);

static unsigned int fail_at;
static unsigned int allocs;

static int alloc_fails(void)
{
	if (!fail_at || ++allocs != fail_at)
		return 0;
	errno = ENOMEM;
	return 1;
}

void *malloc(size_t size)
{
	return alloc_fails() ? NULL : __libc_malloc(size);
}

void *calloc(size_t n, size_t size)
{
	return alloc_fails() ? NULL : __libc_calloc(n, size);
}

void *realloc(void *p, size_t size)
{
	return alloc_fails() ? NULL : __libc_realloc(p, size);
}

static void fail_nth_alloc(unsigned int n)
{
	allocs = 0;
	fail_at = n;
}

/*
 * The render node of the vsvm device, found without libsvmatomic (whose
 * answers the shim changes): the caller frees it.
 */
static char *vsvm_node(void)
{
	drmVersionPtr version;
	char path[64];
	int i, fd, found;

	for (i = 128; i < 192; i++) {
		snprintf(path, sizeof(path), "%s/renderD%d", DRM_DIR_NAME, i);
		fd = open(path, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			continue;
		version = drmGetVersion(fd);
		found = version && version->name &&
			!strcmp(version->name, "vsvm");
		drmFreeVersion(version);
		close(fd);
		if (found)
			return strdup(path);
	}
	printf("SKIP: no vsvm render node under %s\n", DRM_DIR_NAME);
	exit(77);
}

/*
 * Every allocation of an open fails in turn: each failure is -ENOMEM
 * (never a crash, a hang or another errno) and leaves no device, until
 * the open has more allocations than it fails and succeeds.
 */
static int case_alloc(const char *path)
{
	unsigned int n, failures = 0;
	struct svma_device *dev;
	int ret, fd;

#if defined(__SANITIZE_ADDRESS__)
	/* The library would free with ASan's free() what glibc allocated. */
	printf("SKIP: built with ASan, whose free() glibc's malloc() cannot meet\n");
	exit(77);
#endif

	for (n = 1; n < 1000; n++) {
		dev = (struct svma_device *)&dev;
		fail_nth_alloc(n);
		ret = svma_device_open(path, 0, &dev);
		fail_nth_alloc(0);
		if (ret == 0) {
			svma_device_close(dev);
			break;
		}
		if (ret != -ENOMEM)
			FAIL("open with allocation %u failing: %s, expected -ENOMEM",
			     n, svma_strerror(ret));
		if (dev)
			FAIL("a failed open left *devp set");
		failures++;
	}
	if (n == 1000)
		FAIL("open still fails after 1000 allocations");
	if (!failures)
		FAIL("no allocation of the open failed: the injection does not reach the library");

	/* adopt: the caller keeps its fd whatever happens */
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		FAIL("open %s: %s", path, strerror(errno));
	for (n = 1; n < 1000; n++) {
		dev = (struct svma_device *)&dev;
		fail_nth_alloc(n);
		ret = svma_device_adopt(fd, 0, &dev);
		fail_nth_alloc(0);
		if (ret == 0) {
			svma_device_close(dev);
			break;
		}
		if (ret != -ENOMEM)
			FAIL("adopt with allocation %u failing: %s, expected -ENOMEM",
			     n, svma_strerror(ret));
		if (dev)
			FAIL("a failed adopt left *devp set");
		if (fcntl(fd, F_GETFD) < 0)
			FAIL("a failed adopt closed the caller's fd");
	}
	if (n == 1000 || n == 1)
		FAIL("adopt: %s allocation failed", n == 1 ? "no" : "every");
	close(fd);
	printf("open failed with -ENOMEM at each of its first %u allocations, then succeeded; adopt too\n",
	       failures);
	return 0;
}

/* Fills every free descriptor slot. */
static void fill_fds(void)
{
	while (open("/dev/null", O_RDONLY | O_CLOEXEC) >= 0)
		;
	if (errno != EMFILE)
		FAIL("filling the fd table: %s", strerror(errno));
}

/*
 * No descriptor left: with none, the node cannot be opened; with one,
 * the node can but the context cannot. Both -EMFILE, and probe too.
 */
static int case_emfile(const char *path)
{
	struct rlimit lim = { .rlim_cur = 64, .rlim_max = 64 };
	struct svma_device *dev;
	int drm, last, ret;

	if (setrlimit(RLIMIT_NOFILE, &lim))
		FAIL("setrlimit: %s", strerror(errno));
	drm = open(path, O_RDWR | O_CLOEXEC);
	if (drm < 0)
		FAIL("open %s: %s", path, strerror(errno));
	fill_fds();

	ret = svma_device_probe(drm);
	if (ret != -EMFILE)
		FAIL("probe with no fd left: %s, expected -EMFILE",
		     svma_strerror(ret));
	ret = svma_device_open(path, 0, &dev);
	if (ret != -EMFILE)
		FAIL("open with no fd left: %s, expected -EMFILE",
		     svma_strerror(ret));

	/* one slot: the DRM node opens, its context does not */
	last = dup(2);
	if (last >= 0)
		FAIL("the fd table is not full");
	close(drm);
	ret = svma_device_open(path, 0, &dev);
	if (ret != -EMFILE)
		FAIL("open with one fd left: %s, expected -EMFILE",
		     svma_strerror(ret));
	/* and the node's fd was closed again: the slot is free */
	last = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (last < 0)
		FAIL("the failed open kept the node's fd");
	printf("open and probe fail with -EMFILE when no fd is left\n");
	return 0;
}

/*
 * A node the caller may not open: a copy of the vsvm node, root's alone
 * (0600, on the guest's tmpfs), opened by a child that dropped to
 * nobody. -EACCES from open; the child's own fds show nothing leaked.
 */
static int case_eacces(const char *path)
{
	char copy[] = "/tmp/svma-eacces-XXXXXX";
	struct svma_device *dev;
	struct stat st;
	int status, ret, fd;
	pid_t pid;

	if (getuid() != 0) {
		printf("SKIP: needs root, to make the node and drop from it\n");
		exit(77);
	}
	if (stat(path, &st))
		FAIL("stat %s: %s", path, strerror(errno));
	fd = mkstemp(copy);
	if (fd < 0)
		FAIL("mkstemp: %s", strerror(errno));
	close(fd);
	unlink(copy);
	if (mknod(copy, S_IFCHR | 0600, st.st_rdev))
		FAIL("mknod %s: %s", copy, strerror(errno));

	pid = fork();
	if (pid < 0)
		FAIL("fork: %s", strerror(errno));
	if (pid == 0) {
		if (setgroups(0, NULL) || setgid(65534) || setuid(65534))
			FAIL("dropping to nobody: %s", strerror(errno));
		dev = (struct svma_device *)&dev;
		ret = svma_device_open(copy, 0, &dev);
		if (ret != -EACCES || dev)
			FAIL("open as nobody: %s, expected -EACCES",
			     svma_strerror(ret));
		_exit(0);
	}
	if (waitpid(pid, &status, 0) != pid)
		FAIL("waitpid: %s", strerror(errno));
	unlink(copy);
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		exit(1);
	printf("a node the caller may not open: -EACCES\n");
	return 0;
}

/*
 * Under the preload shim, the context creation failing as a kernel can
 * make it fail (SVMA_SHIM_CONTEXT_ERRNO, set here call by call): EINVAL
 * or ENOTTY are a kernel or driver without it, and read as -EOPNOTSUPP;
 * the fd limits and memory come through as they are.
 */
static int case_context_errors(const char *path)
{
	static const struct {
		int kernel, want;
	} cases[] = {
		{ EINVAL, -EOPNOTSUPP }, { ENOTTY, -EOPNOTSUPP },
		{ ENOMEM, -ENOMEM }, { ENFILE, -ENFILE }, { EMFILE, -EMFILE },
	};
	struct svma_device *dev;
	char value[16];
	unsigned int i;
	int fd, ret;

	if (!getenv("LD_PRELOAD"))
		FAIL("run this case under the preload shim");
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		FAIL("open %s: %s", path, strerror(errno));
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(value, sizeof(value), "%d", cases[i].kernel);
		setenv("SVMA_SHIM_CONTEXT_ERRNO", value, 1);
		ret = svma_device_probe(fd);
		if (ret != cases[i].want)
			FAIL("probe, the kernel saying %s: %s, expected %s",
			     strerrorname_np(cases[i].kernel),
			     svma_strerror(ret), svma_strerror(cases[i].want));
		dev = (struct svma_device *)&dev;
		ret = svma_device_open(path, 0, &dev);
		if (ret != cases[i].want || dev)
			FAIL("open, the kernel saying %s: %s, expected %s",
			     strerrorname_np(cases[i].kernel),
			     svma_strerror(ret), svma_strerror(cases[i].want));
		ret = svma_device_adopt(fd, 0, &dev);
		if (ret != cases[i].want)
			FAIL("adopt, the kernel saying %s: %s, expected %s",
			     strerrorname_np(cases[i].kernel),
			     svma_strerror(ret), svma_strerror(cases[i].want));
		if (fcntl(fd, F_GETFD) < 0)
			FAIL("a failed adopt closed the caller's fd");
	}
	/* No node offers SVM (the guest has no other): none is capable. */
	setenv("SVMA_SHIM_CONTEXT_ERRNO", "22", 1);
	ret = svma_device_open_first(0, &dev);
	if (ret != -EOPNOTSUPP)
		FAIL("open_first: %s, expected -EOPNOTSUPP", svma_strerror(ret));
	unsetenv("SVMA_SHIM_CONTEXT_ERRNO");
	if (svma_device_probe(fd) <= 0)
		FAIL("probe after the shim let go: no device");
	close(fd);
	printf("the context creation failing: probe, open, adopt and open_first say so\n");
	return 0;
}

/* Under SVMA_SHIM_EVENT_SIZE=1: a kernel reporting a nonsense size. */
static int case_bad_info(const char *path)
{
	struct svma_device *dev = (struct svma_device *)&dev;
	int fd, ret;

	if (!getenv("SVMA_SHIM_EVENT_SIZE"))
		FAIL("run this case under the shim, SVMA_SHIM_EVENT_SIZE=1");
	ret = svma_device_open(path, 0, &dev);
	if (ret != -EPROTO || dev)
		FAIL("open: %s, expected -EPROTO and no device",
		     svma_strerror(ret));
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		FAIL("open %s: %s", path, strerror(errno));
	ret = svma_device_adopt(fd, 0, &dev);
	if (ret != -EPROTO)
		FAIL("adopt: %s, expected -EPROTO", svma_strerror(ret));
	if (fcntl(fd, F_GETFD) < 0)
		FAIL("a failed adopt closed the caller's fd");
	close(fd);
	printf("an event size the library cannot read: -EPROTO from open and adopt\n");
	return 0;
}

int main(int argc, char **argv)
{
	char *path;
	int ret;

	setvbuf(stdout, NULL, _IONBF, 0);
	if (argc != 2) {
		fprintf(stderr, "usage: %s alloc|eacces|emfile|context-errors|bad-info\n",
			argv[0]);
		return 2;
	}
	path = vsvm_node();
	if (!strcmp(argv[1], "alloc"))
		ret = case_alloc(path);
	else if (!strcmp(argv[1], "eacces"))
		ret = case_eacces(path);
	else if (!strcmp(argv[1], "emfile"))
		ret = case_emfile(path);
	else if (!strcmp(argv[1], "context-errors"))
		ret = case_context_errors(path);
	else if (!strcmp(argv[1], "bad-info"))
		ret = case_bad_info(path);
	else
		FAIL("unknown case %s", argv[1]);
	free(path);
	return ret;
}
