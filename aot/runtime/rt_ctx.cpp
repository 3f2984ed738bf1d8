/*
** rt_ctx.cpp -- the context switch, a few instructions of assembly per
** target: push the callee-saved registers of the C ABI on the running
** stack, save the stack pointer, load the other one, pop. Targets:
**   x86-64 System V (Linux, macOS);
**   AArch64 AAPCS64 (Linux, and macOS arm64, whose only differences here
**     are the leading underscore of symbols and x18, which it reserves and
**     Linux treats as a scratch register: neither saves it);
**   ARMv6-M (Cortex-M0+, RP2040): Thumb-1, where push and pop reach only
**     r0-r7, so r8-r11 pass through r4-r7;
**   ARMv7-M / ARMv8-M mainline (Cortex-M33, RP2350): Thumb-2; with an FPU
**     the AAPCS makes s16-s31 callee-saved too.
**   WebAssembly (emscripten, -sASYNCIFY): wasm cannot move its own call
**     stack, so a switch is emscripten's fiber swap, which unwinds the
**     running stack into a save area and rewinds the other one's;
** Anywhere else on POSIX, or with -DRP8_CTX_PORTABLE=1, the portable switch:
** ucontext's swapcontext, which also saves and restores the signal mask
** with a system call each time (ARCHITECTURE.md gives the cost).
*/
#if defined(__EMSCRIPTEN__)
#define RP8_CTX_PORTABLE 0
#endif
#if !defined(RP8_CTX_PORTABLE)
#if ((defined(__x86_64__) || defined(__aarch64__)) && !defined(_WIN32)) || \
    (defined(__arm__) && defined(__thumb__))
#define RP8_CTX_PORTABLE 0
#else
#define RP8_CTX_PORTABLE 1
#endif
#endif

#if RP8_CTX_PORTABLE && defined(__APPLE__)
#define _XOPEN_SOURCE 700 /* macOS hides the ucontext calls without it */
#endif

#include "rt_ctx.h"

uintptr_t rp8_ctx_floor = 0;

/* Opening and closing an assembly function: Mach-O names C symbols with a
** leading underscore and has no .type/.size. */
#if defined(__APPLE__)
#define RP8_ASM_BEGIN(name) ".text\n.globl _" name "\n.p2align 4\n_" name ":\n"
#define RP8_ASM_END(name) ""
#else
#define RP8_ASM_BEGIN(name) ".text\n.globl " name "\n.type " name ",%function\n" name ":\n"
#define RP8_ASM_END(name) ".size " name ", .-" name "\n"
#endif

/* ------------------------------------------------------------------ the switch, per target */

#if RP8_CTX_PORTABLE
#if defined(_WIN32)
#error "rp8: no context switch for Windows yet (the portable one needs POSIX ucontext)"
#endif
#include <ucontext.h>

/* The saving side keeps its ucontext on its own stack, which stays as it
** is while the context is suspended; *save_sp points at it. */
extern "C" void rp8_ctx_swap(void **save_sp, void *load_sp) {
  ucontext_t here;
  /* swapcontext leaves uc_stack alone; ASan's interceptor reads it when
  ** this context is resumed, and a zero size means "not a new stack" */
  here.uc_stack.ss_sp = 0;
  here.uc_stack.ss_size = 0;
  *save_sp = &here;
  swapcontext(&here, (ucontext_t *)load_sp);
}

/* A new context keeps its first ucontext at the top of its own stack. */
extern "C" void *rp8_ctx_init(uint8_t *base, size_t size, void (*entry)(void)) {
  uintptr_t at = ((uintptr_t)(base + size) - sizeof(ucontext_t)) & ~(uintptr_t)63;
  ucontext_t *uc = (ucontext_t *)at;
  getcontext(uc);
  uc->uc_stack.ss_sp = base;
  uc->uc_stack.ss_size = at - (uintptr_t)base;
  uc->uc_link = 0;
  makecontext(uc, entry, 0);
  return uc;
}

#elif defined(__EMSCRIPTEN__)
#include <emscripten/fiber.h>

/* A context is an emscripten fiber: a C (shadow) stack plus Asyncify's
** save area, where the wasm call stack and its locals go while the fiber
** is suspended. The handle is the fiber. The host's side (whoever calls
** the runner) becomes a fiber at its first switch. The save area must hold
** the deepest chain of frames that can be suspended: the runner's depth
** limits (RP8_MAX_DEPTH, RP8_CO_MAX_DEPTH in a web build) keep it there. */
enum { RP8_HOST_SAVE = 4 * 1024 * 1024 };   /* a menu callback may resume a coroutine */
static emscripten_fiber_t host_fiber;
alignas(16) static uint8_t host_save[RP8_HOST_SAVE];
static emscripten_fiber_t *running_fiber;

