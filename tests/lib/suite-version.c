// SPDX-License-Identifier: MIT
/*
 * Compile-time and run-time versions agree with each other and with the
 * package.
 *
 * Copyright 2026 The svmatomic authors
 */
#include "config.h"

#include <stdio.h>

#include "test-common.h"

START_TEST(test_version_matches_package)
{
	char buf[64];

	snprintf(buf, sizeof(buf), "%d.%d.%d", SVMA_VERSION_MAJOR,
		 SVMA_VERSION_MINOR, SVMA_VERSION_MICRO);
	ck_assert_str_eq(buf, PACKAGE_VERSION);
	ck_assert_str_eq(svma_version_string(), PACKAGE_VERSION);
	ck_assert_int_eq(svma_major_version(), SVMA_VERSION_MAJOR);
	ck_assert_int_eq(svma_minor_version(), SVMA_VERSION_MINOR);
	ck_assert_int_eq(svma_micro_version(), SVMA_VERSION_MICRO);
}
END_TEST

START_TEST(test_check_version)
{
	int ma = SVMA_VERSION_MAJOR, mi = SVMA_VERSION_MINOR;
	int mc = SVMA_VERSION_MICRO;

	ck_assert_int_eq(svma_check_version(ma, mi, mc), 1);
	ck_assert_int_eq(svma_check_version(0, 0, 0), 1);
	ck_assert_int_eq(svma_check_version(ma, mi, mc + 1), 0);
	ck_assert_int_eq(svma_check_version(ma, mi + 1, 0), 0);
	ck_assert_int_eq(svma_check_version(ma + 1, 0, 0), 0);
	if (mi > 0)
		ck_assert_int_eq(svma_check_version(ma, mi - 1, 99), 1);

	ck_assert(SVMA_CHECK_VERSION(0, 3, 0));
	ck_assert(SVMA_CHECK_VERSION(0, 2, 99));
	ck_assert(SVMA_CHECK_VERSION(0, 0, 99));
	ck_assert(!SVMA_CHECK_VERSION(0, 3, 1));
	ck_assert(!SVMA_CHECK_VERSION(1, 0, 0));
}
END_TEST

Suite *suite_version(void)
{
	Suite *s = suite_create("version");
	TCase *tc = tcase_create("version");

	tcase_add_test(tc, test_version_matches_package);
	tcase_add_test(tc, test_check_version);
	suite_add_tcase(s, tc);
	return s;
}
