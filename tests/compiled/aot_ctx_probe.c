/*
** aot_ctx_probe.c -- a hosted program for tests/compiled/test_aot_ctx_desktop.py: two
** contexts ping-pong through rp8_ctx_swap (aot/runtime/rt_ctx.cpp) on a
** desktop target (x86-64 or AArch64, the assembly or the portable switch;
** AArch64 runs under qemu-user) and it prints what the test checks.
**
** What it checks: values the compiler keeps in callee-saved registers
** across the switch survive in both contexts (many live locals); the new
** context starts with its stack aligned as the ABI wants (a 16-byte
** aligned local lands on a 16-byte boundary only then); every callee-saved
** register set in assembly before the switch reads back the same after it
** (rbx, r12-r15 on x86-64; x19-x28 and d8-d15 on AArch64), while the other
** context fills them with other numbers.
**
** `probe bench N` times N round trips instead (benches/ctx_switch.py).
*/
#define _POSIX_C_SOURCE 200809L /* clock_gettime */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rt_ctx.h"

static uint8_t stack_b[64 * 1024] __attribute__((aligned(16)));
static void *sp_main, *sp_b;
static volatile uint32_t shared;
static volatile uint32_t misaligned;

/* keep the compiler from folding the locals into constants */
static uint32_t opaque(uint32_t x) {
  __asm__ volatile("" : "+r"(x));
  return x;
}

static void entry_b(void) {
  _Alignas(16) volatile char probe[16];
  uintptr_t at = (uintptr_t)probe;
  __asm__ volatile("" : "+r"(at)); /* else the compiler knows the answer */
  misaligned = (uint32_t)(at & 15u);
  probe[0] = 0;
  uint32_t a = opaque(3), b = opaque(5), c = opaque(7), d = opaque(11);
  uint32_t e = opaque(13), f = opaque(17), g = opaque(19), h = opaque(23);
  for (;;) {
    shared = shared * 3u + a + b + c + d + e + f + g + h;
    rp8_ctx_swap(&sp_b, sp_main);
    a += 1; b += 2; c += 3; d += 4; e += 5; f += 6; g += 7; h += 8;
  }
}

/* Register-level check: one asm block sets every callee-saved register to
** a pattern, switches and sums the registers after the switch returns; the
** other context fills them with other numbers before it switches back. A
** register the switch does not restore changes the sum. */
__attribute__((used)) static void *sp_c, *sp_m2;
__attribute__((used)) static uint64_t check_sum;
static uint8_t stack_c[64 * 1024] __attribute__((aligned(16)));

#if defined(__x86_64__)
/* The call needs a 16-byte aligned stack (the portable switch is C): the
** old rsp is kept on the stack around it. The probe is built without the
** red zone, so the call's push overwrites nothing of the compiler's. */
#define RP8_SET(k)                                                                    \
  "movq $" #k "1, %%rbx\n movq $" #k "2, %%r12\n movq $" #k "3, %%r13\n"                \
  "movq $" #k "4, %%r14\n movq $" #k "5, %%r15\n"
#define RP8_SWAP(save, load)                                                          \
  "movq %%rsp, %%rax\n andq $-16, %%rsp\n pushq %%rax\n pushq %%rax\n"                \
  "leaq " save "(%%rip), %%rdi\n movq " load "(%%rip), %%rsi\n call rp8_ctx_swap@PLT\n" \
  "movq (%%rsp), %%rsp\n"
#define RP8_SUM                                                                       \
  "movq %%rbx, %%rax\n addq %%r12, %%rax\n addq %%r13, %%rax\n addq %%r14, %%rax\n"    \
  "addq %%r15, %%rax\n movq %%rax, check_sum(%%rip)\n"
#define RP8_CLOBBERS                                                                  \
  "rax", "rbx", "rcx", "rdx", "rsi", "rdi", "r8", "r9", "r10", "r11", "r12", "r13", "r14", \
  "r15", "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9",   \
  "xmm10", "xmm11", "xmm12", "xmm13", "xmm14", "xmm15", "memory", "cc"
#define RP8_REGS 5
#elif defined(__aarch64__)
#define RP8_SET(k)                                                                    \
  "mov x19, #" #k "1\n mov x20, #" #k "2\n mov x21, #" #k "3\n mov x22, #" #k "4\n"     \
  "mov x23, #" #k "5\n mov x24, #" #k "6\n mov x25, #" #k "7\n mov x26, #" #k "8\n"     \
  "mov x27, #" #k "9\n mov x28, #" #k "0\n"                                           \
  "mov x0, #" #k "11\n fmov d8, x0\n mov x0, #" #k "12\n fmov d9, x0\n"                 \
  "mov x0, #" #k "13\n fmov d10, x0\n mov x0, #" #k "14\n fmov d11, x0\n"               \
  "mov x0, #" #k "15\n fmov d12, x0\n mov x0, #" #k "16\n fmov d13, x0\n"               \
  "mov x0, #" #k "17\n fmov d14, x0\n mov x0, #" #k "18\n fmov d15, x0\n"
