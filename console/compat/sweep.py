"""Find carts and probe them in parallel, one process per cart.

Each cart runs in a fresh `python -m console.compat.worker` process started
in the cart's own folder (multicarts load() their siblings from there), so
a hang is ended by the sweep's deadline and a crash of a compiled build
costs only that cart. Results come back as JSON on the worker's stdout.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Callable, Iterable, Optional

from aot.errors import UserError

CART_SUFFIXES = (".p8", ".p8.png", ".p8.rom")


def is_cart(path: Path) -> bool:
    return path.name.lower().endswith(CART_SUFFIXES)


def find_carts(paths: Iterable[Path]) -> list[Path]:
    """Every cart file named or found under the folders named, recursively,
    each once, in a stable order. A .p8 file that another cart #includes
    is still a cart here when it has a cart header (see is_included)."""
    found: list[Path] = []
    for p in paths:
        if p.is_dir():
            found += sorted(q for q in p.rglob("*") if q.is_file() and is_cart(q)
                            and not is_included_lua(q))
        elif p.is_file():
            found.append(p)
        else:
            raise UserError(f"{p}: no such file or folder")
    seen: set[Path] = set()
    out = []
    for p in found:
        key = p.resolve()
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out


def is_included_lua(path: Path) -> bool:
    """A `.p8` file without PICO-8's header: plain Lua that carts #include
    (real carts name their shared code `lib.p8`), not a cart to run."""
    if not path.name.lower().endswith(".p8"):
        return False
    try:
        with open(path, "rb") as f:
            head = f.read(256)
    except OSError:
        return False
    return b"pico-8 cartridge" not in head.lower()


def probe_in_process(cart: Path, frames: int, aot: bool, thumbs: bool, timeout: float,
                     deadline: float) -> dict[str, Any]:
    """Probe one cart in a worker process; a worker that outlives `deadline`
    seconds or dies is reported as the cart's error."""
    cmd = [sys.executable, "-m", "console.compat.worker", str(cart.resolve()), str(frames),
           "--timeout", str(timeout)]
    if aot:
        cmd.append("--aot")
    if thumbs:
        cmd.append("--thumbs")
    env = dict(os.environ)
    root = str(Path(__file__).resolve().parent.parent.parent)
    env["PYTHONPATH"] = root + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    base: dict[str, Any] = {"cart": str(cart), "loads": False, "runs": False, "frames": 0,
                            "status": "error", "blank": True}
    try:
        done = subprocess.run(cmd, cwd=cart.resolve().parent, env=env, capture_output=True,
                              timeout=deadline, text=True)
    except subprocess.TimeoutExpired:
        base["error"] = {"kind": "timeout", "where": "",
                         "message": f"the run did not finish within {deadline:g} s"}
        return base
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        tail = (done.stderr.strip().splitlines() or [f"exit status {done.returncode}"])[-1]
        base["error"] = {"kind": "crash", "where": "",
                         "message": f"the worker died (exit status {done.returncode}): {tail}"}
        return base
    result: dict[str, Any] = json.loads(lines[-1])
    result["cart"] = str(cart)
    return result


def sweep(carts: list[Path], frames: int, aot: bool = False, jobs: int = 0, thumbs: bool = False,
          timeout: float = 10.0, deadline: Optional[float] = None,
          on_result: Optional[Callable[[dict[str, Any], int, int], None]] = None
          ) -> list[dict[str, Any]]:
    """Probe every cart, `jobs` at a time (0: one per CPU); results in the
    carts' order. on_result(result, done, total) is called as each finishes."""
    jobs = jobs or os.cpu_count() or 1
    if deadline is None:
        # generous: a frame may take `timeout`; g++ may take a minute
        deadline = max(120.0, timeout * 6) + (180.0 if aot else 0.0)
    lock = threading.Lock()
    done = [0]

    def one(cart: Path) -> dict[str, Any]:
        r = probe_in_process(cart, frames, aot, thumbs, timeout, deadline)
        with lock:
            done[0] += 1
            if on_result is not None:
                on_result(r, done[0], len(carts))
        return r

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        return list(pool.map(one, carts))
