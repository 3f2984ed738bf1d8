-- api_lua.lua -- the PICO-8 API functions that need Lua values (tables,
-- strings, varargs, coroutines) and so are written here, not generated
-- (aot/api.py rows with binding="lua"). The generated FFI wrappers
-- (console/desktop/bindgen.py) arrive in kit.api and are copied into the
-- environment first; the host functions (frames, input, files) are added by
-- host_lua.lua afterwards.
--
-- Loaded by host_lua.lua (never by a cart) as a chunk returning
-- `build(kit)`, where kit holds:
--   rt     the runtime of aot/lua_runtime.lua (fix32 arithmetic, tostr, tonum)
--   ffi    LuaJIT's FFI, C the engine function pointers, P the p8_state
--   api    the generated wrappers, cpu the system-tick counter table
--   N      number coercion for API arguments (nil -> 0, "12" -> 12)
--   HY     the host-yield sentinel, main() the host's cart coroutine
--   ABORT  what stop/run/load and host limits raise (coresume passes it on)
--   flip   the host's flip(), warn(msg) a one-time host notice
--   cart_line(co)  the innermost cart line of a coroutine's stack, or nil
-- and returns a fresh table: the cart's _ENV. The cart reaches ffi, C, the
-- runtime table and the host's globals only through these closures.

local type, pairs, ipairs, next, select, tostring, error =
      type, pairs, ipairs, next, select, tostring, error
local setmetatable, getmetatable, rawget, rawset, rawequal =
      setmetatable, getmetatable, rawget, rawset, rawequal
local floor = math.floor
local ssub, sbyte, schar, sfind, smatch = string.sub, string.byte, string.char, string.find, string.match
local sgsub = string.gsub
local tonumber = tonumber
local tconcat, tunpack = table.concat, unpack
local loadstring, setfenv = loadstring, setfenv
local cocreate, coresume, costatus, coyield, corunning = coroutine.create,
      coroutine.resume, coroutine.status, coroutine.yield, coroutine.running