#define RP8_SWAP(save, load)                                                          \
  "adrp x0, " save "\n add x0, x0, :lo12:" save "\n"                                  \
  "adrp x1, " load "\n ldr x1, [x1, :lo12:" load "]\n bl rp8_ctx_swap\n"
#define RP8_SUM                                                                       \
  "add x0, x19, x20\n add x0, x0, x21\n add x0, x0, x22\n add x0, x0, x23\n"           \
  "add x0, x0, x24\n add x0, x0, x25\n add x0, x0, x26\n add x0, x0, x27\n"            \
  "add x0, x0, x28\n"                                                                 \
  "fmov x1, d8\n add x0, x0, x1\n fmov x1, d9\n add x0, x0, x1\n"                       \
  "fmov x1, d10\n add x0, x0, x1\n fmov x1, d11\n add x0, x0, x1\n"                     \
  "fmov x1, d12\n add x0, x0, x1\n fmov x1, d13\n add x0, x0, x1\n"                     \
  "fmov x1, d14\n add x0, x0, x1\n fmov x1, d15\n add x0, x0, x1\n"                     \
  "adrp x1, check_sum\n str x0, [x1, :lo12:check_sum]\n"
#define RP8_CLOBBERS                                                                  \
  "x0", "x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13",  \
  "x14", "x15", "x16", "x17", "x19", "x20", "x21", "x22", "x23", "x24", "x25", "x26",     \
  "x27", "x28", "x30", "v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9", "v10", \
  "v11", "v12", "v13", "v14", "v15", "v16", "v17", "v18", "v19", "v20", "v21", "v22",     \
  "v23", "v24", "v25", "v26", "v27", "v28", "v29", "v30", "v31", "memory", "cc"
#define RP8_REGS 18
#else
#error "aot_ctx_probe: no register check for this target"
#endif

static void entry_c(void) {
  for (;;) {
    __asm__ volatile(RP8_SET(9) RP8_SWAP("sp_c", "sp_m2") ::: RP8_CLOBBERS);
  }
}

static uint64_t register_check(void) {
  sp_c = rp8_ctx_init(stack_c, sizeof stack_c, entry_c);
  __asm__ volatile(RP8_SET(1) RP8_SWAP("sp_m2", "sp_c") RP8_SUM ::: RP8_CLOBBERS);
  return check_sum;
}

/* the sum register_check must find: the main context's pattern "1..." */
static uint64_t register_want(void) {
#if defined(__x86_64__)
  return 11 + 12 + 13 + 14 + 15;
#else
  return 11 + 12 + 13 + 14 + 15 + 16 + 17 + 18 + 19 + 10 + 111 + 112 + 113 + 114 + 115 + 116 + 117 + 118;
#endif
}

static void entry_bench(void) {
  for (;;) rp8_ctx_swap(&sp_b, sp_main);
}

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t); /* CPU time, user and system: a loaded machine skews less */
  return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

int main(int argc, char **argv) {
  if (argc == 3 && strcmp(argv[1], "bench") == 0) {
    long n = atol(argv[2]);
    sp_b = rp8_ctx_init(stack_b, sizeof stack_b, entry_bench);
    double t0 = now();
    for (long i = 0; i < n; i++) rp8_ctx_swap(&sp_main, sp_b);
    double t1 = now();
    printf("%.1f ns per switch (%ld round trips)\n", (t1 - t0) * 1e9 / (2.0 * (double)n), n);
    return 0;
  }
  uint32_t a = opaque(100), b = opaque(200), c = opaque(300), d = opaque(400);
  uint32_t e = opaque(500), f = opaque(600), g = opaque(700), h = opaque(800);
  sp_b = rp8_ctx_init(stack_b, sizeof stack_b, entry_b);
  shared = 1;
  for (int i = 0; i < 5; i++) {
    rp8_ctx_swap(&sp_main, sp_b);
    a ^= shared; b += a; c += b; d += c; e += d; f += e; g += f; h += g;
  }
  printf("aligned %d\n", misaligned == 0);
  printf("shared %u\n", (unsigned)shared);
  printf("checksum %u\n", (unsigned)(a + b + c + d + e + f + g + h));
  printf("registers %d of %d kept\n", register_check() == register_want() ? RP8_REGS : 0, RP8_REGS);
  return 0;
}
