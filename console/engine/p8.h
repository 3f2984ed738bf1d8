/*
** p8.h -- the rp8 console: one PICO-8 machine.
**
** The engine is plain C11 shared by the desktop player (cffi + LuaJIT FFI),
** the AOT-compiled C++ runtime and the RP2040/RP2350 firmware. It never
** allocates, never touches the OS and never uses float or double: every
** number a cart sees is a fix32 (signed 16.16).
**
** All machine state a cart can observe lives in p8_state.ram, laid out
** exactly as PICO-8's 64 KiB address space, so a poke into draw state takes
** effect on the next draw. State a cart cannot address sits beside it.
** The cart ROM is not part of the machine: the platform owns it and lends
** the engine a pointer (p8_set_rom), so a device reads the const cart data
** in flash instead of spending 32 KiB of RAM on a copy.
**
** Calling conventions, shared by every module:
**  - the first argument is the machine, `p8_state *p8`;
**  - PICO-8 numbers are passed and returned as fix32 (int32_t raw bits);
**  - where PICO-8 treats an omitted argument differently from any value
**    (a pen colour, print's x/y, line's continuation form), the function
**    takes `int argc`, the number of arguments the cart passed, last;
**  - strings are P8SCII bytes with an explicit length.
**
** Declarations between the `rp8:api begin`/`rp8:api end` markers in the
** engine headers are read by console/engine_build.py into the cffi cdef, so
** they must stay plain C declarations (no macros, no inline bodies).
*/
#ifndef p8_h
#define p8_h

#include <stddef.h>
#include <stdint.h>

#include "p8_audio.h"

typedef int32_t fix32;

#define P8_FIX_ONE      0x10000
#define P8_FIX(i)       ((fix32)((uint32_t)(i) << 16))   /* integer -> fix32 */
#define P8_INT(f)       ((int32_t)(f) >> 16)             /* fix32 -> flr() */

/* The PICO-8 address space. */
#define P8_RAM_SIZE     0x10000
#define P8_ROM_SIZE     0x8000   /* cart ROM: 0x4300 data + compressed code */

#define P8_MEM_GFX      0x0000   /* sprite sheet, 128x128 at 4bpp */
#define P8_MEM_GFX2     0x1000   /* lower half of map shares sprites 128-255 */
#define P8_MEM_MAP2     0x1000
#define P8_MEM_MAP      0x2000   /* map rows 0-31 */
#define P8_MEM_FLAGS    0x3000   /* sprite flags, 256 bytes */
#define P8_MEM_MUSIC    0x3100   /* 64 patterns x 4 bytes */
#define P8_MEM_SFX      0x3200   /* 64 sfx x 68 bytes */
#define P8_MEM_USER     0x4300   /* general use, 0x1b00 bytes */
#define P8_MEM_FONT     0x5600   /* custom font */
#define P8_MEM_CARTDATA 0x5e00   /* persistent data, 64 x 4 bytes */
#define P8_MEM_DRAW     0x5f00   /* draw state 0x5f00-0x5f3f */
#define P8_MEM_HW       0x5f40   /* hardware state 0x5f40-0x5f7f */
#define P8_MEM_GPIO     0x5f80   /* 128 GPIO bytes */
#define P8_MEM_SCREEN   0x6000   /* 128x128 at 4bpp, low nibble = left pixel */
#define P8_MEM_UPPER    0x8000   /* extended RAM, 0x8000-0xffff */

/* Draw state (0x5f00-0x5f3f). */
#define P8_DS_DRAWPAL   0x5f00   /* 16 bytes: draw palette; bit 4 = transparent */
#define P8_DS_SCREENPAL 0x5f10   /* 16 bytes: screen palette (0-15, 128-143) */
#define P8_DS_CLIP      0x5f20   /* x0, y0, x1, y1 (x1/y1 exclusive) */
#define P8_DS_PRINTHOME 0x5f24   /* print's left margin: x after "\n" */
#define P8_DS_PEN       0x5f25   /* pen colour; high nibble = fill colour */
#define P8_DS_CURSOR    0x5f26   /* print cursor x, y */
#define P8_DS_CAMERA    0x5f28   /* camera x, y as int16 little endian */
#define P8_DS_SCRMODE   0x5f2c   /* screen mode: stretch, mirror, flip, rotate */
#define P8_DS_DEVKIT    0x5f2d   /* devkit mouse/keyboard enable */
#define P8_DS_PALPERSIST 0x5f2e  /* keep palette across program end */
#define P8_DS_FILLP     0x5f31   /* fill pattern, 16 bits, little endian */
#define P8_DS_FILLP_T   0x5f33   /* bit 0: transparency; 1-2: sprite/global */
#define P8_DS_FILLP_COL 0x5f34   /* colour-carries-fillp mode flags */
#define P8_DS_LINEVALID 0x5f35   /* 0 when 0x5f3c holds a line endpoint */
#define P8_DS_TLINE     0x5f38   /* tline mask w, h, offset x, y */
#define P8_DS_LINEEND   0x5f3c   /* line endpoint x, y as int16 */

