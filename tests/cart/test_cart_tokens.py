"""PICO-8 token counting. Hand-worked counts follow the manual's rules
("Code limits": literals, names, operators and opening brackets count one;
`,` `.` `:` `;` `::` `)` `]` `}` `end` `local` and comments count nothing;
a unary minus before a number literal is part of the number)."""
from __future__ import annotations

import pytest

from console.cart.tokens import count_tokens, tokenize


@pytest.mark.parametrize("code, expected", [
    ("", 0),
    ("x=1", 3),                                  # x = 1
    ("local x=1", 3),                            # local is free
    ("function f(a,b) return a+b end", 9),       # function f ( a b return a + b
    ("print(\"hi\")", 3),                        # print ( "hi"
    ("t={1,2,3}", 6),                            # t = { 1 2 3
    ("a.b.c=d:e()", 7),                          # a b c = d e (
    ("x=-1", 3),                                 # unary minus on a literal is free
    ("x=a-1", 5),                                # binary minus counts
    ("x=-a", 4),                                 # unary minus on a name counts
    ("f(-1)", 3),                                # f ( 1
    ("x=~0x0f", 3),                              # ~ before a number is free too
    ("x=(a)-1", 6),                              # after ) it is binary
    ("x=- 1", 4),                                # a space makes it an operator
    ("-1", 2),                                   # nothing before it: counts
    ("-- comment\nx=1 // also\n--[[ long\n]] y=2", 6),
    ("x+=1 x..=\"a\" x>>>=1 x^^=2 x<<>=1", 15),
    ("a!=b a~=b a//b", 7),                       # `//` starts a comment in PICO-8
    ("::top:: goto top", 3),                     # :: is free
    ("x=[[long\nstring]]..[=[x]=]", 5),
    ("?\"hi\"", 2),
    ("if(a)b=1;c=2 end", 9),
    ("x=0x1.8 y=0b101 z=.5 w=1.", 12),
    ("a=@0x5f00 b=%0 c=$0", 12),
])
def test_token_counts(code: str, expected: int) -> None:
    assert count_tokens(code) == expected


def test_operators_are_single_tokens() -> None:
    texts = [t[1] for t in tokenize("a>>>=b<<>c>><d..=e...f::g^^h\\i")]
    assert texts == ["a", ">>>=", "b", "<<>", "c", ">><", "d", "..=", "e", "...", "f", "::",
                     "g", "^^", "h", "\\", "i"]


def test_strings_with_escapes() -> None:
    toks = tokenize("s='a\\'b' t=\"x\\z\n   y\"")
    assert [t[1] for t in toks] == ["s", "=", "'a\\'b'", "t", "=", "\"x\\z\n   y\""]


def test_p8scii_names() -> None:
    # bytes 0x80-0xff (glyphs) are name characters in PICO-8
    assert [t[0] for t in tokenize("\x8b=1")] == ["name", "punct", "number"]
