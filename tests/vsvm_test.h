/* SPDX-License-Identifier: MIT */
/*
 * vsvm's test interface: not uAPI. It exists on kernels built with
 * CONFIG_DRM_VSVM_DEBUG only, for the selftests' negative controls, which
 * include this header from the source tree.
 *
 * Copyright 2026 The svmatomic authors
 */
#ifndef _VSVM_TEST_H_
#define _VSVM_TEST_H_

/**
 * VSVM_TEST_ATOMIC_NO_EXCLUSIVE - &drm_vsvm_atomic.flags bit: operate
 * without device-exclusive access
 *
 * Reaches each word through a plain pin of its page, with the CPU's
 * mappings left in place, as a device that ignored exclusivity would: the
 * negative control that shows CPU updates being lost. -EINVAL without
 * CONFIG_DRM_VSVM_DEBUG, and with &DRM_VSVM_ATOMIC_REACQUIRE; -EFAULT for
 * an address that cannot be pinned. The context is still checked.
 */
#define VSVM_TEST_ATOMIC_NO_EXCLUSIVE	0x80000000u

#endif /* _VSVM_TEST_H_ */
