/*
** host.c -- platform.h on a desktop OS, for compiled carts loaded into the
** Python player as a shared library (console/desktop/aot_player.py).
**
** The player drives the steppable runner (rp8_boot, rp8_frame) and reads
** the screen and renders sound from the machine itself, exactly as it does
** for the interpreter; so here only the services the runner asks for
** during a frame matter: the clock, printh text (kept for the player to
** take after each frame) and cartdata (through two callbacks the player
** sets). The rest serves rp8_main on a desktop (headless soak runs):
** buttons set from outside, presented frames and audio kept in buffers.
*/
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "platform.h"
#include "rp8_runner.h"
#include "rp8host.h"

/* ------------------------------------------------------------------ clock */

static struct timespec epoch;

static uint32_t now_us(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  if (epoch.tv_sec == 0 && epoch.tv_nsec == 0) epoch = t;
  long long us = (long long)(t.tv_sec - epoch.tv_sec) * 1000000LL + (t.tv_nsec - epoch.tv_nsec) / 1000;
  return (uint32_t)us;
}

void plat_init(void) { (void)now_us(); }

uint32_t plat_time_us(void) { return now_us(); }

void plat_wait_until(uint32_t t_us) {
  int32_t left = (int32_t)(t_us - now_us());
  if (left <= 0) return;
  struct timespec d = {left / 1000000, (long)(left % 1000000) * 1000L};
  nanosleep(&d, 0);
}

/* The bench's update/draw split: the player registers a function that the
** runner's marks reach (phase 0 after _update, 1 after _draw). */
static void (*frame_mark)(int phase);

void rp8host_set_frame_mark(void (*fn)(int phase)) { frame_mark = fn; }

/* Or, cheaper than a call back into Python (microseconds, more than a
** small cart's whole frame): a monotonic clock at the start of each
** rp8host_frame and at each mark, kept for the bench to read after the
** frame. (CLOCK_MONOTONIC is read in user space; the thread's CPU clock is
** a system call, which cost the bench's frames 1-2 us of their own.) */
static int record_marks;
static long long mark_ns[3];

static long long mono_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

void rp8host_record_marks(int on) { record_marks = on; }

void rp8host_frame_marks(long long out[3]) {
  out[0] = mark_ns[2];
  out[1] = mark_ns[0];
  out[2] = mark_ns[1];
}

void plat_frame_mark(int phase) {
  if (record_marks && (phase == 0 || phase == 1)) mark_ns[phase] = mono_ns();
  if (frame_mark) frame_mark(phase);
}

/* ------------------------------------------------------------------ a long frame */

/* The player's turn during a long frame (platform.h): it pumps its window
** and checks its limits, and returns why to stop the cart, or null. */
static const char *(*poll_fn)(int64_t frame_half_ticks);

void rp8host_set_poll(const char *(*fn)(int64_t frame_half_ticks)) { poll_fn = fn; }

const char *plat_poll(int64_t frame_half_ticks) {
  return poll_fn ? poll_fn(frame_half_ticks) : 0;
}

/* ------------------------------------------------------------------ buttons */

static uint8_t held[8];

void rp8host_set_buttons(const uint8_t masks[8]) { memcpy(held, masks, 8); }

uint32_t plat_buttons(int player) { return player >= 0 && player < 8 ? held[player] : 0; }

/* ------------------------------------------------------------------ screen */

static uint8_t shown[0x2000 + 16 + 1];   /* screen, screen palette, screen mode */
static uint32_t presents;

void plat_present(const p8_state *p8) {
  memcpy(shown, p8->ram + P8_MEM_SCREEN, 0x2000);
  memcpy(shown + 0x2000, p8->ram + P8_DS_SCREENPAL, 16);
  shown[0x2010] = p8->ram[P8_DS_SCRMODE];
  presents++;
}

/* The last presented frame (as plat_present saw it) and how many there were. */
uint32_t rp8host_presented(uint8_t out[0x2011]) {
  memcpy(out, shown, sizeof shown);
  return presents;
}

/* ------------------------------------------------------------------ printh */

enum { LOG_SIZE = 1 << 20 };
static char log_buf[LOG_SIZE];
static size_t log_len;

/* Text past the buffer goes straight to stdout rather than being lost. */
void plat_log(const char *s, size_t n) {
  if (log_len + n > LOG_SIZE) {
    fwrite(log_buf, 1, log_len, stdout);
    log_len = 0;
    if (n > LOG_SIZE) {
      fwrite(s, 1, n, stdout);
      return;
    }
  }
  memcpy(log_buf + log_len, s, n);
  log_len += n;
}

