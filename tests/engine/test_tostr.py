"""tostr()/tonum() for numbers: PICO-8's printed forms and number syntax.

PICO-8 facts used (sources in the test names' docstrings):
 femto8 carts/tests.p8: tostr(17, 0x1/0x3/0x2), tonum(.., 0x1/0x2/0x3),
   tostr(-32768, true), tostr(32767.99999, true)
 shrinko8 const.p8.printh: 0x8000 .. -2 prints "-32768-2"; "1" .. 2.3 is "12.3"
 shrinko8 reorder.p8.printh: sqrt(4) .. sqrt(9) is "23"
 lexaloffle BBS: 0x7.ffff prints "8"; -0x.0006 prints "-0" (pid 74969);
   0xffff.ffff prints "-0" and 0x.0001 prints "0" (pid 46822);
   0x7b18.3060 prints "31512.189" (tid 53595); 0.4 prints "0.4" (tid 40245);
   256/(256*256) prints "32768" and 256/65536*256 prints "-2" (the literal
   65536 reads as -32768).
 fake-08 test/carts/tonumtest2.p8 comments: tonum('99999') is -32768.
"""
from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import support.fix32_model as fm
from console._engine import ffi, lib

MANY = settings(max_examples=3000, deadline=None)
fix = st.integers(min_value=fm.MIN, max_value=fm.MAX)


def tostr(x: int, flags: int = 0) -> str:
    buf = ffi.new("char[]", 16)
    n = lib.p8_tostr(x, flags, buf, 16)
    assert n > 0
    return ffi.string(buf, n).decode("ascii")


def tonum(text: str | bytes, flags: int = 0) -> int | None:
    data = text.encode("latin-1") if isinstance(text, str) else text
    out = ffi.new("fix32 *")
    ok = lib.p8_tonum(data, len(data), flags, out)
    return out[0] if ok else None


# --- tostr ----------------------------------------------------------------


def test_femto8_tostr_flags() -> None:
    assert tostr(17 << 16) == "17"
    assert tostr(17 << 16, 0x1) == "0x0011.0000"
    assert tostr(17 << 16, 0x3) == "0x00110000"
    assert tostr(17 << 16, 0x2) == "1114112"
    assert tostr(fm.MIN, 0x1) == "0x8000.0000"
    assert tostr(fm.raw("32767.99999"), 0x1) == "0x7fff.ffff"


@pytest.mark.parametrize(
    "raw,want",
    [
        (0, "0"),
        (fm.raw("-32768"), "-32768"),      # 0x8000 .. -2 -> "-32768-2"
        (fm.raw("2.3"), "2.3"),            # "1" .. 2.3 -> "12.3"
        (fm.raw("0x7.ffff"), "8"),
        (fm.raw("-0x.0006"), "-0"),
        (-1, "-0"),
        (1, "0"),
        (fm.raw("0x7b18.3060"), "31512.189"),
        (fm.raw("0.4"), "0.4"),
        (fm.MAX, "32768"),                 # 256/(256*256) = 0x7fff.ffff
        (fm.raw("55.8009033203125"), "55.8009"),  # input.p8 line 137 -> "55.8009"
        (0x5555, "0.3333"),                # 1/3
        (-0x5555, "-0.3333"),
        (fm.raw("-0.5"), "-0.5"),
        (fm.raw("0.5"), "0.5"),
        (fm.raw("-1.5"), "-1.5"),
        (fm.MIN + 1, "-32767.9999"),
        (fm.raw("0x.0800"), "0.0313"),     # an exact tie rounds up
        (fm.raw("-0x.0800"), "-0.0312"),   # negative truncates
        (fm.raw("0x.0003"), "0"),
        (fm.raw("0x.0004"), "0.0001"),
        (fm.raw("1.0001"), "1.0001"),
        (fm.raw("12.25"), "12.25"),
        (fm.raw("-12.1"), "-12.0999"),     # -12.1 is -0xc.1999...
        (fm.raw("12.1"), "12.1"),
    ],
)
def test_decimal_form(raw: int, want: str) -> None:
    assert tostr(raw) == want


@pytest.mark.parametrize(
    "raw,flags,want",
    [
        (-1, 0x1, "0xffff.ffff"),
        (-1, 0x2, "-1"),
        (-1, 0x3, "0xffffffff"),
        (fm.MIN, 0x2, "-2147483648"),
        (fm.MAX, 0x2, "2147483647"),
        (0x12345678, 0x3, "0x12345678"),
        (0x12345678, 0x1, "0x1234.5678"),
        (0x12345678, 0x5, "0x1234.5678"),  # unknown bits are ignored
    ],
)
def test_flag_forms(raw: int, flags: int, want: str) -> None:
    assert tostr(raw, flags) == want


def test_famous_overflow_prints() -> None:
    """BBS: print(256/65536*256) shows -2 and print(256/(256*256)) shows 32768."""
    big = tonum("65536")
    assert big == fm.MIN
    assert tostr(lib.p8_fix_mul(lib.p8_fix_div(256 << 16, big), 256 << 16)) == "-2"
    assert tostr(lib.p8_fix_div(256 << 16, lib.p8_fix_mul(256 << 16, 256 << 16))) == "32768"