extern "C" void rp8_ctx_swap(void **save_sp, void *load_sp) {
  if (running_fiber == 0) {
    emscripten_fiber_init_from_current_context(&host_fiber, host_save, sizeof host_save);
    running_fiber = &host_fiber;
  }
  emscripten_fiber_t *from = running_fiber;
  *save_sp = from;
  running_fiber = (emscripten_fiber_t *)load_sp;
  emscripten_fiber_swap(from, running_fiber);
}

static void fiber_start(void *entry) { ((void (*)(void))entry)(); }

/* The region holds, low to high: the C stack (a quarter), the save area,
** the fiber itself. */
extern "C" void *rp8_ctx_init(uint8_t *base, size_t size, void (*entry)(void)) {
  uintptr_t top = ((uintptr_t)(base + size) - sizeof(emscripten_fiber_t)) & ~(uintptr_t)15;
  emscripten_fiber_t *f = (emscripten_fiber_t *)top;
  size_t cstack = (size / 4) & ~(size_t)15;
  uint8_t *save = base + cstack;
  emscripten_fiber_init(f, fiber_start, (void *)entry, base, cstack, save, (size_t)((uint8_t *)f - save));
  return f;
}

#elif defined(__x86_64__)
/* System V: rbx, rbp, r12-r15 are callee-saved (the runtime uses no x87
** or SSE state that a switch would have to carry). */
asm(RP8_ASM_BEGIN("rp8_ctx_swap")
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
    RP8_ASM_END("rp8_ctx_swap"));

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

#elif defined(__aarch64__)
/* AAPCS64: x19-x28, the frame pointer x29, the link register x30 and the
** low halves of v8-v15 (d8-d15) are callee-saved; sp stays 16-byte
** aligned. Frame, low to high: x19-x28, x29, x30, d8-d15 (160 bytes). The
** host calls into the runner from code that may keep doubles in d8-d15,
** so unlike x86-64 the floating-point half cannot be left out. The first
** instruction is BTI's landing pad (bti c, a no-op on cores without it),
** for a call through a PLT where branch protection is on; the new context
** is entered by ret, which BTI does not check. */
asm(RP8_ASM_BEGIN("rp8_ctx_swap")
    "  hint #34\n"
    "  sub sp, sp, #160\n"
    "  stp x19, x20, [sp, #0]\n"
    "  stp x21, x22, [sp, #16]\n"
    "  stp x23, x24, [sp, #32]\n"
    "  stp x25, x26, [sp, #48]\n"
    "  stp x27, x28, [sp, #64]\n"
    "  stp x29, x30, [sp, #80]\n"
    "  stp d8, d9, [sp, #96]\n"
    "  stp d10, d11, [sp, #112]\n"
    "  stp d12, d13, [sp, #128]\n"
    "  stp d14, d15, [sp, #144]\n"
    "  mov x2, sp\n"
    "  str x2, [x0]\n"
    "  mov sp, x1\n"
    "  ldp x19, x20, [sp, #0]\n"
    "  ldp x21, x22, [sp, #16]\n"
    "  ldp x23, x24, [sp, #32]\n"
    "  ldp x25, x26, [sp, #48]\n"
    "  ldp x27, x28, [sp, #64]\n"
    "  ldp x29, x30, [sp, #80]\n"
    "  ldp d8, d9, [sp, #96]\n"
    "  ldp d10, d11, [sp, #112]\n"
    "  ldp d12, d13, [sp, #128]\n"
    "  ldp d14, d15, [sp, #144]\n"
    "  add sp, sp, #160\n"
    "  ret\n"
    RP8_ASM_END("rp8_ctx_swap"));

/* The frame the swap pops: zeros (a zero x29 ends the frame chain for
** debuggers), entry in x30, and the 16-byte aligned top of the stack left
** in sp when entry starts. */
extern "C" void *rp8_ctx_init(uint8_t *base, size_t size, void (*entry)(void)) {
  uintptr_t top = ((uintptr_t)(base + size)) & ~(uintptr_t)15;
  uint64_t *sp = (uint64_t *)top - 20;
  for (int i = 0; i < 20; i++) sp[i] = 0;
  sp[11] = (uint64_t)(uintptr_t)entry;
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
#error "rp8: no assembly context switch for this target (RP8_CTX_PORTABLE=1 selects the portable one)"
#endif

#if !RP8_CTX_PORTABLE && defined(__arm__)
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

