/*
** rt_cpu.h -- PICO-8's CPU model for compiled carts: the desktop
** interpreter's model (console/desktop/host_lua.lua), bit for bit, so
** stat(1), frames cut when their budget is spent, and _draw skipped after
** an over-budget frame happen at the same points in both.
**
** The model. The C++ back end counts each basic block's units where the
** block starts (RP8_COST), with the numbers and
** places aot/costs.py gives both back ends; API builtins add PICO-8's
** system ticks to rt_cpu.sys (RP8_SYS). One unit is half a tick
** (host_lua.lua's VM_TICKS = 0.5), so a frame's cost is kept exact in half
** ticks: units + 2 * sys, minus the same sum when the frame began. A frame's
** budget is 2^22 / fps ticks, 2^23 / fps half ticks. The interpreter
** computes with doubles; every comparison it makes is restated here on
** integers (rt_cpu.cpp says why each is the same).
**
** RP8_CPU_MODEL selects the model at compile time. Desktop builds (x86-64:
** platform/host, `rp8 run --aot`, the differential tests) count by
** default; ARM builds (bench images, firmware) do not: there stat(1), the
** frame cut and the runaway limit use the clock (rt_host.cpp's rt_tick),
** and counting would only slow the device. Both the runtime library and
** the cart must be compiled with the same setting.
*/
#ifndef rt_cpu_h
#define rt_cpu_h

#include "rp8rt.h"

#ifndef RP8_CPU_MODEL
#if defined(__arm__)
#define RP8_CPU_MODEL 0
#else
#define RP8_CPU_MODEL 1
#endif
#endif

namespace rp8 {

/* host_lua.lua's TICKS and SLICE: system ticks per second, and counted
** units between calls to the host (the runaway check). */
enum : int64_t { CPU_TICKS = 4194304, CPU_SLICE = 1048576 };

/* The units counted since boot are `limit - left`: a block subtracts its
** units from `left`, and when that reaches 0 (the count reached `limit`)
** rt_cpu_limit looks at the frame. One memory operand and a sign test per
** block is all the model costs a compiled cart between looks. */
struct Cpu {
  int64_t left;         /* units until limit; <= 0: rt_cpu_limit's turn */
  int64_t limit;        /* the count at which rt_cpu_limit looks next */
  int64_t next_slice;   /* the count at which the host gets its turn (poll) */
  int64_t sys;          /* system ticks of API calls since boot */
  int64_t mark;         /* units + 2 * sys when this frame began */
  int64_t sys_mark;     /* sys when this frame began (stat(2)) */
  bool aborted;         /* the host stopped the cart: every block raises */
  char reason[200];     /* why, for the error message */
  /* The frame loop's services; null where there is none (a test program
  ** running a main chunk): no frame to cut, no host to ask. */
  void (*cut)(State *L);                      /* end the frame here, presented */
  const char *(*poll)(int64_t half_ticks);    /* the host's turn: null, or why to stop */
};

/* hidden: the generated code reaches it directly, not through a shared
** library's symbol table */
extern Cpu rt_cpu __attribute__((visibility("hidden")));

/* A fresh count (power-on, run()); the frame loop's services are kept. */
void rt_cpu_reset(void);
/* A frame begins: its cost counts from here. */
void rt_cpu_begin_frame(void);
/* Units counted since boot. */
inline int64_t rt_cpu_used(void) { return rt_cpu.limit - rt_cpu.left; }
/* This frame's cost so far, in half system ticks. */
inline int64_t rt_cpu_frame_half(void) { return rt_cpu_used() + 2 * rt_cpu.sys - rt_cpu.mark; }
/* Is this frame over its budget at `fps` (30 or 60)? */
bool rt_cpu_over_budget(int fps);
/* stat(1) (n == 1) or stat(2): this frame's CPU use as a fraction of its
** budget, as the interpreter rounds it. */
fix32 rt_cpu_stat(int n, int fps);
/* Stop the cart at its next counted block (the window closed between
** frames); the message is "<cart>: <why>". */
void rt_cpu_abort(const char *why);
/* The count reached limit: cut the frame, ask the host, or raise the abort. */
void rt_cpu_limit(State *L);

/* The costs of the API rows rt_lib.cpp and rt_host.cpp write by hand over
** Lua values (aot/api.py hand_costed_rows), generated into rt_api.cpp
** from aot/api.py (aot/cpp_api.py), over converted arguments. */
int64_t rt_cost_print(size_t str_len);
int64_t rt_cost_tline(fix32 x0, fix32 y0, fix32 x1, fix32 y1);
int64_t rt_cost_reload(fix32 len, int argc);

inline void rt_count(State *L, int64_t n) {
  if ((rt_cpu.left -= n) <= 0) rt_cpu_limit(L);
}

/* A value of an API call the compiler inlined (sqrt), with the call's
** system ticks. */
#if RP8_CPU_MODEL
inline fix32 rt_charge(int64_t ticks, fix32 v) {
  rt_cpu.sys += ticks;
  return v;
}
#else
inline fix32 rt_charge(int64_t, fix32 v) { return v; }
#endif

}  // namespace rp8

/* What the generated code and the builtins write. RP8_COST(L, n) at a
** block's start, RP8_TICK(L) at every loop back-edge and backward goto (the
** clock's look when there is no model), RP8_SYS(n) in a builtin: n is not
** evaluated without the model. */
#if RP8_CPU_MODEL
#define RP8_COST(L, n) ::rp8::rt_count((L), (n))
#define RP8_TICK(L) ((void)0)
#define RP8_SYS(n) ((void)(::rp8::rt_cpu.sys += (int64_t)(n)))
#else
#define RP8_COST(L, n) ((void)0)
#define RP8_TICK(L) ::rp8::rt_tick(L)
#define RP8_SYS(n) ((void)0)
#endif

#endif
