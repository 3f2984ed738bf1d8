-- host_profile.lua -- `rp8 bench --mode host --profile K`: times every API
-- call a cart makes in the desktop interpreter. Loaded by
-- console/bench/host_profile.py into the console's LuaJIT state (never by a
-- cart) as a chunk returning `install(env, skip)`: every function of the
-- cart's environment not named in `skip` is replaced, before the cart is
-- loaded, by a wrapper that reads a clock before and after the call.
--
-- Self time: an API function that calls another one through the
-- environment (few do) is charged only its own part, so the rows add up.
-- A call during which the host ran a frame (print's frame waits, a flip
-- from a budget check inside a library function) is not counted: `epoch`
-- moves on every host step. The host keeps or drops each frame's counts
-- (prof.commit): a frame during which the process was preempted would
-- charge the wait to whichever call it fell in. What the wrapper costs is measured by
-- `calibrate` (a wrapped empty function) and subtracted by the Python side.

local select, type, pairs, tonumber = select, type, pairs, tonumber

return function(ffi)
  local now
  if ffi.os == "Windows" then
    ffi.cdef("int QueryPerformanceCounter(int64_t *c); int QueryPerformanceFrequency(int64_t *f);")
    local c, f = ffi.new("int64_t[1]"), ffi.new("int64_t[1]")
    ffi.C.QueryPerformanceFrequency(f)
    local ns = 1e9 / tonumber(f[0])
    now = function() ffi.C.QueryPerformanceCounter(c); return tonumber(c[0]) * ns end
  else
    ffi.cdef("typedef struct { long sec; long nsec; } rp8_prof_ts; int clock_gettime(int, rp8_prof_ts *);")
    -- CLOCK_MONOTONIC: 1 on Linux and the BSDs, 6 on macOS
    local id = ffi.os == "OSX" and 6 or 1
    local ts = ffi.new("rp8_prof_ts")
    local gettime = ffi.C.clock_gettime
    now = function() gettime(id, ts); return tonumber(ts.sec) * 1e9 + tonumber(ts.nsec) end
  end

  local names, calls, spent = {}, {}, {}
  local fcalls, fspent = {}, {}    -- this frame's, until the host keeps or drops them
  local child = {}                 -- time of nested API calls, by depth
  local depth, epoch = 0, 0

  local function finish(i, t0, e, ...)
    local dt = now() - t0
    local inner = child[depth]
    depth = depth - 1
    if depth > 0 then child[depth] = child[depth] + dt end
    if e == epoch then
      fcalls[i] = fcalls[i] + 1
      fspent[i] = fspent[i] + dt - inner
    end
    return ...
  end

  local function wrap(name, f)
    local i = #names + 1
    names[i], calls[i], spent[i], fcalls[i], fspent[i] = name, 0, 0, 0, 0
    return function(...)
      depth = depth + 1
      child[depth] = 0
      return finish(i, now(), epoch, f(...))
    end
  end

  local prof = {}

  function prof.install(env, skip)
    local todo = {}
    for name, f in pairs(env) do
      if type(f) == "function" and not skip[name] then todo[name] = f end
    end
    for name, f in pairs(todo) do env[name] = wrap(name, f) end
  end

  -- a host step starts: calls still open (an error unwound them) are dropped
  function prof.step()
    depth, epoch = 0, epoch + 1
  end

  -- the frame just run counts (keep) or not (the host saw it preempted)
  function prof.commit(keep)
    for i = 1, #names do
      if keep then calls[i], spent[i] = calls[i] + fcalls[i], spent[i] + fspent[i] end
      fcalls[i], fspent[i] = 0, 0
    end
  end

  -- (name, calls, ns) rows for the Python side
  function prof.rows()
    local out = {}
    for i = 1, #names do out[i] = { names[i], calls[i], spent[i] } end
    return out
  end

  -- ns the wrapper adds inside and outside the timed span, per call, over n
  -- calls of a wrapped empty function (the best of many short rounds, so
  -- that some round runs without the process being preempted)
  function prof.calibrate(n, rounds)
    local inside_best, whole_best = 1 / 0, 1 / 0
    local empty = function() end
    local w = wrap("(calibration)", empty)
    local i = #names
    for _ = 1, rounds do
      fcalls[i], fspent[i] = 0, 0
      prof.step()
      local t0 = now()
      for _ = 1, n do w() end
      local whole = (now() - t0) / n
      local t1 = now()
      for _ = 1, n do empty() end
      whole = whole - (now() - t1) / n
      if fspent[i] / n < inside_best then inside_best = fspent[i] / n end
      if whole < whole_best then whole_best = whole end
    end
    names[i], calls[i], spent[i], fcalls[i], fspent[i] = nil, nil, nil, nil, nil
    return inside_best, whole_best
  end

  return prof
end
