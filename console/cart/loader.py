"""load_cart: any cart file -> Cart, or a CartError naming the file."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Optional, Union

from console.cart import compress, include, p8scii, p8text, png
from console.cart.files import MIB, FileFault, read_bounded
from console.cart.model import DATA_SIZE, ROM_SIZE, Cart, CartError

_ROM_MAX = ROM_SIZE + 0x20       # a ROM may carry the PNG trailer after it


MAX_CART_BYTES = 4 * MIB         # forty times the largest real cart file seen


def _read_bytes(path: Path) -> bytes:
    try:
        return read_bounded(path, MAX_CART_BYTES, regular_only=False)
    except FileFault as err:
        reason = str(err)
        if reason == "is a directory":
            reason = "is a directory, not a cart"
        raise CartError(f"{path}: {reason}") from None


def _kind(path: Path, raw: bytes) -> str:
    """"png", "rom" or "p8" (text: a .p8 or a bare .lua file): by content,
    the extension breaking ties."""
    name = path.name.lower()
    if raw.startswith(png.PNG_MAGIC):
        return "png"
    if name.endswith(".png"):
        raise CartError(f"{path}: not a PNG image (no PNG signature)")
    if name.endswith(".rom"):
        return "rom"
    try:
        raw.decode("utf-8")
        is_text = True
    except UnicodeDecodeError:
        is_text = False
    if not is_text and len(raw) in (ROM_SIZE, _ROM_MAX) and not name.endswith(".p8"):
        return "rom"
    return "p8"


def load_cart(path: Union[str, os.PathLike[str]],
              include_root: Optional[Union[str, os.PathLike[str]]] = None) -> Cart:
    """Load a .p8, .p8.png or .p8.rom cart (or a bare .lua file).

    `include_root` is the folder a .p8's `#include`s must stay inside; by
    default include.include_root(path) (the cart's folder's parent, or its
    own folder; see console/cart/include.py)."""
    p = Path(path)
    raw = _read_bytes(p)
    kind = _kind(p, raw)
    if kind == "png":
        try:
            rom, tail, label = png.decode(raw)
        except png.PngError as err:
            raise CartError(f"{p}: {err}") from None
        return _from_rom(p, rom, tail[0], "png", label)
    if kind == "rom":
        if len(raw) <= ROM_SIZE - DATA_SIZE:
            # A "tiny" .p8.rom (PICO-8 0.2.4c, `export -t`): only the code
            # area, as long as the compressed code; the other sections keep
            # a new cart's values.
            rom = bytes(p8text.blank_data()) + raw.ljust(ROM_SIZE - DATA_SIZE, b"\0")
            return _from_rom(p, rom, None, "rom", None)
        if not ROM_SIZE <= len(raw) <= _ROM_MAX:
            raise CartError(f"{p}: a .p8.rom is {ROM_SIZE} bytes (or at most {ROM_SIZE - DATA_SIZE} "
                            f"for code only); this file has {len(raw)}")
        version = raw[ROM_SIZE] if len(raw) > ROM_SIZE else None
        return _from_rom(p, raw[:ROM_SIZE], version, "rom", None)
    return _from_text(p, raw, Path(include_root) if include_root is not None else None)


def _from_rom(path: Path, rom: bytes, version: int | None, fmt: str,
              label: list[list[int]] | None) -> Cart:
    area = rom[DATA_SIZE:]
    try:
        code_bytes, code_format, used = compress.decompress(area)
    except compress.CodeError as err:
        raise CartError(f"{path}: {err}") from None
    code = p8scii.from_bytes(code_bytes)
    lines = tuple(code.split("\n"))
    cart = Cart(path=path, data=bytes(rom[:DATA_SIZE]), code=code, source=code, label=label,
                version=version, file_format=fmt, code_format=code_format,
                stored_code_size=used, sections=_rom_sections(rom, code, label))
    cart.files = [include.SourceFile(path, lines, True)]
    cart.origins = [(0, i) for i in range(len(lines))]
    cart._code_area = bytes(area)
    return cart


def _rom_sections(rom: bytes, code: str, label: list[list[int]] | None) -> list[str]:
    """The .p8 sections this ROM would need, for `rp8 info`."""
    blank = p8text.blank_data()
    out = ["lua"] if code else []
    for name, lo, hi in (("gfx", 0, 0x2000), ("map", 0x2000, 0x3000), ("gff", 0x3000, 0x3100),
                         ("music", 0x3100, 0x3200), ("sfx", 0x3200, 0x4300)):
        if rom[lo:hi] != blank[lo:hi]:
            out.append(name)
    if label is not None and any(any(row) for row in label):
        out.append("label")
    return out


def _from_text(path: Path, raw: bytes, root: Optional[Path]) -> Cart:
    try:
        parsed = p8text.parse(p8text.decode_text(raw))
    except p8text.P8TextError as err:
        raise CartError(f"{path}: {err}") from None
    try:
        exp = include.expand(path, parsed.code, parsed.code_line, root)
    except include.IncludeError as err:
        raise CartError(f"{path}: {err}") from None
    cart = Cart(path=path, data=bytes(parsed.data), code=exp.code, source=parsed.code,
                label=parsed.label, version=parsed.version, file_format="p8",
                code_format="text", sections=parsed.sections,
                extra_sections=parsed.extra_sections)
    cart.files = exp.files
    cart.origins = exp.origins
    return cart
