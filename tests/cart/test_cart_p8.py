"""Reading and writing .p8 text carts: every section's layout, exactly."""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from console.cart import CartError, load_cart, save_p8
from console.cart.p8text import blank_data, format_p8, parse
from console.cart.writer import p8_text

HEAD = "pico-8 cartridge // http://www.pico-8.com\nversion 42\n"


def write(tmp_path: Path, text: str, name: str = "c.p8", crlf: bool = False) -> Path:
    p = tmp_path / name
    if crlf:
        text = text.replace("\n", "\r\n")
    p.write_bytes(text.encode("utf-8"))
    return p


def test_gfx_nibble_order(tmp_path: Path) -> None:
    # Each hex digit is one pixel, left to right; in memory the left pixel
    # of a byte is its low nibble (manual: "sprite sheet ... 4 bits per pixel").
    cart = load_cart(write(tmp_path, HEAD + "__gfx__\n0123456789abcdef\n\n" + "f" * 128 + "\n"))
    assert cart.data[0:8] == bytes((0x10, 0x32, 0x54, 0x76, 0x98, 0xBA, 0xDC, 0xFE))
    assert cart.data[8:64] == bytes(56)
    assert cart.data[64:128] == b"\xff" * 64
    assert cart.data[128:0x2000] == bytes(0x2000 - 128)


def test_map_and_lower_map_half(tmp_path: Path) -> None:
    rows = ["00" * 128] * 32 + ["ab" + "00" * 127]
    rows[0] = "0102" + "00" * 126
    cart = load_cart(write(tmp_path, HEAD + "__map__\n" + "\n".join(rows) + "\n"))
    assert cart.data[0x2000:0x2003] == b"\x01\x02\x00"
    assert cart.data[0x1000] == 0xAB        # map row 32 lives at 0x1000


def test_gff(tmp_path: Path) -> None:
    text = HEAD + "__gff__\n" + "01" + "00" * 127 + "\n" + "00" * 127 + "80\n"
    cart = load_cart(write(tmp_path, text))
    assert cart.data[0x3000] == 1 and cart.data[0x30FF] == 0x80


def test_sfx_text_to_memory(tmp_path: Path) -> None:
    # Header bytes: editor mode 01, speed 0e, loop 02..1f. First note "3c5a3":
    # pitch 0x3c, waveform 5, volume 0xa->... volume digit is 3 bits: 0xa & 7 = 2,
    # effect 3. Second note "0cf71": waveform 0xf = custom (bit 3) + wave 7.
    notes = "3c5a3" + "0cf71" + "00000" * 30
    cart = load_cart(write(tmp_path, HEAD + "__sfx__\n010e021f" + notes + "\n"))
    sfx0 = cart.data[0x3200:0x3244]
    n0 = 0x3C | 5 << 6 | 2 << 9 | 3 << 12
    n1 = 0x0C | 7 << 6 | 7 << 9 | 1 << 12 | 1 << 15
    assert sfx0[0:4] == bytes((n0 & 255, n0 >> 8, n1 & 255, n1 >> 8))
    assert sfx0[64:68] == bytes((1, 14, 2, 31))
    # sfx 1..63 keep a blank cart's values: speed 16.
    assert cart.data[0x3244 + 65] == 16


def test_music_flags_go_to_bit_7(tmp_path: Path) -> None:
    cart = load_cart(write(tmp_path, HEAD + "__music__\n05 01424344\n02 0a0b0c0d\n"))
    assert cart.data[0x3100:0x3108] == bytes((0x81, 0x42, 0xC3, 0x44, 0x0A, 0x8B, 0x0C, 0x0D))
    assert cart.data[0x3108:0x310C] == bytes((0x41, 0x42, 0x43, 0x44))   # blank pattern


def test_label_colours(tmp_path: Path) -> None:
    rows = ["0123456789abcdefghijklmnopqrstuv" * 4] * 128
    cart = load_cart(write(tmp_path, HEAD + "__label__\n" + "\n".join(rows) + "\n"))
    assert cart.label is not None
    assert cart.label[5][:32] == list(range(16)) + list(range(128, 144))


def test_code_glyphs_become_p8scii(tmp_path: Path) -> None:
    # ⬅️ (with variation selector) is 0x8b, ⬅ without it too; 🐱 is 0x82;
    # ¹ is 0x01; 𝘢 (clipboard small caps) is 'A'; é is not P8SCII: its UTF-8 bytes.
    text = HEAD + "__lua__\nprint(\"⬅️⬅🐱¹𝘢é\")\n"
    cart = load_cart(write(tmp_path, text))
    assert cart.code == 'print("\x8b\x8b\x82\x01A\xc3\xa9")'
    assert cart.code.encode("latin-1") == b'print("\x8b\x8b\x82\x01A\xc3\xa9")'


