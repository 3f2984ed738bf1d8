/*
** p8_shape.c -- line, rect, rectfill, rrect, rrectfill, circ, circfill,
** oval, ovalfill.
**
** Every closed shape is described by its span on each screen row, and one
** renderer draws it filled, as an outline (the pixels of the filled shape
** that have a 4-neighbour outside it), or inverted (the clip rectangle
** minus the shape). Work is bounded by the clip rectangle: only visible
** rows are visited and each row costs O(1) to describe, so a circle of
** radius 32767 costs the same as one of radius 10.
**
** Circles: PICO-8 draws the midpoint circle (x = r, y = 0, d = 1 - r; step
** y, and step x when d >= 0), the algorithm zepto8 and fake-08 settled on
** to match PICO-8's pixels. Its filled form is exactly the set
**     w*w + h*h - max(w, h) < r*r      (w = |dx|, h = |dy|)
** and its outline is that set's 4-boundary (tests/engine/test_gfx_shapes.py checks
** both against the iterative algorithm), which gives each row's span in
** closed form.
*/
#include "p8_draw.h"
#include "p8_gfx.h"
#include "p8_line_walk.h"
#include <string.h>

/* floor(sqrt(n)) */
static uint32_t isqrt32(uint32_t n) {
  uint32_t root = 0, bit = n < 0x100u ? 1u << 6 : n < 0x10000u ? 1u << 14 : 1u << 30;
  while (bit > n) bit >>= 2;
  while (bit) {
    if (n >= root + bit) {
      n -= root + bit;
      root = (root >> 1) + bit;
    } else {
      root >>= 1;
    }
    bit >>= 2;
  }
  return root;
}

/* ---- shapes as row spans ---- */

enum { SHAPE_RECT, SHAPE_CIRC, SHAPE_OVAL, SHAPE_RRECT };
enum { DRAW_FILL, DRAW_OUTLINE, DRAW_INVERT };

typedef struct shape {
  int kind;
  int x0, y0, x1, y1;   /* bounding box, screen coordinates, inclusive */
  int cx, cy, r;        /* circle centre and radius; rrect's corner radius */
} shape;

/* Half width of the midpoint circle of radius r (> 0) on the row h rows
** from the centre (0 <= h <= r), or -1 when the row is empty. */
static int circle_halfwidth(int r, int h) {
  /* 32-bit products (64-bit ones are libgcc calls on the M0+): r is a flr'd
  ** fix32 and 0 <= h <= r <= 32767, so 2*h*h <= 2^31 - 2^17 */
  int32_t rr = (int32_t)r * r, hh = (int32_t)h * h;
  if (2 * hh - h < rr) {
    /* the row reaches at least w = h: largest w with w*w - w < rr - hh */
    int32_t n = rr - hh;                /* >= 0 here */
    int32_t w = (int32_t)isqrt32((uint32_t)n);
    if ((w + 1) * w < n) w++;
    return (int)w;
  } else {
    /* largest w < h with w*w < rr - hh + h */
    int32_t m = rr - hh + h;
    if (m <= 0) return -1;
    return (int)isqrt32((uint32_t)(m - 1));
  }
}

