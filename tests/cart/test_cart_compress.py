"""The ROM code area: plain text, old :c: compression and PXA.

Expected streams are assembled by hand in this file from the published bit
layout of the formats (PICO-8 wiki P8PNGFileFormat / Lexaloffle's pxa
snippets), independently of rp8's encoder.
"""
from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from console.cart.compress import (
    CODE_SIZE, CodeError, compress_pxa, decompress, encode_code_area,
)


def bits_to_bytes(bits: str) -> bytes:
    """'0110...' in stream order -> bytes, each filled from its lowest bit."""
    out = bytearray((len(bits) + 7) // 8)
    for i, b in enumerate(bits):
        if b == "1":
            out[i >> 3] |= 1 << (i & 7)
    return bytes(out)


def lsb(value: int, width: int) -> str:
    """`value` as `width` stream bits, least significant first."""
    return "".join("1" if value >> i & 1 else "0" for i in range(width))


def pxa(raw_len: int, bits: str) -> bytes:
    body = bits_to_bytes(bits)
    total = 8 + len(body)
    return b"\0pxa" + bytes((raw_len >> 8, raw_len & 255, total >> 8, total & 255)) + body


def test_pxa_literal_then_back_reference() -> None:
    # 'a' (0x61) sits at move-to-front index 97: 48 <= 97 < 112, so two
    # extra index bits ("110") and 6 bits of 97-48. Then a back-reference of
    # offset 1 ("11" + 5 bits of 0) and length 3 (3 bits of 0).
    bits = "1" + "110" + lsb(97 - 48, 6) + "0" + "11" + lsb(0, 5) + lsb(0, 3)
    assert decompress(pxa(4, bits))[0] == b"aaaa"


def test_pxa_move_to_front_order() -> None:
    # After 'b' (98) is used it moves to index 0; 'a' (97) is then at 98.
    bits = ("1" + "110" + lsb(98 - 48, 6)      # b
            + "1" + "0" + lsb(0, 4)            # index 0: b again
            + "1" + "110" + lsb(98 - 48, 6))   # index 98: now 'a'
    assert decompress(pxa(3, bits))[0] == b"bba"


def test_pxa_long_length_chain_and_10_bit_offset() -> None:
    # 40 distinct-ish literals, then a copy of 40 bytes from offset 40:
    # offset-1 = 39 needs the 10-bit form ("10"), length 40 = 3+7+7+7+7+7+2.
    src = bytes(range(200, 240))
    bits = ""
    mtf = list(range(256))
    for ch in src:
        idx = mtf.index(ch)
        bits += "1" + "1110" + lsb(idx - 112, 7)   # 112 <= idx < 240
        mtf.remove(ch)
        mtf.insert(0, ch)
    bits += "0" + "10" + lsb(39, 10) + "".join(lsb(p, 3) for p in (7, 7, 7, 7, 7, 2))
    assert decompress(pxa(80, bits))[0] == src + src


def test_pxa_raw_block() -> None:
    # "0" block, "10" + ten zero bits = raw block marker, bytes until NUL.
    bits = "0" + "10" + lsb(0, 10) + lsb(ord("h"), 8) + lsb(ord("i"), 8) + lsb(0, 8)
    assert decompress(pxa(2, bits))[0] == b"hi"


def test_old_format_table_literals_and_back_reference() -> None:
    # 0x0d..: table index 13 is 'a' (1 '\n', 2 ' ', 3-12 digits, 13 'a').
    # Byte 0 escapes a raw byte. 60+ starts a back-reference:
    # offset = (b0-60)*16 + (b1 & 15), length = (b1 >> 4) + 2.
    stream = bytes((13, 14, 0, ord("Q"), 60, 0x13))   # a b Q, then copy 3 from offset 3
    data = b":c:\0" + bytes((0, 6, 0, 0)) + stream
    code, fmt, used = decompress(data + bytes(CODE_SIZE - len(data)))
    assert (code, fmt, used) == (b"abQabQ", "old", 14)


def _old_raw(code: bytes) -> bytes:
    """An old-format area holding `code` as raw-byte literals."""
    stream = b"".join(bytes((0, c)) for c in code)
    data = b":c:\0" + bytes((len(code) >> 8, len(code) & 255, 0, 0)) + stream
    return data + bytes(CODE_SIZE - len(data))


FUTURE1 = b"if(_update60)_update=function()_update60()_update60()end"
FUTURE2 = b"if(_update60)_update=function()_update60()_update_buttons()_update60()end"


@pytest.mark.parametrize("footer", [FUTURE1, FUTURE2])
def test_old_format_future_code_footer_is_stripped(footer: bytes) -> None:
    # PICO-8 0.1.7-0.1.11 appended it before compressing and strip it at
    # the very end of old-format code (zepto8's rulez.p8.png ends with it,
    # glued to the last 'end').
    assert decompress(_old_raw(b"x=1\nend" + footer))[0] == b"x=1\nend"


@pytest.mark.parametrize("code", [
    FUTURE1 + b"\n",                  # not at the very end
    FUTURE1 + b"x=1\n" + FUTURE1,     # the first occurrence does not end the code
])
def test_old_format_future_code_elsewhere_is_kept(code: bytes) -> None:
    assert decompress(_old_raw(code))[0] == code


def test_future_code_footer_is_kept_in_pxa_and_plain_code() -> None:
    area = b"x=1 " + FUTURE1
    assert decompress(area + bytes(CODE_SIZE - len(area)))[0] == area
    assert decompress(compress_pxa(area))[0] == area


def test_plain_code_ends_at_nul() -> None:
    area = b"print(1)\0garbage" + bytes(CODE_SIZE - 16)
    assert decompress(area) == (b"print(1)", "plain", 8)


@pytest.mark.parametrize("area, fault", [
    (pxa(10, "0" + "11" + lsb(4, 5) + lsb(0, 3)), "refers back 5 bytes"),
    (pxa(10, ("1" + "0" + lsb(1, 4)) * 4), "ends after 4 of 10"),
    (b"\0pxa\0\x05\0\x03", "impossible size"),
    (b"\0pxa\0\x05\xff\xff", "impossible size"),
    (b":c:\0\0\x05\0\0" + bytes((60, 0x10)), "refers back 0 bytes"),
    (b":c:\0\x10\x00\0\0" + bytes((13,)), "runs past the end"),
])
def test_corrupt_code_is_reported(area: bytes, fault: str) -> None:
    with pytest.raises(CodeError, match=fault):
        decompress(area)


def test_pxa_malformed_literal() -> None:
    bits = "1" + "1" * 17 + "0" * 40
    with pytest.raises(CodeError, match="malformed literal"):
        decompress(pxa(3, bits))


def test_compress_writes_pico8_header() -> None:
    packed = compress_pxa(b"hello hello hello")
    assert packed[:4] == b"\0pxa"
    assert packed[4:6] == (17).to_bytes(2, "big")
    assert packed[6:8] == len(packed).to_bytes(2, "big")


def test_code_area_is_plain_when_compression_does_not_help() -> None:
    area = encode_code_area(b"x=1")
    assert area[:4] == b"x=1\0" and len(area) == CODE_SIZE


def test_code_area_too_big() -> None:
    import random

    rnd = random.Random(5)
    noise = bytes(rnd.randrange(1, 256) for _ in range(20000))
    with pytest.raises(CodeError, match="compresses to"):
        encode_code_area(noise)


@settings(max_examples=200, deadline=None)
@given(st.binary(min_size=1, max_size=3000).map(lambda b: b.replace(b"\0", b"\1")))
def test_pxa_round_trip_random(code: bytes) -> None:
    packed = compress_pxa(code)
    assert decompress(packed + bytes(16))[0] == code


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(["function ", "end", "\n", " ", "x", "y+=1", "for i=1,10 do",
                                 "print(", ")", "local ", "--", "🐱", "0x7fff"]),
                max_size=400).map("".join))
def test_pxa_round_trip_code_like(text: str) -> None:
    code = text.encode("utf-8")
    area = encode_code_area(code)
    assert decompress(area)[0] == code
