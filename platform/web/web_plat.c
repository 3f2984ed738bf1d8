/*
** web_plat.c -- platform.h in a web page (or node), for compiled carts
** built to WebAssembly by emscripten (console/web_build.py).
**
** The device's frame loop runs unchanged (rp8_main, with the pause menu and
** the error screen of the firmware): waiting for the next frame is an
** Asyncify sleep, which hands the browser its event loop back. Everything
** that meets the page goes through Module.rp8, an object the page's script
** (platform/web/rp8_page.js) supplies before the module starts:
**   present(ptr)         128x128 XRGB8888 pixels at ptr, a finished frame
**   audio(ptr, n)        n 22050 Hz int16 samples at ptr for its ring buffer
**   log(text)            printh and runtime errors
**   load(id) / save(id, bytes)   cartdata (localStorage)
**   poll()               read the gamepads (before each frame's buttons)
** Buttons come the other way: the page calls rp8web_set_buttons.
**
** Other carts: the module holds every cart of the export (web_bundle.h);
** load() and reload() find them by the names they had on disk, and load()
** of a cart the page does not hold returns false, as PICO-8's exports do.
*/
#include <stdlib.h>
#include <string.h>

#include <emscripten.h>

#include "p8_present.h"
#include "platform.h"
#include "rp8_runner.h"
#include "web_bundle.h"

/* ------------------------------------------------------------------ the page's side */

EM_JS(void, web_present, (const uint32_t *px), { Module.rp8.present(px); });
EM_JS(void, web_audio, (const int16_t *s, int n), { Module.rp8.audio(s, n); });
EM_JS(void, web_log, (const char *s, size_t n), { Module.rp8.log(UTF8ToString(s, n)); });
EM_JS(int, web_load, (const char *id, uint8_t *out), {
  var d = Module.rp8.load(UTF8ToString(id));
  if (!d || d.length != 256) return -1;
  HEAPU8.set(d, out);
  return 0;
});
EM_JS(void, web_save, (const char *id, const uint8_t *data), {
  Module.rp8.save(UTF8ToString(id), HEAPU8.slice(data, data + 256));
});
EM_JS(void, web_poll, (void), { Module.rp8.poll(); });
EM_JS(uint32_t, web_seed, (void), { return (Math.random() * 0x7fffffff) >>> 0; });

/* ------------------------------------------------------------------ buttons */

static uint8_t held[8];

EMSCRIPTEN_KEEPALIVE void rp8web_set_buttons(int player, int mask) {
  if (player >= 0 && player < 8) held[player] = (uint8_t)mask;
}

/* The runner asks for players 0-7 in turn once a frame: gamepads are read
** at the first. */
uint32_t plat_buttons(int player) {
  if (player == 0) web_poll();
  return player >= 0 && player < 8 ? held[player] : 0;
}

/* ------------------------------------------------------------------ the rest of platform.h */

void plat_init(void) {}

/* performance.now() in microseconds: wraps as platform.h says */
uint32_t plat_time_us(void) { return (uint32_t)(uint64_t)(emscripten_get_now() * 1000.0); }

void plat_wait_until(uint32_t t_us) {
  int32_t left = (int32_t)(t_us - plat_time_us());
  /* always give the page its turn, even when late: input, drawing, sound */
  emscripten_sleep(left > 0 ? (unsigned)(left / 1000) : 0);
}

void plat_frame_mark(int phase) { (void)phase; }

const char *plat_poll(int64_t frame_half_ticks) {
  (void)frame_half_ticks;
  return 0;
}

static uint32_t pixels[128 * 128];

void plat_present(const p8_state *p8) {
  p8_present_xrgb8888((p8_state *)p8, 0, 128, pixels);
  web_present(pixels);
}

void plat_log(const char *s, size_t n) { web_log(s, n); }

int plat_cartdata_load(const char *cart_id, uint8_t out[256]) { return web_load(cart_id, out); }

void plat_cartdata_save(const char *cart_id, const uint8_t data[256]) { web_save(cart_id, data); }

void plat_audio_push(const int16_t *samples, int n) { web_audio(samples, n); }


/* ------------------------------------------------------------------ other carts */

/* The seed each boot gets: fixed by a test (rp8web_boot), else fresh. */
static int seed_fixed;
static uint32_t seed_raw;

static uint32_t next_seed(void) { return seed_fixed ? seed_raw : web_seed(); }

static int running;              /* the cart that runs (index in rp8web_carts) */
static int crumb_from = -1;      /* the cart that left the breadcrumb, or -1 */
static char crumb[256];
static size_t crumb_len;

static struct {
  int cart;                      /* the cart to boot, or -1 */
  int crumb_from;                /* the breadcrumb it gets: from this cart, or -1 */
  char crumb[256];
  size_t crumb_len;
  char param[256];               /* NUL-terminated: rp8_boot's stat(6) */
} request = {-1, -1, {0}, 0, {0}};

