/*
** rp8_runner.h -- the PICO-8 frame loop of a compiled cart (rp8_runner.cpp).
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
** The rp8:api blocks (here and platform/host/rp8host.h) are also the
** desktop player's cffi declarations (console/desktop/aot_player.py).
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
  RP8_STOPPED = 4,   /* stop() or extcmd("shutdown"): rp8_message() */
  RP8_LOAD = 5       /* load() of another cart: the platform holds the request */
};

#define RP8_ROM_DATA 0x4300
extern const uint8_t rp8_cart_rom[RP8_ROM_DATA];

/* Builds that hold several carts (a web page's bundle of a multicart):
** the cart the next rp8_boot powers on, its code (an rp8::Cart) and its
** data. Until a call, the one linked as rp8_cart and rp8_cart_rom. */
void rp8_select_cart(const void *code, const uint8_t rom[RP8_ROM_DATA]);

/* The rest, to rp8_menu_call, is what the desktop player declares for cffi. */
/* rp8:api begin */
/* Power on with the cart's data, seed the generator with raw fix32 bits,
** bind the cart (its code runs in the first rp8_frame). stat(6) is param
** (NUL-terminated, may be null). Returns RP8_FRAME, or RP8_ERROR. */
int rp8_boot(uint32_t seed_raw, const char *param);

/* One frame with these buttons (players 0-7, PLAT_BTN_* bits). */
int rp8_frame(const uint8_t masks[8]);

/* A frame that runs longer than this (wall clock) ends the cart with an
** error; 0 (the default) sets no limit. */
void rp8_set_frame_limit_us(uint32_t us);

/* From now on stat(0) answers this figure (KiB, fix32) instead of the
** arena's use: the player's Options.stat0_pin, for comparing the compiled
** cart's frames with the interpreter's, whose heap differs by design. */
void rp8_pin_stat0(int32_t kib_fix);

/* Stop the cart from outside, between frames (the interpreter's
** Console.abort): its next counted block raises "<cart>: <why>". 0, or -1
** in a build without the CPU model (rt_cpu.h), which cannot. */
int rp8_abort(const char *why);

/* The CPU model (rt_cpu.h): 1 when this build has it; the last frame's
** cost in half system ticks (stat(1) = half * fps / 2^23), -1 without it. */
int rp8_cpu_model(void);
int64_t rp8_cpu_frame_half(void);
/* The counts since boot: units of Lua work and system ticks of API calls
** (the interpreter's host.cpu() gives the same two). 0, or -1 without the
** model. */
int rp8_cpu_counts(int64_t *units, int64_t *sys_ticks);

/* The machine (screen at 0x6000) and the cart's frame rate (30 or 60). */
p8_state *rp8_machine(void);
int rp8_fps(void);
/* Microseconds since the running frame started (the player's frame time
** limit, checked in its plat_poll): the runner reads the clock there anyway. */
uint32_t rp8_frame_age_us(void);
/* The error or stop message (not NUL-terminated). */
const char *rp8_message(size_t *len);
/* Lua memory in use (stat(0) bytes) and frames since power-on. */
uint32_t rp8_memory_used(void);
uint32_t rp8_frames(void);
/* Heap measurement: cap the arena at `bytes` (0: all of it) and collect
** every `bytes` allocated (0: the normal policy), both from the next boot;
** rp8_heap_peak collects and returns the most bytes found live after any
** collection since the first boot. */
void rp8_set_heap_limit(uint32_t bytes);
void rp8_set_gc_step(uint32_t bytes);
uint32_t rp8_heap_peak(void);
/* The live heap by object type (free, string, table, closure, cell, array,
** hash nodes, refs, thread): bytes and blocks, after a collection; 0 when
** the cart is over. */
int rp8_heap_census(uint32_t bytes[9], uint32_t blocks[9]);
/* What rp8_heap_peak's bytes were made of, in the same order (at 0 the
** free bytes among them): kept only while a gc_step is set. */
void rp8_heap_peak_census(uint32_t bytes[9]);
/* The most coroutines alive at once since power-on (a device's pool must
** hold that many). */
uint32_t rp8_coroutine_peak(void);

/* The optional platform hooks (plat_printh_file, plat_cart_load,
** plat_cart_rom, plat_breadcrumb) are declared in platform.h. */

/* The pause menu (desktop hosts, between frames): menuitem() label i
** (1-5; null when unset), and calling its callback with the button bits
** (left 1, right 2, O 16, X 32). rp8_menu_call returns 1 when the callback
** returned a true value (the menu stays open), 0 otherwise; run(), stop()
** or load() in it take effect at the next rp8_frame. */
const char *rp8_menu_label(int i, size_t *len);
int rp8_menu_call(int i, int buttons);
/* rp8:api end */

/* The device entry point: never returns. */
void rp8_main(void);

#ifdef __cplusplus
}
#endif

#endif
