// SPDX-License-Identifier: MIT
/*
 * svm-bench's output: a plain text table per THP mode, and a CSV with
 * one row per measurement and per ratio.
 *
 * Copyright 2026 The svmatomic authors
 */
#include <stdio.h>
#include <string.h>

#include "bench.h"

const char *const bench_thp_name[THP_MODES] = { "never", "always" };

/* The CSV's names; bench/README describes each. */
const char *const bench_metric_name[M_PAGE_METRICS] = {
	[M_MPROTECT] = "mprotect",
	[M_HMM_EXCLUSIVE] = "hmm_exclusive",
	[M_ACQUIRE] = "acquire",
	[M_RELEASE_EAGER] = "release_eager",
	[M_RELEASE_LAZY] = "release_lazy",
	[M_MINOR_FAULT] = "minor_fault",
	[M_HMM_REVOKE] = "hmm_revoke_fault",
	[M_REVOKE] = "revoke_fault",
	[M_MINCORE] = "mincore",
	[M_HMM_SNAPSHOT] = "hmm_snapshot",
	[M_QUERY] = "query",
	[M_QUERY_CPU] = "query_not_held",
	[M_MINCORE_CPU] = "mincore_not_held",
	[M_LIB_ACQUIRE] = "lib_acquire",
	[M_LIB_RELEASE] = "lib_release",
	[M_LIB_QUERY] = "lib_query",
};

const char *const bench_atomic_name[A_METRICS] = {
	[A_ALONE_1] = "atomic_1_handle_alone",
	[A_CONTENDED_1] = "atomic_1_handle_contended",
	[A_ALONE_MANY] = "atomic_1024_handles_alone",
	[A_CONTENDED_MANY] = "atomic_1024_handles_contended",
	[A_CPU_1] = "cpu_adds_1_handle_contended",
	[A_CPU_MANY] = "cpu_adds_1024_handles_contended",
};

const char *const bench_latency_name[L_METRICS] = {
	[L_EVENT] = "revocation_event",
	[L_UFFD] = "uffd_wp_round_trip",
};

const char *const bench_libcall_name[LC_METRICS] = {
	[LC_RAW_ACQUIRE] = "call_acquire",
	[LC_LIB_ACQUIRE] = "call_lib_acquire",
	[LC_RAW_RELEASE] = "call_release",
	[LC_LIB_RELEASE] = "call_lib_release",
	[LC_RAW_QUERY] = "call_query",
	[LC_LIB_QUERY] = "call_lib_query",
	[LC_ADDED_ACQUIRE] = "call_lib_added_acquire",
	[LC_ADDED_RELEASE] = "call_lib_added_release",
	[LC_ADDED_QUERY] = "call_lib_added_query",
};

/* A cost against its anchor (or the library against the raw ioctl). */
struct ratio {
	const char *name;
	enum bench_metric num, den;
};

enum {
	R_ACQ_MPROTECT, R_ACQ_HMM, R_REV_HMM, R_REV_MINOR, R_QUERY_MINCORE,
	R_QUERY_SNAPSHOT, R_QUERY_CPU_MINCORE, R_LIB_ACQ, R_LIB_REL, R_LIB_QUERY, R_COUNT
};

static const struct ratio ratios[R_COUNT] = {
	[R_ACQ_MPROTECT] = { "acquire/mprotect", M_ACQUIRE, M_MPROTECT },
	[R_ACQ_HMM] = { "acquire/hmm_exclusive", M_ACQUIRE, M_HMM_EXCLUSIVE },
	[R_REV_HMM] = { "revoke_fault/hmm_revoke_fault", M_REVOKE,
			M_HMM_REVOKE },
	[R_REV_MINOR] = { "revoke_fault/minor_fault", M_REVOKE,
			  M_MINOR_FAULT },
	[R_QUERY_MINCORE] = { "query/mincore", M_QUERY, M_MINCORE },
	[R_QUERY_SNAPSHOT] = { "query/hmm_snapshot", M_QUERY,
			       M_HMM_SNAPSHOT },
	[R_QUERY_CPU_MINCORE] = { "query_not_held/mincore_not_held",
				  M_QUERY_CPU, M_MINCORE_CPU },
	[R_LIB_ACQ] = { "lib_acquire/acquire", M_LIB_ACQUIRE, M_ACQUIRE },
	[R_LIB_REL] = { "lib_release/release_eager", M_LIB_RELEASE,
			M_RELEASE_EAGER },
	[R_LIB_QUERY] = { "lib_query/query", M_LIB_QUERY, M_QUERY },
};

