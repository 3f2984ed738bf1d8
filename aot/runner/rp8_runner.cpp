/*
** rp8_runner.cpp -- PICO-8's frame loop for a compiled cart, on platform.h.
**
** The loop is the desktop player's (console/desktop/host_lua.lua), step for
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
** CPU (rt_cpu.h). With the CPU model (desktop builds) a frame costs what
** the interpreter counts for it: a frame whose budget is spent outside
** _draw ends where it is (presented) and the cart goes on in the next;
** after a frame over budget the next _draw is skipped, so updates keep
** time; every 2^20 counted units the platform gets a turn (plat_poll) and
** may stop a runaway cart. Without the model (devices) the frame is cut by
** the clock (rt_host.cpp's rt_tick_slow) and _draw always runs.
**
** The arena, value stack and cart C stack are build choices:
** RP8_ARENA_SIZE, RP8_STACK_SLOTS, RP8_MAX_DEPTH, RP8_CART_CSTACK.
*/
#include "rp8_runner.h"

#include "platform.h"
#include "rp8rt.h"
#include "rt_cpu.h"

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
/* Deep recursion ends with "stack overflow" when the value stack or the C
** stack runs out (the guard in rt_ctx.h); the depth limit is a backstop. */
#ifndef RP8_MAX_DEPTH
#if defined(__arm__)
#define RP8_MAX_DEPTH 1000
#else
#define RP8_MAX_DEPTH 200000
#endif
#endif
#ifndef RP8_CART_CSTACK
#if defined(__arm__)
#define RP8_CART_CSTACK (16 * 1024)
#else
#define RP8_CART_CSTACK (4 * 1024 * 1024)
#endif
#endif
/* The engine reads the cart ROM through a pointer. A device lends it the
** const rp8_cart_rom in flash, so cstore() is "not supported yet" there (a
** RAM copy would cost 17 KiB of Lua heap, for a call no corpus cart makes);
** the desktop keeps a writable copy, so cstore() works as in PICO-8. */
/* 1: the platform renders each frame's sound itself, on another core
** (plat_audio_frame; the engine waits for it through p8->audio_fence). */
#ifndef RP8_AUDIO_ASYNC
#define RP8_AUDIO_ASYNC 0
#endif

#ifndef RP8_ROM_IN_RAM
#if defined(__arm__)
#define RP8_ROM_IN_RAM 0
#else
#define RP8_ROM_IN_RAM 1
#endif
#endif

namespace rp8 {
/* rt_co.cpp: fn(arg) on the host's side between frames (the pause menu's
** callbacks): 0 and its first result, or 1 after an error. */
int rt_co_host_call(State *L, Coro *cart, Value fn, Value arg, Value *result);
}

using namespace rp8;

extern const Cart rp8_cart;

