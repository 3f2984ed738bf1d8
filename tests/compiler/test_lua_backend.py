"""The Lua back end: emitted code runs in LuaJIT with PICO-8 semantics."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from console.desktop.harness import CartRuntimeError, Harness, compile_cart
from aot.builtins import PICO8_LOCAL_BUILTINS
from aot.source import Source
from support.aot_corpus import cart_source, text_carts

pytest.importorskip("console._engine")


@pytest.fixture
def h() -> Harness:
    return Harness()


def run(h: Harness, code: str) -> list[str]:
    h.run(Source(code, "t.p8"))
    return h.output


def test_compound_assignment_evaluates_target_once(h: Harness) -> None:
    # shrinko8 test.p8 case 72
    out = run(h, "n=0 t={10,20} function f() n+=1 return n end t[f()] += 1 printh(n) printh(t[1])")
    assert out == ["1", "11"]


def test_compound_assignment_on_captured_local(h: Harness) -> None:
    out = run(h, "local t={x=1} local old=t local function g() t={x=100} return 5 end "
                 "t.x += g() printh(old.x) printh(t.x)")
    assert out == ["6", "100"]              # the old t got 1+5; the new t is untouched


def test_env_assignment_redirects_globals(h: Harness) -> None:
    # shrinko8 test.p8 cases 51-52
    out = run(h, """
