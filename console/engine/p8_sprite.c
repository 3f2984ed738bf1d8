/*
** p8_sprite.c -- drawing from the sprite sheet and the map: spr, sspr, map,
** tline. Every loop runs over destination pixels inside the clip
** rectangle only, so huge or far-off arguments cost nothing.
*/
#include <string.h>

#include "p8_draw.h"
#include "p8_gfx.h"
#include "p8_line_walk.h"

static int imax(int a, int b) { return a > b ? a : b; }
static int imin(int a, int b) { return a < b ? a : b; }

/* floor(n / d) for d > 0 */
static int64_t floordiv(int64_t n, int64_t d) {
  int64_t q = n / d;
  return (n % d != 0 && n < 0) ? q - 1 : q;
}

/* Destination range [*lo, *hi) of a length-n run starting at screen
** coordinate d that lies inside [c0, c1). */
static void visible(int d, int n, int c0, int c1, int *lo, int *hi) {
  *lo = imax(0, c0 - d);
  *hi = imin(n, c1 - d);
}

/* Top-left sheet pixel of sprite n (C division, as zepto8 does: sprites
** outside 0..255 read off the sheet, where every pixel is colour 0). */
static void sprite_origin(int n, int *x, int *y) {
  *x = (n % 16) * 8;
  *y = (n / 16) * 8;
}

/* ---- spr ---- */

/* True when sprite pixels may take the fast paths through the draw palette
** only: not the reference build, no fill pattern on sprites (0x5f33 & 2),
** bitplanes passing everything, and no pixel able to change the draw state
** (the screen clear of 0x5f00..0x5fff). Then p8_draw_sprite_pixel at an
** on-clip pixel comes down to plain_row's palette lookup and nibble write,
** with the palette and clip read once. */
static int sprite_plain(const p8_state *p8) {
  return !P8_REFERENCE && !(p8->ram[P8_DS_FILLP_T] & 2) && p8->ram[P8_HW_BITPLANES] == 0xff &&
         !p8_screen_over_draw_state(p8);
}

/* n pixels of sheet row sy from column sx (stepping by dir, +1 or -1) to
** screen row dy from column dx on (all on the clip rectangle), through the
** draw palette only. */
static void plain_row(p8_state *p8, int sx, int sy, int dir, int dx, int dy, int n) {
  uint8_t *ram = p8->ram;
  const uint8_t *pal = ram + P8_DS_DRAWPAL;
  uint32_t src = p8_sheet_base(p8) + (uint32_t)(sy * 64);
  uint32_t dst = p8_screen_base(p8) + (uint32_t)(dy * 64);
  int row_on = (unsigned)sy <= 127u;    /* off the sheet: colour 0 */
  int k;
  for (k = 0; k < n; k++, sx += dir, dx++) {
    int c = 0;
    uint8_t d, *b;
    if (row_on && (unsigned)sx <= 127u) {
      uint8_t s = ram[(src + (uint32_t)(sx >> 1)) & 0xffffu];
      c = (sx & 1) ? s >> 4 : s & 15;
    }
    d = pal[c];
    if (d & 0xf0) continue;             /* palt: any high bit hides it */
    b = &ram[(dst + (uint32_t)(dx >> 1)) & 0xffffu];
    *b = (dx & 1) ? (uint8_t)((*b & 0x0f) | (d << 4)) : (uint8_t)((*b & 0xf0) | d);
  }
}

/* The two sheet pixels s, s + 1 of row address src as one screen-layout
** byte (pixel s in the low nibble); s odd straddles two sheet bytes. */
static uint32_t sheet_pair(const uint8_t *ram, uint32_t src, int s) {
  if (!(s & 1)) return ram[(src + (uint32_t)(s / 2)) & 0xffffu];
  return (uint32_t)(ram[(src + (uint32_t)((s - 1) / 2)) & 0xffffu] >> 4) |
         (uint32_t)(ram[(src + (uint32_t)((s + 1) / 2)) & 0xffffu] & 15u) << 4;
}

/* One screen byte from sheet pair `pair` through the draw palette at
** screen byte *b, both pixels on the clip rectangle: no branch on what
** palt hides (a sprite's transparent pixels come and go unpredictably),
** the byte is rewritten as it was where both are hidden. */
static inline void put_pair(uint8_t *b, const uint8_t *pal, uint32_t pair) {
  uint32_t d0 = pal[pair & 15u], d1 = pal[pair >> 4];
  /* a palette byte below 16 shows; any high bit (palt) hides it */
  uint32_t m = (((d0 - 16u) >> 28) & 0x0fu) | (((d1 - 16u) >> 24) & 0xf0u);
  *b = (uint8_t)((*b & ~m) | (((d0 & 15u) | d1 << 4) & m));
}

/* A screen byte b shown where its nibbles aren't key (kk = the hidden
** colour times 0x11): *dp keeps the pixels that are. */
static inline void key_put(uint8_t *dp, uint32_t b, uint32_t kk) {
  uint32_t t = b ^ kk, m;
  t |= t >> 1;
  t |= t >> 2;
  m = (t & 0x11u) * 15u;                           /* 0x0f / 0xf0 per nibble that isn't key */
  *dp = (uint8_t)((*dp & ~m) | (b & m));
}

/* len sheet bytes from sp as screen bytes at dp through key_put. A loop of
** its own: inside plain_row_fwd the compiler ran out of registers for it. */
static void key_bytes(uint8_t *dp, const uint8_t *sp, uint32_t len, uint32_t kk) {
  uint32_t k;
  for (k = 0; k < len; k++) key_put(dp + k, sp[k], kk);
}

