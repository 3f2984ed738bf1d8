-- harness_api.lua -- the pure (non-graphics) PICO-8 API for the headless
-- harness (aot/harness.py), written over aot/lua_runtime.lua and the
-- engine's C functions.
--
-- Loaded by the host as a chunk returning `build(rt, bit, eng, out)`:
--   rt   the runtime table (fix32 arithmetic, tostr, tonum)
--   eng  engine functions over LuaJIT FFI, already bound to one p8_state
--        and converting between numbers and fix32 raw bits, or nil
--   out  a Lua table the text of print/printh is appended to
-- and returns a fresh table: the cart's _ENV. Nothing in it reaches the
-- FFI, the runtime table or the host's globals except through these
-- closures, so the cart sees only the PICO-8 API.

local type, pairs, ipairs, next, select, tostring, error, assert =
      type, pairs, ipairs, next, select, tostring, error, assert
local setmetatable, getmetatable, rawget, rawset, rawequal =
      setmetatable, getmetatable, rawget, rawset, rawequal
local floor = math.floor
local ssub, sbyte, schar, sfind = string.sub, string.byte, string.char, string.find
local tinsert, tremove, tunpack = table.insert, table.remove, unpack
local cocreate, coresume, costatus, coyield = coroutine.create, coroutine.resume,
      coroutine.status, coroutine.yield

