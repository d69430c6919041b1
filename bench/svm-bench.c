// SPDX-License-Identifier: MIT
/*
 * svm-bench: what device-exclusive SVM costs per page, against kernel
 * operations of comparable work measured in the same guest boot, for
 * THP never and always (issue 9). Runs in the guest (bench/run boots
 * it); bench/README says what each metric and its anchor are.
 *
 * Nothing here asserts a timing. The exit status is 0 when everything
 * that could be measured was (an operation the kernel refuses, such as
 * test_hmm's EXCLUSIVE of a THP range failing with EBUSY, is a finding,
 * printed in the table), 77 when there is no vsvm device, and 1 for a
 * broken setup or a measurement that failed in a way it should not.
 *
 * Copyright 2026 The svmatomic authors
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <svmatomic.h>
#include "vsvm-helpers.h"

#include "bench.h"
#include "hmm-dmirror.h"

#define EXIT_SKIP	77

static const uint64_t default_sizes[] = { 16, 256, 4096, 65536, 262144 };

static void usage(int status)
{
	fprintf(status ? stderr : stdout,
		"Usage: svm-bench [options]\n"
		"  -s, --sizes LIST    pages per range, comma-separated (default 16,256,4096,65536,262144)\n"
		"  -r, --reps N        repetitions of each measurement, 1..%d (default 5)\n"
		"  -n, --samples N     revocation latency samples (default 1000)\n"
		"  -t, --thp LIST      THP modes, of never,always (default both)\n"
		"  -c, --csv FILE      also write the results as CSV to FILE\n"
		"  -h, --help\n"
		"Prints a table per THP mode on stdout, progress on stderr.\n"
		"Must run as root in the guest: it switches transparent_hugepage/enabled.\n",
		BENCH_MAX_REPS);
	exit(status);
}

static unsigned long parse_num(const char *s, unsigned long max,
			       const char *what)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || !v || v > max) {
		fprintf(stderr, "svm-bench: bad %s '%s' (1..%lu)\n", what, s,
			max);
		exit(1);
	}
	return v;
}

static void parse_sizes(struct bench *b, char *list)
{
	char *tok, *save = NULL;

	b->nsizes = 0;
	for (tok = strtok_r(list, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		if (b->nsizes == BENCH_MAX_SIZES) {
			fprintf(stderr, "svm-bench: at most %d sizes\n",
				BENCH_MAX_SIZES);
			exit(1);
		}
		/* 4 GiB of pages: the helper's per-file limit. */
		b->sizes[b->nsizes++] = parse_num(tok, 1UL << 20, "size");
	}
	if (!b->nsizes)
		usage(1);
}

static void parse_thp(struct bench *b, char *list)
{
	char *tok, *save = NULL;

	b->run_mode[THP_NEVER] = b->run_mode[THP_ALWAYS] = false;
	for (tok = strtok_r(list, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		if (!strcmp(tok, "never"))
			b->run_mode[THP_NEVER] = true;
		else if (!strcmp(tok, "always"))
			b->run_mode[THP_ALWAYS] = true;
		else
			usage(1);
	}
}

/* "Linux 6.12.x, 2 CPUs (model), N MiB": for the table's header. */
static void describe_guest(struct bench *b)
{
	char line[256], model[128] = "unknown CPU";
	unsigned long mem_kib = 0;
	struct utsname un;
	FILE *f;

	f = fopen("/proc/cpuinfo", "r");
	while (f && fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':');

		if (!strncmp(line, "model name", 10) && colon) {
			snprintf(model, sizeof(model), "%s", colon + 2);
			model[strcspn(model, "\n")] = '\0';
			break;
		}
	}
	if (f)
		fclose(f);
	f = fopen("/proc/meminfo", "r");
	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "MemTotal: %lu kB", &mem_kib) == 1)
			break;
	if (f)
		fclose(f);
	if (uname(&un))
		memset(&un, 0, sizeof(un));
	snprintf(b->guest, sizeof(b->guest),
		 "%s %s, %ld CPUs (%s), %lu MiB", un.sysname, un.release,
		 sysconf(_SC_NPROCESSORS_ONLN), model, mem_kib / 1024);
}