static size_t clamp(size_t n, size_t cap) { return n < cap ? n : cap; }

/* A cart named as the desktop player finds it: in the running cart's
** folder (the table's names are paths from the first cart's folder), the
** name as given, then with .p8 and .p8.png added. */
static int find_cart(const char *name, size_t n, int need_code) {
  static const char *const ext[] = {"", ".p8", ".p8.png"};
  const char *here = rp8web_carts[running].name;
  const char *slash = strrchr(here, '/');
  size_t dir = slash != 0 ? (size_t)(slash - here) + 1 : 0;   /* "levels/" of "levels/a.p8" */
  for (int e = 0; e < 3; e++) {
    size_t k = strlen(ext[e]);
    for (int i = 0; i < rp8web_ncarts; i++) {
      const char *have = rp8web_carts[i].name;
      if (need_code && rp8web_carts[i].code == 0) continue;
      if (strlen(have) == dir + n + k && memcmp(have, here, dir) == 0 && memcmp(have + dir, name, n) == 0 &&
          memcmp(have + dir + n, ext[e], k) == 0)
        return i;
    }
  }
  return -1;
}

int plat_cart_load(const char *name, size_t nlen, const char *label, size_t clen, int has_crumb,
                   const char *param, size_t plen) {
  if (name == 0) {                       /* extcmd("breadcrumb"): back, no param */
    if (crumb_from < 0) return -1;
    request.cart = crumb_from;
    request.crumb_from = -1;
    request.param[0] = 0;
    return 0;
  }
  int i = find_cart(name, nlen, 1);
  if (i < 0) return -1;
  request.cart = i;
  request.crumb_from = has_crumb ? running : -1;
  request.crumb_len = clamp(clen, sizeof request.crumb);
  memcpy(request.crumb, label, request.crumb_len);
  plen = clamp(plen, sizeof request.param - 1);
  memcpy(request.param, param, plen);
  request.param[plen] = 0;
  return 0;
}

const uint8_t *plat_cart_rom(const char *name, size_t nlen, size_t *len) {
  int i = find_cart(name, nlen, 0);
  if (i < 0) return 0;
  *len = RP8_ROM_DATA;
  return rp8web_carts[i].rom;
}

const char *plat_breadcrumb(size_t *len) {
  *len = crumb_len;
  return crumb_from >= 0 ? crumb : 0;
}

int plat_cart_boot(void) {
  if (request.cart < 0) return -1;
  running = request.cart;
  crumb_from = request.crumb_from;
  crumb_len = request.crumb_len;
  memcpy(crumb, request.crumb, crumb_len);
  request.cart = -1;
  rp8_select_cart(rp8web_carts[running].code, rp8web_carts[running].rom);
  rp8_boot(next_seed(), request.param);
  return 0;
}

/* ------------------------------------------------------------------ entry points */

/* The page: the device loop, forever (it sleeps between frames). */
EMSCRIPTEN_KEEPALIVE void rp8web_main(void) { rp8_main(); }

/* rp8_main's seed: a fresh one each time the page loads, as PICO-8 does */
uint32_t plat_seed(void) { return next_seed(); }

/* Tests step the cart themselves. rp8_frame switches contexts, and a
** switch unwinds the wasm stack back to the caller, so a result cannot
** come back as a return value: it is kept here for rp8web_result. */
static int last_result;

EMSCRIPTEN_KEEPALIVE void rp8web_boot(uint32_t seed) {
  seed_fixed = 1;
  seed_raw = seed;
  last_result = rp8_boot(seed, 0);
}

/* A frame that ends in load() boots the other cart, as the desktop's
** console does within the same step (its screen is the new cart's). */
EMSCRIPTEN_KEEPALIVE void rp8web_frame(int mask0) {
  uint8_t masks[8] = {(uint8_t)mask0};
  last_result = rp8_frame(masks);
  if (last_result == RP8_LOAD && plat_cart_boot() == 0) last_result = RP8_FRAME;
}

/* The running cart's name (index in the bundle's table), for tests. */
EMSCRIPTEN_KEEPALIVE const char *rp8web_cart_name(void) { return rp8web_carts[running].name; }

EMSCRIPTEN_KEEPALIVE int rp8web_result(void) { return last_result; }

/* The display colours (0-31) of the machine's screen, for frame hashes. */
static uint8_t shown[128 * 128];

EMSCRIPTEN_KEEPALIVE const uint8_t *rp8web_indices(void) {
  p8_present_indices(rp8_machine(), 0, 128, shown);
  return shown;
}

EMSCRIPTEN_KEEPALIVE const char *rp8web_message(void) {
  static char text[260];
  size_t n;
  const char *m = rp8_message(&n);
  if (n > sizeof text - 1) n = sizeof text - 1;
  memcpy(text, m, n);
  text[n] = 0;
  return text;
}
