"""The player's API bindings: the table in aot/api.py, the generated
LuaJIT wrappers and the hand-written Lua functions, checked on exact pixels
and values through real cart code."""
from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("console._engine")
pytest.importorskip("lupa")

from aot import api  # noqa: E402
from console.desktop import bindgen  # noqa: E402
from console.desktop.frameloop import Console, Options  # noqa: E402


@pytest.fixture(autouse=True)
def _private_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """cartdata and printh files go to a temporary folder, never the user's."""
    monkeypatch.setenv("RP8_DATA", str(tmp_path / "rp8-data"))


def run(code: str, frames: int = 1, **opts: object) -> tuple[Console, list[str]]:
    lines: list[str] = []
    con = Console.from_code(code, options=Options(seed=0, printh=lines.append, **opts))  # type: ignore[arg-type]
    for _ in range(frames):
        if con.step() not in ("frame", "skip"):
            break
    assert con.error is None, con.error
    return con, lines


def px(con: Console, x: int, y: int) -> int:
    return con.machine.screen_pixels()[y][x]


def test_table_is_consistent() -> None:
    api.check()
    bindgen.check_formulas()


def test_every_engine_function_has_a_header_signature() -> None:
    sigs = bindgen.c_signatures()
    for fn in bindgen.bound_functions():
        assert fn in sigs, fn
    assert sigs["p8_cls"] == "void (*)(p8_state *, fix32)"


def test_every_api_name_is_a_global() -> None:
    names = sorted(api.by_name())
    code = "\n".join(f'if type({n}) ~= "function" then printh("{n}") end' for n in names)
    _, lines = run(code)
    assert lines == []


def test_generated_wrapper_shape() -> None:
    row = api.by_name()["circfill"]
    lua = bindgen.wrapper_lua(row)
    assert "local argc = (col ~= nil and 4) or (r ~= nil and 3)" in lua
    assert "if r == nil then r = 4" in lua


def test_circfill_default_radius_and_pen() -> None:
    con, _ = run("color(9) circfill(64, 64)")
    # r defaults to 4: (68, 64) is drawn, (69, 64) is not; pen colour 9
    assert px(con, 68, 64) == 9 and px(con, 69, 64) == 0 and px(con, 60, 64) == 9


def test_pset_without_colour_uses_pen() -> None:
    con, _ = run("color(12) pset(3, 4) pset(5, 4, 8)")
    assert px(con, 3, 4) == 12 and px(con, 5, 4) == 8


def test_numeric_strings_are_numbers() -> None:
    con, _ = run('rectfill("2", "3", "4", "5", "11")')
    assert px(con, 2, 3) == 11 and px(con, 4, 5) == 11 and px(con, 5, 5) == 0


def test_multiple_returns() -> None:
    _, lines = run("camera(-3, 7) local a, b = camera() printh(a .. ',' .. b)\n"
                   "local x, y = camera(1, 2) printh(x..','..y)\n"
                   "clip(10, 20, 30, 40) local a, b, c, d = clip() printh(a..','..b..','..c..','..d)\n"
                   "cursor(5, 6, 7) local cx, cy, cc = cursor() printh(cx..','..cy..','..cc)")
    assert lines == ["-3,7", "0,0", "10,20,30,40", "5,6,7"]


def test_fget_forms() -> None:
    _, lines = run("fset(3, 0b101) printh(fget(3)) printh(tostr(fget(3, 2))) printh(tostr(fget(3, 1)))")
    assert lines == ["5", "true", "false"]


def test_pal_table_form() -> None:
    con, _ = run("pal({[1] = 8, [2] = 9}) pset(0, 0, 1) pset(1, 0, 2)")
    assert px(con, 0, 0) == 8 and px(con, 1, 0) == 9


def test_print_returns_right_edge() -> None:
    _, lines = run('printh(print("abc", 10, 20, 7))')
    assert lines == ["22"]          # 3 glyphs of 4 pixels from x = 10


def test_print_frame_wait_flips() -> None:
    """PICO-8 manual, P8SCII control codes: \\^1..\\^9 skip 1, 2, 4, 8 ... frames."""
    con, _ = run('print("a\\^3b") print("done")', frames=6)
    assert con.frame == 4 and con.ended


def test_peek_poke_multiple_values() -> None:
    _, lines = run("poke(0x4300, 1, 2, 3) printh(select('#', peek(0x4300, 3)))\n"
                   "local a, b, c = peek(0x4300, 3) printh(a + b + c)\n"
                   "poke2(0x4400, 0x1234, 0x5678) printh(tostr(%0x4402, true))\n"
                   "poke4(0x4500, 1.5) printh($0x4500) printh(@0x4301)")
    assert lines == ["3", "6", "0x5678.0000", "1.5", "2"]


def test_rnd_is_seeded_and_picks_from_tables() -> None:
    _, a = run("srand(5) printh(rnd(100)) printh(rnd({7, 7, 7}))")
    _, b = run("srand(5) printh(rnd(100)) printh(rnd({7, 7, 7}))")
    assert a == b and a[1] == "7" and 0 <= float(a[0]) < 100


