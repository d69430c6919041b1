# Examples: built by make check so they cannot rot; they need a capable
# device to do anything when run. Included from the top-level Makefile.am.

SVMA_EXAMPLES = \
	examples/acquire-poll \
	examples/hold-adaptive \
	examples/pull-events \
	examples/query-state \
	examples/reacquire-backoff
check_PROGRAMS += $(SVMA_EXAMPLES)

examples_acquire_poll_SOURCES = examples/acquire-poll.c
examples_pull_events_SOURCES = examples/pull-events.c
examples_query_state_SOURCES = examples/query-state.c
examples_reacquire_backoff_SOURCES = examples/reacquire-backoff.c

# Built the way an application is: only the public header and the
# shared library.
examples_acquire_poll_CPPFLAGS = -I$(top_srcdir)/include
examples_pull_events_CPPFLAGS = -I$(top_srcdir)/include
examples_query_state_CPPFLAGS = -I$(top_srcdir)/include
examples_reacquire_backoff_CPPFLAGS = -I$(top_srcdir)/include
examples_acquire_poll_CFLAGS = $(SVMA_WARN_CFLAGS) -pthread
examples_pull_events_CFLAGS = $(SVMA_WARN_CFLAGS)
examples_query_state_CFLAGS = $(SVMA_WARN_CFLAGS)
examples_reacquire_backoff_CFLAGS = $(SVMA_WARN_CFLAGS)
examples_acquire_poll_LDADD = lib/libsvmatomic.la -lpthread
examples_pull_events_LDADD = lib/libsvmatomic.la
examples_query_state_LDADD = lib/libsvmatomic.la
examples_reacquire_backoff_LDADD = lib/libsvmatomic.la

# hold-adaptive drives the vsvm device's atomic engine: its uAPI header
# (which includes libdrm's drm.h) besides the public one.
examples_hold_adaptive_SOURCES = examples/hold-adaptive.c \
	include/uapi/drm/vsvm_drm.h
examples_hold_adaptive_CPPFLAGS = -I$(top_srcdir)/include $(LIBDRM_CFLAGS)
examples_hold_adaptive_CFLAGS = $(SVMA_WARN_CFLAGS) -pthread
examples_hold_adaptive_LDADD = lib/libsvmatomic.la -lpthread
