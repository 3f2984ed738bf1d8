"""The displayed frame as every console shows it, interpreted or compiled:
colour indices, RGB, its hash, a Pillow image, and PICO-8's error screen.

Each function takes the cffi handles of the engine that owns the state: the
interpreter's `console._engine`, or the engine linked into a compiled
cart's library (`aot_player`), which has its own p8_state.
"""
from __future__ import annotations

import hashlib
from typing import Any

from console.machine import to_fix

ERROR_WIDTH = 31      # characters of the system font across the screen


def indices(ffi: Any, lib: Any, state: Any) -> bytes:
    """128x128 display colours 0-31 (after the screen palette and mode)."""
    buf = ffi.new("uint8_t[]", 128 * 128)
    lib.p8_present_indices(state, 0, 128, buf)
    return bytes(ffi.buffer(buf))


def rgb(ffi: Any, lib: Any, state: Any) -> bytes:
    """128x128 RGB bytes, through the engine's present step."""
    buf = ffi.new("uint32_t[]", 128 * 128)
    lib.p8_present_xrgb8888(state, 0, 128, buf)
    raw = bytes(ffi.buffer(buf))
    out = bytearray(128 * 128 * 3)
    out[0::3] = raw[2::4]
    out[1::3] = raw[1::4]
    out[2::3] = raw[0::4]
    return bytes(out)


def frame_hash(ffi: Any, lib: Any, state: Any) -> str:
    return hashlib.sha1(indices(ffi, lib, state)).hexdigest()


def image(ffi: Any, lib: Any, state: Any) -> Any:
    from PIL import Image

    return Image.frombytes("RGB", (128, 128), rgb(ffi, lib, state))


def wrap(text: str, width: int = ERROR_WIDTH) -> list[str]:
    """Lower-cased lines of at most `width` characters, split at spaces."""
    out: list[str] = []
    for para in text.lower().split("\n"):
        while len(para) > width:
            cut = para.rfind(" ", 0, width + 1)
            if cut <= 0:
                cut = width
            out.append(para[:cut])
            para = para[cut:].lstrip()
        out.append(para)
    return out


def error_lines(message: str, places: list[str], title: str = "runtime error") -> list[str]:
    lines = [title] + wrap(message) + [""]
    for p in places[:6]:
        lines += wrap("at " + p)
    return lines


def draw_error(lib: Any, state: Any, ram: Any, lines: list[str]) -> None:
    """PICO-8's error screen over the last frame: default palette and
    screen mode, a black panel, the lines in the system font."""
    lib.p8_reset_draw_state(state)
    ram[0x5F10:0x5F20] = bytes(range(16))
    ram[0x5F2C] = 0
    lib.p8_rectfill(state, 0, 0, to_fix(127), to_fix(min(127, 6 * len(lines) + 3)), 0, 5)
    y = 2
    for i, text in enumerate(lines):
        data = text.encode("latin-1", "replace")
        lib.p8_print(state, data, len(data), to_fix(1), to_fix(y), to_fix(8 if i == 0 else 6), 4)
        y += 6
