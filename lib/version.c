// SPDX-License-Identifier: MIT
/*
 * Run-time version checks.
 *
 * Copyright 2026 The svmatomic authors
 */
#include "internal.h"

#define SVMA_STR_(x)	#x
#define SVMA_STR(x)	SVMA_STR_(x)

SVMA_API int svma_major_version(void)
{
	return SVMA_VERSION_MAJOR;
}

SVMA_API int svma_minor_version(void)
{
	return SVMA_VERSION_MINOR;
}

SVMA_API int svma_micro_version(void)
{
	return SVMA_VERSION_MICRO;
}

SVMA_API const char *svma_version_string(void)
{
	return SVMA_STR(SVMA_VERSION_MAJOR) "." SVMA_STR(SVMA_VERSION_MINOR)
	       "." SVMA_STR(SVMA_VERSION_MICRO);
}

SVMA_API int svma_check_version(int major, int minor, int micro)
{
	return SVMA_CHECK_VERSION(major, minor, micro);
}
