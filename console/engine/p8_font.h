/*
** p8_font.h -- PICO-8's built-in font (internal header, no rp8:api block).
**
** Every printable P8SCII character 16..255 has five rows of pixels. A row
** is one byte with bit 0 the leftmost pixel, the same bit order as the
** custom font at 0x5600, so print() draws both fonts with one routine.
** Characters 16..127 are 3 pixels wide in a 4x6 cell; 128..255 are
** 7 pixels wide in an 8x6 cell. The sixth row of every cell is blank.
*/
#ifndef p8_font_h
#define p8_font_h

#include <stdint.h>

#define P8_FONT_ROWS 5

/* The five pixel rows of character `ch`; characters 0..15 (control codes,
** never drawn by print) give five blank rows. */
const uint8_t *p8_font_glyph(uint8_t ch);

#endif
