/*
** p8_input.c -- btn, btnp and time() (see p8_input.h).
*/
#include <string.h>

#include "p8_fix.h"
#include "p8_input.h"

/* masks_lo holds players 0-3 (a byte each, player 0 lowest), masks_hi 4-7. */
void p8_input_frame(p8_state *p8, uint32_t masks_lo, uint32_t masks_hi, int32_t fps) {
  p8_input *in = &p8->input;
  int delay = p8->ram[P8_HW_BTNP_DLY], rate = p8->ram[P8_HW_BTNP_RATE];
  int scale = fps == 60 ? 2 : 1;
  int p, b;
  if (delay == 0) delay = 15;
  if (rate == 0) rate = 4;
  for (p = 0; p < 8; p++) {
    uint8_t m = (uint8_t)((p < 4 ? masks_lo : masks_hi) >> (8 * (p & 3)));
    uint8_t bits = 0;
    p8->ram[P8_HW_BUTTONS + p] = m;
    if (m == 0) {                       /* nothing held (most players, most frames) */
      memset(in->held[p], 0, sizeof in->held[p]);
      in->pressed[p] = 0;
      continue;
    }
    for (b = 0; b < 8; b++) {
      uint16_t c;
      if (!(m & (1u << b))) {
        in->held[p][b] = 0;
        continue;
      }
      if (in->held[p][b] < 0xfff0) in->held[p][b]++;
      c = in->held[p][b];
      if (c == 1 || (delay != 255 && c > delay * scale && (c - 1 - delay * scale) % (rate * scale) == 0))
        bits |= (uint8_t)(1u << b);
    }
    in->pressed[p] = bits;
  }
}

/* btn()/btnp() with no argument: players 0 and 1 as one bitfield; with i
** (and p, default 0): 1 when that button is down, 0 otherwise or out of
** range (the bindings turn it into a boolean). */
static fix32 button(const uint8_t *bits, fix32 i, fix32 p, int argc) {
  int32_t bi, pi;
  if (argc == 0) return P8_FIX(bits[0] + bits[1] * 256);
  bi = p8_fixi_int(i);
  pi = p8_fixi_int(p);
  if (bi < 0 || bi > 7 || pi < 0 || pi > 7) return 0;
  return ((bits[pi] >> bi) & 1u) ? P8_FIX_ONE : 0;
}

fix32 p8_btn(p8_state *p8, fix32 i, fix32 p, int argc) {
  return button(p8->ram + P8_HW_BUTTONS, i, p, argc);
}

fix32 p8_btnp(p8_state *p8, fix32 i, fix32 p, int argc) {
  return button(p8->input.pressed, i, p, argc);
}

void p8_clock_tick(p8_state *p8, int32_t fps) {
  p8->input.ticks60 += fps == 60 ? 1u : 2u;
}

/* Whole seconds and the remainder apart, so nothing overflows in 32 bits. */
fix32 p8_time(p8_state *p8) {
  uint32_t t = p8->input.ticks60, s = t / 60u, r = t % 60u;
  return p8_fixi_wrap((s << 16) + (r << 16) / 60u);
}
