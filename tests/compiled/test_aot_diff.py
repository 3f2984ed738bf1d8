"""Differential tests of the C++ back end: each program runs in the desktop
interpreter (the Lua back end on LuaJIT) and compiled to C++; both must
print the same lines and fail at the same cart line.

Every program (tests/support/aot_programs.py) prints what it computes, so a wrong value anywhere
shows as a differing line. Where a comment gives an expected value, it is
PICO-8's (from the manual or the suite named)."""
from __future__ import annotations

from pathlib import Path

import pytest

from aot.source import Source
from support.aot_cpp import assert_same, need_gxx, run_cpp
from support.aot_programs import PROGRAMS, SHOW

pytest.importorskip("console._engine")


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    need_gxx()
    return tmp_path_factory.mktemp("aot")


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_program(name: str, work: Path) -> None:
    assert_same(Source(SHOW + PROGRAMS[name], f"{name}.p8"), work)


def test_memory_operators(work: Path) -> None:
    # @ % $ read 1, 2 and 4 bytes little endian (PICO-8 manual, "Memory");
    # the interpreter cannot run these yet (see the report), so values are fixed
    src = Source("poke(0x4300, 1, 2, 3) printh(@0x4301) printh(%0x4300) printh($0x4300) "
                 "local a = 0x4300 printh(@(a + 2)) printh(@'17152')", "m.p8")
    got, _ = run_cpp(src, work)
    assert got.lines == ["2", "513", "3.0078", "3", "1"]
    assert got.error is None


def test_length_follows_lua_52_array_sizing(work: Path) -> None:
    """`#` on a table with holes is a border found in the array part, whose
    size comes from the constructor and Lua 5.2's rehash (PICO-8 runs Lua
    5.2). Worked by hand from that algorithm: {1,2,3,nil,5} has an array of
    5, so # is 5; setting [6] rehashes to an array of 8 (5 integer keys of
    1..8 is more than half), where the binary search finds 3."""
    src = Source("local t = {1, 2, 3, nil, 5} printh(#t) t[6] = 6 printh(#t) "
                 "local u = {1, nil, 3} printh(#u) local v = {nil, nil, 3} printh(#v) "
                 "local w = {} w[1] = 1 w[2] = 2 w[4] = 4 printh(#w)", "len.p8")
    got, _ = run_cpp(src, work)
    assert got.lines == ["5", "3", "3", "3", "4"]


def test_runtime_errors_name_tab_line_and_variable(work: Path) -> None:
    got, _ = run_cpp(Source("printh(1)\n-->8\nlocal t\nprinth(t.x)\n", "e.p8"), work)
    assert got.lines == ["1"]
    assert got.error == "runtime error: e.p8 tab 1 line 2: attempt to index local 't' (a nil value)"
    got, _ = run_cpp(Source("x = {}\nx.y.z = 1\n", "e.p8"), work)
    assert got.error == "runtime error: e.p8 tab 0 line 2: attempt to index field 'y' (a nil value)"
    got, _ = run_cpp(Source("local o = {}\no:go()\n", "e.p8"), work)
    assert got.error == "runtime error: e.p8 tab 0 line 2: attempt to call method 'go' (a nil value)"


def test_out_of_memory_is_an_error_not_a_crash(work: Path) -> None:
    src = Source("local t = {} for i = 1, 32000 do t[i] = {i} end printh('no')\n", "oom.p8")
    from console.aot_build import build_executable, compile_source, run_executable
    exe = build_executable(compile_source(src), work / "oom", defines=("RP8_ARENA_SIZE=65536",))
    res = run_executable(exe)
    assert res.returncode == 1
    assert res.stdout == ""
    assert res.stderr.strip() == "runtime error: oom.p8 tab 0 line 1: out of memory"


def test_collector_keeps_memory_flat(work: Path) -> None:
    """1000 frames' worth of garbage in a 64 KiB arena: only collection
    makes this fit. stat(0) is reported in KiB, as PICO-8 does."""
    src = Source("""
for f = 1, 1000 do
  local objs = {}
  for i = 1, 20 do objs[i] = {x = i, y = f, name = "o" .. i} objs[i].me = objs[i] end
end
printh(stat(0) < 64)
""", "gc.p8")
    from console.aot_build import build_executable, compile_source, run_executable
    exe = build_executable(compile_source(src), work / "gc", defines=("RP8_ARENA_SIZE=65536",))
    res = run_executable(exe)
    assert (res.returncode, res.stdout, res.stderr) == (0, "true\n", "")


def test_api_functions_without_an_engine_function_are_compile_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    """A PICO-8 API name the runtime has no builtin for is a compile error
    naming the cart line, never a call that does nothing."""
    from aot import cpp_runtime
    from console.aot_build import compile_source
    from aot.source import CartSyntaxError
    table = [(n, f) for n, f in cpp_runtime.runtime_builtin_table() if n != "cls"]
    monkeypatch.setattr(cpp_runtime, "runtime_builtin_table", lambda: table)
    with pytest.raises(CartSyntaxError) as err:
        compile_source(Source("function _draw()\n  cls()\nend\n", "g.p8"))
    assert "g.p8 tab 0 line 2" in str(err.value) and "not supported yet: cls()" in str(err.value)


def test_every_api_function_has_a_builtin() -> None:
    from aot.cpp_runtime import pico8_api_names, runtime_builtins
    from aot.cpp_api import engine_declared
    from aot.api import by_name
    rows = by_name()
    missing = sorted(n for n in pico8_api_names() - set(runtime_builtins())
                     if rows[n].c is None or rows[n].c in engine_declared())
    assert missing == []


def test_generated_code_names_cart_lines() -> None:
    from console.aot_build import compile_source
    cart = compile_source(Source("local a = 1\n-->8\nprinth(a + 2)\n", "c.p8"))
    assert "/* c.p8 tab 1 line 1: printh(a + 2) */" in cart.code
    assert "p8_fixi_add(n_a_" in cart.code        # `a` is proven numeric: an unboxed fix32


def test_rp8_aot_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    need_gxx()
    from console.cli import main
    cart = tmp_path / "hello.p8"
    cart.write_text("pico-8 cartridge // http://www.pico-8.com\nversion 41\n__lua__\n"
                    "function greet(n) return 'hi ' .. n end\nprinth(greet('aot'))\n-->8\nlocal t\nprinth(t.x)\n")
    assert main(["aot", str(cart), "-o", str(tmp_path / "out")]) == 0
    assert (tmp_path / "out" / "cart.cpp").is_file() and (tmp_path / "out" / "cart.h").is_file()
    assert (tmp_path / "out" / "cart_rom.cpp").read_text().count(",") >= 0x4300
    capsys.readouterr()
    assert main(["aot", str(cart), "-o", str(tmp_path / "out"), "--run"]) == 2
    out, errtext = capsys.readouterr()
    assert out.splitlines()[-1] == "hi aot"
    assert errtext.strip() == "rp8: runtime error: hello.p8 tab 1 line 2: attempt to index local 't' (a nil value)"
