"""Helpers for the drawing tests: call the engine like a cart would, and
compare screen regions with ASCII art.

Art uses one character per pixel: '.' is colour 0, '0'-'9' and 'a'-'f'
the colour in hex. Leading/trailing blank lines and common indentation are
ignored, so expected pictures can be written inline.
"""
from __future__ import annotations

import textwrap
from typing import Any

from console._engine import lib
from console.machine import Machine, to_fix

HEX = ".123456789abcdef"


def fx(v: float) -> int:
    return to_fix(v)


class Cart:
    """A cart's view of the drawing API: numbers in, argc counted."""

    def __init__(self, m: Machine) -> None:
        self.m = m
        self.s: Any = m.state

    def _call(self, fn: Any, args: tuple[float, ...], nmax: int) -> Any:
        padded = [fx(a) for a in args] + [0] * (nmax - len(args))
        return fn(self.s, *padded, len(args))

    def cls(self, c: float = 0) -> None:
        lib.p8_cls(self.s, fx(c))

    def pset(self, *a: float) -> None:
        self._call(lib.p8_pset, a, 3)

    def pget(self, x: float, y: float) -> int:
        return lib.p8_pget(self.s, fx(x), fx(y)) >> 16

    def sget(self, x: float, y: float) -> int:
        return lib.p8_sget(self.s, fx(x), fx(y)) >> 16

    def sset(self, *a: float) -> None:
        self._call(lib.p8_sset, a, 3)

    def fget(self, *a: float) -> int:
        return self._call(lib.p8_fget, a, 2) >> 16

    def fset(self, n: float, f: float, v: bool | None = None) -> None:
        if v is None:
            lib.p8_fset(self.s, fx(n), fx(f), 0, 2)
        else:
            lib.p8_fset(self.s, fx(n), fx(f), int(v), 3)

    def mget(self, x: float, y: float) -> int:
        return lib.p8_mget(self.s, fx(x), fx(y)) >> 16

    def mset(self, x: float, y: float, v: float) -> None:
        lib.p8_mset(self.s, fx(x), fx(y), fx(v))

    def line(self, *a: float) -> None:
        self._call(lib.p8_line, a, 5)

    def rect(self, *a: float) -> None:
        self._call(lib.p8_rect, a, 5)

    def rectfill(self, *a: float) -> None:
        self._call(lib.p8_rectfill, a, 5)

    def rrect(self, *a: float) -> None:
        self._call(lib.p8_rrect, a, 6)

    def rrectfill(self, *a: float) -> None:
        self._call(lib.p8_rrectfill, a, 6)

    def circ(self, x: float, y: float, r: float = 4, *c: float) -> None:
        self._call(lib.p8_circ, (x, y, r) + c, 4)

    def circfill(self, x: float, y: float, r: float = 4, *c: float) -> None:
        self._call(lib.p8_circfill, (x, y, r) + c, 4)

    def oval(self, *a: float) -> None:
        self._call(lib.p8_oval, a, 5)

    def ovalfill(self, *a: float) -> None:
        self._call(lib.p8_ovalfill, a, 5)

    def spr(self, n: float, x: float, y: float, w: float = 1, h: float = 1,
            fx_: bool = False, fy: bool = False) -> None:
        lib.p8_spr(self.s, fx(n), fx(x), fx(y), fx(w), fx(h), int(fx_), int(fy))

    def sspr(self, sx: float, sy: float, sw: float, sh: float, dx: float, dy: float,
             dw: float | None = None, dh: float | None = None,
             flip_x: bool = False, flip_y: bool = False) -> None:
        argc = 6 + (dw is not None) + (dh is not None)
        if flip_x or flip_y:
            argc = 10
            dw = sw if dw is None else dw
            dh = sh if dh is None else dh
        lib.p8_sspr(self.s, fx(sx), fx(sy), fx(sw), fx(sh), fx(dx), fx(dy),
                    fx(dw or 0), fx(dh or 0), int(flip_x), int(flip_y), argc)

    def map(self, *a: float) -> None:
        self._call(lib.p8_map, a, 7)

    def tline(self, x0: float, y0: float, x1: float, y1: float, mx: float, my: float,
              mdx: float = 0.125, mdy: float = 0, layers: float = 0) -> None:
        lib.p8_tline(self.s, fx(x0), fx(y0), fx(x1), fx(y1), fx(mx), fx(my),
                     fx(mdx), fx(mdy), fx(layers))

    def color(self, *a: float) -> int:
        return self._call(lib.p8_color, a, 1) >> 16

    def cursor(self, *a: float) -> int:
        return int(self._call(lib.p8_cursor, a, 3))

    def camera(self, *a: float) -> int:
        return int(self._call(lib.p8_camera, a, 2))

    def clip(self, x: float | None = None, y: float = 0, w: float = 0, h: float = 0,
             previous: bool | None = None) -> int:
        if x is None:
            return int(lib.p8_clip_set(self.s, 0, 0, 0, 0, 0, 0))
        argc = 4 if previous is None else 5
        return int(lib.p8_clip_set(self.s, fx(x), fx(y), fx(w), fx(h), int(bool(previous)), argc))

    def pal(self, *a: float) -> int:
        return self._call(lib.p8_pal, a, 3) >> 16

    def palt(self, c: float | None = None, t: bool | None = None) -> int:
        if c is None:
            return lib.p8_palt(self.s, 0, 0, 0) >> 16
        if t is None:
            return lib.p8_palt(self.s, fx(c), 0, 1) >> 16
        return lib.p8_palt(self.s, fx(c), int(t), 2) >> 16

    def fillp(self, *a: float) -> int:
        return int(self._call(lib.p8_fillp, a, 1))

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
