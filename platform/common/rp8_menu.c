/*
** rp8_menu.c -- the pause menu (see rp8_menu.h).
*/
#include <string.h>

#include "rp8_menu.h"
#include "p8_gfx.h"
#include "p8_print.h"

#define SELECT (RP8_MENU_O | RP8_MENU_X | RP8_MENU_PAUSE)
#define REGS 0x5f00                    /* draw and hardware registers */
#define BOX_X0 RP8_MENU_X0
#define BOX_X1 RP8_MENU_X1
#define TEXT_X 30
#define ROW_BYTES RP8_MENU_ROW_BYTES

void rp8_menu_init(rp8_menu *m, const rp8_menu_cart *cart) {
  memset(m, 0, sizeof *m);
  m->cart = *cart;
  m->sound = 1;
}

void rp8_menu_desktop(rp8_menu *m, int volume, int steps) {
  m->volume_steps = steps < 0 ? 0 : steps > RP8_MENU_LABEL - 8 ? RP8_MENU_LABEL - 8 : steps;
  m->volume = volume < 0 ? 0 : volume > m->volume_steps ? m->volume_steps : volume;
  m->can_exit = 1;
}

static void add_row(rp8_menu *m, int kind, const char *text) {
  int n = (int)strlen(text);
  if (m->rows >= RP8_MENU_ROWS) return;      /* a device build has no room for desktop rows */
  m->kind[m->rows] = (uint8_t)kind;
  m->len[m->rows] = (uint8_t)n;
  memcpy(m->label[m->rows], text, (size_t)n);
  m->rows++;
}

/* The rows as they are now: the cart's items may change in a callback. */
static void load_rows(rp8_menu *m) {
  int i;
  m->rows = 0;
  add_row(m, RP8_ROW_CONTINUE, "continue");
  for (i = 1; i <= RP8_MENU_ITEMS; i++) {
    int n = m->cart.item(m->cart.ctx, i, m->label[m->rows], RP8_MENU_LABEL);
    if (n < 0) continue;
    m->kind[m->rows] = RP8_ROW_ITEM;
    m->index[m->rows] = (uint8_t)i;
    m->len[m->rows] = (uint8_t)(n < RP8_MENU_LABEL ? n : RP8_MENU_LABEL);
    m->rows++;
  }
  add_row(m, RP8_ROW_SOUND, m->sound ? "sound: on" : "sound: off");
  if (m->volume_steps > 0) {
    /* "volume " and a bar: P8SCII 0x10 (a filled block) per step set */
    char bar[RP8_MENU_LABEL + 1] = "volume ";
    int k;
    for (k = 0; k < m->volume_steps; k++) bar[7 + k] = k < m->volume ? '\x10' : '.';
    bar[7 + m->volume_steps] = 0;
    add_row(m, RP8_ROW_VOLUME, bar);
  }
  add_row(m, RP8_ROW_RESET, "reset cart");
  if (m->can_exit) add_row(m, RP8_ROW_EXIT, "exit");
  if (m->sel >= m->rows) m->sel = m->rows - 1;
}

int rp8_menu_row_text(const rp8_menu *m, int i, uint8_t *out) {
  if (i < 0 || i >= m->rows) return 0;
  memcpy(out, m->label[i], m->len[i]);
  return m->len[i];
}

/* ---- the cart's bytes under the menu ---- */

/* The box's bytes of screen row y: the screen is shown from 0x5f55's page
** (0x6000 unless the cart moved it), and a 64-byte row never straddles
** 0xffff. */
static uint8_t *screen_row(p8_state *p8, uint8_t page, int y) {
  return p8->ram + ((((uint32_t)page << 8) + 64u * (uint32_t)y) & 0xffffu) + BOX_X0 / 2;
}

