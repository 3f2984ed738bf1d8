"""How much Lua heap a cart needs, measured on the desktop.

The compiled cart's arena (aot/runtime) has the same object layout on the
desktop as on a device (8-byte values, 32-bit arena offsets), so the bytes a
cart keeps alive are the same number everywhere. `measure` runs the
compiled cart with scripted input and a collection at least every GC_STEP
bytes allocated (or every 1/16 of the live heap), and reports the most bytes
found live after any collection: the smallest arena that could hold the cart,
exact to within that step. With `limit` the arena is capped at a device's
size and `step` 0 (the collector's pacing as shipped), so the run meets "out
of memory" where that device would: blocks never move, so how often the
collector runs decides which holes new blocks land in (runjumpdie ran 1800
frames in 124.5 KiB collecting every 4 KiB, and runs out of memory at frame 77
as shipped, on the desktop as in the RP2040 bench image).
"""
from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

GC_STEP = 4096           # collect at least this often while measuring (bytes)
AS_SHIPPED = 0           # the collector's own pacing: a device's, for capped runs
FRAMES = 1800            # one minute of play at 30 fps
OOM = "out of memory"


@dataclass
class HeapRun:
    peak: int                    # most bytes live after a collection
    frames: int                  # frames run
    status: str                  # frame (all ran), ended, stopped, error
    error: Optional[str] = None  # the runtime error's first line
    census: dict[str, tuple[int, int]] = field(default_factory=dict)  # live at the end: kind -> (bytes, blocks)
    peak_census: dict[str, int] = field(default_factory=dict)  # the peak's bytes by kind ("free": holes among them)
    fps: int = 30                # the cart's frame rate when the run stopped (60 with _update60)
    coroutines: int = 0          # the most coroutines alive at once (a device's pool must hold them)

    @property
    def out_of_memory(self) -> bool:
        return self.error is not None and OOM in self.error


def kib(n: int) -> str:
    """Bytes as whole KiB, rounded up (a need is never understated)."""
    return f"{(n + 1023) // 1024} KiB"


# the runtime's object kinds (aot_player.HEAP_KINDS) as a reader knows them
KIND_NAMES = {"string": "strings", "table": "table headers", "array": "array parts", "nodes": "hash parts",
              "closure": "closures", "cell": "upvalues", "refs": "runtime tables", "thread": "coroutines"}


def made_of(peak_census: dict[str, int], most: int = 3) -> str:
    """The largest kinds of a peak, "hash parts 232 KiB (57%), ...": where a
    cart's heap goes (free holes left out: they are not part of the need)."""
    live = {k: b for k, b in peak_census.items() if k != "free"}
    total = sum(live.values())
    if total == 0:
        return ""
    top = sorted(live.items(), key=lambda kb: -kb[1])[:most]
    return ", ".join(f"{KIND_NAMES.get(k, k)} {kib(b)} ({100 * b // total}%)" for k, b in top)


def measure(cart: Path, frames: int = FRAMES, limit: int = 0, step: int = GC_STEP,
            timeout: float = 60.0) -> HeapRun:
    """Run the compiled cart for `frames` frames of its test input (its own
    .input script, else the demo walk) from a fixed seed and clock."""
    from console.desktop.aot_player import AotConsole
    from console.desktop.buttons import script_for_cart
    from console.desktop.frameloop import Options

    script = script_for_cart(cart, frames)
    with tempfile.TemporaryDirectory(prefix="rp8-heap-") as tmp:
        opts = Options(seed=0, fixed_clock=True, printh=lambda s: None, frame_timeout=timeout,
                       data_dir=Path(tmp), printh_dir=Path(tmp) / "printh")
        con = AotConsole.from_path(cart, opts, heap_limit=limit, gc_step=step)
        try:
            n, status = 0, "frame"
            for n in range(frames):
                kind = con.step(script.masks(n))
                if kind not in ("frame", "skip"):
                    status = kind
                    break
            else:
                n = frames
            error = None
            if con.error is not None:
                error = con.error.message.strip().split("\n")[0]
            peak = con.heap_peak()
            return HeapRun(peak, n, status, error, con.heap_census(), con.heap_peak_census(), con.fps(),
                           con.coroutine_peak())
        finally:
            con.close()


def fits(cart: Path, need: HeapRun, arena: int, frames: int = FRAMES,
         timeout: float = 60.0) -> Optional[HeapRun]:
    """The run again as a device runs it, the arena capped at `arena` bytes
    (its heap) and the collector paced as shipped, or None when the need
    alone is more than that (no run needed)."""
    if need.peak > arena:
        return None
    return measure(cart, frames, limit=arena, step=AS_SHIPPED, timeout=timeout)


def main(argv: list[str]) -> int:
    """`python -m console.desktop.heap_need CART [--frames N] [--arena BYTES]...`:
    one JSON line: the need, and for each arena whether the capped run ran
    without "out of memory". Run in the cart's folder (multicarts)."""
    import argparse
    import json

    p = argparse.ArgumentParser(prog="console.desktop.heap_need")
    p.add_argument("cart", type=Path)
    p.add_argument("--frames", type=int, default=FRAMES)
    p.add_argument("--arena", type=int, action="append", default=[])
    p.add_argument("--timeout", type=float, default=60.0)
    a = p.parse_args(argv)
    try:
        need = measure(a.cart, a.frames, timeout=a.timeout)
    except Exception as err:           # load, syntax or build failure: reported, not raised
        print(json.dumps({"cart": str(a.cart), "error": f"{type(err).__name__}: {err}".split("\n")[0]}))
        return 0
    out: dict[str, object] = {"cart": str(a.cart), "peak": need.peak, "frames": need.frames,
                              "status": need.status, "error": need.error, "census": need.census,
                              "peak_census": need.peak_census, "fps": need.fps,
                              "coroutines": need.coroutines,
                              "arenas": {}}
    for arena in a.arena:
        run = fits(a.cart, need, arena, a.frames, a.timeout)
        out["arenas"][str(arena)] = None if run is None else {  # type: ignore[index]
            "ok": not run.out_of_memory, "frames": run.frames, "status": run.status, "error": run.error}
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    import sys

    sys.exit(main(sys.argv[1:]))