/* Span of the oval inscribed in the bounding box: pixel (x, y) is inside
** when ((2x - cx2) / a2)^2 + ((2y - cy2) / b2)^2 <= 1, with cx2 = x0 + x1,
** a2 = x1 - x0 (doubled units keep half-pixel centres exact). The oval
** always touches its box: the middle row(s) span the full width and the
** top and bottom rows keep their middle pixel(s). */
static int oval_span(const shape *s, int y, int *l, int *r) {
  uint32_t a2 = (uint32_t)(s->x1 - s->x0), b2 = (uint32_t)(s->y1 - s->y0);
  int cx2 = s->x0 + s->x1;
  int dy2 = 2 * y - (s->y0 + s->y1);
  uint32_t ady = (uint32_t)(dy2 < 0 ? -dy2 : dy2);
  int64_t k;
  if (a2 == 0 || b2 == 0) {
    *l = s->x0;
    *r = s->x1;
    return 1;
  }
  {
    uint64_t A = (uint64_t)a2 * a2, B = (uint64_t)b2 * b2;
    uint64_t T = A * (B - (uint64_t)ady * ady);   /* < 2^64: a2, b2 < 2^16 */
    k = isqrt32((uint32_t)(T / B));               /* T / B <= A < 2^32 */
  }
  if ((k & 1) != (a2 & 1)) k--;                   /* 2x - cx2 has a2's parity */
  if (ady <= 1) k = a2;
  if (ady == b2 && k < (int64_t)(a2 & 1)) k = a2 & 1;
  if (k < 0) return 0;
  *l = (int)((cx2 - k) / 2);                      /* exact: same parity */
  *r = (int)((cx2 + k) / 2);
  return 1;
}

/* The span [*l, *r] of row y, or 0 when the row is empty. */
static int span(const shape *s, int y, int *l, int *r) {
  if (y < s->y0 || y > s->y1) return 0;
  switch (s->kind) {
  case SHAPE_CIRC: {
    int h = y - s->cy, w;
    if (h < 0) h = -h;
    w = s->r == 0 ? 0 : circle_halfwidth(s->r, h);
    if (w < 0) return 0;
    *l = s->cx - w;
    *r = s->cx + w;
    return 1;
  }
  case SHAPE_OVAL:
    return oval_span(s, y, l, r);
  case SHAPE_RRECT: {
    /* the rows between the corner centres span the box; the others are
    ** the rows of a midpoint circle of radius r pulled apart */
    int top = s->y0 + s->r, bottom = s->y1 - s->r, h = 0, w;
    if (y < top) h = top - y;
    if (y > bottom) h = y - bottom;
    w = h == 0 ? s->r : circle_halfwidth(s->r, h);
    if (w < 0) return 0;
    *l = s->x0 + s->r - w;
    *r = s->x1 - s->r + w;
    return 1;
  }
  default:
    *l = s->x0;
    *r = s->x1;
    return 1;
  }
}

/* What a shape's spans are drawn with, read once per shape: when no fill
** pattern, global secondary palette or bitplane mask is in play and the
** screen neither covers the draw state (0x5f55 pages 0x40..0x5f) nor wraps
** past the top of RAM, every span is the solid colour on the clip
** rectangle's columns and no write changes that; with a pattern or
** bitplanes and the screen in 0x6000..0xffff, the pattern's bytes (the
** planes folded into their masks); otherwise each span goes through
** p8_draw_hspan, which reads the draw state again. */
typedef struct span_pen {
  int solid;            /* solid colour, the screen clear of the draw state */
  int pattern;          /* a fill pattern or bitplanes, the screen in 0x6000..0xffff */
  int x0, x1;           /* clip columns, inclusive */
  uint8_t v, fill;      /* the colour after the draw palette; twice, a byte */
  uint8_t val[4][2], msk[4][2];  /* pattern: per row & 3, per x & 2, a byte */
  uint8_t *screen;
} span_pen;

