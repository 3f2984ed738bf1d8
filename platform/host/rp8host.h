/*
** rp8host.h -- what platform/host (host.c) offers the program that loads a
** compiled cart's shared library: the Python player (console/desktop/
** aot_player.py), which reads the rp8:api blocks below as its cffi
** declarations, beside rp8_runner.h's, so the C build and the player read
** one set of declarations.
*/
#ifndef rp8host_h
#define rp8host_h

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

enum { RP8HOST_LOGGED = 0x100 };

/* rp8:api begin */
/* The bench's update/draw split: fn(0) after _update, fn(1) after _draw;
** or, cheaper than a call back, a monotonic clock (ns) at the start of the
** frame, after _update and after _draw (out[0..2]). */
void rp8host_set_frame_mark(void (*fn)(int phase));
void rp8host_record_marks(int on);
void rp8host_frame_marks(long long out[3]);
/* rp8_frame(masks), plus RP8HOST_LOGGED when printh text waits. */
int rp8host_frame(const uint8_t masks[8]);
/* The player's turn during a long frame: returns why to stop, or null. */
void rp8host_set_poll(const char *(*fn)(int64_t frame_half_ticks));
/* Move up to cap bytes of printh text to out; returns how many. */
size_t rp8host_log_take(char *out, size_t cap);
/* cartdata's store: load returns whether there was any, -1 for none. */
void rp8host_set_cartdata(int (*load)(const char *, uint8_t *), void (*save)(const char *, const uint8_t *));
/* printh to a file: returns an error message, or null. */
void rp8host_set_printh_file(const char *(*fn)(const char *, size_t, const char *, size_t, int));
/* load() and reload(..., filename): find a cart, read its ROM. */
void rp8host_set_carts(int (*load)(const char *, size_t, const char *, size_t, int, const char *, size_t),
                       const uint8_t *(*rom)(const char *, size_t, size_t *));
/* The label the loading cart left (null: none), for stat(100). */
void rp8host_set_breadcrumb(const char *label, size_t n);
/* rp8:api end */

/* rp8_main on a desktop (headless soak runs): buttons set from outside,
** the last presented frame (screen, screen palette, mode) and how many
** there were, and the audio pushed since the last take. */
void rp8host_set_buttons(const uint8_t masks[8]);
uint32_t rp8host_presented(uint8_t out[0x2011]);
size_t rp8host_audio_take(int16_t *out, size_t cap);

#ifdef __cplusplus
}
#endif

#endif
