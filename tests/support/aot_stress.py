"""Compiled carts in a GC-stress build under AddressSanitizer.

The stress build (-DRP8_GC_STRESS, aot/runtime/rt_gc.cpp) collects before
every allocation and hands out fresh arena memory before reusing freed
blocks, and ASan poisons every freed block, so a value the collector cannot
see (held only in a C++ variable, or by generated code outside a slot) is
freed at the first allocation after it is made and its next use is
reported where it happens. A collection must never change what a cart
does, so the stress build's frames must equal the normal build's.

ASan must be the first library in a process, so the stress build runs in
a child Python with libasan preloaded (`python tests/support/aot_stress.py FRAMES
CART...` prints one JSON line per cart); the normal build runs in the
test's own process. Both run a cart as tests/compiled/test_aot_frames.py does (seed
0, a fixed clock, the cart's input script).
"""
from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any, Optional

TESTS = Path(__file__).resolve().parents[1]
ROOT = TESTS.parent
sys.path.insert(0, str(TESTS))
from support.aot_cpp import SANITIZE, STRESS  # noqa: E402

STRESS_FLAGS = SANITIZE + STRESS


def frame_hashes(cart: Path, frames: int, flags: tuple[str, ...] = ()) -> dict[str, Any]:
    """Run the compiled cart: one hash of the screen per frame run, how the
    run ended and its error, if any."""
    from console.desktop.aot_player import AotConsole
    from console.desktop.buttons import script_for_cart
    from console.desktop.frameloop import Options

    script = script_for_cart(cart, frames)
    with tempfile.TemporaryDirectory(prefix="rp8-stress-") as tmp:
        opts = Options(seed=0, fixed_clock=True, printh=lambda s: None, data_dir=Path(tmp),
                       printh_dir=Path(tmp) / "printh", frame_timeout=600.0)
        con = AotConsole.from_path(cart, opts, build_flags=flags)
        hashes: list[str] = []
        status = "frame"
        try:
            for n in range(frames):
                kind = con.step(script.masks(n))
                if kind not in ("frame", "skip"):
                    status = kind
                    break
                hashes.append(hashlib.sha1(con.indices()).hexdigest()[:16])
            error: Optional[str] = con.error.message if con.error is not None else None
        finally:
            con.close()
    return {"hashes": hashes, "status": status, "error": error}


def asan_runtime() -> Optional[str]:
    """The path of g++'s libasan shared library, or None."""
    done = subprocess.run(["g++", "-print-file-name=libasan.so"], capture_output=True, text=True)
    path = done.stdout.strip()
    return path if done.returncode == 0 and os.path.isabs(path) and os.path.exists(path) else None


def run_stressed(carts: list[Path], frames: int, timeout: float) -> tuple[dict[str, dict[str, Any]], str]:
    """Each cart's frame_hashes in the stress build (by cart path), and the
    child's stderr (ASan's report when it found something)."""
    env = dict(os.environ, LD_PRELOAD=asan_runtime() or "",
               ASAN_OPTIONS="detect_leaks=0:abort_on_error=0:exitcode=86",
               PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    done = subprocess.run([sys.executable, str(Path(__file__)), str(frames), *map(str, carts)],
                          capture_output=True, text=True, env=env, timeout=timeout, cwd=ROOT)
    out = {}
    for line in done.stdout.splitlines():
        if line.startswith("{"):
            rec = json.loads(line)
            out[rec["cart"]] = rec
    report = done.stderr
    at = report.find("ERROR: AddressSanitizer")
    report = report[max(at - 20, 0):][:6000] if at >= 0 else report[-6000:]
    return out, f"exit status {done.returncode}\n{report}"


def main(argv: list[str]) -> None:
    frames = int(argv[0])
    for cart in argv[1:]:
        rec = frame_hashes(Path(cart), frames, STRESS_FLAGS)
        print(json.dumps(dict(rec, cart=cart)), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
