"""The window, on SDL's dummy video and audio drivers: open the player,
press keys, open the pause menu, sound settings, screenshots, GIFs and the
label, error screens and exit codes."""
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
    monkeypatch.setenv("RP8_CONFIG", str(tmp_path / "config"))
    monkeypatch.chdir(tmp_path)
    cart = tmp_path / "w.p8"
    cart.write_text(CART)
    from console.player import Player

    p = Player(cart, seed=0, scale=2, capture_dir=tmp_path / "caps")
    yield p
    p.close()


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
    assert [r.decode("latin-1") for r in player.menu.rows()] == [
        "continue", "bump", "sound: on", "volume " + "\x10" * 8, "reset cart", "exit"]
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
    assert shot.suffix == ".png" and shot.is_file() and shot.parent == player.capture.folder
    assert not list(Path.cwd().glob("*.png"))           # never into the current folder
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


def ctrl_key(k: int) -> None:
    pg.key.set_mods(pg.KMOD_CTRL)
    pg.event.post(pg.event.Event(pg.KEYDOWN, key=k, mod=pg.KMOD_CTRL, unicode=""))


def test_mute_and_volume_are_remembered(player, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from console.settings import Settings

    player.tick()
    ctrl_key(pg.K_m)
    player.tick()
    pg.key.set_mods(0)
    assert player.settings.muted and player.message == "sound off"
    assert not (0, 5) in player.held                  # Ctrl+M is not the X button
    assert Settings.load(tmp_path / "config").muted
    # the pause menu's volume item: left lowers it, and it is saved
    key(pg.K_p)
    player.tick()
    labels = [r.decode("latin-1") for r in player.menu.rows()]
    for _ in range(labels.index("volume " + "\x10" * 8)):
        key(pg.K_DOWN)
        player.tick()
    key(pg.K_LEFT)
    player.tick()
    key(pg.K_LEFT)
    player.tick()
    saved = Settings.load(tmp_path / "config")
    assert (saved.volume, saved.muted) == (6, False)
    assert "volume " + "\x10" * 6 + ".." in [r.decode("latin-1") for r in player.menu.rows()]


def gif_ms(path: Path) -> int:
    """A GIF's length (Pillow merges equal frames and adds their delays)."""
    from PIL import Image, ImageSequence

    return sum(f.info["duration"] for f in ImageSequence.Iterator(Image.open(path)))


def test_gif_keeps_working_after_the_buffer_fills(player) -> None:  # type: ignore[no-untyped-def]
    player.capture.seconds = 1                       # 30 frames at 30 fps
    for _ in range(45):
        player.tick()
    key(pg.K_F9)                                     # no F8: the last second
    player.tick()
    first = player.saved[-1]
    assert first.suffix == ".gif" and gif_ms(first) == 1000
    key(pg.K_F8)
    player.tick()
    assert player.message.startswith("recording gif")
    for _ in range(40):                              # past the length: stops at 1 s
        player.tick()
    assert player.message == "recorded 1 seconds: f9 to save"
    key(pg.K_F9)
    player.tick()
    second = player.saved[-1]
    assert second != first and gif_ms(second) == 1000
    for _ in range(5):
        player.tick()
    key(pg.K_F9)                                     # and again, at any time
    player.tick()
    assert player.saved[-1] not in (first, second) and player.message.startswith("saved gif")


def test_f7_takes_the_label(player) -> None:  # type: ignore[no-untyped-def]
    from PIL import Image

    player.tick()
    key(pg.K_F7)
    player.tick()
    assert player.label is not None
    assert player.label[5][10] == 8 and player.label[0][0] == 1     # cls(1), pset(x, 5, 8)
    png = player.saved[-1]
    assert png.name.endswith("_label.png")
    assert Image.open(png).convert("RGB").getpixel((10, 5)) == (255, 0, 77)
    from console.labels import kept_label, read_label_png

    kept = kept_label(player.path)                  # for rp8 export
    assert kept is not None and read_label_png(kept) == player.label


def player_of(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, code: str):  # type: ignore[no-untyped-def]
    """A window on the dummy drivers playing `code` saved as `name`."""
    monkeypatch.setenv("SDL_VIDEODRIVER", "dummy")
    monkeypatch.setenv("SDL_AUDIODRIVER", "dummy")
    monkeypatch.setenv("RP8_CONFIG", str(tmp_path / "config"))
    cart = tmp_path / name
    cart.write_text(HEADER + code)
    from console.player import Player

    return Player(cart, seed=0, scale=1, capture_dir=tmp_path)


def test_syntax_error_screen_and_exit_code(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    p = player_of(tmp_path, monkeypatch, "syn.p8", "x = = 1\n")
    p.tick()
    assert screen_title(p) == "syntax error"
    key(pg.K_ESCAPE)
    assert p.play() == 2
    err = capsys.readouterr().err
    assert err.count("syn.p8") == 1 and "line 1" in err


def test_runtime_error_exit_code(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    p = player_of(tmp_path, monkeypatch, "bad.p8", "function _update()\n nope()\nend\n")
    p.tick()
    p.tick()
    assert screen_title(p) == "runtime error"
    key(pg.K_ESCAPE)
    assert p.play() == 1
    assert capsys.readouterr().err.count("runtime error") == 1


def screen_title(p) -> str:  # type: ignore[no-untyped-def]
    """Which title the error screen shows: its top text row compared with
    each title printed by the engine in red on black."""
    from console._engine import lib
    from console.machine import Machine, to_fix

    shown = p.console.machine.screen_pixels()[2:8]
    for title in ("syntax error", "runtime error"):
        m = Machine()
        data = title.encode()
        lib.p8_print(m.state, data, len(data), to_fix(1), to_fix(2), to_fix(8), 4)
        if m.screen_pixels()[2:8] == shown:
            return title
    return "?"


def test_watch_reloads_on_a_change_to_the_cart_or_an_include(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "col.lua").write_text("c = 3\n")
    p = player_of(tmp_path, monkeypatch, "watched.p8", "#include col.lua\nfunction _draw() cls(c) end\n")
    p.watch = True
    p.reload()                                                # notes the files to watch
    cart = p.path
    try:
        for _ in range(15):
            p.tick()
        assert p.console.machine.screen_pixels()[0][0] == 3
        (tmp_path / "col.lua").write_text("c = 12\n")          # the included file
        for _ in range(16):
            p.tick()
        assert p.console.machine.screen_pixels()[0][0] == 12
        assert p.message == "reloaded watched.p8"
        cart.write_text(HEADER + "#include col.lua\nfunction _draw() cls(c - 4) end\n")
        for _ in range(16):
            p.tick()
        assert p.console.machine.screen_pixels()[0][0] == 8
        cart.write_text(HEADER + "function _draw( cls() end\n")  # broken: the syntax error screen
        for _ in range(16):
            p.tick()
        assert p.syntax_error is not None and p.exit_code == 2
        cart.write_text(HEADER + "#include col.lua\nfunction _draw() cls(c - 10) end\n")
        for _ in range(16):
            p.tick()
        assert p.syntax_error is None and p.console.machine.screen_pixels()[0][0] == 2
    finally:
        p.close()


def test_menu_is_readable_whatever_the_cart_did_to_the_screen_palette(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # pal(7, 0, 1): the cart shows colour 7 as black and no colour as white;
    # the menu (platform/common/rp8_menu.c) shows 7 as white while it is open,
    # so its frame and text stay white, and the cart's palette comes back
    p = player_of(tmp_path, monkeypatch, "dark.p8", "function _draw() cls(7) pal(7, 0, 1) end\n")
    try:
        p.tick()
        assert p.console.rgb()[:3] == b"\0\0\0"
        key(pg.K_p)
        p.tick()
        assert p.paused
        shown = p.console.rgb()
        white = bytes((0xFF, 0xF1, 0xE8))
        pixels = [shown[i:i + 3] for i in range(0, len(shown), 3)]
        top = (128 - (8 * len(p.menu.rows()) + 6)) // 2
        assert pixels[top * 128 + 60] == white            # the menu's frame
        assert pixels[(top + 1) * 128 + 60] == b"\0\0\0"  # its black inside
        box = [pixels[y * 128 + x] for y in range(top + 2, top + 8 * len(p.menu.rows()))
               for x in range(26, 102)]
        assert sum(px == white for px in box) > 150       # and its text
        key(pg.K_ESCAPE)
        p.tick()
        assert not p.paused and p.console.rgb()[:3] == b"\0\0\0"
    finally:
        p.close()


def test_a_compiled_cart_shows_its_build_in_the_window(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    import uuid

    from console.player import Player
    from console.desktop.aot_player import AotPlayer

    monkeypatch.setenv("SDL_VIDEODRIVER", "dummy")
    monkeypatch.setenv("SDL_AUDIODRIVER", "dummy")
    monkeypatch.setenv("RP8_DATA", str(tmp_path / "data"))
    shown: list[bytes] = []
    monkeypatch.setattr(Player, "_present", lambda self, rgb: shown.append(rgb))
    cart = tmp_path / "c.p8"
    cart.write_text(HEADER + f'salt = "{uuid.uuid4()}"\nfunction _draw() cls(1) end\n')   # never built
    p = AotPlayer(cart, seed=0, scale=2, capture_dir=tmp_path / "caps")
    try:
        assert "rp8: compiling c.p8 to native code" in capsys.readouterr().err
        assert shown, "nothing was shown while the cart compiled"
        white = bytes((0xFF, 0xF1, 0xE8))
        row = 58 * 128 * 3
        assert white in shown[-1][row: row + 128 * 3]          # the message's text
        p.tick()
        assert shown[-1][:3] == bytes((0x1D, 0x2B, 0x53))     # then the cart: cls(1)
    finally:
        p.close()