/* plain_row for a run read left to right and wholly on the sheet (sx >= 0,
** sx + n <= 128, sy on the sheet): a screen byte (two pixels) at a time.
** The odd ends are pairs with one pixel off the run; between them every
** pair is whole, and when sheet and screen columns have the same parity
** each sheet byte is one screen byte. key is palette_key()'s, taken
** once per call: a row's writes never reach the draw state (spr checks). */
static void plain_row_fwd(p8_state *p8, int sx, int sy, int dx, int dy, int n, int key) {
  uint8_t *ram = p8->ram;
  const uint8_t *pal = ram + P8_DS_DRAWPAL;
  uint32_t src = p8_sheet_base(p8) + (uint32_t)(sy * 64);
  uint32_t dst = p8_screen_base(p8) + (uint32_t)(dy * 64);
  int x = dx, last = dx + n - 1, off = sx - dx;   /* screen column x shows sheet x + off */
  if (x & 1) {                                     /* left end: the high pixel only */
    uint32_t d1 = pal[sheet_pair(ram, src, x - 1 + off) >> 4];
    if (!(d1 & 0xf0)) {
      uint8_t *b = &ram[(dst + (uint32_t)(x / 2)) & 0xffffu];
      *b = (uint8_t)((*b & 0x0f) | d1 << 4);
    }
    x++;
  }
  if (!(off & 1) && key >= 0) {
    /* the palette maps every colour to itself and hides colour `key` only:
    ** a sheet byte is the screen byte, shown where its nibble isn't key */
    uint32_t kk = (uint32_t)key * 0x11u, s0 = src + ((uint32_t)(x + off) >> 1),
             d0 = dst + ((uint32_t)x >> 1), len = x < last ? (uint32_t)(last - x + 1) >> 1 : 0;
    if (s0 + len <= 0x10000u && d0 + len <= 0x10000u) {   /* no wrap past the top of RAM */
      key_bytes(ram + d0, ram + s0, len, kk);
      x += (int)(2 * len);
    }
  }
  if (!(off & 1)) {
    for (; x < last; x += 2)
      put_pair(&ram[(dst + (uint32_t)(x / 2)) & 0xffffu], pal,
               ram[(src + (uint32_t)((x + off) / 2)) & 0xffffu]);
  } else {
    for (; x < last; x += 2)
      put_pair(&ram[(dst + (uint32_t)(x / 2)) & 0xffffu], pal, sheet_pair(ram, src, x + off));
  }
  if (x == last) {                                 /* right end: the low pixel only */
    uint32_t d0 = pal[sheet_pair(ram, src, x + off) & 15u];
    if (!(d0 & 0xf0)) {
      uint8_t *b = &ram[(dst + (uint32_t)(x / 2)) & 0xffffu];
      *b = (uint8_t)((*b & 0xf0) | d0);
    }
  }
}

/* plain_row flipped (read right to left) with the run wholly on the sheet
** (sx - n + 1 >= 0, sx <= 127, sy on the sheet). With palette_key()'s key
** and a screen pair whose two sheet pixels share a byte, that byte with its
** nibbles swapped is the screen byte; the rest goes through plain_row. */
static void plain_row_rev(p8_state *p8, int sx, int sy, int dx, int dy, int n, int key) {
  uint8_t *ram = p8->ram;
  int x = dx, last = dx + n - 1, s = sx + dx;     /* screen column x shows sheet s - x */
  uint32_t src = p8_sheet_base(p8) + (uint32_t)(sy * 64), s0, d0, len, k;
  if (key < 0 || !(s & 1)) {
    plain_row(p8, sx, sy, -1, dx, dy, n);
    return;
  }
  if (x & 1) {
    plain_row(p8, s - x, sy, -1, x, dy, 1);
    x++;
  }
  len = x < last ? (uint32_t)(last - x + 1) >> 1 : 0;
  s0 = src + ((uint32_t)(s - x - 1) >> 1);         /* pixel x is this byte's high nibble */
  d0 = p8_screen_base(p8) + (uint32_t)(dy * 64) + ((uint32_t)x >> 1);
  if (len > 0 && s0 <= 0xffffu && d0 + len <= 0x10000u) {
    const uint8_t *sp = ram + s0;
    uint8_t *dp = ram + d0;
    uint32_t kk = (uint32_t)key * 0x11u;
    for (k = 0; k < len; k++) {
      uint32_t b = sp[-(int32_t)k], t, m;
      b = (b >> 4) | ((b & 15u) << 4);
      t = b ^ kk;
      t |= t >> 1;
      t |= t >> 2;
      m = (t & 0x11u) * 15u;
      dp[k] = (uint8_t)((dp[k] & ~m) | (b & m));
    }
    x += (int)(2 * len);
  }
  if (x <= last) plain_row(p8, s - x, sy, -1, x, dy, last - x + 1);
}

/* The colour k when the draw palette maps every colour to itself and
** hides k alone (the power-on palette hides 0), else -1. Only while the
** screen is clear of the draw state, so that no sprite write changes it. */
static int palette_key(const p8_state *p8) {
  const uint8_t *pal = p8->ram + P8_DS_DRAWPAL;
  unsigned scr = p8->ram[P8_HW_MAPSCR];
  uint32_t w, v, hid, seen = 0;
  int key = -1;
  if (P8_REFERENCE || scr < 0x60u || scr > 0xe0u) return -1;
  /* four colours a word: their low nibbles must be 4w..4w+3, and bit 4 of
  ** each byte of hid says whether that colour's high nibble hides it */
  for (w = 0; w < 4; w++) {
    const uint8_t *p = pal + 4 * w;
    v = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
    if ((v & 0x0f0f0f0fu) != 0x03020100u + 0x04040404u * w) return -1;
    hid = (v & 0xf0f0f0f0u) | ((v & 0xf0f0f0f0u) >> 2);
    hid = (hid | (hid >> 1)) & 0x10101010u;
    if (hid == 0) continue;
    if (seen || (hid & (hid - 1))) return -1;      /* a second hidden colour */
    seen = 1;
    key = (int)(4 * w) + (hid > 0x10u) + (hid > 0x1000u) + (hid > 0x100000u);
  }
  return key;
}

/* Sheet pixel c of row s (c on the sheet) at screen pixel x of row d
** through the draw palette pal, unless palt hides it. */
static inline void pal_pixel(uint8_t *d, int x, const uint8_t *s, int c, const uint8_t *pal) {
  uint32_t v = pal[(c & 1) ? (uint32_t)s[c >> 1] >> 4 : (uint32_t)s[c >> 1] & 15u];
  uint8_t *b = d + (x >> 1);
  if (!(v & 0xf0)) *b = (x & 1) ? (uint8_t)((*b & 0x0f) | v << 4) : (uint8_t)((*b & 0xf0) | v);
}

/* Four bytes as a little-endian word and back (memcpy: any alignment; one
** instruction where the CPU allows unaligned words, byte loads elsewhere). */
static inline uint32_t rd32(const uint8_t *p) {
  uint32_t w;
  memcpy(&w, p, 4);
  return w;
}

static inline void wr32(uint8_t *p, uint32_t w) { memcpy(p, &w, 4); }

/* The byte order of a word reversed, and each byte's nibbles swapped. */
static inline uint32_t rev_bytes(uint32_t w) {
  return (w >> 24) | ((w >> 8) & 0xff00u) | ((w << 8) & 0xff0000u) | (w << 24);
}

static inline uint32_t swap_nibbles(uint32_t w) {
  return ((w >> 4) & 0x0f0f0f0fu) | ((w & 0x0f0f0f0fu) << 4);
}

/* key_put for four screen bytes at once (kk4 = the hidden colour times
** 0x11111111): each nibble's bits are folded into its lowest. */
static inline void key_put4(uint8_t *dp, uint32_t w, uint32_t kk4) {
  uint32_t t = w ^ kk4, m;
  t |= t >> 1;
  t |= t >> 2;
  m = (t & 0x11111111u) * 15u;
  wr32(dp, (rd32(dp) & ~m) | (w & m));
}

