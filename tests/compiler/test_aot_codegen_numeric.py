"""The C++ back end's number rules (aot/cpp_types.py, aot/cpp_backend.py):
globals that only ever hold numbers kept unboxed, arithmetic proven
numeric when no value can have a metatable, API builtins called directly
on converted arguments, and the runtime's __index/__newindex fast paths.

Each rule is checked two ways: the generated C++ shows the rule applied
(or not, where it must not be), and the compiled program prints exactly
what the interpreter prints, errors included.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from console.aot_build import compile_source
from aot.source import Source
from support.aot_cpp import need_gxx, run_cpp, run_lua


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    need_gxx()
    return tmp_path_factory.mktemp("aot_num")


def code_of(text: str) -> str:
    return compile_source(Source(text, "c.p8")).code


def same_exactly(text: str, work: Path, name: str) -> list[str]:
    """Interpreter and compiled program: identical lines and identical
    error message (not only its place). Returns the lines."""
    src = Source(text, f"{name}.p8")
    want = run_lua(src)
    got, res = run_cpp(src, work)
    assert res.returncode in (0, 1), res.stderr[-2000:]
    assert got.lines == want.lines
    assert got.error == want.error
    return got.lines


# ------------------------------------------------------------ unboxed globals

def test_numeric_global_is_unboxed() -> None:
    code = code_of("spin = 1\nfunction f() spin += 0.5 return spin * 2 end\nprinth(f())\n")
    assert "static fix32 GN[1];" in code
    # assigned by the main chunk before anything can call f: read as fix32
    assert "p8_fixi_mul(GN[0], P8_FIX(2))" in code
    assert "gnum(" not in code


def test_global_given_a_string_anywhere_stays_a_value() -> None:
    code = code_of("n = 1\nfunction f() n = 'text' end\nprinth(n + 1)\n")
    assert "GN[" not in code
    code = code_of("n = 1\nfunction f() n = g() end\nprinth(n + 1)\n")
    assert "GN[" not in code


def test_callback_names_and_builtins_stay_values() -> None:
    # the runner looks _update up by name; a cart may reassign a builtin
    code = code_of("_update = 1\nsin = 2\nprinth(_update + sin)\n")
    assert "GN[" not in code


def test_global_read_before_assignment_errors_as_before(work: Path) -> None:
    same_exactly("function f() x = 5 end\nprinth(x + 1)\n", work, "arith_nil")
    same_exactly("function f() x = 5 end\nprinth(x < 1)\n", work, "cmp_nil")
    same_exactly("function f() x = 5 end\nx += 1\n", work, "opassign_nil")
    same_exactly("function f() x = 5 end\nprinth(-x)\n", work, "unm_nil")
    lines = same_exactly("function f() x = 5 end\nprinth(tostr(x)) printh(x == nil) "
                         "printh(x and 1 or 2) f() printh(x) printh(x == nil)\n", work, "nil_then_set")
    assert lines == ["[nil]", "true", "2", "5", "false"]


def test_assignment_proves_only_what_runs_after_it(work: Path) -> None:
    text = """
function f(skip)
 if skip then goto over end
 g = 1
 ::over::
 printh(tostr(g))
end
function h()
 for i = 1, 3 do
  if i > 1 then printh(tostr(k)) end
  k = i
 end
 printh(k)
end
function m(a)
 if a then q = 2 end
 printh(tostr(q))
end
f(true) f(false) f(true) h() m(false) m(true) m(false)
"""
    lines = same_exactly(text, work, "dominance")
    assert lines == ["[nil]", "1", "1", "1", "2", "3", "[nil]", "2", "2"]
    code = code_of(text)
    # after the label, g may be unassigned: read as a Value
    assert "gnum(GD[" in code


def test_prefix_assignments_reach_every_function(work: Path) -> None:
    text = "a = 2\nb = a * 3\nfunction f() return a + b end\nprinth(f())\n"
    assert same_exactly(text, work, "prefix") == ["8"]
    code = code_of(text)
    f = code[code.index("static int f1_f(State *L, Value *A, int nargs) {"):]
    f = f[: f.index("\n}\n")]
    assert "gnum(" not in f and "p8_fixi_add(GN[" in f


def test_call_in_the_prefix_stops_the_proof(work: Path) -> None:
    # f runs (through g) before a is assigned: it must see nil
    text = "function f() printh(tostr(a)) end\nfunction g() f() end\ng()\na = 1\nf()\n"
    assert same_exactly(text, work, "prefix_call") == ["[nil]", "1"]
    code = code_of(text)
    f = code[code.index("static int f1_f(State *L, Value *A, int nargs) {"):]
    assert "gnum(GD[0], GN[0])" in f[: f.index("\n}\n")]


def test_unboxed_globals_in_expressions(work: Path) -> None:
    text = """