/* A table column: a metric's median, or a ratio of two (@ratio >= 0). */
struct column {
	const char *h1, *h2;
	int metric;
	int ratio;
};

#define VAL(m, a, b)	{ a, b, m, -1 }
#define RAT(r, a, b)	{ a, b, -1, r }

struct section {
	const char *title;
	unsigned int ncols;
	struct column cols[8];
};

static const struct section sections[] = {
	{ "Acquire and release, ns/page", 7, {
		VAL(M_MPROTECT, "mprotect", "PROT_NONE"),
		VAL(M_HMM_EXCLUSIVE, "test_hmm", "EXCLUSIVE"),
		VAL(M_ACQUIRE, "SVM", "ACQUIRE"),
		VAL(M_RELEASE_EAGER, "release", "eager"),
		VAL(M_RELEASE_LAZY, "release", "lazy"),
		RAT(R_ACQ_MPROTECT, "acquire/", "mprotect"),
		RAT(R_ACQ_HMM, "acquire/", "test_hmm"),
	} },
	{ "Revocation fault (a CPU write to each page), ns/page", 5, {
		VAL(M_MINOR_FAULT, "minor", "fault"),
		VAL(M_HMM_REVOKE, "test_hmm", "revoke"),
		VAL(M_REVOKE, "SVM", "revoke"),
		RAT(R_REV_HMM, "revoke/", "test_hmm"),
		RAT(R_REV_MINOR, "revoke/", "minor"),
	} },
	{ "Query of held pages, then of the same pages released, ns/page", 8, {
		VAL(M_MINCORE, "mincore", ""),
		VAL(M_HMM_SNAPSHOT, "test_hmm", "SNAPSHOT"),
		VAL(M_QUERY, "SVM", "QUERY"),
		RAT(R_QUERY_MINCORE, "query/", "mincore"),
		RAT(R_QUERY_SNAPSHOT, "query/", "snapshot"),
		VAL(M_QUERY_CPU, "QUERY", "released"),
		VAL(M_MINCORE_CPU, "mincore", "released"),
		RAT(R_QUERY_CPU_MINCORE, "released/", "mincore"),
	} },
	{ "The library against the raw ioctl, ns/page (two calls on different memory:\n"
	  "noisy; the target is checked per call below)",
	  6, {
		VAL(M_LIB_ACQUIRE, "svma", "acquire"),
		VAL(M_LIB_RELEASE, "svma", "release"),
		VAL(M_LIB_QUERY, "svma", "query"),
		RAT(R_LIB_ACQ, "lib/raw", "acquire"),
		RAT(R_LIB_REL, "lib/raw", "release"),
		RAT(R_LIB_QUERY, "lib/raw", "query"),
	} },
};

#define COLW	10

/* Few digits: the absolute values are noise beyond the third one. */
static void fmt_ns(char *buf, size_t len, double v)
{
	snprintf(buf, len, "%.*f", v < 10 ? 2 : v < 100 ? 1 : 0, v);
}

/* What a cell says when it has no value: the errno, or "-". */
static const char *no_value(const struct bench_samples *s)
{
	return s->failed ? bench_errname(s->err) : "-";
}

static const struct bench_samples *cell(const struct bench *b, int mode,
					enum bench_metric m, unsigned int si)
{
	return &b->pages[mode][m][si];
}

static bool ratio_of(const struct bench *b, int mode, int r, unsigned int si,
		     double *out)
{
	double num, den;

	if (!bench_median(cell(b, mode, ratios[r].num, si), &num) ||
	    !bench_median(cell(b, mode, ratios[r].den, si), &den) || den <= 0)
		return false;
	*out = num / den;
	return true;
}

