"""The PICO-8 lexer: numbers, strings, comments, operators, glyph names."""
from __future__ import annotations

import pytest

from aot.lexer import parse_number, tokenize
from aot.p8scii import BUTTON_GLYPHS, normalize, to_unicode
from aot.source import CartSyntaxError, Source


def toks(code: str) -> list[tuple[str, object]]:
    return [(t.type, t.value) for t in tokenize(Source(code))][:-1]


def types(code: str) -> list[str]:
    return [t for t, _ in toks(code)]


# ------------------------------------------------------------ numbers

@pytest.mark.parametrize("text,raw", [
    ("0", 0),
    ("1", 0x10000),
    ("32767", 0x7FFF0000),
    ("0x11.4", 0x114000),            # issue 4: 0x11.4
    ("0b1010.1", 0xA8000),           # issue 4: 0b1010.1
    ("0B10.01", 0x24000),            # shrinko8 test.p8 case 6: 0B10.01 == 2.25
    ("0xf.f", 0xFF000),              # shrinko8 test.p8 case 6: 0xf.f == 15.9375
    ("0x.0040", 0x40),               # shrinko8 test.p8 case 54
    ("0xffff", -0x10000),            # hex integer parts wrap: 0xffff is -1
    ("0x7fff.ffff", 0x7FFFFFFF),
    ("0x8000", -0x80000000),
    ("1.3", 0x14CCC),                # truncated (PICO-8 prints abs(1.3) as 0x0001.4ccc)
    ("1.1", 0x11999),                # 3*1.1 = 0x3.4ccb in PICO-8 needs 1.1 = 0x1.1999
    ("12.3", 0xC4CCC),
    (".5", 0x8000),
    ("5.", 0x50000),
    ("0x1.23456", 0x12345),          # only 4 hex fraction digits count
    # decimals wrap past 32767 (shrinko8 test_compare/const.p8.printh,
    # recorded from PICO-8: ?60001 prints 0xea61.0000, ?32768.00002
    # 0x8000.0001, ?65533^2 9)
    ("32768", -0x80000000),
    ("65536", 0),
    ("60001", 0xEA610000 - 0x100000000),
    ("32768.00002", -0x7FFFFFFF),
    ("65533", -0x30000),
    ("42405.5", 0xA5A58000 - 0x100000000),   # shrinko8's form of 0b1010010110100101.1
    ("99999999999999999999", 0),     # past int64: x86's conversion, low bits 0
])
def test_number_literal_values(text: str, raw: int) -> None:
    assert parse_number(text) == raw
    assert toks(text) == [("number", raw)]


def test_no_exponent_syntax() -> None:
    # 1e2 is 1 then the name e2 (shrinko8 test.p8 case 5: x=1e2e3=1)
    assert toks("x=1e2e3=1") == [("name", "x"), ("=", "="), ("number", 0x10000),
                                 ("name", "e2e3"), ("=", "="), ("number", 0x10000)]
    assert types("1end") == ["number", "end"]


def test_dotdot_after_number_is_concat() -> None:
    assert types("1..2") == ["number", "..", "number"]


# ------------------------------------------------------------ strings

def test_string_escapes() -> None:
    # shrinko8 test.p8 case 2.5
    code = '"\\0\\0123\\n\\t\\+\\z    \\x41\\x61"'
    assert toks(code) == [("string", "\x00\x0c3\n\t\x05Aa")]


@pytest.mark.parametrize("esc,char", [
    ("*", "\x01"), ("#", "\x02"), ("-", "\x03"), ("|", "\x04"), ("+", "\x05"), ("^", "\x06"),
    ("a", "\a"), ("b", "\b"), ("f", "\f"), ("v", "\v"), ("r", "\r"), ("\\", "\\"), ("'", "'"),
])
def test_p8scii_escapes(esc: str, char: str) -> None:
    assert toks(f'"\\{esc}"') == [("string", char)]


def test_backslash_newline_in_string() -> None:
    assert toks('"a\\\nb"') == [("string", "a\nb")]


def test_decimal_escape_three_digits_max() -> None:
    assert toks('"\\0659"') == [("string", "A9")]


def test_bad_escape_is_a_syntax_error() -> None:
    with pytest.raises(CartSyntaxError, match="invalid escape"):
        tokenize(Source('x="\\q"'))