/* P8_WIDE_BLIT: sprite rows through palette_key()'s key eight pixels at a
** time, each as one unaligned 64-bit read-modify-write of the screen
** whatever the parity of the sheet and screen columns. For CPUs with cheap
** unaligned 64-bit words (x86-64, AArch64); the M0+ and M33 keep
** sheet_block's pairs. The tests build the engine both ways. */
#ifndef P8_WIDE_BLIT
#if defined(__x86_64__) || defined(__aarch64__)
#define P8_WIDE_BLIT 1
#else
#define P8_WIDE_BLIT 0
#endif
#endif

#if P8_WIDE_BLIT
static inline uint64_t rd64(const uint8_t *p) {
  uint64_t w;
  memcpy(&w, p, 8);
  return w;
}

static inline void wr64(uint8_t *p, uint64_t w) { memcpy(p, &w, 8); }

/* Eight pixels w (a nibble each, the first lowest) to the screen from bit
** dsh (0 or 4) of the 8 bytes at dp, those of keep's nibbles not the key
** (kk4: the hidden colour times 0x11111111); as key_put4, a nibble's bits
** are folded into its lowest. The bytes past the pixels are written back
** as they were read. */
static inline void key_put8(uint8_t *dp, uint32_t w, uint32_t keep, unsigned dsh, uint32_t kk4) {
  uint32_t t = w ^ kk4;
  uint64_t m;
  t |= t >> 1;
  t |= t >> 2;
  m = (uint64_t)((t & 0x11111111u) * 15u & keep) << dsh;
  wr64(dp, (rd64(dp) & ~m) | ((uint64_t)w << dsh & m));
}

/* sheet_block through the key, eight pixels at a time whatever the parity
** of the sheet and screen columns: a run of 8 starting at sheet column c is
** the 8 bytes from c's byte shifted down by 4 * (c & 1) (flipped: the run
** ending at c, its nibbles reversed). Every row must have 8 bytes of RAM
** past its 64 (sheet_block checks). */
static void key_block(uint8_t *ram, uint32_t src, int sstep, uint32_t dst, int rows, int sx, int fx,
                      int dx, int n, uint32_t kk4) {
  int full = n >> 3, rest = n & 7, k, r;
  int lo = fx ? sx - 7 : sx;                      /* the first run's lowest column */
  int lr = fx ? sx - n + 1 : sx + 8 * full;       /* the last short run's */
  unsigned ssh = 4u * (unsigned)(lo & 1), rsh = 4u * (unsigned)(lr & 1), dsh = 4u * (unsigned)(dx & 1);
  uint32_t rkeep = rest ? 0xffffffffu >> (4 * (8 - rest)) : 0;
  for (r = 0; r < rows; r++, src += (uint32_t)sstep, dst += 64u) {
    const uint8_t *s = ram + src, *sp = s + (lo >> 1);
    uint8_t *dp = ram + dst + (dx >> 1);
    if (fx) {
      for (k = 0; k < full; k++, sp -= 4, dp += 4)
        key_put8(dp, swap_nibbles(rev_bytes((uint32_t)(rd64(sp) >> ssh))), 0xffffffffu, dsh, kk4);
    } else {
      for (k = 0; k < full; k++, sp += 4, dp += 4)
        key_put8(dp, (uint32_t)(rd64(sp) >> ssh), 0xffffffffu, dsh, kk4);
    }
    if (rest) {
      uint32_t w = (uint32_t)(rd64(s + (lr >> 1)) >> rsh);
      if (fx) w = swap_nibbles(rev_bytes(w)) >> (4 * (8 - rest));
      key_put8(dp, w, rkeep, dsh, kk4);
    }
  }
}
#endif

/* A block of `rows` rows through the draw palette pal: sheet row src,
** then src + sstep, ... (sstep = +-64) to screen rows dst, dst + 64, ...;
** in each, n pixels from screen column dx, which shows sheet column sx,
** then sx + 1 (sx - 1 when fx). Every row is on the sheet and below the top
** of RAM. Row by row, left to right, as plain_row_fwd / plain_row_rev do:
** the odd end pixels alone and the whole screen pairs between, with no call
** and no address arithmetic per row. Screen byte k of the pairs is, by the
** parity of c0 (the sheet column at the first pair): forward, even: sheet
** byte k; forward, odd: the high nibble of sheet byte k and the low one of
** k + 1; flipped, odd: sheet byte -k, nibbles swapped; flipped, even: the
** low nibble of sheet byte -k and the high one of -k - 1 (bytes counted from
** the one holding c0). With palette_key()'s key (>= 0) the pairs are sheet
** colours as they are, four bytes at a time; otherwise put_pair's. */
static void sheet_block(uint8_t *ram, const uint8_t *pal, uint32_t src, int sstep, uint32_t dst,
                        int rows, int sx, int fx, int dx, int n, int key) {
  uint32_t kk = (uint32_t)key * 0x11u, kk4 = (uint32_t)key * 0x11111111u, k;
  int left = dx & 1, x0 = dx + left, last = dx + n - 1;
  uint32_t len = x0 <= last ? (uint32_t)(last - x0 + 1) >> 1 : 0;
  int right = x0 + 2 * (int)len <= last;           /* a last pixel past the pairs */
  int c0 = fx ? sx - (x0 - dx) : sx + (x0 - dx);
  int xr = x0 + 2 * (int)len, cr = fx ? sx - (xr - dx) : sx + (xr - dx);
  int kind = (key < 0 ? 4 : 0) + (fx ? 2 : 0) + (c0 & 1), r;
#if P8_WIDE_BLIT
  /* at an odd screen x the pairs cost a lone pixel at each end of every
  ** row: eight pixels a word instead, when every row has 8 bytes of RAM
  ** past its 64 */
  uint32_t src_last = src + (uint32_t)(sstep * (rows - 1));
  if (key >= 0 && (dx & 1) && src + 72u <= 0x10000u && src_last + 72u <= 0x10000u &&
      dst + 64u * (uint32_t)rows + 8u <= 0x10000u) {
    key_block(ram, src, sstep, dst, rows, sx, fx, dx, n, kk4);
    return;
  }
#endif
  for (r = 0; r < rows; r++, src += (uint32_t)sstep, dst += 64u) {
    const uint8_t *s = ram + src, *sp = s + (c0 >> 1);
    uint8_t *d = ram + dst, *dp = d + (x0 >> 1);
    if (left) pal_pixel(d, dx, s, sx, pal);
    switch (kind) {
    case 0:
      for (k = 0; k + 4 <= len; k += 4) key_put4(dp + k, rd32(sp + k), kk4);
      for (; k < len; k++) key_put(dp + k, sp[k], kk);
      break;
    case 1:
      for (k = 0; k + 4 <= len; k += 4)
        key_put4(dp + k, rd32(sp + k) >> 4 | (uint32_t)(sp[k + 4] & 15u) << 28, kk4);
      for (; k < len; k++) key_put(dp + k, (uint32_t)(sp[k] >> 4) | (uint32_t)(sp[k + 1] & 15u) << 4, kk);
      break;
    case 2:
      for (k = 0; k + 4 <= len; k += 4)
        key_put4(dp + k, (rev_bytes(rd32(sp - k - 3)) & 0x0f0f0f0fu) | (rev_bytes(rd32(sp - k - 4)) & 0xf0f0f0f0u),
                 kk4);
      for (; k < len; k++) key_put(dp + k, (uint32_t)(*(sp - k) & 15u) | (*(sp - k - 1) & 0xf0u), kk);
      break;
    case 3:
      for (k = 0; k + 4 <= len; k += 4) key_put4(dp + k, swap_nibbles(rev_bytes(rd32(sp - k - 3))), kk4);
      for (; k < len; k++) key_put(dp + k, swap_nibbles(*(sp - k)) & 0xffu, kk);
      break;
    case 4:
      for (k = 0; k < len; k++) put_pair(dp + k, pal, sp[k]);
      break;
    case 5:
      for (k = 0; k < len; k++) put_pair(dp + k, pal, (uint32_t)(sp[k] >> 4) | (uint32_t)(sp[k + 1] & 15u) << 4);
      break;
    case 6:
      for (k = 0; k < len; k++) put_pair(dp + k, pal, (uint32_t)(*(sp - k) & 15u) | (*(sp - k - 1) & 0xf0u));
      break;
    default:
      for (k = 0; k < len; k++) put_pair(dp + k, pal, swap_nibbles(*(sp - k)) & 0xffu);
      break;
    }
    if (right) pal_pixel(d, xr, s, cr, pal);
  }
}

