"""The CPU model of compiled carts (aot/costs.py, aot/runtime/rt_cpu.h):
the same model as the interpreter's, bit for bit.

- The C++ back end counts the same units at the same places as the Lua
  back end (checked statically on every cart).
- Every API call charges the same system ticks (one call per frame, the
  counts compared after each frame by tests/support/aot_frames.py).
- stat(1) and stat(2) give the interpreter's numbers, frames cut over
  budget and skipped draws come at the same frames.
- A runaway compiled cart is stopped like an interpreted one: by the
  headless unit and time limits, by the window (on_slice) and by abort(),
  with the interpreter's message naming the cart; the program stays up.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from support.aot_frames import compare, cpu_counts, need_gxx
from conftest import CORPUS

pytest.importorskip("console._engine")
pytest.importorskip("lupa")

ROOT = Path(__file__).resolve().parents[2]
CARTS = sorted((ROOT / "carts").glob("*.p8")) + (
    sorted((CORPUS / "carts").glob("*.p8*")) if (CORPUS / "carts").is_dir() else [])


def consoles(code: str, tmp_path: Path, **opts: object):
    need_gxx()
    from console.desktop.aot_player import AotConsole
    from console.desktop.frameloop import Console, Options

    def make(side: str) -> Options:
        return Options(seed=0, fixed_clock=True, printh=lambda s: None, data_dir=tmp_path / side,
                       printh_dir=tmp_path / side / "printh", **opts)  # type: ignore[arg-type]
    return AotConsole.from_code(code, options=make("aot")), Console.from_code(code, options=make("lua"))


def run_both(code: str, tmp_path: Path, frames: int, **opts: object):
    aot, lua = consoles(code, tmp_path, **opts)
    diff = compare(aot, lua, frames)
    return aot, lua, diff


# ------------------------------------------------------------ the same counts in both back ends

@pytest.mark.parametrize("cart", CARTS, ids=[p.name for p in CARTS])
def test_cpp_counts_what_lua_counts(cart: Path) -> None:
    """Every count the Lua back end emits, the C++ back end emits too (the
    functions come out in a different order, so compare as multisets)."""
    from console.aot_build import compile_source as cpp_compile
    from aot.source import Source
    from console.cart import load_cart
    from console.desktop.lua_env import compile_source as lua_compile

    c = load_cart(cart)
    source = Source(c.code, cart.name, form="bytes")
    lua = lua_compile(source).lua.code
    cpp = cpp_compile(source).code
    lua_counts = sorted(int(n) for n in re.findall(r"__p8cost\[0\] = __p8cost\[0\] \+ (\d+);", lua))
    cpp_counts = sorted(int(n) for n in re.findall(r"RP8_COST\(L, (\d+)\);", cpp))
    assert lua_counts, "the Lua back end emitted no counts"
    assert cpp_counts == lua_counts


# ------------------------------------------------------------ stat(1), stat(2), frames

def test_stat_1_and_2_exact(tmp_path: Path) -> None:
    """stat(1) = (units / 2 + system ticks) / (2^22 / fps), rounded down to
    1/65536; stat(2) counts the system ticks alone. In frame 1, _update is
    empty (no units) and _draw counts 19 units where it starts (aot/costs.py:
    cls() 3, each printh line 8); cls() costs 1024 ticks, stat 16."""
    code = """
function _update() end
function _draw() cls() printh(stat(1) << 16) printh(stat(2) << 16) end
"""
    from aot import costs
    from aot.parser import Parser
    from aot.source import Source

    chunk = Parser(Source(code, "t.p8", form="unicode")).chunk()
    draw = chunk.body.body[1].values[0].body.body        # type: ignore[attr-defined]
    assert costs.block_entry(draw) == 19
    aot, lua, diff = run_both(code, tmp_path, 2)
    assert diff.mismatch is None, diff.mismatch
    half = 19 + 2 * (1024 + 16)              # the frame's cost at stat(1), in half ticks
    assert half * 30 // 128 == 491
    assert (1024 + 16 + 16) * 30 // 64 == 495
    assert aot.printh_lines[2:] == lua.printh_lines[2:] == ["491", "495"]


def test_stat_1_at_60_fps(tmp_path: Path) -> None:
    """Under _update60 the budget is half: the same work reads twice as much."""
    code = """
