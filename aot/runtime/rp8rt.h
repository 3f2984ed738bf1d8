/*
** rp8rt.h -- the runtime that C++ emitted by aot/cpp_backend.py runs on.
**
** One header for generated code and the runtime's own files. C++17 without
** exceptions, RTTI, floating point or malloc: everything a cart creates
** lives in one fixed arena that the host hands to rt_init, and a precise
** mark-and-sweep collector reclaims it.
**
** Values. A Value is 8 bytes on every target: 32 payload bits and a tag.
** Numbers are fix32 (PICO-8's signed 16.16) held unboxed in the payload;
** booleans are 0/1; strings, tables, closures and cells are arena offsets
** (Ref), not pointers, so the layout (and stat(0)) is the same on a 64-bit
** desktop and on the 32-bit RP2040. A function without upvalues is "light":
** its payload names the function directly and needs no allocation.
**
** Frames. Compiled functions keep every Value that may hold a reference in
** slots of one value stack (R[0..framesize)), never in C++ locals across a
** call or an allocation; so the stack below `top`, the cart's global and
** constant arrays and a few pinned refs are the collector's whole root set.
** Numbers proven numeric live in C++ locals (fix32) and are not roots.
**
** Calls. `int fn(State *L, Value *R, int nargs)`: the arguments are R[0..
** nargs), the called function value sits at R[-1]; the callee writes its
** results from R[-1] on and returns how many. Errors longjmp to the nearest
** protected boundary (the host's, or the running coroutine's); emitted code and
** the runtime hold only trivially destructible data, so nothing is skipped.
*/
#ifndef rp8rt_h
#define rp8rt_h

#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

extern "C" {
#include "p8.h"
#include "p8_fix.h"
#include "p8_input.h"
#include "p8_mem.h"
#include "p8_print.h"
#include "p8_rng.h"
#include "p8_str.h"
}

