"""PICO-8 Lua tokens.

One compiled regular expression recognises every token; Python loops once
per token, which keeps a 90 KB cart well under a tenth of a second.

PICO-8's lexical dialect, beyond Lua 5.2:
- `//` starts a line comment, like `--`;
- numbers are fix32: decimal, `0x` hex and `0b` binary, each with an
  optional fraction (`0x11.4`, `0b1010.1`); there is no exponent, so `1e2`
  is the number 1 followed by the name `e2`; decimal fractions are
  truncated to 16 bits, integer parts wrap to 16 bits;
- operators `!=` `\\` `^^` `<<` `>>` `>>>` `<<>` `>><` `@` `$` `?`, unary `~`,
  and a compound assignment `op=` for every binary operator;
- string escapes `\\*` `\\#` `\\-` `\\|` `\\+` `\\^` for P8SCII codes 1-6;
- P8SCII bytes 0x80-0xff, 0x1e and 0x1f may appear in names (the button
  glyphs are names; the identifier set is the one shrinko8 documents).
"""
from __future__ import annotations

import re

from aot.source import CartSyntaxError, Source

KEYWORDS = frozenset(
    "and break do else elseif end false for function goto if in local nil not or "
    "repeat return then true until while".split()
)

# Longest first, so `>>>=` wins over `>>>` over `>>` over `>`.
_OPERATORS = sorted(
    """>>>= <<>= >><= ^^= ..= <<= >>= >>> <<> >>< ...
    == ~= != <= >= << >> ^^ .. :: += -= *= /= \\= %= ^= |= &=
    + - * / \\ % ^ # & | ~ < > = ( ) { } [ ] ; : , . @ $ ?""".split(),
    key=len,
    reverse=True,
)

# A quoted string is only opened here; _string_end finds its end by jumping
# from escape to escape (a regex over the whole literal keeps state per
# character or per escape: a 3 MB literal took 1.2 GB).
_TOKEN_RE = re.compile(
    r"""
    (?P<ws>[ \t\r\n\f\v]+)
  | (?P<longcomment>--\[(?P<lceq>=*)\[)
  | (?P<comment>(?:--|//)[^\n]*)
  | (?P<longstring>\[(?P<lseq>=*)\[)
  | (?P<number>0[xX][0-9a-fA-F]*(?:\.[0-9a-fA-F]*)?|0[bB][01]*(?:\.[01]*)?|[0-9]+(?:\.(?!\.)[0-9]*)?|\.[0-9]+)
  | (?P<name>[A-Za-z_\x1e\x1f\x80-\xff][A-Za-z0-9_\x1e\x1f\x80-\xff]*)
  | (?P<string>["'])
  | (?P<op>"""
    + "|".join(re.escape(o) for o in _OPERATORS)
    + r""")
    """,
    re.X,
)

_ESCAPES = {
    "a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v",
    "\\": "\\", '"': '"', "'": "'", "\n": "\n",
    # P8SCII control codes 1-6 (PICO-8 manual, "P8SCII control codes")
    "*": "\x01", "#": "\x02", "-": "\x03", "|": "\x04", "+": "\x05", "^": "\x06",
}
_ESCAPE_RE = re.compile(r"\\(?:x([0-9a-fA-F]{2})|([0-9]{1,3})|z[ \t\r\n\f\v]*|([\s\S]))")


class Token:
    """`type` is "name", "number", "string", "eof", or the keyword/operator
    itself; `value` is the name, the fix32 raw bits, or the decoded string.
    `nl` is True when a line break separates it from the previous token."""

    __slots__ = ("type", "value", "line", "col", "nl")

    def __init__(self, type: str, value: object, line: int, col: int, nl: bool) -> None:
        self.type = type
        self.value = value
        self.line = line
        self.col = col
        self.nl = nl

    def __repr__(self) -> str:
        return f"Token({self.type!r}, {self.value!r}, {self.line}:{self.col})"

    def describe(self) -> str:
        """How an error message names this token (`near '...'`)."""
        if self.type == "eof":
            return "<eof>"
        if self.type == "number":
            raw = int(self.value)  # type: ignore[call-overload]
            return str(raw >> 16) if raw & 0xFFFF == 0 else repr(raw / 65536)
        if self.type == "string":
            return repr(self.value)
        if self.type == "name":
            return str(self.value)
        return self.type


