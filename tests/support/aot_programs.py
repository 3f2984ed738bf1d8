"""Lua programs the compiled-cart tests run in more than one place: the
differential programs (test_aot_diff.py, also on the sanitized and device
builds of test_aot_runtime.py), show(), and the coroutine program
(test_aot_runner.py, also on each desktop context switch of
test_aot_ctx_desktop.py)."""
from __future__ import annotations

PROGRAMS: dict[str, str] = {
    "arith_and_wrap": """
printh(1 + 2 * 3) printh(7 / 2) printh(7 \\ 2) printh(-7 \\ 2) printh(7 % 3) printh(-7 % 3)
printh(32767 + 1) printh(-32768 - 1) printh(1 / 0) printh(-1 / 0) printh(0x7fff.ffff * 2)
printh(2 ^ 10) printh(1 / 3) printh(-1 / 3) printh(0.1 + 0.2) printh(5 % -3) printh(3 % 0)
local x = 10 x += 5 x -= 1 x *= 2 x /= 4 x \\= 1 x %= 4 x ^= 2 printh(x)
""",
    "bitwise_and_shifts": """
printh(0x0f & 0x3c) printh(0x0f | 0x30) printh(0x0f ^^ 0xff) printh(~0) printh(~5)
printh(1 << 4) printh(256 >> 4) printh(-256 >> 4) printh(-256 >>> 4) printh(1 << 15)
printh(0x1234.5678 <<> 8) printh(0x1234.5678 >>< 8) printh(1 << 32) printh(-1 >> 40)
printh(tostr(0x1234.5678, true)) printh(tostr(-1, 3)) printh(band(12, 10)) printh(shl(1, 3))
local a = 0xf0 a &= 0x3c a |= 1 a ^^= 3 a <<= 2 a >>= 1 a >>>= 1 printh(a)
printh("3" + 4) printh("0x10" * 2) printh(-"2")
""",
    "strings_and_concat": """
local s = "hello" .. " " .. "world"
printh(s) printh(#s) printh(1 .. 2) printh(1.5 .. "x") printh(-0.25 .. "")
printh(sub(s, 1, 5)) printh(sub(s, -5)) printh(sub(s, 3, 2) == "") printh(sub(s, 0, 100))
printh(chr(104, 105)) printh(ord("abc", 2)) show(ord("abc", 1, 3)) printh(tostr(nil))
printh(tostr(true) .. tostr(false)) printh(tonum("0x1f")) printh(tonum("12.5")) printh(tonum("zz"))
printh(tonum("ff", 1)) printh(tonum("zz", 4)) printh(select("#", tonum("zz")))
local parts = split("1,b,3.5,,x") printh(#parts) for p in all(parts) do printh(p) end
local w = split("abcdef", 2) printh(w[3]) local n = split("1,2", ",", false) printh(type(n[1]))
printh("a" < "b") printh("abc" < "abd") printh("b" <= "a") printh("" < "a")
""",
    # split's pieces: fresh strings the runtime stores into a table that grows
    # (no constant here keeps one alive; the collector freed them while the
    # table grew: corpus picodex under frequent collections)
    "fresh_values_into_growing_tables": """
local parts = split("q1,q2,q3,q4,q5,q6,q7,q8,q9,q10") local s = ""
for p in all(parts) do s = s .. p end printh(s)
""",
    # low() drops add's extra results (sub's) after its call: L->top went back to
    # low's frame end, below caller's, so deep's leftover strings in caller's
    # slots were freed there and scanned again after the return (porklike)
    "results_dropped_below_the_callers_top": """
function deep(s)
  local a, b, c, d, e, f, g, h = s .. "1", s .. "2", s .. "3", s .. "4", s .. "5", s .. "6", s .. "7", s .. "8"
  return #a
end
function low(s) local r = {} add(r, sub(s, 1, 2)) add(r, s .. "!") return r end
function caller()
  local n = deep("ab")
  local r = low("cd")
  local y = {}
  local a, b, c, d, e, f, g, h, i, j, k, l, m, o, p, q, u, v, w, z = "a", "b", "c", "d", "e", "f", "g",
    "h", "i", "j", "k", "l", "m", "o", "p", "q", "u", "v", "w", "z"
  return n + #r + #y .. a .. z
end
printh(caller())
""",
    # name = v fields through the key's main position (rp8rt.h setfield):
    # an existing field, a new one under __newindex, a removed one written
    # again, a metatable given __index after its absence was cached, and
    # constructors with nil, repeated and colliding names
    "fields_through_main_positions": """
local log = {}
local mt = {__newindex = function(t, k, v) rawset(t, k, v + 100) add(log, k) end}
local o = setmetatable({x = 1}, mt)
o.x = 2 o.y = 3 printh(o.x .. " " .. o.y .. " " .. #log)
o.x = nil o.x = 4 printh(o.x .. " " .. #log .. " " .. log[2])
local p = setmetatable({x = 1}, {__index = {x = 9}}) printh(p.x) p.x = nil printh(p.x)
local o2 = setmetatable({x = 1, z = 2, c = 3}, mt) o2.a = 5 printh(o2.a .. " " .. #log)
local base = {x = 1, z = 2, c = 3}
local obj = setmetatable({}, base)
printh(tostr(obj.name)) base.__index = {name = "found"} printh(obj.name)
base.__index = nil printh(tostr(obj.name))
local c = {a = 1, b = nil, a = 2, c = 3, d = 4, e = 5, f = 6, g = 7, h = 8, i = 9, j = 10}
printh(c.a .. c.c .. c.h .. c.j .. tostr(c.b))
local n = 0 for k, v in pairs(c) do n += v end printh(n)
c.b = 11 c.a = nil c.k = 12 n = 0 for k, v in pairs(c) do n += v end printh(n .. tostr(c.a))
local v = {x = 1, y = 2, z = 3} v.x, v.y, v.z = v.y, v.z, v.x printh(v.x .. v.y .. v.z)
""",
    "tables_and_length": """
local t = {1, 2, 3, nil, 5}
printh(#t) t[6] = 6 printh(t[6])
local u = {} for i = 1, 10 do u[i] = i * i end printh(#u) u[10] = nil printh(#u)
local h = {x = 1, y = 2, [3] = "three", [1.5] = "frac", [true] = "yes"}
printh(h.x + h.y) printh(h[3]) printh(h[1.5]) printh(h[true]) printh(h.z)
local c = 0 for k, v in pairs(h) do c += 1 end printh(c)
local s = {} s[1] = "a" s[2] = "b" s[4] = "d" printh(#s)
add(s, "e") printh(#s) printh(s[#s]) del(s, "a") printh(s[1]) printh(deli(s, 1)) printh(#s)
printh(count({1, 2, 2, 3}, 2)) printh(count({1, nil, 3}))
add(u, 0, 1) printh(u[1]) printh(u[2])
local big = {} for i = 1, 300 do big[i] = i end for i = 1, 300, 2 do big[i] = nil end
local n = 0 for k in pairs(big) do n += 1 end printh(n)
local nested = {a = {b = {c = "deep"}}} printh(nested.a.b.c)
show(unpack({1, 2, 3})) printh(select("#", unpack({1, nil, 3})))
local p = pack(1, nil, 3) printh(p.n) printh(p[3])
printh(rawlen({1, 2})) printh(rawequal(t, t)) printh(rawget(h, "x")) rawset(h, "q", 9) printh(h.q)
""",
    "closures_and_upvalues": """
local fs = {}
for i = 1, 3 do fs[i] = function() return i end end
printh(fs[1]() + fs[2]() + fs[3]())
local function counter()
  local n = 0
  return function() n += 1 return n end, function() return n end
end
local inc, get = counter()
inc() inc() printh(get())
local a = 1
local function outer()
  local b = 10
  return function() a += 1 b += 1 return a + b end
end
local f = outer() printh(f()) printh(f()) printh(a)
local acc = {}
local j = 0
while j < 3 do j += 1 local k = j * 10 acc[j] = function() return k end end
printh(acc[1]() .. acc[2]() .. acc[3]())
local function rec(n) if n == 0 then return 0 end return n + rec(n - 1) end
printh(rec(100))
local shared
do local v = 5 shared = function(d) v += d return v end end
printh(shared(1)) printh(shared(2))
""",
    "varargs_and_multiple_returns": """
local function f(...) return ... end
local function g(...) return select("#", ...), ... end
printh(select("#", f())) printh(select("#", f(1, nil, 3))) show(g(7, 8))
local function three() return 1, 2, 3 end
local a, b, c, d = three() printh(a .. b .. c .. tostr(d))
local t = {three(), three()} printh(#t)
local u = {three(), (three())} printh(#u)
local x, y = (three()) printh(x) printh(y)
show(select(2, "a", "b", "c")) printh(select(-1, "a", "b", "c"))
local function sum(...) local s = 0 for v in all({...}) do s += v end return s end
printh(sum(1, 2, 3, 4))
local function pass(...) local n = select("#", ...) return n, ... end
show(pass(nil, nil))
local function tail(n) if n == 0 then return "done", n end return tail(n - 1) end
show(tail(50))
a, b = 1 printh(a) printh(b)
a, b, c = (function() return 4, 5 end)() printh(a + b) printh(c)
local s1, s2 = 1, 2 s1, s2 = s2, s1 printh(s1 .. s2)
local q = {} local i = 1 i, q[i] = i + 1, 20 printh(i) printh(q[1]) printh(q[2])
""",
    "control_flow": """
local out = ""
for i = 10, 1, -3 do out = out .. i .. " " end printh(out)
for i = 1, 0 do printh("never") end
for i = 1, 2, 0.5 do printh(i) end
local n = 0 repeat local m = n n += 1 until m >= 3 printh(n)
local w = 0 while true do w += 1 if w > 5 then break end end printh(w)
for i = 1, 5 do if i % 2 == 0 then goto continue end printh("odd " .. i) ::continue:: end
do local k = 0 ::top:: k += 1 if k < 4 then goto top end printh(k) end
if false then printh("no") elseif nil then printh("no") elseif 0 then printh("zero is true") else printh("no") end
printh(1 and 2) printh(nil and 1) printh(false or "x") printh(nil or false) printh(1 or error("no"))
printh(not nil) printh(not 0) printh(1 == 1.0) printh("1" == 1) printh(2 ~= 3)
local big = 0 for i = 32760, 32767 do big += 1 end printh(big)
local down = 0 for i = -32767, -32768, -1 do down += 1 end printh(down)
if (n > 2) printh("short if")
local cnt = 0 while (cnt < 3) cnt += 1
printh(cnt)
""",
    "metatables": """
local V = {}
V.__index = V
function V.new(x, y) return setmetatable({x = x, y = y}, V) end
function V.__add(a, b) return V.new(a.x + b.x, a.y + b.y) end
function V.__sub(a, b) return V.new(a.x - b.x, a.y - b.y) end
function V.__mul(a, s) return V.new(a.x * s, a.y * s) end
function V.__unm(a) return V.new(-a.x, -a.y) end
function V.__eq(a, b) return a.x == b.x and a.y == b.y end
function V.__lt(a, b) return a.x < b.x end
function V.__le(a, b) return a.x <= b.x end
function V.__len(a) return 2 end
function V.__concat(a, b) return tostr(a) .. "|" .. tostr(b) end
function V.__tostring(a) return "(" .. a.x .. "," .. a.y .. ")" end
function V:len2() return self.x * self.x + self.y * self.y end
local a, b = V.new(1, 2), V.new(3, 4)
printh(tostr(a + b)) printh(tostr(b - a)) printh(tostr(a * 3)) printh(tostr(-a))
printh(a == V.new(1, 2)) printh(a ~= b) printh(a < b) printh(b <= a) printh(a > b) printh(#a)
printh(a .. b) printh(a .. "s") printh(a:len2())
local base = {greet = function(self) return "hi " .. self.name end}
local mid = setmetatable({}, {__index = base})
local obj = setmetatable({name = "obj"}, {__index = mid})
printh(obj:greet())
local calls = setmetatable({}, {__call = function(self, a, b) return a + b end}) printh(calls(2, 3))
local log = {}
local guarded = setmetatable({}, {__newindex = function(t, k, v) rawset(t, k, v * 2) add(log, k) end})
guarded.a = 5 guarded.a = 7 printh(guarded.a) printh(#log)
local dflt = setmetatable({}, {__index = function(t, k) return k .. "!" end}) printh(dflt.zz)
printh(getmetatable(a) == V) printh(getmetatable({}))
local prot = setmetatable({}, {__metatable = "locked"}) printh(getmetatable(prot))
local class = setmetatable({}, {__index = function(t, k) return function(self, v) return k .. v end end})
printh(class:foo(1))
""",
    "env_and_dynamic_globals": """
x = 1
local function setenv(t) _ENV = t end
local saved = _ENV
local box = {printh = printh}
setenv(box) y = 5 printh(y) printh(x) setenv(saved)
printh(x) printh(y)
do local _ENV = {printh = printh, z = 9} printh(z) end
printh(_ENV["x"]) _ENV.w = 3 printh(w)
for k in all({"x", "w"}) do printh(_ENV[k]) end
""",
    "globals_and_builtins": """
function add2(a, b) return a + b end
printh(add2(2, 3))
local old = flr flr = function(x) return "mine" end printh(flr(1.5)) flr = old printh(flr(1.5))
printh(type(printh)) printh(type(nil)) printh(type({})) printh(type("")) printh(type(1))
printh(min(3, 1)) printh(max(3, 1)) printh(mid(5, 1, 3)) printh(abs(-2.5)) printh(sgn(0)) printh(sgn(-3))
printh(flr(-1.5)) printh(ceil(-1.5)) printh(ceil(1.25)) printh(sqrt(16)) printh(sin(0.25)) printh(cos(0))
printh(atan2(1, 1)) printh(flr("3.7")) printh(min(nil, -1)) printh(abs(-32768))
srand(1) local r1 = rnd(10) srand(1) printh(r1 == rnd(10)) printh(rnd(10) < 10)
printh(rnd({7}))
foreach({1, 2, 3}, function(v) printh(v * 2) end)
for i, v in ipairs({4, 5, nil, 6}) do printh(i .. ":" .. v) end
local t = {1, 2, 3, 4} for v in all(t) do if v == 2 then del(t, v) end printh(v) end
poke(0x4300, 1, 2, 3) printh(peek(0x4300))
poke2(0x4310, -2) printh(peek2(0x4310)) poke4(0x4320, 1.5) printh(peek4(0x4320))
show(peek(0x4300, 3)) memset(0x4300, 7, 4) printh(peek(0x4303)) memcpy(0x4400, 0x4300, 4) printh(peek(0x4402))
show(next({})) show(next({9}))
""",
    "method_calls_and_self": """
local acct = {balance = 0}
function acct:deposit(v) self.balance += v return self end
function acct.withdraw(self, v) self.balance -= v return self end
acct:deposit(10):deposit(5):withdraw(3)
printh(acct.balance)
local obj = {items = {}}
function obj:add(...) for v in all({...}) do add(self.items, v) end return #self.items end
printh(obj:add(1, 2, 3))
local s = {n = 0} s.f = function(self, k) self.n += k end s:f(4) s:f(6) printh(s.n)
local t = {v = {w = {}}} function t.v.w:m() return self == t.v.w end printh(t.v.w:m())
""",
    "errors_carry_the_line": """
printh("before")
local t = nil
local function f() return t.x end
printh(pcall)
f()
printh("after")
""",
    "error_calling_nil_global": """
printh(1)
nosuch(2)
""",
    "error_arith_on_table": """
local a = {}
printh(2)
printh(a + 1)
""",
    "assert_message": """
printh("x")
assert(1 == 1, "fine")
assert(false, "custom message")
""",
    "error_compare": """
printh({} < 1)
""",
    "garbage_cycles": """
-- many short-lived tables with cycles: the collector must reclaim them
for i = 1, 20000 do
  local a = {} local b = {a = a} a.b = b a.self = a
  local s = "s" .. i
end
local keep = {}
for i = 1, 200 do keep[i] = {i, tostr(i)} end
local sum = 0 for i = 1, 200 do sum += keep[i][1] end
printh(sum) printh(keep[200][2])
""",
}


