/*
** p8_print.c -- print() and the P8SCII control codes of PICO-8 0.2.5.
**
** The behaviour follows the PICO-8 manual (print, Appendix A "P8SCII
** Control Codes", custom font and default attributes); where the manual is
** silent the choices are written next to the code. Every pixel goes
** through p8_draw_pixel, so camera, clip, draw palette and bit planes
** apply to text as they do to shapes; the fill pattern does not.
**
** Coordinates are kept as integers wrapped to 16 bits, as PICO-8 keeps
** them in the integer part of a fix32, so no input can overflow.
*/
#include <string.h>

#include "p8.h"
#include "p8_draw.h"
#include "p8_font.h"
#include "p8_gfx.h"
#include "p8_print.h"

/* Rendering modes: the same bits as the 0x5f58 attribute byte. */
#define P8_PM_PADDING 0x02   /* 1px border left and top of each cell */
#define P8_PM_WIDE    0x04
#define P8_PM_TALL    0x08
#define P8_PM_SOLID   0x10   /* draw the background colour */
#define P8_PM_INVERT  0x20
#define P8_PM_STRIPEY 0x40   /* wide/tall: draw only the even pixels */
#define P8_PM_CUSTOM  0x80   /* font at 0x5600 */

/* 0x5f36 feature bits that change print. */
#define P8_F36_NO_NEWLINE 0x04   /* no implicit newline at the end */
#define P8_F36_NO_SCROLL  0x40   /* never scroll the screen */
#define P8_F36_WRAP       0x80   /* wrap at the right edge of the screen */

#define P8_MISC_FEATURES 0x5f36  /* the P8_F36_* bits */
#define P8_FONT_ATTR     0x5600

typedef struct glyph {
  uint8_t rows[8];   /* bit 0 = leftmost pixel */
  int gw, gh;        /* columns/rows taken from rows[] */
  int dw, dh;        /* cell size in character pixels (before wide/tall) */
  int ox, oy;        /* draw offset from the cursor */
  int pad;           /* draw the padding column and row */
} glyph;

/* ---- small helpers ---------------------------------------------------- */

static int32_t wrap16(int32_t v) {
  uint32_t u = (uint32_t)v & 0xffffu;
  return u >= 0x8000u ? (int32_t)u - 0x10000 : (int32_t)u;
}

static int32_t max32(int32_t a, int32_t b) { return a > b ? a : b; }

/* A one-character parameter: '0'..'9' are 0..9 and 'a' onwards count on
** from 10 ('g' = 16, '{' = 36, and so on through the high characters).
** Anything else reads as 0. */
static int32_t param_value(uint8_t c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a') return c - 'a' + 10;
  return 0;
}

static int hex_digit(uint8_t c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return 0;
}

static int take(p8_printer *pr, uint8_t *c) {
  if (pr->pos >= pr->len) return 0;
  *c = pr->s[pr->pos++];
  return 1;
}

static int take_param(p8_printer *pr, int32_t *v) {
  uint8_t c;
  if (!take(pr, &c)) return 0;
  *v = param_value(c);
  return 1;
}

/* `n` hex digits as a number; 0 when the string ends first. */
static int take_hex(p8_printer *pr, int n, uint32_t *v) {
  uint8_t c;
  *v = 0;
  while (n-- > 0) {
    if (!take(pr, &c)) return 0;
    *v = (*v << 4) | (uint32_t)hex_digit(c);
  }
  return 1;
}

static int custom_font(const p8_printer *pr) { return (pr->modes & P8_PM_CUSTOM) != 0; }

/* Line height of the current font before tall mode. */
static int32_t base_height(const p8_state *p8, const p8_printer *pr) {
  if (pr->char_h >= 0) return pr->char_h;
  return custom_font(pr) ? p8->ram[P8_FONT_ATTR + 2] : 6;
}

/* Advance of a character in character pixels (before wide mode). */
static int32_t char_width(const p8_state *p8, const p8_printer *pr, uint8_t ch) {
  int wide = ch >= 0x80;
  int32_t forced = wide ? pr->char_w2 : pr->char_w;
  if (forced >= 0) return forced;
  if (custom_font(pr)) return p8->ram[P8_FONT_ATTR + (wide ? 1 : 0)];
  return wide ? 8 : 4;
}