/* Whether test_hmm is there to anchor against; its absence is no error. */
static void probe_hmm(struct bench *b)
{
	int fd = bench_dmirror_open();

	if (fd >= 0) {
		close(fd);
		b->hmm_path = BENCH_DMIRROR_PATH " (test_hmm)";
		return;
	}
	b->hmm_why = fd == -ENOENT ?
		"no " BENCH_DMIRROR_PATH " (CONFIG_TEST_HMM): no test_hmm anchors" :
		"cannot open " BENCH_DMIRROR_PATH ": no test_hmm anchors";
}

/* Every measurement of one THP mode. Returns 0, or -1 for a broken setup. */
static int run_mode(struct bench *b, enum bench_thp mode)
{
	uint64_t start = bench_now();
	unsigned int rep, si;
	int ret;

	ret = bench_thp_set(bench_thp_name[mode]);
	if (ret == -ENOENT && mode == THP_NEVER) {
		/* No THP at all is THP never. */
		ret = 0;
	} else if (ret == -ENOENT) {
		b->run_mode[mode] = false;
		b->mode_why[mode] = "the kernel has no transparent hugepages";
		return 0;
	}
	if (ret) {
		bench_log("cannot set THP %s: %s (run as root)",
			  bench_thp_name[mode], strerror(-ret));
		return -1;
	}

	bench_log("THP %s: revocation latency, %u samples",
		  bench_thp_name[mode], b->samples);
	bench_latency(b, mode);
	bench_log("THP %s: one-page library and raw calls",
		  bench_thp_name[mode]);
	bench_lib_calls(b, mode);
	bench_log("THP %s: vsvm atomic throughput", bench_thp_name[mode]);
	if (bench_atomics(b, mode))
		return -1;
	/*
	 * Repetitions outside, sizes inside: a burst of noise from the
	 * shared host then spoils one repetition of every size, which the
	 * median drops, rather than every repetition of one size.
	 */
	for (rep = 0; rep < b->reps; rep++) {
		for (si = 0; si < b->nsizes; si++) {
			bench_log("THP %s: repetition %u/%u, %llu pages (%.0f s)",
				  bench_thp_name[mode], rep + 1, b->reps,
				  (unsigned long long)b->sizes[si],
				  (double)(bench_now() - start) / 1e9);
			if (bench_pages(b, mode, si, rep))
				return -1;
		}
	}
	b->mode_seconds[mode] = (double)(bench_now() - start) / 1e9;
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "sizes", required_argument, NULL, 's' },
		{ "reps", required_argument, NULL, 'r' },
		{ "samples", required_argument, NULL, 'n' },
		{ "thp", required_argument, NULL, 't' },
		{ "csv", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *csv = NULL;
	uint32_t version = 0;
	char thp_before[32] = "";
	uint64_t max_pages = 0;
	struct bench *b;
	unsigned int i;
	int opt, ret, status = 1;
	FILE *f;

	b = calloc(1, sizeof(*b));
	if (!b) {
		perror("svm-bench");
		return 1;
	}
	b->reps = 5;
	b->samples = 1000;
	b->nsizes = sizeof(default_sizes) / sizeof(default_sizes[0]);
	memcpy(b->sizes, default_sizes, sizeof(default_sizes));
	b->run_mode[THP_NEVER] = b->run_mode[THP_ALWAYS] = true;
	while ((opt = getopt_long(argc, argv, "s:r:n:t:c:h", opts, NULL)) != -1) {
		switch (opt) {
		case 's':
			parse_sizes(b, optarg);
			break;
		case 'r':
			b->reps = parse_num(optarg, BENCH_MAX_REPS, "repetitions");
			break;
		case 'n':
			b->samples = parse_num(optarg, BENCH_MAX_SAMPLES, "samples");
			break;
		case 't':
			parse_thp(b, optarg);
			break;
		case 'c':
			csv = optarg;
			break;
		case 'h':
			usage(0);
			break;
		default:
			usage(1);
		}
	}
	if (optind != argc)
		usage(1);
	b->page = (size_t)sysconf(_SC_PAGESIZE);

	b->fd = bench_open_vsvm(b->path, sizeof(b->path));
	if (b->fd < 0) {
		bench_log("SKIP: no vsvm render node under /dev/dri");
		free(b);
		return EXIT_SKIP;
	}
	/* The uAPI version this benchmark was built for, or a skip. */
	b->ctx = vsvm_context_create(b->fd, DRM_SVM_CONTEXT_NONBLOCK, &version);
	if (b->ctx < 0 || version != DRM_SVM_UAPI_VERSION) {
		bench_log("SKIP: %s creates no SVM context of uAPI version %d (%s)",
			  b->path, DRM_SVM_UAPI_VERSION,
			  b->ctx < 0 ? strerror(-b->ctx) : "another version");
		status = EXIT_SKIP;
		goto out_ctx;
	}
	close(b->ctx);
	b->ctx = -1;
	ret = svma_device_adopt(b->fd, 0, &b->dev);
	if (ret < 0) {
		bench_log("svma_device_adopt(%s): %s", b->path,
			  svma_strerror(ret));
		goto out_ctx;
	}
	/*
	 * The raw ioctls go to the library's context (non-blocking, as
	 * bench_drain_fd() wants), with handles of their own: a query
	 * through the library then reads pages a raw acquire holds as the
	 * context's own, as the raw query does, and the two compare the
	 * same kernel work. A context of its own would make the library's
	 * query look at another context's pages, a slower path.
	 */
	b->ctx = svma_device_fd(b->dev);

	for (i = 0; i < b->nsizes; i++)
		if (b->sizes[i] > max_pages)
			max_pages = b->sizes[i];
	b->states = malloc(max_pages);
	if (!b->states) {
		bench_log("no memory for %llu page states",
			  (unsigned long long)max_pages);
		goto out_dev;
	}
	/* Touched now, so that no timed copy into it faults. */
	memset(b->states, 0, max_pages);
	describe_guest(b);
	probe_hmm(b);
	setvbuf(stderr, NULL, _IOLBF, 0);
	bench_log("%s; %s", b->guest, b->path);

	ret = bench_thp_get(thp_before, sizeof(thp_before));
	if (ret && ret != -ENOENT) {
		bench_log("cannot read the THP mode: %s", strerror(-ret));
		goto out_states;
	}
	for (i = 0; i < THP_MODES; i++) {
		if (b->run_mode[i] && run_mode(b, i))
			goto out_thp;
	}

	bench_report_text(b, stdout);
	if (csv) {
		f = fopen(csv, "w");
		if (!f) {
			bench_log("%s: %s", csv, strerror(errno));
			goto out_thp;
		}
		bench_report_csv(b, f);
		if (fclose(f)) {
			bench_log("%s: %s", csv, strerror(errno));
			goto out_thp;
		}
	}
	if (b->errors)
		bench_log("%u measurements failed unexpectedly: see the notes",
			  b->errors);
	status = b->errors ? 1 : 0;
out_thp:
	if (thp_before[0] && bench_thp_set(thp_before))
		bench_log("could not set THP back to %s", thp_before);
out_states:
	free(b->states);
out_dev:
	/* b->ctx is the library's: it goes with the device. */
	svma_device_close(b->dev);
	b->ctx = -1;
out_ctx:
	if (b->ctx >= 0)
		close(b->ctx);
	close(b->fd);
	free(b);
	return status;
}
