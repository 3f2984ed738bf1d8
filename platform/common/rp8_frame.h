/*
** rp8_frame.h -- a finished PICO-8 frame on its way to an LCD.
**
** SDK-independent, so the host tests run it. The firmware's two cores use
** it like this:
**   core0  rp8_snap_take: copies what the display must show out of the
**          machine (8 KiB of 4bpp pixels and a palette), so the cart can
**          draw the next frame at once;
**   core1  rp8_scaler: for each LCD line, the snapshot row it shows,
**          converted to RGB565 through a 256-entry LUT (one byte = two
**          pixels) and scaled 128 -> the panel's width into a small
**          line buffer that DMA sends to the panel.
**
** Scaling modes (a board option):
**   RP8_SCALE_FIT      nearest neighbour into the largest centred square
**                      (128 -> 240: source x = floor((x + 1/2) * 128 / 240),
**                      the pixel under the output pixel's centre), black
**                      borders on a non-square panel;
**   RP8_SCALE_2X_CROP  every pixel doubled, centred: on a 240 panel the
**                      outer 4 pixels of each side are cut off.
*/
#ifndef rp8_frame_h
#define rp8_frame_h

#include <stdint.h>

#include "p8.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Code core1 runs every line goes to SRAM on the device (the SDK's linker
** script copies .time_critical.* to RAM); the host build leaves it alone. */
#ifndef RP8_HOT
#define RP8_HOT
#endif

#define RP8_SNAP_W 128
#define RP8_SNAP_H 128

enum { RP8_SCALE_FIT = 0, RP8_SCALE_2X_CROP = 1 };

/* What a panel shows of one frame. Pixels are in display geometry (the
** screen mode already applied); pal[y][v] is the display colour (0-31,
** 16-31 = PICO-8's 128-143) of value v on row y. When `uniform` is set
** every row uses pal[0], the common case, and core1 converts each byte
** through one LUT. */
typedef struct rp8_snap {
  uint8_t pix[RP8_SNAP_H * RP8_SNAP_W / 2];
  uint8_t pal[RP8_SNAP_H][16];
  uint8_t uniform;
  uint8_t lossy;      /* rows that needed more than 16 colours (see .c) */
} rp8_snap;

/* Copy the frame on p8's screen into snap (core0, from plat_present). */
void rp8_snap_take(p8_state *p8, rp8_snap *snap);

/* Output coordinate -> snapshot coordinate along one axis of a panel
** `size` pixels long; -1 where the panel shows a black border. */
int rp8_scale_src(int mode, int size, int o);

/* Core1's per-frame converter for a panel of w x h pixels (w, h <= 320). */
#define RP8_PANEL_MAX 320

typedef struct rp8_scaler {
  int w, h;
  int16_t xmap[RP8_PANEL_MAX];      /* panel x -> snapshot x, or -1 */
  int16_t ymap[RP8_PANEL_MAX];      /* panel y -> snapshot y, or -1 */
  uint16_t lut[256][2];             /* byte -> two RGB565 pixels */
  uint8_t lut_pal[16];
  uint8_t lut_ok;
  int row_y;                        /* snapshot row held in `row` */
  uint16_t row[RP8_SNAP_W];
} rp8_scaler;

/* 0 on success, -1 when w or h is out of 1..RP8_PANEL_MAX. */
int rp8_scaler_init(rp8_scaler *s, int mode, int w, int h);

/* Start a frame (forgets the cached row; the LUT stays valid). */
void rp8_scaler_frame(rp8_scaler *s);

/* Panel line y of snap as w RGB565 pixels into out. */
void rp8_scaler_line(rp8_scaler *s, const rp8_snap *snap, int y, uint16_t *out);

#ifdef __cplusplus
}
#endif

#endif
