/*
** p8_rng.h -- PICO-8's random number generator: srand() and rnd().
**
** The whole generator state is the 8 bytes at 0x5f44 (P8_HW_RNG), so a cart
** that pokes or saves them changes or replays the sequence, as in PICO-8:
**   0x5f44..0x5f47  hi, uint32 little endian (rnd() draws from it)
**   0x5f48..0x5f4b  lo, uint32 little endian
** Power-on leaves both zero, which is a dead state (every rnd() gives 0);
** real PICO-8 seeds from the clock when a cart starts, so the host must call
** p8_srand with a seed of its choosing (time, or a fixed one for tests).
*/
#ifndef p8_rng_h
#define p8_rng_h

#include <stdint.h>

#include "p8.h"

/* rp8:api begin */
void p8_srand(p8_state *p8, fix32 seed);
fix32 p8_rnd(p8_state *p8, fix32 range);
int32_t p8_rnd_int(p8_state *p8, int32_t n);
/* rp8:api end */

#endif
