/*
** p8_rng.c -- PICO-8's random generator, as reverse-engineered by zepto8
** (samhocevar/zepto8 src/pico8/vm.cpp) and confirmed against real PICO-8 by
** the rnd() re-implementation on lexaloffle BBS tid 51113:
**   step:   hi = rotl(hi, 16) + lo;  lo = lo + hi      (all mod 2^32)
**   rnd(x): step, then hi % x with both taken as unsigned 32-bit raw bits;
**           rnd(0) is 0 and does not step
**   srand(s): lo = s & 0x7fffffff (0xdeadbeef if that is 0);
**             hi = lo ^ 0xbead29ba; then 32 steps
** Which word sits at 0x5f44 is zepto8's layout (hi first); fake-08 has the
** opposite order and no public PICO-8 test decides it.
*/
#include "p8_fix.h"
#include "p8_rng.h"

static uint32_t load32(const uint8_t *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void store32(uint8_t *p, uint32_t v) {
  p[0] = (uint8_t)v;
  p[1] = (uint8_t)(v >> 8);
  p[2] = (uint8_t)(v >> 16);
  p[3] = (uint8_t)(v >> 24);
}

/* One step of the generator; returns the new hi. */
static uint32_t step(p8_state *p8) {
  uint8_t *st = p8->ram + P8_HW_RNG;
  uint32_t hi = load32(st), lo = load32(st + 4);
  hi = ((hi << 16) | (hi >> 16)) + lo;
  lo += hi;
  store32(st, hi);
  store32(st + 4, lo);
  return hi;
}

void p8_srand(p8_state *p8, fix32 seed) {
  uint8_t *st = p8->ram + P8_HW_RNG;
  uint32_t lo = (uint32_t)seed & 0x7fffffffu;
  int i;
  if (lo == 0) lo = 0xdeadbeefu;
  store32(st, lo ^ 0xbead29bau);
  store32(st + 4, lo);
  for (i = 0; i < 32; i++) step(p8);
}

/* rnd(range): 0 <= result < range for positive ranges. A negative range is
** a huge unsigned one, so the result is the raw hi bits or close to them,
** as in PICO-8. rnd() with no argument is rnd(1): the binding passes 1.0. */
fix32 p8_rnd(p8_state *p8, fix32 range) {
  uint32_t hi;
  if (range == 0) return 0;
  hi = step(p8);
  /* rnd(1), rnd(128), ...: a power-of-two range is a mask (the M0+ divides
  ** in software) */
  if (((uint32_t)range & ((uint32_t)range - 1u)) == 0) return p8_fixi_wrap(hi & ((uint32_t)range - 1u));
  return p8_fixi_wrap(hi % (uint32_t)range);
}

/* flr(rnd(n)) for a whole n >= 1, as rnd(tbl) uses to pick tbl[flr(rnd(#tbl))+1].
** n <= 0 consumes nothing and gives 0 (rnd of an empty table is nil: the
** binding checks that first). */
int32_t p8_rnd_int(p8_state *p8, int32_t n) {
  fix32 r;
  if (n <= 0) return 0;
  r = p8_rnd(p8, P8_FIX(n));
  return p8_fixi_int(r);
}
