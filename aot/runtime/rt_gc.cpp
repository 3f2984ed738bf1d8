/*
** rt_gc.cpp -- the arena: allocation and a precise mark-and-sweep collector.
**
** The arena is one byte array. Blocks are whole 8-byte granules, each
** starting with a header word (type, mark bit, size); free blocks carry the
** next free block in their second word. Blocks never move, so a Ref stays
** valid for as long as its object lives, and runtime code may hold a C++
** pointer to an object across anything except an allocation of another.
**
** Allocation: an exact-size free list for small blocks (1..32 granules),
** then the smallest bigger small block (split), then a large free block
** (the smallest that will do for a large request), and only then the
** untouched space above heap_top. Filling holes first keeps that space in
** one piece for the big blocks a growing table needs: with blocks that
** never move, taking it first left a cart with 28 KiB free in 198 holes of
** at most 320 bytes, "out of memory" for a 392-byte hash part. When all
** fail, or when `used` passes the threshold, collect and retry; then "out
** of memory" (rt_oom, which allocates nothing and ends the cart).
**
** Collection: mark from the roots (the value stack below top, the cart's
** globals and constants, the global table, the runtime's own strings and
** any pinned block) with a bounded mark stack; if it overflows, marked
** blocks are rescanned by walking the arena until nothing new is marked.
** Interned strings are weak: the sweep first unlinks dead ones from the
** intern table. The sweep walks the arena once, merging neighbouring free
** blocks and rebuilding every free list.
**
** live_peak keeps the most bytes found live after any collection (with the
** block whose allocation caused it): the heap
** a cart needs (rp8 build, rp8 compat measure it on the desktop with a
** small gc_step, since the arena's layout is the device's). When measuring,
** peak_census keeps what that peak is made of, by object type.
*/
#include "rp8rt.h"