/* ---- screen effects ---------------------------------------------------- */

/* Move the screen up by n rows and clear the rows that come in, as the
** console does when printing reaches the bottom. */
static void scroll_screen(p8_state *p8, int32_t n) {
  uint32_t base = p8_screen_base(p8), i;
  uint32_t keep = n >= 128 ? 0 : (uint32_t)(128 - n) * 64;
  uint32_t shift = (uint32_t)0x2000 - keep;
  if (n <= 0) return;
  for (i = 0; i < keep; i++)
    p8->ram[(base + i) & 0xffffu] = p8->ram[(base + i + shift) & 0xffffu];
  for (i = keep; i < 0x2000; i++)
    p8->ram[(base + i) & 0xffffu] = 0;
}

/* "\^c": cls(col): screen, clip rectangle, cursor and left margin. */
static void clear_screen(p8_state *p8, int32_t col) {
  p8_cls(p8, P8_FIX(col));
}

static int scrolling(const p8_state *p8, const p8_printer *pr) {
  return !pr->coords && !(p8->ram[P8_MISC_FEATURES] & P8_F36_NO_SCROLL);
}

/* ---- drawing a cell ---------------------------------------------------- */

/* Could any pixel of the box [x0, x1) x [y0, y1) (cart space) land inside
** the clip rectangle? Lets far-off text skip its pixel loop. */
static int box_visible(const p8_state *p8, int32_t x0, int32_t y0, int32_t x1, int32_t y1) {
  p8_clip c = p8_draw_clip(p8);
  int32_t cx = p8_camera_x(p8), cy = p8_camera_y(p8);
  return x1 - cx > c.x0 && x0 - cx < c.x1 && y1 - cy > c.y0 && y0 - cy < c.y1;
}

/* One character pixel at (px, py): the pixel itself plus the copies wide
** and tall mode add. `copies` is the pen for the copies, -1 for none. */
static void put_dot(p8_state *p8, int wide, int tall, int32_t px, int32_t py, int pen, int copies) {
  p8_draw_pixel(p8, (int)px, (int)py, pen);
  if (copies < 0) return;
  if (wide) p8_draw_pixel(p8, (int)px + 1, (int)py, copies);
  if (tall) p8_draw_pixel(p8, (int)px, (int)py + 1, copies);
  if (wide && tall) p8_draw_pixel(p8, (int)px + 1, (int)py + 1, copies);
}

static void draw_cell(p8_state *p8, const p8_printer *pr, const glyph *g, int32_t bx, int32_t by) {
  int wide = (pr->modes & P8_PM_WIDE) != 0, tall = (pr->modes & P8_PM_TALL) != 0;
  int ws = wide ? 2 : 1, ts = tall ? 2 : 1;
  int solid = (pr->modes & P8_PM_SOLID) != 0;
  int invert = (pr->modes & P8_PM_INVERT) != 0;
  int stripey = (pr->modes & P8_PM_STRIPEY) != 0;
  int start = g->pad ? -1 : 0;
  int cols = g->dw > g->gw ? g->dw : g->gw;   /* a glyph may overhang its cell */
  int dx, dy;
  uint8_t fillp[3];
  if (!wide && !tall && !solid && !invert) {
    /* the common case: only the glyph's own pixels, one dot each (stripey
    ** changes only the copies wide and tall mode add), without a pattern;
    ** p8_draw_bits clips, so the box test below would change nothing */
    p8_draw_bits(p8, (int)bx, (int)by, g->rows, g->gw, g->gh, pr->fg);
    return;
  }
  if (!box_visible(p8, bx - 2, by - 2, bx + (int32_t)cols * ws + 2, by + (int32_t)g->dh * ts + 2))
    return;
  /* Text does not observe the fill pattern (the manual's FILLP lists only
  ** the shapes), so pattern and pattern flags are off while a cell is
  ** drawn; camera, clip, draw palette and bit planes still apply. */
  memcpy(fillp, p8->ram + P8_DS_FILLP, 3);
  memset(p8->ram + P8_DS_FILLP, 0, 3);
  for (dy = start; dy < g->dh; dy++) {
    for (dx = start; dx < cols; dx++) {
      int32_t px = bx + (int32_t)dx * ws, py = by + (int32_t)dy * ts;
      int on = dy >= 0 && dy < g->gh && dx >= 0 && dx < g->gw && ((g->rows[dy] >> dx) & 1);
      if (dx >= g->dw) {
        /* outside the cell only the glyph's own pixels show */
        if (on && !invert) put_dot(p8, wide, tall, px, py, pr->fg, stripey ? -1 : pr->fg);
      } else if (on != invert) {
        /* stripey: only the even pixel; the copies show the background */
        put_dot(p8, wide, tall, px, py, pr->fg, stripey ? (solid ? pr->bg : -1) : pr->fg);
      } else if (solid) {
        put_dot(p8, wide, tall, px, py, pr->bg, pr->bg);
      }
    }
  }
  memcpy(p8->ram + P8_DS_FILLP, fillp, 3);
}

