/*
** p8_present.c -- screen memory to display pixels: screen palette, screen
** modes (stretch, mirror, flip, rotate), scanline palettes, RGB565 and
** XRGB8888 output. See p8_present.h for what PICO-8 shows and why.
*/
#include <string.h>

#include "p8_present.h"
#include "p8_draw.h"

/* The 32 display colours, 0xRRGGBB: the 16 standard colours, then the
** secret colours 128-143. Values from the PICO-8 manual / wiki "Palette"
** page; zepto8's palette table has the same numbers. */
#define P8_COLOURS(X) \
  X(0x000000) X(0x1d2b53) X(0x7e2553) X(0x008751) \
  X(0xab5236) X(0x5f574f) X(0xc2c3c7) X(0xfff1e8) \
  X(0xff004d) X(0xffa300) X(0xffec27) X(0x00e436) \
  X(0x29adff) X(0x83769c) X(0xff77a8) X(0xffccaa) \
  X(0x291814) X(0x111d35) X(0x422136) X(0x125359) \
  X(0x742f29) X(0x49333b) X(0xa28879) X(0xf3ef7d) \
  X(0xbe1250) X(0xff6c24) X(0xa8e72e) X(0x00b543) \
  X(0x065ab5) X(0x754665) X(0xff6e59) X(0xff9d81)

#define AS_RGB(c)  c,
#define AS_565(c)  (uint16_t)((((c) >> 8) & 0xf800) | (((c) >> 5) & 0x07e0) | \
                              (((c) >> 3) & 0x001f)),
#define AS_8888(c) (0xff000000u | (c)),

static const uint32_t colour_rgb[32] = { P8_COLOURS(AS_RGB) };
static const uint16_t colour_565[32] = { P8_COLOURS(AS_565) };
static const uint32_t colour_8888[32] = { P8_COLOURS(AS_8888) };

#define HC_SCANLINE     0x10     /* 0x5f5f: per-row secondary palette */
#define HC_GRADIENT     0x30     /* 0x5f5f: 0x3n, colour n as a gradient */
#define HW_HICOLOUR     0x5f5f
#define HW_ALTPAL       0x5f60
#define HW_ROWBITS      0x5f70

uint32_t p8_palette_rgb(int colour) { return colour_rgb[(unsigned)colour & 31]; }

uint16_t p8_palette_rgb565(int colour) {
  return colour_565[(unsigned)colour & 31];
}

/* A palette byte (screen or secondary palette) as a display colour. */
static uint8_t display_colour(uint8_t v) {
  return (uint8_t)((v & 15) | ((v & 0x80) >> 3));
}

int p8_present_rows(int y0, int y1) {
  if (y0 < 0) y0 = 0;
  if (y1 > P8_SCREEN_H) y1 = P8_SCREEN_H;
  return y1 > y0 ? y1 - y0 : 0;
}

/* Rebuild the byte -> two pixels tables if 0x5f10-0x5f1f changed. */
static void lut_update(p8_state *p8) {
  const uint8_t *pal = p8->ram + P8_DS_SCREENPAL;
  uint8_t col[16];
  int i;
  if (p8->lut_valid && memcmp(p8->lut_pal, pal, 16) == 0) return;
  for (i = 0; i < 16; i++) col[i] = display_colour(pal[i]);
  for (i = 0; i < 256; i++) {
    uint8_t l = col[i & 15], r = col[i >> 4];
    p8->lut565[i][0] = colour_565[l];
    p8->lut565[i][1] = colour_565[r];
    p8->lut8888[i][0] = colour_8888[l];
    p8->lut8888[i][1] = colour_8888[r];
  }
  memcpy(p8->lut_pal, pal, 16);
  p8->lut_valid = 1;
}

const uint16_t *p8_present_lut565(p8_state *p8) {
  lut_update(p8);
  return &p8->lut565[0][0];
}

const uint32_t *p8_present_lut8888(p8_state *p8) {
  lut_update(p8);
  return &p8->lut8888[0][0];
}

/* ---- screen modes ---- */

enum { AXIS_SAME, AXIS_STRETCH, AXIS_MIRROR, AXIS_FLIP };

typedef struct view {
  int rot;           /* 1..3 quarter turns clockwise; 0 = not a rotation */
  int xop, yop;      /* AXIS_* applied to each axis when not rotating */
} view;

/* Decode 0x5f2c the way zepto8 does: bit 6 is ignored, 0x84-0x87 are the
** rotations, otherwise bits 0/1 pick an axis and bits 2 and 7 turn
** stretching into mirroring or flipping. */
static view decode_mode(uint8_t m) {
  view v = { 0, AXIS_SAME, AXIS_SAME };
  if ((m & 0xbc) == 0x84) {
    v.rot = m & 3;
    return v;
  }
  switch (m & 0xbd) {
    case 0x01: v.xop = AXIS_STRETCH; break;
    case 0x05: v.xop = AXIS_MIRROR; break;
    case 0x81: v.xop = AXIS_FLIP; break;
    default: break;
  }
  switch (m & 0xbe) {
    case 0x02: v.yop = AXIS_STRETCH; break;
    case 0x06: v.yop = AXIS_MIRROR; break;
    case 0x82: v.yop = AXIS_FLIP; break;
    default: break;
  }
  return v;
}

/* Output coordinate -> screen coordinate along one axis. */
static int axis(int op, int o) {
  switch (op) {
    case AXIS_STRETCH: return o >> 1;
    case AXIS_MIRROR: return o < 64 ? o : 127 - o;
    case AXIS_FLIP: return 127 - o;
    default: return o;
  }
}

/* ---- palettes per screen row ---- */