def test_strings_and_tables() -> None:
    _, lines = run('local t = split("1,a,3") printh(t[1] + t[3]) printh(t[2])\n'
                   'printh(sub("hello", 2, 3)) printh(chr(104, 105)) printh(ord("A"))\n'
                   "local q = {1, 2, 3} add(q, 9, 2) del(q, 3) printh(#q .. ' ' .. q[2] .. ' ' .. deli(q))\n"
                   "printh(count({1, 2, 1}, 1)) printh(tostring(nil)) printh(tostr(nil))\n"
                   "for k in pairs(nil) do printh('no') end")
    assert lines == ["4", "a", "el", "hi", "65", "3 9 2", "2", "nil", "[nil]"]


def test_glyph_globals() -> None:
    _, lines = run("printh(⬅️ .. ➡️ .. ⬆️ .. ⬇️ .. 🅾️ .. ❎) printh(░) printh(▒)")
    assert lines == ["012345", "32125.5", "23130.5"]


def test_coroutines_and_yield() -> None:
    _, lines = run("co = cocreate(function(a) local b = yield(a + 1) printh(b) end)\n"
                   "printh(tostr(coresume(co, 1))) local ok, v = coresume(co, 'x')\n"
                   "printh(costatus(co))")
    assert lines == ["true", "x", "dead"]


def test_flip_inside_a_coroutine_reaches_the_host() -> None:
    con, lines = run("co = cocreate(function() for i = 1, 3 do flip() printh(i) end end)\n"
                     "while costatus(co) ~= 'dead' do coresume(co) end printh('end')", frames=10)
    assert lines == ["1", "2", "3", "end"] and con.frame == 3


def test_stat_values() -> None:
    _, lines = run("printh(stat(6)) printh(stat(8)) printh(tostr(stat(0) > 0)) printh(stat(80))",
                   param="hello", fixed_clock=True)
    assert lines == ["hello", "30", "true", "2000"]


def test_cartdata_persists(tmp_path: Path) -> None:
    code = "printh(tostr(cartdata('rp8_test'))) printh(dget(3)) dset(3, dget(3) + 1.5)"
    _, first = run(code, data_dir=tmp_path)
    _, second = run(code, data_dir=tmp_path)
    assert first == ["false", "0"] and second == ["true", "1.5"]
    saved = (tmp_path / "cdata" / "rp8_test.p8d.txt").read_text().split()
    # the second run stored 1.5 + 1.5 = 3 (fix32 0x00030000) in slot 3
    assert saved[0] == "0" * 24 + "00030000" + "0" * 32


def test_printh_to_file(tmp_path: Path) -> None:
    run('printh("one", "log") printh("two", "log") printh("new", "fresh", true)', printh_dir=tmp_path)
    assert (tmp_path / "log.txt").read_text() == "one\ntwo\n"
    assert (tmp_path / "fresh.txt").read_text() == "new\n"


def test_printh_file_name_must_be_plain(tmp_path: Path) -> None:
    con = Console.from_code('printh("x", "../evil")', options=Options(seed=0, printh_dir=tmp_path))
    con.step()
    assert con.error is not None and "plain name" in con.error.message


def test_menuitem_and_callback() -> None:
    con, _ = run("menuitem(1, 'restart', function(b) hit = b return true end)\n"
                 "menuitem(3, 'other') function _draw() end")
    assert con.menu_items() == [(1, "restart"), (3, "other")]
    assert con.menu_call(1, 32) is True
    assert con.lua.env[b"hit"] == 32


def test_load_and_run_with_param(tmp_path: Path) -> None:
    second = tmp_path / "second.p8"
    second.write_text("pico-8 cartridge // http://www.pico-8.com\nversion 42\n__lua__\n"
                      "printh('second '..stat(6)..' '..tostr(stat(100)))\n")
    first = tmp_path / "first.p8"
    first.write_text("pico-8 cartridge // http://www.pico-8.com\nversion 42\n__lua__\n"
                     "if stat(6) == '' then run('again') end\n"
                     "printh('first '..stat(6)) load('second', 'back', 'p')\n")
    lines: list[str] = []
    con = Console.from_path(first, Options(seed=0, printh=lines.append))
    for _ in range(3):
        con.step()
    assert lines == ["first again", "second p back"]


def test_stop_and_reset() -> None:
    con = Console.from_code("camera(5, 5) reset() printh(camera()) stop('bye') printh('no')",
                            options=Options(seed=0, printh=lambda s: None))
    assert con.step() == "stopped" and con.stop_message == "bye"


def test_unsupported_is_an_error() -> None:
    con = Console.from_code("serial(0x804, 0, 1)", options=Options(seed=0))
    con.step()
    assert con.error is not None and "not supported yet: serial()" in con.error.message


def test_cpu_counts_api_ticks() -> None:
    """cls() costs 1024 ticks (pico-8.fandom.com/wiki/CPU); at 30 fps a frame
    has 2^22 / 30 ticks, so ten cls() use at least 10240 / 139810 (0.07324)
    of it (written so: 139810 itself is past PICO-8's largest number)."""
    _, lines = run("for i = 1, 10 do cls() end printh(tostr(stat(2) >= 0.07324))\n"
                   "printh(tostr(stat(1) >= stat(2)))")
    assert lines == ["true", "true"]
