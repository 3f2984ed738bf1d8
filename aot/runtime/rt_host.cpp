/*
** rt_host.cpp -- the PICO-8 functions that belong to the console around the
** cart rather than to the engine: the buttons' and the clock's frame feed,
** the host primitives of the BIOS (stat's figures, the pause menu's store),
** flip's and holdframe's, cartdata's and printh's store, run/stop/load,
** and another cart's ROM for reload.
**
** They read and write L->host, which the frame loop (aot/runner) fills;
** of the platform they call only the optional (weak) hooks for files and
** other carts (platform.h), so the runtime library links without one. Behaviour
** follows the desktop player (console/desktop/host_lua.lua and
** api_lua.lua); the rules of stat, cartdata, printh, load... are the
** BIOS's (aot/bios.lua), over the host_* primitives here.
*/
#include "rp8rt.h"
#include "platform.h"
#include "rt_cpu.h"

extern "C" {
#include "p8_gfx.h"
}

namespace rp8 {

static inline Value arg(Value *R, int nargs, int i) { return i < nargs ? R[i] : nil(); }
static inline int ret1(Value *R, Value v) {
  R[-1] = v;
  return 1;
}

/* A number argument as the player's API reads it: numbers, numeric strings,
** and 0 for anything else (nil included). */
static fix32 hnum(State *L, Value v) {
  if (v.tag == T_NUM) return (fix32)v.bits;
  fix32 x;
  if (v.tag == T_STR && rt_str2num(L, v, 0, &x)) return x;
  return 0;
}
static inline int32_t hint(State *L, Value v) { return p8_fixi_int(hnum(L, v)); }

/* ------------------------------------------------------------------ buttons, time */

/* btn, btnp and time() are the engine's (p8_input.c), bound in rt_api.cpp;
** the runner feeds them at the start and end of each frame. */
void rt_host_buttons(State *L, const uint8_t masks[8]) {
  uint32_t lo = 0, hi = 0;
  for (int p = 0; p < 4; p++) {
    lo |= (uint32_t)masks[p] << (8 * p);
    hi |= (uint32_t)masks[p + 4] << (8 * p);
  }
  p8_input_frame(L->p8, lo, hi, L->host->fps);
}

void rt_host_tick(State *L) {
  Host *h = L->host;
  p8_clock_tick(L->p8, h->fps);
  h->frames++;
}

/* ------------------------------------------------------------------ stat */

/* The date stat(80..95) reports: the console's clock is the frame count,
** one second per 30 frames from 2000-01-01 00:00:00 (the player's
** fixed-clock mode; targets have no calendar clock). */
static void clock_fields(uint32_t secs, int32_t out[6]) {
  uint32_t days = secs / 86400u, rem = secs % 86400u;
  int32_t y = 2000;
  for (;;) {
    uint32_t ylen = (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)) ? 366u : 365u;
    if (days < ylen) break;
    days -= ylen;
    y++;
  }
  static const uint8_t mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
  int32_t m = 0;
  for (;;) {
    uint32_t ml = mdays[m] + (m == 1 && leap ? 1u : 0u);
    if (days < ml) break;
    days -= ml;
    m++;
  }
  out[0] = y;
  out[1] = m + 1;
  out[2] = (int32_t)days + 1;
  out[3] = (int32_t)(rem / 3600u);
  out[4] = (int32_t)(rem / 60u % 60u);
  out[5] = (int32_t)(rem % 60u);
}

#if !RP8_CPU_MODEL
/* CPU use as a fraction of the frame without the CPU model (rt_cpu.h):
** measured time on this machine. */
static fix32 cpu_fraction(State *L) {
  Host *h = L->host;
  if (h->time_us == 0) return 0;
  uint32_t spent = h->time_us() - h->frame_start_us;
  uint32_t budget = 1000000u / (uint32_t)(h->fps == 60 ? 60 : 30);
  uint32_t whole = spent / budget, frac = spent % budget;
  if (whole > 32767u) return P8_FIX(32767);
  /* frac < budget <= 33334, so frac << 16 fits in 32 bits */
  return p8_fixi_wrap((whole << 16) + (frac << 16) / budget);
}
#endif

