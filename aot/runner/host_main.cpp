/*
** host_main.cpp -- the smallest host: run a compiled cart's main chunk on
** the desktop, printh to stdout, errors to stderr (exit status 1).
**
** It is the platform layer of `rp8 aot --run` and of the tests: the only
** file here that touches stdio. The arena and stack sizes are build
** choices (-DRP8_ARENA_SIZE, -DRP8_STACK_SLOTS, -DRP8_MAX_DEPTH).
*/
#include <stdio.h>

#include "rp8rt.h"

#ifndef RP8_ARENA_SIZE
#define RP8_ARENA_SIZE (2 * 1024 * 1024)
#endif
#ifndef RP8_STACK_SLOTS
#define RP8_STACK_SLOTS 65536
#endif
#ifndef RP8_MAX_DEPTH
#define RP8_MAX_DEPTH 2000
#endif

extern const rp8::Cart rp8_cart;

static p8_state machine;
alignas(8) static uint8_t memory[RP8_ARENA_SIZE + RP8_STACK_SLOTS * sizeof(rp8::Value)];

static void write_out(void *ud, int stream, const char *s, size_t n) {
  (void)ud;
  fwrite(s, 1, n, stream == 2 ? stderr : stdout);
}

/* print() draws on the screen; the headless host also logs its text, as
** the desktop harness does, so tests see it. */
static void echo_print(const uint8_t *s, size_t n) {
  write_out(0, 1, (const char *)s, n);
  write_out(0, 1, "\n", 1);
}

static int report(rp8::State *L) {
  size_t n;
  const char *m = rp8::rt_errtext(L, &n);
  fflush(stdout);
  fprintf(stderr, "runtime error: %.*s\n", (int)n, m);
  return 1;
}

int main(void) {
  static rp8::State L;
  p8_power_on(&machine);
  machine.print_text = echo_print;
  p8_srand(&machine, 0);
  rp8::rt_init(&L, memory, sizeof memory, RP8_STACK_SLOTS, &machine, write_out, 0);
  L.max_depth = RP8_MAX_DEPTH;
  if (rp8::rt_load(&L, &rp8_cart) != 0) return report(&L);
  if (rp8::rt_pcall(&L, rp8::lightfn(0), 0, 0) != 0) return report(&L);
  fflush(stdout);
  return 0;
}