static void print_section(const struct bench *b, int mode,
			  const struct section *sec, FILE *f)
{
	char buf[32];
	unsigned int c, si;
	double v;

	fprintf(f, "%s\n%7s", sec->title, "pages");
	for (c = 0; c < sec->ncols; c++)
		fprintf(f, "%*s", COLW, sec->cols[c].h1);
	fprintf(f, "\n%7s", "");
	for (c = 0; c < sec->ncols; c++)
		fprintf(f, "%*s", COLW, sec->cols[c].h2);
	fputc('\n', f);
	for (si = 0; si < b->nsizes; si++) {
		fprintf(f, "%7llu", (unsigned long long)b->sizes[si]);
		for (c = 0; c < sec->ncols; c++) {
			const struct column *col = &sec->cols[c];

			if (col->ratio >= 0) {
				if (ratio_of(b, mode, col->ratio, si, &v))
					snprintf(buf, sizeof(buf), "%.2f", v);
				else
					snprintf(buf, sizeof(buf), "-");
			} else {
				const struct bench_samples *s =
					cell(b, mode, col->metric, si);

				if (bench_median(s, &v))
					fmt_ns(buf, sizeof(buf), v);
				else
					snprintf(buf, sizeof(buf), "%s",
						 no_value(s));
			}
			fprintf(f, "%*s", COLW, buf);
		}
		fputc('\n', f);
	}
	fputc('\n', f);
}

/*
 * What the library adds to a call (libcall.c), and that set against the
 * raw call of N pages: the overhead the 5 % target is about.
 */
static const struct {
	const char *name;
	enum bench_libcall raw, lib, added;
	enum bench_metric per_page;	/* the raw call of N pages */
} libcalls[] = {
	{ "acquire", LC_RAW_ACQUIRE, LC_LIB_ACQUIRE, LC_ADDED_ACQUIRE,
	  M_ACQUIRE },
	{ "release", LC_RAW_RELEASE, LC_LIB_RELEASE, LC_ADDED_RELEASE,
	  M_RELEASE_EAGER },
	{ "query", LC_RAW_QUERY, LC_LIB_QUERY, LC_ADDED_QUERY, M_QUERY },
};

#define NLIBCALLS	(sizeof(libcalls) / sizeof(libcalls[0]))

static bool libcall_added(const struct bench *b, int mode, unsigned int i,
			  double *out)
{
	return bench_median(&b->libcall[mode][libcalls[i].added], out);
}

static bool libcall_share(const struct bench *b, int mode, unsigned int i,
			  unsigned int si, double *out)
{
	double added, per_page;

	if (!libcall_added(b, mode, i, &added) ||
	    !bench_median(cell(b, mode, libcalls[i].per_page, si),
			  &per_page) || per_page <= 0)
		return false;
	*out = added / (per_page * (double)b->sizes[si]);
	return true;
}