def test_unfinished_string() -> None:
    with pytest.raises(CartSyntaxError, match="unfinished string"):
        tokenize(Source('x="abc\ny=1'))


def test_long_strings() -> None:
    assert toks("[[a\nb]]") == [("string", "a\nb")]
    assert toks("[[\nfirst newline dropped]]") == [("string", "first newline dropped")]
    assert toks("[==[]]]==]") == [("string", "]]")]           # shrinko8 test.p8 case 4
    assert toks("[[[[]]") == [("string", "[[")]                # case 73.5: strings do not nest


# ------------------------------------------------------------ comments

def test_comments() -> None:
    assert types("a -- comment\nb // also a comment\nc") == ["name", "name", "name"]
    assert types("a --[[ long\n comment ]] b") == ["name", "name"]
    assert types("--[==[ x ]] ]=] ]==] y") == ["name"]


def test_long_comments_nest() -> None:
    # birdswithguns.p8 comments out a block holding a [[...]] string
    assert types("--[[ a [[ b ]] c ]] d") == ["name"]
    # shrinko8 test.p8 case 73: only brackets of the comment's own level count
    code = "a=0--[=[[[a+=1]][[a+=2]][[]]--[[--[==[a+=4]==]]]a+=8]=]a+=16"
    assert types(code) == ["name", "=", "number", "name", "+=", "number"]


def test_unfinished_long_comment() -> None:
    with pytest.raises(CartSyntaxError, match="unfinished long comment"):
        tokenize(Source("--[[ never closed"))


# ------------------------------------------------------------ operators

@pytest.mark.parametrize("op", [
    "+=", "-=", "*=", "/=", "\\=", "%=", "^=", "..=", "|=", "&=", "^^=", "<<=", ">>=", ">>>=",
    "<<>=", ">><=", "!=", "~=", "^^", "<<", ">>", ">>>", "<<>", ">><", "\\", "@", "$", "?", "...",
])
def test_operators_are_single_tokens(op: str) -> None:
    assert types(f"a {op} b") == ["name", op, "name"]


def test_positions() -> None:
    ts = tokenize(Source("a\n  bb = 3"))
    assert [(t.line, t.col, t.nl) for t in ts[:4]] == [(1, 1, True), (2, 3, True), (2, 6, False), (2, 8, False)]


# ------------------------------------------------------------ P8SCII

def test_glyph_names() -> None:
    # the button glyphs are names (globals 0-5)
    src = Source("x=⬅️+❎", form="unicode")
    assert toks(src.text) == [("name", "x"), ("=", "="), ("name", "\x8b"), ("+", "+"), ("name", "\x97")]
    assert BUTTON_GLYPHS == {0x8B: 0, 0x91: 1, 0x94: 2, 0x83: 3, 0x8E: 4, 0x97: 5}


def test_names_may_hold_0x1e_0x1f() -> None:
    assert toks("\x1e\x1f=1")[0] == ("name", "\x1e\x1f")


def test_normalize_unicode_and_bytes_forms_agree() -> None:
    uni = "?\"⬅️➡️⬆️⬇️🅾️❎ ¹ ○ あ\""
    as_bytes = "?\"\x8b\x91\x94\x83\x8e\x97 \x01 \x7f \x9a\""
    assert normalize(uni, "unicode") == as_bytes
    assert normalize(as_bytes, "bytes") == as_bytes
    assert normalize(uni) == as_bytes                  # guessed: has chars above U+00FF
    assert normalize("plain ascii") == "plain ascii"
    assert to_unicode(as_bytes) == "?\"⬅️➡️⬆️⬇️🅾️❎ ¹ ○ あ\""


def test_normalize_puny_letters_and_unknown() -> None:
    assert normalize("_𝘦𝘯𝘷", "unicode") == "_ENV"
    assert normalize("can’t", "unicode") == "can\x7ft"     # not P8SCII: becomes 0x7f


def test_error_names_tab_line_column_and_shows_line() -> None:
    src = Source("a=1\n-->8\nb=2\nc=@@#\"oops\n", "game.p8")
    with pytest.raises(CartSyntaxError) as info:
        tokenize(src)
    err = info.value
    assert (err.tab, err.tab_line, err.col) == (1, 2, 6)
    assert str(err).splitlines() == [
        "syntax error: game.p8 tab 1 line 2:6: unfinished string",
        '    c=@@#"oops',
        "         ^",
    ]
