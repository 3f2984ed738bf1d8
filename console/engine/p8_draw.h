/*
** p8_draw.h -- the pixel primitive every drawing function shares.
**
** INTERNAL header: engine modules include it; it has no rp8:api block, so
** the cffi build does not export it.
**
** Coordinate spaces:
**  - cart coordinates are what a cart passes to pset/line/spr/print; the
**    camera (int16 at 0x5f28/0x5f2a) is subtracted to get
**  - screen coordinates, 0..127 on both axes inside the visible screen.
**    The fill pattern is aligned to screen coordinates.
**
** Colours: `col` below is the *pen byte* as the draw state keeps it at
** 0x5f25: bits 0-3 the primary colour, bits 4-7 the secondary colour,
** used where the fill pattern has a 1 bit. Bits above 7 are ignored. It is
** the colour *before* the draw palette: the pixel functions apply the draw
** palette (0x5f00, low nibble) to whichever half they use, or, when
** 0x5f33 & 4 asks for the global secondary palette, look the primary
** colour up in 0x5f60 after the draw palette.
**
** Turning a cart's colour argument (a fix32) into that byte is
** p8_draw_color's job: it flr()s the argument, stores its low byte as the
** new pen, and when 0x5f34 & 1 is set and the argument has bit
** 0x1000.0000, also loads the fill pattern (bits 0x0000.ffff) and its flags
** (bits 0x0700.0000: transparency, sprites, global secondary palette) into
** 0x5f31-0x5f33. The 0x0800.0000 bit (inverted fill, with 0x5f34 & 2) is
** reported by p8_draw_color_invert for the shapes that honour it.
**
** Every write to the screen also goes through the bitplane masks at 0x5f5e
** (low nibble write mask, high nibble read mask):
**     dst = (dst & ~write) | (src & write & read)
** so 0xff (the power-on value) writes colours unchanged.
*/
#ifndef p8_draw_h
#define p8_draw_h

#include "p8.h"

/* P8_REFERENCE=1 builds the engine with its fast paths off: every pixel
** then takes the general rule. tests/engine/test_engine_reference.py builds it
** that way and holds the normal build to identical RAM. */
#ifndef P8_REFERENCE
#define P8_REFERENCE 0
#endif

#define P8_HW_BITPLANES 0x5f5e   /* bitplane read/write masks */
#define P8_HW_SECPAL    0x5f60   /* secondary palette, pal(c0, c1, 2) */
#define P8_DS_MISC      0x5f36   /* misc flags: 0x8 sprite 0 opaque, 0x10 oob defaults */
#define P8_HW_SGET_OOB  0x5f59   /* sget out-of-bounds value (0x5f36 & 0x10) */
#define P8_HW_MGET_OOB  0x5f5a   /* mget out-of-bounds value */
#define P8_HW_PGET_OOB  0x5f5b   /* pget out-of-bounds value */

/* Screen-space clip rectangle from 0x5f20-0x5f23, clamped to 0..128 and
** never inverted (x0 <= x1, y0 <= y1). */
typedef struct p8_clip {
  int x0, y0, x1, y1;   /* x1, y1 exclusive */
} p8_clip;

/* The pen byte to draw with, from a draw function's colour argument.
** `given` is nonzero when the cart passed the argument; otherwise the
** current pen (0x5f25) is returned unchanged. */
int p8_draw_color(p8_state *p8, fix32 col, int given);

/* Nonzero when a given colour argument asks for an inverted fill:
** 0x5f34 & 2 set and bits 0x1800.0000 both set in col. */
int p8_draw_color_invert(const p8_state *p8, fix32 col, int given);

/* Plot one pixel of a shape (pset, line, rect, circ, oval, print) at cart
** coordinates x, y in pen byte `col`: camera, clip rectangle, fill pattern
** with its transparency bit and secondary colour, draw palette, global
** secondary palette (0x5f33 & 4), bitplanes, screen address at 0x5f55. */
void p8_draw_pixel(p8_state *p8, int x, int y, int col);

/* The same at screen coordinates (camera already subtracted). */
void p8_draw_pixel_screen(p8_state *p8, int sx, int sy, int col);

/* The two colours a fill pattern draws with pen byte `col`: *c0 where a
** pattern bit is clear, *c1 where it is set; through the global secondary
** palette when 0x5f33 & 4, else the draw palette of col's two nibbles. */
void p8_draw_pattern_colors(const p8_state *p8, int col, unsigned *c0, unsigned *c1);

/* The bitplanes (0x5f5e) as masks of a screen byte, both nibbles: a pixel
** the shape draws with colour c becomes (old & ~w) | (c & w & r), so a
** byte's pixel mask keeps only *write's bits and its colours only *read's
** (both 0xff when the planes pass everything). */
void p8_draw_plane_masks(const p8_state *p8, unsigned *write, unsigned *read);

/* Fill screen row sy from sx0 to sx1 inclusive (screen coordinates, any
** order, any range: clipped here) as p8_draw_pixel_screen would. */
void p8_draw_hspan(p8_state *p8, int sx0, int sx1, int sy, int col);

/* Plot one pixel of a sprite-like source (spr, sspr, map, tline) at screen
** coordinates: `c` is the raw 4-bit sheet colour. Applies the draw palette
** and its transparency bits (0xf0 of 0x5f00+c), and, when 0x5f33 & 2 is
** set, the fill pattern through the secondary palette. Clipped. */
void p8_draw_sprite_pixel(p8_state *p8, int sx, int sy, int c);