/* ---- cursor movement --------------------------------------------------- */

static void new_line(const p8_state *p8, p8_printer *pr) {
  pr->x = pr->home_x;
  pr->y = wrap16(pr->y + max32(pr->line_h, base_height(p8, pr)));
  pr->line_h = 0;
}

/* "\t": the next tab stop right of the cursor. Stops count from x = 0, or
** from the home position when the custom font asks for it (0x5605 & 2). */
static void tab(const p8_state *p8, p8_printer *pr) {
  int32_t tw, base, rel, q;
  uint8_t global = (uint8_t)(p8->ram[P8_HW_PRINTATTR + 2] >> 4);
  if (pr->tab_w >= 0) tw = pr->tab_w;
  else if (custom_font(pr) && p8->ram[P8_FONT_ATTR + 6]) tw = p8->ram[P8_FONT_ATTR + 6];
  else if (global) tw = global * 4;        /* "values are mapped to 4..60" */
  else tw = 16;
  if (tw <= 0) return;
  base = (custom_font(pr) && (p8->ram[P8_FONT_ATTR + 5] & 2)) ? pr->home_x : 0;
  rel = pr->x - base;
  q = rel / tw;
  if (rel % tw != 0 && rel < 0) q--;       /* floor, also left of the base */
  pr->x = wrap16(base + (q + 1) * tw);
}

/* ---- characters -------------------------------------------------------- */

/* Lay out and draw one cell: wrap, grow the line, scroll, draw, advance. */
static int put_glyph(p8_state *p8, p8_printer *pr, const glyph *g) {
  int32_t adv = (int32_t)g->dw * ((pr->modes & P8_PM_WIDE) ? 2 : 1);
  int32_t h = (int32_t)g->dh * ((pr->modes & P8_PM_TALL) ? 2 : 1);
  if (!pr->deco) {
    if (pr->wrap_x >= 0 && pr->x > pr->home_x && pr->x + adv > pr->wrap_x)
      new_line(p8, pr);
    pr->line_h = max32(pr->line_h, h);
    if (scrolling(p8, pr) && pr->y + pr->line_h > 128) {
      int32_t over = pr->y + pr->line_h - 128;
      scroll_screen(p8, over);
      pr->y = wrap16(pr->y - over);
    }
  }
  draw_cell(p8, pr, g, pr->x + pr->off_x + g->ox, pr->y + pr->off_y + g->oy);
  pr->last_w = adv;
  pr->x = wrap16(pr->x + adv);
  if (pr->deco) {
    pr->deco = 0;
    pr->x = pr->deco_x;
    pr->y = pr->deco_y;
  } else {
    pr->right = max32(pr->right, pr->x);
  }
  if (pr->delay) {
    pr->wait = pr->delay;
    return P8_PRINT_WAIT;
  }
  return P8_PRINT_DONE;
}