def test_tostr_refuses_small_buffer() -> None:
    buf = ffi.new("char[]", 8)
    assert lib.p8_tostr(12345 << 16, 0, buf, 8) == 0


@MANY
@given(fix)
def test_decimal_matches_model(x: int) -> None:
    assert tostr(x) == fm.tostr(x)


@MANY
@given(fix)
def test_hex_forms_round_trip(x: int) -> None:
    assert tonum(tostr(x, 0x1)) == x
    assert tonum(tostr(x, 0x3)[2:], 0x3) == x
    assert tonum(tostr(x, 0x2), 0x2) == x


@MANY
@given(fix)
def test_decimal_form_reads_back_close(x: int) -> None:
    """Printing keeps 4 decimals, so reading back is within 0.0001."""
    back = tonum(tostr(x))
    assert back is not None
    if x & 0xFFFF == 0:
        assert back == x
    elif fm.tostr(x) != "32768":
        assert abs(back - x) <= 7  # 0.0001 is 6.55 raw units


# --- tonum ----------------------------------------------------------------


def test_femto8_tonum_flags() -> None:
    assert tonum("ff", 0x1) == 255 << 16
    assert tonum("1114112", 0x2) == 17 << 16
    assert tonum("1234abcd", 0x3) == 0x1234ABCD


@pytest.mark.parametrize(
    "text,want",
    [
        ("12345", "12345"),
        ("-12345.67", "-12345.67"),
        ("0x0f", "0x0f"),
        ("0x0f.abc", "0x0f.abc"),
        ("0b1001", "0b1001"),
        ("32767", "32767"),
        ("99999", "0x8000"),        # fake-08 tonumtest2: -32768
        ("32768", "0x8000"),
        ("65536", "0x8000"),
        ("-32768", "0x8000"),
        ("-32768.5", "0x8000"),
        ("32767.99999", "0x7fff.ffff"),
        ("1.1", "0x1.1999"),
        ("-1.1", "-0x1.1999"),
        ("0.001", "0x.0041"),
        (".5", "0.5"),
        ("5.", "5"),
        ("  7  ", "7"),
        ("\t-3\n", "-3"),
        ("+3", "3"),
        ("0xffff", "-1"),
        ("0x1ffff", "-1"),          # integer part wraps modulo 2^16
        ("0x.00001", "0"),          # only 4 hex fraction digits count
        ("0x.12345", "0x.1234"),
        ("0XAB.C", "0xab.c"),
        ("-0x8000", "0x8000"),
        ("0b.1", "0.5"),
        ("0b1111111111111111.1111111111111111", "0xffff.ffff"),
        ("0000012", "12"),
        ("0.99999999999999999999", "0x0.ffff"),  # rp8 truncates exactly
    ],
)
def test_reads_like_pico8(text: str, want: str) -> None:
    assert tonum(text) == fm.raw(want)


@pytest.mark.parametrize(
    "text",
    ["", " ", "-", ".", "0x", "0b", "0x.", "abc", "1e3", "1 2", "0b102", "0x1g", "--1",
     "1.2.3", "inf", "nan", "12abc", "0x1.2.3", "\x00", "1\x00"],
)
def test_rejects(text: str) -> None:
    assert tonum(text) is None
    assert tonum(text, 0x4) == 0


def test_flag_forms_of_tonum() -> None:
    # the hex flag: unsigned integer digits, a non-hex character counts as
    # '0' (manual, TONUM 0x1; BBS pid 90457: tonum("3xz", 1) is 768)
    assert tonum("3xz", 0x1) == 768 << 16
    assert tonum("-ff", 0x1) == 0x0ff << 16
    assert tonum("0x10", 0x1) == 0x10 << 16
    assert tonum("12345", 0x1) == 0x2345 << 16     # wraps like a literal
    assert tonum("ffffffff", 0x3) == -1
    assert tonum("", 0x1) is None
    assert tonum("", 0x5) == 0
    assert tonum("-1", 0x2) == -1
    assert tonum("0x10000", 0x2) == 0x10000
    assert tonum("4294967295", 0x2) == -1
    assert tonum("1.5", 0x2) is None     # raw integers have no fraction
    assert tonum("zz", 0x6) == 0


def decimal_reference(text: str) -> int:
    """Exact truncation of a decimal string to 1/65536; 32768+ is -32768."""
    value = Fraction(text)
    v = int(abs(value) * fm.ONE)
    if v >= 2**31:
        return fm.MIN
    return fm.wrap(-v if value < 0 else v)


@MANY
@given(
    st.booleans(),
    st.integers(0, 40000),
    st.text(alphabet="0123456789", min_size=0, max_size=9),
)
def test_decimals_read_exactly(negative: bool, ip: int, frac: str) -> None:
    text = ("-" if negative else "") + str(ip) + ("." + frac if frac else "")
    assert tonum(text) == decimal_reference(text)