static void print_libcall(const struct bench *b, int mode, FILE *f)
{
	char raw[32], lib[32], added[32];
	unsigned int i, si;
	double v;

	fprintf(f, "The library per call: one-page calls, mean of %u, median of %u blocks, ns/call\n"
		   "(added: the median of each block's library less raw)\n",
		BENCH_LIBCALL_CALLS, BENCH_LIBCALL_BLOCKS);
	fprintf(f, "%-9s%10s%10s%10s\n", "call", "raw", "library", "added");
	for (i = 0; i < NLIBCALLS; i++) {
		const struct bench_samples *r = &b->libcall[mode][libcalls[i].raw];
		const struct bench_samples *l = &b->libcall[mode][libcalls[i].lib];

		if (bench_median(r, &v))
			fmt_ns(raw, sizeof(raw), v);
		else
			snprintf(raw, sizeof(raw), "%s", no_value(r));
		if (bench_median(l, &v))
			fmt_ns(lib, sizeof(lib), v);
		else
			snprintf(lib, sizeof(lib), "%s", no_value(l));
		if (libcall_added(b, mode, i, &v))
			snprintf(added, sizeof(added), "%.0f", v);
		else
			snprintf(added, sizeof(added), "-");
		fprintf(f, "%-9s%10s%10s%10s\n", libcalls[i].name, raw, lib,
			added);
	}
	fprintf(f, "\nWhat the library adds to a call, against the raw call of that many pages\n"
		   "(target: <= 0.05)\n%7s", "pages");
	for (i = 0; i < NLIBCALLS; i++)
		fprintf(f, "%*s", COLW, libcalls[i].name);
	fputc('\n', f);
	for (si = 0; si < b->nsizes; si++) {
		fprintf(f, "%7llu", (unsigned long long)b->sizes[si]);
		for (i = 0; i < NLIBCALLS; i++) {
			if (libcall_share(b, mode, i, si, &v))
				snprintf(added, sizeof(added), "%.3f", v);
			else
				snprintf(added, sizeof(added), "-");
			fprintf(f, "%*s", COLW, added);
		}
		fputc('\n', f);
	}
	fputc('\n', f);
}

static void print_latency(const struct bench *b, int mode, FILE *f)
{
	const struct bench_latency_result *ev = &b->lat[mode][L_EVENT];
	const struct bench_latency_result *uf = &b->lat[mode][L_UFFD];
	static const char *const label[L_METRICS] = {
		[L_EVENT] = "CPU write -> event read by a poll()ing thread",
		[L_UFFD] = "userfaultfd write-protect fault round trip",
	};
	unsigned int l;

	fprintf(f, "Revocation event latency, ns per event (%u samples)\n",
		b->samples);
	fprintf(f, "%-48s%*s%*s\n", "", COLW, "median", COLW, "p99");
	for (l = 0; l < L_METRICS; l++) {
		const struct bench_latency_result *r = &b->lat[mode][l];

		if (r->n)
			fprintf(f, "%-48s%*.0f%*.0f\n", label[l], COLW,
				r->median, COLW, r->p99);
		else
			fprintf(f, "%-48s  not measured: %s%s%s\n", label[l],
				r->why ? r->why : "?", r->err ? ": " : "",
				r->err ? bench_errname(r->err) : "");
	}
	if (ev->n && uf->n && uf->median > 0 && uf->p99 > 0)
		fprintf(f, "%-48s%*.2f%*.2f\n", "event/uffd", COLW,
			ev->median / uf->median, COLW, ev->p99 / uf->p99);
	fputc('\n', f);
}

static void fmt_rate(char *buf, size_t len, const struct bench_samples *s)
{
	double v;

	if (bench_median(s, &v))
		snprintf(buf, len, "%.0f", v);
	else
		snprintf(buf, len, "%s", no_value(s));
}

static void fmt_rate_ratio(char *buf, size_t len,
			   const struct bench_samples *num,
			   const struct bench_samples *den)
{
	double n, d;

	if (bench_median(num, &n) && bench_median(den, &d) && d > 0)
		snprintf(buf, len, "%.2f", n / d);
	else
		snprintf(buf, len, "-");
}

static void print_atomics(const struct bench *b, int mode, FILE *f)
{
	const struct bench_samples *s = b->atomics[mode];
	static const struct {
		const char *label;
		enum bench_atomic alone, contended, cpu;
	} rows[] = {
		{ "1 handle", A_ALONE_1, A_CONTENDED_1, A_CPU_1 },
		{ "1024 handles", A_ALONE_MANY, A_CONTENDED_MANY, A_CPU_MANY },
	};
	char a[32], c[32], r[32], u[32];
	unsigned int i;

	fprintf(f, "vsvm atomic throughput, device ops/s (batches of %u 8-byte adds on %u pages, %u ms runs)\n",
		b->atomic_batch, b->atomic_pages, b->atomic_run_ms);
	fprintf(f, "%-14s%*s%*s%*s%*s\n", "", 12, "alone", 12, "contended",
		12, "cont/alone", 14, "CPU adds/s");
	for (i = 0; i < 2; i++) {
		fmt_rate(a, sizeof(a), &s[rows[i].alone]);
		fmt_rate(c, sizeof(c), &s[rows[i].contended]);
		fmt_rate_ratio(r, sizeof(r), &s[rows[i].contended],
			       &s[rows[i].alone]);
		fmt_rate(u, sizeof(u), &s[rows[i].cpu]);
		fprintf(f, "%-14s%12s%12s%12s%14s\n", rows[i].label, a, c, r,
			u);
	}
	fmt_rate_ratio(a, sizeof(a), &s[A_ALONE_MANY], &s[A_ALONE_1]);
	fmt_rate_ratio(c, sizeof(c), &s[A_CONTENDED_MANY], &s[A_CONTENDED_1]);
	fprintf(f, "%-14s%12s%12s\n\n", "1024/1", a, c);
}

