"""The Lua back end: emitted code runs in LuaJIT with PICO-8 semantics."""
from __future__ import annotations

from pathlib import Path

import pytest

from aot.harness import CartRuntimeError, Harness, compile_cart
from aot.source import Source
from aot_corpus import cart_source, text_carts

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


def test_emitted_lines_match_cart_lines() -> None:
    code = "a=1\n\nb=2\nfunction f()\n\n  return a\nend\n"
    lua = compile_cart(Source(code)).lua.code.split("\n")
    assert "b = 2" in lua[2] and "return a" in lua[5]


def test_sandbox_has_only_the_api(h: Harness) -> None:
    out = run(h, "for n in all({'io','os','ffi','debug','require','package','load','loadstring',"
                 "'dofile','string','jit','python','_G','getfenv','setfenv','collectgarbage'}) do "
                 "printh(n..'='..tostr(_ENV[n])) end")
    assert all(line.endswith("=[nil]") for line in out), out


def test_cost_counters(h: Harness) -> None:
    h.run(Source("for i=1,10 do x=i end"))
    with_loop = h.cost
    assert with_loop > 10
    quiet = compile_cart(Source("for i=1,10 do x=i end"), counters=False)
    assert "__p8cost" not in quiet.lua.code.split(";", 1)[1]


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