/* Plot the set bits of a 1bpp bitmap (rows[r] bit c = pixel (x + c, y + r),
** c < w <= 8, r < h) at cart coordinates in pen byte `col`, exactly as
** p8_draw_pixel would with the fill pattern and its flags off: camera, clip
** rectangle, draw palette, bitplanes, screen address. print's glyphs. */
void p8_draw_bits(p8_state *p8, int x, int y, const uint8_t *rows, int w, int h, int col);

/* p8_draw_bits split in two for a run of glyphs (print): the draw state it
** reads, taken once, then one call per glyph. The state must not change
** between the two (print's plain-character run pokes nothing). */
typedef struct p8_bits_pen {
  p8_clip clip;          /* screen-space clip rectangle */
  int camx, camy;        /* camera */
  int v;                 /* the pen's colour after the draw palette */
  int planes;            /* the bitplane masks do not pass everything */
  uint32_t base;         /* screen base address */
} p8_bits_pen;

void p8_bits_pen_init(const p8_state *p8, int col, p8_bits_pen *pen);
void p8_draw_bits_pen(p8_state *p8, const p8_bits_pen *pen, int x, int y,
                      const uint8_t *rows, int w, int h);

/* Visit the pixels of the line (x0, y0)-(x1, y1) in screen coordinates,
** as line() draws it, skipping those whose major coordinate is outside the
** clip rectangle (the minor one is left to the plot function to clip).
** `k` is the pixel's step index from (x0, y0). Defined in p8_shape.c. */
void p8_draw_line_walk(p8_state *p8, int x0, int y0, int x1, int y1,
                       void (*plot)(p8_state *, int, int, uint32_t, void *), void *ctx);

/* The clip rectangle in screen space. */
p8_clip p8_draw_clip(const p8_state *p8);

/* Camera as signed 16-bit values. */
int p8_camera_x(const p8_state *p8);
int p8_camera_y(const p8_state *p8);

/* flr() of a fix32 as an int (-32768..32767), without shifting a negative
** value. */
static inline int p8_flr(fix32 v) {
  return (int)(((uint32_t)v >> 16) ^ 0x8000u) - 0x8000;
}

/* Base addresses of the remappable areas (0x5f54 sprite sheet, 0x5f55
** screen). Every access through them wraps within ram[0..0xffff]. */
static inline uint32_t p8_screen_base(const p8_state *p8) {
  return (uint32_t)p8->ram[P8_HW_MAPSCR] << 8;
}

static inline uint32_t p8_sheet_base(const p8_state *p8) {
  return (uint32_t)p8->ram[P8_HW_MAPSPR] << 8;
}

/* True when the screen (pages 0x40..0x5f of 0x5f55) covers the draw state
** at 0x5f00..0x5fff: a pixel drawn can then change the palette, clip or
** camera that the next pixel is drawn through. */
static inline int p8_screen_over_draw_state(const p8_state *p8) {
  return (unsigned)(p8->ram[P8_HW_MAPSCR] - 0x40u) <= 0x1fu;
}

/* Raw 4bpp access to a 128x128 image at `base` (screen or sheet layout:
** 64 bytes a row, low nibble = left pixel). x, y must be in 0..127. */
static inline int p8_image_get(const p8_state *p8, uint32_t base, int x, int y) {
  uint8_t b = p8->ram[(base + (uint32_t)(y * 64 + (x >> 1))) & 0xffffu];
  return (x & 1) ? b >> 4 : b & 15;
}

static inline void p8_image_set(p8_state *p8, uint32_t base, int x, int y, int c) {
  uint8_t *b = &p8->ram[(base + (uint32_t)(y * 64 + (x >> 1))) & 0xffffu];
  if (x & 1)
    *b = (uint8_t)((*b & 0x0f) | ((c & 15) << 4));
  else
    *b = (uint8_t)((*b & 0xf0) | (c & 15));
}

/* Raw screen access (no palette, no clip); x, y must be in 0..127. */
static inline int p8_screen_get(const p8_state *p8, int x, int y) {
  return p8_image_get(p8, p8_screen_base(p8), x, y);
}

static inline void p8_screen_set(p8_state *p8, int x, int y, int c) {
  p8_image_set(p8, p8_screen_base(p8), x, y, c);
}

/* Sprite sheet pixel; 0 outside the 128x128 sheet. */
static inline int p8_sheet_get(const p8_state *p8, int x, int y) {
  if ((unsigned)x > 127u || (unsigned)y > 127u)
    return 0;
  return p8_image_get(p8, p8_sheet_base(p8), x, y);
}

/* The map as remapped by 0x5f56/0x5f57: width and height in cells. */
typedef struct p8_mapinfo {
  int w, h;             /* cells */
  int draw_h;           /* rows map() draws when no size is given */
  uint32_t page;        /* 0x5f56 as used: 0x10..0x2f, or 0x80 and above */
} p8_mapinfo;

p8_mapinfo p8_map_info(const p8_state *p8);

/* RAM address of map cell (x, y); the cell must be inside p8_map_info. */
uint32_t p8_map_addr(const p8_state *p8, int x, int y);

/* The same from a p8_mapinfo taken while 0x5f56/0x5f57 hold (a per-pixel
** loop takes it once): pages 0x10..0x2f wrap inside 0x1000..0x2fff. */
static inline uint32_t p8_map_addr_in(const p8_mapinfo *mi, int x, int y) {
  uint32_t off = (uint32_t)(y * mi->w + x);   /* no division: a per-cell path */
  if (mi->page >= 0x80u)
    return ((mi->page << 8) + off) & 0xffffu;
  return 0x1000u + (((mi->page << 8) - 0x1000u + off) & 0x1fffu);
}

#endif