/* True when the sheet (0x5f54) and the screen (0x5f55) share no byte: then
** no pixel written can change a sheet pixel read later in the same call. */
static int sheet_apart(const p8_state *p8) {
  unsigned scr = p8->ram[P8_HW_MAPSCR], spr = p8->ram[P8_HW_MAPSPR];
  return spr + 0x20u <= scr || scr + 0x20u <= spr;
}

/* What a block's pixels are drawn through: clip rectangle, whether only
** the palette applies, whether the sheet is apart from the screen (rows
** may then be read a word ahead of their writes) and palette_key(). */
typedef struct blit_pen {
  p8_clip c;
  int plain, apart, key;
} blit_pen;

static void blit_pen_init(const p8_state *p8, blit_pen *b) {
  b->c = p8_draw_clip(p8);
  b->plain = sprite_plain(p8);
  b->apart = sheet_apart(p8);
  b->key = b->plain ? palette_key(p8) : -1;
}

/* Draw a w x h pixel block of the sheet from (ox, oy) at screen (x, y)
** through pen b, as the draw state stands. */
static void blit_at(p8_state *p8, const blit_pen *b, int ox, int oy, int w, int h, int x, int y,
                    int fx, int fy) {
  p8_clip c = b->c;
  int ilo, ihi, jlo, jhi, i, j;
  int plain = b->plain, key = b->key;
  visible(x, w, c.x0, c.x1, &ilo, &ihi);
  visible(y, h, c.y0, c.y1, &jlo, &jhi);
  if (plain && b->apart && ilo < ihi && jlo < jhi) {
    /* the whole block through sheet_block when its rows are on the sheet
    ** and below the top of RAM (sheet and screen rows stay whole) */
    int n = ihi - ilo, sx = ox + (fx ? w - 1 - ilo : ilo);
    int sy0 = oy + (fy ? h - 1 - jlo : jlo), sy1 = oy + (fy ? h - jhi : jhi - 1);
    int symax = sy0 > sy1 ? sy0 : sy1, symin = sy0 < sy1 ? sy0 : sy1;
    int cols_on = fx ? (sx - n + 1 >= 0 && sx <= 127) : (sx >= 0 && sx + n <= 128);
    uint32_t sheet = p8_sheet_base(p8), screen = p8_screen_base(p8);
    if (cols_on && symin >= 0 && symax <= 127 && sheet + (uint32_t)symax * 64u + 63u <= 0xffffu &&
        screen + (uint32_t)(y + jhi - 1) * 64u + 63u <= 0xffffu) {
      sheet_block(p8->ram, p8->ram + P8_DS_DRAWPAL, sheet + (uint32_t)sy0 * 64u, fy ? -64 : 64,
                  screen + (uint32_t)(y + jlo) * 64u, jhi - jlo, sx, fx, x + ilo, n, key);
      return;
    }
  }
  for (j = jlo; j < jhi; j++) {
    int sy = oy + (fy ? h - 1 - j : j);
    if (plain && ilo < ihi) {
      /* x + i, y + j are inside the clip rectangle (visible()) */
      int sx = ox + (fx ? w - 1 - ilo : ilo), n = ihi - ilo;
      if (!b->apart)                /* each pixel read after those before it */
        plain_row(p8, sx, sy, fx ? -1 : 1, x + ilo, y + j, n);
      else if (!fx && (unsigned)sy <= 127u && sx >= 0 && sx + n <= 128)
        plain_row_fwd(p8, sx, sy, x + ilo, y + j, n, key);
      else if (fx && (unsigned)sy <= 127u && sx - n + 1 >= 0 && sx <= 127)
        plain_row_rev(p8, sx, sy, x + ilo, y + j, n, key);
      else
        plain_row(p8, sx, sy, fx ? -1 : 1, x + ilo, y + j, n);
      continue;
    }
    for (i = ilo; i < ihi; i++) {
      int sx = ox + (fx ? w - 1 - i : i);
      p8_draw_sprite_pixel(p8, x + i, y + j, p8_sheet_get(p8, sx, sy));
    }
  }
}

static void blit(p8_state *p8, int ox, int oy, int w, int h, int x, int y, int fx, int fy) {
  blit_pen b;
  blit_pen_init(p8, &b);
  blit_at(p8, &b, ox, oy, w, h, x, y, fx, fy);
}

/* spr(n, x, y, w, h, flip_x, flip_y): w and h in sprites, fractional
** sizes cut the block at flr(w * 8) pixels. */
void p8_spr(p8_state *p8, fix32 n, fix32 x, fix32 y, fix32 w, fix32 h, int flip_x, int flip_y) {
  int ox, oy, w8, h8;
  if (w <= 0 || h <= 0) return;
  w8 = (int)(((int64_t)w * 8) >> 16);
  h8 = (int)(((int64_t)h * 8) >> 16);
  sprite_origin(p8_flr(n), &ox, &oy);
  blit(p8, ox, oy, w8, h8, p8_flr(x) - p8_camera_x(p8), p8_flr(y) - p8_camera_y(p8),
       flip_x, flip_y);
}

/* ---- sspr ---- */

