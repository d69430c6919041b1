# The ioctl fuzzer of the SVM uAPI (issue 8, item 5).  Included from the
# top-level Makefile.am (non-recursive).
#
# tests/fuzz/svm-fuzz issues random, seeded sequences of the six context
# ioctls and vsvm's atomic ioctl against contexts of the vsvm device and
# checks every errno against the uAPI headers' documentation.  It needs
# only the vendored uAPI headers (and libdrm's drm.h, which they include),
# the shared helpers of tests/vsvm-helpers.h and the debug kernels' test
# flag of tests/vsvm_test.h, not libsvmatomic.

check_PROGRAMS += tests/fuzz/svm-fuzz
tests_fuzz_svm_fuzz_SOURCES = \
	tests/fuzz/svm-fuzz.c \
	tests/vsvm-helpers.h \
	tests/vsvm_test.h \
	include/uapi/drm/drm_svm.h \
	include/uapi/drm/vsvm_drm.h
tests_fuzz_svm_fuzz_CPPFLAGS = -I$(top_srcdir)/include -I$(top_srcdir)/tests \
	$(LIBDRM_CFLAGS)
tests_fuzz_svm_fuzz_CFLAGS = $(SVMA_WARN_CFLAGS) -pthread
tests_fuzz_svm_fuzz_LDADD = -lpthread

# 100000 calls in the VM; 50000 on the debug kernels (make check-debug,
# DECISIONS 4.28).
# (Makefile.am puts every KERNEL_TESTS script in EXTRA_DIST.)
KERNEL_TESTS += tests/vm/svm-fuzz.test
MAINLINE_TESTS += tests/vm/7.3/svm-fuzz.test

# The runner needs the program built: check_PROGRAMS are, before tests.
tests/vm/svm-fuzz.log tests/vm/7.3/svm-fuzz.log: \
	tests/fuzz/svm-fuzz$(EXEEXT)
