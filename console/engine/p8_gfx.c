/*
** p8_gfx.c -- the pixel primitive, and the single-pixel/cell API:
** cls, pset, pget, sget, sset, fget, fset, mget, mset.
**
** Everything reads the draw state from RAM on every call, so a poke into
** 0x5f00-0x5f7f takes effect on the next draw.
*/
#include <string.h>

#include "p8_draw.h"
#include "p8_gfx.h"

/* ---- draw state helpers ---- */

int p8_camera_x(const p8_state *p8) {
  const uint8_t *r = p8->ram + P8_DS_CAMERA;
  return (int16_t)(uint16_t)(r[0] | (r[1] << 8));
}

int p8_camera_y(const p8_state *p8) {
  const uint8_t *r = p8->ram + P8_DS_CAMERA + 2;
  return (int16_t)(uint16_t)(r[0] | (r[1] << 8));
}

static int clamp128(int v) { return v > 128 ? 128 : v; }

p8_clip p8_draw_clip(const p8_state *p8) {
  const uint8_t *r = p8->ram + P8_DS_CLIP;
  p8_clip c;
  c.x0 = clamp128(r[0]);
  c.y0 = clamp128(r[1]);
  c.x1 = clamp128(r[2]);
  c.y1 = clamp128(r[3]);
  if (c.x1 < c.x0) c.x1 = c.x0;
  if (c.y1 < c.y0) c.y1 = c.y0;
  return c;
}

int p8_draw_color(p8_state *p8, fix32 col, int given) {
  uint8_t *ram = p8->ram;
  if (given) {
    uint32_t bits = (uint32_t)col;
    if ((ram[P8_DS_FILLP_COL] & 1) && (bits & 0x10000000u)) {
      ram[P8_DS_FILLP] = (uint8_t)bits;
      ram[P8_DS_FILLP + 1] = (uint8_t)(bits >> 8);
      ram[P8_DS_FILLP_T] = (uint8_t)((bits >> 24) & 7);
    }
    ram[P8_DS_PEN] = (uint8_t)(bits >> 16);
  }
  return ram[P8_DS_PEN];
}

int p8_draw_color_invert(const p8_state *p8, fix32 col, int given) {
  return given && (p8->ram[P8_DS_FILLP_COL] & 2) &&
         ((uint32_t)col & 0x18000000u) == 0x18000000u;
}

/* ---- the pixel ---- */

/* Is the fill pattern bit for screen pixel (sx, sy) set? Bit 15 is the
** top-left of the 4x4 tile, reading order (PICO-8 manual, FILLP). */
static int pattern_bit(const p8_state *p8, int sx, int sy) {
  unsigned pat = p8->ram[P8_DS_FILLP] | ((unsigned)p8->ram[P8_DS_FILLP + 1] << 8);
  return (pat >> (15 - (sx & 3) - 4 * (sy & 3))) & 1;
}

/* Final write of colour c at an on-screen pixel, through the bitplanes. */
static void put(p8_state *p8, int sx, int sy, int c) {
  unsigned m = p8->ram[P8_HW_BITPLANES];
  if (m != 0xff) {
    unsigned w = m & 15, r = m >> 4;
    unsigned old = (unsigned)p8_screen_get(p8, sx, sy);
    c = (int)((old & ~w) | ((unsigned)c & w & r));
  }
  p8_screen_set(p8, sx, sy, c);
}

/* (sx, sy) inside p8_draw_clip's rectangle, read straight from the bytes:
** with the edges clamped to 128 and an inverted rectangle empty, that is
** x0 <= sx < x1 and sx < 128 on the raw bytes (and the same for y). */
static int in_clip(const p8_state *p8, int sx, int sy) {
  const uint8_t *r = p8->ram + P8_DS_CLIP;
  return sx >= r[0] && sx < r[2] && sx < 128 && sy >= r[1] && sy < r[3] && sy < 128;
}