/* Can plain_run lay out the characters from here? Only the built-in font
** in the plain rendering modes, no "\v" decoration or "\^d" delay
** pending, and a screen clear of the draw state at 0x5f00..0x5fff (bases
** 0x4000..0x5f00 would let glyph pixels rewrite the state the run took
** once, so there every character reads it afresh). */
static int plain_ok(const p8_state *p8, const p8_printer *pr) {
  return !(pr->modes & (P8_PM_CUSTOM | P8_PM_WIDE | P8_PM_TALL | P8_PM_SOLID | P8_PM_INVERT)) &&
         !pr->deco && !pr->delay && !p8_screen_over_draw_state(p8);
}

/* A run of characters >= 16 under plain_ok: exactly what put_char and
** put_glyph do for each (draw_cell's common case), with the font sizes,
** scrolling rule and draw state taken once for the run instead of once
** a character (hello on the emulated M0+: layout and blit went from ~910
** to ~515 cycles a character). */
static void plain_run(p8_state *p8, p8_printer *pr) {
  int32_t w1 = pr->char_w >= 0 ? pr->char_w : 4;      /* char_width, narrow */
  int32_t w2 = pr->char_w2 >= 0 ? pr->char_w2 : 8;    /* and wide (>= 0x80) */
  int32_t dh = base_height(p8, pr);
  int gw1 = w1 < 4 ? (int)w1 : 4, gw2 = w2 < 8 ? (int)w2 : 8;
  int gh = dh < P8_FONT_ROWS ? (int)dh : P8_FONT_ROWS;
  int scroll = scrolling(p8, pr);
  p8_bits_pen pen;
  p8_bits_pen_init(p8, pr->fg, &pen);
  while (pr->pos < pr->len && pr->s[pr->pos] >= 16) {
    uint8_t ch = pr->s[pr->pos++];
    int32_t adv = ch >= 0x80 ? w2 : w1;
    if (pr->wrap_x >= 0 && pr->x > pr->home_x && pr->x + adv > pr->wrap_x)
      new_line(p8, pr);
    pr->line_h = max32(pr->line_h, dh);
    if (scroll && pr->y + pr->line_h > 128) {
      int32_t over = pr->y + pr->line_h - 128;
      scroll_screen(p8, over);
      pr->y = wrap16(pr->y - over);
    }
    p8_draw_bits_pen(p8, &pen, (int)(pr->x + pr->off_x), (int)(pr->y + pr->off_y),
                     p8_font_glyph(ch), ch >= 0x80 ? gw2 : gw1, gh);
    pr->last_w = adv;
    pr->x = wrap16(pr->x + adv);
    pr->right = max32(pr->right, pr->x);
  }
}

/* A character of the current font (ch >= 16). */
static int put_char(p8_state *p8, p8_printer *pr, uint8_t ch) {
  glyph g;
  int wide = ch >= 0x80;
  int i;
  /* every field is set below (rows past gh are never read): no memset, a
  ** call per character that cost more than the fields */
  g.ox = g.oy = 0;
  g.dw = (int)char_width(p8, pr, ch);
  g.dh = (int)base_height(p8, pr);
  g.pad = (pr->modes & P8_PM_PADDING) != 0;
  if (custom_font(pr)) {
    const uint8_t *attr = p8->ram + P8_FONT_ATTR;
    int forced = (wide ? pr->char_w2 : pr->char_w) >= 0;
    for (i = 0; i < 8; i++) g.rows[i] = attr[ch * 8 + i];
    /* a custom glyph shows all 8 of its columns unless a width is forced */
    g.gw = forced && g.dw < 8 ? g.dw : 8;
    g.gh = g.dh < 8 ? g.dh : 8;
    g.ox = (int8_t)attr[3];
    g.oy = (int8_t)attr[4];
    if (attr[5] & 1) {
      /* one nibble per character from 0x5608 (char 16), low nibble first */
      int nib = (attr[ch >> 1] >> ((ch & 1) * 4)) & 15;
      g.dw += ((nib & 7) ^ 4) - 4;        /* 0,1,2,3,-4,-3,-2,-1 */
      if (nib & 8) g.oy -= 1;             /* one pixel higher */
    }
  } else {
    const uint8_t *rows = p8_font_glyph(ch);
    int cell = wide ? 8 : 4;
    for (i = 0; i < P8_FONT_ROWS; i++) g.rows[i] = rows[i];
    g.gw = g.dw < cell ? g.dw : cell;
    g.gh = g.dh < P8_FONT_ROWS ? g.dh : P8_FONT_ROWS;
  }
  return put_glyph(p8, pr, &g);
}