namespace rp8 {

/* ------------------------------------------------------------------ values */

enum : uint32_t {
  T_NIL = 0, T_BOOL = 1, T_NUM = 2, T_STR = 3, T_TABLE = 4, T_FUNC = 5, T_THREAD = 6,
  T_CELL = 7   /* internal: a frame slot holding a captured local's cell */
};

struct Value {
  uint32_t bits;   /* fix32 raw bits, 0/1, or an arena Ref */
  uint32_t tag;
};

typedef uint32_t Ref;   /* byte offset into the arena; 0 is no object */

inline Value nil() { return Value{0, T_NIL}; }
inline Value num(fix32 f) { return Value{(uint32_t)f, T_NUM}; }
/* an unboxed numeric global of compiled code: nil until first assigned */
inline Value gnum(uint8_t assigned, fix32 f) { return assigned ? num(f) : nil(); }
inline Value boolean(bool b) { return Value{b ? 1u : 0u, T_BOOL}; }
inline Value mkref(uint32_t tag, Ref r) { return Value{r, tag}; }
inline fix32 fixof(Value v) { return p8_fixi_wrap(v.bits); }
inline bool isnil(Value v) { return v.tag == T_NIL; }
inline bool isnum(Value v) { return v.tag == T_NUM; }
/* nil and false are the only false values; nil's payload is always 0 */
inline bool truthy(Value v) { return v.tag > T_BOOL || v.bits != 0; }
inline bool rawequal(Value a, Value b) { return a.bits == b.bits && a.tag == b.tag; }

/* A Value as one 64-bit word: the payload low, the tag high. The slow paths
** the inline fast paths below call take Values as (bits, tag) word pairs and
** return a VWord, because on the Cortex-M0+ a Value argument or result of a
** call makes GCC build the Value in a stack slot even on the fast path (and
** copy 8-aligned slots with a call to memcpy); words stay in registers. */
typedef uint64_t VWord;
inline VWord vword(Value v) { return (uint64_t)v.tag << 32 | v.bits; }
inline Value unword(VWord w) { return Value{(uint32_t)w, (uint32_t)(w >> 32)}; }

/* A light function's payload: (function id << 3) | 1. Arena refs are
** multiples of 8, so bit 0 tells the two kinds of function apart. */
inline bool islight(Value v) { return (v.bits & 1u) != 0; }
inline Value lightfn(uint32_t id) { return Value{(id << 3) | 1u, T_FUNC}; }
/* Function ids: cart functions 0..n-1, the runtime's builtins from here. */
enum : uint32_t { BUILTIN_BASE = 0x8000u };

/* ------------------------------------------------------------------ objects */

/* Every arena block starts with a header word:
**   bits 0-3 type, bit 4 mark, bits 8-31 size in 8-byte granules. */
enum : uint32_t {
  O_FREE = 0, O_STR = 1, O_TABLE = 2, O_CLOSURE = 3, O_CELL = 4, O_ARRAY = 5,
  O_NODES = 6, O_REFS = 7, O_THREAD = 8, O_NTYPES = 9
};
enum : uint32_t { HDR_MARK = 0x10u };
inline uint32_t hdr_type(uint32_t h) { return h & 15u; }
inline uint32_t hdr_granules(uint32_t h) { return h >> 8; }

struct String {        /* followed by len bytes and a NUL */
  uint32_t hdr;
  uint32_t hash;
  uint32_t len;
  Ref next;            /* chain in the intern table */
};
inline const char *strdata(const String *s) { return (const char *)(s + 1); }

/* One hash-part entry (Lua 5.2's chained scatter table) in 12 bytes: the
** key's and the value's payloads, their tags as bytes (one load each on the
** Cortex-M0+), and the offset to the next node of the chain (0 at its end;
** a hash part has at most 2^MAXHBITS nodes, so it fits 16 bits). Hash nodes
** are most of a big cart's heap; two whole Values would take 20 bytes. */
struct Node {
  uint32_t kbits;
  uint32_t vbits;
  uint8_t ktag;
  uint8_t vtag;
  int16_t next;
};
inline Value nkey(const Node *n) { return Value{n->kbits, n->ktag}; }
inline Value nval(const Node *n) { return Value{n->vbits, n->vtag}; }
inline bool nkey_is(const Node *n, uint32_t bits, uint32_t tag) { return n->kbits == bits && n->ktag == tag; }
inline void nset_key(Node *n, Value k) {
  n->kbits = k.bits;
  n->ktag = (uint8_t)k.tag;
}
inline void nset_val(Node *n, Value v) {
  n->vbits = v.bits;
  n->vtag = (uint8_t)v.tag;
}

/* 24 bytes, three granules. A hash part has at most 2^15 nodes (lastfree
** fits 16 bits): PICO-8's 2 MiB could not hold a bigger one either. */
struct Table {
  uint32_t hdr;
  Ref meta;            /* metatable or 0 */
  Ref arr;             /* O_ARRAY block of asize Values, or 0 */
  uint32_t asize;
  Ref node;            /* O_NODES block of 1 << lsizenode Nodes, or 0 */
  uint8_t lsizenode;
  uint8_t flags;       /* bit e set: this table, as a metatable, lacks event e */
  uint16_t lastfree;   /* free-slot search position in the hash part */
};
enum { MAXHBITS = 15 };

struct Closure {       /* followed by nup cell Refs */
  uint32_t hdr;
  uint16_t id;         /* function id */
  uint16_t nup;
};
inline Ref *upcells(Closure *c) { return (Ref *)(void *)(c + 1); }

struct Cell {          /* a captured local, shared by the closures that see it */
  uint32_t hdr;
  Value v;
};

/* The sizes the RAM budget is planned with, the same on every target. */
static_assert(sizeof(Value) == 8, "a Value is 8 bytes");
static_assert(sizeof(Node) == 12, "a hash node is 12 bytes");
static_assert(sizeof(Table) == 24, "a table header is 24 bytes");
static_assert(sizeof(String) == 16, "a string header is 16 bytes");

/* ------------------------------------------------------------------ state */

struct State;
typedef int (*CFn)(State *L, Value *R, int nargs);

/* A builtin by PICO-8 name. Ids: rt_lib.cpp's BUILTINS, then the generated
** API_BUILTINS (rt_api.cpp), then HOST_BUILTINS (rt_host.cpp), then
** BIOS_BUILTINS (rt_bios.cpp, aot/bios.lua compiled), in order. */
struct Builtin {
  const char *name;
  CFn fn;
};

struct Proto {
  CFn fn;
  const char *name;    /* for messages: "f", "a.b:m", "main chunk" */
};

/* A place in the cart that can fail: emitted code passes its index so an
** error names the tab and line (and the variable, when known) for free. */
struct Site {
  const char *where;   /* "cart.p8 tab 0 line 12", as aot.source.Source.where */
  const char *what;    /* "global 'x'", "field 'y'", "local 'z'" or "" */
};

/* A site with this bit set names only the place, not a variable: builtins
** pass their caller's site this way for the calls and indexing they do. */
enum : uint32_t { SITE_BARE = 0x80000000u };
inline uint32_t bare(uint32_t site) { return site | SITE_BARE; }

/* What an emitted cart hands the runtime. */
struct Cart {
  const char *name;
  const Proto *protos;
  uint32_t nprotos;
  const Site *sites;
  uint32_t nsites;
  Value *globals;             /* static globals (roots) */
  const char *const *gnames;  /* their names, for the host and _G */
  uint32_t nglobals;
  Value *consts;              /* interned string constants (roots) */
  const char *const *kdata;
  const uint32_t *klen;
  uint32_t nconsts;
  bool dynamic_globals;       /* globals live in the _G table instead */
};

/* metamethod events, in the order of State.tmname */
enum {
  TM_INDEX, TM_NEWINDEX, TM_MODE, TM_LEN, TM_EQ, TM_CALL, TM_ADD, TM_SUB, TM_MUL,
  TM_DIV, TM_MOD, TM_POW, TM_UNM, TM_CONCAT, TM_LT, TM_LE, TM_TOSTRING, TM_IDIV,
  TM_BAND, TM_BOR, TM_BXOR, TM_SHL, TM_SHR, TM_LSHR, TM_ROTL, TM_ROTR, TM_BNOT,
  TM_N
};

/* Binary operators (arith_slow's first argument); same order as the events
** from TM_ADD, with the ones that have no event after them. */
enum Op {
  OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_MOD, OP_POW, OP_IDIV, OP_BAND, OP_BOR, OP_BXOR,
  OP_SHL, OP_SHR, OP_LSHR, OP_ROTL, OP_ROTR
};

enum { SMALL_CLASSES = 32 };     /* exact-size free lists, 1..32 granules */
enum { MARK_STACK = 256 };
enum { NPIN = 6 };

/* An execution context: the host's, the cart's game loop, or a Lua
** coroutine. Each has its own C stack and value stack segment; a switch
** saves the running context's part of State here (rt_co.cpp). */
enum : uint8_t { CO_FREE, CO_SUSPENDED, CO_RUNNING, CO_NORMAL, CO_DEAD };
struct Coro {
  void *sp;                      /* saved C stack pointer while switched out */
  uint8_t *cbase;                /* its C stack (null: the thread's own) */
  size_t csize;
  Value *stack, *stack_end;      /* its value stack segment */
  Value *top;                    /* saved L->top */
  uint32_t depth, max_depth;     /* saved call depth and its limit */
  jmp_buf *errjmp;               /* saved error boundary */
  uint32_t site;
  struct Coro *resumer;          /* who switched to it (the resume chain) */
  Value *transfer;               /* values passed at a switch ... */
  int ntransfer;                 /* ... and how many */
  uint8_t status;
  bool lua_thread;               /* made by cocreate (yield may leave it) */
  bool errored;                  /* died by an error: transfer[0] is it */
  Ref obj;                       /* its O_THREAD block, or 0 */
};

#ifndef RP8_ORDER_CACHE
#define RP8_ORDER_CACHE 8
#endif

struct State {
  /* arena */
  uint8_t *heap;
  uint32_t heap_size;
  uint32_t heap_top;             /* bump pointer: [heap_top, heap_size) unused */
  Ref free_small[SMALL_CLASSES + 1];
  uint32_t small_mask;            /* bit c-1 set: free_small[c] is not empty */
  Ref free_large;
  uint32_t used;                 /* bytes in allocated blocks (stat(0)) */
  uint32_t threshold;            /* collect when `used` passes this */
  uint32_t collections;
  uint32_t gc_blocked;
  uint32_t live_peak;            /* most bytes still in use after a collection */
  uint32_t gc_step;              /* measuring: collect every gc_step bytes (0: normal policy) */
  uint32_t *peak_census;         /* measuring: bytes per O_* type live at live_peak (0: not kept) */
  Ref pins[NPIN];                /* objects a runtime function is building */
  uint32_t npins;
  Ref markstack[MARK_STACK];
  uint32_t marktop;
  bool mark_overflow;

