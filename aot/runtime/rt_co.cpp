/*
** rt_co.cpp -- coroutines (cocreate, coresume, costatus, yield) and the
** runner's cart context, on stackful context switching.
**
** Compiled functions are C++ functions, so a coroutine that yields from
** inside nested calls needs its own C stack: each Lua coroutine takes a
** slot of a fixed pool the build sizes (RP8_CO_MAX slots of RP8_CO_CSTACK
** bytes of C stack and RP8_CO_SLOTS value slots), allocated by cocreate and
** given back when the coroutine dies or its handle is collected. No slot
** left (after a collection) is PICO-8's "out of memory".
**
** Values cross a switch by pointer: the side that switches passes the
** address and count of its values (still on its own, rooted, stack) and
** the side that wakes copies them onto its stack. Errors never cross a
** switch: every context has its own error boundary, and a coroutine that
** dies by an error hands the message to coresume as a value.
**
** The switch itself is rt_ctx.cpp.
*/
#include <stdlib.h>

#include "rp8rt.h"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#include <sanitizer/common_interface_defs.h>
#define RP8_ASAN 1
#endif

/* A C stack about to be used again still carries the poisoned redzones of
** frames that never returned (a coroutine abandoned mid-call): clear them. */
static void fresh_stack(uint8_t *base, size_t size) {
#if defined(__SANITIZE_ADDRESS__)
  __asan_unpoison_memory_region(base, size);
#else
  (void)base;
  (void)size;
#endif
}

/* Pool sizes: generous on a desktop (slots' stacks are made when first
** used, and pages a coroutine never reaches are never touched); on a
** microcontroller the firmware build sets them from its RAM budget (these
** defaults cost 4 x 6 KiB).
** Recursion ends with "stack overflow" when the value stack or the C stack
** (the guard, rt_ctx.h) runs out; the depth limit is only a backstop.
** RP8_CSTACK_MARGIN is the guard's margin: the deepest static chain of
** runtime and engine frames a compiled function can call without another
** check is about 1 KiB on the Cortex-M0+ (a builtin growing a table that
** runs out of memory, collects and reports it; GCC -fcallgraph-info=su),
** hence 1.5 KiB there; the desktop's 64 KiB also covers sanitizer builds. */
#if defined(__arm__)
#define RP8_CO_DEFAULT_MAX 4
#define RP8_CO_DEFAULT_CSTACK (4 * 1024)
#define RP8_CO_DEFAULT_SLOTS 256
#define RP8_CO_DEFAULT_DEPTH 1000
#define RP8_CSTACK_DEFAULT_MARGIN 1536
#else
/* a desktop makes stacks as slots are first used (below); a web page's
** pool is static, in its fixed wasm memory */
#if defined(__EMSCRIPTEN__)
#define RP8_CO_DEFAULT_MAX 16
#else
#define RP8_CO_DEFAULT_MAX 4096
#endif
#define RP8_CO_DEFAULT_CSTACK (1024 * 1024)
#define RP8_CO_DEFAULT_SLOTS 16384
#define RP8_CO_DEFAULT_DEPTH 200000
#define RP8_CSTACK_DEFAULT_MARGIN (64 * 1024)
#endif
#ifndef RP8_CO_MAX
#define RP8_CO_MAX RP8_CO_DEFAULT_MAX
#endif
#ifndef RP8_CO_CSTACK
#define RP8_CO_CSTACK RP8_CO_DEFAULT_CSTACK
#endif
#ifndef RP8_CO_SLOTS
#define RP8_CO_SLOTS RP8_CO_DEFAULT_SLOTS
#endif
#ifndef RP8_CO_MAX_DEPTH
#define RP8_CO_MAX_DEPTH RP8_CO_DEFAULT_DEPTH
#endif
#ifndef RP8_CSTACK_MARGIN
#define RP8_CSTACK_MARGIN RP8_CSTACK_DEFAULT_MARGIN
#endif
/* A call from the host's side (rt_co_host_call: a pause-menu callback) may
** take this much of the calling thread's stack before "stack overflow";
** the thread needs RP8_CSTACK_MARGIN more free below that. On a device
** that is core0's 4 KiB main stack, shared with interrupt handlers. */
#ifndef RP8_HOST_CALL_CSTACK
#if defined(__arm__)
#define RP8_HOST_CALL_CSTACK 1536
#else
#define RP8_HOST_CALL_CSTACK (512 * 1024)
#endif
#endif

