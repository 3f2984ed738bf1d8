"""`#include`: pasting other files into a cart's code when it is loaded.

PICO-8's rules (manual, "#include"): a line `#include FILE` is replaced by
the contents of FILE, where FILE is a Lua text file, `other.p8` (all of its
code) or `other.p8:N` (tab N of its code, tabs being separated by `-->8`
lines). Paths are relative to the including cart. Includes are not
performed recursively: an `#include` line inside an included file stays as
it is. A directive only counts at the start of a line (after optional
spaces or tabs) that starts outside strings and comments, as the cart's
own lexer (aot/lexer.py) sees them. An included `.p8` with no cart header
and no section line is plain Lua and is pasted whole (real carts share
libraries that way).

What a cart may include (carts are untrusted; PICO-8 itself reads only
inside its carts folder):
- only `.lua` and `.p8` files, by a relative path (`/`, `\\` and drive
  letters are refused);
- only inside the include root (include_root): the including cart's
  folder's parent and everything below it, so `#include ../libs/x.p8`
  reaches a sibling folder, as real carts need; when that parent is the
  file system root, the home folder or one of its ancestors, the root is
  the cart's own folder instead. Symbolic links are followed only while
  they stay inside the root;
- only regular files (no devices, fifos or sockets), each at most
  MAX_INCLUDE_BYTES, and the expanded code at most MAX_CODE_CHARS.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from aot.lexer import lexeme_at
from console.cart import p8scii, p8text
from console.cart.files import FileFault, MIB, read_bounded, size_text

TAB_BREAK = "-->8"
MAX_INCLUDE_BYTES = 1 * MIB       # ten times the largest real cart file seen
MAX_CODE_CHARS = 4 * MIB          # a cart's code with every include pasted in
_DIRECTIVE_RE = re.compile(r"[ \t]*#include[ \t]+(\S(?:.*\S)?)[ \t\r]*")
_TAB_SUFFIX_RE = re.compile(r"(.*\.p8):([0-9a-fA-F])", re.IGNORECASE)
_ABSOLUTE_RE = re.compile(r"[/\\]|[A-Za-z]:")


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


def include_root(cart: Path) -> Path:
    """The folder a cart's includes must stay inside (see the module doc)."""
    folder = Path(os.path.realpath(cart)).parent
    parent = folder.parent
    try:
        home = Path(os.path.realpath(Path.home()))
    except RuntimeError:        # no home folder known: never widen
        return folder
    if parent == folder or home.is_relative_to(parent):
        return folder
    return parent


def directive_lines(code: str) -> dict[int, str]:
    """0-based line index -> FILE for every `#include FILE` line of `code`
    that starts outside strings and comments."""
    found: dict[int, str] = {}
    last = code.rfind("#include")
    if last < 0:
        return found
    n = len(code)
    line = 0            # line index of `pos`
    pos = 0

    def directive(start: int) -> int:
        """If the line starting at `start` is a directive, record it and
        return where the line ends; else -1."""
        j = start
        while j < n and code[j] in " \t":
            j += 1
        if not code.startswith("#include", j):
            return -1
        end = code.find("\n", start)
        end = n if end < 0 else end
        m = _DIRECTIVE_RE.fullmatch(code, start, end)
        if m is None:
            return -1
        found[line] = m.group(1)
        return end

    stop = directive(0)
    if stop >= 0:
        pos = stop
    while pos <= last:       # no directive can start after the last "#include"
        kind, end = lexeme_at(code, pos)
        if kind == "ws":
            # a line starts after each line break inside white space
            nl = code.find("\n", pos, end)
            while nl >= 0:
                line += 1
                stop = directive(nl + 1)
                if stop >= 0:
                    end = stop
                    break
                nl = code.find("\n", nl + 1, end)
        elif kind in ("string", "longstring", "longcomment", "unfinished"):
            line += code.count("\n", pos, end)
        pos = end
    return found


def _shown(target: str) -> str:
    """A directive's file name as an error message may print it: control
    characters escaped, so a message stays one harmless line."""
    return "".join(c if " " <= c < "\x7f" else f"\\x{ord(c):02x}" for c in target)


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