/* The host primitives of the BIOS's stat (aot/bios.lua holds the table of
** numbers; aot/api.py HOST_PRIMITIVES says what each is). */
int bi_host_memory(State *L, Value *R, int nargs) {
  (void)nargs;
  Host *h = L->host;
  if (h->stat0_pinned) return ret1(R, num(h->stat0_pin));
  /* Lua memory in use, in KiB */
  uint32_t kib = L->used / 1024u, frac = (L->used % 1024u) * 64u;
  return ret1(R, num(p8_fixi_wrap((kib << 16) + frac)));
}

int bi_host_cpu(State *L, Value *R, int nargs) {
  int32_t n = hint(L, arg(R, nargs, 0));
#if RP8_CPU_MODEL
  return ret1(R, num(rt_cpu_stat(n == 2 ? 2 : 1, L->host->fps)));
#else
  (void)n;
  return ret1(R, num(cpu_fraction(L)));
#endif
}

/* a compiled cart's console paces at the rate the game loop picks */
int bi_host_fps(State *L, Value *R, int nargs) {
  (void)nargs;
  return ret1(R, num(P8_FIX(L->host->fps == 60 ? 60 : 30)));
}

int bi_host_fps_actual(State *L, Value *R, int nargs) { return bi_host_fps(L, R, nargs); }

int bi_host_param(State *L, Value *R, int nargs) {
  (void)nargs;
  Host *h = L->host;
  return ret1(R, isnil(h->param) ? L->s_empty : h->param);
}

int bi_host_clipboard(State *L, Value *R, int nargs) {
  (void)nargs;
  Host *h = L->host;
  return ret1(R, isnil(h->clipboard) ? L->s_empty : h->clipboard);
}

int bi_host_breadcrumb(State *L, Value *R, int nargs) {
  (void)nargs;
  size_t len = 0;
  const char *crumb = plat_breadcrumb != 0 ? plat_breadcrumb(&len) : 0;
  return ret1(R, crumb != 0 ? rt_str(L, crumb, len) : nil());
}

/* no keyboard or mouse on a compiled cart's console */
int bi_host_key(State *L, Value *R, int nargs) {
  (void)nargs;
  return ret1(R, L->s_empty);
}

int bi_host_mouse(State *L, Value *R, int nargs) {
  (void)L;
  (void)nargs;
  return ret1(R, num(0));
}

int bi_host_clock(State *L, Value *R, int nargs) {
  int32_t n = hint(L, arg(R, nargs, 0)), f[6];
  if (n % 10 > 5) return ret1(R, num(0));
  clock_fields(L->host->frames / 30u, f);
  return ret1(R, num(P8_FIX(f[n % 10 < 0 ? 0 : n % 10])));
}

/* ------------------------------------------------------------------ frames */

/* host_flip(): the BIOS's flip and print's frame waits; false where
** nothing can present (a plain program, host_main.cpp) */
int bi_host_flip(State *L, Value *R, int nargs) {
  (void)nargs;
  if (L->host->flip == 0) return ret1(R, boolean(false));
  L->host->flip(L);
  return ret1(R, boolean(true));
}

