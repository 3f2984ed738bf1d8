"""The loaded cart: what every other part of rp8 receives from the loader."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from console.cart.include import TAB_BREAK, SourceFile
from aot.errors import UserError

ROM_SIZE = 0x8000
DATA_SIZE = 0x4300


class CartError(UserError):
    """A cart file that cannot be read; the message names the file and the fault."""


@dataclass(frozen=True)
class SourceLocation:
    """Where a line of `Cart.code` came from: the file (the cart itself or an
    included file), the tab within that file (tabs are separated by `-->8`
    lines; None for an included plain .lua file, which has no tabs), and the
    1-based line within that tab."""

    path: Path
    tab: Optional[int]
    line: int

    def __str__(self) -> str:
        if self.tab is None:
            return f"{self.path.name} line {self.line}"
        return f"{self.path.name} tab {self.tab} line {self.line}"


@dataclass
class Cart:
    """A PICO-8 cart as rp8 uses it.

    rom:   exactly 0x8000 bytes; 0x0000-0x42ff the cart data as PICO-8
           memory holds it, 0x4300-0x7fff the code as a ROM stores it
           (PXA-compressed for carts read from .p8 text; computed on first
           use, since that costs a compression).
    code:  the Lua source with #include lines expanded, one character per
           P8SCII byte (see console.cart.p8scii).
    label: 128 rows of 128 colour indices (0-15, or 128-143 for the
           secondary palette), or None.
    """

    path: Path
    data: bytes                       # 0x4300 bytes of cart data
    code: str
    source: str                       # the cart's own code, includes not expanded
    label: Optional[list[list[int]]] = None
    version: Optional[int] = None     # the "version N" of a .p8, or the PNG/ROM version byte
    file_format: str = "p8"           # "p8", "png" or "rom"
    code_format: str = "text"         # "text", "plain", "old" or "pxa"
    stored_code_size: Optional[int] = None   # bytes the code takes in the file's ROM
    sections: list[str] = field(default_factory=list)
    extra_sections: list[tuple[str, list[str]]] = field(default_factory=list)
    files: list[SourceFile] = field(default_factory=list, repr=False)
    origins: list[tuple[int, int]] = field(default_factory=list, repr=False)
    _code_area: Optional[bytes] = field(default=None, repr=False)
    _code_fits: bool = field(default=True, repr=False)

    @property
    def name(self) -> str:
        """The file name without its cart extension (.p8, .p8.png, .p8.rom, .png, .rom)."""
        base = self.path.name
        for ext in (".p8.png", ".p8.rom", ".p8", ".png", ".rom", ".lua"):
            if base.lower().endswith(ext):
                return base[: -len(ext)]
        return base

    @property
    def code_area(self) -> bytes:
        """The 0x3d00 bytes at 0x4300-0x7fff: the code as a ROM stores it.

        For code that does not fit a ROM even compressed (PICO-8 still runs
        such a .p8, it only refuses to save it as .p8.png), this is all zero
        and `code_fits` is False; `code` is complete either way."""
        if self._code_area is None:
            from console.cart.compress import CODE_SIZE, CodeError, encode_code_area
            from console.cart.p8scii import to_bytes

            try:
                self._code_area = encode_code_area(to_bytes(self.code))
                self._code_fits = True
            except CodeError:
                self._code_area = bytes(CODE_SIZE)
                self._code_fits = False
        return self._code_area

    @property
    def code_fits(self) -> bool:
        """Does the code fit the ROM's code area (compressed if need be)?"""
        self.code_area
        return self._code_fits

    @property
    def rom(self) -> bytes:
        return bytes(self.data) + self.code_area

    def locate(self, line: int) -> SourceLocation:
        """Map a 1-based line of `code` to the file, tab and line it came from."""
        if not 1 <= line <= len(self.origins):
            return SourceLocation(self.path, 0, line)
        fid, src = self.origins[line - 1]
        f = self.files[fid]
        if not f.has_tabs:
            return SourceLocation(f.path, None, src + 1)
        tab, tab_start = 0, 0
        for i in range(src):
            if f.lines[i] == TAB_BREAK:
                tab += 1
                tab_start = i + 1
        return SourceLocation(f.path, tab, src - tab_start + 1)
