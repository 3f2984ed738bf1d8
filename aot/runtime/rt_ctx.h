/*
** rt_ctx.h -- switching between C stacks (rt_ctx.cpp), for coroutines and
** the runner's cart context. Plain C interface, no runtime types, so the
** switch can be tested on its own (tests/compiled/test_aot_coswitch.py).
*/
#ifndef rt_ctx_h
#define rt_ctx_h

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Save the callee-saved registers and the stack pointer into *save_sp,
** switch to the stack at load_sp and return into whatever saved it. (The
** portable switch, RP8_CTX_PORTABLE, saves a ucontext instead: the handles
** are opaque to the callers either way.) */
void rp8_ctx_swap(void **save_sp, void *load_sp);

/* A stack pointer for rp8_ctx_swap that starts `entry` on the stack
** [base, base + size). entry must never return. */
void *rp8_ctx_init(uint8_t *base, size_t size, void (*entry)(void));

/* The stack guard. Every compiled function checks on entry, after its own
** frame is set up, that the stack pointer is still above the running
** context's floor: the base of its C stack plus a margin for what runs
** below a compiled function without a check of its own (builtins, the
** engine, and raising the "stack overflow" error itself). 0: no check
** (a thread's own stack). rt_co.cpp moves it at every switch. */
extern uintptr_t rp8_ctx_floor __attribute__((visibility("hidden")));

#if defined(__has_builtin)
#define RP8_HAS_BUILTIN(x) __has_builtin(x)
#else
#define RP8_HAS_BUILTIN(x) 0
#endif

/* The stack pointer itself (__builtin_frame_address would make every
** function keep a frame pointer). */
static inline uintptr_t rp8_ctx_sp(void) {
  uintptr_t sp;
#if defined(__x86_64__)
  __asm__("movq %%rsp, %0" : "=r"(sp));
#elif defined(__arm__) || defined(__aarch64__)
  __asm__("mov %0, sp" : "=r"(sp));
#elif RP8_HAS_BUILTIN(__builtin_stack_address)
  sp = (uintptr_t)__builtin_stack_address();
#else
  sp = (uintptr_t)__builtin_frame_address(0); /* the caller's frame: close enough for the margin */
#endif
  return sp;
}

/* True when the running context is out of C stack (rarely: the common
** path falls through, which saves a taken branch per call on the M0+). */
static inline int rp8_ctx_low(void) { return __builtin_expect(rp8_ctx_sp() < rp8_ctx_floor, 0); }

#ifdef __cplusplus
}
#endif

#endif
