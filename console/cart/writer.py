"""Writing carts: .p8 text, .p8.rom binaries and .p8.png images."""
from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Union

from console.cart import p8text, png
from console.cart.model import Cart, CartError

PathLike = Union[str, os.PathLike[str]]


def _write(path: Path, payload: bytes) -> None:
    try:
        path.write_bytes(payload)
    except OSError as err:
        raise CartError(f"{path}: cannot write ({err.strerror or err})") from None


def p8_text(cart: Cart) -> str:
    """The .p8 text of a cart: its own code with its #include lines kept (as
    PICO-8 saves a .p8; includes are flattened only into .p8.png and .p8.rom,
    which hold cart.code), data and label."""
    return p8text.format_p8(cart.data, cart.source, cart.label, cart.version, cart.extra_sections)


def save_p8(cart: Cart, path: PathLike) -> None:
    # surrogateescape: bytes a file held that were not UTF-8 (kept in
    # __meta__ sections, see p8text.decode_text) are written back unchanged
    _write(Path(path), p8_text(cart).encode("utf-8", "surrogateescape"))


def _checked_rom(cart: Cart, path: PathLike) -> bytes:
    if not cart.code_fits:
        raise CartError(f"{path}: cannot save: the code does not fit a cart's "
                        f"{0x3d00} bytes even compressed")
    return cart.rom


def save_rom(cart: Cart, path: PathLike) -> None:
    """32 KiB: cart data, then the code as PICO-8 stores it (PXA)."""
    _write(Path(path), _checked_rom(cart, path))


def title_lines(code: str) -> list[str]:
    """The cart title PICO-8 prints on a .p8.png: the first two lines of code
    when they are `--` comments."""
    out = []
    for line in code.split("\n")[:2]:
        m = re.fullmatch(r"--\s?(.*)", line)
        if not m:
            break
        out.append(m.group(1))
    return out


def save_png(cart: Cart, path: PathLike) -> None:
    from console.cart.p8scii import to_unicode

    version = max(cart.version or 0, p8text.WRITE_VERSION)
    title = [to_unicode(t) for t in title_lines(cart.code)]
    _write(Path(path), png.encode(_checked_rom(cart, path), version, cart.label, title))


def save_cart(cart: Cart, path: PathLike) -> None:
    """Write in the format the file name asks for (.p8, .p8.png/.png, .p8.rom/.rom)."""
    name = str(path).lower()
    if name.endswith(".png"):
        save_png(cart, path)
    elif name.endswith(".rom"):
        save_rom(cart, path)
    elif name.endswith(".p8"):
        save_p8(cart, path)
    else:
        raise CartError(f"{path}: unknown cart format (use .p8, .p8.png or .p8.rom)")
