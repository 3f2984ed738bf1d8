"""The compiled cart's frame loop (aot/runner/rp8_runner.cpp), coroutines
(rt_co.cpp) and system builtins (rt_host.cpp), loaded as a shared library
(platform/host) and held frame by frame to the desktop interpreter.

Each program runs in both; screens, frame kinds and printh output must
match at every frame. Where a test states exact numbers, they are
PICO-8's (the manual's btnp() repeat: first after 15 frames, then every 4).
"""
from __future__ import annotations

from pathlib import Path

import pytest

from support.aot_frames import compare, need_gxx
from support.aot_programs import COROUTINES
from console.desktop.buttons import InputScript

pytest.importorskip("console._engine")


def consoles(code: str, tmp_path: Path, seed: int = 0, param: str = "",
             stat0_pin: float | None = None):
    need_gxx()
    from console.desktop.aot_player import AotConsole
    from console.desktop.frameloop import Console, Options

    def opts() -> Options:
        return Options(seed=seed, param=param, fixed_clock=True, printh=lambda s: None,
                       data_dir=tmp_path, printh_dir=tmp_path / "printh", stat0_pin=stat0_pin)
    return AotConsole.from_code(code, options=opts()), Console.from_code(code, options=opts())


def same(code: str, tmp_path: Path, frames: int = 30, script: InputScript | None = None,
         status: str = "frame"):
    aot, lua = consoles(code, tmp_path)
    diff = compare(aot, lua, frames, script)
    assert diff.mismatch is None, diff.mismatch
    assert diff.over_budget is None, f"the interpreter went over budget at frame {diff.over_budget}"
    assert diff.status == status
    return aot, lua


BUTTONS = InputScript.parse("0 -\n2 R\n30 RX\n33 -\n40 L O\n45 -\n")


def test_update_draw_buttons_and_time(tmp_path: Path) -> None:
    code = """
x, y, n = 64, 64, 0
function _init() printh("init") end
function _update()
  if btn(0) then x -= 1 end
  if btn(1) then x += 1 end
  if btnp(5) then y -= 8 end
  if btn(4, 1) then y += 1 end
  n += 1
end
function _draw()
  cls(1)
  circfill(x, y, 4, 8)
  print(t(), 2, 2, 7) print(time() * 30, 2, 10, 6) print(btn(), 2, 18, 5) print(btnp(), 40, 18, 5)
  print(n .. " " .. stat(0) \\ 1024, 2, 120, 12)
end
"""
    aot, lua = same(code, tmp_path, 50, BUTTONS)
    assert aot.printh_lines == ["init"]


def test_callbacks_replaced_while_running(tmp_path: Path) -> None:
    """The runner finds _update, _update60 and _draw once a boot and reads
    them every frame: a cart that replaces them (or removes one, or turns to
    _update60) runs as in the interpreter."""
    code = """
n = 0
function upd_a() n += 1 if n == 5 then _update = upd_b end end
function upd_b() n += 10 if n > 40 then _update = nil _update60 = upd_c end end
function upd_c() n += 100 if n > 900 then _draw = draw_b end if n > 2000 then _draw = nil end end
function draw_b() cls(2) print("b" .. n, 0, 0, 7) end
_update = upd_a
function _draw() cls() print(n .. " " .. stat(7), 0, 0, 7) end
"""
    aot, lua = same(code, tmp_path, 40)
    assert aot.fps() == 60


def test_stat0_pin_holds_in_both_consoles(tmp_path: Path) -> None:
    # The heaps differ by design (LuaJIT's objects, the compiled arena), so
    # stat(0) differs; pinned (as rp8 compat --aot pins it), both answer the
    # pin while the cart allocates, and without a pin both count what it holds.
    code = """
t = {}
function _update()
  for i = 1, 200 do add(t, {i}) end
  printh(stat(0))
end
function _draw() end
"""
    aot, lua = consoles(code, tmp_path, stat0_pin=123.5)
    diff = compare(aot, lua, 5, None)
    assert diff.mismatch is None, diff.mismatch
    assert aot.printh_lines == lua.printh_lines == ["123.5"] * 5
    aot.close()
    aot, lua = consoles(code, tmp_path)
    for console in (aot, lua):
        for _ in range(5):
            assert console.step([0] * 8) == "frame"
        kib = [float(x) for x in console.printh_lines]
        assert len(kib) == 5 and kib[0] > 0 and kib[4] > kib[0] + 5, kib
    aot.close()


def test_btnp_repeat_follows_pico8(tmp_path: Path) -> None:
    # held from frame 0: btnp fires on frame 0, then after 15 frames, every 4
    code = "function _update() if btnp(2) then printh(f) end f += 1 end f = 0 function _draw() end"
    aot, lua = same(code, tmp_path, 30, InputScript.parse("0 U\n"))
    assert aot.printh_lines == ["0", "15", "19", "23", "27"]


def test_btnp_repeat_registers_and_update60(tmp_path: Path) -> None:
    code = """
poke(0x5f5c, 3) poke(0x5f5d, 2) f = 0
function _update60() if btnp(3) then printh(f .. " " .. t()) end f += 1 end
function _draw() cls() print(f, 0, 0, 7) end
"""
    same(code, tmp_path, 40, InputScript.parse("0 D\n20 -\n25 D\n"))