namespace {

enum Phase { PH_RUN, PH_DONE };

/* The game loop's callbacks. A cart with static globals has their slots
** found once a boot (rt_globalslot) instead of its names scanned for each
** of them every frame. */
enum Callback { CB_INIT, CB_UPDATE, CB_UPDATE60, CB_DRAW, CB_N };
const char *const callback_name[CB_N] = {"_init", "_update", "_update60", "_draw"};

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
  bool stat0_pinned;       /* kept across run() */
  fix32 stat0_pin;
  Coro cart;               /* the cart's context */
  int kind;                /* the frame the cart flipped: FRAME or SKIP */
  int outcome;             /* how the cart's code ended: END or ERROR */
  bool skip_draw;          /* the last frame went over budget: no _draw in this one */
  bool pending;            /* a menu callback ran run/stop/load: act at the next frame */
  /* device mode pacing and audio */
  uint32_t deadline_us;
  uint32_t audio_acc;
  /* measuring a cart's heap on the desktop (rp8_set_heap_limit, rp8_set_gc_step) */
  uint32_t heap_limit;     /* the arena as a smaller device has it (0: all of it) */
  uint32_t gc_step;        /* collect every gc_step bytes allocated (0: normal policy) */
  uint32_t live_peak;      /* the most live bytes seen by earlier boots */
  uint32_t peak_census[O_NTYPES];   /* what that peak was made of (rt_census's kinds) */
  uint32_t boot_census[O_NTYPES];   /* the same for this boot's peak (L.peak_census) */
  /* the cart boot() powers on (rp8_select_cart); null: rp8_cart, rp8_cart_rom */
  const Cart *code;
  const uint8_t *rom;
  bool static_globals;      /* the cart's globals are slots, not _G's */
  Value *callback_slot[CB_N];   /* their slots (0: the cart has no such global) */
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
void cpu_services(void);
void flush_cartdata(void);

const char *printh_file(const char *name, size_t nlen, const char *s, size_t n, bool overwrite) {
  if (plat_printh_file != 0) return plat_printh_file(name, nlen, s, n, overwrite ? 1 : 0);
  plat_log(s, n);
  plat_log("\n", 1);
  return 0;
}

/* A fresh machine and heap: power-on, or run(). */
int boot(void) {
  Host *h = &R8.host;
#if RP8_ROM_IN_RAM
  static uint8_t rom_copy[RP8_ROM_DATA];
  memcpy(rom_copy, R8.rom != 0 ? R8.rom : rp8_cart_rom, RP8_ROM_DATA);
  p8_set_rom_rw(&R8.machine, rom_copy);
#else
  p8_set_rom(&R8.machine, R8.rom != 0 ? R8.rom : rp8_cart_rom);
#endif
  p8_power_on(&R8.machine);   /* copies the data into RAM */
  p8_srand(&R8.machine, (fix32)R8.seed);
  if (R8.L.live_peak > R8.live_peak) {
    R8.live_peak = R8.L.live_peak;
    memcpy(R8.peak_census, R8.boot_census, sizeof R8.peak_census);
  }
  size_t size = sizeof memory;
  size_t stack_bytes = RP8_STACK_SLOTS * sizeof(Value);
  if (R8.heap_limit != 0 && stack_bytes + R8.heap_limit < size) size = stack_bytes + R8.heap_limit;
  rt_init(&R8.L, memory, size, RP8_STACK_SLOTS, &R8.machine, write_log, 0);
  R8.L.max_depth = RP8_MAX_DEPTH;
  if (R8.gc_step != 0) {
    R8.L.gc_step = R8.gc_step;
    memset(R8.boot_census, 0, sizeof R8.boot_census);
    R8.L.peak_census = R8.boot_census;
    R8.L.threshold = R8.L.used + R8.gc_step < R8.L.heap_size ? R8.L.used + R8.gc_step : R8.L.heap_size;
  }
  *h = Host();
  h->fps = 30;
  h->frames = R8.frames;
  h->flip = cart_flip;
  h->cartdata_load = plat_cartdata_load;
  h->time_us = plat_time_us;
  h->printh_file = printh_file;
  h->frame_limit_us = R8.frame_limit_us;
  h->stat0_pinned = R8.stat0_pinned;
  h->stat0_pin = R8.stat0_pin;
  R8.L.host = h;
  R8.phase = PH_RUN;
  if (rt_load(&R8.L, R8.code != 0 ? R8.code : &rp8_cart) != 0) {
    /* the front end refuses constants over PICO-8's 2 MiB; a smaller
    ** arena (a device's) can still be too small for them */
    static const char oom[] = "out of memory loading the cart's string constants";
    set_message(oom, sizeof oom - 1);
    R8.phase = PH_DONE;
    R8.status = RP8_ERROR;
    return RP8_ERROR;
  }
  if (R8.param_len > 0) h->param = rt_str(&R8.L, R8.param, R8.param_len);
  R8.static_globals = !R8.L.cart->dynamic_globals;
  for (int cb = 0; cb < CB_N; cb++) R8.callback_slot[cb] = rt_globalslot(&R8.L, callback_name[cb]);
  rt_co_host_init(&R8.L, &R8.cart, cart_cstack, sizeof cart_cstack, cart_body);
  R8.skip_draw = false;
  cpu_services();
  return RP8_FRAME;
}

/* After a failed protected call: reboot, stop or report. Returns the
** frame result. */
int failed(void) {
  State *L = &R8.L;
  int kind = L->host->abort_kind;
  flush_cartdata();   /* the player saves before a reboot too */
  if (kind == HOST_LOAD) {
    /* the platform holds the request and boots the other cart */
    R8.phase = PH_DONE;
    R8.status = RP8_LOAD;
    return RP8_LOAD;
  }
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

/* A callback: from the main chunk's final _ENV when it set one. */
Value callback(Callback cb) {
  State *L = &R8.L;
  if (L->main_env.tag == T_TABLE && L->main_env.bits != L->genv.bits) {
    Value t = L->main_env;
    Value f = rt_rawget(L, tab(L, t), rt_cstr(L, callback_name[cb]));
    if (!isnil(f)) return f;
  }
  if (!R8.static_globals) return rt_getglobal(L, callback_name[cb]);
  Value *slot = R8.callback_slot[cb];
  return slot != 0 ? *slot : nil();
}

/* Call a callback if the cart defines it. 0, or 1 on an error (L->errval). */
int call_global(Callback cb) {
  Value f = callback(cb);
  if (isnil(f)) return 0;
  return rt_pcall(&R8.L, f, 0, 0);
}

bool defined(Callback cb) { return !isnil(callback(cb)); }

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
#if RP8_CPU_MODEL
  rt_cpu_begin_frame();
#endif
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

/* The game loop's frame end. With the CPU model, as host_lua.lua's
** end_frame: a frame over budget skips the next _draw; a frame without a
** draw shows nothing new and keeps holdframe() for the next. */
void cart_frame_end(State *L, bool drawn) {
#if RP8_CPU_MODEL
  Host *h = L->host;
  R8.skip_draw = drawn && rt_cpu_over_budget(h->fps);
  R8.kind = drawn && !h->hold ? RP8_FRAME : RP8_SKIP;
  if (drawn) h->hold = false;
  rt_co_host_flip(L);
#else
  (void)drawn;
  cart_flip(L);
#endif
}

#if RP8_CPU_MODEL
/* The frame's budget is spent outside _draw: it ends here, presented. No
** frame can end while the pause menu's callback runs (flip is unset). */
void cpu_cut(State *L) {
  if (L->host->flip == 0) return;
  R8.kind = RP8_FRAME;
  rt_co_host_flip(L);
}

/* The platform's turn during a long frame; also the host's wall-clock
** limit (rp8_set_frame_limit_us). */
const char *cpu_poll(int64_t half_ticks) {
  Host *h = &R8.host;
  if (h->frame_limit_us != 0 && plat_time_us() - h->frame_start_us > h->frame_limit_us)
    return "the cart ran past the frame time limit without finishing a frame (an endless loop?)";
  return plat_poll(half_ticks);
}
#endif

/* A fresh count for a fresh boot, and the runner's services for it. */
void cpu_services(void) {
#if RP8_CPU_MODEL
  rt_cpu_reset();
  rt_cpu.cut = cpu_cut;
  rt_cpu.poll = cpu_poll;
#endif
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
  if (rt_pcall(L, lightfn(0), 0, 0) != 0 || call_global(CB_INIT) != 0) {
    cart_failed(L);
    return;
  }
  if (!defined(CB_UPDATE) && !defined(CB_UPDATE60) && !defined(CB_DRAW)) return;
  for (;;) {
    bool u60 = defined(CB_UPDATE60);
    L->host->fps = u60 ? 60 : 30;
    if (call_global(u60 ? CB_UPDATE60 : CB_UPDATE) != 0) {
      cart_failed(L);
      return;
    }
    plat_frame_mark(0);
    bool drawn = !R8.skip_draw;
    if (drawn) {
      L->host->in_draw = true;
      int failed_draw = call_global(CB_DRAW);
      L->host->in_draw = false;
      if (failed_draw != 0) {
        cart_failed(L);
        return;
      }
    }
    plat_frame_mark(1);
    cart_frame_end(L, drawn);
  }
}

/* ------------------------------------------------------------------ device mode */

void read_buttons(uint8_t masks[8]) {
  for (int p = 0; p < 8; p++) masks[p] = (uint8_t)(plat_buttons(p) & 0x7fu);
}

bool device_quiet;         /* push silence: the pause menu is shown, or sound is off */

/* Present (unless held), render and push this frame's sound, wait for the
** next frame's time. */
void device_frame_done(int kind) {
  uint32_t fps = R8.host.fps == 60 ? 60u : 30u;
  R8.audio_acc += P8_AUDIO_RATE;
  uint32_t n = R8.audio_acc / fps;
  R8.audio_acc -= n * fps;
#if RP8_AUDIO_ASYNC
  /* the sound first: the other core renders it in its waits while it
  ** sends the frame, so the cart's next sound call waits little */
  plat_audio_frame(&R8.machine, (int)n, device_quiet);
  if (kind == RP8_FRAME) plat_present(&R8.machine);
#else
  static int16_t samples[P8_AUDIO_RATE / 30 + 1];
  if (kind == RP8_FRAME) plat_present(&R8.machine);
  if (device_quiet)
    memset(samples, 0, n * sizeof samples[0]);   /* the synth stays where it was */
  else
    p8_audio_render(&R8.machine, samples, (int)n);
  plat_audio_push(samples, (int)n);
#endif
  uint32_t period = 1000000u / fps;
  uint32_t now = plat_time_us();
  R8.deadline_us += period;
  /* more than a frame late: start counting again from now */
  if ((int32_t)(now - R8.deadline_us) > (int32_t)period) R8.deadline_us = now + period;
  plat_wait_until(R8.deadline_us);
}

}  // namespace

/* ------------------------------------------------------------------ the C interface */

extern "C" void rp8_select_cart(const void *code, const uint8_t rom[RP8_ROM_DATA]) {
  R8.code = (const Cart *)code;
  R8.rom = rom;
}

extern "C" int rp8_boot(uint32_t seed_raw, const char *param) {
  R8.seed = seed_raw;
  R8.frames = 0;
  R8.live_peak = R8.L.live_peak = 0;
  memset(R8.peak_census, 0, sizeof R8.peak_census);
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
  if (R8.pending) {
    R8.pending = false;
    return failed();
  }
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

extern "C" void rp8_pin_stat0(int32_t kib_fix) {
  R8.stat0_pinned = true;
  R8.stat0_pin = (fix32)kib_fix;
  R8.host.stat0_pinned = true;
  R8.host.stat0_pin = (fix32)kib_fix;
}

/* ------------------------------------------------------------------ the pause menu */

extern "C" const char *rp8_menu_label(int i, size_t *len) {
  State *L = &R8.L;
  *len = 0;
  if (R8.phase != PH_RUN || i < 1 || i > 5 || L->host->menu.tag != T_TABLE) return 0;
  Value label = rt_rawgetint(L, tab(L, L->host->menu), 2 * i - 1);
  if (label.tag != T_STR) return 0;
  *len = str(L, label)->len;
  return strdata(str(L, label));
}

/* The callback runs between frames on the host's side (rt_co_host_call):
** flip() has no frame to end there, so it is an error, as yield is; an
** error only closes the menu (as in the player), but run(), stop() and
** load() end the cart as they would in a frame. */
extern "C" int rp8_menu_call(int i, int buttons) {
  State *L = &R8.L;
  Host *h = L->host;
  if (R8.phase != PH_RUN || R8.pending || i < 1 || i > 5 || h->menu.tag != T_TABLE) return 0;
  Value fn = rt_rawgetint(L, tab(L, h->menu), 2 * i);
  if (fn.tag != T_FUNC) return 0;
  /* buttons the item filters out (bits 0xff00 of its menuitem index) */
  Value filter = rt_rawgetint(L, tab(L, h->menu), 10 + i);
  if (filter.tag == T_NUM) buttons &= ~P8_INT((fix32)filter.bits);
  if (buttons == 0) return 1;                    /* nothing reached it: stay open */
  void (*flip)(State *) = h->flip;
  h->flip = 0;
  h->frame_start_us = plat_time_us();
  Value result;
  rt_rawsetint(L, h->menu, 0, num(P8_FIX(i)));   /* menuitem(nil, ...) means item i */
  int failed_call = rt_co_host_call(L, &R8.cart, fn, num(P8_FIX(buttons)), &result);
  if (h->menu.tag == T_TABLE) rt_rawsetint(L, h->menu, 0, nil());
  h->flip = flip;
  if (failed_call != 0) {
    if (h->abort_kind != 0) {
      cart_failed(L);
      R8.pending = true;
    }
    return 0;
  }
  return truthy(result) ? 1 : 0;
}

extern "C" int rp8_abort(const char *why) {
#if RP8_CPU_MODEL
  rt_cpu_abort(why);
  return 0;
#else
  (void)why;
  return -1;
#endif
}

extern "C" int rp8_cpu_model(void) { return RP8_CPU_MODEL; }

extern "C" int64_t rp8_cpu_frame_half(void) {
#if RP8_CPU_MODEL
  return rt_cpu_frame_half();
#else
  return -1;
#endif
}

extern "C" int rp8_cpu_counts(int64_t *units, int64_t *sys_ticks) {
#if RP8_CPU_MODEL
  *units = rt_cpu_used();
  *sys_ticks = rt_cpu.sys;
  return 0;
#else
  *units = *sys_ticks = 0;
  return -1;
#endif
}

extern "C" p8_state *rp8_machine(void) { return &R8.machine; }
extern "C" int rp8_fps(void) { return R8.host.fps == 60 ? 60 : 30; }
extern "C" uint32_t rp8_frame_age_us(void) { return plat_time_us() - R8.host.frame_start_us; }
extern "C" const char *rp8_message(size_t *len) {
  *len = R8.message_len;
  return R8.message;
}
extern "C" uint32_t rp8_memory_used(void) { return R8.L.used; }
extern "C" uint32_t rp8_frames(void) { return R8.frames; }

/* Measuring the Lua heap a cart needs (rp8 build, rp8 compat): the desktop's
** arena has the device's object layout, so a run capped at a device's arena
** size meets "out of memory" where the device would. Both settings apply
** from the next boot on. */
extern "C" void rp8_set_heap_limit(uint32_t bytes) { R8.heap_limit = bytes & ~7u; }
extern "C" void rp8_set_gc_step(uint32_t bytes) { R8.gc_step = bytes; }
/* The live heap by object type (O_* order; free blocks at 0), after a
** collection; 0 when the cart is over. */
extern "C" int rp8_heap_census(uint32_t bytes[O_NTYPES], uint32_t blocks[O_NTYPES]) {
  State *L = &R8.L;
  if (R8.phase != PH_RUN || L->gc_blocked != 0) return 0;
  rt_census(L, bytes, blocks);
  return 1;
}
extern "C" uint32_t rp8_heap_peak(void) {
  State *L = &R8.L;
  if (R8.phase == PH_RUN && L->gc_blocked == 0) rt_collect(L);   /* what is live now counts too */
  return L->live_peak > R8.live_peak ? L->live_peak : R8.live_peak;
}
extern "C" uint32_t rp8_coroutine_peak(void) { return rt_co_peak(); }

/* What rp8_heap_peak's bytes were made of, by object type (O_* order; at
** O_FREE the free bytes between them then), when measured with a gc_step. */
extern "C" void rp8_heap_peak_census(uint32_t bytes[O_NTYPES]) {
  const uint32_t *c = R8.L.live_peak > R8.live_peak ? R8.boot_census : R8.peak_census;
  memcpy(bytes, c, sizeof R8.peak_census);
}

#if RP8_PAUSE_MENU
/* ------------------------------------------------------------------ the device's pause menu */

/* Firmware builds (RP8_PAUSE_MENU=1) open PICO-8's pause menu with the
** board's pause button: platform/common/rp8_menu.c draws and runs it over
** the cart's screen, through rp8_menu_label and rp8_menu_call above. */
extern "C" {
#include "rp8_menu.h"
}

namespace {

rp8_menu menu;

int menu_item(void *ctx, int i, uint8_t *label, int max) {
  (void)ctx;
  size_t n;
  const char *s = rp8_menu_label(i, &n);
  if (s == 0) return -1;
  if (n > (size_t)max) n = (size_t)max;
  memcpy(label, s, n);
  return (int)n;
}

/* -1 when run(), stop() or load() in the callback ends this cart. */
int menu_call(void *ctx, int i, int buttons) {
  (void)ctx;
  int keep = rp8_menu_call(i, buttons);
  return R8.pending || R8.phase != PH_RUN ? -1 : keep;
}

/* The menu's turn before a device frame (it may hide buttons from the
** cart): true when it took the frame. */
bool pause_menu(uint8_t masks[8]) {
  static bool ready;
  if (!ready) {
    rp8_menu_cart cart = {menu_item, menu_call, 0};
    rp8_menu_init(&menu, &cart);
    ready = true;
  }
  uint32_t b = masks[0];
  p8_audio_sync(&R8.machine);    /* the menu puts back 0x5f00-0x5f7f */
  int r = rp8_menu_frame(&menu, &R8.machine, &b);
  masks[0] = (uint8_t)b;
  device_quiet = r == RP8_MENU_SHOW || !menu.sound;
  if (r == RP8_MENU_SHOW) {
    device_frame_done(RP8_FRAME);
    return true;
  }
  if (r == RP8_MENU_RESET) rp8_boot(R8.seed, 0);
  return false;
}

}  // namespace
#endif

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
  rp8_boot(plat_seed != 0 ? plat_seed() : 0, 0);
  R8.deadline_us = plat_time_us();
  uint8_t masks[8];
  for (;;) {
    read_buttons(masks);
#if RP8_PAUSE_MENU
    if (pause_menu(masks)) continue;
#endif
    int r = rp8_frame(masks);
    if (r == RP8_FRAME || r == RP8_SKIP) {
      device_frame_done(r);
      continue;
    }
    /* load(): the platform boots the cart it holds the request for */
    if (r == RP8_LOAD && plat_cart_boot != 0 && plat_cart_boot() == 0) continue;
    if (r == RP8_ERROR) show_error();
    plat_present(&R8.machine);
    /* the cart is over: keep the last picture, keep the sound going */
    for (;;) device_frame_done(RP8_SKIP);
  }
}
