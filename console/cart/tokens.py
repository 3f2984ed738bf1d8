"""PICO-8's code limits: tokens, characters and compressed size.

Token counting follows PICO-8's rules (manual, "Code limits"; details as
shrinko8 reproduces PICO-8 0.2's counter):
  - every literal, name, keyword and operator counts one token, and so does
    each opening bracket;
  - these never count: `,` `.` `:` `;` `::` `)` `]` `}` and the keywords
    `end` and `local`; nor do comments;
  - a `-` or `~` written directly before a number literal counts nothing
    when it is unary, i.e. when the token before it is not a value (a name,
    number or string) and not `)` `]` `}` `;` or `end`, and there is a token
    before it at all.
"""
from __future__ import annotations

import re

TOKEN_LIMIT = 8192
CHAR_LIMIT = 65535
COMPRESSED_LIMIT = 0x3D00      # 15616: the ROM's code area (0x4300-0x7fff)

KEYWORDS = frozenset((
    "and", "break", "do", "else", "elseif", "end", "false", "for", "function", "goto",
    "if", "in", "local", "nil", "not", "or", "repeat", "return", "then", "true",
    "until", "while",
))
_FREE = frozenset((",", ".", ":", ";", "::", ")", "]", "}", "end", "local"))
_AFTER_VALUE = frozenset((")", "]", "}", ";", "end"))
_SPACE = " \t\r\n"
_PUNCT = "+-*/\\%&|^<>=~#()[]{};,?@$.:"
_LONG_OPEN = re.compile(r"\[(=*)\[")

NAME, NUMBER, STRING, KEYWORD, PUNCT = "name", "number", "string", "keyword", "punct"


def _is_name_char(ch: str) -> bool:
    return ("a" <= ch <= "z" or "A" <= ch <= "Z" or "0" <= ch <= "9" or ch == "_"
            or ch in "\x1e\x1f" or ch >= "\x80")


def tokenize(code: str) -> list[tuple[str, str, int, int]]:
    """The tokens of P8SCII code as (kind, text, start, end); comments and
    characters PICO-8 would reject are left out."""
    toks: list[tuple[str, str, int, int]] = []
    i, n = 0, len(code)
    while i < n:
        ch = code[i]
        start = i
        i += 1
        if ch in _SPACE:
            continue
        if "0" <= ch <= "9" or (ch == "." and i < n and "0" <= code[i] <= "9"):
            i = start
            nxt = code[i + 1: i + 2]
            if ch == "0" and nxt in ("x", "X"):
                digits, i = "0123456789abcdefABCDEF", i + 2
            elif ch == "0" and nxt in ("b", "B"):
                digits, i = "01", i + 2
            else:
                digits = "0123456789"
            while i < n and (code[i] in digits or code[i] == "."):
                i += 1
            toks.append((NUMBER, code[start:i], start, i))
            continue
        if _is_name_char(ch):
            while i < n and _is_name_char(code[i]):
                i += 1
            word = code[start:i]
            toks.append((KEYWORD if word in KEYWORDS else NAME, word, start, i))
            continue
        if ch in "\"'":
            while i < n:
                c = code[i]
                i += 1
                if c == "\n":
                    break                      # unterminated string
                if c == "\\":
                    if i < n and code[i] == "z":
                        i += 1
                        while i < n and code[i] in _SPACE:
                            i += 1
                    else:
                        i += 1
                elif c == ch:
                    break
            toks.append((STRING, code[start:i], start, i))
            continue
        if ch == "[":
            m = _LONG_OPEN.match(code, start)
            if m:
                close = "]" + m.group(1) + "]"
                end = code.find(close, m.end())
                if end < 0:
                    i = m.end()                # unterminated: PICO-8 rejects it
                    continue
                i = end + len(close)
                toks.append((STRING, code[start:i], start, i))
                continue
        if ch == "-" and i < n and code[i] == "-":
            m = _LONG_OPEN.match(code, i + 1)
            if m:
                end = code.find("]" + m.group(1) + "]", m.end())
                if end >= 0:
                    i = end + len(m.group(1)) + 2
                    continue
            j = code.find("\n", i)
            i = n if j < 0 else j
            continue
        if ch == "/" and i < n and code[i] == "/":
            j = code.find("\n", i)
            i = n if j < 0 else j
            continue
        if ch in _PUNCT:
            i = _punct_end(code, start)
            toks.append((PUNCT, code[start:i], start, i))
            continue
        if ch == "!" and i < n and code[i] == "=":
            i += 1
            toks.append((PUNCT, "!=", start, i))
            continue
        # Any other character is an error to PICO-8; it counts as nothing.
    return toks


def _punct_end(code: str, i: int) -> int:
    """End of the operator starting at i (longest match of PICO-8's operators)."""
    ch = code[i]
    i += 1

    def at(c: str) -> bool:
        return i < len(code) and code[i] == c

    if ch in ".:/^<>" and at(ch):
        i += 1
        if ch in ".>" and at(ch):                 # ... >>>
            i += 1
            if ch == ">" and at("="):
                i += 1
        elif ch in "<>" and at(">" if ch == "<" else "<"):   # <<> >><
            i += 1
            if at("="):
                i += 1
        elif ch in "./^<>" and at("="):           # ..= //= ^^= <<= >>=
            i += 1
    elif ch in "+-*/\\%&|^<>=~" and at("="):
        i += 1
    return i


def count_tokens(code: str) -> int:
    """PICO-8's token count of P8SCII code."""
    toks = tokenize(code)
    count = 0
    for k, (kind, text, start, end) in enumerate(toks):
        if text in _FREE and kind in (PUNCT, KEYWORD):
            continue
        if (text in ("-", "~") and kind == PUNCT and k + 1 < len(toks)
                and toks[k + 1][0] == NUMBER and toks[k + 1][2] == end and k > 0):
            prev_kind, prev_text = toks[k - 1][0], toks[k - 1][1]
            if prev_kind not in (NAME, NUMBER, STRING) and prev_text not in _AFTER_VALUE:
                continue
        count += 1
    return count