  /* value stack */
  Value *stack, *stack_end, *top;
  uint32_t depth, max_depth;

  /* strings */
  Ref strtab;                    /* O_REFS block: bucket heads */
  uint32_t strsize, strcount;
  Value tmname[TM_N];
  Value s_true, s_false, s_nil_str, s_empty;
  Value s_oom;                   /* "out of memory", made before it can be needed */

  /* the cart */
  const Cart *cart;
  Value genv;                    /* the global table when globals are dynamic */
  uint32_t site;                 /* the call in progress, for builtins' errors */

  /* errors */
  jmp_buf *errjmp;
  Value errval;
  /* the message of the last error raised, kept outside the arena: when
  ** memory ran out (errval is s_oom, errlen > 0) it is the text to report,
  ** so reporting allocates nothing */
  char errbuf[256];
  uint32_t errlen;
  bool in_error;                 /* rt_error is making its message */

  /* platform */
  void (*write)(void *ud, int stream, const char *s, size_t n);
  void *ud;
  p8_state *p8;

  /* the console around the cart: buttons, time, flip (rt_host.cpp) */
  struct Host *host;

  /* contexts: the one rt_init ran on, and the one running now */
  Coro co_main;
  Coro *co;
  Coro *co_flipped;              /* the context that called flip(), if any */

  /* the main chunk's final _ENV, where the callbacks are (nil: globals) */
  Value main_env;

  /* loop back-edges count down to a look at the clock (rt_tick) */
  uint32_t ticks;

