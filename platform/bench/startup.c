/*
** startup.c -- reset and the vector table for the bench images (no SDK).
**
** Reset copies .data from flash, clears .bss, fills the stack with a
** pattern (the host finds the stack's high-water mark by reading how much
** of it is still intact), fills in the mailbox header, runs C++ static
** constructors and calls main().
** Every other exception stops at BKPT 0x3f so a fault never looks like a
** slow frame.
*/
#include <stdint.h>

#include "bench_mailbox.h"

#define STACK_PAINT 0x5354434bu   /* "KCTS" */

extern uint32_t __data_load[], __data_start[], __data_end[];
extern uint32_t __bss_start[], __bss_end[];
extern uint32_t __stack_base[], __stack_top[];
extern void (*__init_array_start[])(void), (*__init_array_end[])(void);

int main(void);
void bench_reset(void);

/* Naked-free C: the stack pointer is already set from vector 0 by the
** core (or by the runner, which loads it from the table). */
void bench_reset(void) {
  uint32_t *src = __data_load;
  for (uint32_t *dst = __data_start; dst < __data_end; dst++) *dst = *src++;
  for (uint32_t *dst = __bss_start; dst < __bss_end; dst++) *dst = 0;
  /* paint the stack below the current frame (leave 64 bytes for it) */
  uint32_t here = (uint32_t)(uintptr_t)&src;
  for (uint32_t *p = __stack_base; (uint32_t)(uintptr_t)p < here - 64u; p++) *p = STACK_PAINT;
  bench_box.magic = BENCH_MAGIC;
  bench_box.version = BENCH_VERSION;
  bench_box.stack_base = (uint32_t)(uintptr_t)__stack_base;
  bench_box.stack_top = (uint32_t)(uintptr_t)__stack_top;
  /* C++ static constructors (the AOT runtime may have some) */
  for (void (**f)(void) = __init_array_start; f < __init_array_end; f++) (*f)();
  int rc = main();
  bench_exit(rc == 0 ? BENCH_STATUS_DONE : BENCH_STATUS_ERROR);
}

static void bench_fault(void) {
  for (;;) __asm__ volatile("bkpt %0" : : "i"(BENCH_BKPT_FAULT) : "memory");
}

typedef void (*vector)(void);

/* 16 core exceptions and 32 interrupts: enough for both cores' tables; no
** interrupt is ever enabled. */
__attribute__((section(".vectors"), used))
const vector bench_vectors[48] = {
  (vector)(uintptr_t)__stack_top,
  bench_reset,
  bench_fault, bench_fault, bench_fault, bench_fault, bench_fault, bench_fault,
  bench_fault, bench_fault, bench_fault, bench_fault, bench_fault, bench_fault,
  bench_fault, bench_fault,
  bench_fault, bench_fault, bench_fault, bench_fault, bench_fault, bench_fault,
  bench_fault, bench_fault, bench_fault, bench_fault, bench_fault, bench_fault,
  bench_fault, bench_fault, bench_fault, bench_fault, bench_fault, bench_fault,
  bench_fault, bench_fault, bench_fault, bench_fault, bench_fault, bench_fault,
  bench_fault, bench_fault, bench_fault, bench_fault, bench_fault, bench_fault,
  bench_fault, bench_fault,
};
