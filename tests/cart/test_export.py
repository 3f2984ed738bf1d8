"""`rp8 export`: a cart in another format, with its label, an F7 label or a
picture given with --label."""
from __future__ import annotations

from pathlib import Path

import pytest

from console.cart import load_cart
from console.cli import main

HEADER = "pico-8 cartridge // http://www.pico-8.com\nversion 42\n__lua__\n"
CODE = "-- hello\n-- by someone\nfunction _draw() cls(3) print('hi', 10, 10, 8) end\n"


def source(tmp_path: Path) -> Path:
    p = tmp_path / "hello.p8"
    rows = ["".join("8" if (x // 8 + y // 8) % 2 else "1" for x in range(128)) for y in range(128)]
    p.write_text(HEADER + CODE + "__label__\n" + "\n".join(rows) + "\n")
    return p


@pytest.mark.parametrize("ext", [".p8", ".p8.png", ".p8.rom"])
def test_round_trip_keeps_code_and_label(tmp_path: Path, ext: str) -> None:
    src = source(tmp_path)
    out = tmp_path / ("out" + ext)
    assert main(["export", str(src), "-o", str(out)]) == 0
    a, b = load_cart(src), load_cart(out)
    assert b.code.rstrip("\n") == a.code.rstrip("\n")
    assert b.data == a.data
    if ext != ".p8.rom":
        assert b.label == a.label and b.label[0][8] == 8 and b.label[0][0] == 1


def test_label_from_a_screenshot(tmp_path: Path) -> None:
    from PIL import Image

    shot = tmp_path / "shot.png"
    img = Image.new("RGB", (512, 512), (0x29, 0xAD, 0xFF))       # colour 12, 4x as F6 saves
    img.paste((0xFF, 0x00, 0x4D), (0, 0, 4, 4))                 # pixel (0,0): colour 8
    img.save(shot)
    out = tmp_path / "new.p8.png"
    assert main(["export", str(source(tmp_path)), "-o", str(out), "--label", str(shot)]) == 0
    label = load_cart(out).label
    assert label[0][0] == 8 and label[0][1] == 12 and label[127][127] == 12


def test_label_taken_with_f7_is_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    from console.labels import keep_label

    monkeypatch.setenv("RP8_DATA", str(tmp_path / "data"))
    src = source(tmp_path)
    keep_label(src, [[11] * 128 for _ in range(128)])
    out = tmp_path / "f7.p8"
    assert main(["export", str(src), "-o", str(out)]) == 0
    assert "label taken with F7" in capsys.readouterr().out
    assert load_cart(out).label == [[11] * 128 for _ in range(128)]


@pytest.mark.parametrize("args,msg", [
    (["-o", "OUT.p8.rom", "--label", "L.png"], "a .p8.rom holds no label"),
    (["-o", "OUT.txt"], "unknown cart format"),
    (["-o", "OUT.p8", "--label", "missing.png"], "missing.png: not a picture"),
    (["-o", "SRC"], "the output is the cart itself"),
])
def test_mistakes(tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], msg: str) -> None:
    src = source(tmp_path)
    argv = [str(src) if a == "SRC" else str(tmp_path / a) if "." in a else a for a in args]
    assert main(["export", str(src)] + argv) == 2
    err = capsys.readouterr().err
    assert msg in err and err.count("\n") == 1