/* The colour a shape pixel gets, or -1 when the pattern makes it
** transparent. Assumes sx, sy on screen (the pattern uses their low bits). */
static int shape_color(const p8_state *p8, int sx, int sy, int col) {
  const uint8_t *ram = p8->ram;
  int bit = pattern_bit(p8, sx, sy);
  uint8_t flags = ram[P8_DS_FILLP_T];
  if (bit && (flags & 1))
    return -1;
  if (flags & 4) {
    /* global secondary palette: after the draw palette, the primary colour
    ** indexes 0x5f60, whose two nibbles are the pattern's two colours */
    uint8_t e = ram[P8_HW_SECPAL + (ram[P8_DS_DRAWPAL + (col & 15)] & 15)];
    return bit ? e >> 4 : e & 15;
  }
  return ram[P8_DS_DRAWPAL + (bit ? (col >> 4) & 15 : col & 15)] & 15;
}

void p8_draw_pixel_screen(p8_state *p8, int sx, int sy, int col) {
  const uint8_t *ram = p8->ram;
  int c;
  if (!in_clip(p8, sx, sy))
    return;
  if ((ram[P8_DS_FILLP] | ram[P8_DS_FILLP + 1] | (ram[P8_DS_FILLP_T] & 4)) == 0 &&
      ram[P8_HW_BITPLANES] == 0xff) {
    /* no pattern bit, no global secondary palette, planes pass all: the
    ** pen's primary colour through the draw palette (shape_color, put) */
    p8_screen_set(p8, sx, sy, ram[P8_DS_DRAWPAL + (col & 15)]);
    return;
  }
  c = shape_color(p8, sx, sy, col);
  if (c >= 0)
    put(p8, sx, sy, c);
}

void p8_draw_pixel(p8_state *p8, int x, int y, int col) {
  p8_draw_pixel_screen(p8, x - p8_camera_x(p8), y - p8_camera_y(p8), col);
}

/* NIBBLES[b]: bit k of b (k < 4) widened to nibble k, the 4bpp mask of
** four pixels. */
static const uint16_t NIBBLES[16] = {
  0x0000, 0x000f, 0x00f0, 0x00ff, 0x0f00, 0x0f0f, 0x0ff0, 0x0fff,
  0xf000, 0xf00f, 0xf0f0, 0xf0ff, 0xff00, 0xff0f, 0xfff0, 0xffff,
};

/* Write the pixels of byte mask bm (0xf0 and/or 0x0f) of colour byte
** fill (the colour in both nibbles) into screen byte *b. */
static inline void put_masked(uint8_t *b, uint32_t bm, uint32_t fill) {
  if (bm != 0)
    *b = (uint8_t)((*b & ~bm) | (fill & bm));
}

void p8_bits_pen_init(const p8_state *p8, int col, p8_bits_pen *pen) {
  pen->clip = p8_draw_clip(p8);
  pen->camx = p8_camera_x(p8);
  pen->camy = p8_camera_y(p8);
  /* no pattern: every pixel is the pen's primary colour through the draw
  ** palette (shape_color with the pattern bytes zero) */
  pen->v = p8->ram[P8_DS_DRAWPAL + (col & 15)] & 15;
  pen->planes = p8->ram[P8_HW_BITPLANES] != 0xff;
  pen->base = p8_screen_base(p8);
}

