"""The command line people script: version, help, one spelling of the output
option, flags refused where they do not apply, plain messages."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from console.cli import main

HEADER = "pico-8 cartridge // http://www.pico-8.com\nversion 42\n__lua__\n"


def cart(tmp_path: Path) -> Path:
    p = tmp_path / "c.p8"
    p.write_text(HEADER + "function _draw() cls(2) end\n")
    return p


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("rp8 ") and out.count("\n") == 1


def test_bare_rp8_shows_help_without_a_display(capsys: pytest.CaptureFixture[str],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "SDL_VIDEODRIVER"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr("sys.platform", "linux")
    assert main([]) == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: rp8") and "run" in out and "build" in out


@pytest.mark.parametrize("argv,msg", [
    (["run", "CART", "--frames", "5"], "--frames: only with --headless"),
    (["run", "CART", "-o", "out"], "--out: only with --headless"),
    (["run", "CART", "--headless", "--scale", "3"], "--scale: only for the window"),
    (["run", "CART", "--headless", "--capture-dir", "x"], "--capture-dir: only for the window"),
    (["run", "https://www.lexaloffle.com/bbs/?tid=2145"],
     "https://www.lexaloffle.com/bbs/?tid=2145: rp8 does not download carts"),
    (["run", "#celeste"], "#celeste: rp8 does not download carts"),
    (["run", "CART", "--headless", "--aot-build", "quick"], "--aot-build: only with --aot"),
    (["build", "CART", "--board", "pico-lcd13", "-o", "x.bin"], "x.bin: rp8 build writes UF2"),
])
def test_refusals_are_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                               monkeypatch: pytest.MonkeyPatch, argv: list[str], msg: str) -> None:
    monkeypatch.setenv("SDL_VIDEODRIVER", "dummy")     # a display: the window would open
    argv = [str(cart(tmp_path)) if a == "CART" else a for a in argv]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"rp8: {msg}") and err.count("\n") == 1


def test_headless_out_takes_either_spelling(tmp_path: Path) -> None:
    for flag, folder in (("-o", "a"), ("--out", "b")):
        assert main(["run", str(cart(tmp_path)), "--headless", "--frames", "2", flag,
                     str(tmp_path / folder)]) == 0
        assert (tmp_path / folder / "hashes.txt").read_text().count("\n") == 2


def test_sfx_and_music_warn_when_empty(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    c = cart(tmp_path)                       # no __sfx__ or __music__ at all
    assert main(["sfx", str(c), "3", "--out", str(tmp_path / "s.wav")]) == 0
    assert "warning: sfx 3 of" in capsys.readouterr().err
    assert main(["music", str(c), "0", "-o", str(tmp_path / "m.wav"), "--seconds", "0.1"]) == 0
    assert "warning: music pattern 0 of" in capsys.readouterr().err


def test_sfx_with_notes_does_not_warn(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from support.song_cart import write_cart

    song = write_cart(tmp_path)
    assert main(["sfx", str(song), "0", "-o", str(tmp_path / "s.wav")]) == 0
    assert main(["music", str(song), "0", "-o", str(tmp_path / "m.wav")]) == 0
    assert "warning" not in capsys.readouterr().err


def test_bare_rp8_and_run_folder_open_the_browser(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import console.browser

    seen: list[Path] = []
    monkeypatch.setattr(console.browser, "browse",
                        lambda folder, scale=0, capture_dir=None: seen.append(folder) or 0)
    monkeypatch.setenv("SDL_VIDEODRIVER", "dummy")
    monkeypatch.chdir(tmp_path)
    assert main([]) == 0
    assert main(["run", str(tmp_path)]) == 0
    assert seen == [tmp_path, tmp_path]


def test_a_folder_takes_no_cart_flags(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SDL_VIDEODRIVER", "dummy")
    assert main(["run", str(tmp_path), "--headless"]) == 2
    assert "a folder opens the cart browser; --headless need a cart file" in capsys.readouterr().err
    assert main(["run", str(tmp_path), "--seed", "3", "--param", "x"]) == 2
    assert "--seed, --param need a cart file" in capsys.readouterr().err


def test_demo_carts_ship_with_rp8(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from console import sources

    assert {"platformer", "hello", "rotor"} <= set(sources.demo_names())
    monkeypatch.chdir(tmp_path)                  # nothing comes from the current folder
    assert main(["run", "--demo", "hello", "--headless", "--frames", "3"]) == 0
    assert "hello.p8: 3 frames" in capsys.readouterr().out
    assert main(["run", "--demo", "nope", "--headless"]) == 2
    assert "no demo cart 'nope'; there are: " in capsys.readouterr().err
    assert main(["bench", "--demo", "rotor", "--frames", "2", "--warmup", "1", "--quiet"]) == 0
    assert "rotor.p8" in capsys.readouterr().out


def test_run_demo_alone_browses_the_demo_carts(monkeypatch: pytest.MonkeyPatch) -> None:
    import console.browser
    from console import sources

    seen: list[Path] = []
    monkeypatch.setattr(console.browser, "browse",
                        lambda folder, scale=0, capture_dir=None: seen.append(folder) or 0)
    monkeypatch.setenv("SDL_VIDEODRIVER", "dummy")
    assert main(["run", "--demo"]) == 0
    assert seen == [sources.CARTS_DIR]


def test_the_window_without_pygame_says_how_to_get_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "pygame" else real(name, *a))
    monkeypatch.setenv("SDL_VIDEODRIVER", "dummy")
    c = cart(tmp_path)
    assert main(["run", str(c)]) == 2
    assert "the window needs pygame: pip install 'rp8[window]'" in capsys.readouterr().err
    assert main(["run", str(c), "--headless", "--frames", "1"]) == 0      # headless does not
    assert main([]) == 0                                                 # bare rp8: the help
    assert capsys.readouterr().out.count("usage: rp8") == 1


def test_a_headless_run_imports_only_what_it_needs(tmp_path: Path) -> None:
    # start-up time: no window, image or other command modules; with the
    # bindings in the cache (the first start made them), no C parser either
    import subprocess
    import sys

    probe = ("import sys\nfrom console.cli import main\n"
             f"main(['run', {str(cart(tmp_path))!r}, '--headless', '--frames', '1'])\n"
             "print(sorted(m for m in sys.modules if m.split('.')[0] in "
             "('pygame', 'PIL', 'pycparser', 'numpy') or m.startswith('console.commands.') "
             "or m in ('cffi.api', 'importlib.metadata')))\n")
    env = {**os.environ, "RP8_CACHE": str(tmp_path / "cache")}
    for _ in range(2):
        done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env)
        assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "['console.commands.run']"
