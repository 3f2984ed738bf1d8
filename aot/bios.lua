-- bios.lua -- the PICO-8 library functions over Lua values, written once
-- in PICO-8 Lua (aot/api.py rows with binding="bios").
--
-- Both consoles run this same code: the Lua back end compiles it for
-- LuaJIT (console/desktop/lua_env.py, loaded by api_lua.lua), the C++ back
-- end into aot/runtime/rt_bios.cpp (`python -m aot.cpp_bios`). It is
-- counted by the CPU model like cart code, so a loop in here (foreach over
-- a huge table, a __call chain) reaches the runaway check and stat(1).
--
-- Rules for this file:
--   * only `function name(...) ... end` at the top level: each defines the
--     cart-visible builtin `name`, except that a name starting with `__` is
--     no cart global: a hook of the runtimes (`__index_string`, what
--     indexing a string does) or a helper of other BIOS functions
--     (`__peek_n`);
--   * it reaches only the language's primitives (type, pairs, rawget, ...,
--     listed in aot/api.py LANGUAGE_PRIMITIVES), the other API
--     functions, the engine bindings of its rows under their C names
--     (`p8_pal`: the generated binding of pal's row, numbers in and out)
--     and the hosts' primitives `host_*` (api.HOST_PRIMITIVES);
--   * an error raised here names the cart line that called the builtin;
--   * a function marked `-- rp8:native` on the line above runs without the
--     CPU model's counters, charging only its engine bindings' ticks, as
--     PICO-8's C function does (aot/bios.py): only for bounded work.

-- add(t, v, [i]): append, or insert at i (clamped to 1..#t+1); returns v
function add(t, v, i)
  if t == nil then return nil end
  local n = #t
  if i == nil then
    t[n + 1] = v
  else
    i = flr(i)
    if i < 1 then i = 1 elseif i > n + 1 then i = n + 1 end
    for k = n, i, -1 do t[k + 1] = t[k] end
    t[i] = v
  end
  return v
end

-- del(t, v): remove the first v, closing the gap; returns it
function del(t, v)
  if t == nil then return nil end
  local n = #t
  for i = 1, n do
    if t[i] == v then
      for k = i, n - 1 do t[k] = t[k + 1] end
      t[n] = nil
      return v
    end
  end
end

-- deli(t, [i]): remove the item at i (the last one without i); returns it
function deli(t, i)
  if t == nil then return nil end
  local n = #t
  if i == nil then i = n else i = flr(i) end
  if i < 1 or i > n then return nil end
  local v = t[i]
  for k = i, n - 1 do t[k] = t[k + 1] end
  t[n] = nil
  return v
end

-- count(t, [v]): the non-nil items of t[1..#t], or those equal to v
function count(t, v)
  if type(t) ~= "table" then return 0 end
  local c = 0
  for i = 1, #t do
    if v == nil then
      if t[i] ~= nil then c += 1 end
    elseif t[i] == v then
      c += 1
    end
  end
  return c
end

-- all(t): PICO-8's iterator keeps its place when the current item is
-- deleted during the loop (zepto8 t/tables.p8 checks it)
function all(t)
  if t == nil then return function() end end
  local i, last = 1, nil
  return function()
    if t[i] == last and last ~= nil then i += 1 end
    while t[i] == nil and i <= #t do i += 1 end
    last = t[i]
    return last
  end
end

function foreach(t, f)
  for v in all(t) do f(v) end
end

-- pal(c0, c1, [p]) is the engine's; pal(tbl, [p]) sets pal(k, v, p) for
-- every numeric key k of tbl (p, the palette, is the second argument)
-- rp8:native
function pal(c0, c1, p)
  if type(c0) == "table" then
    if c1 == nil then c1 = 0 end
    for k, v in pairs(c0) do
      if type(k) == "number" then p8_pal(k, v, c1) end
    end
    return 0
  end
  return p8_pal(c0, c1, p)
end

-- s[i] on a string (PICO-8 0.2.5 release notes): the character at flr(i),
-- counted from the end when i is negative, "" past either end: sub(s,i,i).
-- Both runtimes call this for every index of a string value (the
-- interpreter as the strings' __index, compiled carts from rt_ops.cpp).
-- A string has no fields and no methods: any other key is an error.
function __index_string(s, k)
  if type(k) == "number" then return sub(s, k, k) end
  if type(k) == "string" then
    error("attempt to index a string value with key '" .. k .. "'")
  end
  error("attempt to index a string value with a " .. type(k) .. " key")
end

-- rnd(x) is the engine's (x defaults to 1); rnd(tbl) picks
-- tbl[flr(rnd(#tbl)) + 1] (PICO-8 0.2.0 manual, rnd), nil from an empty one
-- rp8:native
function rnd(x)
  if type(x) == "table" then
    local n = #x
    if n == 0 then return nil end
    return x[flr(p8_rnd(n)) + 1]
  end
  return p8_rnd(x)
end

-- menuitem(index, [label, [callback]]): item 1-5 of the pause menu. Bits
-- 0xff00 of index are buttons the callback never sees (PICO-8 manual:
-- 0x300 turns off left and right); inside a callback a nil index is that
-- callback's own item; no label removes the item. The menu itself is the
-- host's (host_menu_current, host_menu_set).
-- rp8:native
function menuitem(index, label, callback)
  if index == nil then index = host_menu_current() end
  index = flr(index)
  local filter = (index >> 8) & 0xff
  index &= 0xff
  if index < 1 or index > 5 then return end
  if label == nil then
    host_menu_set(index)
  else
    host_menu_set(index, tostr(label), callback, filter)
  end
end

-- stat(n): the console's numbers (PICO-8 manual, STAT). The engine answers
-- the audio ones (p8_audio_stat: 16..26, 46..57; its binding also charges
-- stat's system ticks, aot/api.py), the host the ones only it knows
-- (host_*: memory, CPU, strings, clock, mouse and keyboard); the rest are
-- constants of the PICO-8 rp8 follows (0.2.6). flr reads n as the API
-- reads a number (a numeric string is its number, another value 0).
-- rp8:native
function stat(n)
  local audio = p8_audio_stat(n)
  n = flr(n)
  if n == 0 then return host_memory() end
  if n == 1 or n == 2 then return host_cpu(n) end
  if n == 4 then return host_clipboard() end
  if n == 5 then return 42 end                       -- the version, 0.2.6
  if n == 6 then return host_param() end
  if n == 7 or n == 9 then return host_fps_actual() end
  if n == 8 then return host_fps() end
  if n == 57 then return audio ~= 0 end              -- music playing
  if (n >= 16 and n <= 26) or (n >= 46 and n <= 56) then return audio end
  if n >= 30 and n <= 39 then
    -- mouse and keyboard only once the cart enables them (poke(0x5f2d, 1))
    local on = (peek(0x5f2d) & 1) == 1
    if n == 30 then return on and host_key(false) ~= "" end
    if n == 31 then return on and host_key(true) or "" end
    if on and n >= 32 and n <= 34 then return host_mouse(n - 31) end
    if on and n == 36 then return host_mouse(4) end  -- the wheel
    return 0
  end
  if (n >= 80 and n <= 85) or (n >= 90 and n <= 95) then return host_clock(n) end
  if n == 100 then return host_breadcrumb() end      -- the breadcrumb label, or nil
  if n == 124 then return "/" end                    -- the current folder
  return 0
end

-- cartdata(id): once per run. An id of 1-64 characters of a-z, 0-9 and _
-- (PICO-8's ids) opens the cart's 64 saved numbers at 0x5e00 from the
-- host's store (host_cartdata), true if there were any; another id opens
-- none and gives false.
-- rp8:native
function cartdata(id)
  id = tostr(id)
  local ok = #id >= 1 and #id <= 64
  if ok then
    for i = 1, #id do
      local c = ord(id, i)
      if not ((c >= 97 and c <= 122) or (c >= 48 and c <= 57) or c == 95) then ok = false end
    end
  end
  local existed = host_cartdata(ok and id or nil)
  if existed == nil then error("cartdata() can only be called once") end
  return existed
end

-- dget(i), dset(i, v): saved number i (0..63), at 0x5e00 + 4i; another
-- index reads 0 and writes nothing
-- rp8:native
function dget(i)
  i = flr(i)
  if i < 0 or i > 63 then return 0 end
  return $(0x5e00 + i * 4)              -- peek4, without a call
end

-- rp8:native
function dset(i, v)
  i = flr(i)
  if i < 0 or i > 63 then return end
  poke4(0x5e00 + i * 4, v)
end

-- printh(s, [filename, overwrite]): a line to the host's log; with a
-- filename, to that file (an error the host reports is raised here); to
-- "@clip", the clipboard stat(4) reads (PICO-8 manual, PRINTH)
-- rp8:native
function printh(s, filename, overwrite)
  s = tostr(s)
  if filename == nil then
    host_printh(s)
    return
  end
  filename = tostr(filename)
  if filename == "@clip" then
    host_set_clipboard(s)
    return
  end
  local e = host_printh_file(s, filename, overwrite and true or false)
  if e ~= nil then error(e) end
end

-- run([param]): the cart again from its top level; stat(6) reads param
-- rp8:native
function run(param)
  if param == nil then param = "" end
  host_run(tostr(param))
end

-- stop([message]): the end of the cart's code, showing message
-- rp8:native
function stop(message)
  if message == nil then message = "" end
  host_stop(tostr(message))
end

-- load(filename, [breadcrumb, [param]]): the other cart runs in place of
-- this one (its stat(6) reads param; a breadcrumb label offers the way
-- back in its pause menu); false when there is no such cart
-- rp8:native
function load(filename, breadcrumb, param)
  if breadcrumb ~= nil then breadcrumb = tostr(breadcrumb) end
  if param == nil then param = "" end
  return host_load(tostr(filename), breadcrumb, tostr(param))
end

-- reload(dst, src, len, [filename]): cart data from the ROM into RAM
-- (fewer than three numbers: all 0x4300 bytes); with a filename, from that
-- cart's ROM, which the host finds beside the running cart (PICO-8 manual,
-- RELOAD)
-- rp8:native
function reload(dst, src, len, filename)
  if filename == nil then
    p8_reload(dst, src, len)
    return
  end
  filename = tostr(filename)
  if not host_stage_rom(filename) then error("reload: could not read cart " .. filename) end
  p8_reload_other(dst or 0, src or 0, len or 0)
end

-- cstore(dst, src, len): RAM into the cart's ROM, which later reloads read
-- (fewer than three numbers: all 0x4300 bytes of cart data) (PICO-8
-- manual, CSTORE)
-- rp8:native
function cstore(dst, src, len, filename)
  if filename ~= nil then error("not supported yet: cstore() into another cart file") end
  -- the engine's count of bytes written, or P8_MEM_READ_ONLY (-3)
  if p8_cstore(dst, src, len) == -3 then
    error("not supported yet: cstore() on a device (the cart ROM is read-only flash)")
  end
end

-- extcmd(cmd, [arg]) (PICO-8 manual, EXTCMD): "reset" runs the cart again
-- with the same parameter, "shutdown" ends it, "breadcrumb" goes back to
-- the cart that loaded this one with a breadcrumb; the host does what it
-- can of the rest (screenshots, recordings, ...)
-- rp8:native
function extcmd(cmd, a)
  cmd = tostr(cmd)
  if cmd == "reset" then host_run(host_param()) end
  if cmd == "shutdown" then host_stop("") end
  if cmd == "breadcrumb" then host_back() end
  if a == nil then a = "" end
  host_extcmd(cmd, tostr(a))
end

-- _set_fps(n), undocumented: the rate PICO-8's game loop picks itself (60
-- with _update60, else 30) is accepted; changing it is not supported
-- rp8:native
function _set_fps(n)
  n = flr(n)
  local picked = 30
  if host_update60() then picked = 60 end
  if n ~= picked then
    error("not supported yet: _set_fps(" .. n .. ") when the game loop runs at " .. picked .. " fps")
  end
end

-- tline(x0, y0, x1, y1, mx, my, [mdx, mdy, layers]) is the engine's;
-- tline(bits), with one argument, sets the fraction bits of mx, my, mdx
-- and mdy (PICO-8 0.2.4 changelog; the engine takes 0 to 31)
-- rp8:native
function tline(x0, y0, x1, y1, mx, my, mdx, mdy, layers)
  if y0 == nil and x1 == nil then
    if p8_tline_precision(x0) ~= 0 then
      error("not supported yet: tline precision outside 0-31 bits")
    end
    return
  end
  return p8_tline(x0, y0, x1, y1, mx, my, mdx, mdy, layers)
end

-- peek(addr, [n]), peek2, peek4: the value at addr, or n values `width`
-- bytes apart (PICO-8 manual, PEEK: up to 8192)
-- rp8:native
function peek(a, n)
  if n == nil then return p8_peek(a) end
  return __peek_n(p8_peek, a, n, 1)
end

-- rp8:native
function peek2(a, n)
  if n == nil then return p8_peek2(a) end
  return __peek_n(p8_peek2, a, n, 2)
end

-- rp8:native
function peek4(a, n)
  if n == nil then return p8_peek4(a) end
  return __peek_n(p8_peek4, a, n, 4)
end

-- poke(addr, [v1, v2, ...]), poke2, poke4: the values `width` bytes apart
-- (up to 8192); poke(addr) alone writes a 0
-- rp8:native
function poke(a, v, ...)
  if select("#", ...) == 0 then return p8_poke(a, v) end
  __poke_n(p8_poke, a, 1, v, ...)
end

-- rp8:native
function poke2(a, v, ...)
  if select("#", ...) == 0 then return p8_poke2(a, v) end
  __poke_n(p8_poke2, a, 2, v, ...)
end

-- rp8:native
function poke4(a, v, ...)
  if select("#", ...) == 0 then return p8_poke4(a, v) end
  __poke_n(p8_poke4, a, 4, v, ...)
end

-- the many-value forms, for peek* and poke* only (a `__` name is no
-- cart global). Addresses and counts read as the API reads a number
-- (flr: a numeric string is its number, another value 0); each address
-- wraps as PICO-8 arithmetic does.
-- rp8:native
function __peek_n(one, a, n, width)
  n = flr(n)
  if n > 8192 then n = 8192 end
  a = flr(a)
  -- the usual few values without a table
  if n <= 1 then
    if n == 1 then return one(a) end
    return
  end
  if n == 2 then return one(a), one(a + width) end
  if n == 3 then return one(a), one(a + width), one(a + 2 * width) end
  if n == 4 then return one(a), one(a + width), one(a + 2 * width), one(a + 3 * width) end
  local r = {}
  for i = 1, n do
    r[i] = one(a)
    a += width
  end
  return unpack(r, 1, n)
end

-- rp8:native
function __poke_n(one, a, width, ...)
  local n = select("#", ...)
  if n > 8192 then n = 8192 end
  a = flr(a)
  if n <= 16 then
    -- the usual few values without a table (LuaJIT compiles select, not
    -- a table of ...; select(i, ...) copies n - i values in C++)
    for i = 1, n do
      one(a, (select(i, ...)))
      a += width
    end
    return
  end
  local v = { ... }
  for i = 1, n do
    one(a, v[i])
    a += width
  end
end

-- flip(): end the frame here, present it and wait for the next one;
-- holdframe(): the frame ending next is not presented (the host's)
-- rp8:native
function flip()
  if not host_flip() then
    error("not supported yet: flip() outside a frame loop that can present (run the cart with rp8_main)")
  end
end

-- rp8:native
function holdframe()
  host_holdframe()
end

-- print(str, [x, y], [col]) (PICO-8 manual, PRINT): str through tostr
-- (print(nil) prints "[nil]"; only print() with no argument prints an
-- empty line); returns the right-most x. The engine draws it (control
-- codes, cursor, scrolling, "\a" sounds) as a job that stops at each
-- frame wait ("\^1".."\^9", "\^d"), whose frames are flipped here where
-- the console can (host_flip is false where it cannot: the waits pass).
-- rp8:native
function print(...)
  local s, x, y, col = ...
  if type(s) ~= "string" then
    if select("#", ...) == 0 then s = "" else s = tostr(s) end
  end
  local wait = p8_print_start(s, x, y, col)
  while wait ~= 0 do
    for i = 1, wait do host_flip() end
    wait = p8_print_resume(s)
  end
  return p8_print_result()
end