/* PICO-8 manual, flip(): "If your program does not call flip before a
** frame is up, and a _draw() callback is not in progress, the current
** contents of the back buffer are copied to screen." Without the CPU model
** (rt_cpu.h: device builds) a frame is up when its time (1/fps s on this
** machine's clock) is spent; loops check every TICK_PERIOD iterations, and
** more often when the frame's time left would run out before the next
** look: on a 250 MHz M0+ 4096 iterations of a heavy loop body (a circle,
** atan2 and a fractional power each) take 280 ms. */
void rt_tick_slow(State *L) {
  Host *h = L->host;
  uint32_t ran = h->tick_run != 0 ? h->tick_run : TICK_PERIOD;
  L->ticks = TICK_PERIOD;
  h->tick_run = 0;
  if (h->time_us == 0) return;
  uint32_t now = h->time_us();
  uint32_t spent = now - h->frame_start_us;
  uint32_t since = now - h->tick_us;
  h->tick_us = now;
  if (h->frame_limit_us != 0 && spent > h->frame_limit_us) {
    h->abort_kind = HOST_LIMIT;
    rt_error(L, L->site, "the cart ran for more than %d ms without finishing a frame (an endless loop?)",
             (int)(h->frame_limit_us / 1000u));
  }
  if (h->in_draw || h->flip == 0) return;
  uint32_t budget = 1000000u / (uint32_t)(h->fps == 60 ? 60 : 30);
  uint32_t left = budget - spent;
  if (spent > budget) {
    h->flip(L);
    left = budget;                     /* back here in the next frame */
  }
  /* as many iterations as fit half the time left at the pace since the
  ** last look (`ran` of them in `since` us; the product is below 33334 *
  ** 4096 < 2^32), plus one: iterations differ in cost, so the looks come
  ** closer as the end nears rather than once at the estimated end */
  if (since != 0) {
    uint32_t n = left / 2u * ran / since + 1;
    if (n < TICK_PERIOD) {
      L->ticks = n;
      h->tick_run = n;
    }
  }
}

/* host_update60(): whether the cart defines _update60, for the BIOS's
** _set_fps */
int bi_host_update60(State *L, Value *R, int nargs) {
  (void)nargs;
  return ret1(R, boolean(!isnil(rt_getglobal(L, "_update60"))));
}

/* host_holdframe(): the BIOS's holdframe */
int bi_host_holdframe(State *L, Value *R, int nargs) {
  (void)R;
  (void)nargs;
  L->host->hold = true;
  return 0;
}

/* run() and stop() end the cart's code: a throw the frame loop recognises
** by abort_kind (no pcall in a cart can catch it: compiled carts have
** none). */
[[noreturn]] static void host_abort(State *L, int kind, Value msg) {
  L->host->abort_kind = kind;
  rt_throw(L, msg);
}

/* host_run(param), host_stop(message): strings (the BIOS converts) */
int bi_host_run(State *L, Value *R, int nargs) {
  L->host->param = arg(R, nargs, 0);
  host_abort(L, HOST_RUN, L->s_empty);
}

int bi_host_stop(State *L, Value *R, int nargs) {
  Value m = arg(R, nargs, 0);
  host_abort(L, HOST_STOP, m.tag == T_STR ? m : L->s_empty);
}

/* host_back(): back to the cart that loaded this one with a breadcrumb;
** returns when there is none */
int bi_host_back(State *L, Value *R, int nargs) {
  (void)R;
  (void)nargs;
  size_t clen;
  if (plat_breadcrumb != 0 && plat_breadcrumb(&clen) != 0 && plat_cart_load(0, 0, 0, 0, 0, "", 0) == 0)
    host_abort(L, HOST_LOAD, L->s_empty);
  return 0;
}

/* host_extcmd(cmd, arg): screenshots, recording, the pause menu: no such
** devices here */
int bi_host_extcmd(State *L, Value *R, int nargs) {
  (void)L;
  (void)R;
  (void)nargs;
  return 0;
}

