# Host tests of libsvmatomic: no patched kernel needed. Included from the
# top-level Makefile.am (non-recursive).

if HAVE_CHECK
check_PROGRAMS += tests/lib/test-main
LIB_UNIT_TESTS = tests/lib/test-main
else
# Says why the unit tests did not run, as a skip.
LIB_UNIT_TESTS = tests/lib/no-check.sh
endif
EXTRA_DIST += tests/lib/no-check.sh
tests_lib_test_main_SOURCES = \
	tests/lib/test-common.h \
	tests/lib/test-main.c \
	tests/lib/suite-version.c \
	tests/lib/suite-strings.c \
	tests/lib/suite-nodevice.c \
	tests/lib/suite-ranges.c \
	tests/lib/suite-events.c \
	tests/lib/alloc-fail.c \
	$(TRACE_SOURCE_FILES)
tests_lib_test_main_CPPFLAGS = -I$(top_srcdir)/include -I$(top_srcdir)/lib \
	$(LIBDRM_CFLAGS)
tests_lib_test_main_CFLAGS = $(CHECK_CFLAGS) $(SVMA_WARN_CFLAGS)
tests_lib_test_main_LDADD = lib/libsvmatomic-core.la $(LIBDRM_LIBS) \
	$(CHECK_LIBS)
EXTRA_tests_lib_test_main_DEPENDENCIES = $(TRACE_LINK_DEPS)
tests_lib_test_main_LDFLAGS = $(TRACE_LINK_FLAGS) \
	-Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc

# Which errnos the test programs see the library return (test-main here,
# guest-main in the VM): every call through a wrapper that prints each
# errno once (errno-trace.c); errno-coverage.test compares them with the
# man pages after both ran.
TRACE_SOURCE_FILES = tests/lib/errno-trace.c tests/lib/errno-trace-calls.h
TRACE_LINK_FLAGS = -Wl,@$(top_srcdir)/tests/lib/errno-trace.wrap
TRACE_LINK_DEPS = $(top_srcdir)/tests/lib/errno-trace.wrap
EXTRA_DIST += tests/lib/errno-trace.wrap

# An LD_PRELOAD shim that fakes what a machine lacks (render nodes, an
# event size, failing calls) for the tests of the programs; see its
# comment. Built shared (-rpath) although never installed.
check_LTLIBRARIES = tests/lib/libsvma-shim.la
tests_lib_libsvma_shim_la_SOURCES = tests/lib/preload-shim.c
tests_lib_libsvma_shim_la_CPPFLAGS = -I$(top_srcdir)/include $(LIBDRM_CFLAGS)
tests_lib_libsvma_shim_la_CFLAGS = $(SVMA_VISIBILITY_CFLAGS) $(SVMA_WARN_CFLAGS)
tests_lib_libsvma_shim_la_LDFLAGS = -module -avoid-version -shared \
	-rpath $(abs_builddir)/tests/lib
tests_lib_libsvma_shim_la_LIBADD = -ldl

LIB_HOST_TESTS = \
	$(LIB_UNIT_TESTS) \
	tests/lib/header-compile.sh \
	tests/lib/exports.sh \
	tests/lib/man-pages.sh \
	tests/lib/tsan.sh \
	tests/lib/info-abi.sh \
	tests/lib/svma-info.sh \
	tests/lib/exports-selftest.sh \
	tests/lib/errnos.sh \
	tests/lib/contracts.sh \
	tests/lib/abi-nodes.sh
TESTS += $(LIB_HOST_TESTS)
EXTRA_DIST += \
	tests/lib/header-compile.sh \
	tests/lib/exports.sh \
	tests/lib/man-pages.sh \
	tests/lib/tsan.sh \
	tests/lib/race-wait.c \
	tests/lib/info-abi.sh \
	tests/lib/info-abi.c \
	tests/lib/svma-info.sh \
	tests/lib/exports-selftest.sh \
	tests/lib/errnos.sh \
	tests/lib/contracts.sh \
	tests/lib/abi-nodes.sh \
	tests/abi/0.2/libsvmatomic.sym

TEST_EXTENSIONS += .sh
# The scripts that build parts of the library themselves need its flags.
SH_LOG_COMPILER = env CC='$(CC)' LIBDRM_CFLAGS='$(LIBDRM_CFLAGS)' \
	LIBDRM_LIBS='$(LIBDRM_LIBS)' $(BASH)

# exports.sh reads the built library; svma-info.sh runs the tool.
tests/lib/exports.log: lib/libsvmatomic.la
tests/lib/svma-info.log: tools/svma-info$(EXEEXT) tests/lib/libsvma-shim.la

# The Check suites under valgrind, in one process (CK_FORK=no) so that
# leaks are seen; any error fails the run.
VALGRIND_FLAGS = --leak-check=full --show-leak-kinds=definite,indirect \
	--errors-for-leak-kinds=definite,indirect --error-exitcode=3 \
	--track-fds=no --quiet
.PHONY: check-valgrind
check-valgrind: tests/lib/test-main$(EXEEXT)
	CK_FORK=no $(LIBTOOL) --mode=execute valgrind $(VALGRIND_FLAGS) \
		tests/lib/test-main$(EXEEXT)

# The errnos the man pages list against those test-main and the guest
# suite saw (errno-trace.c): after both, reading their logs. Not in
# check-lib: without the guest suite half the errnos have no test.
TESTS += tests/lib/errno-coverage.test
EXTRA_DIST += tests/lib/errno-coverage.test
if HAVE_CHECK
COVERAGE_UNIT_LOG = tests/lib/test-main.log
else
COVERAGE_UNIT_LOG =
endif
tests/lib/errno-coverage.log: $(COVERAGE_UNIT_LOG) \
	$(KERNEL_CHECK:.test=.log)
