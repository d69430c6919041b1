# The stress test with invariants (issue 8, item 4).  Included from the
# top-level Makefile.am (non-recursive).
#
# tests/stress/svm-stress runs, for a fixed time, device atomics through
# vsvm, CPU atomics from several threads and every revocation path
# (CPU access, munmap, mremap, mprotect, MADV_DONTNEED, fork, NUMA
# migration, compaction, memcg reclaim to swap, KSM, a second context
# taking pages over) at once on the same memory, then checks its
# invariants (no lost update, no lost event, content after swap round
# trips).  Raw ioctls against the vendored uAPI headers (and libdrm's
# drm.h, which they include) through tests/vsvm-helpers.h, not
# libsvmatomic.

check_PROGRAMS += tests/stress/svm-stress
tests_stress_svm_stress_SOURCES = \
	tests/stress/svm-stress.c \
	tests/vsvm-helpers.h \
	include/uapi/drm/drm_svm.h \
	include/uapi/drm/vsvm_drm.h
tests_stress_svm_stress_CPPFLAGS = -I$(top_srcdir)/include -I$(top_srcdir)/tests \
	$(LIBDRM_CFLAGS)
tests_stress_svm_stress_CFLAGS = $(SVMA_WARN_CFLAGS) -pthread
tests_stress_svm_stress_LDADD = -lpthread

# It wants the distro kernel's mm (swap, memory cgroups, two NUMA nodes,
# KSM), which "make check" boots, and "make check-debug" with the
# debugging options; it skips on the default flavour.  (Makefile.am puts
# KERNEL_TESTS in EXTRA_DIST.)
KERNEL_TESTS += tests/vm/svm-stress.test
MAINLINE_TESTS += tests/vm/7.3/svm-stress.test

# The runner needs the program built: check_PROGRAMS are, before tests.
tests/vm/svm-stress.log tests/vm/7.3/svm-stress.log: \
	tests/stress/svm-stress$(EXEEXT)
