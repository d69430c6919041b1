# libsvmatomic. Included from the top-level Makefile.am (non-recursive).

include_HEADERS += include/svmatomic.h

# Everything is built once, into a convenience library that the host
# tests link statically (they reach internals through lib/internal.h);
# the shared library exports only what lib/libsvmatomic.sym lists.
noinst_LTLIBRARIES += lib/libsvmatomic-core.la
lib_libsvmatomic_core_la_SOURCES = \
	lib/internal.h \
	lib/ioctl.c \
	lib/device.c \
	lib/self.c \
	lib/driver.c \
	lib/discover.c \
	lib/range.c \
	lib/acquire-config.c \
	lib/query.c \
	lib/event.c \
	lib/compat.c \
	lib/event-buffer.c \
	lib/strings.c \
	lib/version.c \
	include/svmatomic.h \
	include/uapi/drm/drm_svm.h \
	include/uapi/drm/vsvm_drm.h
lib_libsvmatomic_core_la_CPPFLAGS = -I$(top_srcdir)/include $(LIBDRM_CFLAGS)
lib_libsvmatomic_core_la_CFLAGS = $(SVMA_VISIBILITY_CFLAGS) $(SVMA_WARN_CFLAGS)

lib_LTLIBRARIES += lib/libsvmatomic.la
lib_libsvmatomic_la_SOURCES =
lib_libsvmatomic_la_LIBADD = lib/libsvmatomic-core.la $(LIBDRM_LIBS)
# The libtool interface version, not the package version. Change it only
# right before a release, following libtool's rules in this order:
#  1. If the library source changed at all since the last release,
#     increment revision (c:r:a becomes c:r+1:a).
#  2. If any interface was added, removed or changed, increment current
#     and set revision to 0.
#  3. If any interface was added, increment age.
#  4. If any interface was removed or changed, set age to 0.
# Additions also get a new node in lib/libsvmatomic.sym; the soname (and
# so current - age) never changes as long as nothing is removed.
# 0.1.0 was 0:0:0; 0.2.0 added svma_range_set_hold and svma_range_hold
# (rules 2 and 3): 1:0:1, still libsvmatomic.so.0. 0.3.0 adds the
# SVMATOMIC_0.3 node (rules 2 and 3): 2:0:2, libsvmatomic.so.0.2.0, set
# as the node was opened so that no 0.3 build carries 0.2's file name.
lib_libsvmatomic_la_LDFLAGS = \
	-version-info 2:0:2 \
	-no-undefined \
	-Wl,--version-script=$(srcdir)/lib/libsvmatomic.sym
EXTRA_lib_libsvmatomic_la_DEPENDENCIES = lib/libsvmatomic.sym

pkgconfig_DATA += lib/libsvmatomic.pc

EXTRA_DIST += lib/libsvmatomic.sym
