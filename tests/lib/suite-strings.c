// SPDX-License-Identifier: MIT
/*
 * A string for every error the library returns and every reason.
 *
 * Copyright 2026 The svmatomic authors
 */
#define _GNU_SOURCE	/* strerrordesc_np() */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <string.h>

#include "test-common.h"

/*
 * Every errno svmatomic.h or a man page documents (tests/lib/errnos.sh
 * fails when one is missing here), and a few the library passes on.
 */
static const int documented[] = {
	EPERM, ENOENT, EINTR, EBADF, ENOMEM, EACCES, EFAULT, EBUSY, ENODEV,
	EINVAL, ENOSPC, EEXIST, EPIPE, EBADMSG, EMSGSIZE, EPROTO, EOPNOTSUPP,
	EMFILE, ENFILE,
};

START_TEST(test_strerror_documented)
{
	const char *s = svma_strerror(-documented[_i]);

	ck_assert_ptr_nonnull(s);
	ck_assert_str_ne(s, "Unknown error");
	ck_assert_uint_gt(strlen(s), 5);
	/* positive and negative are the same error */
	ck_assert_ptr_eq(s, svma_strerror(documented[_i]));
#ifdef HAVE_STRERRORDESC_NP
	/* what it means from this library, not glibc's generic text */
	ck_assert_str_ne(s, strerrordesc_np(documented[_i]));
#endif
}
END_TEST

START_TEST(test_strerror_distinct)
{
	size_t i, j, n = sizeof(documented) / sizeof(documented[0]);

	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++)
			ck_assert_str_ne(svma_strerror(-documented[i]),
					 svma_strerror(-documented[j]));
}
END_TEST

START_TEST(test_strerror_says_what_is_missing)
{
	/* What an application shows when the kernel is not patched. */
	ck_assert_ptr_nonnull(strstr(svma_strerror(-EOPNOTSUPP),
				     "device-exclusive SVM contexts"));
	ck_assert_ptr_nonnull(strstr(svma_strerror(-EOPNOTSUPP), "kernel"));
	ck_assert_ptr_nonnull(strstr(svma_strerror(-ENODEV), "DRM"));
	ck_assert_str_eq(svma_strerror(0), "Success");
}
END_TEST

START_TEST(test_strerror_any_value)
{
	/* never NULL, never a crash, whatever comes in */
	ck_assert_str_eq(svma_strerror(INT_MIN), "Unknown error");
	ck_assert_ptr_nonnull(svma_strerror(INT_MAX));
	ck_assert_ptr_nonnull(svma_strerror(-4095));
	ck_assert_ptr_nonnull(svma_strerror(-EIO));
	ck_assert_str_ne(svma_strerror(-EIO), "");
}
END_TEST

START_TEST(test_reason_strings)
{
	const char *seen[32];
	uint32_t bit;
	int i, n = 0;

	for (bit = 1; bit <= SVMA_REASON_OTHER; bit <<= 1) {
		const char *s = svma_reason_string(bit);

		ck_assert_str_ne(s, "unknown reason");
		for (i = 0; i < n; i++)
			ck_assert_str_ne(s, seen[i]);
		seen[n++] = s;
	}
	ck_assert_int_eq(n, 8);
	ck_assert_str_eq(svma_reason_string(SVMA_REASON_CPU_ACCESS),
			 "CPU access");
	ck_assert_str_eq(svma_reason_string(SVMA_REASON_FORK), "fork");
}
END_TEST

START_TEST(test_reason_unknown)
{
	ck_assert_str_eq(svma_reason_string(0), "unknown reason");
	ck_assert_str_eq(svma_reason_string(SVMA_REASON_OTHER << 1),
			 "unknown reason");
	ck_assert_str_eq(svma_reason_string(SVMA_REASON_UNMAP |
					    SVMA_REASON_FORK),
			 "unknown reason");
	ck_assert_str_eq(svma_reason_string(UINT32_MAX), "unknown reason");
}
END_TEST

Suite *suite_strings(void)
{
	Suite *s = suite_create("strings");
	TCase *tc = tcase_create("strings");

	tcase_add_loop_test(tc, test_strerror_documented, 0,
			    sizeof(documented) / sizeof(documented[0]));
	tcase_add_test(tc, test_strerror_distinct);
	tcase_add_test(tc, test_strerror_says_what_is_missing);
	tcase_add_test(tc, test_strerror_any_value);
	tcase_add_test(tc, test_reason_strings);
	tcase_add_test(tc, test_reason_unknown);
	suite_add_tcase(s, tc);
	return s;
}
