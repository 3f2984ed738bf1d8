/*
** rp8_runner.h -- the PICO-8 frame loop of a compiled cart (rt_runner.cpp).
**
** Two ways in:
**  - rp8_main(): a device's whole program. plat_init, boot, then forever:
**    read buttons, run a frame, present, push audio, wait for the next
**    frame.
**  - rp8_boot() + rp8_frame(): the steppable form for desktop hosts and
**    tests. The caller passes the buttons, reads the screen from
**    rp8_machine() and renders audio itself.
** In both, the cart runs in its own context (its own C stack): flip() --
** the end of each _update/_draw frame, a cart's own loop, a print() frame
** wait, or a frame whose time is up -- switches back to the runner, and
** rp8_frame returns; the next rp8_frame continues the cart where it was.
** Both call plat_frame_mark(0) after _update and (1) after _draw, and
** plat_log for printh and runtime errors. The cart's data (0x4300 bytes)
** is rp8_cart_rom, emitted beside the cart's code by the build.
*/
#ifndef rp8_runner_h
#define rp8_runner_h

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#include "p8.h"

/* What a frame did (rp8_frame's result). */
enum {
  RP8_FRAME = 0,     /* a frame ended with a picture to show */
  RP8_SKIP = 1,      /* a frame ended without one (holdframe) */
  RP8_END = 2,       /* the cart finished (no _update/_draw) */
  RP8_ERROR = 3,     /* a runtime error: rp8_message() */
  RP8_STOPPED = 4    /* stop() or extcmd("shutdown"): rp8_message() */
};

#define RP8_ROM_DATA 0x4300
extern const uint8_t rp8_cart_rom[RP8_ROM_DATA];

/* Power on with the cart's data, seed the generator with raw fix32 bits,
** bind the cart (its code runs in the first rp8_frame). stat(6) is param
** (NUL-terminated, may be null). Returns RP8_FRAME, or RP8_ERROR. */
int rp8_boot(uint32_t seed_raw, const char *param);

/* One frame with these buttons (players 0-7, PLAT_BTN_* bits). */
int rp8_frame(const uint8_t masks[8]);

/* A frame that runs longer than this (wall clock) ends the cart with an
** error; 0 (the default) sets no limit. */
void rp8_set_frame_limit_us(uint32_t us);

/* The machine (screen at 0x6000) and the cart's frame rate (30 or 60). */
p8_state *rp8_machine(void);
int rp8_fps(void);
/* The error or stop message (not NUL-terminated). */
const char *rp8_message(size_t *len);
/* Lua memory in use (stat(0) bytes) and frames since power-on. */
uint32_t rp8_memory_used(void);
uint32_t rp8_frames(void);

/* Optional platform hook (a weak symbol: a platform without files leaves
** it out): printh(s, file, overwrite). Returns 0, or an error message.
** Without it, printh to a file goes to plat_log like printh(s). */
const char *plat_printh_file(const char *name, size_t nlen, const char *s, size_t n, int overwrite)
    __attribute__((weak));

/* The device entry point: never returns. */
void rp8_main(void);

#ifdef __cplusplus
}
#endif

#endif