namespace rp8 {

static const uint32_t GRANULE = 8;

/* Under AddressSanitizer, free arena bytes are poisoned (all but a free
** block's two header words), so a collected object used through a stale
** Ref is reported where it happens. Without it these do nothing. */
#if defined(__SANITIZE_ADDRESS__)
extern "C" void __asan_poison_memory_region(void const volatile *addr, size_t size);
extern "C" void __asan_unpoison_memory_region(void const volatile *addr, size_t size);
static void poison(State *L, Ref r, uint32_t bytes) {
  if (bytes > 8) __asan_poison_memory_region(L->heap + r + 8, bytes - 8);
}
static void unpoison(State *L, Ref r, uint32_t bytes) { __asan_unpoison_memory_region(L->heap + r, bytes); }
#else
static void poison(State *, Ref, uint32_t) {}
static void unpoison(State *, Ref, uint32_t) {}
#endif
/* The least a collection leaves before the next: on a desktop, whose arena
** is PICO-8's 2 MiB, more, so that a cart with little live data collects
** less often (each collection marks all of it). */
#if defined(__arm__)
static const uint32_t MIN_HEADROOM = 32 * 1024;
#else
static const uint32_t MIN_HEADROOM = 256 * 1024;
#endif

static inline uint32_t *hdrp(State *L, Ref r) { return ptr<uint32_t>(L, r); }
static inline Ref *nextfree(State *L, Ref r) { return ptr<Ref>(L, r + 4); }

static void push_free(State *L, Ref r, uint32_t g) {
  unpoison(L, r, 8);
  *hdrp(L, r) = (g << 8) | O_FREE;
  if (g <= SMALL_CLASSES) {
    *nextfree(L, r) = L->free_small[g];
    L->free_small[g] = r;
    L->small_mask |= 1u << (g - 1);
  } else {
    *nextfree(L, r) = L->free_large;
    L->free_large = r;
  }
  poison(L, r, g * GRANULE);
}

void rt_free(State *L, Ref r) {
  uint32_t g = hdr_granules(*hdrp(L, r));
  L->used -= g * GRANULE;
  push_free(L, r, g);
}

void rt_poison_init(State *L) { poison(L, L->heap_top, L->heap_size - L->heap_top); }

/* Carve g granules from the front of free block r (already unlinked). */
static Ref split(State *L, Ref r, uint32_t have, uint32_t g) {
  if (have > g) push_free(L, r + g * GRANULE, have - g);
  return r;
}

/* Stress builds hand out fresh memory before reusing freed blocks, so a
** stale Ref meets poisoned bytes rather than a new object. */
#ifdef RP8_GC_STRESS
static const bool FRESH_FIRST = true;
#else
static const bool FRESH_FIRST = false;
#endif

static Ref pop_small(State *L, uint32_t c) {
  Ref r = L->free_small[c];
  Ref next = *nextfree(L, r);
  L->free_small[c] = next;
  if (next == 0) L->small_mask &= ~(1u << (c - 1));
  return r;
}

/* take() past its first choices: a bigger block, split */
__attribute__((noinline)) static Ref take_split(State *L, uint32_t g) {
  /* the smallest bigger small block */
  if (g < SMALL_CLASSES) {
    uint32_t bigger = L->small_mask >> g;
    if (bigger != 0) {
      uint32_t c = g + 1 + (uint32_t)__builtin_ctz(bigger);
      return split(L, pop_small(L, c), c, g);
    }
  }
  /* a large block: for a small request the first (the one split last,
  ** usually), for a large one the smallest that will do */
  Ref *best = 0;
  uint32_t best_have = 0xffffffffu;
  for (Ref *link = &L->free_large; *link != 0; link = nextfree(L, *link)) {
    uint32_t have = hdr_granules(*hdrp(L, *link));
    if (have >= g && have < best_have) {
      best = link;
      best_have = have;
      if (have == g || g <= SMALL_CLASSES) break;
    }
  }
  if (best != 0) {
    Ref r = *best;
    *best = *nextfree(L, r);
    return split(L, r, best_have, g);
  }
  /* untouched space last, kept whole for big blocks as long as possible */
  uint32_t bytes = g * GRANULE;
  if (L->heap_size - L->heap_top >= bytes) {
    Ref r = L->heap_top;
    L->heap_top += bytes;
    return r;
  }
  return 0;
}

/* A free block of g granules, 0 when none will do. Inline up to the usual
** case, an exact-size small block (rt_alloc's every call). */
static inline Ref take(State *L, uint32_t g) {
  if (FRESH_FIRST && L->heap_size - L->heap_top >= g * GRANULE) {
    Ref r = L->heap_top;
    L->heap_top += g * GRANULE;
    return r;
  }
  if (g <= SMALL_CLASSES && L->free_small[g] != 0) return pop_small(L, g);
  return take_split(L, g);
}

/* Block r, grown to `bytes` where it lies: it must end where the untouched
** space begins (the last block made, as an array part doubling under add()
** usually is). The new bytes are zeroed. Growing an array part this way
** needs no second block beside the old one, whose freed space would be too
** small for the next doubling: on the RP2040 that is the difference
** between fitting and "out of memory" for carts that build big arrays. */
bool rt_grow(State *L, Ref r, uint32_t bytes) {
  uint32_t *h = hdrp(L, r);
  uint32_t have = hdr_granules(*h) * GRANULE;
  uint32_t g = (bytes + GRANULE - 1) / GRANULE;
  uint32_t extra = g * GRANULE - have;
  if (g * GRANULE <= have || r + have != L->heap_top || L->heap_size - L->heap_top < extra) return false;
  unpoison(L, L->heap_top, extra);
  memset(L->heap + L->heap_top, 0, extra);
  L->heap_top += extra;
  *h = (g << 8) | (*h & 0xffu);
  L->used += extra;
  return true;
}

static void tally(State *L, uint32_t bytes[O_NTYPES], uint32_t blocks[O_NTYPES]);

/* Just after a collection every block in use is live: a new most-live mark,
** and when measuring, the bytes per type it is made of (one walk of the
** arena per new mark, so only measuring runs pay it). */
static void new_peak(State *L) {
  L->live_peak = L->used;
  if (L->peak_census != 0) tally(L, L->peak_census, 0);
}

/* Zero a block's g granules but its header word (the caller writes it).
** Most blocks are a few granules (a table header is 3, a small hash part
** 7), where a call to the library's memset costs more than the stores on
** the Cortex-M0+. An empty asm in the loop keeps GCC from turning the
** loop back into that call. */
static void zero_block(State *L, Ref r, uint32_t g) {
  if (g > 8) {
    memset(L->heap + r, 0, g * GRANULE);
    return;
  }
  uint32_t *w = hdrp(L, r);
  w[1] = 0;
  for (uint32_t i = 1; i < g; i++) {
    w[2 * i] = 0;
    w[2 * i + 1] = 0;
    __asm__("" : : "r"(w) : "memory");
  }
}

Ref rt_alloc(State *L, uint32_t type, uint32_t bytes) {
  if (bytes > L->heap_size) rt_oom(L);
  uint32_t g = (bytes + GRANULE - 1) / GRANULE;
  if (g == 0) g = 1;
  uint32_t collections = L->collections;
#ifdef RP8_GC_STRESS
  /* test builds: collect before every allocation, so an unrooted value
  ** anywhere is freed (and caught by the sanitizers) at once */
  if (L->gc_blocked == 0) rt_collect(L);
#else
  if (L->used + g * GRANULE > L->threshold && L->gc_blocked == 0) rt_collect(L);
#endif
  Ref r = take(L, g);
  /* take() uses any free block big enough before collecting again, so a
  ** cart near its limit does not collect at every miss of an exact size */
  if (r == 0 && L->gc_blocked == 0) {
    rt_collect(L);
    r = take(L, g);
  }
  if (r == 0) rt_oom(L);
  unpoison(L, r, g * GRANULE);
  zero_block(L, r, g);
  *hdrp(L, r) = (g << 8) | type;
  L->used += g * GRANULE;
  /* just after a collection everything in use is live, this block too */
  if (L->collections != collections && L->used > L->live_peak) new_peak(L);
  return r;
}

/* ------------------------------------------------------------------ mark */

static void mark_ref(State *L, Ref r) {
  uint32_t *h = hdrp(L, r);
  if (*h & HDR_MARK) return;
  *h |= HDR_MARK;
  uint32_t t = hdr_type(*h);
  if (t == O_STR || t == O_ARRAY || t == O_NODES || t == O_REFS) return;  /* nothing inside to trace here */
  if (L->marktop < MARK_STACK) {
    L->markstack[L->marktop++] = r;
  } else {
    L->mark_overflow = true;   /* marked but not scanned: found again by rescan */
  }
}

static inline void mark_value(State *L, Value v) {
  switch (v.tag) {
    case T_STR: case T_TABLE: case T_THREAD: case T_CELL:
      mark_ref(L, v.bits);
      break;
    case T_FUNC:
      if (!islight(v)) mark_ref(L, v.bits);
      break;
    default:
      break;
  }
}

static void scan(State *L, Ref r) {
  uint32_t h = *hdrp(L, r);
  switch (hdr_type(h)) {
    case O_TABLE: {
      Table *t = ptr<Table>(L, r);
      if (t->meta) mark_ref(L, t->meta);
      if (t->arr) {
        *hdrp(L, t->arr) |= HDR_MARK;
        Value *a = arrayof(L, t);
        for (uint32_t i = 0; i < t->asize; i++) mark_value(L, a[i]);
      }
      if (t->node) {
        *hdrp(L, t->node) |= HDR_MARK;
        Node *n = nodesof(L, t);
        uint32_t size = 1u << t->lsizenode;
        for (uint32_t i = 0; i < size; i++) {
          /* keys of removed entries stay marked so next() can pass them */
          mark_value(L, nkey(&n[i]));
          mark_value(L, nval(&n[i]));
        }
      }
      break;
    }
    case O_CLOSURE: {
      Closure *c = ptr<Closure>(L, r);
      Ref *up = upcells(c);
      for (uint32_t i = 0; i < c->nup; i++)
        if (up[i]) mark_ref(L, up[i]);   /* 0 while a closure is being filled */
      break;
    }
    case O_CELL:
      mark_value(L, ptr<Cell>(L, r)->v);
      break;
    case O_THREAD: {
      /* a suspended coroutine's stack holds its locals */
      Value *lo, *hi;
      if (rt_co_segment(L, r, &lo, &hi))
        for (Value *p = lo; p < hi; p++) mark_value(L, *p);
      break;
    }
    default:
      break;
  }
}

static void drain(State *L) {
  while (L->marktop > 0) scan(L, L->markstack[--L->marktop]);
}

/* The mark stack overflowed: scan every marked block again until a pass
** marks nothing new. Scanning is idempotent, so repeats are harmless. */
static void rescan(State *L) {
  while (L->mark_overflow) {
    L->mark_overflow = false;
    for (Ref r = GRANULE; r < L->heap_top;) {
      uint32_t h = *hdrp(L, r);
      if ((h & HDR_MARK) && hdr_type(h) != O_FREE) {
        scan(L, r);
        drain(L);
      }
      r += hdr_granules(h) * GRANULE;
    }
  }
}

static void mark_value_fn(State *L, Value v) { mark_value(L, v); }

static void mark_roots(State *L) {
  rt_co_roots(L, mark_value_fn);
  if (L->cart != 0) rt_bios_roots(L, mark_value_fn);
  if (L->cart != 0) {
    for (uint32_t i = 0; i < L->cart->nglobals; i++) mark_value(L, L->cart->globals[i]);
    for (uint32_t i = 0; i < L->cart->nconsts; i++) mark_value(L, L->cart->consts[i]);
  }
  mark_value(L, L->genv);
  mark_value(L, L->main_env);
  mark_value(L, L->errval);
  if (L->host != 0) {
    mark_value(L, L->host->param);
    mark_value(L, L->host->menu);
    mark_value(L, L->host->clipboard);
  }
  for (int i = 0; i < TM_N; i++) mark_value(L, L->tmname[i]);
  mark_value(L, L->s_true);
  mark_value(L, L->s_false);
  mark_value(L, L->s_nil_str);
  mark_value(L, L->s_empty);
  mark_value(L, L->s_oom);
  for (uint32_t i = 0; i < L->npins; i++) mark_ref(L, L->pins[i]);
  if (L->strtab) *hdrp(L, L->strtab) |= HDR_MARK;
  drain(L);
}

/* ------------------------------------------------------------------ sweep */

static void clear_dead_strings(State *L) {
  if (L->strtab == 0) return;
  Ref *buckets = ptr<Ref>(L, L->strtab + 4);
  for (uint32_t i = 0; i < L->strsize; i++) {
    Ref *link = &buckets[i];
    while (*link != 0) {
      String *s = ptr<String>(L, *link);
      if (s->hdr & HDR_MARK) {
        link = &s->next;
      } else {
        *link = s->next;
        L->strcount--;
      }
    }
  }
}

static void sweep(State *L) {
  for (int i = 0; i <= SMALL_CLASSES; i++) L->free_small[i] = 0;
  L->small_mask = 0;
  L->free_large = 0;
  L->used = 0;
  Ref run = 0;            /* start of the current run of free blocks */
  for (Ref r = GRANULE; r < L->heap_top;) {
    uint32_t *h = hdrp(L, r);
    uint32_t g = hdr_granules(*h);
    bool live = (*h & HDR_MARK) && hdr_type(*h) != O_FREE;
    if (live) {
      *h &= ~HDR_MARK;
      L->used += g * GRANULE;
      if (run != 0) {
        push_free(L, run, (r - run) / GRANULE);
        run = 0;
      }
    } else {
      /* a coroutine nobody can resume any more gives its pool slot back */
      if (hdr_type(*h) == O_THREAD) rt_co_release(L, r);
      if (run == 0) run = r;
    }
    r += g * GRANULE;
  }
  if (run != 0 && FRESH_FIRST) {
    push_free(L, run, (L->heap_top - run) / GRANULE);
  } else if (run != 0) {
    /* a free tail (never put on a list) goes back to the bump space */
    L->heap_top = run;
    poison(L, run, L->heap_size - run);
  }
}

void rt_collect(State *L) {
  if (L->gc_blocked) return;
  L->marktop = 0;
  L->mark_overflow = false;
  for (Value &v : L->order_cache) v = nil();
  mark_roots(L);
  rescan(L);
  clear_dead_strings(L);
  sweep(L);
  L->collections++;
  if (L->used > L->live_peak) new_peak(L);
  uint32_t room = L->used > MIN_HEADROOM ? L->used : MIN_HEADROOM;
  /* measuring: samples dense enough that the peak found is within ~6% (or
  ** gc_step) of the true one, at a bounded cost per byte allocated */
  if (L->gc_step != 0) room = L->used / 16 > L->gc_step ? L->used / 16 : L->gc_step;
  uint32_t limit = L->heap_size - GRANULE;
  L->threshold = L->used + room > limit ? limit : L->used + room;
}

}  // namespace rp8

namespace rp8 {

/* Bytes and blocks (blocks may be 0) per object type in the arena now:
** after a collection, what is live (free blocks at O_FREE). */
static void tally(State *L, uint32_t bytes[O_NTYPES], uint32_t blocks[O_NTYPES]) {
  for (uint32_t t = 0; t < O_NTYPES; t++) {
    bytes[t] = 0;
    if (blocks != 0) blocks[t] = 0;
  }
  for (Ref r = GRANULE; r < L->heap_top;) {
    uint32_t h = *hdrp(L, r);
    uint32_t t = hdr_type(h);
    if (t < O_NTYPES) {
      bytes[t] += hdr_granules(h) * GRANULE;
      if (blocks != 0) blocks[t]++;
    }
    r += hdr_granules(h) * GRANULE;
  }
}

/* What the live heap is made of, for measuring (rp8_heap_census): bytes and
** blocks per object type (O_*), after a collection. */
void rt_census(State *L, uint32_t bytes[O_NTYPES], uint32_t blocks[O_NTYPES]) {
  rt_collect(L);
  tally(L, bytes, blocks);
}

}  // namespace rp8