/* "\^." / "\^:" (8x8, no padding) and "\^," / "\^;" (with padding). */
static int put_one_off(p8_state *p8, p8_printer *pr, const uint8_t rows[8], int padded) {
  glyph g;
  memset(&g, 0, sizeof g);
  memcpy(g.rows, rows, 8);
  g.gw = g.gh = g.dw = g.dh = 8;
  g.pad = padded && (pr->modes & P8_PM_PADDING);
  return put_glyph(p8, pr, &g);
}

/* ---- control codes ----------------------------------------------------- */

static void set_mode(p8_printer *pr, uint8_t bits, int on) {
  if (on) pr->modes |= bits;
  else pr->modes &= (uint8_t)~bits;
}

/* "\^@aaaannnn<bytes>" and "\^!aaaa<rest>": raw pokes from the string. */
static void poke_bytes(p8_state *p8, p8_printer *pr, uint32_t addr, size_t n) {
  while (n-- > 0 && pr->pos < pr->len) {
    p8->ram[addr & 0xffffu] = pr->s[pr->pos++];
    addr++;
  }
}

static int one_off(p8_state *p8, p8_printer *pr, int hex, int padded) {
  uint8_t rows[8], c;
  uint32_t v;
  int i;
  for (i = 0; i < 8; i++) {
    if (hex) {
      if (!take_hex(pr, 2, &v)) return P8_PRINT_DONE;
      rows[i] = (uint8_t)v;
    } else {
      if (!take(pr, &c)) return P8_PRINT_DONE;
      rows[i] = c;
    }
  }
  return put_one_off(p8, pr, rows, padded);
}

/* "\^": special commands and rendering modes ("\^-x" turns mode x off). */
static int special(p8_state *p8, p8_printer *pr) {
  uint8_t c;
  int32_t a, b;
  uint32_t addr, n;
  int on = 1;
  if (!take(pr, &c)) return P8_PRINT_DONE;
  if (c == '-') {
    on = 0;
    if (!take(pr, &c)) return P8_PRINT_DONE;
  }
  switch (c) {
    case '1': case '2': case '3': case '4': case '5':
    case '6': case '7': case '8': case '9':
      pr->wait = (int32_t)1 << (c - '1');   /* 1, 2, 4 .. 256 frames */
      return P8_PRINT_WAIT;
    case 'c':
      if (!take_param(pr, &a)) break;
      clear_screen(p8, a);
      pr->x = pr->y = pr->home_x = pr->home_y = 0;
      break;
    case 'd':
      if (take_param(pr, &a)) pr->delay = (uint8_t)a;
      break;
    case 'g': pr->x = pr->home_x; pr->y = pr->home_y; break;
    case 'h': pr->home_x = pr->x; pr->home_y = pr->y; break;
    case 'j':
      if (!take_param(pr, &a)) break;
      pr->x = a * 4;
      if (take_param(pr, &b)) pr->y = b * 4;
      break;
    case 'r': if (take_param(pr, &a)) pr->wrap_x = a * 4; break;
    case 's': if (take_param(pr, &a)) pr->tab_w = a; break;
    case 'x':
      if (!take_param(pr, &a)) break;
      pr->char_w = a;
      pr->char_w2 = a + (custom_font(pr) ? 0 : 4);
      break;
    case 'y': if (take_param(pr, &a)) pr->char_h = a; break;
    case 'w': set_mode(pr, P8_PM_WIDE, on); break;
    case 't': set_mode(pr, P8_PM_TALL, on); break;
    case '=': set_mode(pr, P8_PM_STRIPEY, on); break;
    case 'p': set_mode(pr, P8_PM_WIDE | P8_PM_TALL | P8_PM_STRIPEY, on); break;
    case 'i': set_mode(pr, P8_PM_INVERT, on); break;
    case 'b': set_mode(pr, P8_PM_PADDING, on); break;
    case '#': set_mode(pr, P8_PM_SOLID, on); break;
    case '.': return one_off(p8, pr, 0, 0);
    case ',': return one_off(p8, pr, 0, 1);
    case ':': return one_off(p8, pr, 1, 0);
    case ';': return one_off(p8, pr, 1, 1);
    case '@':
      if (take_hex(pr, 4, &addr) && take_hex(pr, 4, &n)) poke_bytes(p8, pr, addr, n);
      break;
    case '!':
      if (take_hex(pr, 4, &addr)) poke_bytes(p8, pr, addr, pr->len - pr->pos);
      break;
    default:
      break;   /* unknown command: its letter is consumed */
  }
  return P8_PRINT_DONE;
}

