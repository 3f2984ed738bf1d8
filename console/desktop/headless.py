"""Headless runs: a cart for N frames with scripted input, no window.

What tests, CI and `rp8 bench` use. Optionally writes PNG screens every K
frames (and always the last one) and `hashes.txt`, one line per frame:
`FRAME SHA1` of the displayed frame (128x128 display colour numbers, see
Console.indices), so two runs can be compared frame by frame.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from console.desktop.buttons import InputScript
from console.desktop.cart_console import CartConsole
from console.desktop.frameloop import CartRuntimeError

# the interpreter's console or a compiled cart's: the same interface
AnyConsole = CartConsole


@dataclass
class HeadlessResult:
    frames: int                       # frames run
    status: str                       # "frame" (ran them all), "error", "stopped", "ended"
    hashes: list[str] = field(default_factory=list)
    error: Optional[CartRuntimeError] = None
    screenshots: list[Path] = field(default_factory=list)


def run_headless(con: AnyConsole, frames: int, script: Optional[InputScript] = None,
                 out: Optional[Path] = None, dump_every: int = 0) -> HeadlessResult:
    """Run up to `frames` frames. A frame that does not present (holdframe,
    over budget) keeps the previous picture, as on a screen."""
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
    result = HeadlessResult(0, "frame")
    hash_file = open(out / "hashes.txt", "w", encoding="ascii") if out is not None else None
    try:
        for n in range(frames):
            masks = script.masks(n) if script is not None else [0] * 8
            kind = con.step(masks)
            if kind not in ("frame", "skip"):
                result.status = kind
                break
            result.frames = n + 1
            h = con.frame_hash()
            result.hashes.append(h)
            if hash_file is not None:
                hash_file.write(f"{n} {h}\n")
            if out is not None and dump_every > 0 and n % dump_every == 0:
                result.screenshots.append(_save(con, out, n))
        if out is not None and (result.frames or con.status != "frame"):
            last = max(result.frames - 1, 0)
            if con.error is not None:
                con.show_error()
            path = out / f"frame_{last:05d}.png"
            if path not in result.screenshots:
                result.screenshots.append(_save(con, out, last))
    finally:
        if hash_file is not None:
            hash_file.close()
    result.error = con.error
    return result


def _save(con: AnyConsole, out: Path, n: int) -> Path:
    path = out / f"frame_{n:05d}.png"
    con.image().save(path)
    return path
