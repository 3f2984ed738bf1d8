/*
** p8_present.h -- turning the 4bpp screen into display pixels.
**
** What is shown: the screen the drawing functions write to (the 8 KiB at
** the screen base set by 0x5f55, see p8_draw.h), seen through
**  - the screen palette 0x5f10-0x5f1f: entry c gives the display colour of
**    pixel value c; 0-15 are the standard colours and 0x80|i (128-143) the
**    secret ones. Bits 4-6 are ignored (the value is masked with 0x8f, as
**    fake-08 does), so 16 shows colour 0 and 0x9c shows colour 140;
**  - the screen mode 0x5f2c: 1/2/3 stretch the left half / top half / top
**    left quarter, 5/6/7 mirror it, 129/130/131 flip horizontally /
**    vertically / both, 133/134/135 rotate 90/180/270 degrees clockwise
**    (132 is no rotation). Bit 6 (0x40) is ignored, so 0xc5 is 133; other
**    values show the screen unchanged. Decoded as zepto8's renderer does;
**    the rotation direction agrees with fake-08 (133 = 90 clockwise);
**  - the scanline palette modes at 0x5f5f (0.2.1+): 0x10 shows each screen
**    row whose bit is set in 0x5f70-0x5f7f (row y: byte y/8, bit y%8)
**    through the secondary palette 0x5f60-0x5f6f instead of the screen
**    palette; 0x30|n replaces colour n on row y with secondary-palette
**    entry (y/8 + that row's bit) % 16, a gradient. Rows are screen rows,
**    so under a rotation they become columns, as in PICO-8.
**
** Display colours are numbered 0-31 here: 0-15 standard, 16-31 the secret
** colours 128-143. p8_palette_rgb gives their RGB (PICO-8 manual/wiki).
**
** The present calls convert output rows [y0, y1) (clamped to 0..128) into
** `out`, 128 pixels per row, and return the number of rows written; a
** caller can convert a frame in slices into small DMA buffers. Rows whose
** pixels need no mode work go through a 256-entry lookup table (one screen
** byte -> two pixels), rebuilt only when the screen palette changed since
** it was last built.
*/
#ifndef p8_present_h
#define p8_present_h

#include "p8.h"

#define P8_SCREEN_W 128
#define P8_SCREEN_H 128

/* rp8:api begin */
uint32_t p8_palette_rgb(int colour);
uint16_t p8_palette_rgb565(int colour);
int p8_present_rows(int y0, int y1);
int p8_present_indices(p8_state *p8, int y0, int y1, uint8_t *out); /* rp8:out out 128 * p8_present_rows(y0, y1) */
int p8_present_rgb565(p8_state *p8, int y0, int y1, uint16_t *out); /* rp8:out out 128 * p8_present_rows(y0, y1) */
int p8_present_xrgb8888(p8_state *p8, int y0, int y1, uint32_t *out); /* rp8:out out 128 * p8_present_rows(y0, y1) */
const uint16_t *p8_present_lut565(p8_state *p8);
const uint32_t *p8_present_lut8888(p8_state *p8);
/* rp8:api end */

/*
** p8_palette_rgb: display colour 0-31 as 0xRRGGBB (colour & 31 is used).
** p8_palette_rgb565: the same as RGB565 (each channel truncated).
** p8_present_rows: how many rows a present call for [y0, y1) writes.
** p8_present_indices: display colour numbers 0-31, one byte a pixel.
** p8_present_rgb565 / p8_present_xrgb8888: display pixels; XRGB8888 is
**   0xFFRRGGBB (the X byte set, so it also reads as opaque ARGB).
** p8_present_lut565 / p8_present_lut8888: the lookup table, brought up to
**   date with the screen palette: 256 entries of two pixels each (entry
**   2*b is the left pixel of screen byte b, 2*b+1 the right one).
*/

#endif