def test_variation_selectors_and_raw_bytes_in_code() -> None:
    from console.cart.p8scii import from_unicode

    # U+FE0F after a glyph is dropped; after anything else, or alone, it is
    # a character PICO-8 does not know: its UTF-8 bytes
    assert from_unicode("⬅\ufe0f\ufe0fx") == "\x8b\xef\xb8\x8fx"
    assert from_unicode("é\ufe0f") == "\xc3\xa9\xef\xb8\x8f"
    assert from_unicode("\ufe0f") == "\xef\xb8\x8f"
    # a byte that was not UTF-8 (decoded as a lone surrogate) is that byte
    assert from_unicode("a\udc81\udcffb") == "a\x81\xffb"
    assert from_unicode("plain ascii\n") == "plain ascii\n"


def test_crlf_no_header_any_order(tmp_path: Path) -> None:
    text = "__gfx__\n1\n__lua__\na=1\nb=2\n__music__\n00 01020304\n"
    cart = load_cart(write(tmp_path, text, crlf=True))
    assert cart.code == "a=1\nb=2"
    assert cart.data[0] == 1 and cart.data[0x3100:0x3104] == b"\x01\x02\x03\x04"
    assert cart.version is None
    assert cart.sections == ["gfx", "lua", "music"]


def test_missing_sections_are_blank(tmp_path: Path) -> None:
    cart = load_cart(write(tmp_path, HEAD + "__lua__\nx=1\n"))
    assert cart.data == bytes(blank_data())
    assert cart.label is None


@pytest.mark.parametrize("text, fault", [
    (HEAD + "__gfx__\n00g0\n", "line 4: bad hex digit 'g' in __gfx__"),
    (HEAD + "__gfx__\n" + "1" * 129 + "\n", "line 4: __gfx__ row has 129 digits"),
    (HEAD + "__gfx__\n" + "0\n" * 129, "line 132: __gfx__ has more than 128 rows"),
    (HEAD + "__map__\n" + "00\n" * 65, "__map__ has more than 64 rows"),
    (HEAD + "__gff__\n00\n00\n00\n", "__gff__ has more than 2 rows"),
    (HEAD + "__sfx__\n" + "0" * 169 + "1\n", "__sfx__ row has 170 digits"),
    (HEAD + "__sfx__\n" + "00\n" * 65, "__sfx__ has more than 64 rows"),
    (HEAD + "__music__\n0001020304\n", "bad __music__ line"),
    (HEAD + "__music__\n" + "00 41424344\n" * 65, "__music__ has more than 64 rows"),
    (HEAD + "__label__\nw\n", "bad digit 'w' in __label__"),
])
def test_bad_p8_text(tmp_path: Path, text: str, fault: str) -> None:
    p = write(tmp_path, text)
    with pytest.raises(CartError) as err:
        load_cart(p)
    assert str(p) in str(err.value) and fault in str(err.value)
    assert "\n" not in str(err.value)


def test_trailing_zero_digits_are_tolerated(tmp_path: Path) -> None:
    # A real test cart (femto8's test_tline.p8) has a 520-digit __gff__ row
    # whose digits past 256 are all zero.
    cart = load_cart(write(tmp_path, HEAD + "__gff__\n01" + "0" * 518 + "\n"))
    assert cart.data[0x3000] == 1


def test_pre_0_2_raw_bytes(tmp_path: Path) -> None:
    # PICO-8 before 0.1.11e wrote glyphs as raw bytes 0x80-0xff, not UTF-8
    # (a real one: femto8's "Super Oval.p8", version 16, holds every byte
    # 0-255 in a string). A byte that is not valid UTF-8 is that P8SCII byte.
    p = tmp_path / "old.p8"
    p.write_bytes(b"pico-8 cartridge // http://www.pico-8.com\nversion 8\n__lua__\n"
                  b"print('\x8b\x80\xff')\n__gfx__\n12\n")
    cart = load_cart(p)
    assert cart.code == "print('\x8b\x80\xff')"
    assert cart.data[0] == 0x21


def test_utf8_and_raw_bytes_in_one_file(tmp_path: Path) -> None:
    # each valid UTF-8 sequence is a glyph, each other byte is itself
    p = tmp_path / "mixed.p8"
    p.write_bytes(HEAD.encode() + b"__lua__\ns='" + "⬅️".encode() + b"'..'\x8e\xe2'\n")
    assert load_cart(p).code == "s='\x8b'..'\x8e\xe2'"


def test_raw_bytes_in_meta_survive_a_save(tmp_path: Path) -> None:
    from console.cart import save_p8

    p = tmp_path / "meta.p8"
    p.write_bytes(HEAD.encode() + b"__lua__\nx=1\n__meta:tool__\nk=\xff\n")
    save_p8(load_cart(p), tmp_path / "copy.p8")
    assert b"__meta:tool__\nk=\xff\n" in (tmp_path / "copy.p8").read_bytes()