# show(...): every value of a call on one line (printh's second argument
# would be a file name)
SHOW = """
function show(...)
  local s = ""
  for i = 1, select("#", ...) do s = s .. tostr((select(i, ...))) .. " " end
  printh(s)
end
"""


# values both ways, errors, nested coroutines, a yield from deep recursion,
# pool slots coming back (also run on each desktop switch: test_aot_ctx_desktop.py)
COROUTINES = """
function gen(n)
  return cocreate(function(a, b)
    printh("start " .. a .. b)
    local s = 0
    for i = 1, n do s += yield(i, i * i) or 0 end
    return "sum", s
  end)
end
local c = gen(3)
printh(costatus(c))
printh(tostr(coresume(c, "x", "y")))
for k = 1, 4 do local ok, a, b = coresume(c, k * 10) printh(tostr(ok) .. " " .. tostr(a) .. " " .. tostr(b)) end
printh(costatus(c))
local ok, msg = coresume(c) printh(tostr(ok) .. " " .. msg)
local e = cocreate(function() local t = nil return t.x end)
local ok2, m2 = coresume(e) printh(tostr(ok2) .. " " .. type(m2))
local outer
outer = cocreate(function()
  local inner = cocreate(function() printh("outer " .. costatus(outer)) yield() end)
  coresume(inner) printh("inner " .. costatus(inner)) printh("self " .. costatus(outer))
end)
coresume(outer)
-- deep recursion inside a coroutine, yielding from the bottom
local function down(n) if n == 0 then yield("bottom") return 0 end return 1 + down(n - 1) end
local d = cocreate(function() return down(60) end)
printh(tostr(select(2, coresume(d)))) printh(tostr(select(2, coresume(d))))
-- coroutines nobody can reach are collected: their pool slots come back
for i = 1, 300 do local k = cocreate(function(v) yield(v) end) coresume(k, i) end
printh("many ok")
printh(tostr(pcall == nil))
"""