function _update60() end
function _draw() cls() printh(stat(1) << 16) end
"""
    aot, lua, diff = run_both(code, tmp_path, 2)
    assert diff.mismatch is None, diff.mismatch
    half = 11 + 2 * (1024 + 16)
    assert aot.printh_lines[1:] == lua.printh_lines[1:] == [str(half * 60 // 128)]


def test_over_budget_frames_are_cut_and_draws_skipped(tmp_path: Path) -> None:
    """A heavy _update ends its frame where the budget runs out (the frame
    is shown as drawn so far) and the next _draw is skipped: both consoles
    give the same frame kinds, screens and counts, and those kinds are not
    all plain frames."""
    code = """
n = 0
function _update()
  n += 1
  for i = 1, 12000 + (n % 3) * 20000 do circfill(i % 128, n % 128, 3, i % 16) end
end
function _draw() rectfill(0, 0, 20, 6, 0) print(n, 1, 1, 7) printh(n .. " " .. stat(1)) end
"""
    aot, lua, diff = run_both(code, tmp_path, 40)
    assert diff.mismatch is None, diff.mismatch
    assert diff.over_budget is not None
    kinds = []
    aot2, lua2 = consoles(code, tmp_path / "again")
    for _ in range(40):
        kinds.append(aot2.step())
    assert "skip" in kinds and "frame" in kinds
    assert len(aot.printh_lines) < 40      # draws were skipped


# Every API call that costs system ticks, with edge-case arguments: one
# case a frame, so the counts compared after each frame check each case.
API_CASES = [
    "cls()", "cls(3)", "pset(1, 2)", "pset(1, 2, 3)", "pget(1, 2)", "sget(3, 4)", "sset(1, 1, 2)",
    "mget(1, 1)", "mset(1, 1, 2)",
    "line(0, 0, 127, 5)", "line(-20, 3, 40.7, -9.2, 8)", "line(5, 5)", "line()",
    "rect(0, 0, 10, 10)", "rect(10.9, 3, -4.2, 30)", "rect(0, 0, 1, 1)", "rect(0, 0, 3, 3)",
    "rect(5, 5, 5, 5)", "rect(0, 0, 200, 2)",
    "rectfill(0, 0, 127, 127)", "rectfill(3.5, 2.25, -1, 9)", "rectfill(0, 0, 0, 0)",
    "rrect(1, 2, 30, 20, 4)", "rrect(1.5, 2, -3, 7, 1)", "rrect(32000, 1, 2000, 3)",
    "rrectfill(1, 2, 30, 20, 4)", "rrectfill(0, 0, -5, 4)", "rrectfill(0, 0, 0.5, 100)",
    "circ(64, 64, 10)", "circ(64, 64)", "circ(64, 64, -7.5)", "circfill(0, 0, 200)",
    "circfill(1, 1, 0)", "oval(0, 0, 20, 10)", "ovalfill(10, 10, 3, 1)",
    "spr(1, 0, 0)", "spr(1, 0, 0, 2.5, 1.5)", "spr(-1, 0, 0)", "spr(255.5, 0, 0, 1, 1)",
    "spr(256, 0, 0)", "spr(3, 0, 0, -1, 2)", "spr(3, 0, 0, 0.1, 4)",
    "sspr(0, 0, 8, 8, 0, 0)", "sspr(0, 0, 8, 8, 0, 0, 16)", "sspr(0, 0, 8, 8, 0, 0, 16, 24)",
    "sspr(0, 0, -8.5, 8, 0, 0, 16, -3.5, true)", "sspr(0, 0, 8, 8, 0, 0, nil, 5)",
    "map(0, 0, 0, 0)", "map(0, 0, 0, 0, 4, 3)", "map(0, 0, 0, 0, 40, -30)", "map()",
    "map(0, 0, 0, 0, 2.5, 2.5, 1)",
    "tline(0, 0, 127, 5, 0, 0)", "tline(10.5, 0, 0.25, 3, 0, 0, 0.125, 0)", "tline(13)",
    "print('hello')", "print('hi', 1, 2)", "print('hi', 1, 2, 7)", "print(12.5)", "print()",
    "print(nil)", "print('')",
    "memcpy(0x6000, 0x0, 64)", "memcpy(0x6000, 0, -3)", "memcpy(0x6000, 0, 0.5)",
    "memset(0x6000, 7, 100)", "memset(0x6000, 7, 3)", "memset(0x6000, 7, -9)",
    "memset(0x6000, 7, 0)", "memset(0x6000, 1, 1)",
    "reload()", "reload(0x6000, 0, 50)", "reload(0x6000, 0, -1)", "reload(0x6000, 0)",
    "sqrt(2)", "local x = 9 local y = sqrt(x)", "rnd()", "rnd(5)", "rnd({1, 2, 3})",
    "sfx(-1)", "music(-1)", "btn()", "btn(1)", "btnp(4, 1)", "stat(0)", "stat(7)",
    "pset('3', '4', '5')", "rectfill('1', 0, '0x10', 5)", "circ(1, 1, '8')",
]


def test_every_api_cost_matches(tmp_path: Path) -> None:
    cases = ",\n".join(f"  function() {c} end" for c in API_CASES)
    code = f"""
