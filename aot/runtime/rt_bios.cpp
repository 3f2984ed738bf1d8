/*
** rt_bios.cpp -- aot/bios.lua compiled by aot/cpp_bios.py. Do not
** edit: change the BIOS (or the back end) and run `python -m aot.cpp_bios`.
*/
#include "rp8rt.h"
#include "rt_ctx.h"
#include "rt_cpu.h"

namespace rp8 {

int bi___peek_n(State *L, Value *R, int nargs);
int bi___poke_n(State *L, Value *R, int nargs);
int bi_all(State *L, Value *R, int nargs);
int bi_error(State *L, Value *R, int nargs);
int bi_flr(State *L, Value *R, int nargs);
int bi_host_back(State *L, Value *R, int nargs);
int bi_host_breadcrumb(State *L, Value *R, int nargs);
int bi_host_cartdata(State *L, Value *R, int nargs);
int bi_host_clipboard(State *L, Value *R, int nargs);
int bi_host_clock(State *L, Value *R, int nargs);
int bi_host_cpu(State *L, Value *R, int nargs);
int bi_host_extcmd(State *L, Value *R, int nargs);
int bi_host_flip(State *L, Value *R, int nargs);
int bi_host_fps(State *L, Value *R, int nargs);
int bi_host_fps_actual(State *L, Value *R, int nargs);
int bi_host_holdframe(State *L, Value *R, int nargs);
int bi_host_key(State *L, Value *R, int nargs);
int bi_host_load(State *L, Value *R, int nargs);
int bi_host_memory(State *L, Value *R, int nargs);
int bi_host_menu_current(State *L, Value *R, int nargs);
int bi_host_menu_set(State *L, Value *R, int nargs);
int bi_host_mouse(State *L, Value *R, int nargs);
int bi_host_param(State *L, Value *R, int nargs);
int bi_host_printh(State *L, Value *R, int nargs);
int bi_host_printh_file(State *L, Value *R, int nargs);
int bi_host_run(State *L, Value *R, int nargs);
int bi_host_set_clipboard(State *L, Value *R, int nargs);
int bi_host_stage_rom(State *L, Value *R, int nargs);
int bi_host_stop(State *L, Value *R, int nargs);
int bi_host_update60(State *L, Value *R, int nargs);
int bi_ord(State *L, Value *R, int nargs);
int bi_p8_audio_stat(State *L, Value *R, int nargs);
int bi_p8_cstore(State *L, Value *R, int nargs);
int bi_p8_pal(State *L, Value *R, int nargs);
int bi_p8_peek(State *L, Value *R, int nargs);
int bi_p8_peek2(State *L, Value *R, int nargs);
int bi_p8_peek4(State *L, Value *R, int nargs);
int bi_p8_poke(State *L, Value *R, int nargs);
int bi_p8_poke2(State *L, Value *R, int nargs);
int bi_p8_poke4(State *L, Value *R, int nargs);
int bi_p8_print_result(State *L, Value *R, int nargs);
int bi_p8_print_resume(State *L, Value *R, int nargs);
int bi_p8_print_start(State *L, Value *R, int nargs);
int bi_p8_reload(State *L, Value *R, int nargs);
int bi_p8_reload_other(State *L, Value *R, int nargs);
int bi_p8_rnd(State *L, Value *R, int nargs);
int bi_p8_tline(State *L, Value *R, int nargs);
int bi_p8_tline_precision(State *L, Value *R, int nargs);
int bi_pairs(State *L, Value *R, int nargs);
int bi_select(State *L, Value *R, int nargs);
int bi_sub(State *L, Value *R, int nargs);
int bi_tostr(State *L, Value *R, int nargs);
int bi_type(State *L, Value *R, int nargs);
int bi_unpack(State *L, Value *R, int nargs);
fix32 api_peek(State *L, fix32 addr);
void api_poke4(State *L, fix32 addr, fix32 value);
fix32 api_flr(State *L, fix32 x);
static int bios_5(State *L, Value *A, int nargs);
static int bios_6(State *L, Value *A, int nargs);

static Value BK[20];
static const char *const BKDATA[] = {"attempt to index a string value with key '", "'", "attempt to index a string value with a ", " key", "", "/", "cartdata() can only be called once", "@clip", "reload: could not read cart ", "not supported yet: cstore() into another cart file", "not supported yet: cstore() on a device (the cart ROM is read-only flash)", "reset", "shutdown", "breadcrumb", "not supported yet: _set_fps(", ") when the game loop runs at ", " fps", "not supported yet: tline precision outside 0-31 bits", "#", "not supported yet: flip() outside a frame loop that can present (run the cart with rp8_main)"};
static const uint16_t BKLEN[] = {42, 1, 39, 4, 0, 1, 34, 5, 28, 50, 73, 5, 8, 10, 28, 29, 4, 52, 1, 92};
static const uint32_t NBK = 20;

void rt_bios_open(State *L) {
  for (uint32_t i = 0; i < NBK; i++) BK[i] = nil();
  for (uint32_t i = 0; i < NBK; i++) BK[i] = rt_str(L, BKDATA[i], BKLEN[i]);
}

void rt_bios_roots(State *L, void (*mark)(State *L, Value v)) {
  for (uint32_t i = 0; i < NBK; i++) mark(L, BK[i]);
}

/* bios.lua tab 0 line 27: add */
int bi_add(State *L, Value *A, int nargs) {
  enum { FS = 5 };
  if (rp8_ctx_low()) rt_stack_overflow(L);
  rt_enter(L, A, nargs, 3, FS);
  Value *R = A;
  (void)R;
  fix32 f0 = 0; (void)f0;
  fix32 f1 = 0; (void)f1;
  fix32 f2 = 0; (void)f2;
  fix32 f3 = 0; (void)f3;
  fix32 f4 = 0; (void)f4;
  fix32 n_k_6 = 0; (void)n_k_6;
  RP8_COST(L, 13);
  /* bios.lua tab 0 line 28: if t == nil then return nil end */
  if (rawequal(R[0], nil())) {
    RP8_COST(L, 2);
    A[-1] = nil();
    return 1;
  }
  /* bios.lua tab 0 line 29: local n = #t */
  R[3] = rt_len(L, R[0], bare(L->site));
  /* bios.lua tab 0 line 30: if i == nil then */
  if (rawequal(R[2], nil())) {
    RP8_COST(L, 7);
    /* bios.lua tab 0 line 31: t[n + 1] = v */
    f0 = fixof(add(L, R[3], num(P8_FIX(1)), bare(L->site)));
    setindex(L, R[0], num(f0), R[1], bare(L->site));
  } else {
    RP8_COST(L, 24);
    /* bios.lua tab 0 line 33: i = flr(i) */
    R[2] = num(api_flr(L, rt_apinum(L, R[2], 0)));
    /* bios.lua tab 0 line 34: if i < 1 then i = 1 elseif i > n + 1 then i = n + 1 end */
    if (lt(L, R[2], num(P8_FIX(1)), bare(L->site))) {
      RP8_COST(L, 3);
      R[2] = num(P8_FIX(1));
    } else {
      f1 = fixof(add(L, R[3], num(P8_FIX(1)), bare(L->site)));
      if (lt(L, num(f1), R[2], bare(L->site))) {
        RP8_COST(L, 5);
        R[2] = num(fixof(add(L, R[3], num(P8_FIX(1)), bare(L->site))));
      }
    }
    /* bios.lua tab 0 line 35: for k = n, i, -1 do t[k + 1] = t[k] end */
    f2 = forfix(L, R[3], bare(L->site), 0);
    f3 = forfix(L, R[2], bare(L->site), 1);
    f4 = P8_FIX(-1);
    if ((f4 > 0 ? f2 <= f3 : f2 >= f3)) for (;;) {
    RP8_TICK(L);
      n_k_6 = f2;
      RP8_COST(L, 10);
      R[4] = index(L, R[0], num(n_k_6), bare(L->site));
      setindex(L, R[0], num(p8_fixi_add(n_k_6, P8_FIX(1))), R[4], bare(L->site));
      { int64_t nx = (int64_t)f2 + f4;
        if (f4 > 0 ? nx > f3 : nx < f3) break;
        f2 = (fix32)nx; }
    }
    /* bios.lua tab 0 line 36: t[i] = v */
    setindex(L, R[0], R[2], R[1], bare(L->site));
  }
  /* bios.lua tab 0 line 38: return v */
  A[-1] = R[1];
  return 1;
  return 0;
}

/* bios.lua tab 0 line 42: del */
int bi_del(State *L, Value *A, int nargs) {
  enum { FS = 5 };
  if (rp8_ctx_low()) rt_stack_overflow(L);
  rt_enter(L, A, nargs, 2, FS);
  Value *R = A;
  (void)R;
  fix32 f0 = 0; (void)f0;
  fix32 f1 = 0; (void)f1;
  fix32 n_i_10 = 0; (void)n_i_10;
  fix32 f3 = 0; (void)f3;
  fix32 f4 = 0; (void)f4;
  fix32 f5 = 0; (void)f5;
  fix32 n_k_11 = 0; (void)n_k_11;
  RP8_COST(L, 10);
  /* bios.lua tab 0 line 43: if t == nil then return nil end */
  if (rawequal(R[0], nil())) {
    RP8_COST(L, 2);
    A[-1] = nil();
    return 1;
  }
  /* bios.lua tab 0 line 44: local n = #t */
  R[2] = rt_len(L, R[0], bare(L->site));
  /* bios.lua tab 0 line 45: for i = 1, n do */
  f0 = P8_FIX(1);
  f1 = forfix(L, R[2], bare(L->site), 1);
  if (f0 <= f1) for (;;) {
  RP8_TICK(L);
    n_i_10 = f0;
    RP8_COST(L, 7);
    /* bios.lua tab 0 line 46: if t[i] == v then */
    R[3] = index(L, R[0], num(n_i_10), bare(L->site));
    if (eq(L, R[3], R[1])) {
      RP8_COST(L, 12);
      /* bios.lua tab 0 line 47: for k = i, n - 1 do t[k] = t[k + 1] end */
      f3 = fixof(sub(L, R[2], num(P8_FIX(1)), bare(L->site)));
      f4 = n_i_10;
      f5 = f3;
      if (f4 <= f5) for (;;) {
      RP8_TICK(L);
        n_k_11 = f4;
        RP8_COST(L, 10);
        R[4] = index(L, R[0], num(p8_fixi_add(n_k_11, P8_FIX(1))), bare(L->site));
        setindex(L, R[0], num(n_k_11), R[4], bare(L->site));
        if ((int64_t)f4 + P8_FIX_ONE > f5) break;
        f4 += P8_FIX_ONE;
      }
      /* bios.lua tab 0 line 48: t[n] = nil */
      setindex(L, R[0], R[2], nil(), bare(L->site));
      /* bios.lua tab 0 line 49: return v */
      A[-1] = R[1];
      return 1;
    }
    if ((int64_t)f0 + P8_FIX_ONE > f1) break;
    f0 += P8_FIX_ONE;
  }
  return 0;
}

/* bios.lua tab 0 line 55: deli */
int bi_deli(State *L, Value *A, int nargs) {
  enum { FS = 5 };
  if (rp8_ctx_low()) rt_stack_overflow(L);
  rt_enter(L, A, nargs, 2, FS);
  Value *R = A;
  (void)R;
  fix32 f0 = 0; (void)f0;
  fix32 f1 = 0; (void)f1;
  fix32 f2 = 0; (void)f2;
  fix32 n_k_16 = 0; (void)n_k_16;
  RP8_COST(L, 35);
  /* bios.lua tab 0 line 56: if t == nil then return nil end */
  if (rawequal(R[0], nil())) {
    RP8_COST(L, 2);
    A[-1] = nil();
    return 1;
  }
  /* bios.lua tab 0 line 57: local n = #t */
  R[2] = rt_len(L, R[0], bare(L->site));
  /* bios.lua tab 0 line 58: if i == nil then i = n else i = flr(i) end */
  if (rawequal(R[1], nil())) {
    RP8_COST(L, 3);
    R[1] = R[2];
  } else {
    RP8_COST(L, 5);
    R[1] = num(api_flr(L, rt_apinum(L, R[1], 0)));
  }
  /* bios.lua tab 0 line 59: if i < 1 or i > n then return nil end */
  if (lt(L, R[1], num(P8_FIX(1)), bare(L->site)) || lt(L, R[2], R[1], bare(L->site))) {
    RP8_COST(L, 2);
    A[-1] = nil();
    return 1;
  }
  /* bios.lua tab 0 line 60: local v = t[i] */
  R[3] = index(L, R[0], R[1], bare(L->site));
  /* bios.lua tab 0 line 61: for k = i, n - 1 do t[k] = t[k + 1] end */
  f0 = fixof(sub(L, R[2], num(P8_FIX(1)), bare(L->site)));
  f1 = forfix(L, R[1], bare(L->site), 0);
  f2 = f0;
  if (f1 <= f2) for (;;) {
  RP8_TICK(L);
    n_k_16 = f1;
    RP8_COST(L, 10);
    R[4] = index(L, R[0], num(p8_fixi_add(n_k_16, P8_FIX(1))), bare(L->site));
    setindex(L, R[0], num(n_k_16), R[4], bare(L->site));
    if ((int64_t)f1 + P8_FIX_ONE > f2) break;
    f1 += P8_FIX_ONE;
  }
  /* bios.lua tab 0 line 62: t[n] = nil */
  setindex(L, R[0], R[2], nil(), bare(L->site));
  /* bios.lua tab 0 line 63: return v */
  A[-1] = R[3];
  return 1;
  return 0;
}

/* bios.lua tab 0 line 67: count */
int bi_count(State *L, Value *A, int nargs) {
  enum { FS = 4 };
  if (rp8_ctx_low()) rt_stack_overflow(L);
  rt_enter(L, A, nargs, 2, FS);
  Value *R = A;
  (void)R;
  fix32 n_c_19 = 0; (void)n_c_19;
  fix32 f1 = 0; (void)f1;
  fix32 f2 = 0; (void)f2;
  fix32 n_i_20 = 0; (void)n_i_20;
  RP8_COST(L, 14);
  /* bios.lua tab 0 line 68: if type(t) ~= "table" then return 0 end */
  if ((R[0]).tag != T_TABLE) {
    RP8_COST(L, 2);
    A[-1] = num(P8_FIX(0));
    return 1;
  }
  /* bios.lua tab 0 line 69: local c = 0 */
  n_c_19 = P8_FIX(0);
  /* bios.lua tab 0 line 70: for i = 1, #t do */
  R[2] = rt_len(L, R[0], bare(L->site));
  f1 = P8_FIX(1);
  f2 = forfix(L, R[2], bare(L->site), 1);
  if (f1 <= f2) for (;;) {
  RP8_TICK(L);
    n_i_20 = f1;
    RP8_COST(L, 10);
    /* bios.lua tab 0 line 71: if v == nil then */
    if (rawequal(R[1], nil())) {
      RP8_COST(L, 6);
      /* bios.lua tab 0 line 72: if t[i] ~= nil then c += 1 end */
      R[3] = index(L, R[0], num(n_i_20), bare(L->site));
      if (!rawequal(R[3], nil())) {
        RP8_COST(L, 3);
        n_c_19 = p8_fixi_add(n_c_19, P8_FIX(1));
      }
    } else {
      R[3] = index(L, R[0], num(n_i_20), bare(L->site));
      if (eq(L, R[3], R[1])) {
        RP8_COST(L, 3);
        /* bios.lua tab 0 line 74: c += 1 */
        n_c_19 = p8_fixi_add(n_c_19, P8_FIX(1));
      }
    }
    if ((int64_t)f1 + P8_FIX_ONE > f2) break;
    f1 += P8_FIX_ONE;
  }
  /* bios.lua tab 0 line 77: return c */
  A[-1] = num(n_c_19);
  return 1;
  return 0;
}

/* bios.lua tab 0 line 82: all */
int bi_all(State *L, Value *A, int nargs) {
  enum { FS = 4 };
  if (rp8_ctx_low()) rt_stack_overflow(L);
  rt_enter(L, A, nargs, 1, FS);
  Value *R = A;
  (void)R;
  R[0] = newcell(L, R[0], bare(L->site));
  RP8_COST(L, 8);
  /* bios.lua tab 0 line 83: if t == nil then return function() end end */
  if (rawequal(cellget(L, R[0]), nil())) {
    RP8_COST(L, 1);
    A[-1] = lightfn(BUILTIN_BASE + rt_bios_id(5));
    return 1;
  }
  /* bios.lua tab 0 line 84: local i, last = 1, nil */
  R[1] = num(P8_FIX(1));
  R[1] = newcell(L, R[1], bare(L->site));
  R[2] = nil();
  R[2] = newcell(L, R[2], bare(L->site));
  /* bios.lua tab 0 line 85: return function() */
  R[3] = newclosure(L, BUILTIN_BASE + rt_bios_id(6), 3, bare(L->site));
  { Ref *u = upcells(ptr<Closure>(L, R[3].bits));
    u[0] = R[0].bits;
    u[1] = R[1].bits;
    u[2] = R[2].bits;
  }
  A[-1] = R[3];
  return 1;
  return 0;
}

/* bios.lua tab 0 line 83: function */
int bios_5(State *L, Value *A, int nargs) {
  enum { FS = 1 };
  if (rp8_ctx_low()) rt_stack_overflow(L);
  rt_enter(L, A, nargs, 0, FS);
  Value *R = A;
  (void)R;
  return 0;
}

/* bios.lua tab 0 line 85: function */
int bios_6(State *L, Value *A, int nargs) {
  enum { FS = 3 };
  if (rp8_ctx_low()) rt_stack_overflow(L);
  rt_enter(L, A, nargs, 0, FS);
  Value *R = A;
  (void)R;
  fix32 f0 = 0; (void)f0;
  bool b1 = 0; (void)b1;
  fix32 f2 = 0; (void)f2;
  RP8_COST(L, 28);
  /* bios.lua tab 0 line 86: if t[i] == last and last ~= nil then i += 1 end */
  R[0] = index(L, upval(L, A, 0), upval(L, A, 1), bare(L->site));
  if (eq(L, R[0], upval(L, A, 2)) && !rawequal(upval(L, A, 2), nil())) {
    RP8_COST(L, 3);
    f0 = fixof(add(L, upval(L, A, 1), num(P8_FIX(1)), bare(L->site)));
    *upref(L, A, 1) = num(f0);
  }
  /* bios.lua tab 0 line 87: while t[i] == nil and i <= #t do i += 1 end */
  for (;;) {
  RP8_TICK(L);
    R[0] = index(L, upval(L, A, 0), upval(L, A, 1), bare(L->site));
    b1 = rawequal(R[0], nil());
    if (b1) {
      R[1] = upval(L, A, 1);
      R[2] = rt_len(L, upval(L, A, 0), bare(L->site));
      b1 = le(L, R[1], R[2], bare(L->site));
    }
    if (!(b1)) break;
    RP8_COST(L, 14);
    f2 = fixof(add(L, upval(L, A, 1), num(P8_FIX(1)), bare(L->site)));
    *upref(L, A, 1) = num(f2);
  }
  /* bios.lua tab 0 line 88: last = t[i] */
  R[0] = index(L, upval(L, A, 0), upval(L, A, 1), bare(L->site));
  *upref(L, A, 2) = R[0];
  /* bios.lua tab 0 line 89: return last */
  A[-1] = upval(L, A, 2);
  return 1;
  return 0;
}

/* bios.lua tab 0 line 93: foreach */
int bi_foreach(State *L, Value *A, int nargs) {
  enum { FS = 8 };
  if (rp8_ctx_low()) rt_stack_overflow(L);
  rt_enter(L, A, nargs, 2, FS);
  Value *R = A;
  (void)R;
  RP8_COST(L, 4);
  /* bios.lua tab 0 line 94: for v in all(t) do f(v) end */
  R[6] = R[0];
  rt_callfn(L, bi_all, R + 5, 1, 3, bare(L->site));
  R[2] = R[5];
  R[3] = R[6];
  R[4] = R[7];
  for (;;) {
  RP8_TICK(L);
    R[5] = R[2]; R[6] = R[3]; R[7] = R[4];
    rt_call(L, R + 5, 2, 1, bare(L->site));
    if (isnil(R[5])) break;
    R[4] = R[5];
    RP8_COST(L, 5);
    R[6] = R[1];
    R[7] = R[5];
    rt_call(L, R + 6, 1, 0, bare(L->site));
  }
  return 0;
}

/* bios.lua tab 0 line 100: pal */
int bi_pal(State *L, Value *A, int nargs) {
  enum { FS = 12 };
  if (rp8_ctx_low()) rt_stack_overflow(L);
  rt_enter(L, A, nargs, 3, FS);
  Value *R = A;
  (void)R;
  Value *const TOP = L->top;
  int i0 = 0; (void)i0;
  /* bios.lua tab 0 line 101: if type(c0) == "table" then */
  if ((R[0]).tag == T_TABLE) {
    /* bios.lua tab 0 line 102: if c1 == nil then c1 = 0 end */
    if (rawequal(R[1], nil())) {
      R[1] = num(P8_FIX(0));
    }
    /* bios.lua tab 0 line 103: for k, v in pairs(c0) do */
    R[7] = R[0];
    rt_callfn(L, bi_pairs, R + 6, 1, 3, bare(L->site));
    R[3] = R[6];
    R[4] = R[7];
    R[5] = R[8];
    for (;;) {
    RP8_TICK(L);
      R[6] = R[3]; R[7] = R[4]; R[8] = R[5];
      rt_call(L, R + 6, 2, 2, bare(L->site));
      if (isnil(R[6])) break;
      R[5] = R[6];
      /* bios.lua tab 0 line 104: if type(k) == "number" then p8_pal(k, v, c1) end */
      if ((R[6]).tag == T_NUM) {
        R[9] = R[6];
        R[10] = R[7];
        R[11] = R[1];
        rt_callfn(L, bi_p8_pal, R + 8, 3, 0, bare(L->site));
      }
    }
    /* bios.lua tab 0 line 106: return 0 */
    A[-1] = num(P8_FIX(0));
    return 1;
  }
  /* bios.lua tab 0 line 108: return p8_pal(c0, c1, p) */
  R[4] = R[0];
  R[5] = R[1];
  R[6] = R[2];
  i0 = rt_callfn(L, bi_p8_pal, R + 3, 3, -1, bare(L->site));
  return rt_ret(A, R + 3, 0 + i0);
  L->top = TOP;
  return 0;
}

/* bios.lua tab 0 line 116: __index_string */
int bi___index_string(State *L, Value *A, int nargs) {
  enum { FS = 8 };
  if (rp8_ctx_low()) rt_stack_overflow(L);
  rt_enter(L, A, nargs, 2, FS);
  Value *R = A;
  (void)R;
  Value *const TOP = L->top;
  int i0 = 0; (void)i0;
  RP8_COST(L, 22);
  /* bios.lua tab 0 line 117: if type(k) == "number" then return sub(s, k, k) end */
  if ((R[1]).tag == T_NUM) {
    RP8_COST(L, 6);
    R[3] = R[0];
    R[4] = R[1];
    R[5] = R[1];
    i0 = rt_callfn(L, bi_sub, R + 2, 3, -1, bare(L->site));
    return rt_ret(A, R + 2, 0 + i0);
    L->top = TOP;
  }
  /* bios.lua tab 0 line 118: if type(k) == "string" then */
  if ((R[1]).tag == T_STR) {
    RP8_COST(L, 8);
    /* bios.lua tab 0 line 119: error("attempt to index a string value with key '" .. k .. "'") */
    R[4] = BK[0];
    R[5] = R[1];
    R[6] = BK[1];
    R[3] = rt_concat_n(L, R + 4, 3, bare(L->site));
    rt_callfn(L, bi_error, R + 2, 1, 0, bare(L->site));
  }
  /* bios.lua tab 0 line 121: error("attempt to index a string value with a " .. type(k) .. " key") */
  R[4] = BK[2];
  R[7] = R[1];
  rt_callfn(L, bi_type, R + 6, 1, 1, bare(L->site));
  R[5] = R[6];
  R[6] = BK[3];
  R[3] = rt_concat_n(L, R + 4, 3, bare(L->site));
  rt_callfn(L, bi_error, R + 2, 1, 0, bare(L->site));
  return 0;
}

/* bios.lua tab 0 line 127: rnd */
int bi_rnd(State *L, Value *A, int nargs) {
  enum { FS = 5 };
  if (rp8_ctx_low()) rt_stack_overflow(L);
  rt_enter(L, A, nargs, 1, FS);
  Value *R = A;
  (void)R;
  Value *const TOP = L->top;
  int i0 = 0; (void)i0;
  fix32 f1 = 0; (void)f1;
  int i2 = 0; (void)i2;
  /* bios.lua tab 0 line 128: if type(x) == "table" then */
  if ((R[0]).tag == T_TABLE) {
    /* bios.lua tab 0 line 129: local n = #x */
    R[1] = rt_len(L, R[0], bare(L->site));
    /* bios.lua tab 0 line 130: if n == 0 then return nil end */
    if (rawequal(R[1], num(P8_FIX(0)))) {
      A[-1] = nil();
      return 1;
    }
    /* bios.lua tab 0 line 131: return x[flr(p8_rnd(n)) + 1] */
    R[4] = R[1];
    i0 = rt_callfn(L, bi_p8_rnd, R + 3, 1, -1, bare(L->site));
    rt_callfn(L, bi_flr, R + 2, 0 + i0, 1, bare(L->site));
    f1 = fixof(add(L, R[2], num(P8_FIX(1)), bare(L->site)));
    A[-1] = index(L, R[0], num(f1), bare(L->site));
    return 1;
    L->top = TOP;
  }
  /* bios.lua tab 0 line 133: return p8_rnd(x) */
  R[2] = R[0];
  i2 = rt_callfn(L, bi_p8_rnd, R + 1, 1, -1, bare(L->site));
  return rt_ret(A, R + 1, 0 + i2);
  L->top = TOP;
  return 0;
}

/* bios.lua tab 0 line 142: menuitem */
int bi_menuitem(State *L, Value *A, int nargs) {
  enum { FS = 8 };
  if (rp8_ctx_low()) rt_stack_overflow(L);
  rt_enter(L, A, nargs, 3, FS);
  Value *R = A;
  (void)R;
  fix32 n_filter_39 = 0; (void)n_filter_39;
  fix32 f1 = 0; (void)f1;
  /* bios.lua tab 0 line 143: if index == nil then index = host_menu_current() end */
  if (rawequal(R[0], nil())) {
    rt_callfn(L, bi_host_menu_current, R + 3, 0, 1, bare(L->site));
    R[0] = R[3];
  }
  /* bios.lua tab 0 line 144: index = flr(index) */
  R[0] = num(api_flr(L, rt_apinum(L, R[0], 0)));
  /* bios.lua tab 0 line 145: local filter = (index >> 8) & 0xff */
  f1 = fixof(shr(L, R[0], num(P8_FIX(8)), bare(L->site)));
  n_filter_39 = p8_fixi_band(f1, P8_FIX(255));
  /* bios.lua tab 0 line 146: index &= 0xff */
  R[0] = num(fixof(band(L, R[0], num(P8_FIX(255)), bare(L->site))));
  /* bios.lua tab 0 line 147: if index < 1 or index > 5 then return end */
  if (lt(L, R[0], num(P8_FIX(1)), bare(L->site)) || lt(L, num(P8_FIX(5)), R[0], bare(L->site))) {
    return 0;
  }
  /* bios.lua tab 0 line 148: if label == nil then */
  if (rawequal(R[1], nil())) {
    /* bios.lua tab 0 line 149: host_menu_set(index) */
    R[4] = R[0];
    rt_callfn(L, bi_host_menu_set, R + 3, 1, 0, bare(L->site));
  } else {
    /* bios.lua tab 0 line 151: host_menu_set(index, tostr(label), callback, filter) */
    R[4] = R[0];
    R[7] = R[1];
    rt_callfn(L, bi_tostr, R + 6, 1, 1, bare(L->site));
    R[5] = R[6];
    R[6] = R[2];
    R[7] = num(n_filter_39);
    rt_callfn(L, bi_host_menu_set, R + 3, 4, 0, bare(L->site));
  }
  return 0;
}

/* bios.lua tab 0 line 162: stat */
int bi_stat(State *L, Value *A, int nargs) {
  enum { FS = 6 };
  if (rp8_ctx_low()) rt_stack_overflow(L);
  rt_enter(L, A, nargs, 1, FS);
  Value *R = A;
  (void)R;
  Value *const TOP = L->top;
  int i0 = 0; (void)i0;
  int i1 = 0; (void)i1;
  int i2 = 0; (void)i2;
  int i3 = 0; (void)i3;
  int i4 = 0; (void)i4;
  int i5 = 0; (void)i5;
  fix32 f6 = 0; (void)f6;
  int i7 = 0; (void)i7;
  int i8 = 0; (void)i8;
  int i9 = 0; (void)i9;
  int i10 = 0; (void)i10;
  /* bios.lua tab 0 line 163: local audio = p8_audio_stat(n) */
  R[3] = R[0];
  rt_callfn(L, bi_p8_audio_stat, R + 2, 1, 1, bare(L->site));
  R[1] = R[2];
  /* bios.lua tab 0 line 164: n = flr(n) */
  R[0] = num(api_flr(L, rt_apinum(L, R[0], 0)));
  /* bios.lua tab 0 line 165: if n == 0 then return host_memory() end */
  if (rawequal(R[0], num(P8_FIX(0)))) {
    i0 = rt_callfn(L, bi_host_memory, R + 2, 0, -1, bare(L->site));
    return rt_ret(A, R + 2, 0 + i0);
    L->top = TOP;
  }
  /* bios.lua tab 0 line 166: if n == 1 or n == 2 then return host_cpu(n) end */
  if (rawequal(R[0], num(P8_FIX(1))) || rawequal(R[0], num(P8_FIX(2)))) {
    R[3] = R[0];
    i1 = rt_callfn(L, bi_host_cpu, R + 2, 1, -1, bare(L->site));
    return rt_ret(A, R + 2, 0 + i1);
    L->top = TOP;
  }
  /* bios.lua tab 0 line 167: if n == 4 then return host_clipboard() end */
  if (rawequal(R[0], num(P8_FIX(4)))) {
    i2 = rt_callfn(L, bi_host_clipboard, R + 2, 0, -1, bare(L->site));
    return rt_ret(A, R + 2, 0 + i2);
    L->top = TOP;
  }
  /* bios.lua tab 0 line 168: if n == 5 then return 42 end                       -- the version, ... */
  if (rawequal(R[0], num(P8_FIX(5)))) {
    A[-1] = num(P8_FIX(42));
    return 1;
  }
  /* bios.lua tab 0 line 169: if n == 6 then return host_param() end */
  if (rawequal(R[0], num(P8_FIX(6)))) {
    i3 = rt_callfn(L, bi_host_param, R + 2, 0, -1, bare(L->site));
    return rt_ret(A, R + 2, 0 + i3);
    L->top = TOP;
  }
  /* bios.lua tab 0 line 170: if n == 7 or n == 9 then return host_fps_actual() end */
  if (rawequal(R[0], num(P8_FIX(7))) || rawequal(R[0], num(P8_FIX(9)))) {
    i4 = rt_callfn(L, bi_host_fps_actual, R + 2, 0, -1, bare(L->site));
    return rt_ret(A, R + 2, 0 + i4);
    L->top = TOP;
  }
  /* bios.lua tab 0 line 171: if n == 8 then return host_fps() end */
  if (rawequal(R[0], num(P8_FIX(8)))) {
    i5 = rt_callfn(L, bi_host_fps, R + 2, 0, -1, bare(L->site));
    return rt_ret(A, R + 2, 0 + i5);
    L->top = TOP;
  }
  /* bios.lua tab 0 line 172: if n == 57 then return audio ~= 0 end              -- music playing */
  if (rawequal(R[0], num(P8_FIX(57)))) {
    A[-1] = boolean(!rawequal(R[1], num(P8_FIX(0))));
    return 1;
  }
  /* bios.lua tab 0 line 173: if (n >= 16 and n <= 26) or (n >= 46 and n <= 56) then return audio... */
  if ((le(L, num(P8_FIX(16)), R[0], bare(L->site)) && le(L, R[0], num(P8_FIX(26)), bare(L->site))) || (le(L, num(P8_FIX(46)), R[0], bare(L->site)) && le(L, R[0], num(P8_FIX(56)), bare(L->site)))) {
    A[-1] = R[1];
    return 1;
  }
  /* bios.lua tab 0 line 174: if n >= 30 and n <= 39 then */
  if (le(L, num(P8_FIX(30)), R[0], bare(L->site)) && le(L, R[0], num(P8_FIX(39)), bare(L->site))) {
    /* bios.lua tab 0 line 176: local on = (peek(0x5f2d) & 1) == 1 */
    f6 = api_peek(L, P8_FIX(24365));
    R[2] = boolean((p8_fixi_band(f6, P8_FIX(1)) == P8_FIX(1)));
    /* bios.lua tab 0 line 177: if n == 30 then return on and host_key(false) ~= "" end */
    if (rawequal(R[0], num(P8_FIX(30)))) {
      R[3] = R[2];
      if (truthy(R[3])) {
        R[5] = boolean(false);
        rt_callfn(L, bi_host_key, R + 4, 1, 1, bare(L->site));
        R[3] = boolean(!eq(L, R[4], BK[4]));
      }
      A[-1] = R[3];
      return 1;
    }
    /* bios.lua tab 0 line 178: if n == 31 then return on and host_key(true) or "" end */
    if (rawequal(R[0], num(P8_FIX(31)))) {
      R[3] = R[2];
      if (truthy(R[3])) {
        R[5] = boolean(true);
        rt_callfn(L, bi_host_key, R + 4, 1, 1, bare(L->site));
        R[3] = R[4];
      }
      R[4] = R[3];
      if (!truthy(R[4])) {
        R[4] = BK[4];
      }
      A[-1] = R[4];
      return 1;
    }
    /* bios.lua tab 0 line 179: if on and n >= 32 and n <= 34 then return host_mouse(n - 31) end */
    if ((truthy(R[2]) && le(L, num(P8_FIX(32)), R[0], bare(L->site))) && le(L, R[0], num(P8_FIX(34)), bare(L->site))) {
      R[4] = num(fixof(sub(L, R[0], num(P8_FIX(31)), bare(L->site))));
      i7 = rt_callfn(L, bi_host_mouse, R + 3, 1, -1, bare(L->site));
      return rt_ret(A, R + 3, 0 + i7);
      L->top = TOP;
    }
    /* bios.lua tab 0 line 180: if on and n == 36 then return host_mouse(4) end  -- the wheel */
    if (truthy(R[2]) && rawequal(R[0], num(P8_FIX(36)))) {
      R[4] = num(P8_FIX(4));
      i8 = rt_callfn(L, bi_host_mouse, R + 3, 1, -1, bare(L->site));
      return rt_ret(A, R + 3, 0 + i8);
      L->top = TOP;
    }
    /* bios.lua tab 0 line 181: return 0 */
    A[-1] = num(P8_FIX(0));
    return 1;
  }
  /* bios.lua tab 0 line 183: if (n >= 80 and n <= 85) or (n >= 90 and n <= 95) then return host_... */
  if ((le(L, num(P8_FIX(80)), R[0], bare(L->site)) && le(L, R[0], num(P8_FIX(85)), bare(L->site))) || (le(L, num(P8_FIX(90)), R[0], bare(L->site)) && le(L, R[0], num(P8_FIX(95)), bare(L->site)))) {
    R[3] = R[0];
    i9 = rt_callfn(L, bi_host_clock, R + 2, 1, -1, bare(L->site));
    return rt_ret(A, R + 2, 0 + i9);
    L->top = TOP;
  }
  /* bios.lua tab 0 line 184: if n == 100 then return host_breadcrumb() end      -- the breadcrum... */
  if (rawequal(R[0], num(P8_FIX(100)))) {
    i10 = rt_callfn(L, bi_host_breadcrumb, R + 2, 0, -1, bare(L->site));
    return rt_ret(A, R + 2, 0 + i10);
    L->top = TOP;
  }
  /* bios.lua tab 0 line 185: if n == 124 then return "/" end                    -- the current f... */
  if (rawequal(R[0], num(P8_FIX(124)))) {
    A[-1] = BK[5];
    return 1;
  }
  /* bios.lua tab 0 line 186: return 0 */
  A[-1] = num(P8_FIX(0));
  return 1;
  return 0;
}

/* bios.lua tab 0 line 194: cartdata */
int bi_cartdata(State *L, Value *A, int nargs) {
  enum { FS = 7 };
  if (rp8_ctx_low()) rt_stack_overflow(L);
  rt_enter(L, A, nargs, 1, FS);
  Value *R = A;
  (void)R;
  fix32 f0 = 0; (void)f0;
  fix32 f1 = 0; (void)f1;
  fix32 n_i_45 = 0; (void)n_i_45;
  /* bios.lua tab 0 line 195: id = tostr(id) */
  R[2] = R[0];
  rt_callfn(L, bi_tostr, R + 1, 1, 1, bare(L->site));
  R[0] = R[1];
  /* bios.lua tab 0 line 196: local ok = #id >= 1 and #id <= 64 */
  R[2] = rt_len(L, R[0], bare(L->site));
  R[3] = boolean(le(L, num(P8_FIX(1)), R[2], bare(L->site)));
  if (truthy(R[3])) {
    R[4] = rt_len(L, R[0], bare(L->site));
    R[3] = boolean(le(L, R[4], num(P8_FIX(64)), bare(L->site)));
  }
  R[1] = R[3];
  /* bios.lua tab 0 line 197: if ok then */
  if (truthy(R[1])) {
    /* bios.lua tab 0 line 198: for i = 1, #id do */
    R[2] = rt_len(L, R[0], bare(L->site));
    f0 = P8_FIX(1);
    f1 = forfix(L, R[2], bare(L->site), 1);
    if (f0 <= f1) for (;;) {
    RP8_TICK(L);
      n_i_45 = f0;
      /* bios.lua tab 0 line 199: local c = ord(id, i) */
      R[5] = R[0];
      R[6] = num(n_i_45);
      rt_callfn(L, bi_ord, R + 4, 2, 1, bare(L->site));
      R[3] = R[4];
      /* bios.lua tab 0 line 200: if not ((c >= 97 and c <= 122) or (c >= 48 and c <= 57) or c == 95)... */
      if (!((((le(L, num(P8_FIX(97)), R[3], bare(L->site)) && le(L, R[3], num(P8_FIX(122)), bare(L->site))) || (le(L, num(P8_FIX(48)), R[3], bare(L->site)) && le(L, R[3], num(P8_FIX(57)), bare(L->site)))) || rawequal(R[3], num(P8_FIX(95)))))) {
        R[1] = boolean(false);
      }
      if ((int64_t)f0 + P8_FIX_ONE > f1) break;
      f0 += P8_FIX_ONE;
    }
  }
  /* bios.lua tab 0 line 203: local existed = host_cartdata(ok and id or nil) */
  R[5] = R[1];
  if (truthy(R[5])) {
    R[5] = R[0];
  }
  R[6] = R[5];
  if (!truthy(R[6])) {
    R[6] = nil();
  }
  R[4] = R[6];
  rt_callfn(L, bi_host_cartdata, R + 3, 1, 1, bare(L->site));
  R[2] = R[3];
  /* bios.lua tab 0 line 204: if existed == nil then error("cartdata() can only be called once") end */
  if (rawequal(R[2], nil())) {
    R[4] = BK[6];
    rt_callfn(L, bi_error, R + 3, 1, 0, bare(L->site));
  }
  /* bios.lua tab 0 line 205: return existed */
  A[-1] = R[2];
  return 1;
  return 0;
}

/* bios.lua tab 0 line 211: dget */
int bi_dget(State *L, Value *A, int nargs) {
  enum { FS = 1 };
  if (rp8_ctx_low()) rt_stack_overflow(L);
  rt_enter(L, A, nargs, 1, FS);
  Value *R = A;
  (void)R;
  fix32 f0 = 0; (void)f0;
  /* bios.lua tab 0 line 212: i = flr(i) */
  R[0] = num(api_flr(L, rt_apinum(L, R[0], 0)));
  /* bios.lua tab 0 line 213: if i < 0 or i > 63 then return 0 end */
  if (lt(L, R[0], num(P8_FIX(0)), bare(L->site)) || lt(L, num(P8_FIX(63)), R[0], bare(L->site))) {
    A[-1] = num(P8_FIX(0));
    return 1;
  }
  /* bios.lua tab 0 line 214: return $(0x5e00 + i * 4)              -- peek4, without a call */
  f0 = fixof(mul(L, R[0], num(P8_FIX(4)), bare(L->site)));
  A[-1] = num(p8_peek4(L->p8, p8_fixi_add(P8_FIX(24064), f0)));
  return 1;
  return 0;
}

/* bios.lua tab 0 line 218: dset */
int bi_dset(State *L, Value *A, int nargs) {
  enum { FS = 2 };
  if (rp8_ctx_low()) rt_stack_overflow(L);
  rt_enter(L, A, nargs, 2, FS);
  Value *R = A;
  (void)R;
  fix32 f0 = 0; (void)f0;
  /* bios.lua tab 0 line 219: i = flr(i) */
  R[0] = num(api_flr(L, rt_apinum(L, R[0], 0)));
  /* bios.lua tab 0 line 220: if i < 0 or i > 63 then return end */
  if (lt(L, R[0], num(P8_FIX(0)), bare(L->site)) || lt(L, num(P8_FIX(63)), R[0], bare(L->site))) {
    return 0;
  }
  /* bios.lua tab 0 line 221: poke4(0x5e00 + i * 4, v) */
  f0 = fixof(mul(L, R[0], num(P8_FIX(4)), bare(L->site)));
  api_poke4(L, p8_fixi_add(P8_FIX(24064), f0), rt_apinum(L, R[1], 0));
  return 0;
}

/* bios.lua tab 0 line 228: printh */
int bi_printh(State *L, Value *A, int nargs) {
  enum { FS = 10 };
  if (rp8_ctx_low()) rt_stack_overflow(L);
  rt_enter(L, A, nargs, 3, FS);
  Value *R = A;
  (void)R;
  /* bios.lua tab 0 line 229: s = tostr(s) */
  R[4] = R[0];
  rt_callfn(L, bi_tostr, R + 3, 1, 1, bare(L->site));
  R[0] = R[3];
  /* bios.lua tab 0 line 230: if filename == nil then */
  if (rawequal(R[1], nil())) {
    /* bios.lua tab 0 line 231: host_printh(s) */
    R[4] = R[0];
    rt_callfn(L, bi_host_printh, R + 3, 1, 0, bare(L->site));
    /* bios.lua tab 0 line 232: return */
    return 0;
  }
  /* bios.lua tab 0 line 234: filename = tostr(filename) */
  R[4] = R[1];
  rt_callfn(L, bi_tostr, R + 3, 1, 1, bare(L->site));
  R[1] = R[3];
  /* bios.lua tab 0 line 235: if filename == "@clip" then */
  if (eq(L, R[1], BK[7])) {
    /* bios.lua tab 0 line 236: host_set_clipboard(s) */
    R[4] = R[0];
    rt_callfn(L, bi_host_set_clipboard, R + 3, 1, 0, bare(L->site));
    /* bios.lua tab 0 line 237: return */
    return 0;
  }
  /* bios.lua tab 0 line 239: local e = host_printh_file(s, filename, overwrite and true or false) */
  R[5] = R[0];
  R[6] = R[1];
  R[8] = R[2];
  if (truthy(R[8])) {
    R[8] = boolean(true);
  }
  R[9] = R[8];
  if (!truthy(R[9])) {
    R[9] = boolean(false);
  }
  R[7] = R[9];
  rt_callfn(L, bi_host_printh_file, R + 4, 3, 1, bare(L->site));
  R[3] = R[4];
  /* bios.lua tab 0 line 240: if e ~= nil then error(e) end */
  if (!rawequal(R[3], nil())) {
    R[5] = R[3];
    rt_callfn(L, bi_error, R + 4, 1, 0, bare(L->site));
  }
  return 0;
}

/* bios.lua tab 0 line 245: run */
int bi_run(State *L, Value *A, int nargs) {
  enum { FS = 4 };
  if (rp8_ctx_low()) rt_stack_overflow(L);
  rt_enter(L, A, nargs, 1, FS);
  Value *R = A;
  (void)R;
  Value *const TOP = L->top;
  int i0 = 0; (void)i0;
  /* bios.lua tab 0 line 246: if param == nil then param = "" end */
  if (rawequal(R[0], nil())) {
    R[0] = BK[4];
  }
  /* bios.lua tab 0 line 247: host_run(tostr(param)) */
  R[3] = R[0];
  i0 = rt_callfn(L, bi_tostr, R + 2, 1, -1, bare(L->site));
  rt_callfn(L, bi_host_run, R + 1, 0 + i0, 0, bare(L->site));
  L->top = TOP;
  return 0;
}

/* bios.lua tab 0 line 252: stop */
int bi_stop(State *L, Value *A, int nargs) {
  enum { FS = 4 };
  if (rp8_ctx_low()) rt_stack_overflow(L);
  rt_enter(L, A, nargs, 1, FS);
  Value *R = A;
  (void)R;
  Value *const TOP = L->top;
  int i0 = 0; (void)i0;
  /* bios.lua tab 0 line 253: if message == nil then message = "" end */
  if (rawequal(R[0], nil())) {
    R[0] = BK[4];
  }
  /* bios.lua tab 0 line 254: host_stop(tostr(message)) */
  R[3] = R[0];
  i0 = rt_callfn(L, bi_tostr, R + 2, 1, -1, bare(L->site));
  rt_callfn(L, bi_host_stop, R + 1, 0 + i0, 0, bare(L->site));
  L->top = TOP;
  return 0;
}

/* bios.lua tab 0 line 261: load */
int bi_load(State *L, Value *A, int nargs) {
  enum { FS = 8 };
  if (rp8_ctx_low()) rt_stack_overflow(L);
  rt_enter(L, A, nargs, 3, FS);
  Value *R = A;
  (void)R;
  Value *const TOP = L->top;
  int i0 = 0; (void)i0;
  int i1 = 0; (void)i1;
  /* bios.lua tab 0 line 262: if breadcrumb ~= nil then breadcrumb = tostr(breadcrumb) end */
  if (!rawequal(R[1], nil())) {
    R[4] = R[1];
    rt_callfn(L, bi_tostr, R + 3, 1, 1, bare(L->site));
    R[1] = R[3];
  }
  /* bios.lua tab 0 line 263: if param == nil then param = "" end */
  if (rawequal(R[2], nil())) {
    R[2] = BK[4];
  }
  /* bios.lua tab 0 line 264: return host_load(tostr(filename), breadcrumb, tostr(param)) */
  R[6] = R[0];
  rt_callfn(L, bi_tostr, R + 5, 1, 1, bare(L->site));
  R[4] = R[5];
  R[5] = R[1];
  R[7] = R[2];
  i1 = rt_callfn(L, bi_tostr, R + 6, 1, -1, bare(L->site));
  i0 = rt_callfn(L, bi_host_load, R + 3, 2 + i1, -1, bare(L->site));
  return rt_ret(A, R + 3, 0 + i0);
  L->top = TOP;
  return 0;
}

/* bios.lua tab 0 line 272: reload */
int bi_reload(State *L, Value *A, int nargs) {
  enum { FS = 9 };
  if (rp8_ctx_low()) rt_stack_overflow(L);
  rt_enter(L, A, nargs, 4, FS);
  Value *R = A;
  (void)R;
  /* bios.lua tab 0 line 273: if filename == nil then */
  if (rawequal(R[3], nil())) {
    /* bios.lua tab 0 line 274: p8_reload(dst, src, len) */
    R[5] = R[0];
    R[6] = R[1];
    R[7] = R[2];
    rt_callfn(L, bi_p8_reload, R + 4, 3, 0, bare(L->site));
    /* bios.lua tab 0 line 275: return */
    return 0;
  }
  /* bios.lua tab 0 line 277: filename = tostr(filename) */
  R[5] = R[3];
  rt_callfn(L, bi_tostr, R + 4, 1, 1, bare(L->site));
  R[3] = R[4];
  /* bios.lua tab 0 line 278: if not host_stage_rom(filename) then error("reload: could not read ... */
  R[5] = R[3];
  rt_callfn(L, bi_host_stage_rom, R + 4, 1, 1, bare(L->site));
  if (!(truthy(R[4]))) {
    R[6] = rt_concat(L, BK[8], R[3], bare(L->site));
    rt_callfn(L, bi_error, R + 5, 1, 0, bare(L->site));
  }
  /* bios.lua tab 0 line 279: p8_reload_other(dst or 0, src or 0, len or 0) */
  R[6] = R[0];
  if (!truthy(R[6])) {
    R[6] = num(P8_FIX(0));
  }
  R[5] = R[6];
  R[7] = R[1];
  if (!truthy(R[7])) {
    R[7] = num(P8_FIX(0));
  }
  R[6] = R[7];
  R[8] = R[2];
  if (!truthy(R[8])) {
    R[8] = num(P8_FIX(0));
  }
  R[7] = R[8];
  rt_callfn(L, bi_p8_reload_other, R + 4, 3, 0, bare(L->site));
  return 0;
}

/* bios.lua tab 0 line 286: cstore */
int bi_cstore(State *L, Value *A, int nargs) {
  enum { FS = 8 };
  if (rp8_ctx_low()) rt_stack_overflow(L);
  rt_enter(L, A, nargs, 4, FS);
  Value *R = A;
  (void)R;
  /* bios.lua tab 0 line 287: if filename ~= nil then error("not supported yet: cstore() into ano... */
  if (!rawequal(R[3], nil())) {
    R[5] = BK[9];
    rt_callfn(L, bi_error, R + 4, 1, 0, bare(L->site));
  }
  /* bios.lua tab 0 line 289: if p8_cstore(dst, src, len) == -3 then */
  R[5] = R[0];
  R[6] = R[1];
  R[7] = R[2];
  rt_callfn(L, bi_p8_cstore, R + 4, 3, 1, bare(L->site));
  if (rawequal(R[4], num(P8_FIX(-3)))) {
    /* bios.lua tab 0 line 290: error("not supported yet: cstore() on a device (the cart ROM is rea... */
    R[6] = BK[10];
    rt_callfn(L, bi_error, R + 5, 1, 0, bare(L->site));
  }
  return 0;
}

/* bios.lua tab 0 line 299: extcmd */
int bi_extcmd(State *L, Value *A, int nargs) {
  enum { FS = 6 };
  if (rp8_ctx_low()) rt_stack_overflow(L);
  rt_enter(L, A, nargs, 2, FS);
  Value *R = A;
  (void)R;
  Value *const TOP = L->top;
  int i0 = 0; (void)i0;
  int i1 = 0; (void)i1;
  /* bios.lua tab 0 line 300: cmd = tostr(cmd) */
  R[3] = R[0];
  rt_callfn(L, bi_tostr, R + 2, 1, 1, bare(L->site));
  R[0] = R[2];
  /* bios.lua tab 0 line 301: if cmd == "reset" then host_run(host_param()) end */
  if (eq(L, R[0], BK[11])) {
    i0 = rt_callfn(L, bi_host_param, R + 3, 0, -1, bare(L->site));
    rt_callfn(L, bi_host_run, R + 2, 0 + i0, 0, bare(L->site));
    L->top = TOP;
  }
  /* bios.lua tab 0 line 302: if cmd == "shutdown" then host_stop("") end */
  if (eq(L, R[0], BK[12])) {
    R[3] = BK[4];
    rt_callfn(L, bi_host_stop, R + 2, 1, 0, bare(L->site));
  }
  /* bios.lua tab 0 line 303: if cmd == "breadcrumb" then host_back() end */
  if (eq(L, R[0], BK[13])) {
    rt_callfn(L, bi_host_back, R + 2, 0, 0, bare(L->site));
  }
  /* bios.lua tab 0 line 304: if a == nil then a = "" end */
  if (rawequal(R[1], nil())) {
    R[1] = BK[4];
  }
  /* bios.lua tab 0 line 305: host_extcmd(cmd, tostr(a)) */
  R[3] = R[0];
  R[5] = R[1];
  i1 = rt_callfn(L, bi_tostr, R + 4, 1, -1, bare(L->site));
  rt_callfn(L, bi_host_extcmd, R + 2, 1 + i1, 0, bare(L->site));
  L->top = TOP;
  return 0;
}

/* bios.lua tab 0 line 311: _set_fps */
int bi__set_fps(State *L, Value *A, int nargs) {
  enum { FS = 8 };
  if (rp8_ctx_low()) rt_stack_overflow(L);
  rt_enter(L, A, nargs, 1, FS);
  Value *R = A;
  (void)R;
  fix32 n_picked_71 = 0; (void)n_picked_71;
  /* bios.lua tab 0 line 312: n = flr(n) */
  R[0] = num(api_flr(L, rt_apinum(L, R[0], 0)));
  /* bios.lua tab 0 line 313: local picked = 30 */
  n_picked_71 = P8_FIX(30);
  /* bios.lua tab 0 line 314: if host_update60() then picked = 60 end */
  rt_callfn(L, bi_host_update60, R + 1, 0, 1, bare(L->site));
  if (truthy(R[1])) {
    n_picked_71 = P8_FIX(60);
  }
  /* bios.lua tab 0 line 315: if n ~= picked then */
  if (!rawequal(R[0], num(n_picked_71))) {
    /* bios.lua tab 0 line 316: error("not supported yet: _set_fps(" .. n .. ") when the game loop ... */
    R[3] = BK[14];
    R[4] = R[0];
    R[5] = BK[15];
    R[6] = num(n_picked_71);
    R[7] = BK[16];
    R[2] = rt_concat_n(L, R + 3, 5, bare(L->site));
    rt_callfn(L, bi_error, R + 1, 1, 0, bare(L->site));
  }
  return 0;
}

/* bios.lua tab 0 line 324: tline */
int bi_tline(State *L, Value *A, int nargs) {
  enum { FS = 19 };
  if (rp8_ctx_low()) rt_stack_overflow(L);
  rt_enter(L, A, nargs, 9, FS);
  Value *R = A;
  (void)R;
  Value *const TOP = L->top;
  int i0 = 0; (void)i0;
  /* bios.lua tab 0 line 325: if y0 == nil and x1 == nil then */
  if (rawequal(R[1], nil()) && rawequal(R[2], nil())) {
    /* bios.lua tab 0 line 326: if p8_tline_precision(x0) ~= 0 then */
    R[10] = R[0];
    rt_callfn(L, bi_p8_tline_precision, R + 9, 1, 1, bare(L->site));
    if (!rawequal(R[9], num(P8_FIX(0)))) {
      /* bios.lua tab 0 line 327: error("not supported yet: tline precision outside 0-31 bits") */
      R[11] = BK[17];
      rt_callfn(L, bi_error, R + 10, 1, 0, bare(L->site));
    }
    /* bios.lua tab 0 line 329: return */
    return 0;
  }
  /* bios.lua tab 0 line 331: return p8_tline(x0, y0, x1, y1, mx, my, mdx, mdy, layers) */
  R[10] = R[0];
  R[11] = R[1];
  R[12] = R[2];
  R[13] = R[3];
  R[14] = R[4];
  R[15] = R[5];
  R[16] = R[6];
  R[17] = R[7];
  R[18] = R[8];
  i0 = rt_callfn(L, bi_p8_tline, R + 9, 9, -1, bare(L->site));
  return rt_ret(A, R + 9, 0 + i0);
  L->top = TOP;
  return 0;
}

/* bios.lua tab 0 line 337: peek */
int bi_peek(State *L, Value *A, int nargs) {
  enum { FS = 7 };
  if (rp8_ctx_low()) rt_stack_overflow(L);
  rt_enter(L, A, nargs, 2, FS);
  Value *R = A;
  (void)R;
  Value *const TOP = L->top;
  int i0 = 0; (void)i0;
  int i1 = 0; (void)i1;
  /* bios.lua tab 0 line 338: if n == nil then return p8_peek(a) end */
  if (rawequal(R[1], nil())) {
    R[3] = R[0];
    i0 = rt_callfn(L, bi_p8_peek, R + 2, 1, -1, bare(L->site));
    return rt_ret(A, R + 2, 0 + i0);
    L->top = TOP;
  }
  /* bios.lua tab 0 line 339: return __peek_n(p8_peek, a, n, 1) */
  R[3] = lightfn(BUILTIN_BASE + 61) /* p8_peek */;
  R[4] = R[0];
  R[5] = R[1];
  R[6] = num(P8_FIX(1));
  i1 = rt_callfn(L, bi___peek_n, R + 2, 4, -1, bare(L->site));
  return rt_ret(A, R + 2, 0 + i1);
  L->top = TOP;
  return 0;
}

/* bios.lua tab 0 line 343: peek2 */
int bi_peek2(State *L, Value *A, int nargs) {
  enum { FS = 7 };
  if (rp8_ctx_low()) rt_stack_overflow(L);
  rt_enter(L, A, nargs, 2, FS);
  Value *R = A;
  (void)R;
  Value *const TOP = L->top;
  int i0 = 0; (void)i0;
  int i1 = 0; (void)i1;
  /* bios.lua tab 0 line 344: if n == nil then return p8_peek2(a) end */
  if (rawequal(R[1], nil())) {
    R[3] = R[0];
    i0 = rt_callfn(L, bi_p8_peek2, R + 2, 1, -1, bare(L->site));
    return rt_ret(A, R + 2, 0 + i0);
    L->top = TOP;
  }
  /* bios.lua tab 0 line 345: return __peek_n(p8_peek2, a, n, 2) */
  R[3] = lightfn(BUILTIN_BASE + 62) /* p8_peek2 */;
  R[4] = R[0];
  R[5] = R[1];
  R[6] = num(P8_FIX(2));
  i1 = rt_callfn(L, bi___peek_n, R + 2, 4, -1, bare(L->site));
  return rt_ret(A, R + 2, 0 + i1);
  L->top = TOP;
  return 0;
}

/* bios.lua tab 0 line 349: peek4 */
int bi_peek4(State *L, Value *A, int nargs) {
  enum { FS = 7 };
  if (rp8_ctx_low()) rt_stack_overflow(L);
  rt_enter(L, A, nargs, 2, FS);
  Value *R = A;
  (void)R;
  Value *const TOP = L->top;
  int i0 = 0; (void)i0;
  int i1 = 0; (void)i1;
  /* bios.lua tab 0 line 350: if n == nil then return p8_peek4(a) end */
  if (rawequal(R[1], nil())) {
    R[3] = R[0];
    i0 = rt_callfn(L, bi_p8_peek4, R + 2, 1, -1, bare(L->site));
    return rt_ret(A, R + 2, 0 + i0);
    L->top = TOP;
  }
  /* bios.lua tab 0 line 351: return __peek_n(p8_peek4, a, n, 4) */
  R[3] = lightfn(BUILTIN_BASE + 63) /* p8_peek4 */;
  R[4] = R[0];
  R[5] = R[1];
  R[6] = num(P8_FIX(4));
  i1 = rt_callfn(L, bi___peek_n, R + 2, 4, -1, bare(L->site));
  return rt_ret(A, R + 2, 0 + i1);
  L->top = TOP;
  return 0;
}

/* bios.lua tab 0 line 357: poke */
int bi_poke(State *L, Value *A, int nargs) {
  enum { FS = 8 };
  if (rp8_ctx_low()) rt_stack_overflow(L);
  Value *R = rt_enter_vararg(L, A, nargs, 2, FS);
  Value *VA = A + 2;
  int NVA = nargs > 2 ? nargs - 2 : 0;
  (void)R; (void)VA; (void)NVA;
  Value *const TOP = L->top;
  int i0 = 0; (void)i0;
  /* bios.lua tab 0 line 358: if select("#", ...) == 0 then return p8_poke(a, v) end */
  R[3] = BK[18];
  rt_checkstack(L, R + 4, NVA);
  for (int i = 0; i < NVA; i++) R[4 + i] = VA[i];
  rt_callfn(L, bi_select, R + 2, 1 + NVA, 1, bare(L->site));
  if (rawequal(R[2], num(P8_FIX(0)))) {
    R[4] = R[0];
    R[5] = R[1];
    i0 = rt_callfn(L, bi_p8_poke, R + 3, 2, -1, bare(L->site));
    return rt_ret(A, R + 3, 0 + i0);
    L->top = TOP;
  }
  /* bios.lua tab 0 line 359: __poke_n(p8_poke, a, 1, v, ...) */
  R[3] = lightfn(BUILTIN_BASE + 64) /* p8_poke */;
  R[4] = R[0];
  R[5] = num(P8_FIX(1));
  R[6] = R[1];
  rt_checkstack(L, R + 7, NVA);
  for (int i = 0; i < NVA; i++) R[7 + i] = VA[i];
  rt_callfn(L, bi___poke_n, R + 2, 4 + NVA, 0, bare(L->site));
  return 0;
}

/* bios.lua tab 0 line 363: poke2 */
int bi_poke2(State *L, Value *A, int nargs) {
  enum { FS = 8 };
  if (rp8_ctx_low()) rt_stack_overflow(L);
  Value *R = rt_enter_vararg(L, A, nargs, 2, FS);
  Value *VA = A + 2;
  int NVA = nargs > 2 ? nargs - 2 : 0;
  (void)R; (void)VA; (void)NVA;
  Value *const TOP = L->top;
  int i0 = 0; (void)i0;
  /* bios.lua tab 0 line 364: if select("#", ...) == 0 then return p8_poke2(a, v) end */
  R[3] = BK[18];
  rt_checkstack(L, R + 4, NVA);
  for (int i = 0; i < NVA; i++) R[4 + i] = VA[i];
  rt_callfn(L, bi_select, R + 2, 1 + NVA, 1, bare(L->site));
  if (rawequal(R[2], num(P8_FIX(0)))) {
    R[4] = R[0];
    R[5] = R[1];
    i0 = rt_callfn(L, bi_p8_poke2, R + 3, 2, -1, bare(L->site));
    return rt_ret(A, R + 3, 0 + i0);
    L->top = TOP;
  }
  /* bios.lua tab 0 line 365: __poke_n(p8_poke2, a, 2, v, ...) */
  R[3] = lightfn(BUILTIN_BASE + 65) /* p8_poke2 */;
  R[4] = R[0];
  R[5] = num(P8_FIX(2));
  R[6] = R[1];
  rt_checkstack(L, R + 7, NVA);
  for (int i = 0; i < NVA; i++) R[7 + i] = VA[i];
  rt_callfn(L, bi___poke_n, R + 2, 4 + NVA, 0, bare(L->site));
  return 0;
}

/* bios.lua tab 0 line 369: poke4 */
int bi_poke4(State *L, Value *A, int nargs) {
  enum { FS = 8 };
  if (rp8_ctx_low()) rt_stack_overflow(L);
  Value *R = rt_enter_vararg(L, A, nargs, 2, FS);
  Value *VA = A + 2;
  int NVA = nargs > 2 ? nargs - 2 : 0;
  (void)R; (void)VA; (void)NVA;
  Value *const TOP = L->top;
  int i0 = 0; (void)i0;
  /* bios.lua tab 0 line 370: if select("#", ...) == 0 then return p8_poke4(a, v) end */
  R[3] = BK[18];
  rt_checkstack(L, R + 4, NVA);
  for (int i = 0; i < NVA; i++) R[4 + i] = VA[i];
  rt_callfn(L, bi_select, R + 2, 1 + NVA, 1, bare(L->site));
  if (rawequal(R[2], num(P8_FIX(0)))) {
    R[4] = R[0];
    R[5] = R[1];
    i0 = rt_callfn(L, bi_p8_poke4, R + 3, 2, -1, bare(L->site));
    return rt_ret(A, R + 3, 0 + i0);
    L->top = TOP;
  }
  /* bios.lua tab 0 line 371: __poke_n(p8_poke4, a, 4, v, ...) */
  R[3] = lightfn(BUILTIN_BASE + 66) /* p8_poke4 */;
  R[4] = R[0];
  R[5] = num(P8_FIX(4));
  R[6] = R[1];
  rt_checkstack(L, R + 7, NVA);
  for (int i = 0; i < NVA; i++) R[7 + i] = VA[i];
  rt_callfn(L, bi___poke_n, R + 2, 4 + NVA, 0, bare(L->site));
  return 0;
}

/* bios.lua tab 0 line 379: __peek_n */
int bi___peek_n(State *L, Value *A, int nargs) {
  enum { FS = 9 };
  if (rp8_ctx_low()) rt_stack_overflow(L);
  rt_enter(L, A, nargs, 4, FS);
  Value *R = A;
  (void)R;
  Value *const TOP = L->top;
  int i0 = 0; (void)i0;
  int i1 = 0; (void)i1;
  fix32 f2 = 0; (void)f2;
  fix32 f3 = 0; (void)f3;
  int i4 = 0; (void)i4;
  fix32 f5 = 0; (void)f5;
  fix32 f6 = 0; (void)f6;
  fix32 f7 = 0; (void)f7;
  fix32 n_i_98 = 0; (void)n_i_98;
  int i9 = 0; (void)i9;
  /* bios.lua tab 0 line 380: n = flr(n) */
  R[2] = num(api_flr(L, rt_apinum(L, R[2], 0)));
  /* bios.lua tab 0 line 381: if n > 8192 then n = 8192 end */
  if (lt(L, num(P8_FIX(8192)), R[2], bare(L->site))) {
    R[2] = num(P8_FIX(8192));
  }
  /* bios.lua tab 0 line 382: a = flr(a) */
  R[1] = num(api_flr(L, rt_apinum(L, R[1], 0)));
  /* bios.lua tab 0 line 384: if n <= 1 then */
  if (le(L, R[2], num(P8_FIX(1)), bare(L->site))) {
    /* bios.lua tab 0 line 385: if n == 1 then return one(a) end */
    if (rawequal(R[2], num(P8_FIX(1)))) {
      R[4] = R[0];
      R[5] = R[1];
      L->site = bare(L->site);
      return rt_tail(A, R + 4, 1);
    }
    /* bios.lua tab 0 line 386: return */
    return 0;
  }
  /* bios.lua tab 0 line 388: if n == 2 then return one(a), one(a + width) end */
  if (rawequal(R[2], num(P8_FIX(2)))) {
    R[5] = R[0];
    R[6] = R[1];
    rt_call(L, R + 5, 1, 1, bare(L->site));
    R[4] = R[5];
    R[5] = R[0];
    R[6] = num(fixof(add(L, R[1], R[3], bare(L->site))));
    i0 = rt_call(L, R + 5, 1, -1, bare(L->site));
    return rt_ret(A, R + 4, 1 + i0);
    L->top = TOP;
  }
  /* bios.lua tab 0 line 389: if n == 3 then return one(a), one(a + width), one(a + 2 * width) end */
  if (rawequal(R[2], num(P8_FIX(3)))) {
    R[5] = R[0];
    R[6] = R[1];
    rt_call(L, R + 5, 1, 1, bare(L->site));
    R[4] = R[5];
    R[6] = R[0];
    R[7] = num(fixof(add(L, R[1], R[3], bare(L->site))));
    rt_call(L, R + 6, 1, 1, bare(L->site));
    R[5] = R[6];
    R[6] = R[0];
    f2 = fixof(mul(L, num(P8_FIX(2)), R[3], bare(L->site)));
    R[7] = num(fixof(add(L, R[1], num(f2), bare(L->site))));
    i1 = rt_call(L, R + 6, 1, -1, bare(L->site));
    return rt_ret(A, R + 4, 2 + i1);
    L->top = TOP;
  }
  /* bios.lua tab 0 line 390: if n == 4 then return one(a), one(a + width), one(a + 2 * width), o... */
  if (rawequal(R[2], num(P8_FIX(4)))) {
    R[5] = R[0];
    R[6] = R[1];
    rt_call(L, R + 5, 1, 1, bare(L->site));
    R[4] = R[5];
    R[6] = R[0];
    R[7] = num(fixof(add(L, R[1], R[3], bare(L->site))));
    rt_call(L, R + 6, 1, 1, bare(L->site));
    R[5] = R[6];
    R[7] = R[0];
    f3 = fixof(mul(L, num(P8_FIX(2)), R[3], bare(L->site)));
    R[8] = num(fixof(add(L, R[1], num(f3), bare(L->site))));
    rt_call(L, R + 7, 1, 1, bare(L->site));
    R[6] = R[7];
    R[7] = R[0];
    f5 = fixof(mul(L, num(P8_FIX(3)), R[3], bare(L->site)));
    R[8] = num(fixof(add(L, R[1], num(f5), bare(L->site))));
    i4 = rt_call(L, R + 7, 1, -1, bare(L->site));
    return rt_ret(A, R + 4, 3 + i4);
    L->top = TOP;
  }
  /* bios.lua tab 0 line 391: local r = {} */
  R[5] = newtable(L, 0, 0, bare(L->site));
  R[4] = R[5];
  /* bios.lua tab 0 line 392: for i = 1, n do */
  f6 = P8_FIX(1);
  f7 = forfix(L, R[2], bare(L->site), 1);
  if (f6 <= f7) for (;;) {
  RP8_TICK(L);
    n_i_98 = f6;
    /* bios.lua tab 0 line 393: r[i] = one(a) */
    R[5] = R[0];
    R[6] = R[1];
    rt_call(L, R + 5, 1, 1, bare(L->site));
    setindex(L, R[4], num(n_i_98), R[5], bare(L->site));
    /* bios.lua tab 0 line 394: a += width */
    R[1] = num(fixof(add(L, R[1], R[3], bare(L->site))));
    if ((int64_t)f6 + P8_FIX_ONE > f7) break;
    f6 += P8_FIX_ONE;
  }
  /* bios.lua tab 0 line 396: return unpack(r, 1, n) */
  R[6] = R[4];
  R[7] = num(P8_FIX(1));
  R[8] = R[2];
  i9 = rt_callfn(L, bi_unpack, R + 5, 3, -1, bare(L->site));
  return rt_ret(A, R + 5, 0 + i9);
  L->top = TOP;
  return 0;
}

/* bios.lua tab 0 line 400: __poke_n */
int bi___poke_n(State *L, Value *A, int nargs) {
  enum { FS = 10 };
  if (rp8_ctx_low()) rt_stack_overflow(L);
  Value *R = rt_enter_vararg(L, A, nargs, 3, FS);
  Value *VA = A + 3;
  int NVA = nargs > 3 ? nargs - 3 : 0;
  (void)R; (void)VA; (void)NVA;
  Value *const TOP = L->top;
  fix32 f0 = 0; (void)f0;
  fix32 f1 = 0; (void)f1;
  fix32 n_i_103 = 0; (void)n_i_103;
  fix32 f3 = 0; (void)f3;
  fix32 f4 = 0; (void)f4;
  fix32 n_i_105 = 0; (void)n_i_105;
  /* bios.lua tab 0 line 401: local n = select("#", ...) */
  R[5] = BK[18];
  rt_checkstack(L, R + 6, NVA);
  for (int i = 0; i < NVA; i++) R[6 + i] = VA[i];
  rt_callfn(L, bi_select, R + 4, 1 + NVA, 1, bare(L->site));
  R[3] = R[4];
  /* bios.lua tab 0 line 402: if n > 8192 then n = 8192 end */
  if (lt(L, num(P8_FIX(8192)), R[3], bare(L->site))) {
    R[3] = num(P8_FIX(8192));
  }
  /* bios.lua tab 0 line 403: a = flr(a) */
  R[1] = num(api_flr(L, rt_apinum(L, R[1], 0)));
  /* bios.lua tab 0 line 404: if n <= 16 then */
  if (le(L, R[3], num(P8_FIX(16)), bare(L->site))) {
    /* bios.lua tab 0 line 407: for i = 1, n do */
    f0 = P8_FIX(1);
    f1 = forfix(L, R[3], bare(L->site), 1);
    if (f0 <= f1) for (;;) {
    RP8_TICK(L);
      n_i_103 = f0;
      /* bios.lua tab 0 line 408: one(a, (select(i, ...))) */
      R[4] = R[0];
      R[5] = R[1];
      R[8] = num(n_i_103);
      rt_checkstack(L, R + 9, NVA);
      for (int i = 0; i < NVA; i++) R[9 + i] = VA[i];
      rt_callfn(L, bi_select, R + 7, 1 + NVA, 1, bare(L->site));
      R[6] = R[7];
      rt_call(L, R + 4, 2, 0, bare(L->site));
      /* bios.lua tab 0 line 409: a += width */
      R[1] = num(fixof(add(L, R[1], R[2], bare(L->site))));
      if ((int64_t)f0 + P8_FIX_ONE > f1) break;
      f0 += P8_FIX_ONE;
    }
    /* bios.lua tab 0 line 411: return */
    return 0;
  }
  /* bios.lua tab 0 line 413: local v = { ... } */
  R[5] = newtable(L, 0, 0, bare(L->site));
  rt_checkstack(L, R + 6, NVA);
  for (int i = 0; i < NVA; i++) R[6 + i] = VA[i];
  rt_setlist_reserve(L, R[5], 0 + NVA);
  for (int i = 0; i < NVA; i++) rt_rawsetint(L, R[5], 1 + i, R[6 + i]);
  L->top = TOP;
  R[4] = R[5];
  /* bios.lua tab 0 line 414: for i = 1, n do */
  f3 = P8_FIX(1);
  f4 = forfix(L, R[3], bare(L->site), 1);
  if (f3 <= f4) for (;;) {
  RP8_TICK(L);
    n_i_105 = f3;
    /* bios.lua tab 0 line 415: one(a, v[i]) */
    R[5] = R[0];
    R[6] = R[1];
    R[7] = index(L, R[4], num(n_i_105), bare(L->site));
    rt_call(L, R + 5, 2, 0, bare(L->site));
    /* bios.lua tab 0 line 416: a += width */
    R[1] = num(fixof(add(L, R[1], R[2], bare(L->site))));
    if ((int64_t)f3 + P8_FIX_ONE > f4) break;
    f3 += P8_FIX_ONE;
  }
  return 0;
}

/* bios.lua tab 0 line 423: flip */
int bi_flip(State *L, Value *A, int nargs) {
  enum { FS = 3 };
  if (rp8_ctx_low()) rt_stack_overflow(L);
  rt_enter(L, A, nargs, 0, FS);
  Value *R = A;
  (void)R;
  /* bios.lua tab 0 line 424: if not host_flip() then */
  rt_callfn(L, bi_host_flip, R + 0, 0, 1, bare(L->site));
  if (!(truthy(R[0]))) {
    /* bios.lua tab 0 line 425: error("not supported yet: flip() outside a frame loop that can pres... */
    R[2] = BK[19];
    rt_callfn(L, bi_error, R + 1, 1, 0, bare(L->site));
  }
  return 0;
}

/* bios.lua tab 0 line 430: holdframe */
int bi_holdframe(State *L, Value *A, int nargs) {
  enum { FS = 1 };
  if (rp8_ctx_low()) rt_stack_overflow(L);
  rt_enter(L, A, nargs, 0, FS);
  Value *R = A;
  (void)R;
  /* bios.lua tab 0 line 431: host_holdframe() */
  rt_callfn(L, bi_host_holdframe, R + 0, 0, 0, bare(L->site));
  return 0;
}

/* bios.lua tab 0 line 441: print */
int bi_print(State *L, Value *A, int nargs) {
  enum { FS = 10 };
  if (rp8_ctx_low()) rt_stack_overflow(L);
  Value *R = rt_enter_vararg(L, A, nargs, 0, FS);
  Value *VA = A + 0;
  int NVA = nargs > 0 ? nargs - 0 : 0;
  (void)R; (void)VA; (void)NVA;
  Value *const TOP = L->top;
  fix32 f0 = 0; (void)f0;
  fix32 f1 = 0; (void)f1;
  fix32 n_i_111 = 0; (void)n_i_111;
  int i3 = 0; (void)i3;
  /* bios.lua tab 0 line 442: local s, x, y, col = ... */
  R[4] = NVA > 0 ? VA[0] : nil();
  R[5] = NVA > 1 ? VA[1] : nil();
  R[6] = NVA > 2 ? VA[2] : nil();
  R[7] = NVA > 3 ? VA[3] : nil();
  R[0] = R[4];
  R[1] = R[5];
  R[2] = R[6];
  R[3] = R[7];
  /* bios.lua tab 0 line 443: if type(s) ~= "string" then */
  if ((R[0]).tag != T_STR) {
    /* bios.lua tab 0 line 444: if select("#", ...) == 0 then s = "" else s = tostr(s) end */
    R[5] = BK[18];
    rt_checkstack(L, R + 6, NVA);
    for (int i = 0; i < NVA; i++) R[6 + i] = VA[i];
    rt_callfn(L, bi_select, R + 4, 1 + NVA, 1, bare(L->site));
    if (rawequal(R[4], num(P8_FIX(0)))) {
      R[0] = BK[4];
    } else {
      R[6] = R[0];
      rt_callfn(L, bi_tostr, R + 5, 1, 1, bare(L->site));
      R[0] = R[5];
    }
  }
  /* bios.lua tab 0 line 446: local wait = p8_print_start(s, x, y, col) */
  R[6] = R[0];
  R[7] = R[1];
  R[8] = R[2];
  R[9] = R[3];
  rt_callfn(L, bi_p8_print_start, R + 5, 4, 1, bare(L->site));
  R[4] = R[5];
  /* bios.lua tab 0 line 447: while wait ~= 0 do */
  for (;;) {
  RP8_TICK(L);
    if (!(!rawequal(R[4], num(P8_FIX(0))))) break;
    /* bios.lua tab 0 line 448: for i = 1, wait do host_flip() end */
    f0 = P8_FIX(1);
    f1 = forfix(L, R[4], bare(L->site), 1);
    if (f0 <= f1) for (;;) {
    RP8_TICK(L);
      n_i_111 = f0;
      rt_callfn(L, bi_host_flip, R + 5, 0, 0, bare(L->site));
      if ((int64_t)f0 + P8_FIX_ONE > f1) break;
      f0 += P8_FIX_ONE;
    }
    /* bios.lua tab 0 line 449: wait = p8_print_resume(s) */
    R[6] = R[0];
    rt_callfn(L, bi_p8_print_resume, R + 5, 1, 1, bare(L->site));
    R[4] = R[5];
  }
  /* bios.lua tab 0 line 451: return p8_print_result() */
  i3 = rt_callfn(L, bi_p8_print_result, R + 5, 0, -1, bare(L->site));
  return rt_ret(A, R + 5, 0 + i3);
  L->top = TOP;
  return 0;
}

/* By builtin id order after HOST_BUILTINS (rt_bios_id); nested functions
** are named in parentheses, so they are no globals. */
extern const Builtin BIOS_BUILTINS[] = {
  {"add", bi_add},
  {"del", bi_del},
  {"deli", bi_deli},
  {"count", bi_count},
  {"all", bi_all},
  {"(bios all#1)", bios_5},
  {"(bios all#2)", bios_6},
  {"foreach", bi_foreach},
  {"pal", bi_pal},
  {"(__index_string)", bi___index_string},
  {"rnd", bi_rnd},
  {"menuitem", bi_menuitem},
  {"stat", bi_stat},
  {"cartdata", bi_cartdata},
  {"dget", bi_dget},
  {"dset", bi_dset},
  {"printh", bi_printh},
  {"run", bi_run},
  {"stop", bi_stop},
  {"load", bi_load},
  {"reload", bi_reload},
  {"cstore", bi_cstore},
  {"extcmd", bi_extcmd},
  {"_set_fps", bi__set_fps},
  {"tline", bi_tline},
  {"peek", bi_peek},
  {"peek2", bi_peek2},
  {"peek4", bi_peek4},
  {"poke", bi_poke},
  {"poke2", bi_poke2},
  {"poke4", bi_poke4},
  {"(__peek_n)", bi___peek_n},
  {"(__poke_n)", bi___poke_n},
  {"flip", bi_flip},
  {"holdframe", bi_holdframe},
  {"print", bi_print},
};
extern const uint32_t NBIOS_BUILTINS = sizeof BIOS_BUILTINS / sizeof BIOS_BUILTINS[0];
extern const uint32_t BIOS_HOOK_INDEX_STRING = 9;
extern const uint32_t BIOS_HOOK_PEEK_N = 31;
extern const uint32_t BIOS_HOOK_POKE_N = 32;

}  // namespace rp8