static void span_pen_init(p8_state *p8, const p8_clip *c, int col, span_pen *pen) {
  const uint8_t *ram = p8->ram;
  unsigned scr = ram[P8_HW_MAPSCR];
  int plain = ram[P8_DS_FILLP] == 0 && ram[P8_DS_FILLP + 1] == 0 && !(ram[P8_DS_FILLP_T] & 4);
  pen->solid = !P8_REFERENCE && !p8_screen_over_draw_state(p8) && scr <= 0xe0u && plain &&
               ram[P8_HW_BITPLANES] == 0xff;
  /* p8_draw_hspan's pattern_span, its four rows taken at once: a fill
  ** pattern, bitplanes, or both (no pattern: every pixel the first colour) */
  pen->pattern = !P8_REFERENCE && !pen->solid && scr >= 0x60u && scr <= 0xe0u;
  pen->x0 = c->x0;
  pen->x1 = c->x1 - 1;
  pen->v = (uint8_t)(ram[P8_DS_DRAWPAL + (col & 15)] & 15);
  pen->fill = (uint8_t)(pen->v * 0x11);
  pen->screen = p8->ram + (scr << 8);
  if (pen->pattern) {
    /* a pair of pattern bits (pixel x & 3 == 2h, then 2h + 1) as the
    ** nibbles of a screen byte that take the second colour */
    static const uint8_t SECOND[4] = {0x00, 0xf0, 0x0f, 0xff};
    unsigned pat = ram[P8_DS_FILLP] | ((unsigned)ram[P8_DS_FILLP + 1] << 8);
    unsigned c0, c1, r, h, wm, rm, hide;
    p8_draw_pattern_colors(p8, col, &c0, &c1);
    p8_draw_plane_masks(p8, &wm, &rm);
    c0 = c0 * 0x11u & rm;
    c1 = c1 * 0x11u & rm;
    hide = ram[P8_DS_FILLP_T] & 1 ? 0xffu : 0u;   /* a set bit draws nothing (0x5f34 & 1) */
    for (r = 0; r < 4; r++) {
      unsigned row = (pat >> (12 - 4 * r)) & 15u;
      for (h = 0; h < 2; h++) {
        unsigned second = SECOND[(row >> (2 - 2 * h)) & 3u];
        pen->val[r][h] = (uint8_t)((c1 & second) | (c0 & ~second));
        pen->msk[r][h] = (uint8_t)(~(second & hide) & wm);
      }
    }
  }
}

/* Row y (on the clip rectangle's rows) from a to b inclusive, as
** p8_draw_hspan draws it, for a solid or patterned pen. */
static void run_pen(const span_pen *pen, int a, int b, int y) {
  uint8_t *row;
  if (a < pen->x0) a = pen->x0;
  if (b > pen->x1) b = pen->x1;
  if (a > b) return;
  row = pen->screen + y * 64;
  if (pen->pattern) {
    const uint8_t *val = pen->val[y & 3], *msk = pen->msk[y & 3];
    int x;
    for (x = a - (a & 1); x <= b; x += 2) {
      int h = (x >> 1) & 1;                         /* x & 3 is 0 or 2 */
      unsigned m = msk[h];
      if (x < a) m &= 0xf0u;
      if (x + 1 > b) m &= 0x0fu;
      row[x >> 1] = (uint8_t)((row[x >> 1] & ~m) | (val[h] & m));
    }
    return;
  }
  if (a & 1) {                          /* odd left end: the high nibble */
    row[a >> 1] = (uint8_t)((row[a >> 1] & 0x0f) | (pen->v << 4));
    a++;
  }
  if (a <= b && !(b & 1)) {             /* even right end: the low nibble */
    row[b >> 1] = (uint8_t)((row[b >> 1] & 0xf0) | pen->v);
    b--;
  }
  if (a < b) {                          /* whole bytes; short runs without a call */
    uint8_t *p = row + (a >> 1);
    int n = (b - a + 1) >> 1;
    if (n > 8) {
      memset(p, pen->fill, (size_t)n);
    } else {
      while (n-- > 0) *p++ = pen->fill;
    }
  }
}

/* A span of the shape: the pen's own loop, or p8_draw_hspan (no call more
** than before for draw states the pen does not cover). */
static inline void run(p8_state *p8, const span_pen *pen, int a, int b, int y, int col) {
  if (pen->solid || pen->pattern)
    run_pen(pen, a, b, y);
  else if (a <= b)
    p8_draw_hspan(p8, a, b, y, col);
}

static int imax(int a, int b) { return a > b ? a : b; }
static int imin(int a, int b) { return a < b ? a : b; }

