/*
** p8_line_walk.h -- the pixels of a line, for line() (p8_shape.c) and
** tline() (p8_sprite.c).
**
** Static inline, so that each caller that passes its own static inline plot
** function gets a copy of the walk with the plot inlined: a call through the
** pointer per pixel costs the M0+ about as much as a plain pixel.
*/
#ifndef p8_line_walk_h
#define p8_line_walk_h

#include <stdint.h>

#include "p8_draw.h"

static inline int walk_max(int a, int b) { return a > b ? a : b; }
static inline int walk_min(int a, int b) { return a < b ? a : b; }

/* The minor coordinate of a line: round(b0 + (b1 - b0) * t / d), halves
** away from zero, for t = t0, t0 + 1, ... (d != 0, |b1 - b0| <= |d|).
** Only the first value needs a (64-bit) division; each step after it is
** exact 32-bit arithmetic, which matters on the M0+ where a 64-bit division
** per pixel cost more than the pixel.
**
** With q = |d| and n = (b0 * d + (b1 - b0) * t) * sgn(d), the value is
** n / q rounded, halves away from zero. Keep F = 2n + q as f*2q + r with
** 0 <= r < 2q: f = floor((n + q/2) / q) rounds halves up; for n < 0 halves
** must round down, which is f - 1 exactly when r == 0. n < 0 is f < 0, or
** f == 0 and r < q. A step adds s = 2(b1 - b0)sgn(d), |s| <= 2q, to F. */
typedef struct line_minor {
  int32_t f, r, q2, s;
} line_minor;

#define MINOR_SMALL (1 << 13)

static inline int minor_small(int v) {
  return v > -MINOR_SMALL && v < MINOR_SMALL;
}

static inline line_minor minor_start(int b0, int b1, int t0, int d) {
  line_minor m;
  if (minor_small(b0) && minor_small(b1) && minor_small(t0) && minor_small(d)) {
    /* every term below 2^28: 32-bit products and one 32-bit division,
    ** where the M0+ would call __muldi3 and __divdi3 (1,600 cycles) */
    int32_t q = d < 0 ? -d : d;
    int32_t n = (b0 * d + (b1 - b0) * t0) * (d < 0 ? -1 : 1);
    int32_t big = 2 * n + q, q2 = 2 * q, f = big / q2, r = big % q2;
    if (r < 0) r += q2, f -= 1;        /* floor division */
    m.f = f;
    m.r = r;
    m.q2 = q2;
  } else {
    int64_t q = d < 0 ? -(int64_t)d : d;
    int64_t n = ((int64_t)b0 * d + (int64_t)(b1 - b0) * t0) * (d < 0 ? -1 : 1);
    int64_t big = 2 * n + q, q2 = 2 * q, f = big / q2, r = big % q2;
    if (r < 0) r += q2, f -= 1;        /* floor division */
    m.f = (int32_t)f;
    m.r = (int32_t)r;
    m.q2 = (int32_t)q2;
  }
  m.s = 2 * (b1 - b0) * (d < 0 ? -1 : 1);
  return m;
}

static inline int minor_value(const line_minor *m) {
  int neg = m->f < 0 || (m->f == 0 && m->r < m->q2 / 2);
  return neg && m->r == 0 ? m->f - 1 : m->f;
}

static inline void minor_step(line_minor *m) {
  m->r += m->s;
  if (m->r >= m->q2) m->r -= m->q2, m->f += 1;
  else if (m->r < 0) m->r += m->q2, m->f -= 1;
}

/* Visit the pixels of the line (x0, y0)-(x1, y1) (screen coordinates)
** whose major coordinate lies inside the clip rectangle: the major axis
** (x when |dx| >= |dy|) steps one pixel at a time and the minor coordinate
** is the exact rounded interpolation from the start point, so a line is
** the same drawn in either direction. `k` is the step index from (x0, y0),
** which tline uses to advance its texture coordinates. */
static inline void line_walk(p8_state *p8, int x0, int y0, int x1, int y1,
                             void (*plot)(p8_state *, int, int, uint32_t, void *), void *ctx) {
  p8_clip c = p8_draw_clip(p8);
  int dx = x1 - x0, dy = y1 - y0, a, lo, hi;
  line_minor m;
  if (dx == 0 && dy == 0) {
    plot(p8, x0, y0, 0, ctx);
    return;
  }
  if ((dx < 0 ? -dx : dx) >= (dy < 0 ? -dy : dy)) {
    lo = walk_max(walk_min(x0, x1), c.x0);
    hi = walk_min(walk_max(x0, x1), c.x1 - 1);
    if (lo > hi) return;
    m = minor_start(y0, y1, lo - x0, dx);
    for (a = lo; a <= hi; a++, minor_step(&m))
      plot(p8, a, minor_value(&m), (uint32_t)(a > x0 ? a - x0 : x0 - a), ctx);
  } else {
    lo = walk_max(walk_min(y0, y1), c.y0);
    hi = walk_min(walk_max(y0, y1), c.y1 - 1);
    if (lo > hi) return;
    m = minor_start(x0, x1, lo - y0, dy);
    for (a = lo; a <= hi; a++, minor_step(&m))
      plot(p8, minor_value(&m), a, (uint32_t)(a > y0 ? a - y0 : y0 - a), ctx);
  }
}

#endif