def test_holdframe_skips_pictures(tmp_path: Path) -> None:
    code = "f = 0 function _update() f += 1 end function _draw() cls(f % 16) if f % 3 == 0 then holdframe() end end"
    aot, lua = same(code, tmp_path, 12)


def test_own_loop_with_flip_and_flip_inside_a_coroutine(tmp_path: Path) -> None:
    code = """
local co = cocreate(function()
  for i = 1, 5 do cls(i) print("co " .. i, 10, 10, 7) flip() end
  return "done"
end)
repeat local ok, r = coresume(co) printh(tostr(ok) .. " " .. tostr(r)) until costatus(co) == "dead"
for f = 1, 10 do cls(2) circ(64, 64, f * 4, 7) flip() end
printh("end")
"""
    aot, lua = same(code, tmp_path, 30, status="ended")
    assert aot.printh_lines == ["true done", "end"]


def test_coroutines_pass_values_both_ways(tmp_path: Path) -> None:
    code = COROUTINES
    aot, lua = same(code, tmp_path, 3, status="ended")
    assert aot.printh_lines == [
        "suspended", "start xy", "true", "true 2 4", "true 3 9", "true sum 60",
        "false cannot resume dead coroutine [nil]", "dead", "false cannot resume dead coroutine",
        "false string", "outer normal", "inner suspended", "self running", "bottom", "60",
        "many ok", "true"]


def test_yield_outside_a_coroutine_is_an_error(tmp_path: Path) -> None:
    aot, lua = consoles("function _update() yield() end function _draw() end", tmp_path)
    assert aot.step() == lua.step() == "error"
    assert aot.error.message.endswith("attempt to yield from outside a coroutine")
    assert "test.p8 tab 0 line 1" in aot.error.message


def test_stop_run_and_errors(tmp_path: Path) -> None:
    aot, lua = same("n = 0 function _update() n += 1 if n == 5 then stop('bye') end end "
                    "function _draw() cls(n) end", tmp_path, 10, status="stopped")
    assert aot.stop_message == lua.stop_message == "bye"
    aot, lua = same("printh('boot ' .. stat(6)) n = 0 function _update() n += 1 if n == 3 then run('again') end "
                    "end function _draw() cls(n) end", tmp_path, 8)
    assert aot.printh_lines == ["boot ", "boot again", "boot again"]   # run() every 3 frames
    aot, lua = same("function _update() local t t.x = 1 end", tmp_path, 3, status="error")
    assert aot.error.message == "test.p8 tab 0 line 1: attempt to index local 't' (a nil value)"


def test_a_cart_without_callbacks_ends(tmp_path: Path) -> None:
    aot, lua = same("cls(3) print('hi') printh(btn())", tmp_path, 3, status="ended")
    assert aot.printh_lines == ["0"]


def test_cartdata_persists(tmp_path: Path) -> None:
    code = "printh(tostr(cartdata('rp8_aot_test'))) printh(dget(3)) dset(3, dget(3) + 1.5) " \
           "function _update() end function _draw() end"
    aot, lua = consoles(code, tmp_path)
    aot.step()
    assert aot.printh_lines == ["false", "0"]
    saved = tmp_path / "cdata" / "rp8_aot_test.p8d.txt"
    assert saved.is_file()
    aot2, _ = consoles(code, tmp_path)
    aot2.step()
    assert aot2.printh_lines == ["true", "1.5"]


def test_stat_and_glyph_globals(tmp_path: Path) -> None:
    code = """
function _draw()
  cls()
  print(stat(5) .. " " .. stat(6) .. " " .. stat(7) .. " " .. stat(8), 0, 0, 7)
  print(stat(80) .. "-" .. stat(81) .. "-" .. stat(82) .. " " .. stat(85), 0, 8, 7)
  print(tostr(stat(30)) .. stat(31) .. stat(32), 0, 16, 7)
  print(⬅️ .. ➡️ .. ⬆️ .. ⬇️ .. 🅾️ .. ❎, 0, 24, 7)
  fillp(▒) rectfill(0, 32, 63, 63, 0x1c) fillp(█) rectfill(64, 32, 127, 63, 9)
  print(stat(16) .. stat(20) .. stat(46), 0, 70, 7)
end
"""
    same(code, tmp_path, 40)