return function(kit)
  local rt, ffi, C, P, cpu, N, HY = kit.rt, kit.ffi, kit.C, kit.P, kit.cpu, kit.N, kit.HY
  local apicost = kit.apicost      -- the costs of the rows written here (aot/api.py)
  local tostr, tonum, len = rt.tostr, rt.tonum, rt.len
  local env = {}
  for name, f in pairs(kit.api) do env[name] = f end

  local function num(x)
    if type(x) == "number" and x >= -32768 and x < 32768 then return x end
    return N(x)                       -- also a number out of fix32's range
  end

  local function pack(...) return { n = select("#", ...), ... } end

  ---------------------------------------------------------------- many values
  -- LuaJIT's unpack gives at most about 8000 values (LUAI_MAXCSTACK) and
  -- compiled carts up to 8192 (what peek, in the BIOS, returns: manual,
  -- PEEK): past 4000 the rest are prepended onto the vararg list eight at
  -- a time (Lua calls are not bound by it).
  local function prepend(r, i, ...)
    if i <= 0 then return ... end
    if i < 8 then return prepend(r, i - 1, r[i], ...) end
    return prepend(r, i - 8, r[i - 7], r[i - 6], r[i - 5], r[i - 4], r[i - 3], r[i - 2], r[i - 1], r[i], ...)
  end
  local function values(r, n)
    if n <= 4000 then return tunpack(r, 1, n) end
    return prepend(r, n - 4000, tunpack(r, n - 3999, n))
  end

  ---------------------------------------------------------------- math
  env.flr = function(x) return floor(num(x)) end
  env.ceil = function(x) return rt.wrap(-floor(-num(x))) end
  env.abs = function(x)
    x = num(x)
    if x >= 0 then return x end
    if x == -32768 then return 0x7fffffff / 65536 end
    return 0 - x
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

  ---------------------------------------------------------------- strings
  -- tostr() with no argument is "" (tostr(nil) is "[nil]")
  env.tostr = function(...)
    if select("#", ...) == 0 then return "" end
    local v, flags = ...
    return tostr(v, flags)
  end
  env.tonum = function(v, flags)
    local r = tonum(v, flags)
    if r == nil then return end
    return r
  end
  -- sub(s, i, j): j given but not a number (nor a numeric string) is one
  -- character at i (manual, SUB: sub(s, 5, true) is "q")
  env.sub = function(s, i, j)
    s = tostr(s)
    i = (i == nil) and 1 or floor(num(i))
    if j == nil then j = -1
    elseif type(j) == "number" or (type(j) == "string" and tonum(j) ~= nil) then j = floor(num(j))
    else j = i end
    return ssub(s, i, j)
  end
  env.chr = function(...)
    local n = select("#", ...)
    local parts = {}
    for k = 1, n do parts[k] = schar(floor(num((select(k, ...)))) % 256) end
    return tconcat(parts)
  end
  -- ord(s, i, n) is string.byte(s, i, i + n - 1), all n values (manual
  -- ORD gives no limit; LuaJIT's string.byte stops near 8000 with "string
  -- slice too long", so long runs go through values())
  env.ord = function(s, i, n)
    if type(s) ~= "string" then return nil end
    i = (i == nil) and 1 or floor(num(i))
    n = (n == nil) and 1 or floor(num(n))
    local j = i + n - 1
    if n <= 4000 then return sbyte(s, i, j) end
    local l = #s
    if i < 0 then i = l + i + 1 end
    if j < 0 then j = l + j + 1 end
    if i < 1 then i = 1 end
    if j > l then j = l end
    if i > j then return end
    local r = {}
    for k = i, j do r[k - i + 1] = sbyte(s, k) end
    return values(r, j - i + 1)
  end
  -- split(nil) gives nothing (z8lua pull request 3, checked on PICO-8)
  env.split = function(s, sep, convert)
    if s == nil then return end
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
    sep = tostr(sep)
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
  -- The order pairs() and next() visit a table's keys in, the same in both
  -- consoles (aot/runtime/rt_lib.cpp keeps it for compiled carts; the
  -- conformance suite holds the two together): numbers ascending, then
  -- strings in byte order, then false, true, then other keys (tables,
  -- functions, coroutines). LuaJIT seeds its string hash anew in every
  -- process, so its own order would change from run to run, and a cart that
  -- calls rnd() or draws in pairs() order would not give the same frames.
  -- The other keys keep LuaJIT's order among themselves (hashed by address).
  -- An array, what most carts iterate, is already in this order natively:
  -- one pass over it checks that, and then LuaJIT's next does the loop.
  -- Any other table gets an ordered view of its keys ({n, keys, pos}),
  -- remembered while the table lives and made anew when its keys change.
  local tsort = table.sort
  local RANK = { number = 1, string = 2, boolean = 3 }
  -- a before b in the order (two other keys are neither)
  local function before(a, b)
    local ra, rb = RANK[type(a)] or 4, RANK[type(b)] or 4
    if ra ~= rb then return ra < rb end
    if ra == 4 then return false end
    if ra == 3 then return b and not a end
    return a < b
  end
  local function in_order(t)
    local last, k = -1 / 0, next(t)
    while k ~= nil do
      if type(k) ~= "number" or k <= last then return false end
      last = k
      k = next(t, k)
    end
    return true
  end
  local views = setmetatable({}, { __mode = "k" })
  local function make_view(t)
    local keys, n, kinds = {}, 0, 0
    for k in next, t do
      n = n + 1
      keys[n] = k
      local r = RANK[type(k)] or 4
      if r ~= kinds then kinds = kinds == 0 and r or 5 end
    end
    -- one kind of number or string keys sorts with Lua's own <
    if kinds == 1 or kinds == 2 then tsort(keys) else tsort(keys, before) end
    local pos = {}
    for i = 1, n do pos[keys[i]] = i end
    local view = { n = n, keys = keys, pos = pos }
    views[t] = view
    return view
  end
  local function view_of(t)
    local view = views[t]
    if view ~= nil then
      local pos, n = view.pos, 0
      for k in next, t do
        if pos[k] == nil then return make_view(t) end
        n = n + 1
      end
      if n == view.n then return view end
    end
    return make_view(t)
  end
  -- the first key of keys[i..n] still in t, and its value (nil: none)
  local function view_skip(t, keys, n, i)
    while i <= n do
      local key = keys[i]
      local v = rawget(t, key)
      if v ~= nil then return key, v end
      i = i + 1
    end
    return nil
  end
  -- the first key of t's view after k (nil: the first)
  local function view_next(t, k)
    local view = views[t]
    if view == nil then
      -- called by hand on another table
      if type(t) ~= "table" then return next(t, k) end
      view = view_of(t)
    end
    local keys, n, i = view.keys, view.n, 1
    if k ~= nil then
      i = view.pos[k]
      if i ~= nil then
        i = i + 1
      elseif (RANK[type(k)] or 4) == 4 then
        error("invalid key to 'next'", 2)
      else
        -- a key no longer in the view (made anew during the loop)
        i = n + 1
        for j = 1, n do
          if before(k, keys[j]) then i = j break end
        end
      end
    end
    -- the next key, when it is still there, without a loop: a loop here
    -- is an inner loop of every trace through a cart's pairs() loop, which
    -- LuaJIT then gives up (the cart's loop and this function stayed
    -- interpreted)
    if i > n then return nil end
    local key = keys[i]
    local v = rawget(t, key)
    if v ~= nil then return key, v end
    return view_skip(t, keys, n, i + 1)
  end
  -- PICO-8's pairs(nil) iterates nothing (Lexaloffle's own jelpi.p8 relies on it)
  local function nothing() return nil end
  env.pairs = function(t)
    if t == nil then return nothing end
    if type(t) ~= "table" or in_order(t) then return pairs(t) end
    view_of(t)
    return view_next, t, nil
  end
  -- next(t, k): the same order. A loop of next() calls starts with k = nil,
  -- where t is checked and its view made; the later calls use the view, or
  -- without one, t's native order.
  -- Lua 5.2's words for a missing or wrong first argument ("got no value"
  -- only when none was passed); a table goes straight to LuaJIT's
  local function not_table(fname, ...)
    local got = select("#", ...) == 0 and "no value" or type((...))
    error("bad argument #1 to '" .. fname .. "' (table expected, got " .. got .. ")", 3)
  end
  env.next = function(...)
    local t, k = ...
    if type(t) ~= "table" then not_table("next", ...) end
    if k ~= nil then
      if views[t] ~= nil then return view_next(t, k) end
      return next(t, k)
    end
    if in_order(t) then
      views[t] = nil
      return next(t)
    end
    view_of(t)
    return view_next(t, nil)
  end
  env.ipairs = function(...)
    if type((...)) ~= "table" then not_table("ipairs", ...) end
    return ipairs(...)
  end
  -- Lua 5.2's ipairs iterator, a global in PICO-8: one nil at the end. The
  -- index is read as an API number (nil -> 0), as compiled carts read it:
  -- `for v in inext, t do` starts with i = nil.
  local lj_inext = ipairs({})
  env.inext = function(...)
    local t, i = ...
    if type(t) ~= "table" then not_table("inext", ...) end
    local k, v = lj_inext(t, num(i))
    if k == nil then return nil end
    return k, v
  end
  env.select = function(n, ...)
    if n == "#" then return select("#", ...) end
    if type(n) ~= "number" and (type(n) ~= "string" or tonum(n) == nil) then
      -- (select() with nothing at all says "got nil" too: n cannot tell)
      error("bad argument #1 to 'select' (number expected, got " .. type(n) .. ")", 2)
    end
    return select(floor(num(n)), ...)
  end
  -- up to 8192 values, as compiled carts (rt_lib.cpp bi_unpack)
  env.unpack = function(t, i, j)
    i = (i == nil) and 1 or floor(num(i))
    if j == nil then j = len(t) else j = floor(num(j)) end
    if j - i < 4000 then return tunpack(t, i, j) end
    if j - i >= 8192 then error("too many results to unpack", 2) end
    if type(t) ~= "table" then return tunpack(t, i, j) end
    if i == 1 then return values(t, j) end
    local r = {}
    for k = i, j do r[k - i + 1] = t[k] end
    return values(r, j - i + 1)
  end
  env.pack = pack
  env.type = type
  env.setmetatable = setmetatable
  -- only a table's metatable, which the cart set: strings share one
  -- metatable with the host, and no other value of the cart has one
  env.getmetatable = function(v)
    if type(v) ~= "table" then return nil end
    return getmetatable(v)
  end
  env.rawget = rawget
  env.rawset = rawset
  env.rawequal = rawequal
  env.rawlen = function(t)
    if type(t) == "string" then return rt.wrap(#t) end
    if type(t) ~= "table" then error("bad argument #1 to 'rawlen' (table or string expected)", 2) end
    local n = 0
    while rawget(t, n + 1) ~= nil do n = n + 1 end
    return rt.wrap(n)                 -- a count past 32767 wraps, as # does
  end
  env.assert = function(v, msg, ...)
    if not v then
      if msg == nil then msg = "assertion failed!" end
      error(msg, 2)
    end
    return v, msg, ...
  end
  env.error = error

  ---------------------------------------------------------------- coroutines
  -- The host runs the cart in its own coroutine and flip() yields HY to it.
  -- A flip inside a cart coroutine reaches coresume first, which passes it
  -- up and resumes the inner coroutine when the host resumes the cart.
  env.cocreate = cocreate
  env.costatus = costatus
  -- A cart sees a coroutine's error as a string: give it the cart's
  -- "name tab T line L:" place, as the AOT runtime does, not the chunk's;
  -- an error raised in the host's own code gets the cart line that called
  -- it (a host position is nothing a cart should see).
  local function cart_place(co, msg)
    local line, rest = smatch(msg, "^p8cart:(%d+): (.*)$")
    if line == nil then
      rest = smatch(msg, "^%[string \"[^\"]*\"%]:%d+: (.*)$") or
             smatch(msg, "^runtime:%d+: (.*)$") or smatch(msg, "^api:%d+: (.*)$") or
             smatch(msg, "^bindings:%d+: (.*)$")
      local bios = smatch(msg, "^bios:%d+: (.*)$")
      if bios ~= nil then
        -- LuaJIT names the BIOS's own variable ("attempt to call local 'f'
        -- (a nil value)"), which compiled carts do not know: as
        -- lua_env.map_lua_error does for errors that end the cart
        rest = sgsub(bios, "^(attempt to [%a ]-) %a+ '[^']*' %((an? %a+ value)%)$", "%1 %2")
      end
      -- LuaJIT raises a stack overflow met in a call with no place at all
      if rest == nil and msg == "stack overflow" then rest = msg end
      if rest == nil then return msg end
      line = kit.cart_line(co)
      if line == nil then return rest end
    end
    return kit.where(tonumber(line)) .. ": " .. rest
  end
  env.coresume = function(co, ...)
    local r = pack(coresume(co, ...))
    while r[1] and r[2] == HY and costatus(co) == "suspended" do
      coyield(HY, r[3])
      r = pack(coresume(co))
    end
    -- stop/run/load or a host limit: never caught by the cart
    if not r[1] and r[2] == kit.ABORT then error(r[2], 0) end
    if not r[1] and type(r[2]) == "string" then r[2] = cart_place(co, r[2]) end
    return tunpack(r, 1, r.n)
  end
  env.yield = function(...)
    if corunning() == kit.main() then
      error("attempt to yield from outside a coroutine", 2)
    end
    return coyield(...)
  end

  -- PICO-8 0.2.5g also has Lua's tostring (shrinko8 pull request 18 lists
  -- it among the globals a cart sees); nil reads "nil" there, not "[nil]"
  env.tostring = function(v)
    if v == nil then return "nil" end
    return tostr(v)
  end

  ---------------------------------------------------------------- the BIOS
  -- aot/bios.lua as the Lua back end compiled it (kit.bios), counted
  -- on the cart's counter. It runs in an environment of its own: the
  -- functions above plus the engine bindings it calls by C name
  -- (kit.prim); what it defines becomes the cart's, except its hooks
  -- (`__name`), which go to the host as kit.hooks.name.
  local benv = {}
  for name, f in pairs(env) do benv[name] = f end
  for name, f in pairs(kit.prim) do benv[name] = f end
  -- LuaJIT's own select: the BIOS passes it only "#" or a whole number
  -- from 1, where it answers as PICO-8's does, and LuaJIT compiles it
  -- (through the wrapper above, a vararg call, poke(a, v1, v2) ran 5x slower)
  benv.select = select
  local given = {}                    -- what the BIOS found, so only what it defines is the cart's
  for name, f in pairs(benv) do given[name] = f end
  local loader = loadstring(kit.bios, "=bios")
  setfenv(loader, benv)
  loader(rt, benv, kit.counter)()
  rt.fast_all(benv.all, kit.counter)      -- `for v in all(t)`: lua_runtime.lua's rt.forall
  kit.hooks = {}
  for name, f in pairs(benv) do
    if ssub(name, 1, 2) == "__" then
      kit.hooks[ssub(name, 3)] = f
    elseif given[name] ~= f then
      env[name] = f
    end
  end

  -- The glyphs P8SCII 0x80-0x99 are predefined globals (aot/builtins.py
  -- GLYPH_GLOBALS, handed over as kit.glyphs: one-byte name -> value)
  for name, value in pairs(kit.glyphs) do env[name] = value end

  return env
end