static void draw_shape(p8_state *p8, const shape *s, int mode, int col) {
  p8_clip c = p8_draw_clip(p8);
  int ylo = c.y0, yhi = c.y1 - 1, y;
  int pv, pl = 0, pr = 0, cv, cl = 0, cr = 0, nv, nl = 0, nr = 0;
  span_pen pen;
  if (mode != DRAW_INVERT) {
    if (s->x1 < c.x0 || s->x0 >= c.x1) return;
    ylo = imax(ylo, s->y0);
    yhi = imin(yhi, s->y1);
  }
  if (ylo > yhi) return;
  span_pen_init(p8, &c, col, &pen);
  if (mode == DRAW_FILL && s->kind == SHAPE_RECT && (pen.solid || pen.pattern)) {
    /* every row the same span (rectfill's columns and rows): no span() and
    ** no neighbour bookkeeping per row */
    for (y = ylo; y <= yhi; y++)
      run_pen(&pen, s->x0, s->x1, y);
    return;
  }
  if (mode == DRAW_OUTLINE && s->kind == SHAPE_RECT && (pen.solid || pen.pattern)) {
    /* rect: its top and bottom rows whole, every row between only its two
    ** end columns (what the interior rule below leaves of a box) */
    for (y = ylo; y <= yhi; y++) {
      if (y == s->y0 || y == s->y1) {
        run_pen(&pen, s->x0, s->x1, y);
      } else {
        run_pen(&pen, s->x0, s->x0, y);
        if (s->x1 != s->x0) run_pen(&pen, s->x1, s->x1, y);
      }
    }
    return;
  }
  pv = span(s, ylo - 1, &pl, &pr);
  cv = span(s, ylo, &cl, &cr);
  for (y = ylo; y <= yhi; y++) {
    nv = span(s, y + 1, &nl, &nr);
    if (mode == DRAW_FILL) {
      if (cv) run(p8, &pen, cl, cr, y, col);
    } else if (mode == DRAW_INVERT) {
      if (cv) {
        run(p8, &pen, c.x0, imin(cl - 1, c.x1 - 1), y, col);
        run(p8, &pen, imax(cr + 1, c.x0), c.x1 - 1, y, col);
      } else {
        run(p8, &pen, c.x0, c.x1 - 1, y, col);
      }
    } else if (cv) {
      /* interior: inside, and so are all four neighbours */
      int ilo = cl + 1, ihi = cr - 1;
      if (pv && nv) {
        ilo = imax(ilo, imax(pl, nl));
        ihi = imin(ihi, imin(pr, nr));
      } else {
        ilo = 1, ihi = 0;
      }
      if (ilo <= ihi) {
        run(p8, &pen, cl, ilo - 1, y, col);
        run(p8, &pen, ihi + 1, cr, y, col);
      } else {
        run(p8, &pen, cl, cr, y, col);
      }
    }
    pv = cv, pl = cl, pr = cr;
    cv = nv, cl = nl, cr = nr;
  }
}

/* A box from two corners in any order, moved into screen space. */
static shape box(const p8_state *p8, int kind, fix32 x0, fix32 y0, fix32 x1, fix32 y1) {
  shape s;
  int ax = p8_flr(x0), ay = p8_flr(y0), bx = p8_flr(x1), by = p8_flr(y1);
  int camx = p8_camera_x(p8), camy = p8_camera_y(p8);
  s.kind = kind;
  s.x0 = imin(ax, bx) - camx;
  s.x1 = imax(ax, bx) - camx;
  s.y0 = imin(ay, by) - camy;
  s.y1 = imax(ay, by) - camy;
  s.cx = s.cy = s.r = 0;
  return s;
}

