/*
** rt_ctx.h -- switching between C stacks (rt_ctx.cpp), for coroutines and
** the runner's cart context. Plain C interface, no runtime types, so the
** switch can be tested on its own (tests/test_aot_coswitch.py).
*/
#ifndef rt_ctx_h
#define rt_ctx_h

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Save the callee-saved registers and the stack pointer into *save_sp,
** switch to the stack at load_sp and return into whatever saved it. */
void rp8_ctx_swap(void **save_sp, void *load_sp);

/* A stack pointer for rp8_ctx_swap that starts `entry` on the stack
** [base, base + size). entry must never return. */
void *rp8_ctx_init(uint8_t *base, size_t size, void (*entry)(void));

#ifdef __cplusplus
}
#endif

#endif
