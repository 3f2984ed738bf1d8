"""menuitem() in compiled carts: the pause menu lists the cart's entries and
runs their callbacks, as the interpreter does (PICO-8 manual, menuitem():
the callback gets the buttons pressed -- left 1, right 2, O 16, X 32 -- and
returning true keeps the menu open), both through AotConsole and in the
window (console.player on SDL's dummy drivers)."""
from __future__ import annotations

from pathlib import Path

import pytest

from support.aot_frames import need_gxx

pytest.importorskip("console._engine")
pytest.importorskip("lupa")

MENU = """
x = 0
menuitem(1, 'bump', function(b) x += 1 printh('bump '..b..' '..x) return b == 1 end)
menuitem(3, 'gone', function() printh('never') end)
menuitem(3)
menuitem(2, 42)
menuitem(4, 'err', function(b) printh('before') error_here() end)
menuitem(5, 'loop', function(b) local c = cocreate(function(v) yield(v + 1) end)
  printh('co '..tostr(coresume(c, b))) return true end)
menuitem(6, 'too far', function() end)
function _update() end
function _draw() cls(x) end
"""


def _pair(code: str):
    need_gxx()
    from console.desktop.aot_player import AotConsole
    from console.desktop.frameloop import Console, Options

    def opts() -> Options:
        return Options(seed=0, fixed_clock=True, printh=lambda s: None)
    return AotConsole.from_code(code, options=opts()), Console.from_code(code, options=opts())


def test_menu_items_and_callbacks_match_the_interpreter() -> None:
    aot, lua = _pair(MENU)
    calls = [(1, 32), (1, 1), (2, 16), (3, 32), (4, 32), (5, 2), (6, 32), (0, 32)]
    for con in (aot, lua):
        assert con.step() == "frame"
        assert con.menu_items() == [(1, "bump"), (2, "42"), (4, "err"), (5, "loop")]
    results = [[con.menu_call(i, b) for i, b in calls] for con in (aot, lua)]
    assert results[0] == results[1] == [False, True, False, False, False, True, False, False]
    assert aot.printh_lines == lua.printh_lines == ["bump 32 1", "bump 1 2", "before", "co true"]
    # the callbacks ran in the cart: its next frame draws with x == 2
    for con in (aot, lua):
        assert con.step() == "frame"
        assert set(con.indices()) == {2}


@pytest.mark.parametrize("body,lines,status", [
    ("run('again')", ["top ", "top again"], "frame"),
    ("stop('bye')", ["top "], "stopped"),
])
def test_run_and_stop_in_a_callback_act_at_the_next_frame(body: str, lines: list[str],
                                                          status: str) -> None:
    code = ("printh('top '..stat(6))\n"
            f"menuitem(1, 'go', function() {body} printh('not here') end)\n"
            "function _draw() end\n")     # no counted code after the callback
    aot, lua = _pair(code)
    for con in (aot, lua):
        assert con.step() == "frame"
        assert con.menu_call(1, 32) is False
        assert con.step() == status      # reboots or stops, as run()/stop() in a frame
        con.step()
        assert con.printh_lines == lines
    assert aot.stop_message == lua.stop_message


def test_callback_recursing_forever_only_fails_the_call() -> None:
    code = ("function f() return f() + 1 end\n"
            "menuitem(1, 'deep', function() f() end)\n"
            "function _draw() cls(3) end\n")
    aot, _ = _pair(code)
    assert aot.step() == "frame"
    assert aot.menu_call(1, 32) is False
    assert aot.step() == "frame" and set(aot.indices()) == {3}


CART = "pico-8 cartridge // http://www.pico-8.com\nversion 42\n__lua__\n" + """
x = 10
menuitem(1, "bump", function(b) x += 50 printh('b'..b) return b == 1 end)
function _draw() cls(1) pset(x, 5, 8) end
"""


def test_window_pause_menu_runs_compiled_callbacks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pg = pytest.importorskip("pygame")
    need_gxx()
    monkeypatch.setenv("SDL_VIDEODRIVER", "dummy")
    monkeypatch.setenv("SDL_AUDIODRIVER", "dummy")
    monkeypatch.setenv("RP8_DATA", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)
    cart = tmp_path / "w.p8"
    cart.write_text(CART)
    from console.desktop.aot_player import AotConsole, AotPlayer

    def key(k: int) -> None:
        pg.event.post(pg.event.Event(pg.KEYDOWN, key=k, mod=0, unicode=""))
        pg.event.post(pg.event.Event(pg.KEYUP, key=k, mod=0, unicode=""))

    player = AotPlayer(cart, seed=0, scale=2, mute=True)
    try:
        assert isinstance(player.console, AotConsole)
        player.tick()
        key(pg.K_p)
        player.tick()
        assert player.paused
        assert [r.decode("latin-1") for r in player.menu.rows()] == [
            "continue", "bump", "sound: off", "volume " + "\x10" * 8, "reset cart", "exit"]
        key(pg.K_DOWN)
        player.tick()
        key(pg.K_LEFT)          # the callback gets 1 and returns true: the menu stays
        player.tick()
        assert player.paused
        key(pg.K_x)             # 112 (O, X and pause alike): returns false, the menu closes
        player.tick()
        assert not player.paused
        player.tick()
        assert player.console.printh_lines == ["b1", "b112"]
        screen = player.console.indices()
        assert screen[5 * 128 + 110] == 8 and screen[5 * 128 + 10] == 1
    finally:
        pg.quit()
