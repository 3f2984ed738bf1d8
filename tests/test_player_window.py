"""The window, on SDL's dummy video and audio drivers: open the player,
press keys, open the pause menu, take a screenshot and a GIF."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

pytest.importorskip("console._engine")
pytest.importorskip("lupa")
pg = pytest.importorskip("pygame")

HEADER = "pico-8 cartridge // http://www.pico-8.com\nversion 42\n__lua__\n"
CART = HEADER + """
x = 10
menuitem(1, "bump", function(b) x += 50 return false end)
function _update() if btn(1) then x += 1 end end
function _draw() cls(1) pset(x, 5, 8) end
"""


@pytest.fixture
def player(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("SDL_VIDEODRIVER", "dummy")
    monkeypatch.setenv("SDL_AUDIODRIVER", "dummy")
    monkeypatch.setenv("RP8_DATA", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)
    cart = tmp_path / "w.p8"
    cart.write_text(CART)
    from console.player import Player

    p = Player(cart, seed=0, scale=2)
    yield p
    pg.quit()


def key(k: int, up: bool = False) -> None:
    pg.event.post(pg.event.Event(pg.KEYUP if up else pg.KEYDOWN, key=k, mod=0, unicode=""))


def test_keys_move_and_menu_and_screenshot(player) -> None:  # type: ignore[no-untyped-def]
    player.tick()
    assert player.console.machine.screen_pixels()[5][10] == 8
    key(pg.K_RIGHT)
    for _ in range(3):
        player.tick()
    key(pg.K_RIGHT, up=True)
    player.tick()
    assert player.console.machine.screen_pixels()[5][13] == 8
    # the pause menu: continue, the cart's "bump", reset cart, exit
    key(pg.K_p)
    player.tick()
    assert player.paused
    assert [e[0] for e in player.menu_entries()] == ["continue", "bump", "reset cart", "exit"]
    key(pg.K_DOWN)
    player.tick()
    key(pg.K_x)
    player.tick()
    assert not player.paused
    player.tick()
    assert player.console.machine.screen_pixels()[5][63] == 8
    key(pg.K_F6)
    player.tick()
    shot = player.saved[-1]
    assert shot.suffix == ".png" and shot.is_file()
    from PIL import Image

    assert Image.open(shot).size == (512, 512)
    key(pg.K_F9)
    player.tick()
    assert player.saved[-1].suffix == ".gif"


def test_escape_quits_and_ctrl_r_reloads(player) -> None:  # type: ignore[no-untyped-def]
    for _ in range(3):
        player.tick()
    first = player.console
    pg.event.post(pg.event.Event(pg.KEYDOWN, key=pg.K_r, mod=pg.KMOD_CTRL, unicode=""))
    pg.key.set_mods(pg.KMOD_CTRL)
    player.tick()
    pg.key.set_mods(0)
    assert player.console is not first
    key(pg.K_ESCAPE)
    player.tick()
    assert player.quit


def test_error_screen_stays_responsive(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SDL_VIDEODRIVER", "dummy")
    monkeypatch.setenv("SDL_AUDIODRIVER", "dummy")
    cart = tmp_path / "bad.p8"
    cart.write_text(HEADER + "function _draw()\n nope()\nend\n")
    from console.player import Player

    p = Player(cart, seed=0, scale=1)
    p.tick()
    p.tick()
    assert p.console.error is not None and "line 2" in p.console.error.message
    assert 8 in p.console.machine.screen_pixels()[2]
    key(pg.K_ESCAPE)
    p.tick()
    assert p.quit
    pg.quit()


def test_looping_cart_can_be_closed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SDL_VIDEODRIVER", "dummy")
    monkeypatch.setenv("SDL_AUDIODRIVER", "dummy")
    cart = tmp_path / "loop.p8"
    cart.write_text(HEADER + "function _draw() while true do local a = 1 end end\n")
    from console.player import Player

    p = Player(cart, seed=0, scale=1)
    import threading

    # the window is closed while the frame runs; the CPU-slice check sees it
    timer = threading.Timer(0.2, lambda: pg.event.post(pg.event.Event(pg.QUIT)))
    timer.start()
    p.tick()
    timer.join()
    assert p.quit and p.console.error is not None
    pg.quit()
