/*
** rt_runner.cpp -- PICO-8's frame loop for a compiled cart, on platform.h.
**
** The loop is the desktop player's (console/runtime/host_lua.lua), step for
** step, so the differential tests can hold the two to the same screens:
**   frame 1: the cart's top level, _init, then the first update and draw;
**   each frame: buttons into 0x5f4c (btnp with PICO-8's repeat), then
**   _update60 (fps 60) or _update (fps 30), then _draw; holdframe() turns
**   the frame's picture off; time() advances 1/fps after each frame.
** A cart with none of _update, _update60, _draw ends after _init.
** run() and extcmd("reset") reboot the cart (a fresh machine and heap);
** stop() ends it with a message.
**
** The cart runs in its own context (rt_co.cpp) with its own C stack, so
** flip() -- at the end of each frame of the loop above, or called by a cart
** with a loop of its own, even inside a coroutine -- switches back here and
** rp8_frame returns; the next rp8_frame switches back into the cart.
**
** The arena, value stack and cart C stack are build choices:
** RP8_ARENA_SIZE, RP8_STACK_SLOTS, RP8_MAX_DEPTH, RP8_CART_CSTACK.
*/
#include "rp8_runner.h"

#include "platform.h"
#include "rp8rt.h"

extern "C" {
#include "p8_gfx.h"
}

/* Desktop defaults; a firmware build sets all of these from its RAM plan. */
#ifndef RP8_ARENA_SIZE
#if defined(__arm__)
#define RP8_ARENA_SIZE (96 * 1024)
#else
#define RP8_ARENA_SIZE (2 * 1024 * 1024)
#endif
#endif
#ifndef RP8_STACK_SLOTS
#if defined(__arm__)
#define RP8_STACK_SLOTS 2048
#else
#define RP8_STACK_SLOTS 16384
#endif
#endif
#ifndef RP8_MAX_DEPTH
#if defined(__arm__)
#define RP8_MAX_DEPTH 120
#else
#define RP8_MAX_DEPTH 1000
#endif
#endif
#ifndef RP8_CART_CSTACK
#if defined(__arm__)
#define RP8_CART_CSTACK (16 * 1024)
#else
#define RP8_CART_CSTACK (4 * 1024 * 1024)
#endif
#endif

using namespace rp8;

extern const Cart rp8_cart;