/* Every cell without a value, and why, so that none goes unexplained. */
static void print_notes(const struct bench *b, int mode, FILE *f)
{
	static const char *const atomic_label[A_METRICS] = {
		[A_ALONE_1] = "1 handle, alone",
		[A_CONTENDED_1] = "1 handle, contended",
		[A_ALONE_MANY] = "1024 handles, alone",
		[A_CONTENDED_MANY] = "1024 handles, contended",
		[A_CPU_1] = "CPU adds, 1 handle",
		[A_CPU_MANY] = "CPU adds, 1024 handles",
	};
	unsigned int m, si, a, notes = 0;

	for (m = 0; m < M_PAGE_METRICS; m++) {
		for (si = 0; si < b->nsizes; si++) {
			const struct bench_samples *s = cell(b, mode, m, si);

			if (!s->failed && !s->why)
				continue;
			if (!notes++)
				fputs("Notes\n", f);
			if (s->failed)
				fprintf(f, "  %s, %llu pages: %s in %u of %u repetitions%s\n",
					bench_metric_name[m],
					(unsigned long long)b->sizes[si],
					bench_errname(s->err), s->failed,
					s->failed + s->n,
					m == M_HMM_REVOKE ?
					" (of test_hmm EXCLUSIVE: the fault is timed only after it succeeds)" :
					"");
			else
				fprintf(f, "  %s, %llu pages: not measured: %s\n",
					bench_metric_name[m],
					(unsigned long long)b->sizes[si],
					s->why);
		}
	}
	for (a = 0; a < A_METRICS; a++) {
		const struct bench_samples *s = &b->atomics[mode][a];

		if (!s->failed)
			continue;
		if (!notes++)
			fputs("Notes\n", f);
		fprintf(f, "  atomics, %s: %s in %u of %u runs\n",
			atomic_label[a], bench_errname(s->err), s->failed,
			s->failed + s->n);
	}
	if (notes)
		fputc('\n', f);
}

/* THP always against THP never, where both modes ran. */
static void print_modes(const struct bench *b, FILE *f)
{
	static const enum bench_metric ms[] = {
		M_MPROTECT, M_ACQUIRE, M_RELEASE_EAGER, M_RELEASE_LAZY,
		M_REVOKE, M_QUERY,
	};
	unsigned int i, si;
	double n, a;
	char buf[32];

	if (!b->run_mode[THP_NEVER] || !b->run_mode[THP_ALWAYS])
		return;
	fprintf(f, "== THP always / THP never, ratio of ns/page (target for acquire: <= 1.5) ==\n");
	fprintf(f, "%7s", "pages");
	for (i = 0; i < sizeof(ms) / sizeof(ms[0]); i++)
		fprintf(f, "%*s", 15, bench_metric_name[ms[i]]);
	fputc('\n', f);
	for (si = 0; si < b->nsizes; si++) {
		fprintf(f, "%7llu", (unsigned long long)b->sizes[si]);
		for (i = 0; i < sizeof(ms) / sizeof(ms[0]); i++) {
			if (bench_median(cell(b, THP_NEVER, ms[i], si), &n) &&
			    bench_median(cell(b, THP_ALWAYS, ms[i], si), &a) &&
			    n > 0)
				snprintf(buf, sizeof(buf), "%.2f", a / n);
			else
				snprintf(buf, sizeof(buf), "-");
			fprintf(f, "%*s", 15, buf);
		}
		fputc('\n', f);
	}
	fputc('\n', f);
}

