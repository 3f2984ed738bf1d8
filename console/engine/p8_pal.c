/*
** p8_pal.c -- the draw-state functions: pal, palt, color, cursor, camera,
** clip, fillp. Each one only reads and writes RAM 0x5f00-0x5f6f, so a
** poke there is indistinguishable from a call.
*/
#include "p8_draw.h"
#include "p8_gfx.h"

/* uint32 bits as a fix32 without an implementation-defined conversion. */
static fix32 bits_to_fix(uint32_t v) {
  return (v & 0x80000000u) ? -(fix32)(~v) - 1 : (fix32)v;
}

/* ---- pal ---- */

static void reset_draw_colors(uint8_t *ram) {
  int i;
  for (i = 0; i < 16; i++)     /* colours only: transparency bits stay */
    ram[P8_DS_DRAWPAL + i] = (uint8_t)((ram[P8_DS_DRAWPAL + i] & 0xf0) | i);
}

static void reset_screen_palette(uint8_t *ram) {
  int i;
  for (i = 0; i < 16; i++)
    ram[P8_DS_SCREENPAL + i] = (uint8_t)i;
}

static void reset_secondary_palette(uint8_t *ram) {
  int i;
  for (i = 0; i < 16; i++)
    ram[P8_HW_SECPAL + i] = 0;
}

static void reset_transparency(uint8_t *ram) {
  int i;
  for (i = 0; i < 16; i++)
    ram[P8_DS_DRAWPAL + i] = (uint8_t)((ram[P8_DS_DRAWPAL + i] & 15) | (i == 0 ? 0x10 : 0));
}

/* pal()            all three palettes and transparency to defaults
** pal(p)           palette p (0 draw, 1 screen, 2 secondary) to defaults
** pal(c0, c1 [,p]) one entry; returns the previous value
** The table form pal(tbl [,p]) is the binding's loop over this one. */
fix32 p8_pal(p8_state *p8, fix32 c0, fix32 c1, fix32 p, int argc) {
  uint8_t *ram = p8->ram;
  int which, i, v;
  uint8_t prev;
  if (argc == 0) {
    reset_draw_colors(ram);
    reset_transparency(ram);
    reset_screen_palette(ram);
    reset_secondary_palette(ram);
    return 0;
  }
  if (argc == 1) {
    which = p8_flr(c0);
    if (which == 0) reset_draw_colors(ram);
    else if (which == 1) reset_screen_palette(ram);
    else if (which == 2) reset_secondary_palette(ram);
    return 0;
  }
  which = argc >= 3 ? p8_flr(p) : 0;
  i = p8_flr(c0) & 15;
  v = p8_flr(c1);
  switch (which) {
  case 0:
    prev = ram[P8_DS_DRAWPAL + i];
    ram[P8_DS_DRAWPAL + i] = (uint8_t)((prev & 0xf0) | (v & 15));
    return P8_FIX(prev & 15);
  case 1:
    /* 0-15 and the secret colours 128-143 (0x80 | c) */
    prev = ram[P8_DS_SCREENPAL + i];
    ram[P8_DS_SCREENPAL + i] = (uint8_t)(v & 0x8f);
    return P8_FIX(prev);
  case 2:
    prev = ram[P8_HW_SECPAL + i];
    ram[P8_HW_SECPAL + i] = (uint8_t)v;
    return P8_FIX(prev);
  default:
    return 0;
  }
}

/* palt()      only colour 0 transparent; returns the previous bitfield
** palt(bits)  bit 15 - i makes colour i transparent; returns previous
** palt(c, t)  one colour; returns its previous transparency (0/1) */
fix32 p8_palt(p8_state *p8, fix32 c, int t, int argc) {
  uint8_t *ram = p8->ram;
  unsigned prev = 0, bits;
  int i;
  for (i = 0; i < 16; i++)
    if (ram[P8_DS_DRAWPAL + i] & 0xf0)
      prev |= 1u << (15 - i);
  if (argc >= 2) {
    uint8_t *e = &ram[P8_DS_DRAWPAL + (p8_flr(c) & 15)];
    int was = (*e & 0xf0) != 0;
    *e = (uint8_t)((*e & 15) | (t ? 0x10 : 0));
    return P8_FIX(was);
  }
  bits = argc == 1 ? (unsigned)p8_flr(c) & 0xffffu : 0x8000u;
  for (i = 0; i < 16; i++)
    ram[P8_DS_DRAWPAL + i] =
        (uint8_t)((ram[P8_DS_DRAWPAL + i] & 15) | (((bits >> (15 - i)) & 1) ? 0x10 : 0));
  return P8_FIX(prev);
}

/* ---- pen, cursor, camera ---- */

/* color() sets the pen to 6; color(col) to col (with the fill pattern
** bits when 0x5f34 & 1). Returns the previous pen byte. */
fix32 p8_color(p8_state *p8, fix32 col, int argc) {
  uint8_t prev = p8->ram[P8_DS_PEN];
  if (argc == 0)
    p8->ram[P8_DS_PEN] = 6;
  else
    p8_draw_color(p8, col, 1);
  return P8_FIX(prev);
}

