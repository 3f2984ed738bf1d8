"""Cart source text, its tabs, and the errors that point into it.

PICO-8's code editor has tabs; a .p8 file separates them with a line `-->8`.
Errors name a tab and a line in that tab, as PICO-8 does, so the user can
find the spot in the editor. Tab 0 is the first; lines count from 1 in each
tab, the separator line itself being the line before a tab's line 1.
"""
from __future__ import annotations

import bisect
import re
from typing import Callable, Optional

from aot.p8scii import normalize, to_unicode
from aot.errors import UserError

_TAB_SEPARATOR = re.compile(r"^-->8[ \t\r]*$", re.M)


class Source:
    """One cart's code: `name` for messages (usually the file name) and
    `text` as byte text (see aot.p8scii).

    `locator`, when given, names the place a line came from better than the
    tab count can (the cart loader knows which lines an #include brought in):
    it maps a whole-text line to e.g. "game.p8 tab 2 line 7"."""

    def __init__(self, text: str, name: str = "cart", form: str | None = None,
                 locator: Optional[Callable[[int], str]] = None) -> None:
        self.name = name
        self.locator = locator
        self.text = normalize(text, form)
        # tab_starts[k] = first line number (1-based, whole text) of tab k
        self.tab_starts = [1]
        for m in _TAB_SEPARATOR.finditer(self.text):
            self.tab_starts.append(self.text.count("\n", 0, m.start()) + 2)
        self._line_offsets: list[int] | None = None

    def locate(self, line: int) -> tuple[int, int]:
        """Whole-text line -> (tab, line within the tab)."""
        tab = bisect.bisect_right(self.tab_starts, line) - 1
        if tab < 0:
            return 0, line
        return tab, line - self.tab_starts[tab] + 1

    def where(self, line: int, col: int | None = None) -> str:
        """`name tab T line L[:C]` for a message."""
        if self.locator is not None:
            pos = self.locator(line)
        else:
            tab, tline = self.locate(line)
            pos = f"{self.name} tab {tab} line {tline}"
        return f"{pos}:{col}" if col else pos

    def line_text(self, line: int) -> str:
        """The text of a whole-text line (1-based), readable Unicode."""
        if self._line_offsets is None:
            offs = [0]
            for m in re.finditer("\n", self.text):
                offs.append(m.end())
            self._line_offsets = offs
        if line < 1 or line > len(self._line_offsets):
            return ""
        start = self._line_offsets[line - 1]
        end = self.text.find("\n", start)
        return to_unicode(self.text[start : end if end >= 0 else len(self.text)])


class CartSyntaxError(UserError):
    """A syntax error in cart code. The message names the cart, tab, line
    and column and shows the offending line with a caret, like PICO-8's
    `syntax error line N (tab T)` report."""

    def __init__(self, source: Source, line: int, col: int, message: str) -> None:
        self.source = source
        self.line = line
        self.col = col
        self.message = message
        tab, tline = source.locate(line)
        self.tab = tab
        self.tab_line = tline
        text, at = _excerpt(source.line_text(line).rstrip(), max(col, 1))
        caret = " " * (at - 1) + "^"
        super().__init__(
            f"syntax error: {source.where(line, col)}: {message}\n    {text}\n    {caret}"
        )


EXCERPT = 100   # characters of a long source line shown with an error


def _excerpt(text: str, col: int) -> tuple[str, int]:
    """At most EXCERPT characters of a line around column `col`, and the
    column within them (minified carts put whole programs on one line)."""
    if len(text) <= EXCERPT:
        return text, col
    start = max(0, min(col - EXCERPT // 2, len(text) - EXCERPT))
    piece = text[start:start + EXCERPT]
    if start > 0:
        piece = "..." + piece
        col += 3
    if start + EXCERPT < len(text):
        piece += "..."
    return piece, col - start