/* host_load(filename, breadcrumb or nil, param): false when there is no
** such cart (as PICO-8); else the platform keeps the request and the
** cart's code ends here, for the host to boot the other cart. Devices
** have no cart files: an error, never a silent false. */
int bi_host_load(State *L, Value *R, int nargs) {
  if (plat_cart_load == 0) rt_unsupported(L, bare(L->site), "load() of another cart on a device");
  Value file = arg(R, nargs, 0), crumb = arg(R, nargs, 1), param = arg(R, nargs, 2);
  String *f = str(L, file.tag == T_STR ? file : L->s_empty);
  String *c = str(L, crumb.tag == T_STR ? crumb : L->s_empty);
  String *p = str(L, param.tag == T_STR ? param : L->s_empty);
  if (plat_cart_load(strdata(f), f->len, strdata(c), c->len, crumb.tag == T_STR, strdata(p), p->len) != 0)
    return ret1(R, boolean(false));
  host_abort(L, HOST_LOAD, L->s_empty);
}

/* The pause menu's store for the BIOS's menuitem (aot/bios.lua holds
** its rules), kept in a table (a root) for the pause menu (rp8_runner.cpp's
** rp8_menu_*): item i's label and callback at 2i-1 and 2i, and at 10+i the
** buttons that may not trigger it. While a callback runs, rp8_menu_call
** keeps its item at key 0: host_menu_current() returns it (or nil). */
int bi_host_menu_current(State *L, Value *R, int nargs) {
  (void)nargs;
  Host *h = L->host;
  return ret1(R, isnil(h->menu) ? nil() : rt_rawgetint(L, tab(L, h->menu), 0));
}

/* host_menu_set(i, [label, callback, filter]): i is 1-5 (the BIOS checks) */
int bi_host_menu_set(State *L, Value *R, int nargs) {
  Host *h = L->host;
  int32_t i = hint(L, arg(R, nargs, 0));
  if (i < 1 || i > 5) return 0;
  if (isnil(h->menu)) h->menu = rt_newtable(L, 15, 1);
  Value label = arg(R, nargs, 1);
  rt_rawsetint(L, h->menu, 2 * i - 1, label);
  rt_rawsetint(L, h->menu, 2 * i, isnil(label) ? nil() : arg(R, nargs, 2));
  rt_rawsetint(L, h->menu, 10 + i, isnil(label) ? nil() : num(P8_FIX(hint(L, arg(R, nargs, 3)))));
  return 0;
}

/* ------------------------------------------------------------------ cartdata */

/* host_cartdata(id): the BIOS's cartdata checked the id (nil: an invalid
** one, which opens nothing); nil when cartdata was called before. */
int bi_host_cartdata(State *L, Value *R, int nargs) {
  Host *h = L->host;
  if (h->have_cartdata) return ret1(R, nil());
  h->have_cartdata = true;
  Value id = arg(R, nargs, 0);
  if (id.tag != T_STR || str(L, id)->len > 64) return ret1(R, boolean(false));
  String *s = str(L, id);
  memcpy(h->cart_id, strdata(s), s->len);
  h->cart_id[s->len] = 0;
  h->cartdata_open = true;
  uint8_t *area = L->p8->ram + P8_MEM_CARTDATA;
  bool existed = h->cartdata_load != 0 && h->cartdata_load(h->cart_id, area) == 0;
  if (!existed) memset(area, 0, 256);
  memcpy(h->cartdata_saved, area, 256);
  return ret1(R, boolean(existed));
}

/* ------------------------------------------------------------------ printh */

int bi_host_printh(State *L, Value *R, int nargs) {
  Value s = arg(R, nargs, 0);
  if (L->write && s.tag == T_STR) {
    String *x = str(L, s);
    L->write(L->ud, 1, strdata(x), x->len);
    L->write(L->ud, 1, "\n", 1);
  }
  return 0;
}

/* host_printh_file(s, filename, overwrite): nil, or the host's error */
int bi_host_printh_file(State *L, Value *R, int nargs) {
  Value s = arg(R, nargs, 0), file = arg(R, nargs, 1);
  if (L->host->printh_file == 0) rt_unsupported(L, bare(L->site), "printh to a file on this console");
  if (s.tag != T_STR || file.tag != T_STR) return ret1(R, nil());
  String *x = str(L, s), *f = str(L, file);
  const char *err = L->host->printh_file(strdata(f), f->len, strdata(x), x->len, truthy(arg(R, nargs, 2)));
  return ret1(R, err != 0 ? rt_cstr(L, err) : nil());
}

