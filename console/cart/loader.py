"""load_cart: any cart file -> Cart, or a CartError naming the file."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Union

from console.cart import compress, include, p8scii, p8text, png
from console.cart.model import DATA_SIZE, ROM_SIZE, Cart, CartError

_ROM_MAX = ROM_SIZE + 0x20       # a ROM may carry the PNG trailer after it


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise CartError(f"{path}: file not found") from None
    except IsADirectoryError:
        raise CartError(f"{path}: is a directory, not a cart") from None
    except OSError as err:
        raise CartError(f"{path}: cannot read ({err.strerror or err})") from None


def _kind(path: Path, raw: bytes) -> str:
    """"png", "rom", "p8" or "lua": by content, the extension breaking ties."""
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
    if name.endswith(".lua"):
        return "lua"
    return "p8"


def load_cart(path: Union[str, os.PathLike[str]]) -> Cart:
    """Load a .p8, .p8.png or .p8.rom cart (or a bare .lua file)."""
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
        if not ROM_SIZE <= len(raw) <= _ROM_MAX:
            raise CartError(f"{p}: a .p8.rom is {ROM_SIZE} bytes; this file has {len(raw)}")
        version = raw[ROM_SIZE] if len(raw) > ROM_SIZE else None
        return _from_rom(p, raw[:ROM_SIZE], version, "rom", None)
    return _from_text(p, raw, kind == "lua")


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


def _cart_code(path: Path) -> str:
    """The raw P8SCII code of an included .p8 cart (FileNotFoundError if absent)."""
    raw = path.read_bytes()
    try:
        return p8text.parse(p8text.decode_text(raw)).code
    except p8text.P8TextError as err:
        raise CartError(f"{path}: {err}") from None


def _lua_code(path: Path) -> str:
    raw = path.read_bytes()
    try:
        return include.lua_text(raw)
    except p8text.P8TextError as err:
        raise CartError(f"{path}: {err}") from None


def _from_text(path: Path, raw: bytes, is_lua: bool) -> Cart:
    try:
        text = p8text.decode_text(raw)
        if is_lua and not p8text.looks_like_p8(text):
            parsed = p8text.P8Text(None, p8scii.from_unicode(text), 1, p8text.blank_data(),
                                   None, ["lua"])
        else:
            parsed = p8text.parse(text)
    except p8text.P8TextError as err:
        raise CartError(f"{path}: {err}") from None
    try:
        exp = include.expand(path, parsed.code, _cart_code, _lua_code, parsed.code_line)
    except include.IncludeError as err:
        raise CartError(f"{path}: {err}") from None
    cart = Cart(path=path, data=bytes(parsed.data), code=exp.code, source=parsed.code,
                label=parsed.label, version=parsed.version, file_format="p8",
                code_format="text", sections=parsed.sections,
                extra_sections=parsed.extra_sections)
    cart.files = exp.files
    cart.origins = exp.origins
    return cart