static shape circle(const p8_state *p8, fix32 x, fix32 y, fix32 r) {
  shape s;
  s.kind = SHAPE_CIRC;
  s.cx = p8_flr(x) - p8_camera_x(p8);
  s.cy = p8_flr(y) - p8_camera_y(p8);
  s.r = p8_flr(r);
  s.x0 = s.cx - s.r;
  s.x1 = s.cx + s.r;
  s.y0 = s.cy - s.r;
  s.y1 = s.cy + s.r;
  return s;
}

void p8_rect(p8_state *p8, fix32 x0, fix32 y0, fix32 x1, fix32 y1, fix32 col, int argc) {
  int c = p8_draw_color(p8, col, argc >= 5);
  shape s = box(p8, SHAPE_RECT, x0, y0, x1, y1);
  draw_shape(p8, &s, DRAW_OUTLINE, c);
}

void p8_rectfill(p8_state *p8, fix32 x0, fix32 y0, fix32 x1, fix32 y1, fix32 col, int argc) {
  int inv = p8_draw_color_invert(p8, col, argc >= 5);
  int c = p8_draw_color(p8, col, argc >= 5);
  shape s = box(p8, SHAPE_RECT, x0, y0, x1, y1);
  draw_shape(p8, &s, inv ? DRAW_INVERT : DRAW_FILL, c);
}

/* rrect(x, y, w, h, r): the box of w x h pixels from (x, y) with corners
** of radius r, each a quarter of circfill's midpoint circle (so w = h =
** 2r + 1 is exactly circfill(x + r, y + r, r)). r is at most half the
** shorter side and at least 0; w or h below 1 draws nothing. */
static int rounded_box(const p8_state *p8, fix32 x, fix32 y, fix32 w, fix32 h, fix32 r,
                       shape *s) {
  int iw = p8_flr(w), ih = p8_flr(h), ir = p8_flr(r), most;
  if (iw < 1 || ih < 1) return 0;
  s->kind = SHAPE_RRECT;
  s->x0 = p8_flr(x) - p8_camera_x(p8);
  s->y0 = p8_flr(y) - p8_camera_y(p8);
  s->x1 = s->x0 + iw - 1;
  s->y1 = s->y0 + ih - 1;
  most = (imin(iw, ih) - 1) / 2;
  s->r = ir < 0 ? 0 : imin(ir, most);
  s->cx = s->cy = 0;
  return 1;
}

void p8_rrect(p8_state *p8, fix32 x, fix32 y, fix32 w, fix32 h, fix32 r, fix32 col, int argc) {
  int c = p8_draw_color(p8, col, argc >= 6);
  shape s;
  if (rounded_box(p8, x, y, w, h, r, &s)) draw_shape(p8, &s, DRAW_OUTLINE, c);
}

void p8_rrectfill(p8_state *p8, fix32 x, fix32 y, fix32 w, fix32 h, fix32 r, fix32 col,
                  int argc) {
  int inv = p8_draw_color_invert(p8, col, argc >= 6);
  int c = p8_draw_color(p8, col, argc >= 6);
  shape s;
  if (!rounded_box(p8, x, y, w, h, r, &s)) {
    if (!inv) return;
    s.kind = SHAPE_RECT;                /* empty shape: invert fills the clip */
    s.x0 = s.x1 = s.cx = s.cy = s.r = 0;
    s.y0 = 1, s.y1 = 0;
  }
  draw_shape(p8, &s, inv ? DRAW_INVERT : DRAW_FILL, c);
}

void p8_circ(p8_state *p8, fix32 x, fix32 y, fix32 r, fix32 col, int argc) {
  int c = p8_draw_color(p8, col, argc >= 4);
  shape s = circle(p8, x, y, r);
  if (s.r < 0) return;                  /* negative radius: nothing drawn */
  draw_shape(p8, &s, DRAW_OUTLINE, c);
}

