-- lua_runtime.lua -- what code emitted by aot/lua_backend.py calls.
--
-- PICO-8 numbers are signed 16.16 fixed point; LuaJIT numbers are doubles.
-- Every number this runtime hands back is an exact multiple of 2^-16 in
-- [-32768, 32768), the set a fix32 can hold, and every operation gives the
-- value the engine's fix32 function (console/engine/p8_fix.h) gives, bit
-- for bit. How each stays exact in a double is said beside it.
--
-- Loaded by the host (never by a cart) as a chunk that returns `make`:
--   local rt = make(bit, fix, ram)
-- `bit` is LuaJIT's bit library; `fix` is the table of engine functions
-- reached over LuaJIT FFI: pow (the operator ^, raw fix32 bits in and
-- out), tostr(raw, flags) -> string and tonum(s, flags) -> raw bits or nil
-- (console/engine/p8_str.c: the one number<->text rule of both consoles).
-- `ram` is optional, the engine's 64 KiB of RAM as an FFI `uint8_t *`:
-- the peek operators @ % $ read it directly. Python is never on this
-- path: the host casts cffi addresses to FFI pointers once, at load time.
--
-- The sandbox removes string methods, so this file calls the string
-- library only through the locals captured here.

local type, tostring, tonumber, error, getmetatable, select =
      type, tostring, tonumber, error, getmetatable, select
local floor, fmod, abs = math.floor, math.fmod, math.abs
local dgetmetatable = debug.getmetatable
local unpack, sgmatch, smatch, rawget = unpack, string.gmatch, string.match, rawget
local sformat, ssub, sbyte, schar, srep =
      string.format, string.sub, string.byte, string.char, string.rep
local loadstring, setfenv = loadstring, setfenv

