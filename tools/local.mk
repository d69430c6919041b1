# svma-info: the command-line tool, installed. Included from the
# top-level Makefile.am (non-recursive).

bin_PROGRAMS += tools/svma-info
tools_svma_info_SOURCES = tools/svma-info.c include/uapi/drm/drm_svm.h
tools_svma_info_CPPFLAGS = -I$(top_srcdir)/include $(LIBDRM_CFLAGS)
tools_svma_info_CFLAGS = $(SVMA_WARN_CFLAGS)
tools_svma_info_LDADD = lib/libsvmatomic.la $(LIBDRM_LIBS)

dist_man_MANS += man/man1/svma-info.1