/* "\a": the sound command runs to the next space (which it consumes) or
** the end of the string. The caller plays it; print only skips it. */
static int audio(p8_printer *pr) {
  pr->audio_pos = pr->pos;
  while (pr->pos < pr->len && pr->s[pr->pos] != ' ') pr->pos++;
  pr->audio_len = pr->pos - pr->audio_pos;
  if (pr->pos < pr->len) pr->pos++;
  return P8_PRINT_AUDIO;
}

/* Characters "\*" can repeat on their own: glyphs and the one-byte moves. */
static int repeatable(uint8_t c) { return c >= 16 || c == 8 || c == 9 || c == 10 || c == 13; }

static int single(p8_state *p8, p8_printer *pr, uint8_t c) {
  switch (c) {
    case 8: pr->x = wrap16(pr->x - pr->last_w); return P8_PRINT_DONE;
    case 9: tab(p8, pr); return P8_PRINT_DONE;
    case 10: new_line(p8, pr); return P8_PRINT_DONE;
    case 13: pr->x = pr->home_x; return P8_PRINT_DONE;
    default: return put_char(p8, pr, c);
  }
}

/* One unit of the string: a character, or a control code with its
** parameters. */
static int unit(p8_state *p8, p8_printer *pr) {
  uint8_t c = pr->s[pr->pos++], r;
  int32_t a, b;
  if (repeatable(c)) return single(p8, pr, c);
  switch (c) {
    case 0:   /* "\0": stop here, without the implicit newline */
      pr->newline = 0;
      pr->pos = pr->len;
      break;
    case 1:   /* "\*": repeat the next character P0 times */
      if (!take_param(pr, &a) || !take(pr, &r)) break;
      if (repeatable(r)) {
        pr->repeat = a;
        pr->repeat_ch = r;
      } else {
        pr->pos--;   /* a code with parameters runs once */
      }
      break;
    case 2:   /* "\#": background colour, turns solid background on */
      if (!take_param(pr, &a)) break;
      pr->bg = (uint8_t)a;
      pr->modes |= P8_PM_SOLID;
      break;
    case 3:
      if (take_param(pr, &a)) pr->x = wrap16(pr->x + a - 16);
      break;
    case 4:
      if (take_param(pr, &a)) pr->y = wrap16(pr->y + a - 16);
      break;
    case 5:
      if (!take_param(pr, &a)) break;
      pr->x = wrap16(pr->x + a - 16);
      if (take_param(pr, &b)) pr->y = wrap16(pr->y + b - 16);
      break;
    case 6: return special(p8, pr);
    case 7: return audio(pr);
    case 11:  /* "\v": the next character decorates the last one */
      if (!take_param(pr, &a)) break;
      pr->deco = 1;
      pr->deco_x = pr->x;
      pr->deco_y = pr->y;
      pr->x = wrap16(pr->x - pr->last_w + a % 4 - 2);
      pr->y = wrap16(pr->y + a / 4 - 8);
      break;
    case 12:  /* "\f": foreground colour, kept in the pen like color() */
      if (!take_param(pr, &a)) break;
      pr->fg = (uint8_t)a;
      p8->ram[P8_DS_PEN] = pr->fg;
      break;
    case 14: pr->modes |= P8_PM_CUSTOM; break;
    case 15: pr->modes &= (uint8_t)~P8_PM_CUSTOM; break;
    default: break;
  }
  return P8_PRINT_DONE;
}

