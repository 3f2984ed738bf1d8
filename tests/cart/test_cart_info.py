"""`rp8 info`: limits, sections, label export, and one-line errors."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from PIL import Image

from console.cli import main

HEAD = "pico-8 cartridge // http://www.pico-8.com\nversion 42\n"


def cart(tmp_path: Path) -> Path:
    label = "\n".join(["8" * 128] * 128)
    p = tmp_path / "demo.p8"
    p.write_text(HEAD + "__lua__\nlocal x=-1\nprint(x)\n__gfx__\n1\n__label__\n" + label + "\n",
                 encoding="utf-8")
    return p


def test_info_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["info", str(cart(tmp_path))]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].endswith("demo.p8: .p8 text, version 42")
    # local x = -1 print ( x  -> x = -1 print ( x = 6 tokens; 10+1+8 = 19 characters
    assert out[1].split() == ["tokens:", "6", "/", "8192", "0%"]
    assert out[2].split() == ["chars:", "19", "/", "65535", "0%"]
    assert out[3].split()[0] == "compressed:" and out[3].split()[2:4] == ["/", "15616"]
    assert out[4].split() == ["sections:", "lua", "gfx", "label"]


def test_info_json_and_label(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    png = tmp_path / "label.png"
    assert main(["info", str(cart(tmp_path)), "--json", "--label", str(png)]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["limits"]["tokens"] == {"used": 6, "limit": 8192, "over": False}
    assert report["limits"]["chars"]["used"] == 19
    assert report["sections"] == ["lua", "gfx", "label"]
    with Image.open(png) as img:
        assert img.size == (128, 128)
        assert img.convert("RGB").getpixel((5, 5)) == (0xFF, 0x00, 0x4D)   # colour 8


def test_info_errors_are_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.p8"
    bad.write_text(HEAD + "__gfx__\nxyz\n")
    assert main(["info", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err == f"rp8: {bad}: line 4: bad hex digit 'x' in __gfx__\n"
    assert main(["info", str(tmp_path / "none.p8")]) == 2
    assert capsys.readouterr().err == f"rp8: {tmp_path / 'none.p8'}: file not found\n"


def test_info_no_label(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    p = tmp_path / "plain.p8"
    p.write_text(HEAD + "__lua__\nx=1\n")
    assert main(["info", str(p), "--label", str(tmp_path / "l.png")]) == 2
    assert "plain.p8: the cart has no label" in capsys.readouterr().err


def test_info_over_limit(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    p = tmp_path / "big.p8"
    p.write_text(HEAD + "__lua__\n" + "x=1\n" * 3000)
    assert main(["info", str(p)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[1].split()[:4] == ["tokens:", "9000", "/", "8192"] and out[1].endswith("OVER LIMIT")
