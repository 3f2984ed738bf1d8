/*
** rt_core.cpp -- setting up a runtime, calls, closures and errors.
*/
#include <stdarg.h>

#include "rp8rt.h"

namespace rp8 {

/* ------------------------------------------------------------------ setup */

static const char *const TM_NAMES[TM_N] = {
  "__index", "__newindex", "__mode", "__len", "__eq", "__call", "__add", "__sub", "__mul",
  "__div", "__mod", "__pow", "__unm", "__concat", "__lt", "__le", "__tostring", "__idiv",
  "__band", "__bor", "__bxor", "__shl", "__shr", "__lshr", "__rotl", "__rotr", "__bnot"
};

void rt_init(State *L, void *mem, size_t size, uint32_t stack_slots, p8_state *p8,
             void (*write)(void *ud, int stream, const char *s, size_t n), void *ud) {
  memset(L, 0, sizeof *L);
  uint8_t *base = (uint8_t *)mem;
  L->stack = (Value *)mem;
  L->stack_end = L->stack + stack_slots;
  L->top = L->stack;
  L->max_depth = 200;
  size_t stack_bytes = (size_t)stack_slots * sizeof(Value);
  L->heap = base + stack_bytes;
  size_t heap = size > stack_bytes ? size - stack_bytes : 0;
  if (heap > 0xfffffff8u) heap = 0xfffffff8u;
  L->heap_size = (uint32_t)heap & ~7u;
  L->heap_top = 8;   /* Ref 0 means "no object" */
  L->threshold = L->heap_size;
  L->p8 = p8;
  static Host no_host;
  no_host = Host();
  no_host.fps = 30;
  L->host = &no_host;
  L->write = write;
  L->ud = ud;
  rt_poison_init(L);
  rt_co_reset(L);
  L->ticks = TICK_PERIOD;
  for (int i = 0; i < TM_N; i++) L->tmname[i] = rt_cstr(L, TM_NAMES[i]);
  L->s_true = rt_cstr(L, "true");
  L->s_false = rt_cstr(L, "false");
  L->s_nil_str = rt_cstr(L, "[nil]");
  L->s_empty = rt_str(L, "", 0);
  L->s_oom = rt_cstr(L, "out of memory");
  L->threshold = L->used + 32 * 1024 < L->heap_size ? L->used + 32 * 1024 : L->heap_size;
}

int rt_load(State *L, const Cart *cart) {
  jmp_buf jb;
  jmp_buf *saved = L->errjmp;
  L->cart = cart;
  for (uint32_t i = 0; i < cart->nconsts; i++) cart->consts[i] = nil();
  for (uint32_t i = 0; i < cart->nglobals; i++) cart->globals[i] = nil();
  L->errjmp = &jb;
  if (setjmp(jb) != 0) {   /* out of memory for the constants */
    L->errjmp = saved;
    return 1;
  }
  rt_bios_open(L);
  for (uint32_t i = 0; i < cart->nconsts; i++)
    cart->consts[i] = rt_str(L, cart->kdata[i], cart->klen[i]);
  if (cart->dynamic_globals) {
    L->genv = rt_newtable(L, 0, 0);
    rt_open_builtins(L, L->genv);
    rt_open_glyphs(L, L->genv);
  }
  L->errjmp = saved;
  return 0;
}

Value rt_getglobal(State *L, const char *name) {
  const Cart *c = L->cart;
  if (c != 0 && c->dynamic_globals) {
    Value k = rt_cstr(L, name);
    return rt_rawget(L, tab(L, L->genv), k);
  }
  Value *slot = rt_globalslot(L, name);
  return slot != 0 ? *slot : nil();
}

/* A static global's slot, for a host that reads it every frame without
** scanning the names again: 0 when the cart has no global of that name or
** keeps its globals in _G (dynamic_globals). */
Value *rt_globalslot(State *L, const char *name) {
  const Cart *c = L->cart;
  if (c == 0 || c->dynamic_globals) return 0;
  for (uint32_t i = 0; i < c->nglobals; i++)
    if (strcmp(c->gnames[i], name) == 0) return &c->globals[i];
  return 0;
}

/* ------------------------------------------------------------------ errors */

/* A small printf: %s %d %c %% only (no float, no libc printf). */
static size_t vformat(char *buf, size_t cap, const char *fmt, va_list ap) {
  size_t n = 0;
  for (const char *p = fmt; *p && n + 1 < cap; p++) {
    if (*p != '%') {
      buf[n++] = *p;
      continue;
    }
    p++;
    if (*p == 's') {
      const char *s = va_arg(ap, const char *);
      while (*s && n + 1 < cap) buf[n++] = *s++;
    } else if (*p == 'd') {
      int v = va_arg(ap, int);
      char tmp[12];
      int k = 0;
      uint32_t u = v < 0 ? 0u - (uint32_t)v : (uint32_t)v;
      do {
        tmp[k++] = (char)('0' + u % 10);
        u /= 10;
      } while (u);
      if (v < 0 && n + 1 < cap) buf[n++] = '-';
      while (k > 0 && n + 1 < cap) buf[n++] = tmp[--k];
    } else if (*p == 'c') {
      buf[n++] = (char)va_arg(ap, int);
    } else if (*p == '%') {
      buf[n++] = '%';
    } else {
      break;
    }
  }
  buf[n] = 0;
  return n;
}

[[noreturn]] void rt_throw(State *L, Value v) {
  L->errval = v;
  if (L->errjmp == 0) {
    static const char msg[] = "rp8: error outside a protected call\n";
    if (L->write) L->write(L->ud, 2, msg, sizeof msg - 1);
    for (;;) {
    }
  }
  longjmp(*L->errjmp, 1);
}

/* "<cart> tab T line L: " of the site into buf (at most 122 bytes). */
static size_t place(State *L, uint32_t site, char *buf) {
  size_t n = 0;
  const Cart *c = L->cart;
  site &= ~SITE_BARE;
  if (c && site < c->nsites && c->sites[site].where[0]) {
    const char *w = c->sites[site].where;
    while (*w && n < 120) buf[n++] = *w++;
    buf[n++] = ':';
    buf[n++] = ' ';
  }
  return n;
}

[[noreturn]] void rt_error(State *L, uint32_t site, const char *fmt, ...) {
  size_t n = place(L, site, L->errbuf);
  va_list ap;
  va_start(ap, fmt);
  n += vformat(L->errbuf + n, sizeof L->errbuf - n, fmt, ap);
  va_end(ap);
  L->errlen = (uint32_t)n;
  /* making the message may run out of memory: rt_oom then reports the
  ** message already in errbuf */
  L->gc_blocked = 0;
  L->npins = 0;
  L->errval = L->s_empty;
  L->in_error = true;
  Value msg = rt_str(L, L->errbuf, L->errlen);
  L->in_error = false;
  L->errlen = 0;                 /* the message is in the arena */
  rt_throw(L, msg);
}

[[noreturn]] void rt_oom(State *L) {
  if (!L->in_error) {
    static const char oom[] = "out of memory";
    size_t n = place(L, L->site, L->errbuf);
    memcpy(L->errbuf + n, oom, sizeof oom - 1);
    L->errlen = (uint32_t)(n + sizeof oom - 1);
  }
  L->in_error = false;
  rt_throw(L, L->s_oom);
}

[[noreturn]] void rt_unsupported(State *L, uint32_t site, const char *what) {
  rt_error(L, site, "not supported yet: %s", what);
}

[[noreturn]] void rt_stack_overflow(State *L) {
  rt_error(L, L->site, "stack overflow");
}

/* Run body(L, ud) inside an error boundary: 0 when it returned, 1 when
** it raised (the error value is in L->errval; the stack, call depth and
** GC guards are put back as they were at the call). */
int rt_protect(State *L, void (*body)(State *, void *), void *ud) {
  jmp_buf jb;
  jmp_buf *saved = L->errjmp;
  Value *top = L->top;
  uint32_t depth = L->depth;
  L->errjmp = &jb;
  if (setjmp(jb) == 0) {
    body(L, ud);
    L->top = top;
    L->errjmp = saved;
    return 0;
  }
  L->errjmp = saved;
  L->top = top;
  L->depth = depth;
  L->npins = 0;
  L->gc_blocked = 0;
  return 1;
}

struct PCall {
  Value fn;
  int nargs;
  const Value *args;
};

static void pcall_body(State *L, void *ud) {
  const PCall *c = (const PCall *)ud;
  Value *top = L->top;
  rt_checkstack(L, top, c->nargs + 1);
  top[0] = c->fn;
  for (int i = 0; i < c->nargs; i++) top[1 + i] = c->args[i];
  L->top = top + 1 + c->nargs;
  rt_call(L, top, c->nargs, 0, 0);
}

int rt_pcall(State *L, Value fn, int nargs, const Value *args) {
  PCall c = {fn, nargs, args};
  return rt_protect(L, pcall_body, &c);
}


/* __tostring of L->errval, a table; a string result replaces L->errval */
static void tostring_body(State *L, void *) {
  Value v = L->errval;
  Value h = rt_metatable_event(L, v, TM_TOSTRING);
  if (isnil(h)) return;
  Value r = rt_callmeta(L, h, v, nil(), 0);
  if (r.tag == T_STR) L->errval = r;     /* keeps the text alive for the caller */
}

/* The error object as text for the runner, as host_lua.lua's error_text:
** a string as it is, a number as tostr gives it, a table through its
** __tostring, called protected (an error or abort inside it, or a result
** that is not a string, gives the plain form), anything else "(error object
** is a X value)". Never raises: the runner calls it outside any protected
** call, where a raise would have nowhere to go. */
const char *rt_errtext(State *L, size_t *len) {
  static char buf[P8_TOSTR_MAX + 40];
  Value v = L->errval;
  if (v.tag == T_STR && v.bits == L->s_oom.bits && L->errlen > 0) {   /* kept outside the arena */
    *len = L->errlen;
    return L->errbuf;
  }
  if (v.tag == T_NUM) {
    *len = p8_tostr((fix32)v.bits, 0, buf, P8_TOSTR_MAX);
    return buf;
  }
  if (v.tag == T_BOOL || v.tag == T_NIL) {
    *len = v.tag == T_NIL ? 3 : v.bits ? 4 : 5;
    return v.tag == T_NIL ? "nil" : v.bits ? "true" : "false";
  }
  if (v.tag == T_TABLE && rt_protect(L, tostring_body, 0) != 0)
    L->errval = v;                            /* not the error inside __tostring */
  Value r = L->errval;
  if (r.tag == T_STR) {
    *len = str(L, r)->len;
    return strdata(str(L, r));
  }
  const char *const parts[] = {"(error object is a ", rt_typename(v), " value)"};
  size_t n = 0;
  for (const char *part : parts)
    while (*part) buf[n++] = *part++;
  *len = n;
  return buf;
}

/* ------------------------------------------------------------------ calls */

/* The type() name of a value, for messages ("cell" never reaches a cart). */
const char *rt_typename(Value v) {
  static const char *const names[] = {"nil", "boolean", "number", "string", "table",
                                      "function", "thread", "cell"};
  return names[v.tag & 7];
}

static inline CFn fn_of(State *L, uint32_t id) {
  if (id >= BUILTIN_BASE) return rt_builtin_fn(id - BUILTIN_BASE);
  return L->cart->protos[id].fn;
}

/* A function value's C function. */
static inline CFn fn_value(State *L, Value f) {
  return fn_of(L, islight(f) ? f.bits >> 3 : ptr<Closure>(L, f.bits)->id);
}

/* Calling func[0], no function, with nargs arguments: a table or other
** value whose __call is a function gets itself as the first argument
** (shifting the arguments up one); returns the new argument count. As in
** Lua 5.2 (ldo.c tryfuncTM), a __call that is no function is an error
** about the value called, not followed further. Out of line: the plain
** call (callee's usual case) should not pay for its frame. */
__attribute__((noinline)) static int through_call(State *L, Value *func, int nargs, uint32_t site) {
  Value f = func[0];
  Value h = rt_metatable_event(L, f, TM_CALL);
  if (h.tag != T_FUNC) {
    const char *what = L->cart && site < L->cart->nsites ? L->cart->sites[site].what : "";
    if (what[0]) rt_error(L, site, "attempt to call %s (a %s value)", what, rt_typename(f));
    rt_error(L, site, "attempt to call a %s value", rt_typename(f));
  }
  /* __call(obj, args...): shift the arguments up one */
  rt_checkstack(L, func, nargs + 2);
  for (int i = nargs; i >= 0; i--) func[i + 1] = func[i];
  func[0] = h;
  ++nargs;
  if (L->top < func + 1 + nargs) L->top = func + 1 + nargs;
  return nargs;
}

/* The C function that runs func[0] with *nargs arguments (*nargs counts
** the object a __call gets). */
static inline CFn callee(State *L, Value *func, int *nargs, uint32_t site) {
  if (func[0].tag != T_FUNC) *nargs = through_call(L, func, *nargs, site);
  return fn_value(L, func[0]);
}

int rt_call(State *L, Value *func, int nargs, int nres, uint32_t site) {
  CFn fn = callee(L, func, &nargs, site);
  return rt_callfn(L, fn, func, nargs, nres, site);
}

int rt_tailcalls(State *L, Value *func, int n) {
  do {
    int nargs = -n - 1;
    CFn fn = callee(L, func, &nargs, L->site);
    n = fn(L, func + 1, nargs);
  } while (n < 0);
  return n;
}

Value rt_closure(State *L, uint32_t id, uint32_t nup) {
  Ref r = rt_alloc(L, O_CLOSURE, (uint32_t)(sizeof(Closure) + nup * sizeof(Ref)));
  Closure *c = ptr<Closure>(L, r);
  c->id = (uint16_t)id;
  c->nup = (uint16_t)nup;
  return mkref(T_FUNC, r);
}

Value rt_newcell(State *L, Value v) {
  Ref r = rt_alloc(L, O_CELL, sizeof(Cell));   /* v is rooted by the caller */
  ptr<Cell>(L, r)->v = v;
  return mkref(T_CELL, r);
}

/* A vararg function's frame starts above all its arguments; the fixed
** parameters are copied up, the extra arguments stay below for `...`. */
Value *rt_enter_vararg(State *L, Value *R, int nargs, int nparams, int framesize) {
  if (nargs <= nparams) {
    rt_enter(L, R, nargs, nparams, framesize);
    return R;
  }
  Value *B = R + nargs;
  if (B + framesize > L->stack_end || L->depth >= L->max_depth) rt_stack_overflow(L);
  for (int i = 0; i < nparams; i++) B[i] = R[i];
  for (int i = nparams; i < framesize; i++) B[i] = nil();
  if (L->top < B + framesize) L->top = B + framesize;   /* never lower (rt_enter) */
  return B;
}

}  // namespace rp8