/* ---- the job ----------------------------------------------------------- */

void p8_print_begin(p8_state *p8, p8_printer *pr, fix32 x, fix32 y, fix32 col, int argc) {
  const uint8_t *ram = p8->ram;
  uint8_t attr = ram[P8_HW_PRINTATTR];
  memset(pr, 0, sizeof *pr);
  pr->coords = argc >= 3;
  if (pr->coords) {
    pr->x = pr->home_x = wrap16(P8_INT(x));
    pr->y = wrap16(P8_INT(y));
  } else {
    pr->x = ram[P8_DS_CURSOR];
    pr->y = ram[P8_DS_CURSOR + 1];
    pr->home_x = ram[P8_DS_PRINTHOME];
  }
  pr->home_y = pr->y;
  /* print(str, col) puts the colour where x would be */
  if (argc == 2) pr->fg = (uint8_t)p8_draw_color(p8, x, 1);
  else if (argc >= 4) pr->fg = (uint8_t)p8_draw_color(p8, col, 1);
  else pr->fg = (uint8_t)p8_draw_color(p8, 0, 0);
  /* attributes start from 0x5f58..0x5f5b every call; bits 1..7 of 0x5f58
  ** count only when bit 0 is set, otherwise only padding is on */
  pr->modes = (attr & 1) ? (uint8_t)(attr & 0xfe) : P8_PM_PADDING;
  pr->char_w = (ram[P8_HW_PRINTATTR + 1] & 15) ? ram[P8_HW_PRINTATTR + 1] & 15 : -1;
  pr->char_h = (ram[P8_HW_PRINTATTR + 1] >> 4) ? ram[P8_HW_PRINTATTR + 1] >> 4 : -1;
  pr->char_w2 = (ram[P8_HW_PRINTATTR + 2] & 15) ? ram[P8_HW_PRINTATTR + 2] & 15 : -1;
  pr->off_x = ram[P8_HW_PRINTATTR + 3] & 15;
  pr->off_y = ram[P8_HW_PRINTATTR + 3] >> 4;
  pr->tab_w = -1;
  pr->wrap_x = (ram[P8_MISC_FEATURES] & P8_F36_WRAP) ? 128 : -1;
  pr->newline = !(ram[P8_MISC_FEATURES] & P8_F36_NO_NEWLINE);
  pr->right = pr->x;
  pr->last_w = char_width(p8, pr, 'a');
}

static int32_t clamp32(int32_t v, int32_t lo, int32_t hi) { return v < lo ? lo : v > hi ? hi : v; }

/* Bring every number of the job into the range print itself produces, so
** that no arithmetic can overflow whatever the struct holds (the fuzzer
** hands in random bytes; a cart never can). */
static void settle(p8_printer *pr) {
  pr->x = wrap16(pr->x);
  pr->y = wrap16(pr->y);
  pr->home_x = wrap16(pr->home_x);
  pr->home_y = wrap16(pr->home_y);
  pr->right = wrap16(pr->right);
  pr->deco_x = wrap16(pr->deco_x);
  pr->deco_y = wrap16(pr->deco_y);
  pr->line_h = clamp32(pr->line_h, 0, 0x400);
  pr->last_w = clamp32(pr->last_w, -0x400, 0x400);
  pr->char_w = clamp32(pr->char_w, -1, 0x200);
  pr->char_w2 = clamp32(pr->char_w2, -1, 0x200);
  pr->char_h = clamp32(pr->char_h, -1, 0x200);
  pr->tab_w = clamp32(pr->tab_w, -1, 0x400);
  pr->wrap_x = clamp32(pr->wrap_x, -1, 0x400);
  pr->off_x = clamp32(pr->off_x, -0x100, 0x100);
  pr->off_y = clamp32(pr->off_y, -0x100, 0x100);
  pr->repeat = clamp32(pr->repeat, 0, 0x100);
}