/* Source offset for destination pixel i of n when stretching len source
** pixels: PICO-8 samples at destination pixel centres, floor((i + 0.5) *
** len / n) -- e.g. 3 pixels over 5 read 0,0,1,2,2, the columns fake-08's
** tests record for real PICO-8. */
static int sample(int i, int len, int n) {
  return (int)floordiv((int64_t)(2 * i + 1) * len, 2 * (int64_t)n);
}

/* sample() for consecutive destination pixels i, i+1, ... (or i, i-1, ...
** with step -1): the quotient and remainder carried from pixel to pixel, so
** one division per call instead of a 64-bit one per pixel (a libgcc routine
** on the M0+). |len| <= 32768 and 1 <= n <= 32768 (flr'd fix32s), so every
** numerator (2i+1)*len, |2i+1| < 2n, fits in 32 bits. */
typedef struct sampler {
  int32_t q, r, dq, dr, d;   /* value q, remainder r in [0, d); per step dq, dr */
} sampler;

static int32_t floordiv32(int32_t n, int32_t d) {   /* d > 0 */
  int32_t q = n / d;
  return (n % d != 0 && n < 0) ? q - 1 : q;
}

static void sampler_init(sampler *sm, int i, int step, int len, int n) {
  int32_t num = (int32_t)(2 * i + 1) * len, dnum = 2 * step * len;
  sm->d = 2 * n;
  sm->q = floordiv32(num, sm->d);
  sm->r = num - sm->q * sm->d;
  sm->dq = floordiv32(dnum, sm->d);
  sm->dr = dnum - sm->dq * sm->d;
}

static int sampler_next(sampler *sm) {   /* the current value, then step */
  int v = sm->q;
  sm->q += sm->dq;
  sm->r += sm->dr;
  if (sm->r >= sm->d) {
    sm->r -= sm->d;
    sm->q++;
  }
  return v;
}

/* sspr's palette-only case may read a sheet row once for all the
** destination rows that sample it, and write whole screen bytes: only when
** no write can change what it reads, i.e. the screen (0x5f55) neither
** covers the draw state at 0x5f00 nor overlaps the sheet (0x5f54), nor
** wraps past the top of RAM. */
static int sspr_rows_fixed(const p8_state *p8) {
  unsigned scr = p8->ram[P8_HW_MAPSCR];
  return sprite_plain(p8) && scr >= 0x60u && scr <= 0xe0u && sheet_apart(p8);
}

/* Sheet row sy at the visible columns col[0..n) through the draw palette:
** out[k] is the screen colour, or has a high bit set when palt hides it. */
static void sspr_sample_row(const p8_state *p8, const int16_t *col, int n, int sy, uint8_t *out) {
  const uint8_t *ram = p8->ram, *pal = ram + P8_DS_DRAWPAL;
  uint32_t src = p8_sheet_base(p8) + (uint32_t)(sy * 64);
  int k, row_on = (unsigned)sy <= 127u;  /* off the sheet: colour 0 */
  for (k = 0; k < n; k++) {
    int sx = col[k], c = 0;
    if (row_on && (unsigned)sx <= 127u) {
      uint8_t b = ram[(src + (uint32_t)(sx >> 1)) & 0xffffu];
      c = (sx & 1) ? b >> 4 : b & 15;
    }
    out[k] = pal[c];
  }
}

/* Write the n colours of sspr_sample_row to screen row dy from column dx
** (all on the clip rectangle), a screen byte at a time. */
static void sspr_put_row(p8_state *p8, const uint8_t *d, int dx, int dy, int n) {
  uint8_t *ram = p8->ram;
  uint32_t dst = p8_screen_base(p8) + (uint32_t)(dy * 64);
  int x = dx, last = dx + n - 1;
  if (x & 1) {                                     /* left end: the high pixel only */
    uint32_t d1 = d[0];
    if (!(d1 & 0xf0u)) {
      uint8_t *b = &ram[(dst + (uint32_t)(x / 2)) & 0xffffu];
      *b = (uint8_t)((*b & 0x0fu) | d1 << 4);
    }
    x++;
  }
  for (; x < last; x += 2) {                       /* whole pairs, no branch on palt */
    uint32_t d0 = d[x - dx], d1 = d[x + 1 - dx];
    uint32_t m = (((d0 - 16u) >> 28) & 0x0fu) | (((d1 - 16u) >> 24) & 0xf0u);
    uint8_t *b = &ram[(dst + (uint32_t)(x / 2)) & 0xffffu];
    *b = (uint8_t)((*b & ~m) | (((d0 & 15u) | d1 << 4) & m));
  }
  if (x == last && !(d[x - dx] & 0xf0u)) {         /* right end: the low pixel only */
    uint8_t *b = &ram[(dst + (uint32_t)(x / 2)) & 0xffffu];
    *b = (uint8_t)((*b & 0xf0u) | d[x - dx]);
  }
}

/* Sheet row sy at columns col[0..n) to screen row dy from column dx on (on
** the clip rectangle), pixel by pixel through the draw palette only. */
static void sspr_fresh_row(p8_state *p8, const int16_t *col, int n, int sy, int dx, int dy) {
  const uint8_t *pal = p8->ram + P8_DS_DRAWPAL;
  uint32_t screen = p8_screen_base(p8);
  int k;
  for (k = 0; k < n; k++) {
    uint8_t d = pal[p8_sheet_get(p8, col[k], sy)];
    if (!(d & 0xf0))                   /* palt: any high bit hides it */
      p8_image_set(p8, screen, dx + k, dy, d);
  }
}