void p8_circfill(p8_state *p8, fix32 x, fix32 y, fix32 r, fix32 col, int argc) {
  int inv = p8_draw_color_invert(p8, col, argc >= 4);
  int c = p8_draw_color(p8, col, argc >= 4);
  shape s = circle(p8, x, y, r);
  if (s.r < 0) {
    if (!inv) return;
    s.y0 = 1, s.y1 = 0;                 /* empty shape: invert fills the clip */
  }
  draw_shape(p8, &s, inv ? DRAW_INVERT : DRAW_FILL, c);
}

void p8_oval(p8_state *p8, fix32 x0, fix32 y0, fix32 x1, fix32 y1, fix32 col, int argc) {
  int c = p8_draw_color(p8, col, argc >= 5);
  shape s = box(p8, SHAPE_OVAL, x0, y0, x1, y1);
  draw_shape(p8, &s, DRAW_OUTLINE, c);
}

void p8_ovalfill(p8_state *p8, fix32 x0, fix32 y0, fix32 x1, fix32 y1, fix32 col, int argc) {
  int inv = p8_draw_color_invert(p8, col, argc >= 5);
  int c = p8_draw_color(p8, col, argc >= 5);
  shape s = box(p8, SHAPE_OVAL, x0, y0, x1, y1);
  draw_shape(p8, &s, inv ? DRAW_INVERT : DRAW_FILL, c);
}

/* ---- lines ---- */

/* The walk is inline so that line()'s plain case gets its own copy with
** the plot function called directly rather than through the pointer. */
void p8_draw_line_walk(p8_state *p8, int x0, int y0, int x1, int y1,
                       void (*plot)(p8_state *, int, int, uint32_t, void *), void *ctx) {
  line_walk(p8, x0, y0, x1, y1, plot, ctx);
}

static void line_plot(p8_state *p8, int x, int y, uint32_t k, void *ctx) {
  (void)k;
  p8_draw_pixel_screen(p8, x, y, *(int *)ctx);
}

/* line()'s pixel with no fill pattern, no global secondary palette and
** the screen clear of the draw state (so no pixel changes the rule):
** p8_draw_pixel_screen's case without a pattern bit, with the clip
** rectangle, colour, bitplanes and screen address taken once. */
typedef struct line_pen {
  p8_clip c;
  int v;                /* through the planes: v & w & r */
  int keep;             /* the bits of the old pixel the planes keep: ~w */
  uint32_t base;
} line_pen;

static int line_plain(const p8_state *p8) {
  const uint8_t *ram = p8->ram;
  return !P8_REFERENCE && (ram[P8_DS_FILLP] | ram[P8_DS_FILLP + 1] | (ram[P8_DS_FILLP_T] & 4)) == 0 &&
         ram[P8_HW_MAPSCR] >= 0x60 && ram[P8_HW_MAPSCR] <= 0xe0;
}

static inline void line_plot_plain(p8_state *p8, int x, int y, uint32_t k, void *ctx) {
  const line_pen *pen = (const line_pen *)ctx;
  (void)k;
  if (x >= pen->c.x0 && x < pen->c.x1 && y >= pen->c.y0 && y < pen->c.y1)
    p8_image_set(p8, pen->base, x, y, pen->v);
}

/* The same under bitplanes (0x5f5e): put's (old & ~w) | (c & w & r). */
static inline void line_plot_planes(p8_state *p8, int x, int y, uint32_t k, void *ctx) {
  const line_pen *pen = (const line_pen *)ctx;
  (void)k;
  if (x >= pen->c.x0 && x < pen->c.x1 && y >= pen->c.y0 && y < pen->c.y1)
    p8_image_set(p8, pen->base, x, y, (p8_image_get(p8, pen->base, x, y) & pen->keep) | pen->v);
}