class _Reader:
    """Reads the files one cart includes, each once, inside its root."""

    def __init__(self, cart: Path, root: Optional[Path]) -> None:
        self.folder = Path(os.path.realpath(cart)).parent
        self.default_root = root is None
        self.root = Path(os.path.realpath(root)) if root is not None else include_root(cart)
        self.cache: dict[Path, SourceFile] = {}

    def source(self, name: str) -> SourceFile:
        """The included file `name` (a relative path, `/` or `\\` separated)
        as a SourceFile; raises IncludeError with the reason."""
        if "\0" in name:
            raise IncludeError("not a file name (it holds a zero byte)")
        if _ABSOLUTE_RE.match(name):
            raise IncludeError("absolute paths cannot be included (use a path relative to the cart)")
        is_cart = name.lower().endswith(".p8")
        if not (is_cart or name.lower().endswith(".lua")):
            raise IncludeError("only .lua and .p8 files can be included")
        real = Path(os.path.realpath(self.folder / name.replace("\\", "/")))
        if not real.is_relative_to(self.root):
            raise IncludeError("outside the folders this cart may include from "
                               "(its folder and its parent's, never home or above)"
                               if self.default_root else "outside the folder named as the include root")
        cached = self.cache.get(real)
        if cached is not None:
            return cached
        try:
            raw = read_bounded(real, MAX_INCLUDE_BYTES, regular_only=True)
        except FileFault as err:
            raise IncludeError(str(err)) from None
        text = p8text.decode_text(raw)
        if is_cart and p8text.looks_like_p8(text):
            try:
                code = p8text.parse(text).code
            except p8text.P8TextError as err:
                raise IncludeError(f"{real.name}: {err}") from None
            src = SourceFile(real, tuple(code.split("\n")), True)
        else:
            if text.endswith("\n"):
                text = text[:-1]   # the directive's own line end follows the pasted text
            src = SourceFile(real, tuple(p8scii.from_unicode(text).split("\n")), False)
        self.cache[real] = src
        return src


def expand(path: Path, code: str, first_line: int = 1, root: Optional[Path] = None) -> Expanded:
    """Expand the #include lines of `code` (the code of the cart at `path`).

    Raises IncludeError naming the line (counting the code's first line as
    `first_line`, so messages give the line in the file) and the include.
    `root` overrides include_root(path), for a player that names its carts
    folder."""
    own = SourceFile(path, tuple(code.split("\n")), True)
    directives = directive_lines(code)
    if not directives:
        return Expanded(code, [own], [(0, i) for i in range(len(own.lines))])
    reader = _Reader(path, root)
    files = [own]
    index_of: dict[Path, int] = {}
    out_lines: list[str] = []
    origins: list[tuple[int, int]] = []
    size = 0
    for index, line in enumerate(own.lines):
        target = directives.get(index)
        if target is None:
            out_lines.append(line)
            origins.append((0, index))
            size += len(line) + 1
            continue
        where = f"line {index + first_line}: #include {_shown(target)}"
        tab: int | None = None
        name = target
        m = _TAB_SUFFIX_RE.fullmatch(target)
        if m:
            name, tab = m.group(1), int(m.group(2), 16)
        try:
            src = reader.source(name)
        except IncludeError as err:
            raise IncludeError(f"{where}: {err}") from None
        fid = index_of.get(src.path)
        if fid is None:
            files.append(src)
            fid = index_of[src.path] = len(files) - 1
        first, last = 0, len(src.lines)
        if tab is not None:
            span = _tab_line_range(src.lines, tab)
            if span is None:
                raise IncludeError(f"{where}: {src.path.name} has no tab {tab}")
            first, last = span
        for k in range(first, last):
            out_lines.append(src.lines[k])
            origins.append((fid, k))
            size += len(src.lines[k]) + 1
        if size > MAX_CODE_CHARS:
            raise IncludeError(f"{where}: the code with its includes is over "
                               f"{size_text(MAX_CODE_CHARS)} characters")
    return Expanded("\n".join(out_lines), files, origins)
