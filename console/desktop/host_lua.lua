-- host_lua.lua -- the console side of the LuaJIT state: binds the engine,
-- builds the cart's environment, runs the cart in a coroutine and drives
-- PICO-8's frame loop. Python (console/desktop/lua_env.py) loads this chunk
-- once per console and then only calls `host.step()` once per frame, plus a
-- few rare callbacks (printh to a file, cartdata, menu items); no Python
-- runs inside a cart's API call.
--
-- Frames. The cart's top level, _init and the game loop run in one
-- coroutine, `main`. flip() -- called by the game loop after each frame, or
-- by a cart with its own loop -- yields HY ("host yield") to the host, which
-- presents the screen, paces, reads input and resumes. A flip inside a cart
-- coroutine is passed up by the API's coresume (api_lua.lua).
--
-- CPU. The Lua back end adds each block's estimated VM instructions to
-- `counter[0]`; API calls add PICO-8's system ticks to cpu.sys. Both count
-- on PICO-8's scale of 2^22 per second (aot/api.py), so a frame's budget
-- is 2^22 / fps and stat(1) is (vm + sys) / budget. LuaJIT runs no debug
-- hooks inside compiled traces, so runaway carts are caught here too: the
-- counter is a proxy whose __newindex calls the host every SLICE units
-- (pump window events, check a time or cost limit) and can abort the cart
-- for good: once aborted, every block raises again, so neither a cart
-- coroutine nor a loop around coresume can swallow it.
--
-- Containment. Nothing of the host reaches the cart: an abort (stop, run,
-- load, a limit) keeps its record here and raises the opaque ABORT, which
-- coresume passes on; every Python callback is called through `guard`, so
-- a Python exception or a Python object never enters cart code (a host
-- failure aborts the cart with a message); error objects are turned into
-- text by `error_text`, which runs a cart's __tostring protected and with
-- a unit budget.

local type, pairs, select, error, tostring, setmetatable, pcall, unpack =
      type, pairs, select, error, tostring, setmetatable, pcall, unpack
local rawget, rawgetmeta, ssub = rawget, debug.getmetatable, string.sub
local floor, sfind = math.floor, string.find
local cocreate, coresume, costatus, coyield =
      coroutine.create, coroutine.resume, coroutine.status, coroutine.yield
local traceback = debug.traceback
local loadstring, setfenv, collectgarbage = loadstring, setfenv, collectgarbage

