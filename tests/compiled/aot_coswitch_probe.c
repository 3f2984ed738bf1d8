/*
** aot_coswitch_probe.c -- a freestanding program for tests/compiled/test_aot_coswitch.py:
** two contexts ping-pong through rp8_ctx_swap (aot/runtime/rt_ctx.cpp) on an
** emulated Cortex-M core, and the test reads `result` back.
**
** What it checks: values the compiler keeps in callee-saved registers
** across the switch survive in both contexts (many live locals force r4-r11
** into use); the new context starts with an 8-byte aligned stack; with an
** FPU, s16-s31 set before a switch read back the same after it.
*/
#include <stdint.h>

#include "rt_ctx.h"

static uint8_t stack_b[2048] __attribute__((aligned(8)));
static void *sp_main, *sp_b;
static volatile uint32_t shared;
volatile uint32_t result[8];

/* keep the compiler from folding the locals into constants */
static uint32_t opaque(uint32_t x) {
  __asm__ volatile("" : "+r"(x));
  return x;
}

#if defined(__ARM_FP)
static void set_fp(uint32_t base) {
  __asm__ volatile(
      "vmov s16, %0\n add %0, %0, #1\n vmov s17, %0\n add %0, %0, #1\n"
      "vmov s18, %0\n add %0, %0, #1\n vmov s19, %0\n add %0, %0, #1\n"
      "vmov s20, %0\n add %0, %0, #1\n vmov s21, %0\n add %0, %0, #1\n"
      "vmov s22, %0\n add %0, %0, #1\n vmov s23, %0\n add %0, %0, #1\n"
      "vmov s24, %0\n add %0, %0, #1\n vmov s25, %0\n add %0, %0, #1\n"
      "vmov s26, %0\n add %0, %0, #1\n vmov s27, %0\n add %0, %0, #1\n"
      "vmov s28, %0\n add %0, %0, #1\n vmov s29, %0\n add %0, %0, #1\n"
      "vmov s30, %0\n add %0, %0, #1\n vmov s31, %0\n"
      : "+r"(base)::"s16", "s17", "s18", "s19", "s20", "s21", "s22", "s23", "s24", "s25", "s26",
        "s27", "s28", "s29", "s30", "s31");
}
static uint32_t sum_fp(void) {
  uint32_t s = 0, t;
#define RP8_ADD(reg) __asm__ volatile("vmov %0, " reg : "=r"(t)); s = s * 31u + t;
  RP8_ADD("s16") RP8_ADD("s17") RP8_ADD("s18") RP8_ADD("s19") RP8_ADD("s20") RP8_ADD("s21")
  RP8_ADD("s22") RP8_ADD("s23") RP8_ADD("s24") RP8_ADD("s25") RP8_ADD("s26") RP8_ADD("s27")
  RP8_ADD("s28") RP8_ADD("s29") RP8_ADD("s30") RP8_ADD("s31")
#undef RP8_ADD
  return s;
}
#endif

static void entry_b(void) {
  uint32_t sp;
  __asm__ volatile("mov %0, sp" : "=r"(sp));
  result[0] = sp & 7u;                       /* 0: aligned at entry */
  uint32_t a = opaque(3), b = opaque(5), c = opaque(7), d = opaque(11);
  uint32_t e = opaque(13), f = opaque(17), g = opaque(19), h = opaque(23);
  for (;;) {
    shared = shared * 3u + a + b + c + d + e + f + g + h;
#if defined(__ARM_FP)
    set_fp(0x2000u + shared);   /* clobber: main must get its own back */
#endif
    rp8_ctx_swap(&sp_b, sp_main);
    a += 1; b += 2; c += 3; d += 4; e += 5; f += 6; g += 7; h += 8;
  }
}


/* Register-level check: one asm block sets every callee-saved register to
** a pattern, switches (bl rp8_ctx_swap) and sums the registers after the
** switch returns; the other context fills them with other numbers before
** it switches back. A register the switch does not restore changes the sum. */
#if __ARM_ARCH_ISA_THUMB == 1
#define RP8_SET_CORE(k)                                                    \
  "movs r4, #" #k "1\n movs r5, #" #k "2\n movs r6, #" #k "3\n movs r7, #" #k "4\n" \
  "movs r0, #" #k "5\n mov r8, r0\n movs r0, #" #k "6\n mov r9, r0\n"      \
  "movs r0, #" #k "7\n mov r10, r0\n movs r0, #" #k "8\n mov r11, r0\n"
#define RP8_SUM_CORE                                                        \
  "movs r0, #0\n add r0, r4\n add r0, r5\n add r0, r6\n add r0, r7\n"      \
  "add r0, r8\n add r0, r9\n add r0, r10\n add r0, r11\n"
