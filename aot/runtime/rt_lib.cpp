/*
** rt_lib.cpp -- the PICO-8 functions that work on Lua values: strings,
** tables, metatables, iteration, math with PICO-8's argument rules, memory.
**
** Each builtin has the compiled-function signature; arguments are
** R[0..nargs), results go from R[-1] (see rp8rt.h). Behaviour matches the
** desktop interpreter's (aot/harness_api.lua, aot/lua_runtime.lua), which
** the differential tests hold both to. Graphics, sound and input come from
** aot/api.py through generated bindings, not from here.
**
** The table at the end (BUILTINS) is the list of names; aot/cpp_backend.py
** reads it from this file, so the compiler and the runtime cannot disagree
** on which builtins exist or on their ids.
*/
#include "rp8rt.h"
#include "rt_cpu.h"

namespace rp8 {

/* ------------------------------------------------------------------ helpers */

static inline Value arg(Value *R, int nargs, int i) { return i < nargs ? R[i] : nil(); }
static inline int ret0() { return 0; }
static inline int ret1(Value *R, Value v) {
  R[-1] = v;
  return 1;
}

/* Scratch slots above everything live in this call. */
static Value *scratch(State *L, Value *R, int nargs, int n) {
  Value *base = L->top > R + nargs ? L->top : R + nargs;
  rt_checkstack(L, base, n);
  for (int i = 0; i < n; i++) base[i] = nil();
  L->top = base + n;
  return base;
}

/* A library function's number argument, read as every API argument is
** (rt_apinum; the interpreter's N in host_lua.lua): a numeric string is
** its number, anything else that is no number is 0, never an error
** (deli(t, true) runs on PICO-8). */
static inline fix32 numv(State *L, Value v) { return rt_apinum(L, v, 0); }
static inline fix32 numarg(State *L, Value *R, int nargs, int i) { return numv(L, arg(R, nargs, i)); }
static inline int32_t intarg(State *L, Value *R, int nargs, int i, int32_t dflt) {
  Value v = arg(R, nargs, i);
  if (isnil(v)) return dflt;
  return p8_fixi_int(numv(L, v));
}

/* Argument n (of nargs given) as a table, or Lua's error: "got no value"
** only when it was not passed at all (ipairs() against ipairs(nil)). */
static Table *tablearg(State *L, Value v, int n, int nargs, const char *fname) {
  if (v.tag != T_TABLE)
    rt_error(L, bare(L->site), "bad argument #%d to '%s' (table expected, got %s)", n, fname,
             nargs < n ? "no value" : rt_typename(v));
  return tab(L, v);
}

static fix32 lenv(State *L, Value t) {
  Value n = rt_len(L, t, bare(L->site));
  return n.tag == T_NUM ? (fix32)n.bits : numv(L, n);
}

/* ------------------------------------------------------------------ output */

/* tostring(v): Lua's, which PICO-8 also has; nil reads "nil". */
int bi_tostring(State *L, Value *R, int nargs) {
  Value v = arg(R, nargs, 0);
  if (isnil(v)) return ret1(R, rt_cstr(L, "nil"));
  return ret1(R, rt_tostr(L, v));
}

/* print: aot/bios.lua (rt_bios.cpp) over the engine's print job (rt_api.cpp) */

int bi_tostr(State *L, Value *R, int nargs) {
  /* tostr() with no argument is "" (tostr(nil) is "[nil]") */
  if (nargs == 0) return ret1(R, L->s_empty);
  Value v = arg(R, nargs, 0), f = arg(R, nargs, 1);
  int32_t flags = 0;
  if (f.tag == T_BOOL) flags = f.bits ? 1 : 0;
  else if (f.tag == T_NUM) flags = p8_fixi_int((fix32)f.bits);
  if (v.tag == T_NUM && flags != 0) {
    char buf[P8_TOSTR_MAX];
    size_t n = p8_tostr((fix32)v.bits, flags & 3, buf, sizeof buf);
    return ret1(R, rt_str(L, buf, n));
  }
  if ((v.tag == T_TABLE || v.tag == T_FUNC) && !isnil(f) &&
      !(v.tag == T_TABLE && !isnil(rt_metatable_event(L, v, TM_TOSTRING)))) {
    /* tostr(t, true): the object's identity, its arena offset */
    char buf[32];
    const char *name = v.tag == T_TABLE ? "table: 0x" : "function: 0x";
    size_t n = strlen(name);
    memcpy(buf, name, n);
    for (int sh = 28; sh >= 0; sh -= 4) buf[n++] = "0123456789abcdef"[(v.bits >> sh) & 15u];
    return ret1(R, rt_str(L, buf, n));
  }
  return ret1(R, rt_tostr(L, v));
}

int bi_tonum(State *L, Value *R, int nargs) {
  Value v = arg(R, nargs, 0), f = arg(R, nargs, 1);
  int32_t flags = f.tag == T_NUM ? p8_fixi_int((fix32)f.bits) : 0;
  if (v.tag == T_NUM) return ret1(R, v);
  /* tonum(true) is 1, tonum(false) 0 (real carts add up buttons so) */
  if (v.tag == T_BOOL) return ret1(R, num(v.bits ? P8_FIX_ONE : 0));
  if (v.tag == T_STR) {
    fix32 x;
    String *s = str(L, v);
    if (p8_tonum(strdata(s), s->len, flags & 7, &x)) return ret1(R, num(x));
    return ret0();
  }
  if (flags & P8_TONUM_ZERO) return ret1(R, num(0));
  return ret0();
}

/* ------------------------------------------------------------------ math */

/* flr ... rotr, sin, cos, atan2, sqrt, srand: generated from aot/api.py
** (rt_api.cpp); rnd: aot/bios.lua (rt_bios.cpp) over the generated
** p8_rnd. */

/* ------------------------------------------------------------------ memory */

/* peek, poke and their 2- and 4-byte forms: aot/bios.lua (rt_bios.cpp)
** over the generated one-value bindings; memcpy, memset: generated from
** aot/api.py (rt_api.cpp) */

/* ------------------------------------------------------------------ strings */

/* Lua's string.sub index rules: negative counts from the end, clamp. */
static void sub_range(int32_t len, int32_t i, int32_t j, int32_t *from, int32_t *count) {
  if (i < 0) i = len + i + 1;
  if (j < 0) j = len + j + 1;
  if (i < 1) i = 1;
  if (j > len) j = len;
  *from = i - 1;
  *count = i <= j ? j - i + 1 : 0;
}

int bi_sub(State *L, Value *R, int n) {
  Value *s = scratch(L, R, n, 1);
  s[0] = rt_tostr(L, arg(R, n, 0));
  int32_t i = intarg(L, R, n, 1, 1);
  /* j given but not a number (nor a numeric string) is one character at i
  ** (manual, SUB: sub(s, 5, true) is "q") */
  Value jv = arg(R, n, 2);
  fix32 jx;
  bool jnum = jv.tag == T_NUM || (jv.tag == T_STR && rt_str2num(L, jv, 0, &jx));
  int32_t j = isnil(jv) ? -1 : jnum ? intarg(L, R, n, 2, -1) : i;
  int32_t from, count;
  sub_range((int32_t)str(L, s[0])->len, i, j, &from, &count);
  return ret1(R, rt_str(L, strdata(str(L, s[0])) + from, (size_t)count));
}

/* chr(...) of any number of codes (manual CHR: "one or more"), 256 at a
** time; the pieces so far stay in scratch slots, where the collector sees
** them. */
int bi_chr(State *L, Value *R, int n) {
  char buf[256];
  int k = 0;
  if (n <= 256) {
    for (int i = 0; i < n; i++) buf[k++] = (char)(p8_fixi_int(numv(L, R[i])) & 255);
    return ret1(R, rt_str(L, buf, (size_t)k));
  }
  Value *s = scratch(L, R, n, 2);
  s[0] = rt_str(L, "", 0);
  for (int i = 0; i < n; i += 256) {
    k = 0;
    for (int j = i; j < n && j < i + 256; j++) buf[k++] = (char)(p8_fixi_int(numv(L, R[j])) & 255);
    s[1] = rt_str(L, buf, (size_t)k);
    s[0] = rt_concat(L, s[0], s[1], bare(L->site));
  }
  return ret1(R, s[0]);
}

int bi_ord(State *L, Value *R, int n) {
  Value s = arg(R, n, 0);
  if (s.tag != T_STR) return ret1(R, nil());
  int32_t i = intarg(L, R, n, 1, 1);
  int32_t cnt = intarg(L, R, n, 2, 1);
  int32_t len = (int32_t)str(L, s)->len;
  int32_t from, count;
  sub_range(len, i, i + cnt - 1, &from, &count);   /* string.byte(s, i, i+n-1) */
  rt_checkstack(L, R - 1, count);
  const uint8_t *d = (const uint8_t *)strdata(str(L, s));
  for (int32_t k = 0; k < count; k++) R[k - 1] = num(P8_FIX(d[from + k]));
  return count;
}

/* one piece of split(): a number when `convert` and it reads as one */
static Value piece(State *L, Value s, size_t from, size_t len, bool convert) {
  fix32 x;
  const char *d = strdata(str(L, s)) + from;
  if (convert && p8_tonum(d, len, 0, &x)) return num(x);
  return rt_str(L, d, len);
}

int bi_split(State *L, Value *R, int n) {
  /* split(nil) gives nothing (z8lua pull request 3, checked on PICO-8) */
  if (isnil(arg(R, n, 0))) return 0;
  Value *s = scratch(L, R, n, 3);
  s[0] = rt_tostr(L, arg(R, n, 0));
  Value sep = arg(R, n, 1);
  Value cv = arg(R, n, 2);
  bool convert = isnil(cv) ? true : truthy(cv);
  s[1] = rt_newtable(L, 0, 0);
  int32_t idx = 1;
  size_t len = str(L, s[0])->len;
  if (sep.tag == T_NUM) {
    int32_t size = p8_fixi_int((fix32)sep.bits);
    if (size < 1) size = 1;
    for (size_t k = 0; k < len; k += (size_t)size) {
      size_t m = len - k < (size_t)size ? len - k : (size_t)size;
      s[2] = piece(L, s[0], k, m, convert);
      rt_rawsetint(L, s[1], idx++, s[2]);
    }
    return ret1(R, s[1]);
  }
  if (isnil(sep)) sep = rt_cstr(L, ",");
  else if (sep.tag != T_STR) sep = rt_tostr(L, sep);
  s[2] = sep;
  size_t seplen = str(L, sep)->len;
  if (seplen == 0) {
    for (size_t k = 0; k < len; k++) {
      Value p = piece(L, s[0], k, 1, convert);
      rt_rawsetint(L, s[1], idx++, p);
    }
    return ret1(R, s[1]);
  }
  size_t start = 0;
  for (;;) {
    const char *d = strdata(str(L, s[0]));
    const char *sp = strdata(str(L, s[2]));
    size_t at = start;
    bool found = false;
    for (; at + seplen <= len; at++) {
      if (memcmp(d + at, sp, seplen) == 0) {
        found = true;
        break;
      }
    }
    size_t end = found ? at : len;
    Value p = piece(L, s[0], start, end - start, convert);
    rt_rawsetint(L, s[1], idx++, p);
    if (!found) break;
    start = at + seplen;
  }
  return ret1(R, s[1]);
}

/* ------------------------------------------------------------------ tables */

/* add, del, deli, count, all, foreach: aot/bios.lua (rt_bios.cpp) */

int bi_nothing(State *L, Value *R, int n) {
  (void)L;
  (void)R;
  (void)n;
  return 0;
}

static uint32_t id_of(CFn f);

/* The order pairs() and next() visit a table's keys in, the same in both
** consoles (console/desktop/api_lua.lua keeps it for the interpreter; the
** conformance suite holds the two together): numbers ascending, then
** strings in byte order, then false, true, then other keys (tables,
** functions, coroutines; here by reference). The interpreter's LuaJIT seeds
** its string hash anew in every process, so a cart that calls rnd() or
** draws in pairs() order could not give the same frames in both consoles
** with either runtime's own order. An array, what most carts iterate, is in
** this order natively: one pass checks it, and rt_next does the loop. */
static int key_rank(Value k) {
  switch (k.tag) {
    case T_NUM: return 0;
    case T_STR: return 1;
    case T_BOOL: return 2 + (int)k.bits;
    default: return 4;
  }
}

static bool key_before(State *L, Value a, Value b) {
  int ra = key_rank(a), rb = key_rank(b);
  if (ra != rb) return ra < rb;
  if (ra == 0) return (int32_t)a.bits < (int32_t)b.bits;
  if (ra == 1) {
    const String *x = str(L, a), *y = str(L, b);
    int c = memcmp(strdata(x), strdata(y), x->len < y->len ? x->len : y->len);
    return c != 0 ? c < 0 : x->len < y->len;
  }
  if (ra == 4) return a.tag != b.tag ? a.tag < b.tag : a.bits < b.bits;
  return false;
}

/* Whether rt_next already visits t in the order: numbers only, ascending. */
static bool in_order(State *L, Value t, uint32_t *count) {
  Value k = nil(), v;
  int32_t last = INT32_MIN;
  bool first = true, ok = true;
  uint32_t n = 0;
  while (rt_next(L, t, k, &k, &v, bare(L->site))) {
    n++;
    if (ok && (k.tag != T_NUM || (!first && (int32_t)k.bits <= last))) ok = false;
    last = (int32_t)k.bits;
    first = false;
  }
  *count = n;
  return ok;
}

/* Shell sort (Ciura's gaps): no recursion, no allocation, keys are distinct. */
static void sort_keys(State *L, Value *a, uint32_t n) {
  static const uint32_t gaps[] = {701, 301, 132, 57, 23, 10, 4, 1};
  for (uint32_t g : gaps) {
    for (uint32_t i = g; i < n; i++) {
      Value x = a[i];
      uint32_t j = i;
      for (; j >= g && key_before(L, x, a[j - g]); j -= g) a[j] = a[j - g];
      a[j] = x;
    }
  }
}

/* An ordered view of a table's keys, in one array part: {t, n, the n keys
** in the order, the n keys as rt_next visits them}. It never changes once
** made, so loops may share it; State.order_cache keeps the latest few
** (dropped at each collection), and a table whose keys are still the same,
** in the same native order, gets its view again without sorting. */
enum { VIEW_KEYS = 2 };

static uint32_t view_count(State *L, Table *v) {
  Value *a = arrayof(L, v);
  if (v->asize < VIEW_KEYS || a[0].tag != T_TABLE || a[1].tag != T_NUM) return 0;
  uint32_t n = a[1].bits >> 16;
  return VIEW_KEYS + 2 * n <= v->asize ? n : 0;
}

static bool view_fits(State *L, Value view, Value t, uint32_t n) {
  Table *v = tab(L, view);
  Value *a = arrayof(L, v);
  if (!rawequal(a[0], t) || view_count(L, v) != n) return false;
  Value k = nil(), x;
  uint32_t j = 0;
  while (rt_next(L, t, k, &k, &x, bare(L->site)))
    if (j >= n || !rawequal(k, a[VIEW_KEYS + n + j++])) return false;
  return j == n;
}

static Value ordered_view(State *L, Value t, uint32_t n) {
  Value *slot = &L->order_cache[(t.bits >> 3) % RP8_ORDER_CACHE];
  if (slot->tag == T_TABLE && view_fits(L, *slot, t, n)) return *slot;
  Value view = rt_newtable(L, VIEW_KEYS + 2 * n, 0);   /* R holds t */
  Value *a = arrayof(L, tab(L, view));
  a[0] = t;
  a[1] = num(P8_FIX((int32_t)n));
  Value k = nil(), v;
  uint32_t i = 0;
  while (i < n && rt_next(L, t, k, &k, &v, bare(L->site))) {
    a[VIEW_KEYS + i] = k;
    a[VIEW_KEYS + n + i++] = k;
  }
  sort_keys(L, a + VIEW_KEYS, n);
  *slot = view;
  return view;
}

/* The first key of the view after `key` (nil: the first), or nil. */
static bool view_next(State *L, Value view, Value key, Value *k, Value *v) {
  Table *vt = tab(L, view);
  uint32_t n = view_count(L, vt);
  if (n == 0) return false;
  Value *a = arrayof(L, vt), *keys = a + VIEW_KEYS;
  uint32_t lo = 0, hi = n;
  if (!isnil(key)) {
    while (lo < hi) {   /* the first key not before-or-equal `key` */
      uint32_t m = (lo + hi) / 2;
      if (key_before(L, key, keys[m])) hi = m; else lo = m + 1;
    }
  }
  Table *t = tab(L, a[0]);
  for (uint32_t i = lo; i < n; i++) {
    Value x = rt_rawget(L, t, keys[i]);
    if (!isnil(x)) {
      *k = keys[i];
      *v = x;
      return true;
    }
  }
  return false;
}

/* pairs' iterator over a table in order: Lua's own next */
int bi_next_raw(State *L, Value *R, int n) {
  Value t = arg(R, n, 0);
  tablearg(L, t, 1, n, "next");
  Value k, v;
  if (!rt_next(L, t, arg(R, n, 1), &k, &v, bare(L->site))) return ret1(R, nil());
  R[-1] = k;
  R[0] = v;
  return 2;
}

/* pairs' iterator over an ordered view; a cart may call it with any
** table, so the view's shape is checked (view_count). */
int bi_ordered_next(State *L, Value *R, int n) {
  Value view = arg(R, n, 0), k, v;
  tablearg(L, view, 1, n, "next");
  if (!view_next(L, view, arg(R, n, 1), &k, &v)) return ret1(R, nil());
  R[-1] = k;
  R[0] = v;
  return 2;
}

/* next(t, k): the same order. A loop of next() calls starts with k = nil,
** where t is checked and its view made; the later calls find the view in
** the cache (binary search) or, without one, t in its native order. */
int bi_next(State *L, Value *R, int n) {
  Value t = arg(R, n, 0), key = arg(R, n, 1), k, v;
  tablearg(L, t, 1, n, "next");
  Value *slot = &L->order_cache[(t.bits >> 3) % RP8_ORDER_CACHE];
  bool viewed = slot->tag == T_TABLE && rawequal(arrayof(L, tab(L, *slot))[0], t);
  uint32_t count;
  bool more;
  if (!isnil(key) && viewed) {
    more = view_next(L, *slot, key, &k, &v);
  } else if (in_order(L, t, &count)) {
    if (viewed) *slot = nil();   /* the loop this call starts is a native one */
    more = rt_next(L, t, key, &k, &v, bare(L->site));
  } else {
    if (!isnil(key) && key_rank(key) == 4 && isnil(rt_rawget(L, tab(L, t), key)))
      rt_error(L, bare(L->site), "invalid key to 'next'");
    more = view_next(L, ordered_view(L, t, count), key, &k, &v);
  }
  if (!more) return ret1(R, nil());
  R[-1] = k;
  R[0] = v;
  return 2;
}

int bi_pairs(State *L, Value *R, int n) {
  Value t = arg(R, n, 0);
  /* PICO-8's pairs(nil) iterates nothing (Lexaloffle's jelpi.p8 relies on it) */
  if (isnil(t)) return ret1(R, lightfn(BUILTIN_BASE + id_of(bi_nothing)));
  tablearg(L, t, 1, n, "pairs");
  uint32_t count;
  Value f, state = t;
  if (in_order(L, t, &count)) {
    f = lightfn(BUILTIN_BASE + id_of(bi_next_raw));
  } else {
    f = lightfn(BUILTIN_BASE + id_of(bi_ordered_next));
    state = ordered_view(L, t, count);
  }
  if (n < 2) rt_checkstack(L, R, 2);
  R[-1] = f;
  R[0] = state;
  R[1] = nil();
  return 3;
}

/* inext(t, i), ipairs' iterator: Lua 5.2's ipairsaux, t[i + 1] read raw */
int bi_ipairs_iter(State *L, Value *R, int n) {
  Value t = arg(R, n, 0);
  int32_t i = p8_fixi_int(numarg(L, R, n, 1)) + 1;
  Value v = rt_rawgetint(L, tablearg(L, t, 1, n, "inext"), i);
  if (isnil(v)) return ret1(R, nil());
  R[-1] = num(P8_FIX(i));
  R[0] = v;
  return 2;
}

int bi_ipairs(State *L, Value *R, int n) {
  Value t = arg(R, n, 0);
  tablearg(L, t, 1, n, "ipairs");
  R[-1] = lightfn(BUILTIN_BASE + id_of(bi_ipairs_iter));
  R[0] = t;
  if (n < 2) rt_checkstack(L, R, 2);
  R[1] = num(0);
  return 3;
}

int bi_select(State *L, Value *R, int n) {
  Value sel = arg(R, n, 0);
  int count = n - 1;
  if (sel.tag == T_STR && str(L, sel)->len == 1 && strdata(str(L, sel))[0] == '#')
    return ret1(R, num(P8_FIX(count)));
  int32_t i = p8_fixi_int(numv(L, sel));
  if (i < 0) i = count + i + 1;
  if (i < 1) {
    fix32 x;
    if (sel.tag != T_NUM && !(sel.tag == T_STR && rt_str2num(L, sel, 0, &x)))
      rt_error(L, bare(L->site), "bad argument #1 to 'select' (number expected, got %s)",
               rt_typename(sel));   /* "nil" for select() too, as the interpreter can say */
    rt_error(L, bare(L->site), "bad argument #1 to 'select' (index out of range)");
  }
  int k = 0;
  for (int32_t j = i; j <= count; j++) R[k++ - 1] = R[j];
  return k;
}

int bi_unpack(State *L, Value *R, int n) {
  Value t = arg(R, n, 0);
  int32_t i = intarg(L, R, n, 1, 1);
  int32_t j = isnil(arg(R, n, 2)) ? p8_fixi_int(lenv(L, t)) : intarg(L, R, n, 2, 0);
  if (i > j) return 0;
  int32_t cnt = j - i + 1;
  if (cnt > 8192) rt_error(L, bare(L->site), "too many results to unpack");
  tablearg(L, t, 1, n, "unpack");
  rt_checkstack(L, R - 1, cnt);
  /* nothing below allocates, so the table needs no root while the
  ** results overwrite the argument slots */
  Table *tt = tab(L, t);
  Value *out = R - 1;
  for (int32_t k = 0; k < cnt; k++) out[k] = rt_rawgetint(L, tt, i + k);
  return cnt;
}

int bi_pack(State *L, Value *R, int n) {
  Value *s = scratch(L, R, n, 1);
  s[0] = rt_newtable(L, (uint32_t)n, 1);
  for (int i = 0; i < n; i++) rt_rawsetint(L, s[0], i + 1, R[i]);
  rt_rawset(L, s[0], rt_cstr(L, "n"), num(P8_FIX(n)), bare(L->site));
  return ret1(R, s[0]);
}

int bi_type(State *L, Value *R, int n) {
  if (n == 0) rt_error(L, bare(L->site), "bad argument #1 to 'type' (value expected)");
  return ret1(R, rt_cstr(L, rt_typename(R[0])));
}

int bi_setmetatable(State *L, Value *R, int n) {
  Value t = arg(R, n, 0), mt = arg(R, n, 1);
  Table *tt = tablearg(L, t, 1, n, "setmetatable");
  if (n < 2 || (mt.tag != T_NIL && mt.tag != T_TABLE))
    rt_error(L, bare(L->site), "bad argument #2 to 'setmetatable' (nil or table expected)");
  if (tt->meta && !isnil(rt_rawgetstr(L, ptr<Table>(L, tt->meta), rt_cstr(L, "__metatable"))))
    rt_error(L, bare(L->site), "cannot change a protected metatable");
  if (mt.tag == T_TABLE && !isnil(rt_tm(L, tab(L, mt), TM_MODE)))
    rt_unsupported(L, bare(L->site), "weak tables (__mode) in compiled carts");
  tab(L, t)->meta = mt.tag == T_TABLE ? mt.bits : 0;
  return ret1(R, t);
}

int bi_getmetatable(State *L, Value *R, int n) {
  Value t = arg(R, n, 0);
  if (t.tag != T_TABLE || tab(L, t)->meta == 0) return ret1(R, nil());
  Value mt = mkref(T_TABLE, tab(L, t)->meta);
  Value prot = rt_rawgetstr(L, tab(L, mt), rt_cstr(L, "__metatable"));
  return ret1(R, isnil(prot) ? mt : prot);
}

int bi_rawget(State *L, Value *R, int n) {
  Table *t = tablearg(L, arg(R, n, 0), 1, n, "rawget");
  if (n < 2) rt_error(L, bare(L->site), "bad argument #2 to 'rawget' (value expected)");
  return ret1(R, rt_rawget(L, t, arg(R, n, 1)));
}

int bi_rawset(State *L, Value *R, int n) {
  Value t = arg(R, n, 0);
  tablearg(L, t, 1, n, "rawset");
  if (n < 3) rt_error(L, bare(L->site), "bad argument #%d to 'rawset' (value expected)", n + 1);
  rt_rawset(L, t, arg(R, n, 1), arg(R, n, 2), bare(L->site));
  return ret1(R, t);
}

int bi_rawequal(State *L, Value *R, int n) {
  if (n < 2) rt_error(L, bare(L->site), "bad argument #%d to 'rawequal' (value expected)", n + 1);
  return ret1(R, boolean(rawequal(arg(R, n, 0), arg(R, n, 1))));
}

int bi_rawlen(State *L, Value *R, int n) {
  Value t = arg(R, n, 0);
  if (t.tag == T_STR) return ret1(R, num(P8_FIX(str(L, t)->len)));   /* wraps, as # does */
  if (t.tag != T_TABLE) rt_error(L, bare(L->site), "bad argument #1 to 'rawlen' (table or string expected)");
  Table *tt = tab(L, t);
  int32_t k = 0;
  while (k < 32767 && !isnil(rt_rawgetint(L, tt, k + 1))) k++;
  return ret1(R, num(P8_FIX(k)));
}

/* error(msg [, level]): a string message gets the caller's position. */
static void raise(State *L, Value msg, bool where) {
  uint32_t site = L->site & ~SITE_BARE;
  if (msg.tag == T_STR && where) {
    const Cart *c = L->cart;
    if (c && site < c->nsites && c->sites[site].where[0]) {
      /* where .. ": " .. msg, every piece rooted in a slot */
      Value *s = L->top;
      rt_checkstack(L, s, 3);
      s[0] = nil();
      s[1] = nil();
      s[2] = msg;
      L->top = s + 3;
      s[0] = rt_cstr(L, c->sites[site].where);
      s[1] = rt_cstr(L, ": ");
      msg = rt_concat_n(L, s, 3, site);
    }
  }
  rt_throw(L, msg);
}

int bi_assert(State *L, Value *R, int n) {
  if (n == 0 || !truthy(R[0])) {
    Value msg = arg(R, n, 1);
    if (isnil(msg)) msg = rt_cstr(L, "assertion failed!");
    raise(L, msg, true);
  }
  for (int i = 0; i < n; i++) R[i - 1] = R[i];
  return n;
}

int bi_error(State *L, Value *R, int n) {
  Value lv = arg(R, n, 1);
  int32_t level = isnil(lv) ? 1 : p8_fixi_int(numv(L, lv));
  raise(L, arg(R, n, 0), level > 0);
  return 0;
}

/* ------------------------------------------------------------------ registry */

/* PICO-8 names first; internal helpers (not globals) have names in parentheses. */
static const Builtin BUILTINS[] = {
  {"tostr", bi_tostr},
  {"tostring", bi_tostring},
  {"tonum", bi_tonum},
  {"sub", bi_sub},
  {"chr", bi_chr},
  {"ord", bi_ord},
  {"split", bi_split},
  {"pairs", bi_pairs},
  {"ipairs", bi_ipairs},
  {"inext", bi_ipairs_iter},
  {"next", bi_next},
  {"select", bi_select},
  {"unpack", bi_unpack},
  {"pack", bi_pack},
  {"type", bi_type},
  {"setmetatable", bi_setmetatable},
  {"getmetatable", bi_getmetatable},
  {"rawget", bi_rawget},
  {"rawset", bi_rawset},
  {"rawequal", bi_rawequal},
  {"rawlen", bi_rawlen},
  {"assert", bi_assert},
  {"error", bi_error},
  {"(ipairs iterator)", bi_ipairs_iter},
  {"(nothing)", bi_nothing},
  {"(pairs iterator)", bi_next_raw},
  {"(pairs iterator, sorted)", bi_ordered_next},
};
static const uint32_t NBUILTINS = sizeof BUILTINS / sizeof BUILTINS[0];

static uint32_t id_of(CFn f) {
  for (uint32_t i = 0; i < NBUILTINS; i++)
    if (BUILTINS[i].fn == f) return i;
  return 0;
}

/* One id space over the four tables (see struct Builtin). */
static const Builtin *builtin_at(uint32_t id) {
  if (id < NBUILTINS) return &BUILTINS[id];
  id -= NBUILTINS;
  if (id < NAPI_BUILTINS) return &API_BUILTINS[id];
  id -= NAPI_BUILTINS;
  if (id < NHOST_BUILTINS) return &HOST_BUILTINS[id];
  id -= NHOST_BUILTINS;
  if (id < NBIOS_BUILTINS) return &BIOS_BUILTINS[id];
  return 0;
}

/* The id of BIOS_BUILTINS[k] (rt_bios.cpp's closures name their functions so). */
uint32_t rt_bios_id(uint32_t k) { return NBUILTINS + NAPI_BUILTINS + NHOST_BUILTINS + k; }

int rt_builtin_id(const char *name) {
  for (uint32_t i = 0;; i++) {
    const Builtin *b = builtin_at(i);
    if (b == 0) return -1;
    if (strcmp(b->name, name) == 0) return (int)i;
  }
}

CFn rt_builtin_fn(uint32_t id) {
  const Builtin *b = builtin_at(id);
  return b ? b->fn : bi_nothing;
}

const char *rt_builtin_name(uint32_t id) {
  const Builtin *b = builtin_at(id);
  return b ? b->name : "?";
}

void rt_open_builtins(State *L, Value t) {
  Value *s = L->top;
  rt_checkstack(L, s, 2);
  s[0] = t;
  L->top = s + 1;
  for (uint32_t i = 0;; i++) {
    const Builtin *b = builtin_at(i);
    if (b == 0) break;
    if (b->name[0] == '(') continue;
    s[1] = rt_cstr(L, b->name);
    L->top = s + 2;
    rt_rawset(L, t, s[1], lightfn(BUILTIN_BASE + i), 0);
  }
  L->top = s;
}

}  // namespace rp8