namespace {

enum Phase { PH_RUN, PH_DONE };

struct Runner {
  State L;
  Host host;
  p8_state machine;
  Phase phase;
  int status;              /* result of the frame that finished the cart */
  uint32_t seed;
  char param[256];         /* stat(6), kept across run() */
  size_t param_len;
  char message[256];       /* error / stop text */
  size_t message_len;
  uint32_t frames;         /* frames since the first boot */
  uint32_t frame_limit_us; /* kept across run() */
  Coro cart;               /* the cart's context */
  int kind;                /* the frame the cart flipped: FRAME or SKIP */
  int outcome;             /* how the cart's code ended: END or ERROR */
  /* device mode pacing and audio */
  uint32_t deadline_us;
  uint32_t audio_acc;
};

Runner R8;
alignas(8) uint8_t memory[RP8_ARENA_SIZE + RP8_STACK_SLOTS * sizeof(Value)];
alignas(16) uint8_t cart_cstack[RP8_CART_CSTACK];

void write_log(void *ud, int stream, const char *s, size_t n) {
  (void)ud;
  (void)stream;
  plat_log(s, n);
}

void set_message(const char *s, size_t n) {
  if (n > sizeof R8.message) n = sizeof R8.message;
  memcpy(R8.message, s, n);
  R8.message_len = n;
}

void cart_body(State *L);
void cart_flip(State *L);

const char *printh_file(const char *name, size_t nlen, const char *s, size_t n, bool overwrite) {
  if (plat_printh_file != 0) return plat_printh_file(name, nlen, s, n, overwrite ? 1 : 0);
  plat_log(s, n);
  plat_log("\n", 1);
  return 0;
}

/* A fresh machine and heap: power-on, or run(). */
int boot(void) {
  Host *h = &R8.host;
  memset(R8.machine.rom, 0, sizeof R8.machine.rom);
  memcpy(R8.machine.rom, rp8_cart_rom, RP8_ROM_DATA);
  p8_power_on(&R8.machine);   /* copies the data into RAM */
  p8_srand(&R8.machine, (fix32)R8.seed);
  rt_init(&R8.L, memory, sizeof memory, RP8_STACK_SLOTS, &R8.machine, write_log, 0);
  R8.L.max_depth = RP8_MAX_DEPTH;
  *h = Host();
  h->fps = 30;
  h->frames = R8.frames;
  h->flip = cart_flip;
  h->cartdata_load = plat_cartdata_load;
  h->time_us = plat_time_us;
  h->printh_file = printh_file;
  h->frame_limit_us = R8.frame_limit_us;
  R8.L.host = h;
  R8.phase = PH_RUN;
  if (rt_load(&R8.L, &rp8_cart) != 0) {
    set_message("out of memory", 13);
    R8.phase = PH_DONE;
    R8.status = RP8_ERROR;
    return RP8_ERROR;
  }
  if (R8.param_len > 0) h->param = rt_str(&R8.L, R8.param, R8.param_len);
  rt_co_host_init(&R8.L, &R8.cart, cart_cstack, sizeof cart_cstack, cart_body);
  return RP8_FRAME;
}

/* After a failed protected call: reboot, stop or report. Returns the
** frame result. */
int failed(void) {
  State *L = &R8.L;
  int kind = L->host->abort_kind;
  if (kind == HOST_RUN) {
    if (!isnil(L->host->param)) {
      String *p = str(L, L->host->param);
      R8.param_len = p->len < sizeof R8.param ? p->len : sizeof R8.param;
      memcpy(R8.param, strdata(p), R8.param_len);
    }
    boot();
    return RP8_FRAME;
  }
  R8.phase = PH_DONE;
  if (kind == HOST_STOP) {
    R8.status = RP8_STOPPED;
  } else {
    R8.status = RP8_ERROR;
    plat_log("runtime error: ", 15);
    plat_log(R8.message, R8.message_len);
    plat_log("\n", 1);
  }
  return R8.status;
}

/* Call a global function by name if the cart defines one. 0, or 1 on an
** error (L->errval). */
/* A callback: from the main chunk's final _ENV when it set one. */
Value callback(const char *name) {
  State *L = &R8.L;
  if (L->main_env.tag == T_TABLE && L->main_env.bits != L->genv.bits) {
    Value t = L->main_env;
    Value f = rt_rawget(L, tab(L, t), rt_cstr(L, name));
    if (!isnil(f)) return f;
  }
  return rt_getglobal(L, name);
}

int call_global(const char *name, bool *present) {
  Value f = callback(name);
  if (present) *present = !isnil(f);
  if (isnil(f)) return 0;
  return rt_pcall(&R8.L, f, 0, 0);
}

bool defined(const char *name) { return !isnil(callback(name)); }

/* cartdata: save the 256 bytes when the cart changed them */
void flush_cartdata(void) {
  Host *h = &R8.host;
  const uint8_t *now = R8.machine.ram + P8_MEM_CARTDATA;
  if (!h->cartdata_open || memcmp(now, h->cartdata_saved, 256) == 0) return;
  plat_cartdata_save(h->cart_id, now);
  memcpy(h->cartdata_saved, now, 256);
}

/* The end of a frame: time moves on. */
void end_frame(void) {
  rt_host_tick(&R8.L);
  R8.frames++;
  flush_cartdata();
}

void begin_frame(const uint8_t masks[8]) {
  rt_host_buttons(&R8.L, masks);
  R8.host.frame_start_us = plat_time_us();
}

/* ------------------------------------------------------------------ the cart's context */

/* flip(): the frame is over; back to rp8_frame's caller. */
void cart_flip(State *L) {
  Host *h = L->host;
  R8.kind = h->hold ? RP8_SKIP : RP8_FRAME;
  h->hold = false;
  rt_co_host_flip(L);
}

/* A failed call: keep its message (made here, on the cart's stack). */
void cart_failed(State *L) {
  size_t n;
  const char *m = rt_errtext(L, &n);
  set_message(m, n);
  R8.outcome = RP8_ERROR;
}

/* Everything the cart does, as the player's game loop. */
void cart_body(State *L) {
  R8.outcome = RP8_END;
  if (rt_pcall(L, lightfn(0), 0, 0) != 0 || call_global("_init", 0) != 0) {
    cart_failed(L);
    return;
  }
  if (!defined("_update") && !defined("_update60") && !defined("_draw")) return;
  for (;;) {
    bool u60 = defined("_update60");
    L->host->fps = u60 ? 60 : 30;
    if (call_global(u60 ? "_update60" : "_update", 0) != 0) {
      cart_failed(L);
      return;
    }
    plat_frame_mark(0);
    L->host->in_draw = true;
    int drawn = call_global("_draw", 0);
    L->host->in_draw = false;
    if (drawn != 0) {
      cart_failed(L);
      return;
    }
    plat_frame_mark(1);
    cart_flip(L);
  }
}

/* ------------------------------------------------------------------ device mode */

void read_buttons(uint8_t masks[8]) {
  for (int p = 0; p < 8; p++) masks[p] = (uint8_t)(plat_buttons(p) & 0x7fu);
}

/* Present (unless held), render and push this frame's sound, wait for the
** next frame's time. */
void device_frame_done(int kind) {
  if (kind == RP8_FRAME) plat_present(&R8.machine);
  static int16_t samples[P8_AUDIO_RATE / 30 + 1];
  uint32_t fps = R8.host.fps == 60 ? 60u : 30u;
  R8.audio_acc += P8_AUDIO_RATE;
  uint32_t n = R8.audio_acc / fps;
  R8.audio_acc -= n * fps;
  p8_audio_render(&R8.machine, samples, (int)n);
  plat_audio_push(samples, (int)n);
  uint32_t period = 1000000u / fps;
  uint32_t now = plat_time_us();
  R8.deadline_us += period;
  /* more than a frame late: start counting again from now */
  if ((int32_t)(now - R8.deadline_us) > (int32_t)period) R8.deadline_us = now + period;
  plat_wait_until(R8.deadline_us);
}

}  // namespace