/* sspr(sx, sy, sw, sh, dx, dy [, dw, dh] [, flip_x, flip_y]): dw, dh
** default to sw, sh; a negative dw (dh) flips and draws the block ending
** at dx - 1 (dy - 1). */
void p8_sspr(p8_state *p8, fix32 sx, fix32 sy, fix32 sw, fix32 sh, fix32 dx, fix32 dy,
             fix32 dw, fix32 dh, int flip_x, int flip_y, int argc) {
  p8_clip c = p8_draw_clip(p8);
  int isx = p8_flr(sx), isy = p8_flr(sy), isw = p8_flr(sw), ish = p8_flr(sh);
  int x = p8_flr(dx), y = p8_flr(dy);
  int w = argc >= 7 ? p8_flr(dw) : isw, h = argc >= 8 ? p8_flr(dh) : ish;
  int ilo, ihi, jlo, jhi, i, j;
  int16_t col[128];
  sampler rows;
  if (w < 0) w = -w, x -= w, flip_x = !flip_x;
  if (h < 0) h = -h, y -= h, flip_y = !flip_y;
  if (w == 0 || h == 0) return;
  x -= p8_camera_x(p8);
  y -= p8_camera_y(p8);
  if (!P8_REFERENCE && w == isw && h == ish) {
    /* not stretched: destination pixel i samples source pixel i, as spr's
    ** blocks are drawn (the reference build keeps the sampling) */
    blit(p8, isx, isy, w, h, x, y, flip_x, flip_y);
    return;
  }
  visible(x, w, c.x0, c.x1, &ilo, &ihi);
  visible(y, h, c.y0, c.y1, &jlo, &jhi);
  if (ilo >= ihi || jlo >= jhi) return;
  /* at most 128 visible columns: sample each once */
  if (P8_REFERENCE) {
    for (i = ilo; i < ihi; i++) {
      int s = isx + sample(flip_x ? w - 1 - i : i, isw, w);
      col[i - ilo] = (int16_t)(s < -1 ? -1 : s > 128 ? 128 : s);
    }
  } else {
    sampler sm;
    sampler_init(&sm, flip_x ? w - 1 - ilo : ilo, flip_x ? -1 : 1, isw, w);
    for (i = ilo; i < ihi; i++) {
      int s = isx + sampler_next(&sm);
      col[i - ilo] = (int16_t)(s < -1 ? -1 : s > 128 ? 128 : s);
    }
  }
  sampler_init(&rows, flip_y ? h - 1 - jlo : jlo, flip_y ? -1 : 1, ish, h);
  if (sspr_rows_fixed(p8)) {
    /* a stretched sheet row is sampled once for its run of screen rows */
    uint8_t row[128];
    int last = 0x7fffffff;
    for (j = jlo; j < jhi; j++) {
      int s = isy + sampler_next(&rows);
      if (s != last) sspr_sample_row(p8, col, ihi - ilo, s, row);
      last = s;
      sspr_put_row(p8, row, x + ilo, y + j, ihi - ilo);
    }
    return;
  }
  if (sprite_plain(p8)) {
    /* the sheet overlaps the screen (or the screen wraps past the top of
    ** RAM): each pixel is read after those drawn before it, as in the loop
    ** below, but through a palette and clip that no pixel can change */
    for (j = jlo; j < jhi; j++)
      sspr_fresh_row(p8, col, ihi - ilo, isy + sampler_next(&rows), x + ilo, y + j);
    return;
  }
  for (j = jlo; j < jhi; j++) {
    int s = isy + (P8_REFERENCE ? sample(flip_y ? h - 1 - j : j, ish, h) : sampler_next(&rows));
    for (i = ilo; i < ihi; i++)
      p8_draw_sprite_pixel(p8, x + i, y + j, p8_sheet_get(p8, col[i - ilo], s));
  }
}

/* ---- map ---- */

/* Is map cell value v drawn? Sprite 0 is empty unless 0x5f36 & 8; with
** layers, only sprites sharing a flag bit with them. */
static int cell_drawn(const p8_state *p8, int v, int layers) {
  if (v == 0 && !(p8->ram[P8_DS_MISC] & 8)) return 0;
  return !layers || (p8->ram[P8_MEM_FLAGS + v] & layers);
}

/* map(celx, cely, sx, sy [, celw, celh [, layers]]): celw, celh default to
** the whole map width and the upper half of its rows (128 x 32 normally). */
void p8_map(p8_state *p8, fix32 celx, fix32 cely, fix32 sx, fix32 sy, fix32 celw, fix32 celh,
            fix32 layers, int argc) {
  p8_mapinfo mi = p8_map_info(p8);
  p8_clip c = p8_draw_clip(p8);
  int cx = p8_flr(celx), cy = p8_flr(cely);
  int x = p8_flr(sx) - p8_camera_x(p8), y = p8_flr(sy) - p8_camera_y(p8);
  int w = argc >= 5 ? p8_flr(celw) : mi.w, h = argc >= 6 ? p8_flr(celh) : mi.draw_h;
  int lay = argc >= 7 ? p8_flr(layers) & 0xff : 0;
  int ilo, ihi, jlo, jhi, i, j;
  /* the map's place (0x5f56/0x5f57) and the draw state its cells are
  ** drawn through hold for the whole call unless the screen (0x5f55 pages
  ** 0x40..0x5f) covers the draw state */
  int fixed = !P8_REFERENCE && !p8_screen_over_draw_state(p8);
  blit_pen pen;
  blit_pen_init(p8, &pen);
  /* cells whose 8x8 block meets the clip rectangle */
  ilo = imax(0, (int)floordiv((int64_t)c.x0 - x, 8));
  ihi = imin(w, (int)floordiv((int64_t)c.x1 - 1 - x, 8) + 1);
  jlo = imax(0, (int)floordiv((int64_t)c.y0 - y, 8));
  jhi = imin(h, (int)floordiv((int64_t)c.y1 - 1 - y, 8) + 1);
  for (j = jlo; j < jhi; j++) {
    int my = cy + j;
    if (my < 0 || my >= mi.h) continue;
    for (i = ilo; i < ihi; i++) {
      int mx = cx + i, v, ox, oy;
      if (mx < 0 || mx >= mi.w) continue;
      v = p8->ram[fixed ? p8_map_addr_in(&mi, mx, my) : p8_map_addr(p8, mx, my)];
      if (!cell_drawn(p8, v, lay)) continue;
      sprite_origin(v, &ox, &oy);
      if (!fixed) blit_pen_init(p8, &pen);
      blit_at(p8, &pen, ox, oy, 8, 8, x + 8 * i, y + 8 * j, 0, 0);
    }
  }
}

/* ---- tline ---- */

/* tline's coordinates carry p8->tline_bits fraction bits per map pixel:
** 13 by default (so the cart's numbers are in tiles), 16 makes them pixels
** and 17 half pixels. Up to 31 bits leave at least one integer bit of the
** 32-bit coordinate. */
#define TLINE_BITS_MAX 31

/* The coordinate mask for a map of n tiles (0x5f38/0x5f39, 0 = 256): n*8
** pixels of 2^bits steps, less one. Wider than 32 bits means no mask. */
static uint32_t tline_mask(unsigned n, int bits) {
  uint64_t m = (uint64_t)n << (bits + 3);
  return m > 0xffffffffu ? 0xffffffffu : (uint32_t)(m - 1);
}

typedef struct tline_ctx {
  uint32_t mx, my, mdx, mdy, maskx, masky;
  int bits, offx, offy, layers;
  p8_mapinfo mi;
  int plain;                  /* sprite_plain(): palette and clip only */
  p8_clip clip;
  uint32_t screen;
} tline_ctx;