local function o(k) _ENV=k end
local oldenv = _ENV
o({printh=printh, uvw=123}) printh(uvw) o(oldenv)
do local _ENV = {printh=printh, a=7} printh(a) end
printh(uvw)""")
    assert out == ["123", "7", "[nil]"]


def test_goto_and_labels(h: Harness) -> None:
    out = run(h, "u=1 do ::x:: u += 1 if (u==4) goto e\ngoto x end ::e:: printh(u)")
    assert out == ["4"]


def test_varargs_and_multiple_returns(h: Harness) -> None:
    out = run(h, "function f(...) return ..., ..., ... end printh(#pack(f(1,2,3))) printh(select('#', f()))")
    assert out == ["5", "2"]                # ..., ... truncate to one nil each


def test_print_shorthand_uses_the_print_in_scope(h: Harness) -> None:
    out = run(h, "do local r local print = function(x) r=x end ?2\nprinth(r) end")
    assert out == ["2"]


def test_glyph_globals(h: Harness) -> None:
    h.run(Source("printh(⬅️..➡️..⬆️..⬇️..🅾️..❎)", "t.p8", form="unicode"))
    assert h.output == ["012345"]


def test_runtime_error_names_tab_and_line(h: Harness) -> None:
    src = Source("x=1\n-->8\nfunction f()\n  return nil + 1\nend\nf()\n", "game.p8")
    with pytest.raises(CartRuntimeError) as info:
        h.run(src)
    first = str(info.value).splitlines()[0]
    assert first == "runtime error: game.p8 tab 1 line 2: attempt to perform arithmetic on a nil value"


@pytest.mark.parametrize("code,message", [
    ("x = #nil", "attempt to get length of a nil value"),
    ("x = nil .. 'a'", "attempt to concatenate a nil value"),
    ("x = 'a' .. {}", "attempt to concatenate a table value"),
])
def test_runtime_helper_errors_name_the_cart_line(h: Harness, code: str, message: str) -> None:
    """Errors found inside a runtime helper (# and ..) are raised at the
    cart's level in PUC Lua's words, not as `runtime:N:` inside the helper."""
    with pytest.raises(CartRuntimeError) as info:
        h.run(Source("y = 1\n" + code, "e.p8"))
    assert str(info.value) == f"runtime error: e.p8 tab 0 line 2: {message}"


def test_emitted_lines_match_cart_lines() -> None:
    code = "a=1\n\nb=2\nfunction f()\n\n  return a\nend\n"
    lua = compile_cart(Source(code)).lua.code.split("\n")
    assert "b = 2" in lua[2] and "return a" in lua[5]


def test_sandbox_has_only_the_api(h: Harness) -> None:
    # (load is PICO-8's cart loader here, not Lua's: see test_sandbox.py)
    out = run(h, "for n in all({'io','os','ffi','debug','require','package','loadstring',"
                 "'dofile','string','jit','python','_G','getfenv','setfenv','collectgarbage'}) do "
                 "printh(n..'='..tostr(_ENV[n])) end")
    assert all(line.endswith("=[nil]") for line in out), out


def test_cost_counters(h: Harness) -> None:
    h.run(Source("for i=1,10 do x=i end"))
    with_loop = h.cost
    assert with_loop > 10
    quiet = compile_cart(Source("for i=1,10 do x=i end"), counters=False)
    assert "__p8cost" not in quiet.lua.code.split(";", 1)[1]


@pytest.mark.parametrize("loop", ["while n < 100 do n += 1 end",
                                  "repeat n += 1 until n == 100",
                                  "for i = 1, 100 do n += 1 end"])
def test_loop_cost_counts_every_iteration(h: Harness, loop: str) -> None:
    """100 iterations cost at least 100 units more than the loop's own
    statements alone, and an empty body still counts each iteration."""
    h.run(Source("n = 0 " + loop))
    assert h.cost >= 300
    h2 = Harness()
    h2.run(Source("for i = 1, 100 do end"))
    assert h2.cost >= 100


@pytest.mark.parametrize("code", ["while true do end", "repeat until false", "for i = 1, 2 do end",
                                  "for k in pairs({}) do end", "while x do ::c:: end"])
def test_every_loop_body_starts_with_a_counter(code: str) -> None:
    lua = compile_cart(Source(code)).lua.code
    assert re.search(r"( do| repeat) __p8cost\[0\] = __p8cost\[0\] \+ \d+;", lua), lua


def test_loader_runs_no_cart_code_and_main_returns_final_env() -> None:
    """The emitted chunk's contract (aot/lua_backend.py): the loader takes
    the runtime, _ENV and counter; the main function runs the top level
    with an empty `...` and returns the final _ENV. Run on a bare LuaJIT."""
    from lupa import luajit21

    code = compile_cart(Source("n = select('#', ...) first = ... t = {} _ENV = t y = 2")).lua.code
    lua = luajit21.LuaRuntime(encoding=None)
    check = lua.execute(b"""
        local code = ...
        local env = { select = select }
        local loader = assert(loadstring(code, "=p8cart"))
        setfenv(loader, env)
        local main = loader({}, env, { [0] = 0 })
        local before = env.n
        local final = main()
        return before == nil, env.n, env.first == nil, final ~= env and final.y == 2
    """, code.encode("latin-1"))
    assert tuple(check) == (True, 0, True, True)


def test_builtin_locals_survive_a_foreign_env(h: Harness) -> None:
    """PICO-8 copies most of its API into top-level locals (shrinko8
    pico_process.py builtins_copied_to_locals), so they resolve under any
    _ENV; rnd is not among them (a PICO-8 typo that galton-board-tweet.p8
    works around). shrinko8 test.p8 case 51 notes the same for add."""
    out = run(h, "local saved = _ENV\n"
                 "_ENV = {}\n"
                 "pset(3, 4, 9) poke(0x4300, flr(cos(0) * 7))\n"
                 "local gone = rnd == nil and printh == nil\n"
                 "_ENV = saved\n"
                 "printh(pget(3, 4)) printh(@0x4300) printh(tostr(gone))\n"
                 "do local _ENV = {assert = assert} assert(add ~= nil and sub ~= nil) end")
    assert out == ["9", "7", "true"]


def test_assigning_a_builtin_local_leaves_env_alone(h: Harness) -> None:
    """`function sub()` assigns the cart's hidden local `sub`, not _ENV.sub."""
    out = run(h, 'function sub() return "mine" end printh(sub("abc", 2)) printh(_ENV.sub("abc", 2))\n'
                 'rnd = 5 printh(_ENV.rnd)')
    assert out == ["mine", "bc", "5"]


def test_builtin_locals_are_exactly_pico8s() -> None:
    # shrinko8 pico_process.py lists 58 names; `rnd` is missing, and `t` (time's alias)
    assert len(PICO8_LOCAL_BUILTINS) == 58
    assert "rnd" not in PICO8_LOCAL_BUILTINS and "t" not in PICO8_LOCAL_BUILTINS
    assert {"pset", "cos", "sin", "poke", "add", "tostr", "memcpy"} <= PICO8_LOCAL_BUILTINS


def test_numeric_for_with_fraction_step(h: Harness) -> None:
    out = run(h, "n=0 for i=0,1,0.25 do n+=1 printh(i) end")
    assert out == ["0", "0.25", "0.5", "0.75", "1"]


def test_len_with_hole_follows_pico8(h: Harness) -> None:
    # zepto8 t/tables.p8 'three with hole': PUC Lua (PICO-8) answers 3
    out = run(h, "t={1,2,3} t[2]=nil printh(#t) printh(#'abc')")
    assert out == ["3", "3"]


def _carts() -> list[str]:
    from conftest import CORPUS
    if not CORPUS.is_dir():
        return ["(no corpus)"]
    return [str(p.relative_to(CORPUS)) for p in text_carts(CORPUS)]


@pytest.mark.parametrize("rel", _carts())
def test_corpus_cart_lowers_and_luajit_compiles_it(corpus: Path, rel: str, h: Harness) -> None:
    compiled = compile_cart(cart_source(corpus / rel))
    ok, err = h.lua.execute(b"local code = ... local f, e = loadstring(code, '=p8cart') return f ~= nil, e",
                            compiled.lua.code.encode("latin-1"))
    assert ok, err


def test_closures_are_reused_as_lua_52_reuses_them(h: Harness) -> None:
    # Lua 5.2 (PICO-8) gives a site's last closure again when its upvalues
    # are the same variables (manual 8.1); the back end makes such a
    # closure once per site (Emitter.closure)
    out = run(h, """
local top = 1
function mk() return function(a) return a + top end end
function mk_env() return function() return x end end
function mk_arg(v) return function() return v end end
local fs = {}
for i = 1, 2 do local j = i fs[i] = function() return j end end
a, b = mk(), mk()
printh(tostr(a == b)) printh(a(2) + b(3))
top = 10 printh(a(2))
printh(tostr(mk_env() == mk_env()))
printh(tostr(mk_arg(1) == mk_arg(1))) printh(mk_arg(4)() + mk_arg(5)())
printh(tostr(fs[1] == fs[2])) printh(fs[1]() + fs[2]())
function mk_rec() local function f(n) if n > 0 then return f(n - 1) end return 7 end return f end
printh(tostr(mk_rec() == mk_rec())) printh(mk_rec()(3))
""")
    assert out == ["true", "7", "12", "true", "false", "9", "false", "3", "false", "7"]


def test_a_label_at_the_top_level_keeps_closures_fresh(h: Harness) -> None:
    # a backward goto at the top level makes its locals anew each time:
    # a closure over them is no longer the same
    out = run(h, """
n = 0 fs = {}
::again::
local v = n
function mk() return function() return v end end
n += 1 fs[n] = mk()
if n < 2 then goto again end
printh(tostr(fs[1] == fs[2])) printh(fs[1]() .. fs[2]())
""")
    assert out == ["false", "01"]


def test_functions_taken_out_of_their_enclosing_one_run_as_written(h: Harness) -> None:
    # mk's function uses no local variable: it is loaded as a chunk of its
    # own (Emitter.closure); the hidden builtins, the runtime's helpers, a
    # closure of its own inside and globals defined later all still work
    out = run(h, """
function mk()
  return function(a, b)
    local add = function(n) return a + n end
    return max(add(b), 0.5) .. "/" .. tostr(later) .. "/" .. (a / 3)
  end
end
later = "set after"
printh(mk()(1, 2)) printh(mk()(-2, 1))
printh(tostr(mk() == mk()))
""")
    assert out == ["3/set after/0.3333", "0.5/set after/-0.6666", "true"]


def test_closures_under_a_reassigned_env_see_it(h: Harness) -> None:
    out = run(h, """
local p = printh
function mk() return function() return x end end
_ENV = {x = 5, mk = mk, p = p, tostr = tostr}
p(tostr(mk()()))
""")
    assert out == ["5"]


@pytest.mark.parametrize("code,line", [
    # taken out (no locals): its own chunk, same chunk name and lines
    ("function mk()\n return function()\n  local t = nil\n  return t.x\n end\nend\nmk()()", 4),
    # kept in place (it uses a top-level local)
    ("local k = 1\nfunction mk()\n return function()\n  local t = nil\n  return t[k]\n end\nend\nmk()()", 5),
])
def test_errors_in_reused_closures_name_the_cart_line(h: Harness, code: str, line: int) -> None:
    with pytest.raises(CartRuntimeError, match=rf"t\.p8 tab 0 line {line}\b"):
        run(h, code)