void p8_draw_bits_pen(p8_state *p8, const p8_bits_pen *pen, int x, int y,
                      const uint8_t *rows, int w, int h) {
  const p8_clip *c = &pen->clip;
  int sx0 = x - pen->camx, sy0 = y - pen->camy;
  uint32_t fill = (uint32_t)pen->v * 0x11u, at;
  unsigned keep;                        /* columns inside the clip rectangle */
  unsigned odd = (unsigned)sx0 & 1u;
  int left = (sx0 - (int)odd) / 2;      /* screen byte of the first column */
  int klo = c->x0 - sx0 > 0 ? c->x0 - sx0 : 0, khi = c->x1 - sx0 < w ? c->x1 - sx0 : w;
  int r = c->y0 - sy0 > 0 ? c->y0 - sy0 : 0, rhi = c->y1 - sy0 < h ? c->y1 - sy0 : h;
  uint8_t *ram = p8->ram;
  if (klo >= khi) return;
  keep = ((1u << khi) - 1u) & ~((1u << klo) - 1u);
  if (pen->planes) {
    for (; r < rhi; r++) {
      unsigned bits = rows[r] & keep;
      int sx;
      for (sx = sx0; bits != 0; sx++, bits >>= 1)
        if (bits & 1u) put(p8, sx, sy0 + r, pen->v);
    }
    return;
  }
  /* the planes pass everything: write each row a screen byte (two pixels)
  ** at a time; only kept (on-screen) columns have mask bits, so only bytes
  ** of the row itself are touched (a screen remapped near 0xffff wraps
  ** to 0, as every access does). */
  at = pen->base + (uint32_t)((sy0 + r) * 64 + left);
  for (; r < rhi; r++, at += 64u) {
    unsigned bits = rows[r] & keep;
    uint32_t m, top = 0;
    if (bits == 0) continue;
    m = NIBBLES[bits & 15u];
    if (bits > 15u) m |= (uint32_t)NIBBLES[bits >> 4] << 16;
    if (odd) {
      top = m >> 28;
      m <<= 4;
    }
    put_masked(&ram[at & 0xffffu], m & 0xffu, fill);
    put_masked(&ram[(at + 1u) & 0xffffu], (m >> 8) & 0xffu, fill);
    if ((m >> 16) | top) {
      put_masked(&ram[(at + 2u) & 0xffffu], (m >> 16) & 0xffu, fill);
      put_masked(&ram[(at + 3u) & 0xffffu], m >> 24, fill);
      put_masked(&ram[(at + 4u) & 0xffffu], top, fill);
    }
  }
}

void p8_draw_bits(p8_state *p8, int x, int y, const uint8_t *rows, int w, int h, int col) {
  p8_bits_pen pen;
  p8_bits_pen_init(p8, col, &pen);
  p8_draw_bits_pen(p8, &pen, x, y, rows, w, h);
}

void p8_draw_plane_masks(const p8_state *p8, unsigned *write, unsigned *read) {
  unsigned m = p8->ram[P8_HW_BITPLANES];
  *write = (m & 15u) * 0x11u;
  *read = (m >> 4) * 0x11u;
}

void p8_draw_pattern_colors(const p8_state *p8, int col, unsigned *c0, unsigned *c1) {
  const uint8_t *ram = p8->ram;
  if (ram[P8_DS_FILLP_T] & 4) {
    uint8_t e = ram[P8_HW_SECPAL + (ram[P8_DS_DRAWPAL + (col & 15)] & 15)];
    *c0 = e & 15u;
    *c1 = (unsigned)e >> 4;
  } else {
    *c0 = ram[P8_DS_DRAWPAL + (col & 15)] & 15u;
    *c1 = ram[P8_DS_DRAWPAL + ((col >> 4) & 15)] & 15u;
  }
}

/* A span with a fill pattern (bitplanes passing everything, screen not
** over the draw state, so no write changes the rule): the row of the 4x4
** pattern gives each of x & 3 one colour or none, two screen bytes' worth,
** written a byte at a time. The colours are shape_color's. */
static void pattern_span(p8_state *p8, int sx0, int sx1, int sy, int col) {
  uint8_t *ram = p8->ram;
  unsigned pat = ram[P8_DS_FILLP] | ((unsigned)ram[P8_DS_FILLP + 1] << 8);
  unsigned flags = ram[P8_DS_FILLP_T], row = (pat >> (12 - 4 * (sy & 3))) & 15u;
  uint32_t base = p8_screen_base(p8) + (uint32_t)(sy * 64), val[2] = {0, 0}, msk[2] = {0, 0};
  unsigned c0, c1;
  int k, x;
  p8_draw_pattern_colors(p8, col, &c0, &c1);
  for (k = 0; k < 4; k++) {
    unsigned bit = (row >> (3 - k)) & 1u, shift = (unsigned)(k & 1) * 4u;
    if (bit && (flags & 1)) continue;              /* transparent */
    val[k >> 1] |= (bit ? c1 : c0) << shift;
    msk[k >> 1] |= 15u << shift;
  }
  for (x = sx0 - (sx0 & 1); x <= sx1; x += 2) {
    int h = (x >> 1) & 1;                          /* x & 3 is 0 or 2 */
    uint32_t m = msk[h];
    if (x < sx0) m &= 0xf0u;
    if (x + 1 > sx1) m &= 0x0fu;
    if (m != 0) {
      uint8_t *b = &ram[(base + (uint32_t)(x >> 1)) & 0xffffu];
      *b = (uint8_t)((*b & ~m) | (val[h] & m));
    }
  }
}