local TICKS = 4194304            -- 2^22 system ticks per second
local SLICE = 1048576            -- counter units between host checks
-- The back end counts a unit per statement and per expression node; PUC
-- Lua 5.2 (PICO-8's VM) needs about half as many instructions, since local
-- variables and constants are register operands, not instructions of
-- their own. A calibration, not a measurement of PICO-8.
local VM_TICKS = 0.5
-- error_text: units a cart's __tostring may run, and the longest text kept
local TOSTRING_UNITS = 65536
local TEXT_MAX = 4096

return function(args)
  local ffi = require("ffi")
  local bit = require("bit")
  -- LuaJIT gives up a trace that unrolls inner loops more than loopunroll
  -- (15) times; the back end's code (a call per operator, metamethod
  -- classes, the counter's proxy) reached that on carts' hot paths, which
  -- then stayed interpreted. At 60, rp8 bench --mode host (CPU per frame,
  -- frames 30-630, loaded machine): physics.p8 ~2x faster, toadally-normal-
  -- matching-game ~25 %, spray-ya-later-litigator ~15-25 %; jelpi,
  -- porklike, cast, tritri and others within the noise.
  jit.opt.start("loopunroll=60")
  ffi.cdef(args.cdef)
  local P = ffi.cast("p8_state *", ffi.cast("uintptr_t", args.state))

  -- number coercion of API arguments: PICO-8's C API reads a numeric string
  -- as its number and anything else that is not a number as 0. A number
  -- outside fix32's range (which no cart value should be: NaN, inf, a
  -- count past 32767) wraps as fix32 does, NaN and inf read as 0, so no
  -- API function computes a C argument, an FFI index or a cost from one.
  local rt_tonum
  local function N(x)
    if type(x) == "number" then
      if x >= -32768 and x < 32768 then return x end
      if x ~= x or x == 1 / 0 or x == -1 / 0 then return 0 end
      return (x + 32768) % 65536 - 32768
    end
    if type(x) == "string" then return rt_tonum(x) or 0 end
    return 0
  end

  local cpu = { sys = 0 }
  local C, api, prim, apicost = loadstring(args.bindings, "=bindings")()(ffi, args.addrs, P, cpu, N)
  local ram = C.p8_ram(P)
  -- the runtime reads RAM directly for the peek operators @x, %x, $x
  -- numbers to and from text: the engine's one rule (p8_str.c)
  local p8_tostr, p8_tonum, ffistring = C.p8_tostr, C.p8_tonum, ffi.string
  local strbuf, numbox = ffi.new("char[16]"), ffi.new("fix32[1]")
  local fix = {
    pow = C.p8_fix_pow,
    tostr = function(raw, flags) return ffistring(strbuf, p8_tostr(raw, flags, strbuf, 16)) end,
    tonum = function(s, flags)
      if p8_tonum(s, #s, flags, numbox) ~= 0 then return numbox[0] end
      return nil
    end,
  }
  local rt = loadstring(args.runtime, "=runtime")()(bit, fix, ram)
  rt_tonum = rt.tonum

  ---------------------------------------------------------------- the counter
  local used, limit, abort = 0, SLICE, nil
  local over_limit                 -- defined below
  local frame_mark = 0             -- used * VM_TICKS + sys at the start of this frame
  local function frame_cost() return used * VM_TICKS + cpu.sys - frame_mark end
  local slice_fail                 -- set below

  -- what an abort raises: opaque (no fields, no metatable); the record
  -- the host reads stays in `abort`, out of the cart's reach
  local ABORT = newproxy(false)
  local function raise_abort(reason)
    if abort == nil then abort = reason end
    limit = -1 / 0
    error(ABORT, 0)
  end

  -- The Python callbacks (lua_env.py wraps each to return true, result or
  -- false, message, never raising). Only nil, booleans, numbers and
  -- strings cross, both ways; anything else aborts the cart.
  local plain = { ["nil"] = true, boolean = true, number = true, string = true }
  local function guard(name, fn)
    return function(...)
      local n = select("#", ...)
      local all = n > 4 and { ... } or nil      -- (printh's batch: no select per argument)
      for i = 1, n do
        if not plain[type(all and all[i] or (select(i, ...)))] then
          raise_abort({ kind = "abort", message = "internal error: bad argument to host " .. name })
        end
      end
      local called, ok, value = pcall(fn, ...)
      if not called and ok == "stack overflow" then
        -- the call met LuaJIT's stack limit: the cart recursed too deep,
        -- an error at the cart's line as for any call (PICO-8's too)
        error(ok, 2)
      end
      if not called or ok ~= true or not plain[type(value)] then
        local why = (called and ok == false and type(value) == "string") and value or "failed"
        raise_abort({ kind = "abort", message = "internal error in host " .. name .. ": " .. why })
      end
      return value
    end
  end
  local cb = {}
  for name, fn in pairs(args.callbacks) do cb[name] = guard(name, fn) end

  -- Time a cart spends in host calls (printh to a file, extcmd) adds no
  -- counter units, so the runaway check also gets a turn every host_turn
  -- host calls (host_limits.HOST_TURN): a loop of printh calls is stopped
  -- like any other loop.
  local host_calls = 0
  local function host_turn()
    host_calls = host_calls + 1
    if host_calls < args.host_turn then return end
    host_calls = 0
    local verdict = cb.slice(frame_cost())
    if verdict then
      raise_abort({ kind = "abort", message = verdict, trace = traceback("", 3) })
    end
  end
  for name in pairs({ printh = 1, printh_file = 1, extcmd = 1, cartdata = 1, can_load = 1,
                      other_rom = 1, warn = 1 }) do
    local call = cb[name]
    cb[name] = function(...)
      host_turn()
      return call(...)
    end
  end

  -- printh's lines wait here and cross to Python in batches (one call per
  -- PRINTH_LINES lines or PRINTH_CHARS characters, and whatever is left
  -- when control goes back to the host: host.step, host.menu_call), not
  -- one call each, which cost a cart printing every frame most of its
  -- frame. Every other callback hands over the waiting lines first, so the
  -- host's output (warnings, extcmd, an error after the frame) keeps the
  -- order the cart made it in.
  -- A batch crosses as (text, n): its n lines joined by NULs, one string
  -- for Python to split, unless a line holds a NUL itself: then the lines
  -- one argument each (lua_env.printh_batch reads both).
  local PRINTH_LINES, PRINTH_CHARS = 64, 65536
  local ph_buf, ph_n, ph_chars, ph_nul = {}, 0, 0, false
  local printh_batch, tconcat = cb.printh, table.concat
  local function flush_printh()
    if ph_n == 0 then return end
    local n = ph_n
    ph_n, ph_chars = 0, 0
    local ok, err
    if ph_nul then
      ok, err = pcall(printh_batch, unpack(ph_buf, 1, n))
    else
      ok, err = pcall(printh_batch, n == 1 and ph_buf[1] or tconcat(ph_buf, "\0", 1, n), n)
    end
    ph_nul = false
    for i = 1, n do ph_buf[i] = nil end
    if not ok then error(err, 0) end
  end
  for name, call in pairs(cb) do
    if name ~= "printh" then
      cb[name] = function(...)
        flush_printh()
        return call(...)
      end
    end
  end

  -- PICO-8's Lua memory limit, counted on live data: LuaJIT has no
  -- emergency collection, so garbage is collected before giving up. (The
  -- allocator's hard cap, set by the host well above this, only guards
  -- against a single runaway allocation.)
  -- LuaJIT also counts its compiled traces as GC memory (over 1 MiB for a
  -- big cart), which PUC Lua 5.2 has no equivalent of: when the count is
  -- over the limit after a full collection, the trace cache is flushed and
  -- what that freed becomes an allowance (`jit_slack`) for traces later.
  local mem_limit, mem_base, jit_slack = args.memory_kib, 0, 0
  local jit = require("jit")
  local function check_memory()
    if collectgarbage("count") - mem_base <= mem_limit + jit_slack then return end
    collectgarbage()
    local before = collectgarbage("count")
    if before - mem_base <= mem_limit + jit_slack then return end
    jit.flush()
    collectgarbage()
    local after = collectgarbage("count")
    jit_slack = before - after
    if after - mem_base > mem_limit then
      -- (the host reads where the cart was with host.cart_trace)
      raise_abort({ kind = "oom" })
    end
  end

  -- PICO-8 manual, flip(): "If your program does not call flip before a
  -- frame is up, and a _draw() callback is not in progress, the current
  -- contents of the back buffer are copied to screen." A frame is up when
  -- its CPU budget is spent; the host then presents and a new frame starts.
  -- (A yield that cannot happen -- across a C call -- is skipped.)
  local in_draw, next_slice = false, SLICE
  local HY = {}                    -- the host-yield sentinel
  local fps = 30
  local capped = false             -- inside error_text's __tostring call
  function over_limit()
    if capped then error("'__tostring' ran too long", 0) end
    check_memory()
    local budget = TICKS / fps
    if not in_draw and frame_cost() > budget then
      pcall(coyield, HY, "frame")
    end
    if used >= next_slice then
      local verdict = cb.slice(frame_cost())
      if verdict then
        -- where the cart was when stopped, for the error screen
        raise_abort({ kind = "abort", message = verdict, trace = traceback("", 3) })
      end
      next_slice = used + SLICE
    end
    local to_budget = (budget - frame_cost()) / VM_TICKS
    if in_draw or to_budget < 1 then to_budget = SLICE end
    limit = used + (to_budget < SLICE and to_budget or SLICE)
    if next_slice < limit then limit = next_slice end
  end

  local counter = setmetatable({}, {
    __index = function() return used end,
    __newindex = function(_, _, v)
      -- the back end writes counter[0] + n; anything else (a cart that
      -- found the counter) still counts as one unit and never goes back
      local d = v - used
      if not (d >= 1) then d = 1 end
      used = used + d
      if used >= limit then
        if abort then error(ABORT, 0) end
        over_limit()
      end
    end,
    __metatable = false,
  })

  ---------------------------------------------------------------- the cart
  local main_co = nil
  local warned = {}
  local function warn(msg)
    if not warned[msg] then
      warned[msg] = true
      cb.warn(msg)
    end
  end

  local frames = 0
  local skip_draw = false
  local present_next = true
  local hold = false

  local function flip()
    if abort then error(ABORT, 0) end
    check_memory()
    local kind = hold and "skip" or "frame"
    hold = false
    coyield(HY, kind)
  end

  -- the innermost frame of the cart's code in a coroutine's stack
  local getinfo = debug.getinfo
  local function cart_line(co)
    for level = 0, 200 do
      local info = getinfo(co, level, "Sl")
      if info == nil then return nil end
      if info.source == "=p8cart" and info.currentline and info.currentline > 0 then
        return info.currentline
      end
    end
    return nil
  end

  -- The pause menu's items (1-5: label, callback, buttons filtered out),
  -- set through the host primitives below by the BIOS's menuitem; while
  -- a callback runs, menu_current is its item.
  local menu, menu_current = {}, nil
  prim.host_menu_current = function() return menu_current end
  prim.host_menu_set = function(i, label, fn, filter)
    if label == nil then menu[i] = nil else menu[i] = { label = label, fn = fn, filter = filter } end
  end

  -- What the BIOS's stat reads of this console (api.HOST_PRIMITIVES);
  -- the host fills `hs` between frames (host.set_* below).
  local hs = { param = "", breadcrumb = nil, mem_base = 0,
               mouse = { 0, 0, 0, 0 }, key = "", clock = {}, sys_mark = 0 }
  local function fixnum(x)          -- a Lua number -> nearest fix32 below
    return floor(x * 65536) / 65536
  end
  prim.host_memory = function()
    if args.stat0_pin then return args.stat0_pin end
    local kib = collectgarbage("count") - hs.mem_base - jit_slack
    if kib < 0 then kib = 0 end
    return fixnum(kib)
  end
  prim.host_cpu = function(n)
    local spent = (n == 1) and frame_cost() or (cpu.sys - hs.sys_mark)
    local r = spent / (TICKS / fps)
    if r > 32767 then r = 32767 end
    return fixnum(r)
  end
  prim.host_fps = function() return fps end
  -- the rate the frames run at: the CPU model keeps a cart at its own
  -- rate (a frame over budget skips its next _draw instead), as rt_host.cpp
  prim.host_fps_actual = function() return fps end
  prim.host_param = function() return hs.param end
  prim.host_breadcrumb = function() return hs.breadcrumb end
  prim.host_clipboard = function() return hs.clipboard or "" end
  prim.host_key = function(take)
    local k = hs.key
    if take then hs.key = "" end
    return k
  end
  prim.host_mouse = function(i) return hs.mouse[i] end
  prim.host_clock = function(n) return hs.clock[n] or 0 end
  -- ... and what cartdata and printh reach
  local have_cartdata = false
  prim.host_cartdata = function(id)
    if have_cartdata then return nil end
    have_cartdata = true
    if id == nil then return false end
    return cb.cartdata(id) and true or false
  end
  prim.host_printh = function(s)
    ph_n = ph_n + 1
    ph_buf[ph_n] = s
    if not ph_nul and sfind(s, "\0", 1, true) then ph_nul = true end
    ph_chars = ph_chars + #s
    if ph_n >= PRINTH_LINES or ph_chars >= PRINTH_CHARS then flush_printh() end
  end
  prim.host_printh_file = function(s, filename, overwrite) return cb.printh_file(s, filename, overwrite) end
  prim.host_set_clipboard = function(s) hs.clipboard = s end
  -- ... and what run, stop, load, extcmd and _set_fps reach
  prim.host_run = function(param) raise_abort({ kind = "run", param = param }) end
  prim.host_stop = function(message) raise_abort({ kind = "stop", message = message }) end
  prim.host_load = function(filename, breadcrumb, param)
    if not cb.can_load(filename) then return false end
    raise_abort({ kind = "load", file = filename, breadcrumb = breadcrumb, param = param })
  end
  prim.host_back = function()
    if hs.breadcrumb_file then raise_abort({ kind = "load", file = hs.breadcrumb_file, param = "" }) end
  end
  prim.host_extcmd = function(cmd, a) cb.extcmd(cmd, a) end
  local cart_env                   -- the cart's globals (set below)
  prim.host_update60 = function() return cart_env._update60 ~= nil end
  -- ... and what flip and holdframe reach
  prim.host_flip = function() flip() return true end
  prim.host_holdframe = function() hold = true end
  -- the engine keeps a pointer into the string until the reload right after
  -- (p8_stage_rom): it is held here until the next one replaces it
  local staged_rom
  prim.host_stage_rom = function(filename)
    staged_rom = cb.other_rom(filename)
    if staged_rom == nil then return false end
    C.p8_stage_rom(P, staged_rom, #staged_rom)
    return true
  end

  local kit = { rt = rt, ffi = ffi, C = C, P = P, cpu = cpu, N = N, HY = HY, api = api,
                prim = prim, apicost = apicost, bios = args.bios, counter = counter, glyphs = args.glyphs,
                ABORT = ABORT,
                main = function() return main_co end, flip = flip, warn = warn,
                where = function(line) return cb.where(line) end, cart_line = cart_line }
  local env = loadstring(args.api_lua, "=api")()(kit)
  cart_env = env

  ---------------------------------------------------------------- buttons, time
  -- btn, btnp and time() are the engine's (p8_input.c, generated bindings);
  -- the host gives it 8 masks (players 0-7, bits 0-5 = left right up down
  -- O X) at the start of each frame and a tick at its end.
  local p8_input_frame, p8_clock_tick = C.p8_input_frame, C.p8_clock_tick

  ---------------------------------------------------------------- sandbox
  -- Strings share one metatable with the host; its __index is the string
  -- library (string.dump, string.rep of gigabytes, ...). PICO-8 strings
  -- have no methods, so the cart gets none: indexing a string is the
  -- BIOS's __index_string (s[i] is a character), as in compiled carts.
  local smt = getmetatable("")
  if smt then smt.__index = kit.hooks.index_string end

  ---------------------------------------------------------------- running
  local function end_frame(drawn)
    check_memory()
    -- over budget: draw every other frame, keeping updates on time
    local spent = frame_cost()
    skip_draw = drawn and spent > TICKS / fps
    local kind = (drawn and not hold) and "frame" or "skip"
    if drawn then hold = false end
    coyield(HY, kind)
  end

  -- (the callbacks are called through locals named as PICO-8 names them,
  -- which is what a traceback shows: "in function '_update'")
  local function game_loop(main)
    local genv = main()
    if type(genv) ~= "table" then genv = env end
    local _init = genv._init
    if _init ~= nil then _init() end
    if genv._update == nil and genv._update60 == nil and genv._draw == nil then return end
    while true do
      local _update60 = genv._update60
      fps = (_update60 ~= nil) and 60 or 30
      if _update60 ~= nil then _update60() else
        local _update = genv._update
        if _update ~= nil then _update() end
      end
      local drawn = not skip_draw
      if drawn then
        local _draw = genv._draw
        if _draw ~= nil then
          in_draw = true
          _draw()
          in_draw = false
        end
      end
      end_frame(drawn)
    end
  end

  -- An error object as text, as PUC Lua's standalone interpreter shows it:
  -- strings and numbers as they are, a table through its __tostring (run
  -- protected, in its own coroutine, for at most TOSTRING_UNITS counter
  -- units; a yield, an error or an abort inside it gives the plain form),
  -- anything else "(error object is a X value)". Never longer than TEXT_MAX.
  local function error_text(e)
    local t, s = type(e), nil
    if t == "string" then s = e
    elseif t == "number" then s = rt.tostr(e)
    elseif t == "boolean" or t == "nil" then s = tostring(e)
    elseif t == "table" then
      local mt = rawgetmeta(e)
      local f = type(mt) == "table" and rawget(mt, "__tostring") or nil
      if type(f) == "function" and abort == nil then
        local saved_limit = limit
        capped, limit = true, used + TOSTRING_UNITS
        local ok, done = coresume(cocreate(f), e)
        capped = false
        if abort == nil then limit = saved_limit end
        if ok and type(done) == "string" then s = done end
      end
    end
    if s == nil then s = "(error object is a " .. t .. " value)" end
    if #s > TEXT_MAX then s = ssub(s, 1, TEXT_MAX) .. "..." end
    return s
  end

  local host = {}

  -- Compile the cart's Lua (from aot/lua_backend.py) into the environment
  -- and make it the program `step` runs: the top level then PICO-8's game
  -- loop, or (top_only, for running code to completion) the top level alone.
  function host.load(code, top_only)
    local fn, err = loadstring(code, "=p8cart")
    if not fn then return err end
    setfenv(fn, env)
    local main = fn(rt, env, counter)     -- the loader: binds, runs no cart code
    local body = top_only and main or function() return game_loop(main) end
    -- no xpcall: a failed coroutine keeps its stack, so the traceback is
    -- taken from it afterwards (an error handler is not always run for a
    -- LuaJIT stack overflow, and then the place would be lost)
    main_co = cocreate(body)
    return nil
  end

  -- the frame boundary: host state in, one frame run, what happened out
  local function begin_frame(b0, b1, b2, b3, b4, b5, b6, b7)
    frame_mark = used * VM_TICKS + cpu.sys
    hs.sys_mark = cpu.sys
    p8_input_frame(P, b0 + b1 * 256 + b2 * 65536 + b3 * 16777216,
                   b4 + b5 * 256 + b6 * 65536 + b7 * 16777216, fps)
  end

  -- resume the cart until its next frame ends. Returns a kind and a value:
  --   "frame"/"skip" -- a frame ended (presented or not), "end" -- the cart
  --   returned, "error", text -- a Lua error with traceback, "abort", reason
  --   table (kind abort/load/run/stop), "oom" -- out of memory.
  function host.step(b0, b1, b2, b3, b4, b5, b6, b7)
    if main_co == nil or costatus(main_co) == "dead" then return "end" end
    -- run(), stop() or load() from a pause-menu callback, which ran
    -- between frames: act now, not when the cart's code next counts
    if abort ~= nil then return "abort", abort end
    begin_frame(b0, b1, b2, b3, b4, b5, b6, b7)
    local ok, a, b = coresume(main_co)
    if ph_n > 0 and not pcall(flush_printh) and ok and abort ~= nil then
      return "abort", abort          -- the host failed taking the lines
    end
    if ok and a == HY then
      p8_clock_tick(P, fps)
      frames = frames + 1
      return b
    end
    if ok then return "end" end
    if abort ~= nil and a == ABORT then return "abort", abort end
    -- the allocator's cap (the host reads where the cart was with
    -- host.cart_trace once it has lifted the cap)
    if type(a) == "string" and sfind(a, "not enough memory", 1, true) then return "oom" end
    local msg = error_text(a)
    if abort ~= nil then return "abort", abort end     -- its __tostring stopped the cart
    return "error", traceback(main_co, msg, 0)
  end

  -- where the cart's coroutine stopped, once it has failed
  function host.cart_trace()
    local got, trace = pcall(traceback, main_co, "", 0)
    return got and trace or nil
  end

  function host.set_param(p, breadcrumb, breadcrumb_file)
    hs.param, hs.breadcrumb, hs.breadcrumb_file = p, breadcrumb, breadcrumb_file
  end
  function host.set_clock(t) for k, v in pairs(t) do hs.clock[k] = v end end
  function host.set_mouse(x, y, b, w) hs.mouse = { x, y, b, w } end
  function host.set_key(k) hs.key = k end
  function host.set_clipboard(s) hs.clipboard = s end
  function host.mark_memory()
    collectgarbage()
    hs.mem_base = collectgarbage("count")
    mem_base = hs.mem_base
  end
  function host.fps() return fps end
  function host.cpu() return used, cpu.sys, frame_cost() / (TICKS / fps) end
  function host.abort(message)
    abort = { kind = "abort", message = message }
    limit = -1 / 0
  end
  function host.menu()
    local out = {}
    for i = 1, 5 do
      if menu[i] then out[#out + 1] = { index = i, label = menu[i].label } end
    end
    return out
  end
  -- a pause-menu entry chosen: call its callback with the button bitfield
  -- (PICO-8: left 1, right 2; O, X and pause all give 112); true keeps the
  -- menu open, and so does a press the item filters out
  function host.menu_call(i, buttons)
    local item = menu[i]
    if not item or type(item.fn) ~= "function" then return false end
    buttons = bit.band(buttons, bit.bnot(item.filter))
    if buttons == 0 then return true end
    menu_current = i
    local ok, r = pcall(item.fn, buttons)
    menu_current = nil
    if ph_n > 0 and not pcall(flush_printh) then return false end   -- (host.step reports the abort)
    if not ok then
      if r == ABORT then return false end   -- run/stop/load: host.step acts on it
      return false, error_text(r)
    end
    return r and true or false
  end
  -- hand printh's waiting lines to the host now (the harness's print
  -- recorder, which keeps print and printh lines in one order)
  function host.flush_printh() flush_printh() end
  function host.env() return env end
  return host
end