def test_drawing_api_from_the_table(tmp_path: Path) -> None:
    code = """
function _draw()
  cls(1)
  camera(-2, -3) local cx, cy = camera(0, 0) print(cx .. "," .. cy, 0, 0, 7)
  clip(10, 10, 100, 100) local a, b, c, d = clip() print(a .. b .. c .. d, 0, 8, 7)
  local x, y, col = cursor(5, 50, 9) print(x .. y .. col) print("at cursor")
  color(12) line(0, 20, 127, 40) rect(5, 60, 50, 90) rectfill(60, 60, 90, 90, 3)
  circ(100, 100, 10) circfill(20, 110, 6, 14) oval(60, 100, 90, 120, 10) ovalfill(95, 10, 120, 25, 11)
  pal(3, 8) rectfill(60, 92, 70, 98, 3) pal() palt(0, false) spr(1, 0, 0) sspr(0, 0, 8, 8, 30, 30, 16, 16, true)
  pset(64, 64, 7) print(pget(64, 64), 64, 66, 7) sset(0, 0, 5) print(sget(0, 0), 70, 66)
  mset(1, 1, 2) print(mget(1, 1), 80, 66) map(0, 0, 0, 0, 4, 4) fset(2, 1, true) print(fget(2), 90, 66)
  print(tostr(fget(2, 1)), 100, 66) tline(0, 126, 127, 126, 0, 0) pal({[1] = 2, [2] = 3})
  print(sqrt(2) .. " " .. sin(0.1) .. " " .. atan2(1, 1), 0, 100, 7)
end
"""
    same(code, tmp_path, 3)


def test_frame_that_never_ends_is_stopped(tmp_path: Path) -> None:
    need_gxx()
    from console.desktop.aot_player import AotConsole
    from console.desktop.frameloop import Options

    con = AotConsole.from_code("function _draw() while true do end end",
                               options=Options(seed=0, frame_timeout=0.3))
    assert con.step() == "error"
    assert "without finishing a frame" in con.error.message


def test_busy_cart_without_flip_still_presents(tmp_path: Path) -> None:
    """A top-level loop that never calls flip: its frame is up when its time
    is, and the screen as it stands is shown (PICO-8 manual, flip())."""
    need_gxx()
    from console.desktop.aot_player import AotConsole
    from console.desktop.frameloop import Options

    con = AotConsole.from_code("c = 0 while true do c += 1 rectfill(0, 0, 127, 127, c \\ 1000 % 16) end",
                               options=Options(seed=0))
    assert [con.step() for _ in range(3)] == ["frame"] * 3


def test_two_compiled_carts_in_one_process_stay_apart(tmp_path: Path) -> None:
    need_gxx()
    from console.desktop.aot_player import AotConsole

    a = AotConsole.from_code("function _draw() cls(8) end")
    b = AotConsole.from_code("function _draw() cls(12) end")
    a.step()
    b.step()
    assert set(a.indices()) == {8} and set(b.indices()) == {12}


def test_coroutines_under_sanitizers_and_gc_stress(tmp_path: Path) -> None:
    """The coroutine program above as a plain compiled program (host_main),
    built with ASan+UBSan and a collection at every allocation: switching
    stacks, marking suspended coroutines and giving slots back stay clean."""
    from console.aot_build import build_executable, compile_source, run_executable
    from aot.source import Source
    from support.aot_cpp import sanitizer_toolchain

    tc = sanitizer_toolchain(tmp_path)
    src = Source("""
local function gen(n)
  return cocreate(function(a)
    local keep = {}
    for i = 1, n do keep[i] = {v = a .. i} local got = yield(keep[i].v) a = got or a end
    return #keep
  end)
end
local cs = {}
for k = 1, 6 do cs[k] = gen(k + 2) end
for round = 1, 10 do
  for k = 1, 6 do
    local ok, v = coresume(cs[k], "r" .. round)
    if round == 10 or k == 1 then printh(tostr(ok) .. " " .. tostr(v) .. " " .. costatus(cs[k])) end
  end
end
for i = 1, 100 do local c = cocreate(function() yield({i}) end) coresume(c) end
printh("ok")
""", "co.p8")
    exe = build_executable(compile_source(src), tmp_path / "co", tc)
    res = run_executable(exe, env={"ASAN_OPTIONS": "detect_leaks=0:exitcode=86"})
    assert res.returncode == 0, res.stderr[-3000:]
    _, lua = consoles(src.text, tmp_path)
    assert lua.step() == "ended"
    assert res.stdout.splitlines() == lua.printh_lines
    assert lua.printh_lines[-1] == "ok" and len(lua.printh_lines) > 10


def test_print_frame_waits_flip_frames(tmp_path: Path) -> None:
    # "\^3" waits 3 frames mid-string, "\^d2" 2 frames after each character
    code = r"""
cls(1) print("ab\^3cd", 10, 10, 7) print("\^d2xyz", 10, 20, 8)
function _update() end
function _draw() print("done", 10, 30, 9) end
"""
    aot, lua = same(code, tmp_path, 16)


def test_rp8_run_aot_headless_matches_the_interpreter(tmp_path: Path) -> None:
    need_gxx()
    from console.cli import main

    cart = Path(__file__).resolve().parents[2] / "carts" / "hello.p8"
    assert main(["run", str(cart), "--aot", "--headless", "--frames", "12", "--out", str(tmp_path / "a")]) == 0
    assert main(["run", str(cart), "--headless", "--frames", "12", "--out", str(tmp_path / "b")]) == 0
    hashes = (tmp_path / "a" / "hashes.txt").read_text()
    assert len(hashes.splitlines()) == 12
    assert hashes == (tmp_path / "b" / "hashes.txt").read_text()