void p8_draw_hspan(p8_state *p8, int sx0, int sx1, int sy, int col) {
  p8_clip c = p8_draw_clip(p8);
  const uint8_t *ram = p8->ram;
  int x;
  if (sx0 > sx1) { int t = sx0; sx0 = sx1; sx1 = t; }
  if (sy < c.y0 || sy >= c.y1) return;
  if (sx0 < c.x0) sx0 = c.x0;
  if (sx1 > c.x1 - 1) sx1 = c.x1 - 1;
  if (sx0 > sx1) return;
  if (ram[P8_DS_FILLP] == 0 && ram[P8_DS_FILLP + 1] == 0 &&
      !(ram[P8_DS_FILLP_T] & 4) && ram[P8_HW_BITPLANES] == 0xff) {
    /* solid colour: whole bytes at a time between the odd ends */
    int v = ram[P8_DS_DRAWPAL + (col & 15)] & 15;
    uint32_t base = p8_screen_base(p8) + (uint32_t)(sy * 64);
    if (sx0 & 1) p8_screen_set(p8, sx0++, sy, v);
    if (!(sx1 & 1)) p8_screen_set(p8, sx1--, sy, v);
    if (sx0 < sx1 && base + (uint32_t)(sx1 >> 1) <= 0xffffu) {
      /* the run of whole bytes lies below the top of RAM: one block fill */
      memset(p8->ram + base + (uint32_t)(sx0 >> 1), v * 0x11, (size_t)((sx1 - sx0 + 1) >> 1));
      return;
    }
    for (x = sx0; x < sx1; x += 2)
      p8->ram[(base + (uint32_t)(x >> 1)) & 0xffffu] = (uint8_t)(v * 0x11);
    return;
  }
  if (!P8_REFERENCE && ram[P8_HW_BITPLANES] == 0xff && ram[P8_HW_MAPSCR] >= 0x60 &&
      ram[P8_HW_MAPSCR] <= 0xe0) {
    pattern_span(p8, sx0, sx1, sy, col);
    return;
  }
  for (x = sx0; x <= sx1; x++) {
    int v = shape_color(p8, x, sy, col);
    if (v >= 0) put(p8, x, sy, v);
  }
}

void p8_draw_sprite_pixel(p8_state *p8, int sx, int sy, int c) {
  const uint8_t *ram = p8->ram;
  uint8_t d = ram[P8_DS_DRAWPAL + (c & 15)];
  int v;
  if (d & 0xf0)                         /* palt: any high bit hides it */
    return;
  if (!in_clip(p8, sx, sy))
    return;
  v = d & 15;
  if (ram[P8_DS_FILLP_T] & 2) {
    /* fill pattern on sprites: the colour indexes the secondary palette */
    uint8_t e = ram[P8_HW_SECPAL + v];
    int bit = pattern_bit(p8, sx, sy);
    if (bit && (ram[P8_DS_FILLP_T] & 1))
      return;
    v = bit ? e >> 4 : e & 15;
  }
  put(p8, sx, sy, v);
}

/* ---- cls, pset, pget ---- */

void p8_cls(p8_state *p8, fix32 col) {
  uint8_t v = (uint8_t)((p8_flr(col) & 15) * 0x11);
  uint32_t base = p8_screen_base(p8);
  uint32_t first = 0x10000u - base;      /* bytes before the end of RAM */
  uint8_t *ram = p8->ram;
  /* two block fills, not a byte loop (cls is in nearly every frame): a
  ** screen remapped near the top of RAM wraps to 0x0000 like every access */
  if (first > 0x2000u) first = 0x2000u;
  memset(ram + base, v, first);
  memset(ram, v, 0x2000u - first);
  /* cls also homes the cursor and print's left margin and resets the clip
  ** rectangle (PICO-8 manual: "Clear the screen and reset the clipping
  ** rectangle"; cursor and margin as zepto8 found) */
  ram[P8_DS_CURSOR] = 0;
  ram[P8_DS_CURSOR + 1] = 0;
  ram[P8_DS_PRINTHOME] = 0;
  ram[P8_DS_CLIP] = 0;
  ram[P8_DS_CLIP + 1] = 0;
  ram[P8_DS_CLIP + 2] = 128;
  ram[P8_DS_CLIP + 3] = 128;
}

