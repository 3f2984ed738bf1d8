/*
** rt_table.cpp -- tables: an array part and a hash part, as in Lua 5.2.
**
** PICO-8 runs Lua 5.2, and some behaviour a cart can see depends on how
** Lua 5.2 lays a table out: `#` on a table with holes returns a border
** found by binary search in the array part, and the array part's size
** comes from the constructor and from the rehash rule (the largest power
** of two n with more than n/2 integer keys in 1..n). rp8 follows those
** rules so `#` gives PICO-8's answers (zepto8's t/tables.p8 checks some).
**
** The hash part is a chained scatter table with Brent's variation: a key
** lives in its main position unless a colliding key got there first; a key
** found squatting in another key's main position is moved out. Keys are
** integer-valued fix32 numbers 1..asize in the array part, any non-nil
** value otherwise. A removed entry keeps its key (value nil) until the next
** rehash, so next() can continue past it. Nodes are 12 bytes (rp8rt.h), so a
** hash part holds at most 2^MAXHBITS of them: more is "out of memory".
*/
#include "rp8rt.h"

namespace rp8 {

static const int MAXABITS = 15;   /* array indices are fix32 integers <= 32767 */

/* ------------------------------------------------------------------ keys */

/* 1..32767 when v is an integer-valued number there, else 0 */
static inline uint32_t arrayindex(Value v) {
  if (v.tag != T_NUM || (v.bits & 0xffffu) != 0 || (int32_t)v.bits <= 0) return 0;
  return v.bits >> 16;
}

static inline uint32_t mix(uint32_t h) {
  h ^= h >> 16;
  h *= 0x85ebca6bu;
  h ^= h >> 13;
  return h;
}

static uint32_t hashof(State *L, Value k) {
  switch (k.tag) {
    case T_STR: return str(L, k)->hash;
    case T_NUM: return mix(k.bits);
    case T_BOOL: return k.bits;
    default: return mix(k.bits >> 3);
  }
}

static inline Node *mainposition(State *L, Table *t, Value k) {
  return nodesof(L, t) + (hashof(L, k) & ((1u << t->lsizenode) - 1));
}

static inline uint32_t nodecount(Table *t) { return t->node ? 1u << t->lsizenode : 0; }

/* ------------------------------------------------------------------ lookup */

static Node *findnode(State *L, Table *t, Value k) {
  if (t->node == 0) return 0;
  Node *n = mainposition(L, t, k);
  for (;;) {
    if (nkey_is(n, k.bits, k.tag)) return n;
    if (n->next == 0) return 0;
    n += n->next;
  }
}

VWord rt_rawgetstr_w(State *L, Table *t, Ref key) {
  if (t->node == 0) return vword(nil());
  Node *n = nodesof(L, t) + (ptr<String>(L, key)->hash & ((1u << t->lsizenode) - 1));
  for (;;) {
    if (nkey_is(n, key, T_STR)) return vword(nval(n));
    if (n->next == 0) return vword(nil());
    n += n->next;
  }
}

Value rt_rawgetint(State *L, Table *t, int32_t i) {
  if (i >= 1 && (uint32_t)i <= t->asize) return arrayof(L, t)[i - 1];
  Node *n = findnode(L, t, num(p8_fixi_wrap((uint32_t)i << 16)));
  return n ? nval(n) : nil();
}

VWord rt_rawget_w(State *L, Table *t, uint32_t kbits, uint32_t ktag) {
  Value key = {kbits, ktag};
  uint32_t i = arrayindex(key);
  if (i != 0 && i <= t->asize) return vword(arrayof(L, t)[i - 1]);
  if (key.tag == T_STR) return rt_rawgetstr_w(L, t, kbits);
  Node *n = findnode(L, t, key);
  return vword(n ? nval(n) : nil());
}

/* ------------------------------------------------------------------ sizing */

static uint32_t ceil_log2(uint32_t x) {
  uint32_t l = 0;
  while ((1u << l) < x) l++;
  return l;
}

/* Lua 5.2 sizes a constructor's parts through its "floating point byte"
** encoding: counts of 16 or more round up to (8..15) * 2^e. */
static uint32_t fb_round(uint32_t x) {
  uint32_t e = 0;
  while (x >= 16) {
    x = (x + 1) >> 1;
    e++;
  }
  return x << e;
}

static inline void insert(State *L, Value tv, Value key, Value val);

/* A hash part with room for n entries (a power of two, n > 0), its log2
** size in *lsize; 0 and 0 for n == 0. */
static Ref new_nodes(State *L, uint32_t n, uint32_t *lsize) {
  *lsize = n ? ceil_log2(n) : 0;
  if (*lsize > MAXHBITS) rt_oom(L);
  return n ? rt_alloc(L, O_NODES, 4 + (1u << *lsize) * (uint32_t)sizeof(Node)) : 0;
}

/* Give t these parts (what the old ones held is the caller's business). */
static void set_parts(Table *t, Ref arr, uint32_t asize, Ref node, uint32_t lsize) {
  t->arr = arr;
  t->asize = asize;
  t->node = node;
  t->lsizenode = (uint8_t)lsize;
  t->lastfree = (uint16_t)(node ? 1u << lsize : 0);
}

/* Give table tv an array part of nasize and a hash part for nhsize keys,
** moving every entry. The new blocks are pinned until they are linked. */
static void resize(State *L, Value tv, uint32_t nasize, uint32_t nhsize) {
  Table *t = tab(L, tv);
  uint32_t oasize = t->asize;
  Ref newarr = t->arr;
  int pinned = 0;
  if (nasize > oasize && oasize > 0 && rt_grow(L, t->arr, 8 + nasize * 8)) {
    newarr = t->arr;   /* grown where it is: nothing to copy or free */
  } else if (nasize != oasize) {
    newarr = nasize ? rt_alloc(L, O_ARRAY, 8 + nasize * 8) : 0;
    if (newarr) {
      rt_pin(L, newarr);
      pinned++;
    }
  }
  uint32_t lsize;
  Ref newnode = new_nodes(L, nhsize, &lsize);
  L->npins -= pinned;
  t = tab(L, tv);
  Ref oldarr = t->arr, oldnode = t->node;
  uint32_t oldnsize = nodecount(t);
  /* array: copy what stays, nil the new tail (rt_alloc zeroed it: nil) */
  if (newarr != oldarr) {
    uint32_t keep = oasize < nasize ? oasize : nasize;
    if (keep) memcpy(L->heap + newarr + 8, L->heap + oldarr + 8, keep * 8);
  }
  set_parts(t, newarr, nasize, newnode, lsize);
  /* entries that leave the array part, then the old hash part's, go in
  ** again; the new parts have room for all of them, so nothing allocates */
  if (oasize > nasize) {
    Value *old = (Value *)(void *)(L->heap + oldarr + 8);
    for (uint32_t i = nasize; i < oasize; i++)
      if (!isnil(old[i])) insert(L, tv, num(p8_fixi_wrap((i + 1) << 16)), old[i]);
  }
  if (oldnode) {
    Node *on = (Node *)(void *)(L->heap + oldnode + 4);
    for (uint32_t j = oldnsize; j-- > 0;)
      if (on[j].vtag != T_NIL) insert(L, tv, nkey(&on[j]), nval(&on[j]));
  }
  if (oldarr && oldarr != newarr) rt_free(L, oldarr);
  if (oldnode) rt_free(L, oldnode);
}

/* nums[i]: keys k with 2^(i-1) < k <= 2^i; returns how many were counted */
static uint32_t count_key(Value k, uint32_t *nums) {
  uint32_t i = arrayindex(k);
  if (i == 0) return 0;
  nums[ceil_log2(i)]++;
  return 1;
}

static uint32_t compute_sizes(uint32_t *nums, uint32_t *narray) {
  uint32_t a = 0, na = 0, n = 0;
  uint32_t twotoi = 1;
  for (int i = 0; i <= MAXABITS && twotoi / 2 < *narray; i++, twotoi *= 2) {
    if (nums[i] > 0) {
      a += nums[i];
      if (a > twotoi / 2) {   /* more than half of 1..twotoi in use */
        n = twotoi;
        na = a;
      }
    }
    if (a == *narray) break;
  }
  *narray = n;
  return na;
}

static void rehash(State *L, Value tv, Value extra) {
  Table *t = tab(L, tv);
  uint32_t nums[MAXABITS + 2];
  for (int i = 0; i <= MAXABITS + 1; i++) nums[i] = 0;
  uint32_t nasize = 0, total = 0;
  /* array part, bin by bin */
  Value *a = t->arr ? arrayof(L, t) : 0;
  uint32_t lg = 0, ttlg = 1, i = 1;
  for (; lg <= MAXABITS; lg++, ttlg *= 2) {
    uint32_t lim = ttlg < t->asize ? ttlg : t->asize;
    if (i > lim) break;
    uint32_t lc = 0;
    for (; i <= lim; i++)
      if (!isnil(a[i - 1])) lc++;
    nums[lg] += lc;
    nasize += lc;
  }
  total = nasize;
  Node *n = t->node ? nodesof(L, t) : 0;
  for (uint32_t j = nodecount(t); j-- > 0;) {
    if (n[j].vtag != T_NIL) {
      nasize += count_key(nkey(&n[j]), nums);
      total++;
    }
  }
  nasize += count_key(extra, nums);
  total++;
  uint32_t na = compute_sizes(nums, &nasize);
  resize(L, tv, nasize, total - na);
}

/* A free node for a colliding key, searching down from lastfree. */
static Node *freepos(State *L, Table *t) {
  Node *base = nodesof(L, t);
  while (t->lastfree > 0) {
    t->lastfree--;
    if (base[t->lastfree].ktag == T_NIL) return base + t->lastfree;
  }
  return 0;
}

/* The table is full: grow it, then set the key. Growing allocates, so the
** table, key and value are pinned meanwhile: a caller in the runtime may
** hold a fresh key or value only in a C++ variable (split's pieces did),
** and the collector must not free it before it is in the table. */
static void grow_and_insert(State *L, Value tv, Value key, Value val) {
  uint32_t pinned = L->npins;
  rt_pin_value(L, tv);
  rt_pin_value(L, key);
  rt_pin_value(L, val);
  rehash(L, tv, key);
  L->npins = pinned;
  insert(L, tv, key, val);
}

/* Set a key known to be absent (val non-nil). */
static void newkey(State *L, Value tv, Value key, Value val) {
  Table *t = tab(L, tv);
  if (t->node == 0) {
    grow_and_insert(L, tv, key, val);
    return;
  }
  Node *mp = mainposition(L, t, key);
  if (mp->vtag != T_NIL) {
    Node *f = freepos(L, t);
    if (f == 0) {
      grow_and_insert(L, tv, key, val);
      return;
    }
    Node *other = mainposition(L, t, nkey(mp));
    if (other != mp) {
      /* the squatter moves to the free node; the new key takes its place */
      while (other + other->next != mp) other += other->next;
      other->next = (int16_t)(f - other);
      *f = *mp;
      if (mp->next != 0) {
        f->next = (int16_t)(f->next + (mp - f));
        mp->next = 0;
      }
      nset_val(mp, nil());
    } else {
      /* the new key goes to the free node, chained after mp */
      f->next = (int16_t)(mp->next != 0 ? mp + mp->next - f : 0);
      mp->next = (int16_t)(f - mp);
      mp = f;
    }
  }
  nset_key(mp, key);
  nset_val(mp, val);
}

/* insert's keys outside the array part, out of line: with newkey inlined
** it saves most registers and a frame, which the array store (the usual
** case: filling a list) should not pay. */
__attribute__((noinline)) static void insert_node(State *L, Value tv, Value key, Value val) {
  Table *t = tab(L, tv);
  Node *n = findnode(L, t, key);
  if (n) {
    nset_val(n, val);
    return;
  }
  if (isnil(val)) return;
  newkey(L, tv, key, val);
}

/* t[key] = val, raw, for a non-nil key; val nil removes. */
static inline void insert(State *L, Value tv, Value key, Value val) {
  Table *t = tab(L, tv);
  uint32_t i = arrayindex(key);
  if (i != 0 && i <= t->asize) {
    arrayof(L, t)[i - 1] = val;
    return;
  }
  insert_node(L, tv, key, val);
}

/* ------------------------------------------------------------------ public */

/* A constructor's table: its parts are made at their sizes, with nothing
** to move (resize's work for a table that has entries). The blocks are
** allocated in resize's order, array part first, so the arena's layout
** is the same as through resize. */
Value rt_newtable(State *L, uint32_t narr, uint32_t nhash) {
  Ref r = rt_alloc(L, O_TABLE, sizeof(Table));
  if (narr == 0 && nhash == 0) return mkref(T_TABLE, r);
  uint32_t nasize = narr ? fb_round(narr) : 0, lsize;
  uint32_t pinned = L->npins;
  rt_pin(L, r);
  Ref arr = 0;
  if (nasize) {
    arr = rt_alloc(L, O_ARRAY, 8 + nasize * 8);   /* zeroed: all nil */
    rt_pin(L, arr);
  }
  Ref node = new_nodes(L, nhash ? fb_round(nhash) : 0, &lsize);
  L->npins = pinned;
  set_parts(ptr<Table>(L, r), arr, nasize, node, lsize);
  return mkref(T_TABLE, r);
}

void rt_rawset_w(State *L, Ref t_ref, uint32_t kbits, uint32_t ktag, uint32_t vbits,
                 uint32_t vtag, uint32_t site) {
  Value tv = {t_ref, T_TABLE}, key = {kbits, ktag}, val = {vbits, vtag};
  if (key.tag == T_NIL) rt_error(L, site, "table index is nil");
  L->site = site;   /* where "out of memory" points if the table must grow */
  Table *t = tab(L, tv);
  t->flags = 0;   /* it may be a metatable: forget cached absent events */
  insert(L, tv, key, val);
}

void rt_rawsetint(State *L, Value tv, int32_t i, Value val) {
  Table *t = tab(L, tv);
  if (i >= 1 && (uint32_t)i <= t->asize) {
    arrayof(L, t)[i - 1] = val;
    return;
  }
  t->flags = 0;
  insert(L, tv, num(p8_fixi_wrap((uint32_t)i << 16)), val);
}

/* Grow the array part to hold at least n items (table constructors with a
** trailing call or `...`, as Lua 5.2's SETLIST does). */
void rt_setlist_reserve(State *L, Value tv, uint32_t n) {
  Table *t = tab(L, tv);
  if (n > t->asize && n <= 32767) resize(L, tv, n, nodecount(t));
}

static uint32_t unbound_search(State *L, Table *t, uint32_t j) {
  uint32_t i = j;
  j++;
  while (!isnil(rt_rawgetint(L, t, (int32_t)j))) {
    i = j;
    if (j > 16383) {
      /* past the fix32 integer range: count linearly, as Lua does on overflow */
      uint32_t k = 1;
      while (k <= 32767 && !isnil(rt_rawgetint(L, t, (int32_t)k))) k++;
      return k - 1;
    }
    j *= 2;
  }
  while (j - i > 1) {
    uint32_t m = (i + j) / 2;
    if (isnil(rt_rawgetint(L, t, (int32_t)m))) j = m; else i = m;
  }
  return i;
}

fix32 rt_rawlen(State *L, Table *t) {
  uint32_t j = t->asize;
  if (j > 0 && isnil(arrayof(L, t)[j - 1])) {
    Value *a = arrayof(L, t);
    uint32_t i = 0;
    while (j - i > 1) {
      uint32_t m = (i + j) / 2;
      if (isnil(a[m - 1])) j = m; else i = m;
    }
    return P8_FIX(i);
  }
  if (t->node == 0) return P8_FIX(j);
  return P8_FIX(unbound_search(L, t, j));
}

bool rt_next(State *L, Value tv, Value key, Value *k, Value *v, uint32_t site) {
  Table *t = tab(L, tv);
  uint32_t i;   /* position to start looking from: 0..asize-1 array, then nodes */
  if (isnil(key)) {
    i = 0;
  } else {
    uint32_t ai = arrayindex(key);
    if (ai != 0 && ai <= t->asize) {
      i = ai;
    } else {
      Node *n = findnode(L, t, key);
      if (n == 0) rt_error(L, site, "invalid key to 'next'");
      i = t->asize + (uint32_t)(n - nodesof(L, t)) + 1;
    }
  }
  for (; i < t->asize; i++) {
    Value x = arrayof(L, t)[i];
    if (!isnil(x)) {
      *k = num(p8_fixi_wrap((i + 1) << 16));
      *v = x;
      return true;
    }
  }
  uint32_t size = nodecount(t);
  for (i -= t->asize; i < size; i++) {
    Node *n = nodesof(L, t) + i;
    if (n->vtag != T_NIL) {
      *k = nkey(n);
      *v = nval(n);
      return true;
    }
  }
  return false;
}

}  // namespace rp8
