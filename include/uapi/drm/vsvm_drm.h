/* SPDX-License-Identifier: MIT */
/*
 * vsvm: a virtual device for device-exclusive shared virtual memory.
 *
 * Copyright 2026 The svmatomic authors
 */
#ifndef _VSVM_DRM_H_
#define _VSVM_DRM_H_

#include "drm.h"
#include "drm_svm.h"

#if defined(__cplusplus)
extern "C" {
#endif

/**
 * DOC: vsvm atomic engine
 *
 * vsvm has no hardware. &DRM_IOCTL_VSVM_SVM_CONTEXT_CREATE creates a
 * device-exclusive SVM context (see drm_svm.h). Its "device" is an atomic
 * engine that performs atomic operations on a process's memory *only
 * through its own device mapping*, i.e. on pages a context holds through
 * &DRM_SVM_IOCTL_ACQUIRE; &drm_vsvm_atomic.ctx_fd names the context. A
 * page that was never acquired, or was revoked, makes the operation fail
 * with -ENXIO, unless &DRM_VSVM_ATOMIC_REACQUIRE asks the device to take
 * the page back first, as a GPU's replayable fault would (the page must
 * lie in one of the context's handles). Such a take-back commits the page
 * as &DRM_SVM_IOCTL_REACQUIRE does: it clears the page's revoked state
 * and, when the handle's revocation event has been queued, arms a new
 * one, so that the next revocation is reported too.
 *
 * Operations run in order. The ioctl stops at the first one that fails
 * and returns its error; &drm_vsvm_atomic.done says how many completed
 * (their results are written back).
 *
 * The engine's atomics are device-scope, as on a GPU without system-scope
 * atomics: each operation is a read, the computation and a write some
 * time later (the vsvm module parameter op_window_ns, 500 ns by default),
 * atomic with respect to the device's other operations but not to the
 * CPU. Device-exclusive access is what keeps CPU updates from being lost.
 */

/* Operations, for &drm_vsvm_atomic_op.op */
#define DRM_VSVM_OP_ADD		1	/* *addr += operand */
#define DRM_VSVM_OP_XCHG	2	/* *addr = operand */
#define DRM_VSVM_OP_CMPXCHG	3	/* if (*addr == compare) *addr = operand */
#define DRM_VSVM_OP_AND		4
#define DRM_VSVM_OP_OR		5
#define DRM_VSVM_OP_XOR		6
#define DRM_VSVM_OP_SMIN	7	/* signed minimum */
#define DRM_VSVM_OP_SMAX	8	/* signed maximum */
#define DRM_VSVM_OP_UMIN	9	/* unsigned minimum */
#define DRM_VSVM_OP_UMAX	10	/* unsigned maximum */

/**
 * struct drm_vsvm_atomic_op - one atomic operation
 */
struct drm_vsvm_atomic_op {
	/** @addr: in, address of the word, aligned to @size */
	__u64 addr;
	/**
	 * @operand: in, the operand; a 32-bit operation uses the low 32 bits
	 * and ignores the others
	 */
	__u64 operand;
	/** @compare: in, expected value for DRM_VSVM_OP_CMPXCHG, as @operand */
	__u64 compare;
	/**
	 * @result: out, the value before the operation, zero-extended for a
	 * 32-bit operation
	 */
	__u64 result;
	/** @op: in, DRM_VSVM_OP_* */
	__u32 op;
	/** @size: in, 4 or 8 bytes */
	__u32 size;
};

/**
 * DRM_VSVM_ATOMIC_REACQUIRE - take revoked pages back before operating
 */
#define DRM_VSVM_ATOMIC_REACQUIRE	(1u << 0)

/**
 * struct drm_vsvm_atomic - run a batch of atomic operations
 *
 * Errors: -EINVAL for unknown flags or operations, a bad size, a
 * misaligned address, nonzero @done, @reacquired or @pad on input, more
 * than DRM_VSVM_ATOMIC_MAX_OPS operations, or a @ctx_fd that is not a
 * context of this device; -EBADF for a @ctx_fd that is no file; -EFAULT
 * for a bad @ops_ptr; -ENXIO for a page the device does not map; -EPERM
 * when the context is bound to another process; -ENOMEM as any SVM
 * ioctl; -EINTR when a signal ended a wait (the context's other ioctls,
 * the CPU's turn) after some operations completed, @done saying how many
 * (a call that did nothing restarts instead, under SA_RESTART); and the
 * errors of &DRM_SVM_IOCTL_REACQUIRE when re-acquiring.
 */
struct drm_vsvm_atomic {
	/** @ops_ptr: in, user pointer to @count &struct drm_vsvm_atomic_op */
	__u64 ops_ptr;
	/** @count: in, number of operations, at most DRM_VSVM_ATOMIC_MAX_OPS */
	__u32 count;
	/** @flags: in, DRM_VSVM_ATOMIC_* */
	__u32 flags;
	/** @done: out, operations completed */
	__u32 done;
	/** @reacquired: out, pages re-acquired on the way */
	__u32 reacquired;
	/** @ctx_fd: in, the context (&DRM_IOCTL_VSVM_SVM_CONTEXT_CREATE) */
	__s32 ctx_fd;
	/** @pad: must be 0 */
	__u32 pad;
};

#define DRM_VSVM_ATOMIC_MAX_OPS		65536

#define DRM_VSVM_ATOMIC			0x00
#define DRM_VSVM_SVM_CONTEXT_CREATE	0x01

#define DRM_IOCTL_VSVM_ATOMIC \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_VSVM_ATOMIC, struct drm_vsvm_atomic)
/* Creates a device-exclusive SVM context: see drm_svm.h. */
#define DRM_IOCTL_VSVM_SVM_CONTEXT_CREATE \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_VSVM_SVM_CONTEXT_CREATE, \
		 struct drm_svm_context_create)

#if defined(__cplusplus)
}
#endif

#endif /* _VSVM_DRM_H_ */