def _wrap32(raw: int) -> int:
    raw &= 0xFFFFFFFF
    return raw - 0x100000000 if raw & 0x80000000 else raw


def parse_number(text: str) -> int:
    """A PICO-8 number literal -> fix32 raw bits (signed 32-bit int).

    Hex and binary integer parts keep their low 16 bits (0xffff is -1) and
    fractions their first 16 bits. A decimal is read as a double and scaled
    by 65536, truncated toward zero and wrapped to 32 bits, as z8lua's
    fix32(double) does (PICO-8 0.2.5+ is built with z8lua): 1.3 is
    0x0001.4ccc, 60001 is 0xea61.0000, 32768.00002 is 0x8000.0001 and 65533
    is -3 (shrinko8's test_compare/const.p8.printh, recorded from PICO-8;
    shrinko8 writes such decimals for fillp patterns, 42405.5 for
    0b1010010110100101.1). A decimal too big for int64 reads as 0 (x86's
    conversion gives 0x8000000000000000, whose low 32 bits are 0)."""
    low = text.lower()
    if low.startswith("0x"):
        base, body = 16, low[2:]
    elif low.startswith("0b"):
        base, body = 2, low[2:]
    else:
        scaled = float(low) * 65536.0
        return _wrap32(int(scaled) if abs(scaled) < 2.0 ** 63 else 0)
    whole, _, frac = body.partition(".")
    ipart = int(whole, base) if whole else 0
    raw = ipart << 16
    if frac:
        num = int(frac, base)
        den = base ** len(frac)
        raw += (num << 16) // den
    return _wrap32(raw)


_STRING_STOP = {'"': re.compile(r'["\\\n]'), "'": re.compile(r"['\\\n]")}


def _string_end(text: str, pos: int) -> int:
    """The end of the quoted string opened at `pos` (-1: unfinished). A
    backslash escapes the next character, a line break included."""
    stop = _STRING_STOP[text[pos]].search
    i = pos + 1
    while True:
        m = stop(text, i)
        if m is None:
            return -1
        c = m.group()
        if c == "\n":
            return -1
        if c != "\\":
            return m.end()
        i = m.end() + 1


def decode_string(body: str, source: Source, line: int, col: int) -> str:
    """The value of a quoted string's body (between the quotes)."""
    if "\\" not in body:
        return body

    def repl(m: re.Match[str]) -> str:
        if m.group(1) is not None:
            return chr(int(m.group(1), 16))
        if m.group(2) is not None:
            v = int(m.group(2))
            if v > 255:
                raise CartSyntaxError(source, line, col, f"decimal escape too large near '\\{m.group(2)}'")
            return chr(v)
        ch = m.group(3)
        if ch is None:          # \z: skip the following whitespace
            return ""
        esc = _ESCAPES.get(ch)
        if esc is None:
            raise CartSyntaxError(source, line, col, f"invalid escape sequence '\\{ch}'")
        return esc

    return _ESCAPE_RE.sub(repl, body)


def _long_comment_end(text: str, pos: int, eqs: str) -> int:
    """Where a long comment opened just before `pos` ends (-1: never).

    PICO-8 nests long comments: inside `--[[`, each further `[[` needs its
    own `]]` (birdswithguns.p8 comments out a block holding a `[[...]]`
    string this way). Long *strings* do not nest: `[[[[]]` is "[[" (shrinko8's
    test.p8, case 73.5). Only brackets of the comment's own level count."""
    open_, close = "[" + eqs + "[", "]" + eqs + "]"
    depth = 1
    while True:
        c = text.find(close, pos)
        if c < 0:
            return -1
        o = text.find(open_, pos, c)
        if o >= 0:
            depth += 1
            pos = o + len(open_)
            continue
        depth -= 1
        pos = c + len(close)
        if depth == 0:
            return pos


