"""`rp8 demo`: draw one frame with the engine alone and save it as a PNG.

A quick check that the engine built and works on this machine; it needs no
cart, no display and no Lua.
"""
from __future__ import annotations

import argparse
from pathlib import Path

from console._engine import ffi, lib
from console.machine import Machine, to_fix
from console.desktop import screen


def register(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    p = sub.add_parser("demo", help="draw a demo frame with the engine and save it as a PNG",
                       description="Draw one frame with the C engine (shapes, sprites' palette, "
                       "text) and save it as a PNG. Needs no display.")
    p.add_argument("-o", "--out", type=Path, default=Path("demo.png"), help="PNG to write (default: demo.png)")
    p.add_argument("--scale", type=int, default=4, help="integer pixel scale (default: 4)")
    p.set_defaults(run=run)


def _text(m: Machine, s: str, x: int, y: int, col: int) -> None:
    data = s.encode("latin-1")
    lib.p8_print(m.state, data, len(data), to_fix(x), to_fix(y), to_fix(col), 4)


def draw(m: Machine) -> None:
    p = m.state
    lib.p8_cls(p, 1 << 16)
    for i in range(16):
        lib.p8_rectfill(p, to_fix(i * 8), to_fix(104), to_fix(i * 8 + 7), to_fix(127), to_fix(i), 5)
    for r in range(40, 0, -6):
        lib.p8_circfill(p, to_fix(64), to_fix(56), to_fix(r), to_fix(8 + (r // 6) % 8), 4)
    lib.p8_oval(p, to_fix(8), to_fix(20), to_fix(120), to_fix(92), to_fix(7), 5)
    lib.p8_line(p, to_fix(0), to_fix(0), to_fix(127), to_fix(103), to_fix(12), 5)
    _text(m, "rp8 engine demo", 34, 4, 7)
    _text(m, "\x8b\x91\x94\x83 \x8e\x97", 44, 94, 10)


def run(args: argparse.Namespace) -> int:
    m = Machine()
    draw(m)
    scale = max(1, args.scale)
    img = screen.image(ffi, lib, m.state)
    img.resize((128 * scale, 128 * scale), resample=0).save(args.out)
    print(f"wrote {args.out} (128x128 screen at {scale}x)")
    return 0