cases = {{
{cases}
}}
k = 0
function _update() k += 1 if cases[k] then cases[k]() end end
function _draw() end
"""
    aot, lua, diff = run_both(code, tmp_path, len(API_CASES) + 2)
    assert diff.mismatch is None, (diff.mismatch, API_CASES[diff.frames]
                                   if diff.frames <= len(API_CASES) else "")
    assert diff.status == "frame"
    # the system ticks went up by what each case costs; spot-check the table
    # with a few by hand (aot/api.py): cls 1024, spr 2.5 x 1.5 cells:
    # floor(20) * floor(12) = 240
    counts = [0]                 # system ticks before frame 0 (the top level calls no API)
    aot2, _ = consoles(code, tmp_path / "again")
    for _ in range(len(API_CASES)):
        aot2.step()
        counts.append(cpu_counts(aot2)[1])
    ticks = {API_CASES[i]: counts[i + 1] - counts[i] for i in range(len(API_CASES))}
    assert ticks["cls()"] == 1024
    assert ticks["spr(1, 0, 0, 2.5, 1.5)"] == 240
    assert ticks["spr(-1, 0, 0)"] == 0
    assert ticks["print('hello')"] == 2 + 8 * 5
    assert ticks["print()"] == 2
    assert ticks["sqrt(2)"] == 24
    assert ticks["local x = 9 local y = sqrt(x)"] == 24
    assert ticks["memset(0x6000, 7, -9)"] == 1
    assert ticks["memcpy(0x6000, 0x0, 64)"] == 65
    assert ticks["reload()"] == 0x4300 * 8
    assert ticks["map(0, 0, 0, 0, 40, -30)"] == 64 * 17 * 17
    assert ticks["rect(0, 0, 3, 3)"] == 4   # max(1, 2 * ceil(3/4)) + max(0, 2 * ceil(3/2 - 1))
    assert ticks["tline(13)"] == 0


# ------------------------------------------------------------ runaway carts

# Loops that do no work of their own; k (stat(6)) picks one. Each must still
# count, so the host gets its turn and can stop it.
RUNAWAY = """
k = tonum(stat(6))
function run_away()
  if k == 1 then while true do end
  elseif k == 2 then repeat until false
  elseif k == 3 then for i = 1, 32767 do for j = 1, 32767 do end end
  elseif k == 4 then ::a:: goto a
  elseif k == 5 then ::b:: ::c:: goto b
  elseif k == 6 then while true do ::continue:: end
  elseif k == 7 then local t = {1} while true do for v in all(t) do end end
  end
