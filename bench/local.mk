# Benchmarks (issue 9): svm-bench runs in the guest, bench/run boots it
# once and keeps the results, "make bench" (Makefile.am) does both.
# Included from the top-level Makefile.am (non-recursive).
#
# Built by "make", so that it cannot rot, but never installed. Raw ioctls
# against the vendored uAPI headers (on a context of their own, through
# tests/vsvm-helpers.h), and the shared libsvmatomic as an application
# links it, for the library-against-raw ratios.

noinst_PROGRAMS += bench/svm-bench
bench_svm_bench_SOURCES = \
	bench/bench.h \
	bench/svm-bench.c \
	bench/thp.c \
	bench/util.c \
	bench/vsvm.c \
	bench/svm-ioctl.c \
	bench/pages.c \
	bench/libcall.c \
	bench/latency.c \
	bench/atomic.c \
	bench/report.c \
	bench/hmm-dmirror.h \
	bench/hmm-dmirror.c \
	tests/vsvm-helpers.h \
	include/uapi/drm/drm_svm.h \
	include/uapi/drm/vsvm_drm.h
bench_svm_bench_CPPFLAGS = -I$(top_srcdir)/include -I$(top_srcdir)/tests \
	$(LIBDRM_CFLAGS)
bench_svm_bench_CFLAGS = $(SVMA_WARN_CFLAGS) -pthread
bench_svm_bench_LDADD = lib/libsvmatomic.la -lpthread

# The hold time against CPU/device ping-pong (issue 10): "make bench-hold".
noinst_PROGRAMS += bench/svm-contend
bench_svm_contend_SOURCES = \
	bench/bench.h \
	bench/contend.c \
	bench/util.c \
	bench/vsvm.c \
	tests/vsvm-helpers.h \
	include/uapi/drm/drm_svm.h \
	include/uapi/drm/vsvm_drm.h
bench_svm_contend_CPPFLAGS = -I$(top_srcdir)/include -I$(top_srcdir)/tests \
	$(LIBDRM_CFLAGS)
bench_svm_contend_CFLAGS = $(SVMA_WARN_CFLAGS) -pthread
bench_svm_contend_LDADD = -lpthread

# bench/hmm-dmirror-check.c is compiled by bench/run only, against the
# kernel tree's lib/test_hmm_uapi.h. The results are not distributed:
# they describe one machine and one commit of the series.
EXTRA_DIST += \
	bench/README \
	bench/run \
	bench/in-guest \
	bench/plot.gp \
	bench/hmm-dmirror-check.c