#include "rt_ctx.h"

namespace rp8 {

/* ------------------------------------------------------------------ the pool */

struct Slot {
  Coro co;
  bool used;
};

/* A firmware build gives a cart that never names cocreate no pool at all
** (RP8_CO_MAX 0: the stacks are worth more as Lua heap); one unused slot of
** a few bytes keeps the code the same. */
#define RP8_CO_POOL (RP8_CO_MAX > 0 ? RP8_CO_MAX : 1)
static Slot pool[RP8_CO_POOL];

/* A desktop makes a slot's stacks the first time the slot is used and keeps
** them (malloc maps big blocks lazily, so a stack's untouched pages cost
** nothing): a cart may keep thousands of coroutines alive, as in PICO-8,
** where only its memory limit counts them. A device's stacks are static,
** sized by its build. */
#if !defined(RP8_CO_LAZY_STACKS)
#if defined(__arm__) || defined(__EMSCRIPTEN__)
#define RP8_CO_LAZY_STACKS 0
#else
#define RP8_CO_LAZY_STACKS 1
#endif
#endif
#if RP8_CO_LAZY_STACKS
static uint8_t *cstacks[RP8_CO_POOL];
static Value *vstacks[RP8_CO_POOL];

static bool slot_stacks(int k) {
  if (cstacks[k] == 0) cstacks[k] = (uint8_t *)aligned_alloc(16, RP8_CO_CSTACK);
  if (vstacks[k] == 0) vstacks[k] = (Value *)malloc(RP8_CO_SLOTS * sizeof(Value));
  return cstacks[k] != 0 && vstacks[k] != 0;
}
#else
alignas(16) static uint8_t cstacks[RP8_CO_POOL][RP8_CO_MAX > 0 ? RP8_CO_CSTACK : 16];
static Value vstacks[RP8_CO_POOL][RP8_CO_MAX > 0 ? RP8_CO_SLOTS : 1];

static bool slot_stacks(int k) {
  (void)k;
  return true;
}
#endif

/* The state whose context is starting (entry functions take no argument). */
static State *starting;
static void (*cart_body)(State *L);

/* The stack guard's floor for the host's context: 0 (its thread's stack is
** not ours to measure) except while rt_co_host_call runs a callback. */
static uintptr_t host_floor;

static uintptr_t floor_of(const Coro *c) {
  if (c->cbase == 0) return host_floor;
  return (uintptr_t)c->cbase + (c->csize > 2 * RP8_CSTACK_MARGIN ? RP8_CSTACK_MARGIN : c->csize / 2);
}

/* ------------------------------------------------------------------ switching */

#if RP8_ASAN
static Coro *asan_from;
static void asan_finish(void *fake) {
  const void *bottom;
  size_t size;
  __sanitizer_finish_switch_fiber(fake, &bottom, &size);
  if (asan_from != 0 && asan_from->cbase == 0) {
    asan_from->cbase = (uint8_t *)const_cast<void *>(bottom);
    asan_from->csize = size;
  }
}
#endif

/* Leave `from` (saving State's part of it) for `to`; returns when someone
** switches back to `from`. A context that never comes back (a dead
** coroutine) passes dying. */
static void switch_to(State *L, Coro *from, Coro *to, bool dying) {
  from->top = L->top;
  from->depth = L->depth;
  from->max_depth = L->max_depth;
  from->errjmp = L->errjmp;
  from->site = L->site;
  L->stack = to->stack;
  L->stack_end = to->stack_end;
  L->top = to->top;
  L->depth = to->depth;
  L->max_depth = to->max_depth;
  L->errjmp = to->errjmp;
  L->site = to->site;
  L->co = to;
  rp8_ctx_floor = floor_of(to);
#if RP8_ASAN
  void *fake = 0;
  asan_from = from;
  __sanitizer_start_switch_fiber(dying ? 0 : &fake, to->cbase, to->csize);
  rp8_ctx_swap(&from->sp, to->sp);
  asan_finish(fake);
#else
  (void)dying;
  rp8_ctx_swap(&from->sp, to->sp);
#endif
}

static void context_start(void) {
#if RP8_ASAN
  asan_finish(0);
#endif
}

/* ------------------------------------------------------------------ Lua coroutines */

static inline Value arg(Value *R, int nargs, int i) { return i < nargs ? R[i] : nil(); }

static Thread *thread_of(State *L, Value v) { return ptr<Thread>(L, v.bits); }

static Coro *coro_of(State *L, Value v) {
  uint32_t s = thread_of(L, v)->slot;
  return s == NO_SLOT ? 0 : &pool[s].co;
}

/* Slots in use, and the most in use at once since power-on: what a device's
** pool must hold for the cart (rp8 build sizes it from a desktop run). */
static uint32_t co_used, co_peak;

uint32_t rt_co_peak(void) { return co_peak; }

static void free_slot(State *L, Coro *c) {
  if (c->obj != 0) ptr<Thread>(L, c->obj)->slot = NO_SLOT;
  Slot *s = (Slot *)(void *)c;   /* co is Slot's first member */
  if (s->used) co_used--;
  s->used = false;
  c->status = CO_FREE;
  c->obj = 0;
}

/* A coroutine's first run: call its function with what coresume passed,
** then hand the results (or the error) back for good. */
static void coroutine_entry(void) {
  context_start();
  State *L = starting;
  Coro *c = L->co;
  jmp_buf jb;
  L->errjmp = &jb;
  Value *base = c->stack;
  if (setjmp(jb) == 0) {
    int n = c->ntransfer;
    for (int i = 0; i < n; i++) base[1 + i] = c->transfer[i];
    L->top = base + 1 + n;
    int nres = rt_call(L, base, n, -1, bare(L->site));
    c->transfer = base;
    c->ntransfer = nres;
    c->errored = false;
  } else {
    base[0] = L->errval;
    c->transfer = base;
    c->ntransfer = 1;
    c->errored = true;
  }
  c->status = CO_DEAD;
  Coro *back = c->resumer;
  back->status = CO_RUNNING;
  /* the values stay on this stack until coresume copies them: keep the
  ** slot until then (coresume frees it) */
  switch_to(L, c, back, true);
  for (;;) {
  }
}

int bi_cocreate(State *L, Value *R, int nargs) {
  Value f = arg(R, nargs, 0);
  if (f.tag != T_FUNC)
    rt_error(L, bare(L->site), "bad argument #1 to 'cocreate' (function expected, got %s)",
             nargs < 1 ? "no value" : rt_typename(f));
  int k = -1;
  for (int pass = 0; pass < 2 && k < 0; pass++) {
    if (pass == 1) rt_collect(L);   /* unreachable coroutines give their slots back */
    for (int i = 0; i < RP8_CO_MAX; i++) {
      if (!pool[i].used) {
        k = i;
        break;
      }
    }
  }
  if (k < 0) rt_error(L, bare(L->site), "out of memory (more than %d coroutines alive)", RP8_CO_MAX);
  if (!slot_stacks(k)) rt_error(L, bare(L->site), "out of memory (no room for a coroutine's stacks)");
  Ref r = rt_alloc(L, O_THREAD, sizeof(Thread));
  Slot *s = &pool[k];
  s->used = true;
  if (++co_used > co_peak) co_peak = co_used;
  Coro *c = &s->co;
  *c = Coro();
  c->cbase = cstacks[k];
  c->csize = RP8_CO_CSTACK;
  c->stack = vstacks[k];
  c->stack_end = vstacks[k] + RP8_CO_SLOTS;
  c->stack[0] = f;
  c->top = c->stack + 1;
  c->max_depth = RP8_CO_MAX_DEPTH;
  c->status = CO_SUSPENDED;
  c->lua_thread = true;
  c->obj = r;
  fresh_stack(c->cbase, c->csize);
  c->sp = rp8_ctx_init(c->cbase, c->csize, coroutine_entry);
  ptr<Thread>(L, r)->slot = (uint32_t)k;
  R[-1] = mkref(T_THREAD, r);
  return 1;
}

/* coresume(co, ...): true and what it yielded or returned, or false and
** the error. */
int bi_coresume(State *L, Value *R, int nargs) {
  Value t = arg(R, nargs, 0);
  if (t.tag != T_THREAD) rt_error(L, bare(L->site), "bad argument #1 to 'coresume' (coroutine expected)");
  Coro *c = coro_of(L, t);
  if (c == 0 || c->status != CO_SUSPENDED) {
    R[-1] = boolean(false);
    R[0] = rt_cstr(L, c == 0 || c->status == CO_DEAD ? "cannot resume dead coroutine"
                                                      : "cannot resume non-suspended coroutine");
    return 2;
  }
  Coro *me = L->co;
  c->transfer = R + 1;
  c->ntransfer = nargs > 0 ? nargs - 1 : 0;
  c->resumer = me;
  c->status = CO_RUNNING;
  me->status = CO_NORMAL;
  starting = L;
  switch_to(L, me, c, false);
  me->status = CO_RUNNING;
  /* back: c yielded, returned or failed; its values are on its stack */
  int n = c->ntransfer;
  rt_checkstack(L, R - 1, n + 1);
  R[-1] = boolean(!c->errored);
  for (int i = 0; i < n; i++) R[i] = c->transfer[i];
  if (c->status == CO_DEAD) free_slot(L, c);
  /* run(), stop() and the frame time limit end the whole cart */
  if (c->errored && L->host->abort_kind != 0) rt_throw(L, R[0]);
  if (L->top < R + n) L->top = R + n;
  return n + 1;
}

int bi_yield(State *L, Value *R, int nargs) {
  Coro *c = L->co;
  if (!c->lua_thread) rt_error(L, bare(L->site), "attempt to yield from outside a coroutine");
  c->transfer = R;
  c->ntransfer = nargs;
  c->status = CO_SUSPENDED;
  Coro *back = c->resumer;
  back->status = CO_RUNNING;
  switch_to(L, c, back, false);
  /* resumed: coresume's extra arguments are yield's results */
  int n = c->ntransfer;
  rt_checkstack(L, R - 1, n);
  for (int i = 0; i < n; i++) R[i - 1] = c->transfer[i];
  return n;
}

int bi_costatus(State *L, Value *R, int nargs) {
  Value t = arg(R, nargs, 0);
  if (t.tag != T_THREAD) rt_error(L, bare(L->site), "bad argument #1 to 'costatus' (coroutine expected)");
  Coro *c = coro_of(L, t);
  const char *s = "dead";
  if (c != 0) {
    if (c->status == CO_SUSPENDED) s = "suspended";
    else if (c->status == CO_RUNNING) s = "running";
    else if (c->status == CO_NORMAL) s = "normal";
  }
  R[-1] = rt_cstr(L, s);
  return 1;
}

/* ------------------------------------------------------------------ the collector's view */

bool rt_co_segment(State *L, Ref thread, Value **lo, Value **hi) {
  uint32_t s = ptr<Thread>(L, thread)->slot;
  if (s == NO_SLOT) return false;
  Coro *c = &pool[s].co;
  /* the running context and its resumers are marked by rt_co_roots with
  ** L->top; a suspended one up to its saved top */
  if (c->status != CO_SUSPENDED && c->status != CO_DEAD) return false;
  *lo = c->stack;
  *hi = c->top;
  return true;
}

void rt_co_release(State *L, Ref thread) {
  uint32_t s = ptr<Thread>(L, thread)->slot;
  if (s != NO_SLOT && pool[s].used && pool[s].co.obj == thread) {
    pool[s].co.obj = 0;
    free_slot(L, &pool[s].co);
  }
}

/* The running context and the contexts waiting on it (its resumers), and
** when the cart has flipped, the chain it flipped from. */
static void mark_chain(State *L, Coro *c, void (*mark)(State *L, Value v)) {
  for (; c != 0; c = c->resumer) {
    Value *hi = c == L->co ? L->top : c->top;
    for (Value *p = c->stack; p < hi; p++) mark(L, *p);
  }
}

void rt_co_roots(State *L, void (*mark)(State *L, Value v)) {
  mark_chain(L, L->co, mark);
  if (L->co_flipped != 0 && L->co_flipped != L->co) mark_chain(L, L->co_flipped, mark);
}

void rt_co_reset(State *L) {
  co_used = 0;
  for (int i = 0; i < RP8_CO_MAX; i++) {
    pool[i].used = false;
    pool[i].co.status = CO_FREE;
    pool[i].co.obj = 0;
  }
  L->co_main = Coro();
  L->co_main.stack = L->stack;
  L->co_main.stack_end = L->stack_end;
  L->co_main.top = L->stack;
  L->co_main.status = CO_RUNNING;
  L->co = &L->co_main;
  L->co_flipped = 0;
  host_floor = 0;
  rp8_ctx_floor = 0;
}

/* ------------------------------------------------------------------ the cart context */

static void cart_entry(void) {
  context_start();
  State *L = starting;
  cart_body(L);
  Coro *c = L->co;
  c->status = CO_DEAD;
  L->co_flipped = 0;
  switch_to(L, c, &L->co_main, true);
  for (;;) {
  }
}

void rt_co_host_init(State *L, Coro *cart, void *cstack, size_t csize, void (*body)(State *L)) {
  *cart = Coro();
  cart->cbase = (uint8_t *)cstack;
  cart->csize = csize;
  cart->stack = L->co_main.stack;
  cart->stack_end = L->co_main.stack_end;
  cart->top = cart->stack;
  cart->max_depth = L->max_depth;
  cart->status = CO_SUSPENDED;
  fresh_stack(cart->cbase, csize);
  cart->sp = rp8_ctx_init(cart->cbase, csize, cart_entry);
  cart_body = body;
  /* the host side runs no Lua: an empty segment */
  L->co_main.stack_end = L->co_main.stack;
  L->stack_end = L->stack;
  L->co_flipped = cart;
}

bool rt_co_host_resume(State *L, Coro *cart) {
  if (cart->status == CO_DEAD) return true;
  Coro *to = L->co_flipped != 0 ? L->co_flipped : cart;
  if (to == cart && cart->status == CO_SUSPENDED) {
    cart->status = CO_RUNNING;
    cart->resumer = &L->co_main;
  }
  starting = L;
  L->co_flipped = 0;
  switch_to(L, &L->co_main, to, false);
  return cart->status == CO_DEAD;
}

/* lo[0](lo[1]) with an error boundary: 0 and its first result, or 1. */
static int host_call_protected(State *L, Value *lo, Value *result) {
  jmp_buf jb;
  L->errjmp = &jb;
  if (setjmp(jb) == 0) {
    rt_call(L, lo, 1, 1, 0);
    *result = lo[0];
    return 0;
  }
  *result = L->errval;
  L->npins = 0;
  L->gc_blocked = 0;
  return 1;
}

/* A call from the host's side between frames (a pause-menu callback): it
** runs on the host's C stack, on the free part of the cart's value segment
** above the cart's saved top, so nothing the cart left suspended is
** touched; the cart's chain stays rooted through co_flipped. */
int rt_co_host_call(State *L, Coro *cart, Value fn, Value arg, Value *result) {
  Coro *host = &L->co_main;
  Value *lo = cart->top;
  if (L->co != host || cart->status == CO_DEAD || cart->stack_end - lo < 2) return 1;
  Value *stack = L->stack, *stack_end = L->stack_end, *top = L->top;
  jmp_buf *errjmp = L->errjmp;
  uint32_t depth = L->depth;
  uintptr_t sp = rp8_ctx_sp(), floor = rp8_ctx_floor;
  if (host->cbase == 0 && sp > RP8_HOST_CALL_CSTACK) host_floor = rp8_ctx_floor = sp - RP8_HOST_CALL_CSTACK;
  host->stack = L->stack = lo;
  host->stack_end = L->stack_end = cart->stack_end;
  lo[0] = fn;
  lo[1] = arg;
  L->top = lo + 2;
  int failed = host_call_protected(L, lo, result);
  L->errjmp = errjmp;
  L->depth = depth;
  if (host->cbase == 0) host_floor = 0;
  rp8_ctx_floor = floor;
  host->stack = L->stack = stack;
  host->stack_end = L->stack_end = stack_end;
  L->top = top;
  return failed;
}

void rt_co_host_flip(State *L) {
  Coro *from = L->co;
  L->co_flipped = from;
  switch_to(L, from, &L->co_main, false);
}

}  // namespace rp8
