"""The .p8.png cart format: a 160x205 picture of a cartridge whose pixels
carry the 32 KiB ROM in their low bits.

Pixel i (row-major) holds byte i as A<<6 | R<<4 | G<<2 | B using the low two
bits of each channel; 160*205 = 0x8020 pixels: the 0x8000-byte ROM, then a
trailer (0x8000: format version, 0x8001-0x8003: PICO-8 version
major.minor.patch, 0x8004: platform letter, 0x8005: build, 0x8006-0x8019:
SHA-1 of the ROM). The label is drawn in the picture at (16, 24), 128x128,
in PICO-8's palette. (Facts of the format as the PICO-8 wiki's
P8PNGFileFormat page and shrinko8 describe it.)
"""
from __future__ import annotations

import hashlib
import io
from typing import TYPE_CHECKING, Optional

if TYPE_CHECKING:
    from PIL import Image

WIDTH, HEIGHT = 160, 205
LABEL_X, LABEL_Y = 16, 24
TITLE_X, TITLE_Y = 18, 167
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"

# PICO-8's palette: colours 0-15, then the secondary palette 128-143.
PALETTE = {
    0: (0x00, 0x00, 0x00), 1: (0x1D, 0x2B, 0x53), 2: (0x7E, 0x25, 0x53), 3: (0x00, 0x87, 0x51),
    4: (0xAB, 0x52, 0x36), 5: (0x5F, 0x57, 0x4F), 6: (0xC2, 0xC3, 0xC7), 7: (0xFF, 0xF1, 0xE8),
    8: (0xFF, 0x00, 0x4D), 9: (0xFF, 0xA3, 0x00), 10: (0xFF, 0xEC, 0x27), 11: (0x00, 0xE4, 0x36),
    12: (0x29, 0xAD, 0xFF), 13: (0x83, 0x76, 0x9C), 14: (0xFF, 0x77, 0xA8), 15: (0xFF, 0xCC, 0xAA),
    128: (0x29, 0x18, 0x14), 129: (0x11, 0x1D, 0x35), 130: (0x42, 0x21, 0x36), 131: (0x12, 0x53, 0x59),
    132: (0x74, 0x2F, 0x29), 133: (0x49, 0x33, 0x3B), 134: (0xA2, 0x88, 0x79), 135: (0xF3, 0xEF, 0x7D),
    136: (0xBE, 0x12, 0x50), 137: (0xFF, 0x6C, 0x24), 138: (0xA8, 0xE7, 0x2E), 139: (0x00, 0xB5, 0x43),
    140: (0x06, 0x5A, 0xB5), 141: (0x75, 0x46, 0x65), 142: (0xFF, 0x6E, 0x59), 143: (0xFF, 0x9D, 0x81),
}
_BY_HIGH_BITS = {(r & 0xFC, g & 0xFC, b & 0xFC): c for c, (r, g, b) in PALETTE.items()}

# (PICO-8 version tuple, platform) written into the trailer for version 42.
_TRAILER_VERSION = (0, 2, 6)
_TRAILER_BUILD = 1
_PLATFORM = b"l"


class PngError(Exception):
    """A fault in a .p8.png; the message does not name the file."""


def decode(raw: bytes) -> tuple[bytes, bytes, Optional[list[list[int]]]]:
    """PNG bytes -> (0x8000-byte ROM, 0x20-byte trailer, label)."""
    if not raw.startswith(PNG_MAGIC):
        raise PngError("not a PNG image")
    from PIL import Image, UnidentifiedImageError   # only .png carts need PIL: not at start

    try:
        with Image.open(io.BytesIO(raw)) as img:
            if img.size != (WIDTH, HEIGHT):
                raise PngError(f"image is {img.size[0]}x{img.size[1]}; a cart is {WIDTH}x{HEIGHT}")
            rgba = img.convert("RGBA")
            rgba.load()
    except PngError:
        raise
    except (OSError, SyntaxError, ValueError, UnidentifiedImageError, Image.DecompressionBombError) as err:
        raise PngError(f"corrupt PNG ({err})") from None
    pixels = rgba.tobytes()
    data = bytearray(WIDTH * HEIGHT)
    for i in range(WIDTH * HEIGHT):
        r, g, b, a = pixels[4 * i: 4 * i + 4]
        data[i] = (a & 3) << 6 | (r & 3) << 4 | (g & 3) << 2 | (b & 3)
    return bytes(data[:0x8000]), bytes(data[0x8000:]), _read_label(pixels)