return function(bit, fix, ram)
  local band, bor, bxor, bnot = bit.band, bit.bor, bit.bxor, bit.bnot
  local lshift, rshift, arshift, rol = bit.lshift, bit.rshift, bit.arshift, bit.rol
  local rt = {}

  -- A double that is a multiple of 2^-16 with |r| < 2^47 -> the fix32 it
  -- wraps to. (r + 32768) % 65536 is exact: Lua's % is r - floor(r/m)*m
  -- and every step is exact for a power-of-two m at these magnitudes.
  local function wrap(r)
    if r >= 32768 or r < -32768 then r = (r + 32768) % 65536 - 32768 end
    return r
  end
  rt.wrap = wrap

  -- fix32 raw bits (an int32 held in a double) <-> value
  local function raw(a) return a * 65536 end
  local function val(r) return r / 65536 end

  ---------------------------------------------------------------- coercion
  -- PICO-8 converts a string operand of arithmetic with tonum(); anything
  -- else goes to Lua's own operator so metamethods and errors behave.

  local tonum  -- defined below

  local function arith_operand(x)
    if type(x) == "string" then
      local n = tonum(x)
      if n ~= nil then return n end
    end
    return nil
  end

  local function slow(op, a, b, event)
    local na = type(a) == "number" and a or arith_operand(a)
    local nb = type(b) == "number" and b or arith_operand(b)
    if na ~= nil and nb ~= nil then return op(na, nb) end
    local mt = getmetatable(a)
    local h = mt and mt[event]
    if h == nil then
      mt = getmetatable(b)
      h = mt and mt[event]
    end
    if h ~= nil then return (h(a, b)) end
    local bad = b
    if na == nil then bad = a end
    error("attempt to perform arithmetic on a " .. type(bad) .. " value", 3)
  end

  ---------------------------------------------------------------- + - unary-

  local add, sub, mul, div, idiv, mod, pow, neg

  -- a + b of two fix32 values is exact in a double (|sum| < 2^16, 16
  -- fraction bits); only the wrap remains.
  add = function(a, b)
    if type(a) == "number" and type(b) == "number" then
      local r = a + b
      if r >= 32768 then return r - 65536 elseif r < -32768 then return r + 65536 end
      return r
    end
    return (slow(add, a, b, "__add"))  -- not a tail call: error levels count this frame
  end

  sub = function(a, b)
    if type(a) == "number" and type(b) == "number" then
      local r = a - b
      if r >= 32768 then return r - 65536 elseif r < -32768 then return r + 65536 end
      return r
    end
    return (slow(sub, a, b, "__sub"))  -- not a tail call: error levels count this frame
  end

  -- 0 - a, never -a: -0.0 would print as "-0" and is no fix32.
  neg = function(a)
    if type(a) == "number" then
      local r = 0 - a
      if r >= 32768 then return r - 65536 end
      return r
    end
    local na = arith_operand(a)
    if na ~= nil then return neg(na) end
    local mt = getmetatable(a)
    if mt and mt.__unm then return (mt.__unm(a, a)) end
    error("attempt to perform arithmetic on a " .. type(a) .. " value", 2)
  end

  ---------------------------------------------------------------- *
  -- fix32: floor(A*B / 2^16) mod 2^32 for raw A, B. The product needs up
  -- to 62 bits, more than a double holds, so split a = ia + fa with ia =
  -- floor(a) (an integer, |ia| <= 2^15) and fa in [0,1):
  --   a*b = ia*b + fa*b
  -- ia*b is exact (15 + 31 bits); fa*b*2^16 = FA*B/2^16 is exact (16 + 31
  -- bits) and its floor gives the floored low part. The sum has 16
  -- fraction bits and |sum| < 2^31: exact.
  mul = function(a, b)
    if type(a) == "number" and type(b) == "number" then
      local ia = floor(a)
      local r = ia * b + floor((a - ia) * b * 65536) / 65536
      if r >= 32768 or r < -32768 then r = (r + 32768) % 65536 - 32768 end
      return r
    end
    return (slow(mul, a, b, "__mul"))  -- not a tail call: error levels count this frame
  end

  ---------------------------------------------------------------- /
  -- fix32: A*2^16 / B truncated toward zero; if that does not fit in an
  -- int32 (or B is 0) the result saturates to 0x7fff.ffff or, for a
  -- negative quotient, 0x8000.0001. a/b*65536 is the correctly rounded
  -- A*2^16/B (scaling by 2^16 is exact), and rounding a quotient of
  -- integers with |numerator| < 2^53 never crosses an integer, so
  -- truncating it gives the exact integer quotient.
  local MAXV = 0x7fffffff / 65536
  local MINV = -0x7fffffff / 65536
  div = function(a, b)
    if type(a) == "number" and type(b) == "number" then
      if b == 0 then
        if a < 0 then return MINV end
        return MAXV
      end
      local q = a / b * 65536
      if q >= 0 then
        q = floor(q)
        if q > 0x7fffffff then return MAXV end
      else
        q = -floor(-q)
        if q < -0x7fffffff then
          if q == -0x80000000 and b == 1 then return -32768 end
          return MINV
        end
      end
      return q / 65536
    end
    return (slow(div, a, b, "__div"))  -- not a tail call: error levels count this frame
  end

  ---------------------------------------------------------------- \
  -- PICO-8's a \ b is flr(a / b) of the fix32 quotient above.
  idiv = function(a, b)
    if type(a) == "number" and type(b) == "number" then
      return floor(div(a, b))
    end
    return (slow(idiv, a, b, "__idiv"))  -- not a tail call: error levels count this frame
  end

  ---------------------------------------------------------------- %
  -- PICO-8: a % b is never negative: a mod |b|, and a % 0 is 0. fmod is
  -- exact in IEEE arithmetic; adding |b| to a negative remainder is exact
  -- (both have 16 fraction bits and magnitude < 2^16).
  mod = function(a, b)
    if type(a) == "number" and type(b) == "number" then
      if b < 0 then b = 0 - b end
      if b == 0 then return 0 end
      local r = fmod(a, b)
      if r < 0 then r = r + b end
      if r >= 32768 then r = r - 65536 end
      return r
    end
    return (slow(mod, a, b, "__mod"))  -- not a tail call: error levels count this frame
  end

  ---------------------------------------------------------------- ^
  if fix and fix.pow then
    local fpow = fix.pow
    pow = function(a, b)
      if type(a) == "number" and type(b) == "number" then
        return fpow(a * 65536, b * 65536) / 65536
      end
      return (slow(pow, a, b, "__pow"))  -- not a tail call: error levels count this frame
    end
  else
    pow = function()
      error("not supported yet: ^ without the engine's p8_fix_pow", 2)
    end
  end

  -- #t. LuaJIT's border for an array with holes differs from PUC Lua 5.2's
  -- (PICO-8's): for t={1,2,3}; t[2]=nil LuaJIT says 1, PICO-8 3 (zepto8
  -- t/tables.p8 depends on it). PUC answers the size of its array part
  -- when the last slot is used; rp8 approximates that by carrying on past
  -- LuaJIT's border while another element follows within 4 slots. Tables
  -- with __len use it, as Lua 5.2 does and LuaJIT does not.
  local rawget = rawget
  local function len_past_holes(t, n)
    while true do
      local found = nil
      for j = n + 2, n + 5 do
        if rawget(t, j) ~= nil then found = j; break end
      end
      if found == nil then return wrap(n) end
      n = found
      while rawget(t, n + 1) ~= nil do n = n + 1 end
    end
  end
  -- `what` names the operand as Lua's message does ("local 't'"), or is nil
  function rt.len(t, what)
    if type(t) ~= "table" then
      -- a length past 32767 wraps as every PICO-8 number does
      if type(t) == "string" then return wrap(#t) end
      if what then error("attempt to get length of " .. what .. " (a " .. type(t) .. " value)", 2) end
      error("attempt to get length of a " .. type(t) .. " value", 2)
    end
    local mt = getmetatable(t)
    if mt ~= nil then
      local h = rawget(mt, "__len")
      if h ~= nil then return (h(t)) end
    end
    local n = #t
    -- (the usual table, no element in the 4 slots past the border, without
    -- a loop: a loop here is an inner loop of every trace through a cart's
    -- loop that reads #t, which LuaJIT then gives up)
    if rawget(t, n + 2) == nil and rawget(t, n + 3) == nil and rawget(t, n + 4) == nil
       and rawget(t, n + 5) == nil then
      return wrap(n)
    end
    return len_past_holes(t, n)
  end

  -- A long left-associative chain (a+b+c+... past aot/lua_backend.py's
  -- FOLD_CHAIN) is emitted as fold(a)(add, b)(add, c)...(): LuaJIT reads a
  -- run of calls in a loop, where nested add(add(a, b), c) calls would pass
  -- its 200 syntax levels. Operands are still evaluated, and each operator
  -- applied, left to right as the cart wrote them.
  function rt.fold(acc)
    local step
    step = function(op, x)
      if op == nil then return acc end
      acc = op(acc, x)
      return step
    end
    return step
  end

  -- Deep nesting the cart wrote, which LuaJIT cannot hold as nested calls
  -- (each pending call takes two of its 250 slots, where PUC Lua's takes
  -- one), emitted flat by aot/lua_backend.py: operands and callees are
  -- evaluated left to right as the cart wrote them, then applied inside out.
  --   unops(x, f1, ..., fk)         fk(...f1(x)): a run of unary operators
  --   rchain(op, a1, ..., an)       a1 op (a2 op (... an)): ^ or .. chains
  --   nest("n1,..", f1, A1.., f2, A2.., ..., fk, Ak...)
  --                                 f1(A1.., f2(A2.., ...fk(Ak...))) where
  --                                 n_i is how many leading arguments A_i
  --                                 call i has before its nested call
  function rt.lnot(x) return not x end
  function rt.unops(x, ...)
    for i = 1, select("#", ...) do x = (select(i, ...))(x) end
    return x
  end
  function rt.rchain(op, ...)
    local n = select("#", ...)
    local args = { ... }
    local acc = args[n]
    for i = n - 1, 1, -1 do acc = op(args[i], acc) end
    return acc
  end
  local nest_shapes = {}
  local function results(...) return { n = select("#", ...), ... } end
  -- f(...) where f is the call named `what` in the cart (Lua's message
  -- when it cannot be called)
  local function call_named(f, what, ...)
    if type(f) ~= "function" then
      local mt = dgetmetatable(f)
      if type(f) == "string" or mt == nil or rawget(mt, "__call") == nil then
        error("attempt to call " .. (what ~= "" and what .. " (a " .. type(f) .. " value)"
                                     or "a " .. type(f) .. " value"), 3)
      end
    end
    return f(...)
  end
  function rt.nest(shape_text, ...)
    local shape = nest_shapes[shape_text]
    if shape == nil then
      local counts, names = smatch(shape_text, "^([^;]*);(.*)$")
      shape = { what = {} }
      for c in sgmatch(counts, "%d+") do shape[#shape + 1] = tonumber(c) end
      for w in sgmatch(names .. "|", "([^|]*)|") do shape.what[#shape.what + 1] = w end
      nest_shapes[shape_text] = shape
    end
    local args = results(...)
    local starts, pos = {}, 1
    for lvl = 1, #shape do starts[lvl] = pos; pos = pos + 1 + shape[lvl] end
    local r = results(call_named(args[pos], shape.what[#shape + 1], unpack(args, pos + 1, args.n)))
    for lvl = #shape, 1, -1 do
      local p, lead = starts[lvl], shape[lvl]
      local call = {}
      for i = 1, lead do call[i] = args[p + i] end
      for i = 1, r.n do call[lead + i] = r[i] end
      r = results(call_named(args[p], shape.what[lvl], unpack(call, 1, lead + r.n)))
    end
    return unpack(r, 1, r.n)
  end

  -- a closure the back end creates once per site (lua_backend.py,
  -- Emitter.closure): kept in the chunk's table `t` under the site's key
  function rt.memo(t, k, f)
    t[k] = f
    return f
  end

  -- a function the back end took out of its enclosing one (Emitter.closure):
  -- `text` is a chunk whose first line is cart line `line`, loaded under the
  -- cart's chunk name `name` in the cart's environment `env`; returns what
  -- it returns when called with the loader's values `...`
  function rt.closure_chunk(line, text, name, env, ...)
    local f = assert(loadstring(srep("\n", line - 1) .. text, name))
    setfenv(f, env)
    return f(...)
  end

  function rt.callmethod(o, name, ...)
    local t = type(o)
    if t ~= "table" and t ~= "string" then error("attempt to index a " .. t .. " value", 2) end
    local f = o[name]      -- a string: its __index (the BIOS's __index_string)
    if f == nil then error("attempt to call method '" .. name .. "' (a nil value)", 2) end
    return f(o, ...)
  end

  rt.add, rt.sub, rt.mul, rt.div, rt.idiv, rt.mod, rt.pow, rt.neg =
     add, sub, mul, div, idiv, mod, pow, neg

  -- `for v in all(t)` (the back end's GenericFor over a call of the global
  -- all with one argument). The BIOS's all returns a new closure, and
  -- LuaJIT cannot compile making one (FNEW): every frame function with such
  -- a loop ran interpreted, each API call in it through the interpreter's
  -- slow FFI path. When `f` is the BIOS's all (the host names it with
  -- rt.fast_all once the BIOS is loaded) and t a table, the loop gets
  -- all_next and a state {t, i} instead: the closure's steps, charging the
  -- counter what the BIOS's compiled closure charges at the same points
  -- (tests/player/test_all_loop.py holds the two together). Anything else
  -- is the call itself, with Lua's message for a value that cannot be called.
  local all_bios, all_counter = nil, nil
  function rt.fast_all(bios_all, counter) all_bios, all_counter = bios_all, counter end
  local len_ = rt.len
  local function all_next(s, last)
    local c = all_counter
    c[0] = c[0] + 28
    local t, i = s[1], s[2]
    if t[i] == last and last ~= nil then
      c[0] = c[0] + 3
      i = add(i, 1)
    end
    while t[i] == nil and i <= len_(t) do
      c[0] = c[0] + 14
      i = add(i, 1)
    end
    s[2] = i
    return t[i]
  end
  function rt.forall(what, f, t)
    if f == all_bios and f ~= nil and type(t) == "table" then
      all_counter[0] = all_counter[0] + 8
      return all_next, { t, 1 }, nil
    end
    if type(f) ~= "function" then
      local mt = dgetmetatable(f)
      if type(f) == "string" or mt == nil or rawget(mt, "__call") == nil then
        error("attempt to call " .. what .. " (a " .. type(f) .. " value)", 2)
      end
    end
    return f(t)
  end

  ---------------------------------------------------------------- bitwise
  -- On raw bits: a*65536 is an integer in [-2^31, 2^31), which LuaJIT's bit
  -- library takes exactly; results come back as int32 numbers.

  local function bitnum(x, what)
    if type(x) == "number" then return x end
    local n = arith_operand(x)
    if n ~= nil then return n end
    error("attempt to perform bitwise operation on a " .. type(x) .. " value", 3)
  end

  function rt.band(a, b)
    if type(a) ~= "number" then a = bitnum(a) end
    if type(b) ~= "number" then b = bitnum(b) end
    return band(a * 65536, b * 65536) / 65536
  end
  function rt.bor(a, b)
    if type(a) ~= "number" then a = bitnum(a) end
    if type(b) ~= "number" then b = bitnum(b) end
    return bor(a * 65536, b * 65536) / 65536
  end
  function rt.bxor(a, b)
    if type(a) ~= "number" then a = bitnum(a) end
    if type(b) ~= "number" then b = bitnum(b) end
    return bxor(a * 65536, b * 65536) / 65536
  end
  function rt.bnot(a)
    if type(a) ~= "number" then a = bitnum(a) end
    return bnot(a * 65536) / 65536
  end

  -- Shift counts: flr(n); a negative count shifts the other way (as a
  -- logical shift for <<, as p8_fix.h does); counts >= 32 shift all out.
  local shl, shr, lshr
  shl = function(a, n)
    if type(a) ~= "number" then a = bitnum(a) end
    if type(n) ~= "number" then n = bitnum(n) end
    n = floor(n)
    if n < 0 then return lshr(a, -n) end
    if n >= 32 then return 0 end
    return lshift(a * 65536, n) / 65536
  end
  lshr = function(a, n)
    if type(a) ~= "number" then a = bitnum(a) end
    if type(n) ~= "number" then n = bitnum(n) end
    n = floor(n)
    if n < 0 then return shl(a, -n) end
    if n >= 32 then return 0 end
    return rshift(a * 65536, n) / 65536
  end
  shr = function(a, n)
    if type(a) ~= "number" then a = bitnum(a) end
    if type(n) ~= "number" then n = bitnum(n) end
    n = floor(n)
    if n < 0 then return shl(a, -n) end
    if n >= 32 then
      if a < 0 then return -1 / 65536 end
      return 0
    end
    return arshift(a * 65536, n) / 65536
  end
  rt.shl, rt.shr, rt.lshr = shl, shr, lshr
  function rt.rotl(a, n)
    if type(a) ~= "number" then a = bitnum(a) end
    if type(n) ~= "number" then n = bitnum(n) end
    return rol(a * 65536, band(floor(n), 31)) / 65536
  end
  function rt.rotr(a, n)
    if type(a) ~= "number" then a = bitnum(a) end
    if type(n) ~= "number" then n = bitnum(n) end
    return rol(a * 65536, band(32 - band(floor(n), 31), 31)) / 65536
  end

  ---------------------------------------------------------------- @ % $
  -- The peek operators, straight from RAM. The address is flr(a) mod
  -- 0x10000, every byte wrapping on its own; the sprite sheet (0x0000-
  -- 0x1fff) and the screen (0x6000-0x7fff) are windows that 0x5f54 and
  -- 0x5f55 can point elsewhere, as the engine's p8_peek sees them
  -- (console/engine/p8_mem.c). A non-number address reads as peek()'s
  -- argument does: a numeric string as its number, anything else as 0.
  if ram ~= nil then
    local function phys(a)
      if a < 0x2000 then return band(ram[0x5f54] * 256 + a, 0xffff) end
      if a >= 0x6000 and a < 0x8000 then return band(ram[0x5f55] * 256 + a - 0x6000, 0xffff) end
      return a
    end
    local function addr(a)
      if type(a) ~= "number" then a = tonum(a) or 0 end
      return band(floor(a), 0xffff)
    end
    function rt.peek(a)
      return ram[phys(addr(a))]
    end
    function rt.peek2(a)
      a = addr(a)
      local v = ram[phys(a)] + ram[phys(band(a + 1, 0xffff))] * 256
      if v >= 32768 then v = v - 65536 end
      return v
    end
    function rt.peek4(a)
      a = addr(a)
      local lo = ram[phys(a)] + ram[phys(band(a + 1, 0xffff))] * 256
      local hi = ram[phys(band(a + 2, 0xffff))] + ram[phys(band(a + 3, 0xffff))] * 256
      if hi >= 32768 then hi = hi - 65536 end
      return hi + lo / 65536
    end
  else
    local function noram()
      error("not supported yet: @, % and $ without the engine's RAM", 2)
    end
    rt.peek, rt.peek2, rt.peek4 = noram, noram, noram
  end

  ---------------------------------------------------------------- tostr
  -- Numbers print by the engine's rule (console/engine/p8_str.c, with its
  -- BBS sources), the one both consoles use: up to four decimals, PICO-8's
  -- rounding; flags 1 hex "0x1234.5678", 2 the raw bits as an integer,
  -- 3 both. `fix.tostr(raw, flags)` is p8_tostr over FFI.
  local ftostr = fix.tostr
  local function numstr(x) return ftostr(x * 65536, 0) end
  rt.numstr = numstr

  local function tostr(v, flags)
    local t = type(v)
    if t == "number" then
      if flags == true then flags = 1 end
      if type(flags) == "number" and flags ~= 0 then return ftostr(v * 65536, floor(flags)) end
      return numstr(v)
    elseif t == "string" then
      return v
    elseif t == "nil" then
      return "[nil]"
    elseif t == "boolean" then
      return v and "true" or "false"
    elseif t == "table" then
      local mt = getmetatable(v)
      if mt and mt.__tostring then
        -- as PUC Lua's tostring: a string, or a number made one
        local s = mt.__tostring(v)
        if type(s) == "number" then return numstr(s) end
        if type(s) ~= "string" then error("'__tostring' must return a string", 2) end
        return s
      end
      if flags then return sformat("table: %p", v) end
      return "[table]"
    elseif t == "function" then
      if flags then return sformat("function: %p", v) end
      return "[function]"
    elseif t == "thread" then
      return "[thread]"
    end
    return "[" .. t .. "]"
  end
  rt.tostr = tostr

  -- a .. b: numbers become their PICO-8 text; anything else is Lua's own
  -- concatenation (strings, or tables with __concat, or an error).
  -- An error is raised here, at the cart's level, with PUC Lua's words,
  -- rather than by LuaJIT inside this function (which would name it).
  local function has_concat(x)
    local mt = type(x) == "table" and dgetmetatable(x)
    return mt and rawget(mt, "__concat") ~= nil
  end
  function rt.cat(a, b)
    if type(a) == "number" then a = numstr(a) end
    if type(b) == "number" then b = numstr(b) end
    if (type(a) == "string" and type(b) == "string") or has_concat(a) or has_concat(b) then
      return a .. b
    end
    -- the operand that is not text (`type(a) == "string" and b or a` named
    -- the string when b is nil or false)
    local bad = a
    if type(a) == "string" then bad = b end
    error("attempt to concatenate a " .. type(bad) .. " value", 2)
  end

  ---------------------------------------------------------------- tonum
  -- PICO-8's tonum: the engine's reader (console/engine/p8_str.c: decimal,
  -- 0x hex, 0b binary, sign, spaces; flags 1 hex digits, 2 raw 32-bit
  -- integer, 4 zero on failure). `fix.tonum(s, flags)` is p8_tonum over
  -- FFI and returns the raw bits, or nil.
  local ftonum = fix.tonum

  tonum = function(v, flags)
    local t = type(v)
    local f = 0
    if type(flags) == "number" then f = floor(flags) end
    if t == "number" then return v end
    if t == "string" then
      local r = ftonum(v, f)
      if r ~= nil then return r / 65536 end
      return nil
    end
    if t == "boolean" then return v and 1 or 0 end
    if band(f, 4) ~= 0 then return 0 end
    return nil
  end
  rt.tonum = tonum

  return rt
end