/* A little-endian int16 of the draw state (the camera). */
static inline int ds16(const uint8_t *r) {
  return (int16_t)(uint16_t)(r[0] | (r[1] << 8));
}

void p8_pset(p8_state *p8, fix32 x, fix32 y, fix32 col, int argc) {
  uint8_t *ram = p8->ram, *ds;
  int c, sx, sy;
  if (P8_REFERENCE || (argc >= 3 && (ram[P8_DS_FILLP_COL] & 1))) {
    c = p8_draw_color(p8, col, argc >= 3);
    p8_draw_pixel(p8, p8_flr(x), p8_flr(y), c);
    return;
  }
  /* particles call pset a thousand times a frame: p8_draw_color without
  ** the fill-pattern bits, p8_draw_pixel and its plain case in one place,
  ** with no calls. `ds` points at the clip rectangle so that pen, camera
  ** and pattern are within the M0+'s 5-bit load offsets. */
  ds = ram + P8_DS_CLIP;
  if (argc >= 3) ds[P8_DS_PEN - P8_DS_CLIP] = (uint8_t)((uint32_t)col >> 16);
  c = ds[P8_DS_PEN - P8_DS_CLIP];
  sx = p8_flr(x) - ds16(ds + (P8_DS_CAMERA - P8_DS_CLIP));
  sy = p8_flr(y) - ds16(ds + (P8_DS_CAMERA + 2 - P8_DS_CLIP));
  if (sx < ds[0] || sx >= ds[2] || sx >= 128 || sy < ds[1] || sy >= ds[3] || sy >= 128)
    return;                               /* in_clip */
  if ((ds[P8_DS_FILLP - P8_DS_CLIP] | ds[P8_DS_FILLP + 1 - P8_DS_CLIP] |
       (ds[P8_DS_FILLP_T - P8_DS_CLIP] & 4)) == 0 && ram[P8_HW_BITPLANES] == 0xff) {
    uint8_t *b = &ram[(p8_screen_base(p8) + (uint32_t)(sy * 64 + (sx >> 1))) & 0xffffu];
    uint8_t v = ram[P8_DS_DRAWPAL + (c & 15)];      /* p8_screen_set keeps c & 15 */
    *b = (sx & 1) ? (uint8_t)((*b & 0x0f) | (v << 4)) : (uint8_t)((*b & 0xf0) | (v & 15));
    return;
  }
  p8_draw_pixel_screen(p8, sx, sy, c);
}

/* Out-of-bounds value for pget/sget/mget: 0, or the byte at `addr` when
** 0x5f36 & 0x10 is set (PICO-8 manual, PGET/SGET/MGET). */
static fix32 oob(const p8_state *p8, unsigned addr) {
  if (p8->ram[P8_DS_MISC] & 0x10)
    return P8_FIX(p8->ram[addr]);
  return 0;
}

fix32 p8_pget(p8_state *p8, fix32 x, fix32 y) {
  int sx = p8_flr(x) - p8_camera_x(p8);
  int sy = p8_flr(y) - p8_camera_y(p8);
  if (!in_clip(p8, sx, sy))             /* pget observes camera and clip */
    return oob(p8, P8_HW_PGET_OOB);
  return P8_FIX(p8_screen_get(p8, sx, sy));
}

/* ---- sprite sheet and flags ---- */

fix32 p8_sget(p8_state *p8, fix32 x, fix32 y) {
  int ix = p8_flr(x), iy = p8_flr(y);
  if ((unsigned)ix > 127u || (unsigned)iy > 127u)
    return oob(p8, P8_HW_SGET_OOB);
  return P8_FIX(p8_image_get(p8, p8_sheet_base(p8), ix, iy));
}