end
"""
KINDS = range(1, 8)


def _aot(code: str, tmp_path: Path, **opts: object):
    need_gxx()
    from console.desktop.aot_player import AotConsole
    from console.desktop.frameloop import Options

    options = Options(seed=0, fixed_clock=True, printh=lambda s: None, data_dir=tmp_path,
                      **opts)  # type: ignore[arg-type]
    return AotConsole.from_code(code, options=options)


def _steps(con, frames: int) -> str:
    kind = "frame"
    for _ in range(frames):
        kind = con.step()
        if kind not in ("frame", "skip"):
            break
    return kind


@pytest.mark.parametrize("k", KINDS)
def test_runaway_in_draw_is_stopped_by_the_unit_limit(k: int, tmp_path: Path) -> None:
    code = RUNAWAY + "function _draw() run_away() end\n"
    aot, lua = consoles(code, tmp_path, param=str(k), max_frame_units=5_000_000)
    assert _steps(aot, 3) == "error" and _steps(lua, 3) == "error"
    msg = "test.p8: the cart used more than 5000000 CPU units without finishing a frame (an endless loop?)"
    assert aot.error.message == lua.error.message == msg
    assert aot.frame == lua.frame == 0


@pytest.mark.parametrize("k", KINDS)
def test_runaway_at_top_level_shows_frames_and_is_closed(k: int, tmp_path: Path) -> None:
    """Outside _draw the budget ends each frame (PICO-8 manual, flip()), so
    frames keep coming; the window's close (on_slice) stops the cart."""
    code = RUNAWAY + "run_away()\n"
    con = _aot(code, tmp_path, param=str(k))
    assert _steps(con, 3) == "frame" and con.frame == 3
    polls: list[int] = []

    def closed() -> str:
        polls.append(1)
        return "closed by the user"
    con = _aot(code, tmp_path, param=str(k), on_slice=closed)
    assert _steps(con, 20) == "error"
    assert con.error.message == "test.p8: closed by the user"
    assert len(polls) == 1
    # the program stays up: the console reports, draws its error screen and
    # another cart runs in the same process
    assert con.step() == "error"
    con.show_error()
    other = _aot("printh('after')", tmp_path)
    assert _steps(other, 2) == "ended" and other.printh_lines == ["after"]


def test_runaway_in_a_coroutine_is_stopped(tmp_path: Path) -> None:
    """coresume catches errors; the abort must still reach the host."""
    code = ("function _draw() co = cocreate(function() while true do local a = 1 end end)\n"
            "while true do coresume(co) end end")
    aot, lua = consoles(code, tmp_path, max_frame_units=5_000_000)
    assert _steps(aot, 3) == "error" and _steps(lua, 3) == "error"
    assert aot.error.message == lua.error.message
    assert "without finishing a frame" in aot.error.message


def test_runaway_is_stopped_by_the_time_limit(tmp_path: Path) -> None:
    code = "function _draw() while true do end end"
    con = _aot(code, tmp_path, frame_timeout=0.2)
    assert _steps(con, 2) == "error"
    assert con.error.message == ("test.p8: the cart ran for more than 0.2 s without finishing a "
                                 "frame (an endless loop?)")


def test_abort_between_frames(tmp_path: Path) -> None:
    """Console.abort: the cart stops at its next counted block."""
    code = "n = 0 function _update() n += 1 printh(n) end function _draw() end"
    aot, lua = consoles(code, tmp_path)
    for con in (aot, lua):
        assert _steps(con, 2) == "frame"
        con.abort("stopped by the host")
        assert con.step() == "error"
        assert con.error.message == "test.p8: stopped by the host"
    assert aot.printh_lines == lua.printh_lines == ["1", "2"]


def test_window_escape_stops_a_compiled_runaway(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`rp8 run --aot`: Esc pressed while a compiled frame loops forever
    reaches the window through plat_poll; the cart stops with the message
    naming it, and the player is still there to show it."""
    pg = pytest.importorskip("pygame")
    need_gxx()
    monkeypatch.setenv("SDL_VIDEODRIVER", "dummy")
    monkeypatch.setenv("SDL_AUDIODRIVER", "dummy")
    monkeypatch.setenv("RP8_DATA", str(tmp_path / "data"))
    cart = tmp_path / "loop.p8"
    cart.write_text("pico-8 cartridge // http://www.pico-8.com\nversion 42\n__lua__\n"
                    "function _draw() while true do local a = 1 end end\n")
    from console.desktop.aot_player import AotPlayer

    p = AotPlayer(cart, seed=0, scale=1)
    import threading

    esc = pg.event.Event(pg.KEYDOWN, key=pg.K_ESCAPE, mod=0, unicode="")
    timer = threading.Timer(0.3, lambda: pg.event.post(esc))
    timer.start()
    p.tick()
    timer.join()
    assert p.quit
    assert p.console.error is not None
    assert p.console.error.message == "loop.p8: closed by the user"
    pg.quit()
