"""The extreme-argument battery (issue 15, finding 8): every API function
called with extreme values, each call in a fresh coroutine, garbage made
between calls so the collector runs at changing points.

`battery_cart(...)` is PICO-8 code: each _update runs one round (every
function x `calls` random argument lists drawn from the extremes, seeded by
the round) and prints `round R bad B`; a returned number outside fix32's
range (a value no cart should hold) prints `BAD name args`.
tests/attack/test_attack_battery.py runs a short battery in both consoles;
benches/attack_battery.py runs a long one and prints the counts.
"""
from __future__ import annotations

# API functions the battery leaves out: they end or replace the cart
# (stop, run, load, extcmd's reset/shutdown), write the host's stdout with
# megabytes (printh), can be called once (cartdata), or never return for a
# string argument (foreach over a string: the BIOS's all() reads s[#s+1]
# as "", never nil, so the loop does not end)
SKIP = {"stop", "run", "load", "extcmd", "printh", "cartdata", "serial", "flip", "foreach"}

# every kind of extreme a cart can make; `s` is a string of 2^string_log2 bytes
EXTREMES = ["0x7fff.ffff", "-0x7fff.ffff", "-32768", "0.5", "-0.5", "0x10000", "0x.0001",
            "-0x.0001", "s", "rawlen(s)", "#s", "'12'", "'0x7fff.ffff'", "'-32768.5'", "{}",
            "{1,2,3}", "true", "false", "nil", "0", "-1", "8192", "32767", "-32767", "print",
            "cocreate(print)", "setmetatable({}, {__index=function(t, k) if k == 1 then return 0x7fff end end})",
            "chr(0)", "'\\0\\255'",
            # hostile values: metamethods and callbacks that yield, fail or lie
            "setmetatable({}, {__tostring=function() return {} end})",
            "setmetatable({}, {__tostring=function() yield() return 'y' end})",
            "setmetatable({}, {__tostring=function() error({}) end})",
            "setmetatable({}, {__index=function() error('i') end, __len=function() return -1 end})",
            "setmetatable({}, {__call=function() return 0x7fff.ffff end, __eq=function() return true end})",
            "function() yield(yield) end", "function() error(setmetatable({}, {__tostring=print})) end"]


def api_names() -> list[str]:
    """The functions of the interpreter's cart environment, sorted."""
    from console.desktop.frameloop import Console

    env = Console.from_code("").lua.env
    names = [k.decode("latin-1") for k in env.keys()
             if isinstance(k, bytes) and k.isascii() and k.decode("latin-1").isidentifier()]
    return sorted(n for n in names if n not in SKIP and env[n.encode()] is not None
                  and str(type(env[n.encode()])).find("Lua") >= 0)


def battery_cart(names: list[str], calls: int = 24, string_log2: int = 20,
                 extra: tuple[str, ...] = ()) -> str:
    """The battery as cart code (see the module's doc). `extra` adds
    expressions to the extremes (e.g. globals the test injects)."""
    values = ", ".join(EXTREMES + list(extra))
    quoted = ", ".join(f'"{n}"' for n in names)
    return f"""
s = "x" for i = 1, {string_log2} do s = s..s end
vals = {{{values}}}
nvals = {len(EXTREMES) + len(extra)}
names = {{{quoted}}}
bad, round = 0, 0
function check(name, idx, ...)
  for i = 1, select("#", ...) do
    local v = select(i, ...)
    if type(v) == "number" and not (v >= -32768 and v <= 0x7fff.ffff) then
      bad += 1 printh("BAD "..name..idx)
    end
  end
end
function garbage() local t = {{}} for i = 1, 64 do t[i] = {{i, tostr(i)}} end return t end
function battery(seed)
  srand(seed)
  for ni = 1, #names do
    local f = _ENV[names[ni]]
    for k = 1, {calls} do
      local a, idx, n = {{}}, "", flr(rnd(7))
      for j = 1, n do
        local q = flr(rnd(nvals)) + 1
        a[j] = vals[q] idx = idx.." "..q
      end
      coresume(cocreate(function() check(names[ni], idx, f(unpack(a, 1, n))) end))
      if k % 4 == 0 then garbage() end
    end
    cls() camera() clip() pal() palt() fillp() color(6) cursor()
  end
end
function _update() round += 1 battery(round) printh("round "..round.." bad "..bad) end
"""
