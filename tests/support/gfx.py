"""Helpers for the drawing tests: call the engine like a cart would, and
compare screen regions with ASCII art.

Art uses one character per pixel: '.' is colour 0, '0'-'9' and 'a'-'f'
the colour in hex. Leading/trailing blank lines and common indentation are
ignored, so expected pictures can be written inline.
"""
from __future__ import annotations

import textwrap
from typing import Any

from aot.api import by_name
from console.api_calls import ApiCalls, call
from console.machine import Machine, to_fix

HEX = ".123456789abcdef"


def fx(v: float) -> int:
    return to_fix(v)


class Cart(ApiCalls):
    """A cart's view of the drawing API (console/api_calls.py: numbers in,
    argc counted, results as a cart sees them), plus byte access to RAM."""

    def __init__(self, m: Machine) -> None:
        super().__init__(m)
        self.m = m
        self.s: Any = m.state

    def tline(self, *args: float) -> None:
        """tline's many-argument form (its one-argument form, the
        precision, is the BIOS's, over p8_tline_precision)."""
        call(self.m, by_name()["tline"], args)

    def poke(self, addr: int, *vals: int) -> None:
        for i, v in enumerate(vals):
            self.m.ram[addr + i] = v & 0xFF

    def peek(self, addr: int) -> int:
        return int(self.m.ram[addr])


def art(text: str) -> list[str]:
    lines = textwrap.dedent(text).strip("\n").splitlines()
    return [ln.strip() for ln in lines]


def region(m: Machine, x: int, y: int, w: int, h: int, base: int = 0x6000) -> list[str]:
    """Pixels of a 4bpp 128x128 image at `base` as art rows."""
    rows = []
    for yy in range(y, y + h):
        row = []
        for xx in range(x, x + w):
            b = m.ram[(base + yy * 64 + xx // 2) & 0xFFFF]
            row.append(HEX[(b >> 4) if xx & 1 else (b & 15)])
        rows.append("".join(row))
    return rows


def count_drawn(m: Machine, base: int = 0x6000) -> int:
    """Non-zero pixels in the 128x128 image at `base`."""
    n = 0
    for i in range(0x2000):
        b = m.ram[(base + i) & 0xFFFF]
        n += (b & 15 != 0) + (b >> 4 != 0)
    return n