return function(rt, bit, eng, out)
  local tostr, tonum, len = rt.tostr, rt.tonum, rt.len
  local env = {}

  -- a PICO-8 number argument: nil (or no argument) reads as 0, a numeric
  -- string is converted as tonum does
  local function num(x)
    if type(x) == "number" then return x end
    if x == nil then return 0 end
    local n = tonum(x)
    if n == nil then error("attempt to perform arithmetic on a " .. type(x) .. " value", 3) end
    return n
  end

  local function needs(what)
    return function()
      error("not supported yet: " .. what .. " needs the engine (console._engine)", 2)
    end
  end

  ---------------------------------------------------------------- output
  env.printh = function(s) out[#out + 1] = tostr(s) end
  env.print = function(s, ...)
    out[#out + 1] = tostr(s)
  end
  env.tostr = function(v, flags) return tostr(v, flags) end
  env.tonum = function(v, flags)
    local r = tonum(v, flags)
    if r == nil then return end
    return r
  end

  ---------------------------------------------------------------- math
  env.flr = function(x) return floor(num(x)) end
  env.ceil = function(x) return rt.wrap(-floor(-num(x))) end
  env.abs = function(x)
    x = num(x)
    if x >= 0 then return x end
    if x == -32768 then return 0x7fffffff / 65536 end
    return -x
  end
  env.sgn = function(x) if num(x) < 0 then return -1 end return 1 end
  env.min = function(a, b) a, b = num(a), num(b); if a < b then return a end return b end
  env.max = function(a, b) a, b = num(a), num(b); if a > b then return a end return b end
  env.mid = function(a, b, c)
    a, b, c = num(a), num(b), num(c)
    if (a <= b and b <= c) or (c <= b and b <= a) then return b end
    if (b <= a and a <= c) or (c <= a and a <= b) then return a end
    return c
  end
  env.band = function(a, b) return rt.band(num(a), num(b)) end
  env.bor = function(a, b) return rt.bor(num(a), num(b)) end
  env.bxor = function(a, b) return rt.bxor(num(a), num(b)) end
  env.bnot = function(a) return rt.bnot(num(a)) end
  env.shl = function(a, n) return rt.shl(num(a), num(n)) end
  env.shr = function(a, n) return rt.shr(num(a), num(n)) end
  env.lshr = function(a, n) return rt.lshr(num(a), num(n)) end
  env.rotl = function(a, n) return rt.rotl(num(a), num(n)) end
  env.rotr = function(a, n) return rt.rotr(num(a), num(n)) end

  if eng then
    local sin, cos, atan2, sqrt = eng.sin, eng.cos, eng.atan2, eng.sqrt
    env.sin = function(x) return sin(num(x)) end
    env.cos = function(x) return cos(num(x)) end
    env.atan2 = function(dx, dy) return atan2(num(dx), num(dy)) end
    env.sqrt = function(x) return sqrt(num(x)) end
    local rnd, rnd_int, srand = eng.rnd, eng.rnd_int, eng.srand
    env.rnd = function(x)
      if type(x) == "table" then
        local n = len(x)
        if n == 0 then return nil end
        return x[rnd_int(n) + 1]
      end
      if x == nil then x = 1 end
      return rnd(num(x))
    end
    env.srand = function(x) srand(num(x)) end
    local peek, peek2, peek4 = eng.peek, eng.peek2, eng.peek4
    local poke, poke2, poke4 = eng.poke, eng.poke2, eng.poke4
    env.peek = function(a, n)
      if n == nil then return peek(num(a)) end
      local r = {}
      a = num(a)
      for i = 0, floor(num(n)) - 1 do r[i + 1] = peek(a + i) end
      return tunpack(r)
    end
    env.peek2 = function(a) return peek2(num(a)) end
    env.peek4 = function(a) return peek4(num(a)) end
    env.poke = function(a, ...)
      a = num(a)
      local n = select("#", ...)
      if n == 0 then poke(a, 0) end
      for i = 1, n do poke(a + i - 1, num((select(i, ...)))) end
    end
    env.poke2 = function(a, v) poke2(num(a), num(v)) end
    env.poke4 = function(a, v) poke4(num(a), num(v)) end
    env.memcpy = function(d, s, n) eng.memcpy(num(d), num(s), num(n)) end
    env.memset = function(d, v, n) eng.memset(num(d), num(v), num(n)) end
  else
    for _, name in ipairs({"sin", "cos", "atan2", "sqrt", "rnd", "srand", "peek", "peek2",
                           "peek4", "poke", "poke2", "poke4", "memcpy", "memset"}) do
      env[name] = needs(name .. "()")
    end
  end

  ---------------------------------------------------------------- strings
  env.sub = function(s, i, j)
    s = tostr(s)
    i = (i == nil) and 1 or floor(num(i))
    if j == nil then j = -1 else j = floor(num(j)) end
    return ssub(s, i, j)
  end
  env.chr = function(...)
    local n = select("#", ...)
    local parts = {}
    for k = 1, n do parts[k] = schar(floor(num((select(k, ...)))) % 256) end
    return table.concat(parts)
  end
  env.ord = function(s, i, n)
    if type(s) ~= "string" then return nil end
    i = (i == nil) and 1 or floor(num(i))
    n = (n == nil) and 1 or floor(num(n))
    return sbyte(s, i, i + n - 1)
  end
  env.split = function(s, sep, convert)
    s = tostr(s)
    if sep == nil then sep = "," end
    if convert == nil then convert = true end
    local r = {}
    local function item(piece)
      if convert then
        local v = tonum(piece)
        if v ~= nil then return v end
      end
      return piece
    end
    if type(sep) == "number" then
      local size = floor(sep)
      if size < 1 then size = 1 end
      for k = 1, #s, size do r[#r + 1] = item(ssub(s, k, k + size - 1)) end
      return r
    end
    if sep == "" then
      for k = 1, #s do r[#r + 1] = item(ssub(s, k, k)) end
      return r
    end
    local start = 1
    while true do
      local a, b = sfind(s, sep, start, true)
      if not a then
        r[#r + 1] = item(ssub(s, start))
        return r
      end
      r[#r + 1] = item(ssub(s, start, a - 1))
      start = b + 1
    end
  end

  ---------------------------------------------------------------- tables
  env.add = function(t, v, i)
    if t == nil then return nil end
    local n = len(t)
    if i == nil then
      t[n + 1] = v
    else
      i = floor(num(i))
      if i < 1 then i = 1 elseif i > n + 1 then i = n + 1 end
      for k = n, i, -1 do t[k + 1] = t[k] end
      t[i] = v
    end
    return v
  end
  env.del = function(t, v)
    if t == nil then return nil end
    local n = len(t)
    for i = 1, n do
      if t[i] == v then
        for k = i, n - 1 do t[k] = t[k + 1] end
        t[n] = nil
        return v
      end
    end
  end
  env.deli = function(t, i)
    if t == nil then return nil end
    local n = len(t)
    if i == nil then i = n else i = floor(num(i)) end
    if i < 1 or i > n then return nil end
    local v = t[i]
    for k = i, n - 1 do t[k] = t[k + 1] end
    t[n] = nil
    return v
  end
  env.count = function(t, v)
    if type(t) ~= "table" then return 0 end
    local c = 0
    for i = 1, len(t) do
      if v == nil then
        if t[i] ~= nil then c = c + 1 end
      elseif t[i] == v then
        c = c + 1
      end
    end
    return c
  end
  -- all(): the iterator PICO-8 gives, which keeps its place when the
  -- current item is deleted during the loop (zepto8 t/tables.p8 checks it).
  local function all(t)
    if t == nil then return function() end end
    local i, last = 1, nil
    return function()
      if t[i] == last and last ~= nil then i = i + 1 end
      while t[i] == nil and i <= len(t) do i = i + 1 end
      last = t[i]
      return last
    end
  end
  env.all = all
  env.foreach = function(t, f)
    for v in all(t) do f(v) end
  end
  env.pairs = pairs
  env.ipairs = ipairs
  env.next = next
  env.select = function(n, ...)
    if n == "#" then return select("#", ...) end
    return select(floor(num(n)), ...)
  end
  env.unpack = function(t, i, j)
    i = (i == nil) and 1 or floor(num(i))
    if j == nil then j = len(t) else j = floor(num(j)) end
    return tunpack(t, i, j)
  end
  env.pack = function(...) return { n = select("#", ...), ... } end
  env.type = type
  env.setmetatable = setmetatable
  env.getmetatable = getmetatable
  env.rawget = rawget
  env.rawset = rawset
  env.rawequal = rawequal
  env.rawlen = function(t)
    if type(t) == "string" then return #t end
    local n = 0
    while rawget(t, n + 1) ~= nil do n = n + 1 end
    return n
  end
  env.assert = function(v, msg, ...)
    if not v then
      if msg == nil then msg = "assertion failed!" end
      error(msg, 2)
    end
    return v, msg, ...
  end

  ---------------------------------------------------------------- coroutines
  env.cocreate = cocreate
  env.coresume = coresume
  env.costatus = costatus
  env.yield = coyield

  ---------------------------------------------------------------- time
  local frames = 0
  env.flip = function() frames = frames + 1 end
  env.time = function() return frames / 30 end
  env.t = env.time
  env.stat = function(n)
    n = floor(num(n))
    if n == 0 then return rt.wrap(floor(collectgarbage("count") * 65536 / 1024) / 65536) end
    if n == 6 then return "" end
    if n == 7 or n == 8 then return 30 end
    error("not supported yet: stat(" .. n .. ") in the headless harness", 2)
  end

  -- the button glyphs are predefined globals 0-5 (PICO-8 manual, btn())
  env["\139"], env["\145"], env["\148"], env["\131"], env["\142"], env["\151"] = 0, 1, 2, 3, 4, 5

  return env
end
