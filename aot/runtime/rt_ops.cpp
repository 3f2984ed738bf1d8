/*
** rt_ops.cpp -- the slow paths of operators: metamethods, string
** coercion, comparison of non-numbers, and the errors PICO-8 raises.
**
** The inline fast paths in rp8rt.h handle numbers and plain tables; they
** fall here for everything else. The rules follow the desktop interpreter
** (aot/lua_runtime.lua over LuaJIT), which follows PICO-8's Lua 5.2:
** arithmetic converts numeric strings with tonum(), then tries the
** operands' metamethods (first the left's, then the right's); bitwise
** operators and shifts have no metamethods.
*/
#include "rp8rt.h"

namespace rp8 {

static const char *site_what(State *L, uint32_t site) {
  const Cart *c = L->cart;
  return c && site < c->nsites ? c->sites[site].what : "";
}

/* Call h(a, b) from scratch slots at the top; one result. */
Value rt_callmeta(State *L, Value h, Value a, Value b, uint32_t site) {
  Value *f = L->top;
  rt_checkstack(L, f, 3);
  f[0] = h;
  f[1] = a;
  f[2] = b;
  L->top = f + 3;
  rt_call(L, f, 2, 1, site);
  Value r = f[0];
  L->top = f;
  return r;
}

[[noreturn]] static void index_error(State *L, Value obj, uint32_t site) {
  const char *what = site_what(L, site);
  if (what[0]) rt_error(L, site, "attempt to index %s (a %s value)", what, rt_typename(obj));
  rt_error(L, site, "attempt to index a %s value", rt_typename(obj));
}

/* t's node for a string key, or 0: the probe rt_rawgetstr_w makes, here
** inline because class-style carts walk __index chains of tables on every
** method call and inherited field, and write their objects' fields through
** rt_setindex_slow (the objects have metatables) */
static inline Node *strnode(State *L, Table *t, Ref key, uint32_t hash) {
  if (t->node == 0) return 0;
  Node *n = nodesof(L, t) + (hash & ((1u << t->lsizenode) - 1));
  for (;;) {
    if (nkey_is(n, key, T_STR)) return n;
    if (n->next == 0) return 0;
    n += n->next;
  }
}

static inline Value getstr(State *L, Table *t, Ref key, uint32_t hash) {
  Node *n = strnode(L, t, key, hash);
  return n ? nval(n) : nil();
}

/* The events >= 8 (__call, the arithmetic ones) have no absent-bit: each
** use probes the metatable, inline here (a class-style cart makes every
** object through __call and adds its vectors through __add). */
Value rt_tm(State *L, Table *mt, int event) {
  if (event < 8 && (mt->flags & (1u << event))) return nil();
  Value name = L->tmname[event];
  Value h = getstr(L, mt, name.bits, str(L, name)->hash);
  if (isnil(h) && event < 8) mt->flags = (uint8_t)(mt->flags | (1u << event));
  return h;
}

Value rt_metatable_event(State *L, Value obj, int event) {
  if (obj.tag != T_TABLE) return nil();
  Table *t = tab(L, obj);
  if (t->meta == 0) return nil();
  return rt_tm(L, ptr<Table>(L, t->meta), event);
}

/* rt_metatable_event(L, t, TM_INDEX) for a table, inline */
static inline Value index_event(State *L, Table *t) {
  if (t->meta == 0) return nil();
  Table *mt = ptr<Table>(L, t->meta);
  if (mt->flags & (1u << TM_INDEX)) return nil();
  Value name = L->tmname[TM_INDEX];
  Value h = getstr(L, mt, name.bits, str(L, name)->hash);
  if (isnil(h)) mt->flags = (uint8_t)(mt->flags | (1u << TM_INDEX));
  return h;
}

/* obj[key] through __index; `raw_done`: obj is a table whose own entry the
** caller already found nil. */
static Value index_chain(State *L, Value obj, Value key, uint32_t site, bool raw_done) {
  static_assert(TM_INDEX < 8, "absent __index is cached in Table.flags");
  uint32_t khash = key.tag == T_STR ? str(L, key)->hash : 0;
  for (int loop = 0; loop < 100; loop++) {
    Value h;
    if (obj.tag == T_TABLE) {
      Table *t = tab(L, obj);
      if (!(raw_done && loop == 0)) {
        Value v = key.tag == T_STR ? getstr(L, t, key.bits, khash) : rt_rawget(L, t, key);
        if (!isnil(v)) return v;
      }
      h = index_event(L, t);
      if (isnil(h)) return nil();
    } else if (obj.tag == T_STR) {
      /* the strings' __index (PICO-8 0.2.5: s[i] is a character) */
      h = lightfn(BUILTIN_BASE + rt_bios_id(BIOS_HOOK_INDEX_STRING));
    } else {
      h = rt_metatable_event(L, obj, TM_INDEX);
      if (isnil(h)) {
        if (loop == 0) index_error(L, obj, site);
        rt_error(L, site, "attempt to index a %s value", rt_typename(obj));
      }
    }
    if (h.tag == T_FUNC) return rt_callmeta(L, h, obj, key, site);
    /* h hangs off obj's metatable, which the caller's root reaches:
    ** nothing on this path allocates until a metamethod call roots its
    ** arguments itself */
    obj = h;
  }
  rt_error(L, site, "'__index' chain too long; possible loop");
}

Value rt_index_slow(State *L, Value obj, Value key, uint32_t site) {
  return index_chain(L, obj, key, site, false);
}

void rt_setindex_slow(State *L, Value obj, Value key, Value val, uint32_t site) {
  for (int loop = 0; loop < 100; loop++) {
    Value h;
    if (obj.tag == T_TABLE) {
      Table *t = tab(L, obj);
      if (key.tag == T_STR) {
        /* an existing field of an object with a class: written in place
        ** (an existing key needs no insert, and a value written over a
        ** non-nil one cannot make a cached absent event wrong) */
        Node *n = strnode(L, t, key.bits, str(L, key)->hash);
        if (n != 0 && n->vtag != T_NIL) {
          nset_val(n, val);
          return;
        }
      } else if (!isnil(rt_rawget(L, t, key))) {
        rt_rawset(L, obj, key, val, site);
        return;
      }
      h = rt_metatable_event(L, obj, TM_NEWINDEX);
      if (isnil(h)) {
        rt_rawset(L, obj, key, val, site);
        return;
      }
    } else {
      h = rt_metatable_event(L, obj, TM_NEWINDEX);
      if (isnil(h)) {
        /* past the first level obj is a __newindex value, no variable */
        if (loop == 0) index_error(L, obj, site);
        rt_error(L, site, "attempt to index a %s value", rt_typename(obj));
      }
    }
    if (h.tag == T_FUNC) {
      Value *f = L->top;
      rt_checkstack(L, f, 4);
      f[0] = h;
      f[1] = obj;
      f[2] = key;
      f[3] = val;
      L->top = f + 4;
      rt_call(L, f, 3, 0, site);
      L->top = f;
      return;
    }
    /* h is reachable from obj's metatable, which the caller roots */
    obj = h;
  }
  rt_error(L, site, "'__newindex' chain too long; possible loop");
}

/* A number operand of arithmetic: numbers, and strings tonum() reads. */
static bool arith_operand(State *L, Value v, fix32 *out) {
  if (v.tag == T_NUM) {
    *out = (fix32)v.bits;
    return true;
  }
  if (v.tag == T_STR) return rt_str2num(L, v, 0, out);
  return false;
}

static fix32 compute(int op, fix32 x, fix32 y) {
  switch (op) {
    case OP_ADD: return p8_fixi_add(x, y);
    case OP_SUB: return p8_fixi_sub(x, y);
    case OP_MUL: return p8_fixi_mul(x, y);
    case OP_DIV: return p8_fix_div(x, y);
    case OP_MOD: return p8_fix_mod(x, y);
    case OP_POW: return p8_fix_pow(x, y);
    case OP_IDIV: return p8_fix_idiv(x, y);
    case OP_BAND: return p8_fixi_band(x, y);
    case OP_BOR: return p8_fixi_bor(x, y);
    case OP_BXOR: return p8_fixi_bxor(x, y);
    case OP_SHL: return p8_fixi_shl(x, y);
    case OP_SHR: return p8_fixi_shr(x, y);
    case OP_LSHR: return p8_fixi_lshr(x, y);
    case OP_ROTL: return p8_fixi_rotl(x, y);
    default: return p8_fixi_rotr(x, y);
  }
}

Value rt_arith_slow(State *L, int op, Value a, Value b, uint32_t site) {
  fix32 x, y;
  bool na = arith_operand(L, a, &x), nb = arith_operand(L, b, &y);
  if (na && nb) return num(compute(op, x, y));
  if (op <= OP_IDIV) {
    int event = op <= OP_POW ? TM_ADD + op : TM_IDIV;
    Value h = rt_metatable_event(L, a, event);
    if (isnil(h)) h = rt_metatable_event(L, b, event);
    if (!isnil(h)) return rt_callmeta(L, h, a, b, site);
    rt_error(L, site, "attempt to perform arithmetic on a %s value", rt_typename(na ? b : a));
  }
  rt_error(L, site, "attempt to perform bitwise operation on a %s value", rt_typename(na ? b : a));
}

Value rt_unm_slow(State *L, Value a, uint32_t site) {
  fix32 x;
  if (arith_operand(L, a, &x)) return num(p8_fixi_neg(x));
  Value h = rt_metatable_event(L, a, TM_UNM);
  if (!isnil(h)) return rt_callmeta(L, h, a, a, site);
  rt_error(L, site, "attempt to perform arithmetic on a %s value", rt_typename(a));
}

Value rt_bnot_slow(State *L, Value a, uint32_t site) {
  fix32 x;
  if (arith_operand(L, a, &x)) return num(p8_fixi_bnot(x));
  rt_error(L, site, "attempt to perform bitwise operation on a %s value", rt_typename(a));
}

Value rt_len(State *L, Value a, uint32_t site) {
  if (a.tag == T_STR) return num(P8_FIX(str(L, a)->len));   /* low 16 bits: 40000 is -25536 */
  if (a.tag == T_TABLE) {
    Value h = rt_metatable_event(L, a, TM_LEN);
    if (!isnil(h)) return rt_callmeta(L, h, a, nil(), site);
    return num(rt_rawlen(L, tab(L, a)));
  }
  const char *what = site_what(L, site);
  if (what[0]) rt_error(L, site, "attempt to get length of %s (a %s value)", what, rt_typename(a));
  rt_error(L, site, "attempt to get length of a %s value", rt_typename(a));
}

bool rt_eq_slow(State *L, Value a, Value b) {
  Table *ta = tab(L, a), *tb = tab(L, b);
  if (ta->meta == 0 || tb->meta == 0) return false;
  Value h1 = rt_metatable_event(L, a, TM_EQ);
  if (isnil(h1)) return false;
  if (ta->meta != tb->meta) {
    Value h2 = rt_metatable_event(L, b, TM_EQ);
    if (!rawequal(h1, h2)) return false;
  }
  return truthy(rt_callmeta(L, h1, a, b, bare(L->site)));
}

[[noreturn]] static void compare_error(State *L, Value a, Value b, uint32_t site) {
  if (a.tag == b.tag) rt_error(L, site, "attempt to compare two %s values", rt_typename(a));
  rt_error(L, site, "attempt to compare %s with %s", rt_typename(a), rt_typename(b));
}

static bool order_meta(State *L, int event, Value a, Value b, uint32_t site, bool *out) {
  Value h = rt_metatable_event(L, a, event);
  if (isnil(h)) h = rt_metatable_event(L, b, event);
  if (isnil(h)) return false;
  *out = truthy(rt_callmeta(L, h, a, b, site));
  return true;
}

bool rt_lt(State *L, Value a, Value b, uint32_t site) {
  if (a.tag == T_NUM && b.tag == T_NUM) return (fix32)a.bits < (fix32)b.bits;
  if (a.tag == T_STR && b.tag == T_STR) return rt_strcmp(L, a, b) < 0;
  bool r;
  if (order_meta(L, TM_LT, a, b, site, &r)) return r;
  compare_error(L, a, b, site);
}

bool rt_le(State *L, Value a, Value b, uint32_t site) {
  if (a.tag == T_NUM && b.tag == T_NUM) return (fix32)a.bits <= (fix32)b.bits;
  if (a.tag == T_STR && b.tag == T_STR) return rt_strcmp(L, a, b) <= 0;
  bool r;
  if (order_meta(L, TM_LE, a, b, site, &r)) return r;
  if (order_meta(L, TM_LT, b, a, site, &r)) return !r;   /* a <= b as not (b < a) */
  compare_error(L, a, b, site);
}

/* Lua's words for a numeric for's bound that is no number (lvm.c) */
static const char *const FOR_ROLES[] = {"initial value", "limit", "step"};

static fix32 for_number(State *L, Value v, uint32_t site, int role) {
  fix32 x;
  if (arith_operand(L, v, &x)) return x;
  rt_error(L, site, "'for' %s must be a number", FOR_ROLES[role >= 0 && role < 3 ? role : 0]);
}

/* ------------------------------------------------------------------ word forms */

/* The inline fast paths in rp8rt.h call these with Values as word pairs
** (see VWord); each rebuilds its Values and takes the slow path above. */

/* Called by index() and getfield() after a table's own entry was nil. */
VWord rt_index_w(State *L, uint32_t ob, uint32_t ot, uint32_t kb, uint32_t kt, uint32_t site) {
  return vword(index_chain(L, Value{ob, ot}, Value{kb, kt}, site, ot == T_TABLE));
}

/* Called by getfield() when the key's main position did not hold it live. */
VWord rt_getfield_w(State *L, uint32_t ob, uint32_t ot, Ref key, uint32_t site) {
  if (ot == T_TABLE) {
    Table *t = ptr<Table>(L, ob);
    Value v = getstr(L, t, key, ptr<String>(L, key)->hash);
    if (!isnil(v) || t->meta == 0) return vword(v);
  }
  return vword(index_chain(L, Value{ob, ot}, Value{key, T_STR}, site, ot == T_TABLE));
}

void rt_setindex_w(State *L, uint32_t ob, uint32_t ot, uint32_t kb, uint32_t kt, uint32_t vb,
                   uint32_t vt, uint32_t site) {
  rt_setindex_slow(L, Value{ob, ot}, Value{kb, kt}, Value{vb, vt}, site);
}

VWord rt_arith_w(State *L, int op, uint32_t ab, uint32_t at, uint32_t bb, uint32_t bt,
                 uint32_t site) {
  return vword(rt_arith_slow(L, op, Value{ab, at}, Value{bb, bt}, site));
}

VWord rt_unm_w(State *L, uint32_t ab, uint32_t at, uint32_t site) {
  return vword(rt_unm_slow(L, Value{ab, at}, site));
}

VWord rt_bnot_w(State *L, uint32_t ab, uint32_t at, uint32_t site) {
  return vword(rt_bnot_slow(L, Value{ab, at}, site));
}

bool rt_eq_w(State *L, uint32_t ab, uint32_t bb) {
  return rt_eq_slow(L, Value{ab, T_TABLE}, Value{bb, T_TABLE});
}

bool rt_lt_w(State *L, uint32_t ab, uint32_t at, uint32_t bb, uint32_t bt, uint32_t site) {
  return rt_lt(L, Value{ab, at}, Value{bb, bt}, site);
}

bool rt_le_w(State *L, uint32_t ab, uint32_t at, uint32_t bb, uint32_t bt, uint32_t site) {
  return rt_le(L, Value{ab, at}, Value{bb, bt}, site);
}

fix32 rt_forfix_w(State *L, uint32_t vb, uint32_t vt, uint32_t site, int role) {
  return for_number(L, Value{vb, vt}, site, role);
}

}  // namespace rp8