/* rp8_frame, with RP8HOST_LOGGED added when printh text waits to be
** taken: the player's one call per frame (a cffi call is ~0.3 us). */
int rp8host_frame(const uint8_t masks[8]) {
  if (record_marks) mark_ns[2] = mono_ns();
  int kind = rp8_frame(masks);
  return log_len != 0 ? kind | RP8HOST_LOGGED : kind;
}

/* Move up to cap bytes of logged text to out; returns how many. */
size_t rp8host_log_take(char *out, size_t cap) {
  size_t n = log_len < cap ? log_len : cap;
  memcpy(out, log_buf, n);
  memmove(log_buf, log_buf + n, log_len - n);
  log_len -= n;
  return n;
}

/* ------------------------------------------------------------------ cartdata */

static int (*cd_load)(const char *id, uint8_t *out);
static void (*cd_save)(const char *id, const uint8_t *data);

void rp8host_set_cartdata(int (*load)(const char *, uint8_t *), void (*save)(const char *, const uint8_t *)) {
  cd_load = load;
  cd_save = save;
}

int plat_cartdata_load(const char *cart_id, uint8_t out[256]) {
  return cd_load ? cd_load(cart_id, out) : -1;
}

void plat_cartdata_save(const char *cart_id, const uint8_t data[256]) {
  if (cd_save) cd_save(cart_id, data);
}

/* ------------------------------------------------------------------ printh to a file */

static const char *(*ph_file)(const char *name, size_t nlen, const char *s, size_t n, int overwrite);

void rp8host_set_printh_file(const char *(*fn)(const char *, size_t, const char *, size_t, int)) {
  ph_file = fn;
}

/* an optional platform hook (platform.h): the player writes the file */
const char *plat_printh_file(const char *name, size_t nlen, const char *s, size_t n, int overwrite) {
  if (ph_file == 0) return "printh: no files on this console";
  return ph_file(name, nlen, s, n, overwrite);
}

/* ------------------------------------------------------------------ other carts */

/* load(), reload(..., filename) and stat(100) (rp8_runner.h's optional
** hooks): the player finds carts, builds them and keeps the breadcrumb. */
static int (*cart_load)(const char *name, size_t nlen, const char *crumb, size_t clen, int has_crumb,
                        const char *param, size_t plen);
static const uint8_t *(*cart_rom)(const char *name, size_t nlen, size_t *len);
static char crumb_label[256];
static size_t crumb_len;
static int crumb_set;

void rp8host_set_carts(int (*load)(const char *, size_t, const char *, size_t, int, const char *, size_t),
                       const uint8_t *(*rom)(const char *, size_t, size_t *)) {
  cart_load = load;
  cart_rom = rom;
}

/* The label the loading cart left (null: none), for stat(100). */
void rp8host_set_breadcrumb(const char *label, size_t n) {
  crumb_set = label != 0;
  crumb_len = n < sizeof crumb_label ? n : sizeof crumb_label;
  if (label != 0) memcpy(crumb_label, label, crumb_len);
}

int plat_cart_load(const char *name, size_t nlen, const char *crumb, size_t clen, int has_crumb,
                   const char *param, size_t plen) {
  return cart_load ? cart_load(name, nlen, crumb, clen, has_crumb, param, plen) : -1;
}

const uint8_t *plat_cart_rom(const char *name, size_t nlen, size_t *len) {
  return cart_rom ? cart_rom(name, nlen, len) : 0;
}

const char *plat_breadcrumb(size_t *len) {
  *len = crumb_len;
  return crumb_set ? crumb_label : 0;
}

/* ------------------------------------------------------------------ audio */

enum { AUDIO_RING = 8192 };
static int16_t ring[AUDIO_RING];
static size_t ring_head, ring_len;

/* Keeps the newest samples when the taker falls behind. */
void plat_audio_push(const int16_t *samples, int n) {
  for (int i = 0; i < n; i++) {
    ring[(ring_head + ring_len) % AUDIO_RING] = samples[i];
    if (ring_len < AUDIO_RING) ring_len++;
    else ring_head = (ring_head + 1) % AUDIO_RING;
  }
}

size_t rp8host_audio_take(int16_t *out, size_t cap) {
  size_t n = ring_len < cap ? ring_len : cap;
  for (size_t i = 0; i < n; i++) out[i] = ring[(ring_head + i) % AUDIO_RING];
  ring_head = (ring_head + n) % AUDIO_RING;
  ring_len -= n;
  return n;
}
