# The stress test with invariants (issue 8, item 4).  Included from the
# top-level Makefile.am (non-recursive).
