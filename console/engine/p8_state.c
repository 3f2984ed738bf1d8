/*
** p8_state.c -- the machine as a whole: size, power-on and draw-state reset.
*/
#include <string.h>

#include "p8.h"
#include "p8_audio.h"
#include "p8_rng.h"

size_t p8_state_size(void) { return sizeof(p8_state); }

uint8_t *p8_ram(p8_state *p8) { return p8->ram; }

const uint8_t *p8_rom(p8_state *p8) { return p8->rom; }

/* The cart ROM is the platform's: on the desktop a buffer the player owns
** (writable, so cstore works), on a device the const cart data in flash
** (read-only: cstore reports P8_MEM_READ_ONLY). It must hold at least the
** 0x4300 bytes of cart data and outlive the machine's use of it. */
void p8_set_rom(p8_state *p8, const uint8_t *rom) {
  p8->rom = rom;
  p8->rom_rw = NULL;
}

void p8_set_rom_rw(p8_state *p8, uint8_t *rom) {
  p8->rom = rom;
  p8->rom_rw = rom;
}

/* Power-on: RAM cleared, cart data copied from ROM, draw state at defaults.
** The ROM pointers are the platform's and survive it. */
void p8_power_on(p8_state *p8) {
  p8_audio_sync(p8);                     /* the synth reads RAM */
  memset(p8->ram, 0, sizeof p8->ram);
  if (p8->rom != NULL) memcpy(p8->ram, p8->rom, 0x4300);
  p8->lut_valid = 0;
  p8_reset(p8);
  p8->tline_bits = 13;
  memset(&p8->input, 0, sizeof p8->input);
  memset(&p8->print_job, 0, sizeof p8->print_job);   /* no print job */
  p8->print_result = 0;
  p8_audio_init(p8);
  p8_srand(p8, 0);      /* a working generator until the host seeds it */
}

/* The draw state 0x5f00..0x5f3f at its defaults (power-on, reset(), the
** error screen): palettes, clip, pen, cursor, camera, fill pattern, line
** state. */
void p8_reset_draw_state(p8_state *p8) {
  uint8_t *ds = p8->ram + P8_MEM_DRAW;
  int i;
  p8_audio_sync(p8);                     /* 0x5f2f pauses audio */
  memset(ds, 0, 0x40);
  for (i = 0; i < 16; i++) {
    ds[i] = (uint8_t)i;                  /* draw palette: identity */
    ds[0x10 + i] = (uint8_t)i;           /* screen palette: identity */
  }
  ds[0] |= 0x10;                         /* colour 0 transparent */
  ds[0x22] = 128;                        /* clip: whole screen */
  ds[0x23] = 128;
  ds[0x25] = 6;                          /* pen colour */
  ds[0x35] = 1;                          /* no line endpoint yet */
}

/* Hardware registers 0x5f40..0x5f7f at their power-on values: audio
** effects off, sprite sheet 0x00, screen 0x60, map 0x20 and 128 wide,
** print attributes and pget/sget/mget defaults 0, btnp delays default,
** all bitplanes, secondary palette 0. The random generator's state
** (0x5f44) and the buttons (0x5f4c) are the machine's running state and
** are left alone. */
static void reset_hardware(p8_state *p8) {
  uint8_t *ram = p8->ram;
  memset(ram + 0x5f40, 0, P8_HW_RNG - 0x5f40);
  memset(ram + P8_HW_MAPSPR, 0, 0x5f80 - P8_HW_MAPSPR);
  ram[P8_HW_MAPSCR] = 0x60;
  ram[P8_HW_MAPMAP] = 0x20;
  ram[P8_HW_MAPWIDTH] = 128;
  ram[0x5f5e] = 0xff;                    /* bitplanes: read and write all */
}

/* reset(): RAM 0x5f00..0x5f7f to its defaults (manual, RESET(): "Reset
** the values in RAM from 0x5f00..0x5f7f to their default values"), so
** the print attributes and memory mapping too. */
void p8_reset(p8_state *p8) {
  p8_reset_draw_state(p8);
  reset_hardware(p8);
}