void bench_report_text(const struct bench *b, FILE *f)
{
	unsigned int mode, i;

	fprintf(f, "svm-bench: device-exclusive SVM against kernel anchors, in one guest boot\n");
	fprintf(f, "guest:   %s\n", b->guest);
	fprintf(f, "devices: %s (vsvm); %s\n", b->path,
		b->hmm_path ? b->hmm_path : b->hmm_why);
	fprintf(f, "method:  CLOCK_MONOTONIC; median of %u repetitions, each on freshly\n"
		   "         populated memory; compare the ratios, not the ns: the machine\n"
		   "         is shared and noisy, and the guest emulated\n\n",
		b->reps);
	for (mode = 0; mode < THP_MODES; mode++) {
		if (!b->run_mode[mode]) {
			if (b->mode_why[mode])
				fprintf(f, "== THP %s: not measured: %s ==\n\n",
					bench_thp_name[mode], b->mode_why[mode]);
			continue;
		}
		fprintf(f, "== THP %s (%.0f s) ==\n\n", bench_thp_name[mode],
			b->mode_seconds[mode]);
		for (i = 0; i < sizeof(sections) / sizeof(sections[0]); i++)
			print_section(b, mode, &sections[i], f);
		print_libcall(b, mode, f);
		print_latency(b, mode, f);
		print_atomics(b, mode, f);
		print_notes(b, mode, f);
	}
	print_modes(b, f);
}

/* --- CSV ------------------------------------------------------------- */

static void csv_status(char *buf, size_t len, const struct bench_samples *s)
{
	if (s->failed)
		snprintf(buf, len, "%s %u/%u", bench_errname(s->err),
			 s->failed, s->failed + s->n);
	else if (s->why)
		snprintf(buf, len, "not measured: %s", s->why);
	else
		snprintf(buf, len, "ok");
}

static void csv_samples(FILE *f, const char *thp, const char *metric,
			uint64_t npages, const char *unit,
			const struct bench_samples *s, int decimals)
{
	char status[96];
	double v;

	csv_status(status, sizeof(status), s);
	fprintf(f, "%s,%s,%llu,%s,", thp, metric, (unsigned long long)npages,
		unit);
	if (bench_median(s, &v))
		fprintf(f, "%.*f", decimals, v);
	fprintf(f, ",,%u,%s\n", s->n, status);
}

static void csv_ratio(FILE *f, const char *thp, const char *name,
		      uint64_t npages, bool ok, double v)
{
	fprintf(f, "%s,%s,%llu,ratio,", thp, name, (unsigned long long)npages);
	if (ok)
		fprintf(f, "%.3f", v);
	fprintf(f, ",,,%s\n", ok ? "ok" : "n/a");
}

static void csv_atomic_ratio(FILE *f, const char *thp, const char *name,
			     const struct bench_samples *num,
			     const struct bench_samples *den,
			     unsigned int npages)
{
	double n = 0, d = 0;
	bool ok = bench_median(num, &n) && bench_median(den, &d) && d > 0;

	csv_ratio(f, thp, name, npages, ok, ok ? n / d : 0);
}

