/*
** rt_cpu.cpp -- the CPU model's slow path and its arithmetic (rt_cpu.h).
**
** The interpreter (console/desktop/host_lua.lua) keeps the counter `used`
** and the API's `cpu.sys` as doubles and compares frame_cost = used * 0.5 +
** sys - frame_mark with the budget TICKS / fps, itself a double. Here the
** same quantities are integers in half ticks (fc2 = 2 * frame_cost), and
** every test is the exact rational one. They agree because:
**  - frame_cost is a multiple of 1/2 and exact in a double (below 2^52);
**  - TICKS / fps = 2^22 / 30 or 2^22 / 60 is no multiple of 1/2: it lies at
**    least 1/15 away from any, while its double is off by less than 2^-35,
**    so "frame_cost > budget" is fc2 * fps > 2^23 whatever the rounding;
**  - to_budget = (budget - frame_cost) / 0.5 has the fraction .27 (30 fps)
**    or .13 (60 fps), so used + to_budget is crossed by the integer counter
**    exactly when used >= used0 + ceil(2^23 / fps) - fc2, and "< 1" is
**    (fc2 + 1) * fps > 2^23;
**  - stat(1) = floor(frame_cost / budget * 65536) / 65536: the double
**    budget is below 2^22 / fps by a relative 2^-56 or so, which moves the
**    quotient up by far less than the 1/64 between its possible values, and
**    a rounded quotient never drops below a value a double can hold, so the
**    result is floor(fc2 * fps / 128) exactly (stat(2) likewise floor(sys *
**    fps / 64)).
*/
#include "rt_cpu.h"

/* nothing here without the model: a device keeps its RAM */
#if RP8_CPU_MODEL

namespace rp8 {

Cpu rt_cpu;

void rt_cpu_reset(void) {
  Cpu &c = rt_cpu;
  c.left = CPU_SLICE;
  c.limit = CPU_SLICE;
  c.next_slice = CPU_SLICE;
  c.sys = 0;
  c.mark = 0;
  c.sys_mark = 0;
  c.aborted = false;
  c.reason[0] = 0;
}

void rt_cpu_begin_frame(void) {
  rt_cpu.mark = rt_cpu_used() + 2 * rt_cpu.sys;
  rt_cpu.sys_mark = rt_cpu.sys;
}

bool rt_cpu_over_budget(int fps) { return rt_cpu_frame_half() * fps > 2 * CPU_TICKS; }

fix32 rt_cpu_stat(int n, int fps) {
  int64_t raw = n == 1 ? rt_cpu_frame_half() * fps / 128 : (rt_cpu.sys - rt_cpu.sys_mark) * fps / 64;
  const int64_t top = (int64_t)32767 << 16;
  if (raw > top) raw = top;
  if (raw < 0) raw = 0;
  return (fix32)raw;
}

void rt_cpu_abort(const char *why) {
  Cpu &c = rt_cpu;
  size_t n = 0;
  while (why[n] && n + 1 < sizeof c.reason) {
    c.reason[n] = why[n];
    n++;
  }
  c.reason[n] = 0;
  c.aborted = true;
  /* every counted block from now on reaches the limit, and raises */
  c.limit = rt_cpu_used();
  c.left = 0;
}

/* Stopped by the host: an abort no coroutine boundary stops (rt_co.cpp
** passes HOST_LIMIT throws on), named after the cart as the interpreter
** names it. */
[[noreturn]] static void raise_abort(State *L) {
  L->host->abort_kind = HOST_LIMIT;
  rt_error(L, ~0u, "%s: %s", L->cart != 0 ? L->cart->name : "cart", rt_cpu.reason);
}

/* host_lua.lua's over_limit(), step for step. */
void rt_cpu_limit(State *L) {
  Cpu &c = rt_cpu;
  if (c.aborted) raise_abort(L);
  Host *h = L->host;
  const int64_t fps = h->fps == 60 ? 60 : 30;
  /* PICO-8 manual, flip(): a frame whose time is up (outside _draw) is
  ** shown as drawn so far, and the cart goes on in the next frame */
  if (!h->in_draw && c.cut != 0 && rt_cpu_over_budget((int)fps)) c.cut(L);
  /* read after the cut: between frames a pause-menu callback may have run
  ** (and counted) cart code */
  const int64_t used = rt_cpu_used();
  if (used >= c.next_slice) {
    const char *why = c.poll != 0 ? c.poll(rt_cpu_frame_half()) : 0;
    if (why != 0) {
      rt_cpu_abort(why);
      raise_abort(L);
    }
    c.next_slice = used + CPU_SLICE;
  }
  /* the next look: where this frame's budget runs out, or a slice on */
  int64_t fc2 = rt_cpu_frame_half();
  int64_t limit = used + CPU_SLICE;
  bool short_of_one = (fc2 + 1) * fps > 2 * CPU_TICKS;
  if (!h->in_draw && !short_of_one && (CPU_SLICE + fc2) * fps > 2 * CPU_TICKS)
    limit = used - fc2 + (2 * CPU_TICKS + fps - 1) / fps;
  if (c.next_slice < limit) limit = c.next_slice;
  c.limit = limit;
  c.left = limit - used;
}

}  // namespace rp8

#endif
