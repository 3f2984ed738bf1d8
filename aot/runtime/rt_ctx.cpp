/*
** rt_ctx.cpp -- the context switch, a few instructions of assembly per
** target: push the callee-saved registers of the C ABI on the running
** stack, save the stack pointer, load the other one, pop. Targets:
**   x86-64 System V (the desktop);
**   ARMv6-M (Cortex-M0+, RP2040): Thumb-1, where push and pop reach only
**     r0-r7, so r8-r11 pass through r4-r7;
**   ARMv7-M / ARMv8-M mainline (Cortex-M33, RP2350): Thumb-2; with an FPU
**     the AAPCS makes s16-s31 callee-saved too.
** Other targets fail to compile with a message rather than guess.
*/
#include "rt_ctx.h"

uintptr_t rp8_ctx_floor = 0;

/* ------------------------------------------------------------------ the switch, per target */

#if defined(__x86_64__) && !defined(_WIN32) && !defined(__APPLE__)
/* System V: rbx, rbp, r12-r15 are callee-saved (the runtime uses no x87
** or SSE state that a switch would have to carry). */
asm(".text\n"
    ".globl rp8_ctx_swap\n"
    ".type rp8_ctx_swap,@function\n"
    "rp8_ctx_swap:\n"
    "  pushq %rbp\n"
    "  pushq %rbx\n"
    "  pushq %r12\n"
    "  pushq %r13\n"
    "  pushq %r14\n"
    "  pushq %r15\n"
    "  movq %rsp, (%rdi)\n"
    "  movq %rsi, %rsp\n"
    "  popq %r15\n"
    "  popq %r14\n"
    "  popq %r13\n"
    "  popq %r12\n"
    "  popq %rbx\n"
    "  popq %rbp\n"
    "  ret\n"
    ".size rp8_ctx_swap, .-rp8_ctx_swap\n");

/* A new stack that "returns" into entry with the alignment of a call:
** six zero registers, then entry's address, then a zero return address. */
extern "C" void *rp8_ctx_init(uint8_t *base, size_t size, void (*entry)(void)) {
  uintptr_t top = ((uintptr_t)(base + size)) & ~(uintptr_t)15;
  void **sp = (void **)top;
  *--sp = 0;                    /* entry's own return address: never used */
  *--sp = (void *)entry;
  for (int i = 0; i < 6; i++) *--sp = 0;
  return sp;
}

#elif defined(__arm__) && defined(__thumb__) && __ARM_ARCH_ISA_THUMB == 1
/* ARMv6-M: r4-r11 are callee-saved; push/pop reach only r0-r7 and lr/pc,
** so r8-r11 go through r4-r7. Frame, low to high: r8-r11, r4-r7, pc. */
asm(".syntax unified\n"
    ".text\n"
    ".thumb\n"
    ".globl rp8_ctx_swap\n"
    ".type rp8_ctx_swap,%function\n"
    ".thumb_func\n"
    "rp8_ctx_swap:\n"
    "  push {r4-r7, lr}\n"
    "  mov r4, r8\n"
    "  mov r5, r9\n"
    "  mov r6, r10\n"
    "  mov r7, r11\n"
    "  push {r4-r7}\n"
    "  mov r2, sp\n"
    "  str r2, [r0]\n"
    "  mov sp, r1\n"
    "  pop {r4-r7}\n"
    "  mov r8, r4\n"
    "  mov r9, r5\n"
    "  mov r10, r6\n"
    "  mov r11, r7\n"
    "  pop {r4-r7, pc}\n"
    ".size rp8_ctx_swap, .-rp8_ctx_swap\n");

enum { CTX_WORDS = 9 };

#elif defined(__arm__) && defined(__thumb2__)
/* ARMv7-M / ARMv8-M mainline: push r4-r11 and lr at once; with an FPU the
** AAPCS makes s16-s31 callee-saved as well. Frame, low to high:
** [s16-s31], r4-r11, pc. */
#if defined(__ARM_FP)
#define RP8_VPUSH "  vpush {s16-s31}\n"
#define RP8_VPOP "  vpop {s16-s31}\n"
enum { CTX_WORDS = 9 + 16 };
#else
#define RP8_VPUSH ""
#define RP8_VPOP ""
enum { CTX_WORDS = 9 };
#endif
asm(".syntax unified\n"
    ".text\n"
    ".thumb\n"
    ".globl rp8_ctx_swap\n"
    ".type rp8_ctx_swap,%function\n"
    ".thumb_func\n"
    "rp8_ctx_swap:\n"
    "  push {r4-r11, lr}\n"
    RP8_VPUSH
    "  mov r2, sp\n"
    "  str r2, [r0]\n"
    "  mov sp, r1\n"
    RP8_VPOP
    "  pop {r4-r11, pc}\n"
    ".size rp8_ctx_swap, .-rp8_ctx_swap\n");

#else
#error "rp8: no context switch for this target yet (x86-64 System V, ARMv6-M, ARMv7/8-M)"
#endif

#if defined(__arm__)
/* The frame the swap pops: zeros for the registers, entry for pc (a
** function pointer has the Thumb bit set), leaving sp 8-byte aligned at
** entry as the AAPCS wants. */
extern "C" void *rp8_ctx_init(uint8_t *base, size_t size, void (*entry)(void)) {
  uintptr_t top = (((uintptr_t)(base + size)) & ~(uintptr_t)7) - 8;
  uint32_t *sp = (uint32_t *)top - CTX_WORDS;
  for (int i = 0; i < CTX_WORDS - 1; i++) sp[i] = 0;
  sp[CTX_WORDS - 1] = (uint32_t)(uintptr_t)entry;
  return sp;
}
#endif