#else
#define RP8_SET_CORE(k)                                                    \
  "mov r4, #" #k "1\n mov r5, #" #k "2\n mov r6, #" #k "3\n mov r7, #" #k "4\n" \
  "mov r8, #" #k "5\n mov r9, #" #k "6\n mov r10, #" #k "7\n mov r11, #" #k "8\n"
#define RP8_SUM_CORE                                                        \
  "mov r0, #0\n add r0, r4\n add r0, r5\n add r0, r6\n add r0, r7\n"       \
  "add r0, r8\n add r0, r9\n add r0, r10\n add r0, r11\n"
#endif
#if defined(__ARM_FP)
#define RP8_SET_FP(k)                                                      \
  "mov r0, #" #k "1\n vmov s16, r0\n vmov s17, r0\n mov r0, #" #k "2\n vmov s18, r0\n vmov s19, r0\n" \
  "mov r0, #" #k "3\n vmov s20, r0\n vmov s21, r0\n mov r0, #" #k "4\n vmov s22, r0\n vmov s23, r0\n" \
  "mov r0, #" #k "5\n vmov s24, r0\n vmov s25, r0\n mov r0, #" #k "6\n vmov s26, r0\n vmov s27, r0\n" \
  "mov r0, #" #k "7\n vmov s28, r0\n vmov s29, r0\n mov r0, #" #k "8\n vmov s30, r0\n vmov s31, r0\n"
#define RP8_SUM_FP                                                          \
  "vmov r1, s16\n add r0, r1\n vmov r1, s17\n add r0, r1\n vmov r1, s18\n add r0, r1\n"     \
  "vmov r1, s19\n add r0, r1\n vmov r1, s20\n add r0, r1\n vmov r1, s21\n add r0, r1\n"     \
  "vmov r1, s22\n add r0, r1\n vmov r1, s23\n add r0, r1\n vmov r1, s24\n add r0, r1\n"     \
  "vmov r1, s25\n add r0, r1\n vmov r1, s26\n add r0, r1\n vmov r1, s27\n add r0, r1\n"     \
  "vmov r1, s28\n add r0, r1\n vmov r1, s29\n add r0, r1\n vmov r1, s30\n add r0, r1\n"     \
  "vmov r1, s31\n add r0, r1\n"
#define RP8_FP_CLOBBERS , "s16", "s17", "s18", "s19", "s20", "s21", "s22", "s23", "s24", "s25", \
  "s26", "s27", "s28", "s29", "s30", "s31"
#else
#define RP8_SET_FP(k) ""
#define RP8_SUM_FP ""
#define RP8_FP_CLOBBERS
#endif

/* named only inside the asm below */
__attribute__((used)) static void *sp_c, *sp_m2;
__attribute__((used)) static uint32_t check_sum;
static uint8_t stack_c[1024] __attribute__((aligned(8)));

static void entry_c(void) {
  for (;;) {
    __asm__ volatile(RP8_SET_CORE(9) RP8_SET_FP(9)
                     "ldr r0, =sp_c\n ldr r1, =sp_m2\n ldr r1, [r1]\n bl rp8_ctx_swap\n"
                     ::: "r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8", "r9", "r10", "r11",
                     "r12", "lr", "memory" RP8_FP_CLOBBERS);
  }
}

static uint32_t register_check(void) {
  sp_c = rp8_ctx_init(stack_c, sizeof stack_c, entry_c);
  __asm__ volatile(RP8_SET_CORE(1) RP8_SET_FP(1)
                   "ldr r0, =sp_m2\n ldr r1, =sp_c\n ldr r1, [r1]\n bl rp8_ctx_swap\n"
                   RP8_SUM_CORE RP8_SUM_FP
                   "ldr r1, =check_sum\n str r0, [r1]\n"
                   ::: "r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8", "r9", "r10",
                   "r11", "r12", "lr", "memory" RP8_FP_CLOBBERS);
  return check_sum;
}

/* The test calls this; it returns to the address the test put in lr. */
void probe(void) {
  uint32_t a = opaque(100), b = opaque(200), c = opaque(300), d = opaque(400);
  uint32_t e = opaque(500), f = opaque(600), g = opaque(700), h = opaque(800);
  sp_b = rp8_ctx_init(stack_b, sizeof stack_b, entry_b);
  shared = 1;
#if defined(__ARM_FP)
  set_fp(0x1000u);
  uint32_t want = sum_fp();
#endif
  for (int i = 0; i < 5; i++) {
    rp8_ctx_swap(&sp_main, sp_b);
    a ^= shared; b += a; c += b; d += c; e += d; f += e; g += f; h += g;
  }
  result[1] = shared;
  result[2] = a + b + c + d + e + f + g + h;
#if defined(__ARM_FP)
  result[3] = sum_fp() == want ? 1u : 0u;
#else
  result[3] = 1u;
#endif
  result[5] = register_check();
  result[4] = 0x600du;
}
