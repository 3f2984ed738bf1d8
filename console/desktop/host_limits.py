"""Caps on everything a cart can make the host keep or write.

A cart is untrusted: nothing it does may grow host memory or disk without
bound. The Lua heap is capped in lua_env.py; this module caps what the
host keeps in Python for a running cart (printh lines, extcmd requests,
warnings) and what printh writes to files.
"""
from __future__ import annotations

import os
import re
import stat
from pathlib import Path
from typing import Iterable, Optional, SupportsIndex

# the newest printh lines a console keeps for tests and tools (it prints
# every line as it comes; only the record is capped)
KEPT_LINES = 10_000
KEPT_CHARS = 1 << 20
KEPT_LINE_CHARS = 64 * 1024        # one kept line (printh of a 1 MiB string)
# extcmd requests and warnings kept
KEPT_REQUESTS = 256
# host calls (printh to a file, extcmd, ...) between two turns of the
# runaway check: their time adds no CPU units, so a loop of them would
# otherwise run 2^20 units' worth of file writes before a check
HOST_TURN = 64

# files a cart may have the window write through extcmd (screenshots, GIFs,
# labels): one of each kind per frame, CART_CAPTURES in all
CART_CAPTURES = 64

# printh(s, file): files per console and bytes per file
PRINTH_FILES = 32
PRINTH_FILE_BYTES = 16 << 20
_PRINTH_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.\-]{0,63}\Z")


class RecentLines(list):  # type: ignore[type-arg]
    """A list of the newest lines: appending past `lines` entries or
    `chars` characters drops the oldest; a line longer than `line_chars` is
    kept cut, ending in "...". `dropped` counts the lines dropped."""

    def __init__(self, items: Iterable[str] = (), lines: int = KEPT_LINES,
                 chars: int = KEPT_CHARS, line_chars: int = KEPT_LINE_CHARS) -> None:
        super().__init__()
        self.max_lines, self.max_chars, self.max_line = lines, chars, line_chars
        self.chars = 0
        self.dropped = 0
        for item in items:
            self.append(item)

    def append(self, line: str) -> None:  # type: ignore[override]
        self.extend((line,))

    def extend(self, items: Iterable[str]) -> None:  # type: ignore[override]
        """Append each of `items` (a frame's printh lines at once)."""
        lines = items if type(items) is list else list(items)
        chars = sum(map(len, lines))
        if chars > self.max_line:          # (no line can be too long otherwise)
            lines = [line if len(line) <= self.max_line else line[:self.max_line] + "..." for line in lines]
            chars = sum(map(len, lines))
        super().extend(lines)
        self.chars += chars
        n = len(self)
        if n > self.max_lines or self.chars > self.max_chars:
            # down to three quarters at once, so appending stays O(1) amortised:
            # the oldest lines past keep_lines, then more while over keep_chars
            # (the newest line always stays)
            keep_lines, keep_chars = self.max_lines * 3 // 4, self.max_chars * 3 // 4
            cut = min(n - 1, max(0, n - keep_lines))
            chars = self.chars - sum(map(len, self[:cut]))
            while cut < n - 1 and chars > keep_chars:
                chars -= len(self[cut])
                cut += 1
            self.chars = chars
            self.dropped += cut
            del self[:cut]

    def insert(self, index: SupportsIndex, line: str) -> None:
        raise TypeError("RecentLines only appends")


def printh_name_error(name: str) -> Optional[str]:
    """Why `name` is not a printh file name, or None. A plain name (letters,
    digits, _ - .; up to 64 characters, not starting with a dot): no
    folders, no control characters, nothing the host could read as a
    path."""
    if not _PRINTH_NAME.match(name) or ".." in name:
        return ("printh: the file name must be a plain name: up to 64 letters, digits, "
                "'_', '-' and '.', not starting with '.'")
    return None


class PrinthFiles:
    """printh(s, file[, overwrite]): the files of one console, all in one
    folder of their own (never the cart's folder, never a run's other
    outputs), PRINTH_FILES names at most, PRINTH_FILE_BYTES each."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.names: set[str] = set()

    def write(self, text: str, name: str, overwrite: bool) -> Optional[str]:
        """Append (or overwrite) a line; an error message for the cart, or None."""
        why = printh_name_error(name)
        if why:
            return why
        if "." not in name:
            name += ".txt"
        if name not in self.names and len(self.names) >= PRINTH_FILES:
            return f"printh: a cart may write at most {PRINTH_FILES} files"
        data = (text + "\n").encode("utf-8")
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            flags = os.O_WRONLY | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
            fd = os.open(self.folder / name, flags | (os.O_TRUNC if overwrite else os.O_APPEND), 0o644)
            try:
                if not stat.S_ISREG(os.fstat(fd).st_mode):
                    return f"printh: {name} is not a regular file"
                size = 0 if overwrite else os.fstat(fd).st_size
                if size + len(data) > PRINTH_FILE_BYTES:
                    return f"printh: {name} would grow past {PRINTH_FILE_BYTES >> 20} MiB"
                view = memoryview(data)
                while view:
                    view = view[os.write(fd, view):]
            finally:
                os.close(fd)
        except OSError as exc:
            return f"printh: cannot write {name} ({exc.strerror or 'error'})"
        self.names.add(name)
        return None


class CaptureQuota:
    """extcmd("screen"/"video"/"label") from a cart: at most one of each
    kind per frame and CART_CAPTURES files in all, so a cart calling it in a
    loop cannot fill the disk (the player's own keys are not counted)."""

    def __init__(self, total: int = CART_CAPTURES) -> None:
        self.left = total
        self.last: dict[str, int] = {}

    def allow(self, kind: str, frame: int) -> bool:
        if self.left <= 0 or self.last.get(kind) == frame:
            return False
        self.last[kind] = frame
        self.left -= 1
        return True


def plain_title(text: str, limit: int = 64) -> str:
    """extcmd("set_title", text) as a window title: printable, short."""
    return "".join(ch for ch in text if ch.isprintable())[:limit]
