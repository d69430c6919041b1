// SPDX-License-Identifier: MIT
/*
 * Compile-time check that bench/hmm-dmirror.h matches the kernel's
 * lib/test_hmm_uapi.h. Never linked: bench/run compiles it with
 * -fsyntax-only and the prepared kernel tree's lib/ on the include path.
 *
 * Copyright 2026 The svmatomic authors
 */
#include <stddef.h>
#include <stdint.h>

#include "hmm-dmirror.h"
#include <test_hmm_uapi.h>

#define SAME_FIELD(f)							\
	_Static_assert(offsetof(struct bench_dmirror_cmd, f) ==		\
		       offsetof(struct hmm_dmirror_cmd, f) &&		\
		       sizeof(((struct bench_dmirror_cmd *)0)->f) ==	\
		       sizeof(((struct hmm_dmirror_cmd *)0)->f),		\
		       "hmm_dmirror_cmd." #f " moved")

_Static_assert(sizeof(struct bench_dmirror_cmd) ==
	       sizeof(struct hmm_dmirror_cmd), "hmm_dmirror_cmd changed size");
SAME_FIELD(addr);
SAME_FIELD(ptr);
SAME_FIELD(npages);
SAME_FIELD(cpages);
SAME_FIELD(faults);
_Static_assert(BENCH_DMIRROR_SNAPSHOT == HMM_DMIRROR_SNAPSHOT,
	       "HMM_DMIRROR_SNAPSHOT changed");
_Static_assert(BENCH_DMIRROR_EXCLUSIVE == HMM_DMIRROR_EXCLUSIVE,
	       "HMM_DMIRROR_EXCLUSIVE changed");