/* cursor(x, y, [col]) also sets print's left margin (0x5f24), so text
** printed after it returns to x on "\n" (zepto8 does the same). */
uint32_t p8_cursor(p8_state *p8, fix32 x, fix32 y, fix32 col, int argc) {
  uint8_t *ram = p8->ram;
  uint32_t prev = ram[P8_DS_CURSOR] | ((uint32_t)ram[P8_DS_CURSOR + 1] << 8) |
                  ((uint32_t)ram[P8_DS_PEN] << 16);
  ram[P8_DS_CURSOR] = (uint8_t)(argc >= 1 ? p8_flr(x) : 0);
  ram[P8_DS_PRINTHOME] = ram[P8_DS_CURSOR];
  ram[P8_DS_CURSOR + 1] = (uint8_t)(argc >= 2 ? p8_flr(y) : 0);
  if (argc >= 3)
    p8_draw_color(p8, col, 1);
  return prev;
}

uint32_t p8_camera(p8_state *p8, fix32 x, fix32 y, int argc) {
  uint8_t *r = p8->ram + P8_DS_CAMERA;
  uint32_t prev = r[0] | ((uint32_t)r[1] << 8) | ((uint32_t)r[2] << 16) | ((uint32_t)r[3] << 24);
  unsigned ix = (unsigned)(argc >= 1 ? p8_flr(x) : 0);
  unsigned iy = (unsigned)(argc >= 2 ? p8_flr(y) : 0);
  r[0] = (uint8_t)ix;
  r[1] = (uint8_t)(ix >> 8);
  r[2] = (uint8_t)iy;
  r[3] = (uint8_t)(iy >> 8);
  return prev;
}

/* ---- clip ---- */

static int clamp(int v, int lo, int hi) { return v < lo ? lo : v > hi ? hi : v; }

/* clip()                          the whole screen
** clip(x, y, w, h [, previous])   the rectangle, intersected with the
**                                 current one when `previous` is true */
uint32_t p8_clip_set(p8_state *p8, fix32 x, fix32 y, fix32 w, fix32 h, int previous, int argc) {
  uint8_t *r = p8->ram + P8_DS_CLIP;
  uint32_t prev = r[0] | ((uint32_t)r[1] << 8) | ((uint32_t)r[2] << 16) | ((uint32_t)r[3] << 24);
  int x0 = 0, y0 = 0, x1 = 128, y1 = 128;
  if (argc >= 4) {
    int ix = p8_flr(x), iy = p8_flr(y), iw = p8_flr(w), ih = p8_flr(h);
    if (previous && argc >= 5) {
      p8_clip c = p8_draw_clip(p8);
      x0 = c.x0, y0 = c.y0, x1 = c.x1, y1 = c.y1;
    }
    x1 = ix + (iw > 0 ? iw : 0) < x1 ? ix + (iw > 0 ? iw : 0) : x1;
    y1 = iy + (ih > 0 ? ih : 0) < y1 ? iy + (ih > 0 ? ih : 0) : y1;
    x0 = ix > x0 ? ix : x0;
    y0 = iy > y0 ? iy : y0;
  }
  x0 = clamp(x0, 0, 128);
  y0 = clamp(y0, 0, 128);
  x1 = clamp(x1, x0, 128);
  y1 = clamp(y1, y0, 128);
  r[0] = (uint8_t)x0;
  r[1] = (uint8_t)y0;
  r[2] = (uint8_t)x1;
  r[3] = (uint8_t)y1;
  return prev;
}

/* ---- fill pattern ---- */

/* fillp(p): pattern in the integer bits (bit 15 = top-left), flags in the
** fraction: 0x0.8 transparency, 0x0.4 apply to sprites, 0x0.2 secondary
** palette for shapes too (PICO-8 manual, FILLP). In RAM: 0x5f31-0x5f32 the
** pattern, 0x5f33 bit 0 transparency, bit 1 sprites, bit 2 global
** secondary palette -- the same order as the colour argument's 0x0700.0000
** bits. Returns the previous value in the same form. */
fix32 p8_fillp(p8_state *p8, fix32 p, int argc) {
  uint8_t *ram = p8->ram;
  uint32_t v = argc >= 1 ? (uint32_t)p : 0;
  uint8_t f = ram[P8_DS_FILLP_T];
  uint32_t prev = ((uint32_t)ram[P8_DS_FILLP] << 16) | ((uint32_t)ram[P8_DS_FILLP + 1] << 24) |
                  ((f & 1u) << 15) | ((f & 2u) << 13) | ((f & 4u) << 11);
  ram[P8_DS_FILLP] = (uint8_t)(v >> 16);
  ram[P8_DS_FILLP + 1] = (uint8_t)(v >> 24);
  ram[P8_DS_FILLP_T] = (uint8_t)(((v >> 15) & 1) | (((v >> 14) & 1) << 1) | (((v >> 13) & 1) << 2));
  return bits_to_fix(prev);
}