/* Hardware state (0x5f40-0x5f7f). */
#define P8_HW_RNG       0x5f44   /* 8 bytes of random generator state */
#define P8_HW_BUTTONS   0x5f4c   /* 8 bytes: button bits per player */
#define P8_HW_MAPSPR    0x5f54   /* sprite sheet address high byte */
#define P8_HW_MAPSCR    0x5f55   /* screen address high byte */
#define P8_HW_MAPMAP    0x5f56   /* map address high byte */
#define P8_HW_MAPWIDTH  0x5f57   /* map width (0 = 256) */
#define P8_HW_PRINTATTR 0x5f58   /* default print attributes */
#define P8_HW_BTNP_DLY  0x5f5c   /* btnp repeat delay (frames, 0 = default) */
#define P8_HW_BTNP_RATE 0x5f5d   /* btnp repeat rate */

/* Button and frame-clock state a cart cannot address (p8_input.c). */
typedef struct p8_input {
  uint16_t held[8][8];           /* frames each button has been held */
  uint8_t pressed[8];            /* btnp bits this frame, per player */
  uint32_t ticks60;              /* time() in 1/60 s */
} p8_input;

#define P8_PRINT_JOB_SIZE 192      /* bytes for a p8_printer (checked in p8_print.c) */

typedef struct p8_state {
  uint8_t ram[P8_RAM_SIZE];      /* what peek and poke see */
  const uint8_t *rom;            /* cart data (0x4300 bytes) for reload; null: all 0 */
  uint8_t *rom_rw;               /* the same bytes when writable (cstore), else null */
  /* Another cart's ROM for the next p8_reload_other only (reload's filename
  ** form): the host stages it (p8_stage_rom) just before, the reload clears it,
  ** so the engine never keeps a pointer into memory the host may free. */
  const uint8_t *rom_staged;
  size_t rom_staged_len;
  uint8_t lut_valid;             /* present lookup table matches 0x5f10? */
  uint8_t lut_pal[16];           /* screen palette the table was built for */
  uint16_t lut565[256][2];       /* screen byte -> two RGB565 pixels */
  uint32_t lut8888[256][2];      /* screen byte -> two XRGB8888 pixels */
  uint8_t tline_bits;            /* tline(bits): fraction bits per map pixel */
  p8_audio audio;                /* sound: positions, phases, music state */
  p8_input input;                /* btnp repeat counts, time() */
  /* Firmware that renders sound on another core sets this: it returns once
  ** no render is running. The engine calls it before anything that reads or
  ** changes what a render uses (p8_audio_sync). Null: renders are serialised. */
  void (*audio_fence)(struct p8_state *p8);
  /* print() as a job that stops at its frame waits (p8_print.c
  ** p8_print_start): a p8_printer, opaque here, and its result */
  union { uint64_t align; uint8_t bytes[P8_PRINT_JOB_SIZE]; } print_job;
  fix32 print_result;
  /* Optional: sees the text of every print() (a test program echoes it). */
  void (*print_text)(const uint8_t *s, size_t len);
} p8_state;

/* rp8:api begin */
size_t p8_state_size(void);
uint8_t *p8_ram(p8_state *p8);
const uint8_t *p8_rom(p8_state *p8);
void p8_set_rom(p8_state *p8, const uint8_t *rom);
void p8_set_rom_rw(p8_state *p8, uint8_t *rom);
void p8_power_on(p8_state *p8);
void p8_reset_draw_state(p8_state *p8);
void p8_reset(p8_state *p8);              /* reset(): 0x5f00..0x5f7f */
/* rp8:api end */

#endif
