"""`#include`: pasting other files into a cart's code when it is loaded.

PICO-8's rules (manual, "#include"): a line `#include FILE` is replaced by
the contents of FILE, where FILE is a Lua text file, `other.p8` (all of its
code) or `other.p8:N` (tab N of its code, tabs being separated by `-->8`
lines). Paths are relative to the including cart. Includes are not
performed recursively: an `#include` line inside an included file stays as
it is. A directive only counts at the start of a line (after optional
spaces or tabs) and outside strings and comments.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from console.cart import p8scii

TAB_BREAK = "-->8"
_DIRECTIVE_RE = re.compile(r"[ \t]*#include[ \t]+(\S(?:.*\S)?)[ \t]*")
_TAB_SUFFIX_RE = re.compile(r"(.*\.p8):([0-9a-fA-F])", re.IGNORECASE)


class IncludeError(Exception):
    """An include that cannot be resolved; the message names line and include."""


@dataclass(frozen=True)
class SourceFile:
    """One file that contributed code: its path, its code lines, and whether
    its code has PICO-8 tabs (a cart does; a plain .lua file does not)."""

    path: Path
    lines: tuple[str, ...]
    has_tabs: bool


@dataclass
class Expanded:
    code: str
    files: list[SourceFile]
    origins: list[tuple[int, int]]   # per output line: (file index, 0-based line in that file)


def _code_line_starts(code: str) -> list[bool]:
    """For each line of `code`: does it start outside any string or comment?"""
    starts = [True]
    i, n = 0, len(code)
    close: str | None = None         # closing bracket of an open long string/comment
    while i < n:
        ch = code[i]
        if ch == "\n":
            starts.append(close is None)
            i += 1
            continue
        if close is not None:
            j = code.find(close, i)
            if j < 0:
                # Unclosed to the end: every remaining line starts inside it.
                starts.extend(False for _ in range(code.count("\n", i)))
                break
            starts.extend(False for _ in range(code.count("\n", i, j)))
            i = j + len(close)
            close = None
            continue
        if ch == "-" and code.startswith("--", i):
            m = re.match(r"\[(=*)\[", code[i + 2: i + 2 + 260])
            if m:
                close = "]" + m.group(1) + "]"
                i += 2 + m.end()
            else:
                j = code.find("\n", i)
                i = n if j < 0 else j
            continue
        if ch == "[":
            m = re.match(r"\[(=*)\[", code[i: i + 260])
            if m:
                close = "]" + m.group(1) + "]"
                i += m.end()
                continue
        if ch in "\"'":
            i += 1
            while i < n and code[i] != ch and code[i] != "\n":
                if code[i] == "\\" and i + 1 < n:
                    if code[i + 1] == "\n":
                        starts.append(False)
                    i += 1
                i += 1
            if i < n and code[i] == ch:
                i += 1
            continue
        i += 1
    return starts


def split_tabs(code: str) -> list[str]:
    """A cart's code as its tabs."""
    tabs = [[]]  # type: list[list[str]]
    for line in code.split("\n"):
        if line == TAB_BREAK:
            tabs.append([])
        else:
            tabs[-1].append(line)
    return ["\n".join(t) for t in tabs]


def _tab_line_range(lines: tuple[str, ...], tab: int) -> tuple[int, int] | None:
    t, start = 0, 0
    for i, line in enumerate(lines):
        if line == TAB_BREAK:
            if t == tab:
                return start, i
            t += 1
            start = i + 1
    if t == tab:
        return start, len(lines)
    return None


def expand(path: Path, code: str, read_cart_code: Callable[[Path], str],
           read_lua: Callable[[Path], str], first_line: int = 1) -> Expanded:
    """Expand the #include lines of `code` (the code of the cart at `path`).

    read_cart_code(p) returns the P8SCII code of a .p8 cart; read_lua(p) the
    P8SCII text of a Lua file. Both raise FileNotFoundError for a missing
    file. Raises IncludeError naming the line (counting the code's first
    line as `first_line`, so messages give the line in the file) and the
    include.
    """
    own = SourceFile(path, tuple(code.split("\n")), True)
    files = [own]
    out_lines: list[str] = []
    origins: list[tuple[int, int]] = []
    starts = _code_line_starts(code)
    for index, line in enumerate(own.lines):
        m = _DIRECTIVE_RE.fullmatch(line) if "#include" in line and starts[index] else None
        if m is None:
            out_lines.append(line)
            origins.append((0, index))
            continue
        target = m.group(1)
        lines, first, src = _read_include(path, target, index + first_line, read_cart_code, read_lua)
        files.append(src)
        fid = len(files) - 1
        for k, text in enumerate(lines):
            out_lines.append(text)
            origins.append((fid, first + k))
    return Expanded("\n".join(out_lines), files, origins)


def _read_include(cart: Path, target: str, lineno: int,
                  read_cart_code: Callable[[Path], str],
                  read_lua: Callable[[Path], str]) -> tuple[list[str], int, SourceFile]:
    tab: int | None = None
    name = target
    m = _TAB_SUFFIX_RE.fullmatch(target)
    if m:
        name, tab = m.group(1), int(m.group(2), 16)
    inc = cart.parent / name.replace("\\", "/")
    is_cart = name.lower().endswith(".p8")
    try:
        text = read_cart_code(inc) if is_cart else read_lua(inc)
    except FileNotFoundError:
        raise IncludeError(f"line {lineno}: #include {target}: file not found") from None
    except IsADirectoryError:
        raise IncludeError(f"line {lineno}: #include {target}: is a directory") from None
    if not is_cart and text.endswith("\n"):
        text = text[:-1]   # the directive's own line end follows the pasted text
    src = SourceFile(inc, tuple(text.split("\n")), is_cart)
    if tab is None:
        return list(src.lines), 0, src
    span = _tab_line_range(src.lines, tab)
    if span is None:
        raise IncludeError(f"line {lineno}: #include {target}: {name} has no tab {tab}")
    return list(src.lines[span[0]: span[1]]), span[0], src


def lua_text(raw: bytes) -> str:
    """A Lua file's bytes -> P8SCII text (UTF-8 glyphs mapped, CRLF -> LF)."""
    from console.cart.p8text import decode_text

    return p8scii.from_unicode(decode_text(raw))