int bi_host_set_clipboard(State *L, Value *R, int nargs) {
  L->host->clipboard = arg(R, nargs, 0);
  return 0;
}

/* ------------------------------------------------------------------ cart ROM */

/* host_stage_rom(filename): another cart's ROM, which the platform reads
** (the player: relative to the running cart's folder), staged for the
** BIOS's reload to copy from at once (p8_reload_other); false when there is
** no such cart. A platform without other carts (a device) says so. */
int bi_host_stage_rom(State *L, Value *R, int nargs) {
  if (plat_cart_rom == 0) rt_unsupported(L, bare(L->site), "reload() from another cart file on a device");
  Value file = arg(R, nargs, 0);
  String *f = str(L, file.tag == T_STR ? file : L->s_empty);
  size_t len = 0;
  const uint8_t *rom = plat_cart_rom(strdata(f), f->len, &len);
  if (rom == 0) return ret1(R, boolean(false));
  p8_stage_rom(L->p8, rom, len);
  return ret1(R, boolean(true));
}

/* ------------------------------------------------------------------ glyph globals */

/* P8SCII 0x80-0x99 as global names: their values are aot/builtins.py
** GLYPH_GLOBALS, generated into rt_api.cpp as raw fix32 bits. */
void rt_open_glyphs(State *L, Value t) {
  Value *s = L->top;
  rt_checkstack(L, s, 2);
  s[0] = t;
  L->top = s + 2;
  for (int i = 0; i < 26; i++) {
    char name = (char)(0x80 + i);
    s[1] = rt_str(L, &name, 1);
    rt_rawset(L, t, s[1], num(RT_GLYPH_RAW[i]), 0);
  }
  L->top = s;
}

/* ------------------------------------------------------------------ registry */

/* coroutines live in rt_co.cpp */
int bi_cocreate(State *L, Value *R, int nargs);
int bi_coresume(State *L, Value *R, int nargs);
int bi_costatus(State *L, Value *R, int nargs);
int bi_yield(State *L, Value *R, int nargs);

extern const Builtin HOST_BUILTINS[] = {
  {"(host_flip)", bi_host_flip},
  {"(host_holdframe)", bi_host_holdframe},
  {"(host_menu_current)", bi_host_menu_current},
  {"(host_menu_set)", bi_host_menu_set},
  {"(host_memory)", bi_host_memory},
  {"(host_cpu)", bi_host_cpu},
  {"(host_fps)", bi_host_fps},
  {"(host_fps_actual)", bi_host_fps_actual},
  {"(host_param)", bi_host_param},
  {"(host_breadcrumb)", bi_host_breadcrumb},
  {"(host_clipboard)", bi_host_clipboard},
  {"(host_key)", bi_host_key},
  {"(host_mouse)", bi_host_mouse},
  {"(host_clock)", bi_host_clock},
  {"(host_cartdata)", bi_host_cartdata},
  {"(host_printh)", bi_host_printh},
  {"(host_printh_file)", bi_host_printh_file},
  {"(host_set_clipboard)", bi_host_set_clipboard},
  {"(host_run)", bi_host_run},
  {"(host_stop)", bi_host_stop},
  {"(host_load)", bi_host_load},
  {"(host_back)", bi_host_back},
  {"(host_extcmd)", bi_host_extcmd},
  {"(host_update60)", bi_host_update60},
  {"(host_stage_rom)", bi_host_stage_rom},
  {"cocreate", bi_cocreate},
  {"coresume", bi_coresume},
  {"costatus", bi_costatus},
  {"yield", bi_yield},
};
extern const uint32_t NHOST_BUILTINS = sizeof HOST_BUILTINS / sizeof HOST_BUILTINS[0];

}  // namespace rp8