static void tline_plot(p8_state *p8, int x, int y, uint32_t k, void *ctx) {
  const tline_ctx *t = (const tline_ctx *)ctx;
  /* texture coordinates advance k steps from the start, wrapping as
  ** 32-bit fix32 arithmetic does, then are masked by 0x5f38/0x5f39 */
  uint32_t u = (t->mx + k * t->mdx) & t->maskx;
  uint32_t v = (t->my + k * t->mdy) & t->masky;
  uint32_t px = u >> t->bits, py = v >> t->bits;  /* bits <= 31 */
  uint32_t ucx = (px >> 3) + (uint32_t)t->offx, ucy = (py >> 3) + (uint32_t)t->offy;
  int cx, cy, s, ox, oy;
  if (ucx >= (uint32_t)t->mi.w || ucy >= (uint32_t)t->mi.h) return;  /* off the map: empty */
  cx = (int)ucx;
  cy = (int)ucy;
  s = p8->ram[p8_map_addr(p8, cx, cy)];
  if (!cell_drawn(p8, s, t->layers)) return;
  sprite_origin(s, &ox, &oy);
  s = p8_sheet_get(p8, ox + (int)(px & 7u), oy + (int)(py & 7u));
  if (t->plain) {
    /* p8_draw_sprite_pixel without a pattern or bitplanes */
    uint8_t d = p8->ram[P8_DS_DRAWPAL + s];
    if (!(d & 0xf0) && x >= t->clip.x0 && x < t->clip.x1 && y >= t->clip.y0 && y < t->clip.y1)
      p8_image_set(p8, t->screen, x, y, d);
    return;
  }
  p8_draw_sprite_pixel(p8, x, y, s);
}

/* The map cell's sheet pixels for tline_row_plain: a pointer to the
** cell's top-left sheet byte, or 0 when the cell is off the map or not
** drawn (empty sprite 0, layers). (cx, cy) is the cell before the
** 0x5f3a/0x5f3b offset. */
static const uint8_t *tline_cell(const p8_state *p8, const tline_ctx *t, uint32_t cx, uint32_t cy) {
  uint32_t ucx = cx + (uint32_t)t->offx, ucy = cy + (uint32_t)t->offy;
  int n;
  if (ucx >= (uint32_t)t->mi.w || ucy >= (uint32_t)t->mi.h) return 0;   /* off the map */
  n = p8->ram[p8_map_addr_in(&t->mi, (int)ucx, (int)ucy)];
  if (!cell_drawn(p8, n, t->layers)) return 0;
  return p8->ram + p8_sheet_base(p8) + (uint32_t)((n / 16) * 8 * 64 + (n % 16) * 4);
}

/* tline_straight's horizontal run, plain pixels only (palette and clip):
** screen row and sheet cell by direct pointers (tline_straight checked
** that neither the screen nor the sheet wraps past 0xffff), the cell
** looked up again only when u, v leave it, and few enough values live in
** the loop for the M0+'s eight low registers. n pixels from screen column
** x of row `dst`; texture u, v at x, stepping du, dv. Needs 13 <= bits <=
** 28: the cell column u >> (bits + 3) then fits in 16 bits of the key, and
** the shift stays below 32. */
static void tline_row_plain(const p8_state *p8, const tline_ctx *t, uint8_t *dst, int x, int n,
                            uint32_t u, uint32_t v, uint32_t du, uint32_t dv) {
  const uint8_t *pal = p8->ram + P8_DS_DRAWPAL, *cell = 0;
  uint32_t bits = (uint32_t)t->bits, cbits = bits + 3u, key = 0xffffffffu;
  for (; n > 0; n--, x++, u += du, v += dv) {
    uint32_t uu = u & t->maskx, vv = v & t->masky;
    uint32_t k = (uu >> cbits) | (vv >> cbits) << 16, px, py;
    uint8_t b, d, *q;
    if (k != key) {
      key = k;
      cell = tline_cell(p8, t, uu >> cbits, vv >> cbits);
    }
    if (!cell) continue;
    px = uu >> bits;
    py = vv >> bits;
    b = cell[(py & 7u) * 64u + ((px & 7u) >> 1)];
    d = pal[(px & 1u) ? b >> 4 : b & 15];
    if (d & 0xf0) continue;              /* palt: any high bit hides it */
    q = dst + (x >> 1);
    *q = (x & 1) ? (uint8_t)((*q & 0x0f) | (d << 4)) : (uint8_t)((*q & 0xf0) | d);
  }
}

/* A horizontal or vertical tline (floors, walls: nearly every tline a
** cart draws) without the line walk's per-pixel callback: the same pixels
** with the same texture steps as tline_plot, the map cell looked up only
** when the texture coordinates enter a new one. Returns 0, drawing
** nothing, when the line is neither (or a single point), or when the
** screen could overlap the map, the sprite flags or the draw state (screen
** below 0x6000 or above 0xe000, or a map in upper memory): there a pixel
** may change what the next one reads, so tline_plot reads it afresh. The
** sheet is always read afresh (it may be the screen). */
static int tline_straight(p8_state *p8, const tline_ctx *t, int x0, int y0, int x1, int y1) {
  uint8_t *ram = p8->ram;
  const uint8_t *pal = ram + P8_DS_DRAWPAL;
  const p8_clip *c = &t->clip;
  unsigned spage = ram[P8_HW_MAPSCR];
  uint32_t sheet = p8_sheet_base(p8), u, v, du, dv, k0, lcx = 0xffffffffu, lcy = 0, cell = 0;
  int horiz = y0 == y1, lo, hi, from, a, drawn = 0, sx, sy;
  if ((x0 == x1) == horiz || spage < 0x60 || spage > 0xe0 || t->mi.page >= 0x80u)
    return 0;
  if (horiz) {
    if (y0 < c->y0 || y0 >= c->y1) return 1;        /* every pixel clipped */
    lo = imax(imin(x0, x1), c->x0);
    hi = imin(imax(x0, x1), c->x1 - 1);
    from = x0;
  } else {
    if (x0 < c->x0 || x0 >= c->x1) return 1;
    lo = imax(imin(y0, y1), c->y0);
    hi = imin(imax(y0, y1), c->y1 - 1);
    from = y0;
  }
  if (lo > hi) return 1;
  /* pixel a is step k = |a - from| of the line: k0 at lo, then one less
  ** each pixel when the line runs backwards, one more otherwise */
  if ((horiz ? x1 : y1) < from) {
    k0 = (uint32_t)(from - lo);
    du = 0u - t->mdx;
    dv = 0u - t->mdy;
  } else {
    k0 = (uint32_t)(lo - from);
    du = t->mdx;
    dv = t->mdy;
  }
  u = t->mx + k0 * t->mdx;
  v = t->my + k0 * t->mdy;
  if (horiz && t->plain && t->bits >= 13 && t->bits <= 28 && ram[P8_HW_MAPSPR] <= 0xe0) {
    tline_row_plain(p8, t, ram + t->screen + (uint32_t)(y0 * 64), lo, hi - lo + 1, u, v, du, dv);
    return 1;
  }
  sx = horiz ? lo : x0;
  sy = horiz ? y0 : lo;
  for (a = lo; a <= hi; a++, u += du, v += dv, sx += horiz, sy += !horiz) {
    uint32_t px = (u & t->maskx) >> t->bits, py = (v & t->masky) >> t->bits;
    uint32_t ucx = (px >> 3) + (uint32_t)t->offx, ucy = (py >> 3) + (uint32_t)t->offy;
    uint8_t b, d;
    int col;
    if (ucx != lcx || ucy != lcy) {
      lcx = ucx;
      lcy = ucy;
      drawn = 0;
      if (ucx < (uint32_t)t->mi.w && ucy < (uint32_t)t->mi.h) {   /* off the map: empty */
        int n = ram[p8_map_addr_in(&t->mi, (int)ucx, (int)ucy)], ox, oy;
        drawn = cell_drawn(p8, n, t->layers);
        sprite_origin(n, &ox, &oy);
        cell = sheet + (uint32_t)(oy * 64 + ox / 2);
      }
    }
    if (!drawn) continue;
    /* sheet pixel (ox + px % 8, oy + py % 8): always on the sheet */
    b = ram[(cell + (py & 7u) * 64u + ((px & 7u) >> 1)) & 0xffffu];
    col = (px & 1u) ? b >> 4 : b & 15;
    if (!t->plain) {
      p8_draw_sprite_pixel(p8, sx, sy, col);
      continue;
    }
    d = pal[col];
    if (!(d & 0xf0))                   /* palt: any high bit hides it */
      p8_image_set(p8, t->screen, sx, sy, d);
  }
  return 1;
}

