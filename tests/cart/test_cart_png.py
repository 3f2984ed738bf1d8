"""The .p8.png format: ROM bytes in the pixels' low bits, and the label."""
from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from console.cart import CartError, load_cart, save_png, save_rom
from console.cart.model import Cart
from console.cart.p8text import blank_data
from console.cart.png import LABEL_X, LABEL_Y, PALETTE, decode, encode


def make_cart(tmp_path: Path, code: str = "print('hi')\n-->8\nx=1") -> Cart:
    data = blank_data()
    data[0] = 0x12
    data[0x42FF] = 0x99
    label = [[(x + y) % 16 for x in range(128)] for y in range(128)]
    label[3][4] = 140
    return Cart(path=tmp_path / "src.p8", data=bytes(data), code=code, source=code, label=label)


def test_byte_packing_order() -> None:
    # Byte i lives in pixel i as A<<6 | R<<4 | G<<2 | B (low two bits each).
    img = Image.new("RGBA", (160, 205), (0, 0, 0, 0))
    img.putpixel((0, 0), (0b01, 0b10, 0b11, 0b00))     # -> 0b00_01_10_11
    img.putpixel((1, 0), (0xFF, 0xFC, 0xFD, 0xFE))     # -> 0b10_11_00_01
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    rom, tail, label = decode(buf.getvalue())
    assert rom[0] == 0b00011011 and rom[1] == 0b10110001
    assert len(rom) == 0x8000 and len(tail) == 0x20
    assert label is not None and label[0][0] == 0     # black label window


def test_write_read_round_trip(tmp_path: Path) -> None:
    cart = make_cart(tmp_path)
    out = tmp_path / "out.p8.png"
    save_png(cart, out)
    with Image.open(out) as img:
        assert img.size == (160, 205)
        # the label is drawn in PICO-8 colours at (16, 24)
        r, g, b, _ = img.convert("RGBA").getpixel((LABEL_X + 4, LABEL_Y + 3))
        assert (r & 0xFC, g & 0xFC, b & 0xFC) == tuple(c & 0xFC for c in PALETTE[140])
    back = load_cart(out)
    assert back.rom == cart.rom
    assert back.code == cart.code and back.data == cart.data
    assert back.label == cart.label
    assert back.code_format == "pxa" or back.code_format == "plain"
    assert back.version == 42 and back.file_format == "png"
    assert back.locate(3).tab == 1


def test_trailer_carries_hash(tmp_path: Path) -> None:
    import hashlib

    cart = make_cart(tmp_path)
    raw = encode(cart.rom, 42, None, [])
    with Image.open(io.BytesIO(raw)) as img:
        px = img.convert("RGBA").tobytes()
    data = bytes((px[4 * i + 3] & 3) << 6 | (px[4 * i] & 3) << 4 | (px[4 * i + 1] & 3) << 2
                 | (px[4 * i + 2] & 3) for i in range(0x8020))
    assert data[:0x8000] == cart.rom
    assert data[0x8000] == 42
    assert data[0x8006:0x801A] == hashlib.sha1(cart.rom).digest()


def test_rom_round_trip(tmp_path: Path) -> None:
    cart = make_cart(tmp_path, "x=1\n" * 300)
    out = tmp_path / "out.p8.rom"
    save_rom(cart, out)
    raw = out.read_bytes()
    assert len(raw) == 0x8000 and raw[0x4300:0x4304] == b"\0pxa"
    back = load_cart(out)
    assert back.code == cart.code and back.data == cart.data and back.file_format == "rom"


def test_wrong_size_png(tmp_path: Path) -> None:
    p = tmp_path / "small.p8.png"
    Image.new("RGBA", (128, 128)).save(p)
    with pytest.raises(CartError, match=r"small.p8.png: image is 128x128; a cart is 160x205"):
        load_cart(p)


def test_truncated_png(tmp_path: Path) -> None:
    cart = make_cart(tmp_path)
    good = tmp_path / "good.p8.png"
    save_png(cart, good)
    bad = tmp_path / "cut.p8.png"
    raw = good.read_bytes()
    bad.write_bytes(raw[: len(raw) // 2])
    with pytest.raises(CartError, match=r"cut.p8.png: corrupt PNG"):
        load_cart(bad)


def test_png_extension_without_png(tmp_path: Path) -> None:
    p = tmp_path / "fake.p8.png"
    p.write_text("pico-8 cartridge // http://www.pico-8.com\n")
    with pytest.raises(CartError, match="fake.p8.png: not a PNG image"):
        load_cart(p)


def test_corrupt_code_in_png(tmp_path: Path) -> None:
    rom = bytearray(blank_data()) + bytearray(0x3D00)
    rom[0x4300:0x430C] = b"\0pxa\0\x10\0\x0c" + bytes((0, 0, 0, 0))   # back-ref before start
    p = tmp_path / "broken.p8.png"
    p.write_bytes(encode(bytes(rom), 42, None, []))
    with pytest.raises(CartError, match="broken.p8.png: compressed code .pxa format."):
        load_cart(p)


def test_rom_wrong_size(tmp_path: Path) -> None:
    p = tmp_path / "short.p8.rom"
    p.write_bytes(bytes(20000))
    with pytest.raises(CartError, match=r"short.p8.rom: a .p8.rom is 32768 bytes \(or at most 15616 "
                                        r"for code only\); this file has 20000"):
        load_cart(p)


def test_tiny_rom_is_code_only(tmp_path: Path) -> None:
    # PICO-8 0.2.4c `export -t`: the file is the compressed code alone, "loaded
    # into the code section, and the other sections reset to their default states"
    from console.cart.compress import compress_pxa

    p = tmp_path / "tiny.p8.rom"
    p.write_bytes(compress_pxa(b"print('tiny')\n-->8\nx=1"))
    cart = load_cart(p)
    assert cart.code == "print('tiny')\n-->8\nx=1" and cart.code_format == "pxa"
    assert cart.data == bytes(blank_data())


def test_code_too_big_for_a_rom(tmp_path: Path) -> None:
    import random

    rnd = random.Random(1)
    noise = "".join(chr(rnd.randrange(1, 256)) for _ in range(20000))
    cart = make_cart(tmp_path, noise)
    assert not cart.code_fits and cart.rom[0x4300:] == bytes(0x3D00)
    with pytest.raises(CartError, match="does not fit"):
        save_png(cart, tmp_path / "x.p8.png")
