"""`rp8 run --headless`: frames, PNG screens, the hash list, input scripts
and one-line errors naming the cart, tab and line."""
from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("console._engine")
pytest.importorskip("lupa")

from console.cli import main  # noqa: E402

HEADER = "pico-8 cartridge // http://www.pico-8.com\nversion 42\n__lua__\n"


@pytest.fixture(autouse=True)
def _private_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RP8_DATA", str(tmp_path / "rp8-data"))


def cart(tmp_path: Path, code: str, name: str = "c.p8") -> Path:
    p = tmp_path / name
    p.write_text(HEADER + code + "\n")
    return p


def test_headless_writes_screens_and_hashes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    c = cart(tmp_path, "function _update() x = (x or 0) + 1 end function _draw() cls(1) pset(x, 0, 8) end")
    out = tmp_path / "out"
    assert main(["run", str(c), "--headless", "--frames", "10", "--out", str(out),
                 "--dump-every", "4"]) == 0
    hashes = (out / "hashes.txt").read_text().splitlines()
    assert len(hashes) == 10 and hashes[0].startswith("0 ")
    assert len({h.split()[1] for h in hashes}) == 10        # the dot moves every frame
    assert sorted(p.name for p in out.glob("*.png")) == [
        "frame_00000.png", "frame_00004.png", "frame_00008.png", "frame_00009.png"]
    from PIL import Image

    img = Image.open(out / "frame_00009.png").convert("RGB")
    assert img.size == (128, 128)
    assert img.getpixel((10, 0)) == (0xFF, 0x00, 0x4D)      # colour 8 (PICO-8 palette)
    assert img.getpixel((11, 0)) == (0x1D, 0x2B, 0x53)      # colour 1
    assert "10 frames" in capsys.readouterr().out


def test_headless_input_script(tmp_path: Path) -> None:
    c = cart(tmp_path, "function _update() if btnp(5) then n = (n or 0) + 1 end end\n"
                       "function _draw() cls() print(n or 0, 0, 0, 7) printh(n or 0) end")
    script = tmp_path / "in.txt"
    script.write_text("0 -\n3 X\n5 -\n8 X\n9 -\n")
    out = tmp_path / "o"
    assert main(["run", str(c), "--headless", "--frames", "10", "--input", str(script),
                 "--out", str(out)]) == 0


def test_headless_runtime_error_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    c = cart(tmp_path, "function _update()\nend\n-->8\nfunction _draw()\n  nothere()\nend")
    assert main(["run", str(c), "--headless", "--frames", "5"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert err[0].startswith("rp8: c.p8: runtime error after 0 frames: c.p8 tab 1 line 2:")
    assert "nothere" in err[0]


def test_headless_syntax_error_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    c = cart(tmp_path, "x = = 1")
    assert main(["run", str(c), "--headless"]) == 2
    assert "tab 0 line 1" in capsys.readouterr().err


def test_missing_cart(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", str(tmp_path / "nope.p8"), "--headless"]) == 2


def test_no_display_falls_back_to_headless(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.delenv("SDL_VIDEODRIVER", raising=False)
    monkeypatch.setattr("sys.platform", "linux")
    c = cart(tmp_path, "cls(2)")
    monkeypatch.chdir(tmp_path)
    assert main(["run", str(c), "--frames", "3"]) == 0
    assert "no display available" in capsys.readouterr().err
    assert (tmp_path / "rp8-out" / "frame_00000.png").is_file()


def test_hello_cart_runs() -> None:
    hello = Path(__file__).resolve().parents[2] / "carts" / "hello.p8"
    from console.desktop.buttons import demo_script
    from console.desktop.frameloop import Console, Options
    from console.desktop.headless import run_headless

    con = Console.from_path(hello, Options(seed=0, fixed_clock=True))
    res = run_headless(con, 120, demo_script(120))
    assert res.error is None and res.frames == 120
    assert len(set(con.indices())) >= 4