void p8_sset(p8_state *p8, fix32 x, fix32 y, fix32 col, int argc) {
  int ix = p8_flr(x), iy = p8_flr(y);
  int c = p8_draw_color(p8, col, argc >= 3);
  if ((unsigned)ix > 127u || (unsigned)iy > 127u)
    return;
  /* the draw palette applies, as it does for every other write */
  p8_image_set(p8, p8_sheet_base(p8), ix, iy, p8->ram[P8_DS_DRAWPAL + (c & 15)] & 15);
}

fix32 p8_fget(p8_state *p8, fix32 n, fix32 f, int argc) {
  int in = p8_flr(n), bit = p8_flr(f);
  uint8_t flags;
  if ((unsigned)in > 255u)
    return 0;
  flags = p8->ram[P8_MEM_FLAGS + in];
  if (argc < 2)
    return P8_FIX(flags);
  if ((unsigned)bit > 7u)
    return 0;
  return P8_FIX((flags >> bit) & 1);    /* the binding turns this into a boolean */
}

void p8_fset(p8_state *p8, fix32 n, fix32 f, int v, int argc) {
  int in = p8_flr(n), bit = p8_flr(f);
  uint8_t *flags;
  if ((unsigned)in > 255u || argc < 2)
    return;
  flags = &p8->ram[P8_MEM_FLAGS + in];
  if (argc == 2) {
    *flags = (uint8_t)bit;              /* fset(n, bits): whole byte */
  } else if ((unsigned)bit <= 7u) {
    if (v)
      *flags = (uint8_t)(*flags | (1u << bit));
    else
      *flags = (uint8_t)(*flags & ~(1u << bit));
  }
}

/* ---- the map ---- */

/* 0x5f56 selects the map's first byte in 256-byte steps. 0x10..0x2f keep
** the map inside the 8 KiB region 0x1000..0x2fff, wrapping at its end, so
** the default 0x20 puts rows 32-63 at 0x1000 (and 0x30..0x3f mean
** 0x10..0x1f). 0x80 and above use upper memory up to 0xffff. Values the
** manual does not allow (0x00..0x0f, 0x40..0x7f) fall back to 0x20. */
static unsigned map_page(const p8_state *p8) {
  unsigned m = p8->ram[P8_HW_MAPMAP];
  if (m >= 0x30 && m < 0x40) m -= 0x20;
  if (m < 0x10 || (m >= 0x40 && m < 0x80)) m = 0x20;
  return m;
}

static int map_width(const p8_state *p8) {
  return p8->ram[P8_HW_MAPWIDTH] ? p8->ram[P8_HW_MAPWIDTH] : 256;
}

p8_mapinfo p8_map_info(const p8_state *p8) {
  p8_mapinfo mi;
  unsigned page = map_page(p8);
  int width = map_width(p8);
  int size = page >= 0x80 ? (int)(0x10000u - (page << 8)) : 0x2000;
  mi.w = width;
  mi.h = size / width;
  mi.page = page;
  /* map() with no size draws the upper half of the 8 KiB region (128x32
  ** by default), or all of an upper-memory map */
  mi.draw_h = page >= 0x80 ? mi.h : mi.h / 2;
  return mi;
}

uint32_t p8_map_addr(const p8_state *p8, int x, int y) {
  unsigned page = map_page(p8);
  uint32_t off = (uint32_t)(y * map_width(p8) + x);   /* no division: a per-cell path */
  if (page >= 0x80)
    return ((page << 8) + off) & 0xffffu;
  return 0x1000u + (((page << 8) - 0x1000u + off) & 0x1fffu);
}

fix32 p8_mget(p8_state *p8, fix32 x, fix32 y) {
  p8_mapinfo mi = p8_map_info(p8);
  int ix = p8_flr(x), iy = p8_flr(y);
  if (ix < 0 || ix >= mi.w || iy < 0 || iy >= mi.h)
    return oob(p8, P8_HW_MGET_OOB);
  return P8_FIX(p8->ram[p8_map_addr(p8, ix, iy)]);
}

void p8_mset(p8_state *p8, fix32 x, fix32 y, fix32 v) {
  p8_mapinfo mi = p8_map_info(p8);
  int ix = p8_flr(x), iy = p8_flr(y);
  if (ix < 0 || ix >= mi.w || iy < 0 || iy >= mi.h)
    return;
  p8->ram[p8_map_addr(p8, ix, iy)] = (uint8_t)p8_flr(v);
}
