/*
** p8_gfx.h -- PICO-8's drawing API (every primitive except print) and the
** draw-state functions (pal, palt, color, camera, clip, cursor, fillp).
**
** Conventions are p8.h's: fix32 arguments, flr()ed here; `argc` is the
** number of arguments the cart passed where omission differs from every
** value. Booleans (flip_x, palt's t, ...) arrive as int, nonzero = true.
** Defaults that are plain values (spr's w/h = 1, circ's r = 4, tline's
** mdx/mdy = 0.125/0, layers = 0) are filled in by the bindings.
**
** Functions that return several values in PICO-8 return them packed:
**  - p8_camera: previous x in bits 0-15, previous y in bits 16-31 (int16s);
**  - p8_cursor: previous x in bits 0-7, y in bits 8-15, pen in 16-23;
**  - p8_clip_set (PICO-8 clip; the name p8_clip is the clip-rectangle type
**    in p8_draw.h): previous x0, y0, x1, y1 (0x5f20-0x5f23) in bytes 0..3.
*/
#ifndef p8_gfx_h
#define p8_gfx_h

#include "p8.h"

/* rp8:api begin */
void p8_cls(p8_state *p8, fix32 col);
void p8_pset(p8_state *p8, fix32 x, fix32 y, fix32 col, int argc);
fix32 p8_pget(p8_state *p8, fix32 x, fix32 y);
fix32 p8_sget(p8_state *p8, fix32 x, fix32 y);
void p8_sset(p8_state *p8, fix32 x, fix32 y, fix32 col, int argc);
fix32 p8_fget(p8_state *p8, fix32 n, fix32 f, int argc);
void p8_fset(p8_state *p8, fix32 n, fix32 f, int v, int argc);
fix32 p8_mget(p8_state *p8, fix32 x, fix32 y);
void p8_mset(p8_state *p8, fix32 x, fix32 y, fix32 v);

void p8_line(p8_state *p8, fix32 x0, fix32 y0, fix32 x1, fix32 y1, fix32 col, int argc);
void p8_rect(p8_state *p8, fix32 x0, fix32 y0, fix32 x1, fix32 y1, fix32 col, int argc);
void p8_rectfill(p8_state *p8, fix32 x0, fix32 y0, fix32 x1, fix32 y1, fix32 col, int argc);
void p8_rrect(p8_state *p8, fix32 x, fix32 y, fix32 w, fix32 h, fix32 r, fix32 col, int argc);
void p8_rrectfill(p8_state *p8, fix32 x, fix32 y, fix32 w, fix32 h, fix32 r, fix32 col,
                  int argc);
void p8_circ(p8_state *p8, fix32 x, fix32 y, fix32 r, fix32 col, int argc);
void p8_circfill(p8_state *p8, fix32 x, fix32 y, fix32 r, fix32 col, int argc);
void p8_oval(p8_state *p8, fix32 x0, fix32 y0, fix32 x1, fix32 y1, fix32 col, int argc);
void p8_ovalfill(p8_state *p8, fix32 x0, fix32 y0, fix32 x1, fix32 y1, fix32 col, int argc);

void p8_spr(p8_state *p8, fix32 n, fix32 x, fix32 y, fix32 w, fix32 h, int flip_x, int flip_y);
void p8_sspr(p8_state *p8, fix32 sx, fix32 sy, fix32 sw, fix32 sh, fix32 dx, fix32 dy,
             fix32 dw, fix32 dh, int flip_x, int flip_y, int argc);
void p8_map(p8_state *p8, fix32 celx, fix32 cely, fix32 sx, fix32 sy, fix32 celw, fix32 celh,
            fix32 layers, int argc);
void p8_tline(p8_state *p8, fix32 x0, fix32 y0, fix32 x1, fix32 y1, fix32 mx, fix32 my,
              fix32 mdx, fix32 mdy, fix32 layers);
int p8_tline_precision(p8_state *p8, fix32 bits);

fix32 p8_color(p8_state *p8, fix32 col, int argc);
uint32_t p8_cursor(p8_state *p8, fix32 x, fix32 y, fix32 col, int argc);
uint32_t p8_camera(p8_state *p8, fix32 x, fix32 y, int argc);
uint32_t p8_clip_set(p8_state *p8, fix32 x, fix32 y, fix32 w, fix32 h, int previous, int argc);
fix32 p8_pal(p8_state *p8, fix32 c0, fix32 c1, fix32 p, int argc);
fix32 p8_palt(p8_state *p8, fix32 c, int t, int argc);
fix32 p8_fillp(p8_state *p8, fix32 p, int argc);
/* rp8:api end */

#endif
