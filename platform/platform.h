/*
** platform.h -- what a cart runner needs from the machine it runs on.
**
** One small header behind which each target lives:
**   platform/host   desktop (headless runs, tests, the native AOT player)
**   platform/rp2    RP2040 / RP2350 firmware on pico-sdk
**   platform/bench  bare-metal benchmark images run in emulators
**   platform/web    web pages (WebAssembly through emscripten)
** The runner (the AOT runtime's frame loop) calls only these functions and
** the engine; it never includes an SDK or OS header. Every function here is
** called from the runner's thread (core0 on a Pico).
*/
#ifndef platform_h
#define platform_h

#include <stddef.h>
#include <stdint.h>

#include "p8.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Button bits for plat_buttons: PICO-8's six, then pause. */
#define PLAT_BTN_LEFT   0x01
#define PLAT_BTN_RIGHT  0x02
#define PLAT_BTN_UP     0x04
#define PLAT_BTN_DOWN   0x08
#define PLAT_BTN_O      0x10
#define PLAT_BTN_X      0x20
#define PLAT_BTN_PAUSE  0x40

/* Bring up display, input, audio and timers. Called once, before the cart. */
void plat_init(void);

/* Buttons held now for player 0-7 (PLAT_BTN_* bits); 0 for absent players.
** Sampled once per frame by the runner, which derives btnp itself. */
uint32_t plat_buttons(int player);

/* A finished frame: the screen at 0x6000 of p8, with the screen palette and
** screen mode as they are now. The platform takes a snapshot (it may send it
** while the cart draws the next frame) and returns as soon as it has. */
void plat_present(const p8_state *p8);

/* Microseconds since plat_init, monotonic; wraps after ~71 minutes. */
uint32_t plat_time_us(void);

/* Wait until the given plat_time_us() value (frame pacing). A benchmark
** image returns at once: it measures work, not waiting. */
void plat_wait_until(uint32_t t_us);

/* A frame boundary for benchmarks: the runner calls it after each frame's
** _update and after its _draw (phase 0 = update done, 1 = draw done). Real
** targets do nothing; the bench image stops at a breakpoint here. */
void plat_frame_mark(int phase);

/* The platform's turn while a long frame runs: compiled carts with the CPU
** model (desktop builds) call it every 2^20 counted units of Lua work, with
** the frame's cost so far in half system ticks (PICO-8 has 2^22 ticks a
** second). Return 0 to go on, or a reason (NUL-terminated, kept until the
** next call) to stop the cart: its message is then "<cart>: <reason>". A
** desktop pumps its window events here, so a cart stuck in an endless loop
** can be closed; targets with nothing to check return 0. */
const char *plat_poll(int64_t frame_half_ticks);

/* printh output and runtime error text (no newline added). */
void plat_log(const char *s, size_t n);

/* Persistent cartdata: 256 bytes (0x5e00-0x5eff) for one cart id. load
** returns 0 and fills out when saved data exists, -1 otherwise; save must
** be safe against power loss mid-write and may skip unchanged data. */
int plat_cartdata_load(const char *cart_id, uint8_t out[256]);
void plat_cartdata_save(const char *cart_id, const uint8_t data[256]);

/* Audio: after each frame the runner renders that frame's samples with
** p8_audio_render (22050 Hz mono; 735 at 30 fps, 367 or 368 at 60 fps) and
** pushes them here; the platform queues them (a ring of a few frames) for
** its output. Rendering on the runner's thread keeps the synth serialised
** with cart code without locks. Targets without sound drop them. */
void plat_audio_push(const int16_t *samples, int n);

/* Optional hooks: weak symbols, so a platform that lacks what they need
** leaves them out and the runner says "not supported yet" or falls back.
**
** plat_printh_file: printh(s, file, overwrite). Returns 0, or an error
** message. Without it (a platform without files), printh to a file goes to
** plat_log like printh(s). */
const char *plat_printh_file(const char *name, size_t nlen, const char *s, size_t n, int overwrite)
    __attribute__((weak));

/* Optional platform hooks for other carts (weak symbols, like
** plat_printh_file: a device has no cart files, so it leaves them out and
** load() and reload(..., filename) say "not supported yet").
** plat_cart_load: load(name, [breadcrumb, param]). Returns -1 when there is
**   no such cart (load() returns false); else 0, keeping the request (name
**   null: extcmd("breadcrumb"), back to the cart that left a breadcrumb),
**   and the cart's code ends; rp8_frame returns RP8_LOAD.
** plat_cart_rom: another cart's ROM for reload(); null when it cannot be
**   read. The bytes stay valid until the next call.
** plat_breadcrumb: stat(100), the label the loading cart left (not
**   NUL-terminated), or null for none.
** plat_cart_boot: a device loop (rp8_main) after RP8_LOAD: boot the cart
**   the request names (rp8_select_cart, then rp8_boot with its param) and
**   return 0; -1 when it cannot (the loop then ends as the cart did).
**   Platforms whose host boots the other cart itself leave it out. */
int plat_cart_load(const char *name, size_t nlen, const char *crumb, size_t clen, int has_crumb,
                   const char *param, size_t plen) __attribute__((weak));
const uint8_t *plat_cart_rom(const char *name, size_t nlen, size_t *len) __attribute__((weak));
const char *plat_breadcrumb(size_t *len) __attribute__((weak));
int plat_cart_boot(void) __attribute__((weak));

/* The seed rp8_main boots with (raw fix32 bits); without the hook, 0. A
** web page seeds afresh at each load, as PICO-8 does. */
uint32_t plat_seed(void) __attribute__((weak));

/* Built with RP8_AUDIO_ASYNC=1 (firmware with two cores), the runner calls
** this instead after each frame: render n samples of p8 (silence when
** quiet, the synth held) and queue them, on the platform's other core.
** The platform sets p8->audio_fence, through which the engine waits for
** that render before touching anything it uses (p8_audio.h). */
void plat_audio_frame(p8_state *p8, int n, int quiet);

#ifdef __cplusplus
}
#endif

#endif
