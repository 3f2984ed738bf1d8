"""Helpers for frame-by-frame differential tests: one cart run by the
desktop interpreter (console.desktop.frameloop.Console) and by its AOT
build (console.desktop.aot_player.AotConsole) with the same input script
and seed, stepped in lockstep; after every frame the screens (display
colours after the screen palette), the kind of the frame, the printh
output and the CPU model's counts (Lua work units and system ticks since
boot, aot/runtime/rt_cpu.h) must agree. Nothing is stored: each frame is
compared as it comes, and the first difference is reported with its frame
(and pixel).

Both consoles model PICO-8's CPU budget the same way (a frame over budget
is cut short or drops its draw), so an over-budget frame is no excuse for
a difference; `over_budget` still names the interpreter's first such frame
for the tests that want carts within budget.
"""
from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

import pytest

from console.desktop.buttons import InputScript


def need_gxx() -> None:
    if shutil.which("g++") is None or shutil.which("gcc") is None:
        pytest.skip("g++/gcc not installed: compiled carts cannot be built")


def console_from_code(code: str, aot: bool) -> Any:
    """The interpreter's Console, or the compiled cart's AotConsole, for a
    cart's code, seed 0 and a fixed clock: for tests held to both."""
    from console.desktop.frameloop import Console, Options
    opts = Options(seed=0, fixed_clock=True, printh=lambda s: None)
    if not aot:
        return Console.from_code(code, options=opts)
    need_gxx()
    from console.desktop.aot_player import AotConsole
    return AotConsole.from_code(code, options=opts)


@dataclass
class FrameDiff:
    frames: int                  # frames compared and equal
    mismatch: Optional[str]      # the first difference, or None
    over_budget: Optional[int]   # the interpreter's first over-budget frame, if any
    status: str                  # how the run ended ("frame": all frames ran)


def _first_pixel(a: bytes, b: bytes) -> str:
    k = next(i for i in range(len(a)) if a[i] != b[i])
    return f"pixel ({k % 128}, {k // 128}): compiled {a[k]}, interpreter {b[k]}"


def compare(aot, lua, frames: int, script: Optional[InputScript] = None) -> FrameDiff:
    """Step both consoles `frames` times; stop at the first difference."""
    over: Optional[int] = None
    for n in range(frames):
        masks = script.masks(n) if script is not None else [0] * 8
        ka, kb = aot.step(masks), lua.step(masks)
        if over is None and kb in ("frame", "skip") and lua.cpu() >= 1.0:
            over = n
        d = _frame_diff(aot, lua, n, ka, kb)
        if d is not None:
            return FrameDiff(n, d[0], over, d[1])
        if ka not in ("frame", "skip"):
            return FrameDiff(n, None, over, ka)
    return FrameDiff(frames, None, over, "frame")


def _frame_diff(aot, lua, n: int, ka: str, kb: str) -> Optional[tuple[str, str]]:
    """What differs at frame n (message, status), or None."""
    if ka != kb:
        why = f"frame {n}: compiled {ka!r}, interpreter {kb!r}"
        if aot.error is not None:
            why += f"; compiled error: {aot.error.message}"
        if lua.error is not None:
            why += f"; interpreter error: {lua.error.message}"
        return why, ka
    if ka not in ("frame", "skip"):
        if ka == "error" and aot.error.message != lua.error.message:
            return (f"frame {n}: errors differ: compiled {aot.error.message!r}, "
                    f"interpreter {lua.error.message!r}"), ka
        return None
    ia, ib = aot.indices(), lua.indices()
    if ia != ib:
        return f"frame {n}: {_first_pixel(ia, ib)}", ka
    if aot.printh_lines != lua.printh_lines:
        return (f"frame {n}: printh differs: compiled {aot.printh_lines[-3:]}, "
                f"interpreter {lua.printh_lines[-3:]}"), ka
    ca, cb = cpu_counts(aot), cpu_counts(lua)
    if ca is not None and ca != cb:
        return (f"frame {n}: CPU counts differ (units, system ticks since boot): compiled {ca}, "
                f"interpreter {cb}"), ka
    return None


def cpu_counts(con) -> Optional[tuple[int, int]]:
    """Units of Lua work and system ticks counted since boot, or None for
    a compiled cart built without the CPU model."""
    if hasattr(con, "cpu_counts"):
        try:
            return con.cpu_counts()
        except NotImplementedError:
            return None
    used, sys_ticks = con.lua.call("cpu")[:2]
    return int(used), int(sys_ticks)


def script_for(cart: Path, frames: int) -> InputScript:
    """The cart's own .input script beside it, else the demo walk."""
    from console.desktop.buttons import script_for_cart

    return script_for_cart(cart, frames)
