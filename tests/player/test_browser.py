"""The cart browser on SDL's dummy drivers: lists, the shown cart's label,
title and author, favourites and recent carts remembered, playing a cart in
the same window and coming back with Esc."""
from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("console._engine")
pytest.importorskip("lupa")
pg = pytest.importorskip("pygame")

HEADER = "pico-8 cartridge // http://www.pico-8.com\nversion 42\n__lua__\n"


def write(folder: Path, name: str, code: str, label_colour: int | None = None) -> Path:
    p = folder / name
    p.parent.mkdir(parents=True, exist_ok=True)
    text = HEADER + code
    if label_colour is not None:
        text += "__label__\n" + "\n".join([format(label_colour, "x") * 128] * 128) + "\n"
    p.write_text(text)
    return p


@pytest.fixture
def shelf(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SDL_VIDEODRIVER", "dummy")
    monkeypatch.setenv("SDL_AUDIODRIVER", "dummy")
    monkeypatch.setenv("RP8_CONFIG", str(tmp_path / "config"))
    monkeypatch.setenv("RP8_DATA", str(tmp_path / "data"))
    folder = tmp_path / "carts"
    write(folder, "alpha.p8", "-- alpha quest\n-- by ana\nfunction _draw() cls(8) end\n", 12)
    write(folder, "beta.p8", "function _draw() cls(9) end\n")
    write(folder, "sub/gamma.p8", "-- gamma\nfunction _draw() cls(3) end\n")
    (folder / "notes.txt").write_text("not a cart")
    return folder


def key(k: int) -> None:
    pg.event.post(pg.event.Event(pg.KEYDOWN, key=k, mod=0, unicode=""))


def test_lists_info_favourites_and_play(shelf: Path, tmp_path: Path) -> None:
    from console.browser import Browser
    from console.cart.png import PALETTE
    from console.settings import Settings

    b = Browser(shelf, scale=1, capture_dir=tmp_path / "caps")
    try:
        assert [p.name for p in b.entries()] == ["alpha.p8", "beta.p8", "gamma.p8"]
        b.tick()
        info = b.info(b.selected())
        assert (info.title, info.author) == ("alpha quest", "ana")
        rgb = b.draw()
        at = 3 * (40 * 128 + 60)                  # inside the label's 64x64 window
        assert rgb[at:at + 3] == bytes(PALETTE[12])
        key(pg.K_DOWN)
        b.tick()
        assert b.selected().name == "beta.p8" and b.info(b.selected()).label is None
        key(pg.K_x)                               # favourite
        b.tick()
        assert Settings.load(tmp_path / "config").favourites == [str((shelf / "beta.p8").resolve())]
        key(pg.K_RIGHT)
        b.tick()
        assert b.list_name == "favourites" and [p.name for p in b.entries()] == ["beta.p8"]
        key(pg.K_RETURN)                          # play it, in the same window
        b.tick()
        assert b.playing is not None
        b.tick()
        assert b.playing.console.machine.screen_pixels()[0][0] == 9
        key(pg.K_ESCAPE)                          # back to the list
        b.tick()
        assert b.playing is None and not b.quit
        key(pg.K_RIGHT)
        b.tick()
        assert b.list_name == "recent" and [p.name for p in b.entries()] == ["beta.p8"]
        assert Settings.load(tmp_path / "config").recent == [str((shelf / "beta.p8").resolve())]
        key(pg.K_ESCAPE)
        b.tick()
        assert b.quit
    finally:
        pg.quit()


def test_broken_cart_is_listed_with_its_problem(shelf: Path) -> None:
    from console.browser import Browser

    (shelf / "bad.p8.png").write_bytes(b"\x89PNG\r\n\x1a\nnot really")
    b = Browser(shelf, scale=1)
    try:
        bad = [p for p in b.entries() if p.name == "bad.p8.png"][0]
        info = b.info(bad)
        assert info.label is None and "bad.p8.png" in info.problem
        b.pos["folder"] = b.entries().index(bad)
        b.tick()                                  # draws without raising
    finally:
        pg.quit()


def test_closing_the_window_while_playing_quits(shelf: Path) -> None:
    from console.browser import Browser

    b = Browser(shelf, scale=1)
    try:
        b.tick()
        key(pg.K_z)
        b.tick()
        assert b.playing is not None
        pg.event.post(pg.event.Event(pg.QUIT))
        b.tick()
        assert b.playing is None and b.quit
    finally:
        pg.quit()