typedef struct shade {
  const uint8_t *ram;
  uint8_t mode;           /* 0x5f5f */
  uint8_t screen[16];     /* display colours through 0x5f10 */
  uint8_t alt[16];        /* display colours through 0x5f60 */
} shade;

static void shade_init(const p8_state *p8, shade *s) {
  int i;
  s->ram = p8->ram;
  s->mode = p8->ram[HW_HICOLOUR];
  for (i = 0; i < 16; i++) {
    s->screen[i] = display_colour(p8->ram[P8_DS_SCREENPAL + i]);
    s->alt[i] = display_colour(p8->ram[HW_ALTPAL + i]);
  }
}

static int row_bit(const shade *s, int sy) {
  return (s->ram[HW_ROWBITS + (sy >> 3)] >> (sy & 7)) & 1;
}

/* Does screen row sy show through the plain screen palette? */
static int plain_row(const shade *s, int sy) {
  if (s->mode == HC_SCANLINE) return !row_bit(s, sy);
  return (s->mode & 0xf0) != HC_GRADIENT;
}

/* Display colour of pixel value c on screen row sy. */
static uint8_t shade_pixel(const shade *s, int sy, int c) {
  if (s->mode == HC_SCANLINE)
    return row_bit(s, sy) ? s->alt[c] : s->screen[c];
  if ((s->mode & 0xf0) == HC_GRADIENT && c == (s->mode & 15))
    return s->alt[((sy >> 3) + row_bit(s, sy)) & 15];
  return s->screen[c];
}

/* ---- rows ---- */

typedef struct frame {
  p8_state *p8;
  uint32_t base;          /* screen base address (0x5f55) */
  view v;
  shade s;
} frame;

static void frame_init(frame *f, p8_state *p8) {
  f->p8 = p8;
  f->base = p8_screen_base(p8);
  f->v = decode_mode(p8->ram[P8_DS_SCRMODE]);
  shade_init(p8, &f->s);
}

/* The screen row output row oy shows, or -1 when the row must be built
** pixel by pixel (rotation, or a horizontal mode, or a special palette). */
static int lut_row(const frame *f, int oy) {
  int sy;
  if (f->v.rot != 0 || f->v.xop != AXIS_SAME) return -1;
  sy = axis(f->v.yop, oy);
  return plain_row(&f->s, sy) ? sy : -1;
}

static uint8_t screen_byte(const frame *f, int sy, int i) {
  return f->p8->ram[(f->base + (uint32_t)(sy * 64 + i)) & 0xffffu];
}

/* Display colours of output row oy, the general way. */
static void index_row(const frame *f, int oy, uint8_t *out) {
  int ox;
  if (f->v.rot == 0) {
    int sy = axis(f->v.yop, oy);
    for (ox = 0; ox < P8_SCREEN_W; ox++) {
      int c = p8_image_get(f->p8, f->base, axis(f->v.xop, ox), sy);
      out[ox] = shade_pixel(&f->s, sy, c);
    }
    return;
  }
  for (ox = 0; ox < P8_SCREEN_W; ox++) {
    int sx, sy;
    switch (f->v.rot) {
      case 1: sx = oy; sy = 127 - ox; break;
      case 2: sx = 127 - ox; sy = 127 - oy; break;
      default: sx = 127 - oy; sy = ox; break;
    }
    out[ox] = shade_pixel(&f->s, sy, p8_image_get(f->p8, f->base, sx, sy));
  }
}

int p8_present_indices(p8_state *p8, int y0, int y1, uint8_t *out) {
  int n = p8_present_rows(y0, y1), oy;
  frame f;
  if (n == 0) return 0;
  if (y0 < 0) y0 = 0;
  frame_init(&f, p8);
  for (oy = y0; oy < y0 + n; oy++, out += P8_SCREEN_W)
    index_row(&f, oy, out);
  return n;
}

int p8_present_rgb565(p8_state *p8, int y0, int y1, uint16_t *out) {
  int n = p8_present_rows(y0, y1), oy, i;
  uint8_t idx[P8_SCREEN_W];
  frame f;
  if (n == 0) return 0;
  if (y0 < 0) y0 = 0;
  lut_update(p8);
  frame_init(&f, p8);
  for (oy = y0; oy < y0 + n; oy++, out += P8_SCREEN_W) {
    int sy = lut_row(&f, oy);
    if (sy >= 0) {
      for (i = 0; i < 64; i++) {
        const uint16_t *two = p8->lut565[screen_byte(&f, sy, i)];
        out[2 * i] = two[0];
        out[2 * i + 1] = two[1];
      }
      continue;
    }
    index_row(&f, oy, idx);
    for (i = 0; i < P8_SCREEN_W; i++) out[i] = colour_565[idx[i]];
  }
  return n;
}

int p8_present_xrgb8888(p8_state *p8, int y0, int y1, uint32_t *out) {
  int n = p8_present_rows(y0, y1), oy, i;
  uint8_t idx[P8_SCREEN_W];
  frame f;
  if (n == 0) return 0;
  if (y0 < 0) y0 = 0;
  lut_update(p8);
  frame_init(&f, p8);
  for (oy = y0; oy < y0 + n; oy++, out += P8_SCREEN_W) {
    int sy = lut_row(&f, oy);
    if (sy >= 0) {
      for (i = 0; i < 64; i++) {
        const uint32_t *two = p8->lut8888[screen_byte(&f, sy, i)];
        out[2 * i] = two[0];
        out[2 * i + 1] = two[1];
      }
      continue;
    }
    index_row(&f, oy, idx);
    for (i = 0; i < P8_SCREEN_W; i++) out[i] = colour_8888[idx[i]];
  }
  return n;
}
