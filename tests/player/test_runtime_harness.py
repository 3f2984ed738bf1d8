"""The headless harness (console/desktop/harness.py, also reached as
console.desktop.harness) is the player's runtime without a frame loop: one API, one
sandbox, one set of numbers for the suites, the AOT reference and the
player."""
from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("console._engine")
pytest.importorskip("lupa")

from console.desktop.harness import CartRuntimeError, Harness  # noqa: E402
from aot.source import Source  # noqa: E402
from console.desktop import lua_env  # noqa: E402
from console.desktop.lua_env import LuaConsole  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]


def test_one_runtime() -> None:
    assert not (ROOT / "aot" / "harness_api.lua").exists()
    h = Harness()
    assert isinstance(h.console, LuaConsole)
    assert h.env[b"circfill"] is not None and h.env[b"menuitem"] is not None


def test_runtime_file_is_loaded_as_written() -> None:
    """No text patching on load: aot/lua_runtime.lua itself runs without
    string methods, as the sandbox leaves strings."""
    from lupa import luajit21

    from aot.lua_backend import runtime_source

    text = (ROOT / "aot" / "lua_runtime.lua").read_text(encoding="utf-8")
    assert runtime_source() == text
    lua = luajit21.LuaRuntime(encoding=None)
    got = lua.execute(b"""
        local make = loadstring(...)()
        getmetatable("").__index = nil          -- what the sandbox does
        -- numbers become text through the engine (fix.tostr): a stand-in here
        local fix = { tostr = function(raw, flags) return "<" .. raw .. "," .. flags .. ">" end }
        local rt = make(require("bit"), fix)
        return rt.tostr(1 / 4), rt.tostr(-2.5, true), rt.cat("x", 1), rt.tostr(nil), rt.cat(rt.tostr(false), "y")
    """, text.encode())
    assert tuple(got) == (b"<16384,0>", b"<-163840,1>", b"x<65536,0>", b"[nil]", b"falsey")


def test_print_draws_records_and_returns_the_cursor_x() -> None:
    h = Harness()
    h.run(Source('printh(print("ab", 0, 0)) ?"hi"\nprint() print(nil)', "p.p8"))
    assert h.output == ["ab", "8", "hi", "", "[nil]"]
    assert h.machine.ram[0x6000] != 0          # "a" drew pixels in the top row
    quiet = Harness(record_print=False)
    quiet.run(Source('print("x") printh("y")', "p.p8"))
    assert quiet.output == ["y"]


def test_flip_ends_frames_and_time_follows() -> None:
    h = Harness()
    h.run(Source("for i = 1, 3 do flip() end printh(time())", "f.p8"))
    assert h.output == ["0.1"]                 # three frames of 1/30 s


def test_stop_ends_the_run_quietly() -> None:
    h = Harness()
    h.run(Source('printh("a") stop() printh("b")', "s.p8"))
    assert h.output == ["a"]


def test_errors_name_the_cart_line_and_call_reaches_functions() -> None:
    h = Harness()
    compiled = h.run(Source("function main()\n  printh(1)\n  return nil .. 1\nend\n", "m.p8"))
    with pytest.raises(CartRuntimeError) as info:
        h.call("main", compiled)
    assert str(info.value) == "runtime error: m.p8 tab 0 line 3: attempt to concatenate a nil value"
    assert h.output == ["1"]


def test_chunks_share_one_environment() -> None:
    h = Harness()
    h.run(Source("x = 40", "a.p8"))
    h.define("two", "2")
    h.run(Source("printh(x + two)", "b.p8"))
    assert h.output == ["42"]


@pytest.mark.parametrize("code,message", [
    ('error("boom", 0)', "boom"),                            # level 0: no position
    ('error("boom")', "e.p8 tab 0 line 2: boom"),
    ("local t = nil\nt.x = 1", "e.p8 tab 0 line 3: attempt to index local 't' (a nil value)"),
])
def test_error_messages_keep_lua_levels(code: str, message: str) -> None:
    h = Harness()
    with pytest.raises(CartRuntimeError) as info:
        h.run(Source("x = 1\n" + code, "e.p8"))
    assert str(info.value) == "runtime error: " + message
