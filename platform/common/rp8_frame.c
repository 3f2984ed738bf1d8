/*
** rp8_frame.c -- snapshot, RGB565 conversion and scaling for LCD panels.
** See rp8_frame.h.
*/
#include <string.h>

#include "rp8_frame.h"
#include "p8_present.h"

/* ---- core0: the snapshot ---- */

/* A screen palette byte as a display colour: bits 0-3 and bit 7 count
** (16 is colour 0, 0x9c is colour 140), as p8_present.c reads it. */
static uint8_t display_colour(uint8_t v) {
  return (uint8_t)((v & 15) | ((v & 0x80) >> 3));
}

/* The plain case: no screen mode (0x5f2c), no scanline palette (0x5f5f).
** Anything else is left to the engine's own p8_present_indices, so every
** mode is shown exactly as the desktop shows it. */
static int plain_frame(const p8_state *p8) {
  uint8_t hc = p8->ram[0x5f5f];
  if (p8->ram[P8_DS_SCRMODE] != 0) return 0;
  return hc != 0x10 && (hc & 0xf0) != 0x30;
}

static void take_plain(const p8_state *p8, rp8_snap *snap) {
  uint32_t base = (uint32_t)p8->ram[P8_HW_MAPSCR] << 8;
  uint32_t first = P8_RAM_SIZE - base;         /* bytes before the wrap */
  int i;
  if (first >= sizeof snap->pix) {
    memcpy(snap->pix, p8->ram + base, sizeof snap->pix);
  } else {
    memcpy(snap->pix, p8->ram + base, first);
    memcpy(snap->pix + first, p8->ram, sizeof snap->pix - first);
  }
  for (i = 0; i < 16; i++)
    snap->pal[0][i] = display_colour(p8->ram[P8_DS_SCREENPAL + i]);
  snap->uniform = 1;
  snap->lossy = 0;
}

/* Slot of display colour d in a row palette of n entries, adding it if
** there is room; -1 when the row already shows 16 other colours. */
static int slot_of(uint8_t *pal, int *n, uint8_t d) {
  int i;
  for (i = 0; i < *n; i++)
    if (pal[i] == d) return i;
  if (*n == 16) return -1;
  pal[*n] = d;
  return (*n)++;
}

/* Modes and scanline palettes: the engine gives each output pixel's
** display colour; each row stores them as 4-bit slots into its own
** palette. A row can only need more than 16 colours when a rotation
** meets a 0x5f5f palette (a rotated row crosses 128 screen rows); such a
** row shows its 17th and later colours as the row's last slot, and is
** counted in `lossy`. */
static void take_general(p8_state *p8, rp8_snap *snap) {
  uint8_t idx[RP8_SNAP_W];
  int y, x;
  snap->uniform = 0;
  snap->lossy = 0;
  for (y = 0; y < RP8_SNAP_H; y++) {
    uint8_t *pal = snap->pal[y];
    uint8_t *out = snap->pix + y * (RP8_SNAP_W / 2);
    int n = 0, full = 0;
    p8_present_indices(p8, y, y + 1, idx);
    for (x = 0; x < RP8_SNAP_W; x += 2) {
      int a = slot_of(pal, &n, idx[x]), b = slot_of(pal, &n, idx[x + 1]);
      if (a < 0) { a = 15; full = 1; }
      if (b < 0) { b = 15; full = 1; }
      out[x >> 1] = (uint8_t)(a | (b << 4));
    }
    while (n < 16) pal[n++] = 0;
    snap->lossy = (uint8_t)(snap->lossy + full);
  }
}

void rp8_snap_take(p8_state *p8, rp8_snap *snap) {
  if (plain_frame(p8))
    take_plain(p8, snap);
  else
    take_general(p8, snap);
}

/* ---- core1: scaling and conversion ---- */

int rp8_scale_src(int mode, int size, int o) {
  int d;
  if (o < 0 || o >= size) return -1;
  if (mode == RP8_SCALE_2X_CROP) {
    d = o - (size - 2 * RP8_SNAP_W) / 2;       /* negative offset = crop */
    return d >= 0 && d < 2 * RP8_SNAP_W ? d >> 1 : -1;
  }
  /* the source pixel under the centre of output pixel o: nearest
  ** neighbour, rounding down where a centre falls exactly on a source
  ** pixel's edge (so not quite mirror-symmetric: at 240, outputs 7 and
  ** 232 show sources 4 and 124) */
  return (2 * o + 1) * RP8_SNAP_W / (2 * size);
}

/* Fit mode uses the largest centred square of a non-square panel. */
static void axis_map(int16_t *map, int mode, int len, int side) {
  int o, off = (len - side) / 2;
  for (o = 0; o < len; o++)
    map[o] = (int16_t)(mode == RP8_SCALE_FIT ? rp8_scale_src(mode, side, o - off)
                                             : rp8_scale_src(mode, len, o));
}

int rp8_scaler_init(rp8_scaler *s, int mode, int w, int h) {
  int side;
  if (w < 1 || h < 1 || w > RP8_PANEL_MAX || h > RP8_PANEL_MAX) return -1;
  side = w < h ? w : h;
  s->w = w;
  s->h = h;
  axis_map(s->xmap, mode, w, side);
  axis_map(s->ymap, mode, h, side);
  s->lut_ok = 0;
  s->row_y = -1;
  return 0;
}

void rp8_scaler_frame(rp8_scaler *s) { s->row_y = -1; }

static void RP8_HOT lut_build(rp8_scaler *s, const uint8_t pal[16]) {
  uint16_t col[16];
  int i;
  for (i = 0; i < 16; i++) col[i] = p8_palette_rgb565(pal[i]);
  for (i = 0; i < 256; i++) {
    s->lut[i][0] = col[i & 15];
    s->lut[i][1] = col[i >> 4];
  }
  memcpy(s->lut_pal, pal, 16);
  s->lut_ok = 1;
}

/* Snapshot row y as 128 RGB565 pixels in s->row. */
static void RP8_HOT convert_row(rp8_scaler *s, const rp8_snap *snap, int y) {
  const uint8_t *src = snap->pix + y * (RP8_SNAP_W / 2);
  const uint8_t *pal = snap->pal[snap->uniform ? 0 : y];
  uint16_t *out = s->row;
  int i;
  if (!s->lut_ok || memcmp(s->lut_pal, pal, 16) != 0) {
    if (snap->uniform) {
      lut_build(s, pal);
    } else {
      /* a palette per row: 16 lookups beat rebuilding 256 entries */
      uint16_t col[16];
      for (i = 0; i < 16; i++) col[i] = p8_palette_rgb565(pal[i]);
      for (i = 0; i < RP8_SNAP_W / 2; i++) {
        out[2 * i] = col[src[i] & 15];
        out[2 * i + 1] = col[src[i] >> 4];
      }
      s->row_y = y;
      return;
    }
  }
  for (i = 0; i < RP8_SNAP_W / 2; i++) {
    const uint16_t *two = s->lut[src[i]];
    out[2 * i] = two[0];
    out[2 * i + 1] = two[1];
  }
  s->row_y = y;
}

void RP8_HOT rp8_scaler_line(rp8_scaler *s, const rp8_snap *snap, int y, uint16_t *out) {
  int sy = (y >= 0 && y < s->h) ? s->ymap[y] : -1, x;
  if (sy < 0) {
    memset(out, 0, (size_t)s->w * sizeof *out);
    return;
  }
  if (sy != s->row_y) convert_row(s, snap, sy);
  for (x = 0; x < s->w; x++) {
    int sx = s->xmap[x];
    out[x] = sx < 0 ? 0 : s->row[sx];
  }
}