/* A sloped tline's walk with tline_plot's pixels, the map cell looked up
** only when the texture coordinates enter a new one (tline_plot costs a
** map address, a sheet bounds check and a division by 16 every pixel), and
** the plot inlined into its own copy of the walk (p8_line_walk.h).
** Only where tline_straight may keep a cell: the screen cannot overlap
** the map, the sprite flags or the draw state. */
typedef struct tline_walker {
  const tline_ctx *t;
  uint32_t lcx, lcy, cell;
  int drawn;
} tline_walker;

static inline void tline_plot_cached(p8_state *p8, int x, int y, uint32_t k, void *ctx) {
  tline_walker *w = (tline_walker *)ctx;
  const tline_ctx *t = w->t;
  uint32_t u = (t->mx + k * t->mdx) & t->maskx;
  uint32_t v = (t->my + k * t->mdy) & t->masky;
  uint32_t px = u >> t->bits, py = v >> t->bits;
  uint32_t ucx = (px >> 3) + (uint32_t)t->offx, ucy = (py >> 3) + (uint32_t)t->offy;
  uint8_t b, d;
  int col;
  if (ucx != w->lcx || ucy != w->lcy) {
    w->lcx = ucx;
    w->lcy = ucy;
    w->drawn = 0;
    if (ucx < (uint32_t)t->mi.w && ucy < (uint32_t)t->mi.h) {     /* off the map: empty */
      int n = p8->ram[p8_map_addr_in(&t->mi, (int)ucx, (int)ucy)], ox, oy;
      w->drawn = cell_drawn(p8, n, t->layers);
      sprite_origin(n, &ox, &oy);
      w->cell = p8_sheet_base(p8) + (uint32_t)(oy * 64 + ox / 2);
    }
  }
  if (!w->drawn) return;
  /* the sheet is read afresh: it may be the screen */
  b = p8->ram[(w->cell + (py & 7u) * 64u + ((px & 7u) >> 1)) & 0xffffu];
  col = (px & 1u) ? b >> 4 : b & 15;
  if (!t->plain) {
    p8_draw_sprite_pixel(p8, x, y, col);
    return;
  }
  d = p8->ram[P8_DS_DRAWPAL + col];
  if (!(d & 0xf0) && x >= t->clip.x0 && x < t->clip.x1 && y >= t->clip.y0 && y < t->clip.y1)
    p8_image_set(p8, t->screen, x, y, d);
}

/* tline(x0, y0, x1, y1, mx, my, mdx, mdy, layers): a line textured from
** the map; (mx, my) in tiles advances by (mdx, mdy) per pixel. The masks
** are (w or 256 tiles) - 0x0.0001 from 0x5f38/0x5f39; 0x5f3a/0x5f3b add
** a cell offset. */
void p8_tline(p8_state *p8, fix32 x0, fix32 y0, fix32 x1, fix32 y1, fix32 mx, fix32 my,
              fix32 mdx, fix32 mdy, fix32 layers) {
  const uint8_t *ram = p8->ram;
  int camx = p8_camera_x(p8), camy = p8_camera_y(p8);
  unsigned mw = ram[P8_DS_TLINE] ? ram[P8_DS_TLINE] : 256;
  unsigned mh = ram[P8_DS_TLINE + 1] ? ram[P8_DS_TLINE + 1] : 256;
  tline_ctx t;
  int sx0, sy0, sx1, sy1;
  t.mx = (uint32_t)mx;
  t.my = (uint32_t)my;
  t.mdx = (uint32_t)mdx;
  t.mdy = (uint32_t)mdy;
  t.bits = p8->tline_bits <= TLINE_BITS_MAX ? p8->tline_bits : 13;
  t.maskx = tline_mask(mw, t.bits);
  t.masky = tline_mask(mh, t.bits);
  t.offx = ram[P8_DS_TLINE + 2];
  t.offy = ram[P8_DS_TLINE + 3];
  t.layers = p8_flr(layers) & 0xff;
  t.mi = p8_map_info(p8);
  t.plain = sprite_plain(p8);
  t.clip = p8_draw_clip(p8);
  t.screen = p8_screen_base(p8);
  sx0 = p8_flr(x0) - camx;
  sy0 = p8_flr(y0) - camy;
  sx1 = p8_flr(x1) - camx;
  sy1 = p8_flr(y1) - camy;
  if (!P8_REFERENCE && tline_straight(p8, &t, sx0, sy0, sx1, sy1))
    return;
  if (!P8_REFERENCE && ram[P8_HW_MAPSCR] >= 0x60 && ram[P8_HW_MAPSCR] <= 0xe0 && t.mi.page < 0x80u) {
    tline_walker w;
    w.t = &t;
    w.lcx = 0xffffffffu;
    w.lcy = 0;
    w.cell = 0;
    w.drawn = 0;
    line_walk(p8, sx0, sy0, sx1, sy1, tline_plot_cached, &w);     /* the plot inlined */
    return;
  }
  p8_draw_line_walk(p8, sx0, sy0, sx1, sy1, tline_plot, &t);
}

/* tline(bits): set the coordinate precision, 0-31 fraction bits. Returns
** 0 when set, -1 for a precision rp8 does not support (the binding raises). */
int p8_tline_precision(p8_state *p8, fix32 bits) {
  int32_t b = p8_flr(bits);
  if (b < 0 || b > TLINE_BITS_MAX) return -1;
  p8->tline_bits = (uint8_t)b;
  return 0;
}