def _read_label(pixels: bytes) -> Optional[list[list[int]]]:
    """The label drawn in the picture, or None when the label window holds
    anything but PICO-8 colours (a blank template has no label). Pixel
    colours are compared on their upper six bits; the low two carry data."""
    label = []
    for y in range(128):
        row = []
        base = ((LABEL_Y + y) * WIDTH + LABEL_X) * 4
        for x in range(128):
            r, g, b = pixels[base + 4 * x: base + 4 * x + 3]
            c = _BY_HIGH_BITS.get((r & 0xFC, g & 0xFC, b & 0xFC))
            if c is None:
                return None
            row.append(c)
        label.append(row)
    return label


def trailer(rom: bytes, version: int) -> bytes:
    """The 0x20 bytes after the ROM: versions and the ROM's SHA-1."""
    head = bytes((version & 0xFF, *_TRAILER_VERSION)) + _PLATFORM + bytes((_TRAILER_BUILD,))
    return (head + hashlib.sha1(rom).digest()).ljust(0x20, b"\0")


def _cart_picture(label: Optional[list[list[int]]], title: list[str]) -> Image.Image:
    """rp8's own cartridge drawing: a dark cart body with a label window."""
    from PIL import Image, ImageDraw, ImageFont

    img = Image.new("RGBA", (WIDTH, HEIGHT), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    body = (0x2A, 0x2A, 0x33, 255)
    edge = (0x14, 0x14, 0x1A, 255)
    d.rounded_rectangle((2, 2, WIDTH - 3, HEIGHT - 3), radius=8, fill=body, outline=edge, width=2)
    # Grip ridges along the top edge, like a cartridge's.
    for x in range(30, WIDTH - 30, 6):
        d.line((x, 6, x, 14), fill=edge, width=2)
    d.rectangle((LABEL_X - 2, LABEL_Y - 2, LABEL_X + 129, LABEL_Y + 129), fill=edge)
    if label is not None:
        for y in range(128):
            for x in range(128):
                r, g, b = PALETTE.get(label[y][x], (0, 0, 0))
                img.putpixel((LABEL_X + x, LABEL_Y + y), (r, g, b, 255))
    else:
        # Not a PICO-8 colour, so readers see "no label" (as for a blank template).
        d.rectangle((LABEL_X, LABEL_Y, LABEL_X + 127, LABEL_Y + 127), fill=(0x30, 0x30, 0x38, 255))
    font = ImageFont.load_default()
    for i, line in enumerate(title[:2]):
        d.text((TITLE_X, TITLE_Y + i * 12), line, fill=(0xFF, 0xF1, 0xE8, 255), font=font)
    return img


def encode(rom: bytes, version: int, label: Optional[list[list[int]]], title: list[str]) -> bytes:
    """PNG bytes for a cart: rp8's cart picture with the ROM in its low bits."""
    assert len(rom) == 0x8000
    payload = rom + trailer(rom, version)
    from PIL import Image

    img = _cart_picture(label, title)
    px = bytearray(img.tobytes())
    for i, byte in enumerate(payload):
        j = 4 * i
        px[j] = (px[j] & 0xFC) | (byte >> 4) & 3
        px[j + 1] = (px[j + 1] & 0xFC) | (byte >> 2) & 3
        px[j + 2] = (px[j + 2] & 0xFC) | byte & 3
        px[j + 3] = (px[j + 3] & 0xFC) | (byte >> 6) & 3
    out = Image.frombytes("RGBA", (WIDTH, HEIGHT), bytes(px))
    buf = io.BytesIO()
    out.save(buf, format="PNG")
    return buf.getvalue()


def label_png(label: list[list[int]]) -> bytes:
    """A 128x128 PNG of a label in PICO-8's palette."""
    from PIL import Image

    img = Image.new("RGB", (128, 128))
    img.putdata([PALETTE.get(c, (0, 0, 0)) for row in label for c in row])
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()