/* ------------------------------------------------------------------ the C interface */

extern "C" int rp8_boot(uint32_t seed_raw, const char *param) {
  R8.seed = seed_raw;
  R8.frames = 0;
  R8.param_len = 0;
  if (param != 0) {
    size_t n = strlen(param);
    R8.param_len = n < sizeof R8.param ? n : sizeof R8.param;
    memcpy(R8.param, param, R8.param_len);
  }
  return boot();
}

extern "C" int rp8_frame(const uint8_t masks[8]) {
  if (R8.phase == PH_DONE) return R8.status;
  begin_frame(masks);
  if (rt_co_host_resume(&R8.L, &R8.cart)) {
    /* the cart's code is over */
    if (R8.outcome == RP8_ERROR) return failed();
    R8.phase = PH_DONE;
    R8.status = RP8_END;
    return RP8_END;
  }
  int kind = R8.kind;
  end_frame();
  return kind;
}

extern "C" void rp8_set_frame_limit_us(uint32_t us) {
  R8.frame_limit_us = us;
  R8.host.frame_limit_us = us;
}

extern "C" p8_state *rp8_machine(void) { return &R8.machine; }
extern "C" int rp8_fps(void) { return R8.host.fps == 60 ? 60 : 30; }
extern "C" const char *rp8_message(size_t *len) {
  *len = R8.message_len;
  return R8.message;
}
extern "C" uint32_t rp8_memory_used(void) { return R8.L.used; }
extern "C" uint32_t rp8_frames(void) { return R8.frames; }

/* The error screen: the message over the last frame, in the system font. */
static void show_error(void) {
  p8_state *p8 = &R8.machine;
  p8_reset_draw_state(p8);
  for (int i = 0; i < 16; i++) p8->ram[P8_DS_SCREENPAL + i] = (uint8_t)i;
  p8->ram[P8_DS_SCRMODE] = 0;
  p8_rectfill(p8, 0, 0, P8_FIX(127), P8_FIX(40), 0, 5);
  static const char head[] = "runtime error";
  p8_print(p8, (const uint8_t *)head, sizeof head - 1, P8_FIX(1), P8_FIX(2), P8_FIX(8), 4);
  /* the message in lines of 31 characters */
  size_t n = R8.message_len;
  int y = 8;
  for (size_t at = 0; at < n && y < 36; at += 31, y += 6) {
    size_t k = n - at < 31 ? n - at : 31;
    p8_print(p8, (const uint8_t *)R8.message + at, k, P8_FIX(1), P8_FIX(y), P8_FIX(6), 4);
  }
}

extern "C" void rp8_main(void) {
  plat_init();
  rp8_boot(0, 0);
  R8.deadline_us = plat_time_us();
  uint8_t masks[8];
  for (;;) {
    read_buttons(masks);
    int r = rp8_frame(masks);
    if (r == RP8_FRAME || r == RP8_SKIP) {
      device_frame_done(r);
      continue;
    }
    if (r == RP8_ERROR) show_error();
    plat_present(&R8.machine);
    /* the cart is over: keep the last picture, keep the sound going */
    for (;;) device_frame_done(RP8_SKIP);
  }
}