static void csv_mode(const struct bench *b, int mode, FILE *f)
{
	const char *thp = bench_thp_name[mode];
	const struct bench_latency_result *ev = &b->lat[mode][L_EVENT];
	const struct bench_latency_result *uf = &b->lat[mode][L_UFFD];
	const struct bench_samples *at = b->atomics[mode];
	unsigned int m, si, r, l;
	double v;
	bool ok;

	for (si = 0; si < b->nsizes; si++) {
		for (m = 0; m < M_PAGE_METRICS; m++)
			csv_samples(f, thp, bench_metric_name[m],
				    b->sizes[si], "ns/page",
				    cell(b, mode, m, si), 1);
		for (r = 0; r < R_COUNT; r++) {
			ok = ratio_of(b, mode, r, si, &v);
			csv_ratio(f, thp, ratios[r].name, b->sizes[si], ok, v);
		}
	}
	for (m = 0; m < LC_METRICS; m++)
		csv_samples(f, thp, bench_libcall_name[m], 1, "ns/call",
			    &b->libcall[mode][m], 1);
	for (si = 0; si < b->nsizes; si++) {
		for (r = 0; r < NLIBCALLS; r++) {
			char name[64];

			snprintf(name, sizeof(name), "lib_%s_added/%s",
				 libcalls[r].name,
				 bench_metric_name[libcalls[r].per_page]);
			ok = libcall_share(b, mode, r, si, &v);
			csv_ratio(f, thp, name, b->sizes[si], ok, v);
		}
	}
	for (l = 0; l < L_METRICS; l++) {
		const struct bench_latency_result *lr = &b->lat[mode][l];

		fprintf(f, "%s,%s,1,ns,", thp, bench_latency_name[l]);
		if (lr->n)
			fprintf(f, "%.0f,%.0f,%u,ok\n", lr->median, lr->p99,
				lr->n);
		else
			fprintf(f, ",,0,not measured: %s%s%s\n",
				lr->why ? lr->why : "?", lr->err ? " " : "",
				lr->err ? bench_errname(lr->err) : "");
	}
	if (ev->n && uf->n && uf->median > 0 && uf->p99 > 0)
		fprintf(f, "%s,revocation_event/uffd_wp_round_trip,1,ratio,%.3f,%.3f,,ok\n",
			thp, ev->median / uf->median, ev->p99 / uf->p99);
	else
		fprintf(f, "%s,revocation_event/uffd_wp_round_trip,1,ratio,,,,n/a\n",
			thp);
	for (m = 0; m < A_METRICS; m++)
		csv_samples(f, thp, bench_atomic_name[m], b->atomic_pages,
			    "ops/s", &at[m], 0);
	csv_atomic_ratio(f, thp, "atomic_1024_handles/1_handle_alone",
			 &at[A_ALONE_MANY], &at[A_ALONE_1], b->atomic_pages);
	csv_atomic_ratio(f, thp, "atomic_1024_handles/1_handle_contended",
			 &at[A_CONTENDED_MANY], &at[A_CONTENDED_1],
			 b->atomic_pages);
	csv_atomic_ratio(f, thp, "atomic_1_handle_contended/alone",
			 &at[A_CONTENDED_1], &at[A_ALONE_1], b->atomic_pages);
	csv_atomic_ratio(f, thp, "atomic_1024_handles_contended/alone",
			 &at[A_CONTENDED_MANY], &at[A_ALONE_MANY],
			 b->atomic_pages);
}

void bench_report_csv(const struct bench *b, FILE *f)
{
	static const enum bench_metric cross[] = {
		M_MPROTECT, M_ACQUIRE, M_RELEASE_EAGER, M_RELEASE_LAZY,
		M_REVOKE, M_QUERY,
	};
	unsigned int mode, i, si;
	double n, a;
	bool ok;

	fprintf(f, "thp,metric,npages,unit,value,p99,n,status\n");
	for (mode = 0; mode < THP_MODES; mode++)
		if (b->run_mode[mode])
			csv_mode(b, mode, f);
	if (!b->run_mode[THP_NEVER] || !b->run_mode[THP_ALWAYS])
		return;
	for (si = 0; si < b->nsizes; si++) {
		for (i = 0; i < sizeof(cross) / sizeof(cross[0]); i++) {
			char name[64];

			ok = bench_median(cell(b, THP_NEVER, cross[i], si), &n) &&
			     bench_median(cell(b, THP_ALWAYS, cross[i], si), &a) &&
			     n > 0;
			snprintf(name, sizeof(name), "%s/thp_never",
				 bench_metric_name[cross[i]]);
			csv_ratio(f, "always", name, b->sizes[si], ok,
				  ok ? a / n : 0);
		}
	}
}