/* A plain line with x0 == x1: the walk's pixels (its minor coordinate
** never moves) without its interpolation, one screen byte per row. */
static void line_column(p8_state *p8, const line_pen *pen, int x, int y0, int y1) {
  int lo = imax(imin(y0, y1), pen->c.y0), hi = imin(imax(y0, y1), pen->c.y1 - 1);
  uint32_t at;
  uint8_t keep, put;
  if (x < pen->c.x0 || x >= pen->c.x1 || lo > hi) return;
  at = pen->base + (uint32_t)(lo * 64 + (x >> 1));
  keep = (x & 1) ? 0x0f : 0xf0;
  put = (uint8_t)((x & 1) ? pen->v << 4 : pen->v);
  for (; lo <= hi; lo++, at += 64) {
    uint8_t *b = &p8->ram[at & 0xffffu];
    *b = (uint8_t)((*b & keep) | put);
  }
}

static void set_line_end(p8_state *p8, int x, int y) {
  uint8_t *r = p8->ram + P8_DS_LINEEND;
  r[0] = (uint8_t)x;
  r[1] = (uint8_t)((unsigned)x >> 8);
  r[2] = (uint8_t)y;
  r[3] = (uint8_t)((unsigned)y >> 8);
  p8->ram[P8_DS_LINEVALID] = 0;
}

/* line()                    forget the last end point
** line(col)                 the same, setting the pen
** line(x1, y1 [, col])      from the last end point (nothing drawn when
**                           there is none; the point is remembered)
** line(x0, y0, x1, y1 [, col])
** With 2 or 3 arguments the colour arrives in the x1 slot. */
void p8_line(p8_state *p8, fix32 x0, fix32 y0, fix32 x1, fix32 y1, fix32 col, int argc) {
  uint8_t *ram = p8->ram;
  int ax, ay, bx, by, c, camx, camy;
  if (argc < 2) {
    p8_draw_color(p8, x0, argc == 1);
    ram[P8_DS_LINEVALID] = 1;
    return;
  }
  if (argc < 4) {
    const uint8_t *e = ram + P8_DS_LINEEND;
    int fresh = ram[P8_DS_LINEVALID] & 1;
    c = p8_draw_color(p8, x1, argc == 3);
    ax = (int16_t)(uint16_t)(e[0] | (e[1] << 8));
    ay = (int16_t)(uint16_t)(e[2] | (e[3] << 8));
    bx = p8_flr(x0);
    by = p8_flr(y0);
    set_line_end(p8, bx, by);
    if (fresh) return;
  } else {
    c = p8_draw_color(p8, col, argc >= 5);
    ax = p8_flr(x0);
    ay = p8_flr(y0);
    bx = p8_flr(x1);
    by = p8_flr(y1);
    set_line_end(p8, bx, by);
  }
  camx = p8_camera_x(p8);
  camy = p8_camera_y(p8);
  if (line_plain(p8) && ram[P8_HW_BITPLANES] != 0xff) {
    line_pen pen;
    unsigned wm, rm;
    p8_draw_plane_masks(p8, &wm, &rm);
    pen.c = p8_draw_clip(p8);
    pen.v = (int)(ram[P8_DS_DRAWPAL + (c & 15)] & wm & rm & 15u);
    pen.keep = (int)(~wm & 15u);
    pen.base = p8_screen_base(p8);
    line_walk(p8, ax - camx, ay - camy, bx - camx, by - camy, line_plot_planes, &pen);
    return;
  }
  if (line_plain(p8)) {
    line_pen pen;
    if (ay == by) {
      /* a row: the span fill's solid case, whole bytes at a time */
      p8_draw_hspan(p8, ax - camx, bx - camx, ay - camy, c);
      return;
    }
    pen.c = p8_draw_clip(p8);
    pen.v = ram[P8_DS_DRAWPAL + (c & 15)] & 15;
    pen.base = p8_screen_base(p8);
    if (ax == bx) {
      line_column(p8, &pen, ax - camx, ay - camy, by - camy);
      return;
    }
    line_walk(p8, ax - camx, ay - camy, bx - camx, by - camy, line_plot_plain, &pen);
    return;
  }
  p8_draw_line_walk(p8, ax - camx, ay - camy, bx - camx, by - camy, line_plot, &c);
}