  /* pairs()' latest ordered views of tables (rt_lib.cpp), not roots: a
  ** collection drops them */
  Value order_cache[RP8_ORDER_CACHE];
};

enum : uint32_t { TICK_PERIOD = 4096 };
/* A loop went round TICK_PERIOD times: is the frame up (rt_host.cpp)? */
void rt_tick_slow(State *L);
inline void rt_tick(State *L) {
  if (--L->ticks == 0) rt_tick_slow(L);
}

/* What the frame loop shares with the system builtins (btn, time, flip...).
** rt_init points L->host at a zeroed one: a host without a frame loop (the
** tests' host_main.cpp) sees no buttons and time 0. */
/* abort kinds: run(), stop(), a frame over the host's time limit, load()
** of another cart (the platform holds the request); no coroutine boundary
** stops these (coresume passes them on) */
enum { HOST_RUN = 1, HOST_STOP = 2, HOST_LIMIT = 3, HOST_LOAD = 16 };
struct Host {
  uint32_t frames;             /* frames since power-on (stat(80..95)) */
  int fps;                     /* 30, or 60 under _update60 */
  bool hold;                   /* holdframe() called */
  bool have_cartdata;          /* cartdata() called */
  bool cartdata_open;          /* ... and 0x5e00-0x5eff belongs to cart_id */
  char cart_id[68];
  uint8_t cartdata_saved[256]; /* what plat_cartdata_save last saw */
  int abort_kind;              /* HOST_RUN / HOST_STOP after such a throw */
  Value param;                 /* stat(6): a string, or nil for "" (a root) */
  Value menu;                  /* menuitem()s: a table, or nil (a root) */
  Value clipboard;             /* printh(s, "@clip"): stat(4), or nil for "" (a root) */
  /* services of the frame loop; null where there is none */
  void (*flip)(State *L);                               /* present a frame now */
  int (*cartdata_load)(const char *id, uint8_t out[256]);
  uint32_t (*time_us)(void);
  /* printh(s, file, overwrite): 0, or an error message */
  const char *(*printh_file)(const char *name, size_t nlen, const char *s, size_t n, bool overwrite);
  uint32_t frame_start_us;
  uint32_t frame_limit_us;     /* a frame running longer is an error (0: none) */
  uint32_t tick_us;            /* the clock at rt_tick_slow's last look */
  uint32_t tick_run;           /* the back-edges it let run to this look (0: TICK_PERIOD) */
  bool in_draw;                /* _draw is running: its frame is never cut */
  bool stat0_pinned;           /* stat(0) answers stat0_pin, not the arena's use */
  fix32 stat0_pin;
};

/* ------------------------------------------------------------------ arena access */

template <class T> inline T *ptr(State *L, Ref r) { return (T *)(void *)(L->heap + r); }
inline String *str(State *L, Value v) { return ptr<String>(L, v.bits); }
inline Table *tab(State *L, Value v) { return ptr<Table>(L, v.bits); }
inline Cell *cell(State *L, Value v) { return ptr<Cell>(L, v.bits); }
inline Value *arrayof(State *L, Table *t) { return (Value *)(void *)(L->heap + t->arr + 8); }
inline Node *nodesof(State *L, Table *t) { return (Node *)(void *)(L->heap + t->node + 4); }

/* ------------------------------------------------------------------ setup (rt_core.cpp) */

/* Lay out the stack and the arena inside `mem` (8-byte aligned). */
void rt_init(State *L, void *mem, size_t size, uint32_t stack_slots, p8_state *p8,
             void (*write)(void *ud, int stream, const char *s, size_t n), void *ud);
/* Bind the cart: intern its constants, set up globals. 0 on success. */
int rt_load(State *L, const Cart *cart);
/* Run fn(args) protected: 0 on success, else an error was reported
** (L->errval holds the message). Results are dropped. */
int rt_pcall(State *L, Value fn, int nargs, const Value *args);
int rt_protect(State *L, void (*body)(State *, void *), void *ud);   /* 0, or 1 when body raised */
/* A global by name (static or dynamic), nil when absent. */
Value rt_getglobal(State *L, const char *name);
/* Its slot, when the cart's globals are static and it has one (else 0). */
Value *rt_globalslot(State *L, const char *name);
/* The error message as text (for the host). */
const char *rt_errtext(State *L, size_t *len);

/* ------------------------------------------------------------------ errors */

[[noreturn]] void rt_error(State *L, uint32_t site, const char *fmt, ...);
/* Out of memory at L->site: an ordinary error (a coroutine's coresume
** catches it, as Lua's "not enough memory"), raised without allocating. */
[[noreturn]] void rt_oom(State *L);
[[noreturn]] void rt_throw(State *L, Value v);
[[noreturn]] void rt_unsupported(State *L, uint32_t site, const char *what);

/* ------------------------------------------------------------------ memory (rt_gc.cpp) */

Ref rt_alloc(State *L, uint32_t type, uint32_t bytes);
void rt_collect(State *L);
void rt_free(State *L, Ref r);        /* a block known to have no other reference */
bool rt_grow(State *L, Ref r, uint32_t bytes);   /* in place, if r is the last block made */
void rt_poison_init(State *L);
/* collect, then count live bytes and blocks per object type (measuring) */
void rt_census(State *L, uint32_t bytes[O_NTYPES], uint32_t blocks[O_NTYPES]);
inline void rt_pin(State *L, Ref r) { L->pins[L->npins++] = r; }
inline void rt_unpin(State *L) { L->npins--; }
/* pin v's object, if it is one (numbers, booleans, nil and builtins are not) */
inline void rt_pin_value(State *L, Value v) {
  if (v.tag >= T_STR && !(v.tag == T_FUNC && islight(v))) rt_pin(L, v.bits);
}

/* ------------------------------------------------------------------ strings (rt_string.cpp) */

Value rt_str(State *L, const char *s, size_t len);
Value rt_cstr(State *L, const char *s);
Value rt_tostr(State *L, Value v);           /* tostr(v) without flags */
Value rt_concat(State *L, Value a, Value b, uint32_t site);
Value rt_concat_n(State *L, Value *vals, int n, uint32_t site);
int rt_strcmp(State *L, Value a, Value b);  /* byte order, like memcmp */
/* tonum for a string; false when it is not a number */
bool rt_str2num(State *L, Value s, int32_t flags, fix32 *out);

/* ------------------------------------------------------------------ tables (rt_table.cpp) */

Value rt_newtable(State *L, uint32_t narr, uint32_t nhash);
VWord rt_rawget_w(State *L, Table *t, uint32_t kbits, uint32_t ktag);
VWord rt_rawgetstr_w(State *L, Table *t, Ref key);   /* key is a string */
inline Value rt_rawget(State *L, Table *t, Value key) {
  return unword(rt_rawget_w(L, t, key.bits, key.tag));
}
inline Value rt_rawgetstr(State *L, Table *t, Value key) {
  return unword(rt_rawgetstr_w(L, t, key.bits));
}
Value rt_rawgetint(State *L, Table *t, int32_t i);
void rt_rawset_w(State *L, Ref t, uint32_t kbits, uint32_t ktag, uint32_t vbits, uint32_t vtag,
                 uint32_t site);
inline void rt_rawset(State *L, Value t, Value key, Value val, uint32_t site) {
  rt_rawset_w(L, t.bits, key.bits, key.tag, val.bits, val.tag, site);
}
void rt_rawsetint(State *L, Value t, int32_t i, Value val);
fix32 rt_rawlen(State *L, Table *t);         /* the border, as Lua 5.2's luaH_getn */
void rt_setlist_reserve(State *L, Value t, uint32_t n);
/* next(t, key): writes key/value, false at the end; error on a bad key */
bool rt_next(State *L, Value t, Value key, Value *k, Value *v, uint32_t site);

/* ------------------------------------------------------------------ operations (rt_ops.cpp) */

Value rt_index_slow(State *L, Value obj, Value key, uint32_t site);
void rt_setindex_slow(State *L, Value obj, Value key, Value val, uint32_t site);
Value rt_arith_slow(State *L, int op, Value a, Value b, uint32_t site);
Value rt_unm_slow(State *L, Value a, uint32_t site);
Value rt_bnot_slow(State *L, Value a, uint32_t site);
Value rt_len(State *L, Value a, uint32_t site);
bool rt_eq_slow(State *L, Value a, Value b);
bool rt_lt(State *L, Value a, Value b, uint32_t site);
bool rt_le(State *L, Value a, Value b, uint32_t site);
/* the same slow paths with Values as word pairs, for the inline fast paths
** (rt_index_w: a table's own entry was already looked up and is nil) */
VWord rt_index_w(State *L, uint32_t ob, uint32_t ot, uint32_t kb, uint32_t kt, uint32_t site);
/* obj.name past getfield's probe of the main position: the chain, then
** __index (key is a string) */
VWord rt_getfield_w(State *L, uint32_t ob, uint32_t ot, Ref key, uint32_t site);
void rt_setindex_w(State *L, uint32_t ob, uint32_t ot, uint32_t kb, uint32_t kt, uint32_t vb,
                   uint32_t vt, uint32_t site);
VWord rt_arith_w(State *L, int op, uint32_t ab, uint32_t at, uint32_t bb, uint32_t bt,
                 uint32_t site);
VWord rt_unm_w(State *L, uint32_t ab, uint32_t at, uint32_t site);
VWord rt_bnot_w(State *L, uint32_t ab, uint32_t at, uint32_t site);
bool rt_eq_w(State *L, uint32_t ab, uint32_t bb);   /* two tables */
bool rt_lt_w(State *L, uint32_t ab, uint32_t at, uint32_t bb, uint32_t bt, uint32_t site);
bool rt_le_w(State *L, uint32_t ab, uint32_t at, uint32_t bb, uint32_t bt, uint32_t site);
fix32 rt_forfix_w(State *L, uint32_t vb, uint32_t vt, uint32_t site, int role);
/* a PICO-8 API number argument: nil is 0, numeric strings convert */
/* an API number argument as the generated builtins read it (rt_api.cpp
** apinum: nil is dflt, numeric strings convert, anything else is 0), for
** compiled code calling an api_<name> function directly */
fix32 rt_apinum_w(State *L, uint32_t vb, uint32_t vt, fix32 dflt);
const char *rt_typename(Value v);       /* type()'s answer, for messages */
inline fix32 rt_apinum(State *L, Value v, fix32 dflt) {
  if (v.tag == T_NUM) return (fix32)v.bits;
  return rt_apinum_w(L, v.bits, v.tag, dflt);
}
inline int rt_apibool(Value v, int dflt) { return v.tag == T_NIL ? dflt : truthy(v) ? 1 : 0; }
Value rt_metatable_event(State *L, Value obj, int event);  /* nil when absent */
/* metatable mt's handler for an event, nil when absent (absent events
** below 8 are remembered in mt->flags until mt is written) */
Value rt_tm(State *L, Table *mt, int event);
Value rt_callmeta(State *L, Value h, Value a, Value b, uint32_t site);  /* h(a, b), one result */

/* ------------------------------------------------------------------ calls (rt_call.cpp) */

/* Call R[0] with R[1..nargs]: results from R[0]; pads with nil up to nres
** when nres >= 0. Returns the result count (>= nres). */
int rt_call(State *L, Value *func, int nargs, int nres, uint32_t site);
/* Proper tail calls (Lua's `return f(args)`): the calling function moves f
** and its arguments down to its own function slot and arguments (rt_tail)
** and returns -(nargs + 1); the rt_callfn that called it runs the chain in
** rt_tailcalls, a loop, so it takes constant C and value stack and one
** call depth, as in PICO-8. */
int rt_tailcalls(State *L, Value *func, int n);
Value rt_closure(State *L, uint32_t id, uint32_t nup);
Value rt_newcell(State *L, Value v);
/* Frame entry: nil the frame, check the stack; returns the frame base. */
Value *rt_enter_vararg(State *L, Value *R, int nargs, int nparams, int framesize);
[[noreturn]] void rt_stack_overflow(State *L);

/* Allocating operations of compiled code: the site names the line an
** "out of memory" error reports. */
inline Value newtable(State *L, uint32_t narr, uint32_t nhash, uint32_t site) {
  L->site = site;
  return rt_newtable(L, narr, nhash);
}
inline Value newclosure(State *L, uint32_t id, uint32_t nup, uint32_t site) {
  L->site = site;
  return rt_closure(L, id, nup);
}
inline Value newcell(State *L, Value v, uint32_t site) {
  L->site = site;
  return rt_newcell(L, v);
}

/* A frame never lowers L->top: the caller's slots above the call may hold
** values a deeper, finished call left there, and the collector must keep
** seeing them, or they are freed and found again when the caller's frame
** is scanned after the return. */
inline void rt_enter(State *L, Value *R, int nargs, int nparams, int framesize) {
  if (R + framesize > L->stack_end || L->depth >= L->max_depth) rt_stack_overflow(L);
  int i = nargs < nparams ? nargs : nparams;
  for (; i < framesize; i++) R[i] = nil();
  if (L->top < R + framesize) L->top = R + framesize;
}
/* A call of a function known at compile time (a builtin, a local function):
** the same contract as rt_call without the dispatch. func[0] must hold the
** function value when the callee reads upvalues. */
inline int rt_callfn(State *L, CFn fn, Value *func, int nargs, int nres, uint32_t site) {
  Value *top = L->top;
  uint32_t saved_site = L->site;
  L->site = site;
  L->depth++;
  int n = fn(L, func + 1, nargs);
  if (__builtin_expect(n < 0, 0)) n = rt_tailcalls(L, func, n);
  L->depth--;
  L->site = saved_site;
  if (nres >= 0) {
    for (int i = n; i < nres; i++) func[i] = nil();
    L->top = top;
    return nres;
  }
  L->top = func + n > top ? func + n : top;
  return n;
}

/* Move n results from src to R[-1..] (the callee's return). */
inline int rt_ret(Value *R, const Value *src, int n) {
  Value *dst = R - 1;
  for (int i = 0; i < n; i++) dst[i] = src[i];
  return n;
}
/* A tail call: f at call[0], its nargs arguments after it, moved to the
** running function's own slots (A[-1], A[0...]); L->site is the call's. */
inline int rt_tail(Value *A, const Value *call, int nargs) {
  Value *dst = A - 1;
  for (int i = 0; i <= nargs; i++) dst[i] = call[i];
  return -(nargs + 1);
}
/* Make sure `n` more slots fit above p (multiple results, varargs). */
inline void rt_checkstack(State *L, Value *p, int n) {
  if (p + n > L->stack_end) rt_stack_overflow(L);
}

/* ------------------------------------------------------------------ fast paths */

inline Value upval(State *L, Value *R, uint32_t k) {
  Closure *c = ptr<Closure>(L, R[-1].bits);
  return ptr<Cell>(L, upcells(c)[k])->v;
}
inline Value *upref(State *L, Value *R, uint32_t k) {
  Closure *c = ptr<Closure>(L, R[-1].bits);
  return &ptr<Cell>(L, upcells(c)[k])->v;
}
inline Ref upcell(State *L, Value *R, uint32_t k) {
  return upcells(ptr<Closure>(L, R[-1].bits))[k];
}
inline Value cellget(State *L, Value c) { return cell(L, c)->v; }
inline Value *cellref(State *L, Value c) { return &cell(L, c)->v; }

/* The fast paths below are forced inline: GCC's -O2 otherwise keeps them
** as out-of-line copies in a big cart, and on the Cortex-M0+ such a copy
** takes its Values in registers but returns one through memory, saving
** high registers around a probe of a dozen instructions (getfield was a
** twentieth of a table-heavy cart's frame). Their slow paths are calls.
** Only there: on a desktop GCC's own choice runs as fast, and forcing them
** doubled a new cart's compile (the wait before its first --aot play). */
#if defined(__arm__)
#define RP8_HOT inline __attribute__((always_inline))
#else
#define RP8_HOT inline
#endif

/* t[k]; an integer key inside the array part is read here */
RP8_HOT Value index(State *L, Value obj, Value key, uint32_t site) {
  if (obj.tag == T_TABLE) {
    Table *t = tab(L, obj);
    Value v;
    uint32_t i = key.bits >> 16;
    if (key.tag == T_NUM && (key.bits & 0xffffu) == 0 && i - 1u < t->asize &&
        (int32_t)key.bits > 0)
      v = arrayof(L, t)[i - 1];
    else
      v = unword(rt_rawget_w(L, t, key.bits, key.tag));
    if (v.tag != T_NIL || t->meta == 0) return v;
  }
  return unword(rt_index_w(L, obj.bits, obj.tag, key.bits, key.tag, site));
}
/* The node at a string key's main position in t's hash part (t has one). */
RP8_HOT Node *strmain(State *L, Table *t, Ref key) {
  return nodesof(L, t) + (ptr<String>(L, key)->hash & ((1u << t->lsizenode) - 1));
}
/* t.name, the key a constant string: the key's main position is probed
** here (the usual hit), the rest by rt_getfield_w */
RP8_HOT Value getfield(State *L, Value obj, Value key, uint32_t site) {
  if (obj.tag == T_TABLE) {
    Table *t = tab(L, obj);
    if (t->node != 0) {
      Node *n = strmain(L, t, key.bits);
      if (nkey_is(n, key.bits, T_STR) && n->vtag != T_NIL) return nval(n);
    }
  }
  return unword(rt_getfield_w(L, obj.bits, obj.tag, key.bits, site));
}
/* t[k] = v */
RP8_HOT void setindex(State *L, Value obj, Value key, Value val, uint32_t site) {
  if (obj.tag == T_TABLE && tab(L, obj)->meta == 0) {
    rt_rawset_w(L, obj.bits, key.bits, key.tag, val.bits, val.tag, site);
    return;
  }
  rt_setindex_w(L, obj.bits, obj.tag, key.bits, key.tag, val.bits, val.tag, site);
}
/* t.name = v, the key a constant string (also a constructor's name = v).
** A live entry at the key's main position (an object's field written
** again) is written here whatever the metatable: __newindex is only asked
** about absent keys. A new key whose main position was never used, in a
** table without a metatable (a constructor's fields), goes there: no other
** node can hold it, as a key's chain starts at its main position. The rest
** is setindex's. */
RP8_HOT void setfield(State *L, Value obj, Value key, Value val, uint32_t site) {
  if (obj.tag == T_TABLE) {
    Table *t = tab(L, obj);
    if (t->node != 0) {
      Node *n = strmain(L, t, key.bits);
      if (nkey_is(n, key.bits, T_STR) && n->vtag != T_NIL) {
        nset_val(n, val);
        return;
      }
      if (n->ktag == T_NIL && t->meta == 0 && val.tag != T_NIL) {
        nset_key(n, key);
        nset_val(n, val);
        t->flags = 0;   /* it may be a metatable: forget cached absent events */
        return;
      }
    }
  }
  setindex(L, obj, key, val, site);
}

#define RP8_ARITH(name, op, expr)                                             \
  RP8_HOT Value name(State *L, Value a, Value b, uint32_t site) {             \
    if (a.tag == T_NUM && b.tag == T_NUM) {                                   \
      fix32 x = (fix32)a.bits, y = (fix32)b.bits;                             \
      return num(expr);                                                       \
    }                                                                         \
    return unword(rt_arith_w(L, op, a.bits, a.tag, b.bits, b.tag, site));     \
  }
RP8_ARITH(add, OP_ADD, p8_fixi_add(x, y))
RP8_ARITH(sub, OP_SUB, p8_fixi_sub(x, y))
RP8_ARITH(mul, OP_MUL, p8_fixi_mul(x, y))
RP8_ARITH(div, OP_DIV, p8_fix_div(x, y))
RP8_ARITH(mod, OP_MOD, p8_fix_mod(x, y))
RP8_ARITH(pow, OP_POW, p8_fix_pow(x, y))
RP8_ARITH(idiv, OP_IDIV, p8_fix_idiv(x, y))
RP8_ARITH(band, OP_BAND, p8_fixi_band(x, y))
RP8_ARITH(bor, OP_BOR, p8_fixi_bor(x, y))
RP8_ARITH(bxor, OP_BXOR, p8_fixi_bxor(x, y))
RP8_ARITH(shl, OP_SHL, p8_fixi_shl(x, y))
RP8_ARITH(shr, OP_SHR, p8_fixi_shr(x, y))
RP8_ARITH(lshr, OP_LSHR, p8_fixi_lshr(x, y))
RP8_ARITH(rotl, OP_ROTL, p8_fixi_rotl(x, y))
RP8_ARITH(rotr, OP_ROTR, p8_fixi_rotr(x, y))
#undef RP8_ARITH

RP8_HOT Value unm(State *L, Value a, uint32_t site) {
  if (a.tag == T_NUM) return num(p8_fixi_neg((fix32)a.bits));
  return unword(rt_unm_w(L, a.bits, a.tag, site));
}
RP8_HOT Value bnot(State *L, Value a, uint32_t site) {
  if (a.tag == T_NUM) return num(p8_fixi_bnot((fix32)a.bits));
  return unword(rt_bnot_w(L, a.bits, a.tag, site));
}
RP8_HOT bool eq(State *L, Value a, Value b) {
  if (rawequal(a, b)) return true;
  if (a.tag != T_TABLE || b.tag != T_TABLE) return false;
  return rt_eq_w(L, a.bits, b.bits);
}
RP8_HOT bool lt(State *L, Value a, Value b, uint32_t site) {
  if (a.tag == T_NUM && b.tag == T_NUM) return (fix32)a.bits < (fix32)b.bits;
  return rt_lt_w(L, a.bits, a.tag, b.bits, b.tag, site);
}
RP8_HOT bool le(State *L, Value a, Value b, uint32_t site) {
  if (a.tag == T_NUM && b.tag == T_NUM) return (fix32)a.bits <= (fix32)b.bits;
  return rt_le_w(L, a.bits, a.tag, b.bits, b.tag, site);
}
/* a numeric for's initial value (role 0), limit (1) or step (2) as a
** number: a numeric string converts, anything else is Lua's error */
RP8_HOT fix32 forfix(State *L, Value v, uint32_t site, int role) {
  if (v.tag == T_NUM) return (fix32)v.bits;
  return rt_forfix_w(L, v.bits, v.tag, site, role);
}

/* ------------------------------------------------------------------ builtins (rt_lib.cpp) */

/* A builtin by PICO-8 name: its function id, or -1. */
int rt_builtin_id(const char *name);
CFn rt_builtin_fn(uint32_t id);
const char *rt_builtin_name(uint32_t id);
/* Put every builtin into table t (for _ENV-using carts). */
void rt_open_builtins(State *L, Value t);
/* ... and the glyph globals (P8SCII 0x80-0x99, rt_host.cpp). */
void rt_open_glyphs(State *L, Value t);
extern const fix32 RT_GLYPH_RAW[26];   /* rt_api.cpp, from aot/builtins.py */
extern const Builtin API_BUILTINS[];
extern const uint32_t NAPI_BUILTINS;
extern const Builtin HOST_BUILTINS[];
extern const uint32_t NHOST_BUILTINS;
extern const Builtin BIOS_BUILTINS[];
extern const uint32_t NBIOS_BUILTINS;
uint32_t rt_bios_id(uint32_t k);
/* The BIOS's hooks (`function __name`, no globals): indexes into
** BIOS_BUILTINS. __index_string is what indexing any string does. */
extern const uint32_t BIOS_HOOK_INDEX_STRING;
/* The BIOS's string constants: interned by rt_load, marked by the collector. */
void rt_bios_open(State *L);
void rt_bios_roots(State *L, void (*mark)(State *L, Value v));

/* ------------------------------------------------------------------ contexts (rt_co.cpp) */

/* An O_THREAD block: a Lua coroutine's handle. */
struct Thread {
  uint32_t hdr;
  uint32_t slot;                 /* its pool slot, or NO_SLOT once dead */
};
enum : uint32_t { NO_SLOT = 0xffffffffu };

/* For the collector: the saved value segment of a suspended coroutine
** (false when it has none to mark), and a dead thread block's slot. */
bool rt_co_segment(State *L, Ref thread, Value **lo, Value **hi);
void rt_co_release(State *L, Ref thread);
/* Mark the running context and its resumers' segments. */
void rt_co_roots(State *L, void (*mark)(State *L, Value v));
/* No coroutines, the running context the one rt_init runs on (rt_init). */
void rt_co_reset(State *L);
/* The most coroutines alive at once since power-on. */
uint32_t rt_co_peak(void);

/* The runner's cart context: `body` runs on its own C stack with the
** value stack rt_init laid out; the context rt_init ran on becomes the
** host side. rt_co_host_resume runs the cart until it flips or body
** returns (then true); rt_co_host_flip goes back to the host from
** wherever the cart is (a coroutine included). */
void rt_co_host_init(State *L, Coro *cart, void *cstack, size_t csize, void (*body)(State *L));
bool rt_co_host_resume(State *L, Coro *cart);
void rt_co_host_flip(State *L);

/* ------------------------------------------------------------------ host (rt_host.cpp) */

/* Start-of-frame bookkeeping: masks in, 0x5f4c-0x5f53 and btnp out. */
void rt_host_buttons(State *L, const uint8_t masks[8]);
/* End of a frame: time advances by one frame at the current fps. */
void rt_host_tick(State *L);
/* time() as fix32 */
fix32 rt_host_time(const Host *h);

}  // namespace rp8

#endif
