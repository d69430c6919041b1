# The demo: a timeline of device-exclusive access on the vsvm device, for
# a person. Included from the top-level Makefile.am (non-recursive).
# Built by "make check" (and by name, for "make demo"); run in the VM by
# tests/vm/demo.test.

check_PROGRAMS += demo/svma-demo
demo_svma_demo_SOURCES = demo/svma-demo.c include/uapi/drm/vsvm_drm.h
# An application's view: the public header, vsvm's uAPI header, the
# shared library; libdrm to name the device.
demo_svma_demo_CPPFLAGS = -I$(top_srcdir)/include $(LIBDRM_CFLAGS)
demo_svma_demo_CFLAGS = $(SVMA_WARN_CFLAGS) -pthread
demo_svma_demo_LDADD = lib/libsvmatomic.la $(LIBDRM_LIBS) -lpthread

KERNEL_TESTS += tests/vm/demo.test
MAINLINE_TESTS += tests/vm/7.3/demo.test
tests/vm/demo.log tests/vm/7.3/demo.log: demo/svma-demo$(EXEEXT)
