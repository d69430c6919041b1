# Examples: built by make check so they cannot rot; they need a capable
# device to do anything when run. Included from the top-level Makefile.am.

SVMA_EXAMPLES = \
	examples/acquire-poll \
	examples/query-state \
	examples/reacquire-backoff
check_PROGRAMS += $(SVMA_EXAMPLES)

examples_acquire_poll_SOURCES = examples/acquire-poll.c
examples_query_state_SOURCES = examples/query-state.c
examples_reacquire_backoff_SOURCES = examples/reacquire-backoff.c

# Built the way an application is: only the public header and the
# shared library.
examples_acquire_poll_CPPFLAGS = -I$(top_srcdir)/include
examples_query_state_CPPFLAGS = -I$(top_srcdir)/include
examples_reacquire_backoff_CPPFLAGS = -I$(top_srcdir)/include
examples_acquire_poll_CFLAGS = $(SVMA_WARN_CFLAGS) -pthread
examples_query_state_CFLAGS = $(SVMA_WARN_CFLAGS)
examples_reacquire_backoff_CFLAGS = $(SVMA_WARN_CFLAGS)
examples_acquire_poll_LDADD = lib/libsvmatomic.la -lpthread
examples_query_state_LDADD = lib/libsvmatomic.la
examples_reacquire_backoff_LDADD = lib/libsvmatomic.la