x = 3 y = -1.5 z = 0x7fff
printh(x .. "," .. y)
printh(tostr(x / 0))
printh(x % -2) printh(x \\ 2) printh(x ^ 2) printh(x & 1) printh(z + 1)
local t = {} t[x] = "three" printh(t[3])
printh(max(x, y)) printh(flr(y))
y = x y += x * 2 printh(y)
a, b = x, y printh(a + b)
"""
    same_exactly(text, work, "exprs")


# ------------------------------------------------------------ arithmetic without metatables

def test_arithmetic_is_numeric_when_no_metatable_can_exist(work: Path) -> None:
    text = ("function f(w) local h = w / 2 return h + 1 end\n"
            "printh(f(4)) printh(f('6')) printh(f(' 0x10 '))\nprinth(f({}))\n")
    code = code_of(text)
    assert "fixof(div(L, R[0], num(P8_FIX(2))" in code   # h is a fix32 local
    same_exactly(text, work, "nometa")
    same_exactly("function f(s) return -s end printh(f('3')) printh(f(true))\n", work, "nometa_unm")


def test_metatables_keep_metamethod_results(work: Path) -> None:
    text = """
local v = setmetatable({}, {__add = function(a, b) return "sum" end,
                            __unm = function(a) return "neg" end})
function f(a) local r = a + 1 return r end
function g(a) local r = -a return r end
printh(f(v)) printh(g(v)) printh(f(2))
"""
    assert "fixof(add(" not in code_of(text)
    assert same_exactly(text, work, "meta") == ["sum", "neg", "3"]


# ------------------------------------------------------------ direct API calls

def test_api_builtins_called_directly(work: Path) -> None:
    text = """
pset(1, 2, 7) printh(pget(1, 2))
local function g(a) return sget(a, 0) + pget(a, 2) end
printh(g(1)) printh(g('1')) printh(g()) printh(g({})) printh(g(true))
function p(x, y, c) pset(x, y, c) return pget(x, y) end
color(9) printh(p(3, 3)) printh(p(3, 4, nil)) printh(p(3, 5, 12)) printh(p('4', 6, '2'))
mset(1, 1, 5) printh(mget(1, 1)) printh(mget('1', nil))
"""
    code = code_of(text)
    assert "api_pset(L, P8_FIX(1), P8_FIX(2), P8_FIX(7), 3);" in code
    # pset's argc counts up to the last non-nil argument, at run time
    assert "(!isnil(" in code
    same_exactly(text, work, "api")


def test_reassigned_builtin_is_not_called_directly(work: Path) -> None:
    text = "function pset(x, y, c) printh('mine ' .. x) end\npset(1, 2, 3)\n"
    assert "api_pset" not in code_of(text)
    assert same_exactly(text, work, "api_own") == ["mine 1"]


# ------------------------------------------------------------ __index / __newindex fast paths

def test_class_chains_and_field_writes(work: Path) -> None:
    text = """
base = {} base.__index = base
function base.name() return "base" end
base.kind = "b"
sub = setmetatable({}, base) sub.__index = sub
function sub.who() return "sub" end
local o = setmetatable({x = 1}, sub)
printh(o.name() .. o.who() .. o.kind .. tostr(o.missing))
o.x = 2 printh(o.x)
o.x = nil printh(tostr(o.x))
o.x = 3 printh(o.x)
local log = setmetatable({y = 1}, {__index = sub, __newindex = function(t, k, v) printh("new " .. k) end})
log.y = 5 printh(log.y)
log.z = 6 printh(tostr(rawget(log, "z")))
log.y = nil log.y = 7 printh(tostr(log.y))
sub.kind = "s" printh(o.kind)
sub.kind = nil printh(o.kind)
base.__index = function(t, k) return "fn " .. k end
printh(o.anything)
"""
    assert same_exactly(text, work, "chains") == [
        "basesubb[nil]", "2", "[nil]", "3", "5", "new z", "[nil]", "new y", "[nil]", "s", "b",
        "fn anything"]


def test_only_single_results_inline_as_last_argument(work: Path) -> None:
    # peek2(a, n) may give n values: max() must get them all, as in Lua
    code = code_of("printh(max(peek2(0x4300, 2)))\n")
    assert "i0 = rt_callfn(L, bi_peek2" in code and "bi_max, R + 2, 0 + i0" in code
    text = "printh(flr(sqrt(17))) printh(max(sqrt(16), 1))\n"
    code = code_of(text)
    # sqrt gives one value: flr, max and sqrt inline
    assert "bi_sqrt" not in code and "bi_flr" not in code and "bi_max" not in code
    assert same_exactly(text, work, "last_arg") == ["4", "4"]