static void save(rp8_menu *m, p8_state *p8) {
  int y;
  m->h = 8 * m->rows + 6;
  m->top = (128 - m->h) / 2;
  memcpy(m->regs, p8->ram + REGS, sizeof m->regs);
  for (y = 0; y < m->h; y++)
    memcpy(m->pixels + ROW_BYTES * y, screen_row(p8, p8->ram[P8_HW_MAPSCR], m->top + y), ROW_BYTES);
  m->saved = 1;
}

static void restore(rp8_menu *m, p8_state *p8) {
  int y;
  if (!m->saved) return;
  memcpy(p8->ram + REGS, m->regs, sizeof m->regs);
  for (y = 0; y < m->h; y++)
    memcpy(screen_row(p8, p8->ram[P8_HW_MAPSCR], m->top + y), m->pixels + ROW_BYTES * y, ROW_BYTES);
  m->saved = 0;
}

/* Power-on drawing state, but the cart's screen palette and screen page:
** the menu shows through the same palette as the frame under it, and is
** drawn where the screen is shown from. */
static void menu_draw_state(p8_state *p8) {
  uint8_t *ram = p8->ram;
  uint8_t screen_pal[16], page = ram[P8_HW_MAPSCR];
  memcpy(screen_pal, ram + P8_DS_SCREENPAL, 16);
  p8_reset_draw_state(p8);             /* 0x5f00-0x5f3f, screen mode 0 */
  memcpy(ram + P8_DS_SCREENPAL, screen_pal, 16);
  memset(ram + P8_HW_MAPSPR, 0, 0x80 - (P8_HW_MAPSPR - REGS));
  ram[P8_HW_MAPSCR] = page;
  ram[P8_HW_MAPMAP] = 0x20;
  ram[P8_HW_MAPWIDTH] = 128;
  ram[0x5f5e] = 0xff;                  /* bitplanes: all */
}

/* The colour to draw with so that colour `want` is what shows: one the
** cart's screen palette maps to it, or, when the cart mapped none there,
** `want` itself shown as itself (0x5f10-0x5f1f come back with the rest of
** the registers). So the menu stays readable after pal(7, 0, 1). */
static int ink(p8_state *p8, int want) {
  uint8_t *pal = p8->ram + P8_DS_SCREENPAL;
  int c;
  if (pal[want] == want) return want;
  for (c = 0; c < 16; c++)
    if (pal[c] == want) return c;
  pal[want] = (uint8_t)want;
  return want;
}

/* Save what the menu covers, then draw it. */
static void draw(rp8_menu *m, p8_state *p8) {
  int i, black, white;
  save(m, p8);
  menu_draw_state(p8);
  black = ink(p8, 0);
  white = ink(p8, 7);
  /* nothing outside the saved bytes: wide glyphs in a label stop at the box */
  p8_clip_set(p8, P8_FIX(BOX_X0), P8_FIX(m->top), P8_FIX(BOX_X1 - BOX_X0 + 1), P8_FIX(m->h), 0, 4);
  p8_rectfill(p8, P8_FIX(BOX_X0), P8_FIX(m->top), P8_FIX(BOX_X1), P8_FIX(m->top + m->h - 1), P8_FIX(black), 5);
  p8_rect(p8, P8_FIX(BOX_X0), P8_FIX(m->top), P8_FIX(BOX_X1), P8_FIX(m->top + m->h - 1), P8_FIX(white), 5);
  for (i = 0; i < m->rows; i++) {
    uint8_t text[2 + RP8_MENU_LABEL];
    int k;
    text[0] = i == m->sel ? '>' : ' ';
    text[1] = ' ';
    /* lower case, as the player shows labels: P8SCII 'A'-'Z' are the
    ** small capitals, 'a'-'z' the ordinary letters */
    for (k = 0; k < m->len[i]; k++) {
      uint8_t c = m->label[i][k];
      text[2 + k] = (uint8_t)(c >= 'A' && c <= 'Z' ? c + 32 : c);
    }
    p8_print(p8, text, (size_t)(2 + m->len[i]), P8_FIX(TEXT_X), P8_FIX(m->top + 4 + 8 * i), P8_FIX(white), 4);
  }
}

