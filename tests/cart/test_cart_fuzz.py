"""Fuzzing the loaders: whatever the bytes, only CartError may escape.

A long run: RP8_FUZZ_EXAMPLES=5000 pytest tests/cart/test_cart_fuzz.py (default 150 per test)."""
from __future__ import annotations

import io
import os
from pathlib import Path

from hypothesis import HealthCheck, assume, given, settings, strategies as st

from console.cart import CartError, load_cart
from console.cart.p8text import blank_data
from console.cart.png import encode

FUZZ = settings(max_examples=int(os.environ.get("RP8_FUZZ_EXAMPLES", "150")), deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def try_load(path: Path) -> None:
    try:
        cart = load_cart(path)
    except CartError as err:
        msg = str(err)
        assert str(path) in msg and "\n" not in msg
        return
    assert len(cart.data) == 0x4300 and isinstance(cart.code, str)
    assert all(ord(c) < 256 for c in cart.code)
    assert len(cart.rom) == 0x8000
    for n in range(1, cart.code.count("\n") + 2):
        cart.locate(n)


_P8_PIECES = st.sampled_from([
    "pico-8 cartridge // http://www.pico-8.com\n", "version 42\n", "version x\n",
    "__lua__\n", "__gfx__\n", "__gff__\n", "__map__\n", "__sfx__\n", "__music__\n",
    "__label__\n", "__meta:x__\n", "-->8\n", "#include x.lua\n", "#include a.p8:1\n",
    "0123456789abcdef" * 8 + "\n", "00" * 128 + "\n", "010e021f" + "3c5a3" * 32 + "\n",
    "00 41424344\n", "05 0102\n", "ghijklmnopqrstuv\n", "zz\n", "\n", "\r\n",
    "print('⬅️🐱')\n", "--[[\n", "]]\n", "x=[[\n", "\"\\\n",
])


@FUZZ
@given(parts=st.lists(_P8_PIECES | st.text(max_size=20), max_size=40),
       junk=st.binary(max_size=8))
def test_fuzz_p8_text(tmp_path: Path, parts: list[str], junk: bytes) -> None:
    p = tmp_path / "fuzz.p8"
    p.write_bytes("".join(parts).encode("utf-8") + junk)
    try_load(p)


@FUZZ
@given(code_area=st.one_of(
    st.binary(max_size=64).map(lambda b: b"\0pxa" + b),
    st.binary(max_size=64).map(lambda b: b":c:\0" + b),
    st.binary(max_size=64)),
    data=st.binary(max_size=32), tail=st.binary(max_size=0x20))
def test_fuzz_rom(tmp_path: Path, code_area: bytes, data: bytes, tail: bytes) -> None:
    rom = bytes(blank_data()) + code_area
    rom = (data + rom[len(data):])[:0x8000].ljust(0x8000, b"\0") + tail
    p = tmp_path / "fuzz.p8.rom"
    p.write_bytes(rom)
    try_load(p)


_GOOD_PNG = encode(bytes(blank_data()) + b"print(1)".ljust(0x3D00, b"\0"), 42, None, ["fuzz"])


@FUZZ
@given(cut=st.integers(0, len(_GOOD_PNG)),
       flips=st.lists(st.tuples(st.integers(0, len(_GOOD_PNG) - 1), st.integers(0, 255)), max_size=6))
def test_fuzz_png_bytes(tmp_path: Path, cut: int, flips: list[tuple[int, int]]) -> None:
    raw = bytearray(_GOOD_PNG)
    for pos, val in flips:
        raw[pos] = val
    p = tmp_path / "fuzz.p8.png"
    p.write_bytes(bytes(raw[:cut] if cut > 8 else raw))
    try_load(p)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(code_area=st.one_of(st.binary(max_size=48).map(lambda b: b"\0pxa" + b),
                           st.binary(max_size=48).map(lambda b: b":c:\0" + b)))
def test_fuzz_png_code(tmp_path: Path, code_area: bytes) -> None:
    rom = bytes(blank_data()) + code_area.ljust(0x3D00, b"\0")
    p = tmp_path / "fuzz.p8.png"
    p.write_bytes(encode(rom, 42, None, []))
    try_load(p)


def test_fuzz_png_other_images(tmp_path: Path) -> None:
    from PIL import Image

    for size, mode in (((160, 205), "P"), ((160, 205), "L"), ((160, 204), "RGBA"), ((1, 1), "RGB")):
        buf = io.BytesIO()
        Image.new(mode, size).save(buf, format="PNG")
        p = tmp_path / "img.p8.png"
        p.write_bytes(buf.getvalue())
        try_load(p)


@FUZZ
@given(head=st.sampled_from(["", "pico-8 cartridge // http://www.pico-8.com\nversion 16\n__lua__\n",
                             "\ufeffpico-8 cartridge // http://www.pico-8.com\r\nversion 8\r\n__lua__\r\n"]),
       body=st.binary(max_size=60), tail=st.sampled_from(["", "\n__gfx__\n0123\n", "\n__meta:x__\n"]))
def test_fuzz_p8_encodings(tmp_path: Path, head: str, body: bytes, tail: str) -> None:
    # pre-0.2 raw bytes, UTF-8, both mixed, BOM, CRLF: every file loads
    raw = head.encode("utf-8") + body + tail.encode("utf-8")
    assume(not raw.startswith(b"\x89PNG"))     # that is a .p8.png, by content
    p = tmp_path / "fuzz.p8"
    p.write_bytes(raw)
    cart = load_cart(p)
    assert all(ord(c) < 256 for c in cart.code)


def _include_tree(base: Path) -> Path:
    """A cart folder with every kind of thing an #include may name."""
    game = base / "root" / "game"
    if game.is_dir():
        return game
    (base / "root" / "libs").mkdir(parents=True)
    game.mkdir()
    (base / "root" / "libs" / "lib.p8").write_text("function lib() end\n-->8\nl=1\n")
    (base / "root" / "libs" / "cart.p8").write_text(
        "pico-8 cartridge // http://www.pico-8.com\nversion 42\n__lua__\nc=0\n-->8\nc=1\n")
    (base / "out.lua").write_text("secret=1\n")
    (game / "a.lua").write_bytes(b"a='\xff\x8b'\n")
    (game / "d.lua").mkdir()
    (game / "out.lua").symlink_to(base / "out.lua")
    return game


_TARGET_PIECES = st.sampled_from([
    "a.lua", "d.lua", "out.lua", "../libs/lib.p8", "../libs/cart.p8", ":1", ":f", "..", "/", "\\",
    "../", "x.p8", "C:", ".lua", ".p8", " ", "\x1b", "\x00", "é", "[[", "]]", "'", "--",
])


@FUZZ
@given(targets=st.lists(st.lists(_TARGET_PIECES, min_size=1, max_size=5).map("".join), max_size=4),
       wrap=st.lists(st.sampled_from(["", "s=[[\n", "]]\n", "--[==[\n", "]==]\n", "t='\\\n", "x=1 "]),
                     max_size=4))
def test_fuzz_include_directives(tmp_path_factory, targets: list[str], wrap: list[str]) -> None:
    game = _include_tree(tmp_path_factory.getbasetemp() / "inc")
    lines = [w + "#include " + t for w, t in zip(wrap + [""] * len(targets), targets)]
    p = game / "main.p8"
    p.write_bytes(("pico-8 cartridge // http://www.pico-8.com\nversion 42\n__lua__\n"
                   + "\n".join(lines) + "\n").encode("utf-8"))
    try_load(p)
    try:
        cart = load_cart(p)
    except CartError as err:
        assert "\x1b" not in str(err) and "\x00" not in str(err)
        return
    assert "secret" not in cart.code
    assert all(f.path.resolve().is_relative_to((game.parent).resolve()) for f in cart.files)


@FUZZ
@given(code_area=st.one_of(st.binary(max_size=64).map(lambda b: b"\0pxa" + b),
                           st.binary(max_size=64).map(lambda b: b":c:\0" + b), st.binary(max_size=64)))
def test_fuzz_tiny_rom(tmp_path: Path, code_area: bytes) -> None:
    p = tmp_path / "fuzz.p8.rom"
    p.write_bytes(code_area)
    try_load(p)
