# The ioctl fuzzer of the SVM uAPI (issue 8, item 5).  Included from the
# top-level Makefile.am (non-recursive).