int p8_print_step(p8_state *p8, p8_printer *pr, const uint8_t *s, size_t len) {
  int ev;
  pr->s = s;
  pr->len = s ? len : 0;
  if (pr->pos > pr->len) pr->pos = pr->len;
  settle(pr);
  pr->wait = 0;
  for (;;) {
    if (pr->repeat > 0) {
      pr->repeat--;
      ev = single(p8, pr, pr->repeat_ch);
    } else if (pr->pos < pr->len) {
      if (!P8_REFERENCE && pr->s[pr->pos] >= 16 && plain_ok(p8, pr)) {
        plain_run(p8, pr);
        continue;
      }
      ev = unit(p8, pr);
    } else {
      return P8_PRINT_DONE;
    }
    if (ev != P8_PRINT_DONE) return ev;
  }
}

fix32 p8_print_end(p8_state *p8, p8_printer *pr) {
  int32_t cx, cy;
  settle(pr);
  cx = pr->x;
  cy = pr->y;
  if (pr->newline) {
    cx = pr->home_x;
    int32_t adv = max32(pr->line_h, base_height(p8, pr));
    cy = wrap16(cy + adv);
    /* no room below the cursor for a line of 5-pixel glyphs: scroll one
    ** line (zepto8's rule, and femto8's tests.p8: after 21 lines printed
    ** from the top the cursor rests at 120), or further if the cursor was
    ** further down */
    if (scrolling(p8, pr) && cy + 5 > 128) {
      int32_t n = max32(adv, cy + 5 - 128);
      scroll_screen(p8, n);
      cy -= n;
    }
  }
  p8->ram[P8_DS_CURSOR] = (uint8_t)((uint32_t)cx & 0xff);
  p8->ram[P8_DS_CURSOR + 1] = (uint8_t)((uint32_t)cy & 0xff);
  p8->ram[P8_DS_PRINTHOME] = (uint8_t)((uint32_t)pr->home_x & 0xff);
  return P8_FIX(pr->right);
}

fix32 p8_print(p8_state *p8, const uint8_t *s, size_t len,
               fix32 x, fix32 y, fix32 col, int argc) {
  p8_printer pr;
  int ev;
  p8_print_begin(p8, &pr, x, y, col, argc);
  while ((ev = p8_print_step(p8, &pr, s, len)) != P8_PRINT_DONE) {
    /* no frames to flip here: waits pass; sounds start */
    if (ev == P8_PRINT_AUDIO) p8_print_audio(p8, s + pr.audio_pos, pr.audio_len);
  }
  return p8_print_end(p8, &pr);
}

/* ---- the job kept in the state (the BIOS's print) ----------------------- */

_Static_assert(sizeof(p8_printer) <= P8_PRINT_JOB_SIZE, "P8_PRINT_JOB_SIZE too small");

static p8_printer *job_of(p8_state *p8) { return (p8_printer *)(void *)p8->print_job.bytes; }

/* Step the job to its next frame wait (the frames, > 0) or its end (0). */
static int run_job(p8_state *p8, const uint8_t *s, size_t len) {
  p8_printer *pr = job_of(p8);
  int ev;
  if (pr->s == 0) return 0;                   /* no job, or one that is done */
  while ((ev = p8_print_step(p8, pr, s, len)) != P8_PRINT_DONE) {
    if (ev == P8_PRINT_AUDIO) p8_print_audio(p8, s + pr->audio_pos, pr->audio_len);
    else if (pr->wait > 0) return pr->wait;
  }
  p8->print_result = p8_print_end(p8, pr);
  pr->s = 0;
  return 0;
}

fix32 p8_print_start(p8_state *p8, const uint8_t *s, size_t len, fix32 x, fix32 y, fix32 col, int argc) {
  p8_printer *pr = job_of(p8);
  if (p8->print_text) p8->print_text(s, len);
  p8_print_begin(p8, pr, x, y, col, argc);
  pr->s = s ? s : (const uint8_t *)"";        /* marks the job as running */
  return P8_FIX(run_job(p8, s, len));
}

fix32 p8_print_resume(p8_state *p8, const uint8_t *s, size_t len) {
  return P8_FIX(run_job(p8, s, len));
}

fix32 p8_print_result(p8_state *p8) { return p8->print_result; }