@pytest.mark.parametrize("text, code", [
    ("version x\n__lua__\nx=1\n", "x=1"),            # no number: no version
    ("hello()\n", "hello()"),                        # no header, no section: Lua
    ("", ""),
    ("\ufeffpico-8 cartridge // http://www.pico-8.com\r\nversion 16\r\n__lua__\r\nx=1\r\n", "x=1"),
    (HEAD + "__gfx__\n00\n__lua__\nx=1\n__label__\n0\n__meta:a__\nz\n", "x=1"),  # any order
    (HEAD + "__gfx__\n00\n", ""),                     # no __lua__
])
def test_what_pico8_loads_loads(tmp_path: Path, text: str, code: str) -> None:
    assert load_cart(write(tmp_path, text)).code == code


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CartError, match="nope.p8: file not found"):
        load_cart(tmp_path / "nope.p8")


def test_writer_output_is_what_pico8_writes(tmp_path: Path) -> None:
    data = blank_data()
    data[0] = 0x21                          # pixels 1, 2
    data[0x3000] = 5
    data[0x2000] = 7
    data[0x3200:0x3202] = (0x3C | 5 << 6 | 2 << 9 | 3 << 12).to_bytes(2, "little")
    data[0x3200 + 64: 0x3200 + 68] = bytes((1, 14, 2, 31))
    data[0x3100:0x3104] = bytes((0x81, 0x42, 0xC3, 0x44))
    label = [[7] * 128 for _ in range(128)]
    label[0][0] = 128 + 15
    text = format_p8(bytes(data), "-- hi\nprint(\"\x8b\")", label, 42)
    expect = (HEAD + "__lua__\n-- hi\nprint(\"⬅️\")\n"
              "__gfx__\n12" + "0" * 126 + "\n"
              "__label__\nv" + "7" * 127 + "\n" + ("7" * 128 + "\n") * 127 + "\n"
              "__gff__\n05" + "00" * 127 + "\n" + "00" * 128 + "\n"
              "__map__\n07" + "00" * 127 + "\n"
              "__sfx__\n010e021f3c5a3" + "00000" * 31 + "\n"
              "__music__\n05 01424344\n\n")
    # volume digit a -> 3 bits -> 2 on read; written back as 2
    expect = expect.replace("010e021f3c5a3", "010e021f3c523")
    assert text == expect


def test_writer_keeps_newer_version_and_meta(tmp_path: Path) -> None:
    src = HEAD.replace("42", "43") + "__lua__\nx=1\n__meta:title__\nhello\n"
    cart = load_cart(write(tmp_path, src))
    out = p8_text(cart)
    assert out == HEAD.replace("42", "43") + "__lua__\nx=1\n__meta:title__\nhello\n"


_REGIONS = {"gfx": (0, 0x2000), "map": (0x2000, 0x3000), "gff": (0x3000, 0x3100),
            "music": (0x3100, 0x3200), "sfx": (0x3200, 0x4300)}


def _random_data(seed: int, blanked: set[str]) -> bytes:
    """Random cart data, with some regions left as a blank cart has them."""
    import random

    rnd = random.Random(seed)
    data = bytearray(rnd.randbytes(0x4300))
    blank = blank_data()
    for name in blanked:
        lo, hi = _REGIONS[name]
        data[lo:hi] = blank[lo:hi]
    return bytes(data)


def _random_label(seed: int) -> list[list[int]]:
    import random

    rnd = random.Random(seed)
    colours = list(range(16)) + list(range(128, 144))
    return [[rnd.choice(colours) for _ in range(128)] for _ in range(128)]


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32), blanked=st.sets(st.sampled_from(sorted(_REGIONS))),
       code=st.text(alphabet=st.characters(min_codepoint=1, max_codepoint=255,
                                           blacklist_characters="\r"), max_size=200),
       label_seed=st.none() | st.integers(0, 2**32))
def test_random_cart_round_trips_byte_exact(seed: int, blanked: set[str], code: str,
                                            label_seed: int | None) -> None:
    data = _random_data(seed, blanked)
    label = None if label_seed is None else _random_label(label_seed)
    # Lines PICO-8 itself could not keep in __lua__ (section headers) are left out.
    code = "\n".join(line for line in code.split("\n") if not line.startswith("__"))
    text = format_p8(data, code, label, 42)
    parsed = parse(text)
    assert bytes(parsed.data) == data
    assert parsed.code == code
    assert parsed.label == label
    # and the text is stable: writing what was read gives the same text
    assert format_p8(bytes(parsed.data), parsed.code, parsed.label, 42) == text


def test_save_p8_then_load(tmp_path: Path) -> None:
    src = write(tmp_path, HEAD + "__lua__\nx=1\n-->8\ny=2\n__gfx__\n77\n")
    cart = load_cart(src)
    out = tmp_path / "out.p8"
    save_p8(cart, out)
    again = load_cart(out)
    assert again.data == cart.data and again.code == cart.code
    assert again.locate(3).tab == 1 and again.locate(3).line == 1