def tokenize(source: Source) -> list[Token]:
    """Every token of the source, ending with an "eof" token."""
    text = source.text
    tokens: list[Token] = []
    append = tokens.append
    pos = 0
    line = 1
    line_start = 0
    nl = True
    n = len(text)
    match = _TOKEN_RE.match
    while pos < n:
        m = match(text, pos)
        if m is None:
            ch = text[pos]
            what = "unfinished string" if ch in "\"'" else f"unexpected symbol near '{ch}'"
            raise CartSyntaxError(source, line, pos - line_start + 1, what)
        kind = m.lastgroup
        end = m.end()
        col = pos - line_start + 1
        if kind == "string":
            end = _string_end(text, pos)
            if end < 0:
                raise CartSyntaxError(source, line, col, "unfinished string")
        if kind == "ws" or kind == "comment":
            k = text.count("\n", pos, end)
            if k:
                line += k
                line_start = text.rfind("\n", pos, end) + 1
                nl = True
            pos = end
            continue
        if kind == "lceq" or kind == "longcomment":
            stop = _long_comment_end(text, end, m.group("lceq"))
            if stop < 0:
                raise CartSyntaxError(source, line, col, "unfinished long comment")
            k = text.count("\n", pos, stop)
            if k:
                # no `nl`: PICO-8 does not end a one-line `if (c) stmt` at a
                # line break inside a long comment (galton-board-tweet.p8)
                line += k
                line_start = text.rfind("\n", pos, stop) + 1
            pos = stop
            continue
        if kind == "lseq" or kind == "longstring":
            close = "]" + m.group("lseq") + "]"
            stop = text.find(close, end)
            if stop < 0:
                raise CartSyntaxError(source, line, col, "unfinished long string")
            value = text[end:stop]
            if value.startswith("\r\n"):
                value = value[2:]
            elif value.startswith("\n"):
                value = value[1:]
            append(Token("string", value, line, col, nl))
            stop += len(close)
            k = text.count("\n", pos, stop)
            if k:
                line += k
                line_start = text.rfind("\n", pos, stop) + 1
            nl = False
            pos = stop
            continue
        word = text[pos:end]
        if kind == "name":
            append(Token(word if word in KEYWORDS else "name", word, line, col, nl))
        elif kind == "op":
            append(Token(word, word, line, col, nl))
        elif kind == "number":
            append(Token("number", parse_number(word), line, col, nl))
        else:  # string
            value = decode_string(word[1:-1], source, line, col)
            append(Token("string", value, line, col, nl))
            k = word.count("\n")
            if k:
                line += k
                line_start = text.rfind("\n", pos, end) + 1
        nl = False
        pos = end
    append(Token("eof", None, line, pos - line_start + 1, True))
    return tokens


def lexeme_at(text: str, pos: int) -> tuple[str, int]:
    """The kind and end of the lexeme that starts at `pos`, by the same rules
    as tokenize but without decoding or raising: for tools that must know
    whether text is code, a string or a comment (the cart loader's
    `#include`, which counts only on a line that starts outside both).

    Kinds: "ws", "comment", "longcomment", "longstring", "string", "number",
    "name", "op"; "bad" for a character no token starts with (its end is
    pos + 1); "unfinished" for a long string or comment that never closes
    (its end is len(text))."""
    m = _TOKEN_RE.match(text, pos)
    if m is None:
        return "bad", pos + 1
    kind = m.lastgroup or "bad"
    end = m.end()
    if kind == "string":
        end = _string_end(text, pos)
        return ("string", end) if end >= 0 else ("bad", pos + 1)
    if kind in ("lceq", "longcomment"):
        stop = _long_comment_end(text, end, m.group("lceq"))
        return ("longcomment", stop) if stop >= 0 else ("unfinished", len(text))
    if kind in ("lseq", "longstring"):
        close = "]" + m.group("lseq") + "]"
        stop = text.find(close, end)
        return ("longstring", stop + len(close)) if stop >= 0 else ("unfinished", len(text))
    return kind, end
