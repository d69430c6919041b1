# Guest tests of libsvmatomic: Check suites against the real uAPI on the
# vsvm device, run inside the VM by tests/vm/libsvmatomic-guest.test.
# Included from the top-level Makefile.am (non-recursive).
#
# Built the way an application is: the public header, the vendored uAPI
# headers (for vsvm's atomic ioctl, through tests/vsvm-helpers.h, and
# tests/vsvm_test.h for the debug kernels' negative control) and the
# *shared* libsvmatomic; libdrm for the drmEventContext tests.

if HAVE_CHECK
check_PROGRAMS += tests/guest/guest-main
endif
tests_guest_guest_main_SOURCES = \
	tests/guest/guest-common.h \
	tests/guest/guest-main.c \
	tests/guest/suite-device.c \
	tests/guest/suite-range.c \
	tests/guest/suite-revoke.c \
	tests/guest/suite-events.c \
	tests/guest/suite-atomic.c \
	tests/guest/suite-hold.c \
	tests/vsvm-helpers.h \
	tests/vsvm_test.h \
	include/uapi/drm/drm_svm.h \
	include/uapi/drm/vsvm_drm.h \
	$(TRACE_SOURCE_FILES)
tests_guest_guest_main_CPPFLAGS = -I$(top_srcdir)/include \
	-I$(top_srcdir)/tests $(LIBDRM_CFLAGS)
tests_guest_guest_main_CFLAGS = $(CHECK_CFLAGS) $(SVMA_WARN_CFLAGS) -pthread
tests_guest_guest_main_LDADD = lib/libsvmatomic.la $(LIBDRM_LIBS) \
	$(CHECK_LIBS) -lpthread
tests_guest_guest_main_LDFLAGS = $(TRACE_LINK_FLAGS)
EXTRA_tests_guest_guest_main_DEPENDENCIES = $(TRACE_LINK_DEPS)

# A program built against 0.2's header, as released (tests/abi/0.2), and
# today's library: run by programs-in-guest.sh.
check_PROGRAMS += tests/guest/old-binary
tests_guest_old_binary_SOURCES = tests/guest/old-binary.c \
	tests/abi/0.2/svmatomic.h
tests_guest_old_binary_CPPFLAGS = -I$(top_srcdir)/tests/abi/0.2
tests_guest_old_binary_CFLAGS = $(SVMA_WARN_CFLAGS)
tests_guest_old_binary_LDADD = lib/libsvmatomic.la

# The errors of opening a device the guest suite cannot provoke in its
# own process (allocation failures, no fd left, and under the shim a
# kernel without contexts or with nonsense): run by programs-in-guest.sh,
# traced for errno-coverage.test. Its own malloc() must be the one the
# library binds to, so shared, as guest-main.
check_PROGRAMS += tests/guest/errno-cases
tests_guest_errno_cases_SOURCES = tests/guest/errno-cases.c \
	$(TRACE_SOURCE_FILES)
tests_guest_errno_cases_CPPFLAGS = -I$(top_srcdir)/include $(LIBDRM_CFLAGS)
tests_guest_errno_cases_CFLAGS = $(SVMA_WARN_CFLAGS)
tests_guest_errno_cases_LDADD = lib/libsvmatomic.la $(LIBDRM_LIBS)
tests_guest_errno_cases_LDFLAGS = $(TRACE_LINK_FLAGS)
EXTRA_tests_guest_errno_cases_DEPENDENCIES = $(TRACE_LINK_DEPS)

# Runs tests/guest/guest-main in the VM; also on the debug kernel.
KERNEL_TESTS += tests/vm/libsvmatomic-guest.test
MAINLINE_TESTS += tests/vm/7.3/libsvmatomic-guest.test

# The runner needs the program built: check_PROGRAMS are, before tests.
tests/vm/libsvmatomic-guest.log tests/vm/7.3/libsvmatomic-guest.log: \
	tests/guest/guest-main$(EXEEXT)

# svma-info and the examples in the VM, some under tests/lib's preload
# shim (tests/guest/programs-in-guest.sh runs in the guest and checks; not
# programs.sh: its log would be programs.log too, and make would run it on
# the host through the .sh rule of tests/lib).
KERNEL_TESTS += tests/guest/programs.test
MAINLINE_TESTS += tests/vm/7.3/programs.test
EXTRA_DIST += tests/guest/programs-in-guest.sh
tests/guest/programs.log tests/vm/7.3/programs.log: \
	tools/svma-info$(EXEEXT) \
	examples/acquire-poll$(EXEEXT) examples/reacquire-backoff$(EXEEXT) \
	examples/hold-adaptive$(EXEEXT) examples/pull-events$(EXEEXT) \
	tests/lib/libsvma-shim.la \
	tests/guest/old-binary$(EXEEXT) tests/guest/errno-cases$(EXEEXT)
