/*
** rt_string.cpp -- interned strings, tostr and concatenation.
**
** Every string is interned: two equal strings are the same object, so
** string equality and table lookup compare one Ref. The intern table is a
** bucket array in the arena (O_REFS) chained through String.next; it is
** weak (rt_gc.cpp unlinks strings nothing else reaches).
**
** Building a string: reserve an unlinked String of the final length
** (pinned, since filling it never allocates but interning may grow the
** table), fill it, then intern: if an equal string exists the new one is
** simply left for the collector.
*/
#include "rp8rt.h"

namespace rp8 {

static uint32_t hash_bytes(const char *s, size_t len) {
  uint32_t h = 0x9e3779b9u ^ (uint32_t)len;
  for (size_t i = 0; i < len; i++) h ^= (h << 5) + (h >> 2) + (uint8_t)s[i];
  return h;
}

static Ref *buckets(State *L) { return ptr<Ref>(L, L->strtab + 4); }

static void grow_strtab(State *L) {
  uint32_t size = L->strsize ? L->strsize * 2 : 64;
  Ref nt = rt_alloc(L, O_REFS, 4 + size * 4);
  Ref *nb = ptr<Ref>(L, nt + 4);
  if (L->strtab) {
    Ref *ob = buckets(L);
    for (uint32_t i = 0; i < L->strsize; i++) {
      Ref r = ob[i];
      while (r) {
        String *s = ptr<String>(L, r);
        Ref next = s->next;
        uint32_t b = s->hash & (size - 1);
        s->next = nb[b];
        nb[b] = r;
        r = next;
      }
    }
  }
  L->strtab = nt;
  L->strsize = size;
}

static Ref find(State *L, uint32_t h, const char *s, size_t len) {
  if (L->strsize == 0) return 0;
  for (Ref r = buckets(L)[h & (L->strsize - 1)]; r; r = ptr<String>(L, r)->next) {
    String *x = ptr<String>(L, r);
    if (x->hash == h && x->len == len && memcmp(strdata(x), s, len) == 0) return r;
  }
  return 0;
}

/* A fresh, unlinked string of `len` bytes (NUL-terminated), pinned. */
static Ref reserve(State *L, size_t len) {
  if (len > 0x7fffffu) rt_oom(L);
  Ref r = rt_alloc(L, O_STR, (uint32_t)(sizeof(String) + len + 1));
  ptr<String>(L, r)->len = (uint32_t)len;
  rt_pin(L, r);
  return r;
}

/* Intern a reserved string (unpinning it): the existing equal string or this one. */
static Value intern(State *L, Ref r) {
  String *s = ptr<String>(L, r);
  s->hash = hash_bytes(strdata(s), s->len);
  Ref old = find(L, s->hash, strdata(s), s->len);
  if (old) {
    rt_unpin(L);
    return mkref(T_STR, old);
  }
  if (L->strcount >= L->strsize) grow_strtab(L);   /* r stays pinned meanwhile */
  rt_unpin(L);
  s = ptr<String>(L, r);
  Ref *b = &buckets(L)[s->hash & (L->strsize - 1)];
  s->next = *b;
  *b = r;
  L->strcount++;
  return mkref(T_STR, r);
}

Value rt_str(State *L, const char *s, size_t len) {
  uint32_t h = hash_bytes(s, len);
  Ref old = find(L, h, s, len);
  if (old) return mkref(T_STR, old);
  /* `s` may lie in the arena (a substring of a live string): a collection
  ** never moves or clears a live block, so it survives the reservation. */
  Ref r = reserve(L, len);
  memcpy(L->heap + r + sizeof(String), s, len);
  return intern(L, r);
}

Value rt_cstr(State *L, const char *s) { return rt_str(L, s, strlen(s)); }

/* The text of a number or string operand; false for anything else. */
static bool text_of(State *L, Value v, char *buf, const char **s, size_t *len) {
  if (v.tag == T_STR) {
    String *x = str(L, v);
    *s = strdata(x);
    *len = x->len;
    return true;
  }
  if (v.tag == T_NUM) {
    *len = p8_tostr((fix32)v.bits, 0, buf, P8_TOSTR_MAX);
    *s = buf;
    return true;
  }
  return false;
}

Value rt_tostr(State *L, Value v) {
  char buf[P8_TOSTR_MAX];
  switch (v.tag) {
    case T_STR: return v;
    case T_NUM: return rt_str(L, buf, p8_tostr((fix32)v.bits, 0, buf, sizeof buf));
    case T_NIL: return L->s_nil_str;
    case T_BOOL: return v.bits ? L->s_true : L->s_false;
    case T_TABLE: {
      Value h = rt_metatable_event(L, v, TM_TOSTRING);
      if (!isnil(h)) {
        Value *f = L->top;
        rt_checkstack(L, f, 2);
        f[0] = h;
        f[1] = v;
        L->top = f + 2;
        rt_call(L, f, 1, 1, bare(L->site));
        Value r = f[0];
        L->top = f;
        /* as PUC Lua's tostring: a string, or a number made one; every
        ** caller reads the result as a string */
        if (r.tag == T_NUM) return rt_str(L, buf, p8_tostr((fix32)r.bits, 0, buf, sizeof buf));
        if (r.tag != T_STR) rt_error(L, L->site, "'__tostring' must return a string");
        return r;
      }
      return rt_cstr(L, "[table]");
    }
    case T_FUNC: return rt_cstr(L, "[function]");
    case T_THREAD: return rt_cstr(L, "[thread]");
    default: return rt_cstr(L, "[?]");
  }
}

Value rt_concat(State *L, Value a, Value b, uint32_t site) {
  char ba[P8_TOSTR_MAX], bb[P8_TOSTR_MAX];
  const char *sa, *sb;
  size_t la, lb;
  if (text_of(L, a, ba, &sa, &la) && text_of(L, b, bb, &sb, &lb)) {
    if (lb == 0 && a.tag == T_STR) return a;
    if (la == 0 && b.tag == T_STR) return b;
    L->site = site;
    Ref r = reserve(L, la + lb);   /* a and b are rooted by the caller */
    /* a collection in reserve() moves nothing: re-read the string data */
    if (a.tag == T_STR) sa = strdata(str(L, a));
    if (b.tag == T_STR) sb = strdata(str(L, b));
    char *d = (char *)(L->heap + r + sizeof(String));
    memcpy(d, sa, la);
    memcpy(d + la, sb, lb);
    return intern(L, r);
  }
  Value h = rt_metatable_event(L, a, TM_CONCAT);
  if (isnil(h)) h = rt_metatable_event(L, b, TM_CONCAT);
  if (isnil(h)) {
    Value bad = (a.tag == T_STR || a.tag == T_NUM) ? b : a;
    const char *what = L->cart && site < L->cart->nsites ? L->cart->sites[site].what : "";
    if (what[0] && bad.tag == a.tag && bad.bits == a.bits)
      rt_error(L, site, "attempt to concatenate %s (a %s value)", what, rt_typename(bad));
    rt_error(L, site, "attempt to concatenate a %s value", rt_typename(bad));
  }
  return rt_callmeta(L, h, a, b, site);
}

/* a .. b .. c ...: right to left, as Lua groups it; vals are rooted slots */
Value rt_concat_n(State *L, Value *vals, int n, uint32_t site) {
  Value acc = vals[n - 1];
  for (int i = n - 2; i >= 0; i--) {
    acc = rt_concat(L, vals[i], acc, site);
    vals[i + 1] = acc;   /* keep the partial result rooted */
  }
  return acc;
}

int rt_strcmp(State *L, Value a, Value b) {
  String *x = str(L, a), *y = str(L, b);
  uint32_t n = x->len < y->len ? x->len : y->len;
  int c = memcmp(strdata(x), strdata(y), n);
  if (c != 0) return c;
  return x->len < y->len ? -1 : x->len > y->len ? 1 : 0;
}

bool rt_str2num(State *L, Value s, int32_t flags, fix32 *out) {
  String *x = str(L, s);
  return p8_tonum(strdata(x), x->len, flags, out) != 0;
}

}  // namespace rp8
