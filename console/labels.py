"""Cart labels outside the cart: reading one from a PNG (`rp8 export
--label`), and the label F7 takes in the window, kept per cart in the user's
data folder until `rp8 export` writes it into a cart file.

rp8 never rewrites the cart a user plays; PICO-8 keeps an F7 label in the
loaded cart and writes it on the next save, and `rp8 export` is that save.
"""
from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Optional

from console.cart.model import CartError
from console.cart.png import PALETTE, label_png
from console.desktop.cartdata import default_dir

Label = list[list[int]]


def _nearest(rgb: tuple[int, int, int]) -> int:
    r, g, b = rgb
    return min(PALETTE, key=lambda c: (PALETTE[c][0] - r) ** 2 + (PALETTE[c][1] - g) ** 2
               + (PALETTE[c][2] - b) ** 2)


def read_label_png(path: Path) -> Label:
    """A 128x128 picture as a label: each pixel the nearest of PICO-8's 32
    colours. Any other size is refused (a label is the screen, pixel for
    pixel; a 512x512 screenshot is scaled down 4:1 first)."""
    from PIL import Image, UnidentifiedImageError

    try:
        img = Image.open(path).convert("RGB")
    except (OSError, UnidentifiedImageError) as err:
        raise CartError(f"{path}: not a picture ({err})") from None
    w, h = img.size
    if w == h and w % 128 == 0 and w > 128:
        img = img.resize((128, 128), Image.NEAREST)
    elif (w, h) != (128, 128):
        raise CartError(f"{path}: a label is 128x128 pixels (or a multiple), not {w}x{h}")
    cache: dict[tuple[int, int, int], int] = {}
    px = img.load()
    label = []
    for y in range(128):
        row = []
        for x in range(128):
            rgb = px[x, y]
            if rgb not in cache:
                cache[rgb] = _nearest(rgb)
            row.append(cache[rgb])
        label.append(row)
    return label


def _store(cart: Path) -> Path:
    key = hashlib.sha1(str(cart.resolve()).encode()).hexdigest()[:16]
    return default_dir() / "labels" / f"{key}.png"


def keep_label(cart: Path, label: Label) -> Path:
    """Remember the label F7 took for `cart` (for `rp8 export`)."""
    path = _store(cart)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(label_png(label))
    return path


def kept_label(cart: Path) -> Optional[Path]:
    path = _store(cart)
    return path if path.is_file() else None