static void close_menu(rp8_menu *m, p8_state *p8, uint32_t buttons) {
  restore(m, p8);
  m->open = 0;
  m->swallow = buttons;
}

void rp8_menu_open(rp8_menu *m, p8_state *p8) {
  if (m->open) return;
  m->open = 1;
  m->sel = 0;
  load_rows(m);
  draw(m, p8);
}

void rp8_menu_close(rp8_menu *m, p8_state *p8) {
  if (m->open) close_menu(m, p8, m->held);
}

/* ---- a frame ---- */

/* A cart item's turn: its callback gets the button bits. Returns an
** RP8_MENU_* result. */
static int item_action(rp8_menu *m, p8_state *p8, int bits, int chosen, uint32_t buttons) {
  int r, index = m->index[m->sel];
  restore(m, p8);                      /* the callback sees the cart's own state */
  r = m->cart.call(m->cart.ctx, index, bits);
  if (r < 0) {                         /* not the cart we saved any more */
    m->open = 0;
    m->swallow = buttons;
    return RP8_MENU_ENDED;
  }
  if (chosen && r == 0) {
    m->open = 0;
    m->swallow = buttons;
    return RP8_MENU_SHOW;              /* this frame shows the cart's picture again */
  }
  load_rows(m);
  draw(m, p8);
  return RP8_MENU_SHOW;
}

int rp8_menu_frame(rp8_menu *m, p8_state *p8, uint32_t *buttons) {
  uint32_t now = *buttons, pressed = now & ~m->held;
  int act;
  m->held = now;
  if (!m->open) {
    m->swallow &= now;                 /* released buttons reach the cart again */
    if (pressed & RP8_MENU_PAUSE) {
      if (p8->ram[0x5f30] != 0) {
        p8->ram[0x5f30] = 0;           /* the cart swallowed this pause */
      } else {
        rp8_menu_open(m, p8);
        return RP8_MENU_SHOW;
      }
    }
    *buttons = now & ~m->swallow;
    return RP8_MENU_RUN;
  }
  if (pressed & (RP8_MENU_UP | RP8_MENU_DOWN)) {
    int step = pressed & RP8_MENU_UP ? m->rows - 1 : 1;
    restore(m, p8);
    m->sel = (m->sel + step) % m->rows;
    draw(m, p8);
  }
  act = (int)(pressed & (SELECT | RP8_MENU_LEFT | RP8_MENU_RIGHT));
  if (act == 0) return RP8_MENU_SHOW;
  switch (m->kind[m->sel]) {
    case RP8_ROW_CONTINUE:
      if (act & SELECT) close_menu(m, p8, now);
      return RP8_MENU_SHOW;
    case RP8_ROW_ITEM:
      /* O, X and pause are one "select" to a callback (16|32|64) */
      return item_action(m, p8, act & SELECT ? SELECT : act, (act & SELECT) != 0, now);
    case RP8_ROW_SOUND:
      restore(m, p8);
      m->sound = !m->sound;
      load_rows(m);
      draw(m, p8);
      return RP8_MENU_SHOW;
    case RP8_ROW_VOLUME:
      restore(m, p8);
      if (act & SELECT) m->sound = !m->sound;
      else {
        m->volume += act & RP8_MENU_RIGHT ? (m->volume < m->volume_steps) : -(m->volume > 0);
        m->sound = m->volume > 0;      /* setting a volume is wanting sound */
      }
      load_rows(m);
      draw(m, p8);
      return RP8_MENU_SHOW;
    case RP8_ROW_EXIT:
      if (!(act & SELECT)) return RP8_MENU_SHOW;
      close_menu(m, p8, now);
      return RP8_MENU_EXIT;
    default:                           /* reset cart */
      if (!(act & SELECT)) return RP8_MENU_SHOW;
      close_menu(m, p8, now);
      return RP8_MENU_RESET;
  }
}
