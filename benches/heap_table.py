"""The Lua heap each cart needs, and whether it fits each device's arena.

    python benches/heap_table.py ../shared/corpus/carts ../shared/corpus/more \
        --arena rp2040=96440-24576 --arena rp2350=NNN-98304 --frames 1800 --jobs 2 \
        --out heap.md --json heap.json [--resume LOG]

Every cart runs compiled on the desktop (console.desktop.heap_need, one
process per cart in the cart's folder): first uncapped, measuring the peak
of live bytes, then once per device with the arena capped at that device's
size, where "out of memory" means the cart does not fit; the table says what the
need is made of (the largest object kinds live at the peak). The arena sizes are
what `rp8 build` reports as "Lua heap" for each board for a cart without
coroutines; NAME=BYTES-POOL takes POOL bytes (the coroutine pool, see
console.firmware.project.DEVICE_STACKS) off for carts that may create
coroutines, as the firmware build does.

Each cart's result is printed as one JSON line when it is done, so a run
that was stopped is not lost: --resume LOG takes the results in LOG (that
output, saved) and runs only the carts it lacks.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from console.compat.sweep import find_carts  # noqa: E402


def coroutines(cart: Path) -> bool:
    """As `rp8 build` decides whether the cart gets a coroutine pool."""
    from console.aot_build import compile_source
    from aot.source import Source
    from console.cart import load_cart
    from console.firmware.project import may_create_coroutines

    try:
        loaded = load_cart(cart)
        compiled = compile_source(Source(loaded.code, cart.name, form="bytes"))
    except Exception:
        return True       # the worker reports why it cannot run
    return may_create_coroutines(loaded.code, compiled.dynamic_globals)


def run_one(cart: Path, frames: int, arenas: list[int], deadline: float) -> dict[str, Any]:
    cmd = [sys.executable, "-m", "console.desktop.heap_need", str(cart.resolve()), "--frames", str(frames)]
    for a in arenas:
        cmd += ["--arena", str(a)]
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    try:
        done = subprocess.run(cmd, cwd=cart.resolve().parent, env=env, capture_output=True, text=True,
                              timeout=deadline)
    except subprocess.TimeoutExpired:
        return {"cart": str(cart), "error": f"no result within {deadline:g} s"}
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        tail = (done.stderr.strip().splitlines() or [f"exit status {done.returncode}"])[-1]
        return {"cart": str(cart), "error": f"worker died: {tail}"}
    out: dict[str, Any] = json.loads(lines[-1])
    out["cart"] = str(cart)
    return out


def verdict(r: dict[str, Any], arena: int) -> str:
    if "peak" not in r:
        return "-"
    run = r["arenas"].get(str(arena))
    if run is None:
        return "no (need)"
    return "yes" if run["ok"] else f"no (oom at frame {run['frames']})"


def table(results: list[dict[str, Any]], names: list[tuple[str, int]], base: Path) -> str:
    from console.desktop.heap_need import made_of

    head = ("| cart | heap need KiB | " + " | ".join(f"{n} ({a // 1024} KiB)" for n, a in names)
            + " | run | at the peak |")
    rows = [head, "|" + "---|" * (4 + len(names))]
    for r in results:
        try:
            name = str(Path(r["cart"]).resolve().relative_to(base))
        except ValueError:
            name = r["cart"]
        if "peak" not in r:
            rows.append(f"| {name} | - | " + " | ".join("-" for _ in names) + f" | {r['error']} | |")
            continue
        run = f"{r['frames']} frames, {r['status']}" + (f": {r['error']}" if r["error"] else "")
        rows.append(f"| {name} | {(r['peak'] + 1023) // 1024} | "
                    + " | ".join(verdict(r, a) for _n, a in names) + f" | {run} | {made_of(r.get('peak_census', {}))} |")
    # carts that run compiled (no error but running out of memory) are counted
    measured = [r for r in results if "peak" in r and (r["error"] is None or "out of memory" in r["error"])]
    summary = []
    for n, a in names:
        ok = sum(1 for r in measured if verdict(r, a) == "yes")
        summary.append(f"{n}: {ok} of {len(measured)} fit ({100 * ok // max(1, len(measured))}%)")
    return "\n".join(rows) + "\n\n" + "; ".join(summary) + " (of the carts that run compiled: no error but out of memory)\n"


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="heap_table")
    p.add_argument("paths", nargs="+", type=Path)
    p.add_argument("--arena", action="append", default=[], metavar="NAME=BYTES")
    p.add_argument("--frames", type=int, default=1800)
    p.add_argument("--jobs", type=int, default=2)
    p.add_argument("--deadline", type=float, default=900.0)
    p.add_argument("--out", type=Path)
    p.add_argument("--json", type=Path)
    p.add_argument("--resume", type=Path, metavar="LOG", help="reuse the results printed in LOG by an earlier run")
    a = p.parse_args(argv)
    boards = []
    for spec in a.arena:
        name, size = spec.split("=")
        base, _, pool = size.partition("-")
        boards.append((name, int(base), int(pool or 0)))
    names = [(n, b) for n, b, _p in boards]
    carts = find_carts(a.paths)
    base = Path(os.path.commonpath([c.resolve() for c in carts])) if carts else Path(".")

    done: dict[str, dict[str, Any]] = {}
    if a.resume is not None:
        for line in a.resume.read_text().splitlines():
            if line.startswith("{"):
                r = json.loads(line)
                done[r["cart"]] = r

    def one(c: Path) -> dict[str, Any]:
        if str(c) in done:
            return done[str(c)]
        co = coroutines(c)
        sizes = [b - (p if co else 0) for _n, b, p in boards]
        r = run_one(c, a.frames, sizes, a.deadline)
        r["coroutines"] = co
        # verdicts are looked up by the board's base size
        r["arenas"] = {str(b): r.get("arenas", {}).get(str(z)) for (_n, b, _p), z in zip(boards, sizes)} \
            if "arenas" in r else {}
        print(json.dumps(r), flush=True)
        return r

    with ThreadPoolExecutor(max_workers=a.jobs) as pool:
        results = list(pool.map(one, carts))
    text = table(results, names, base)
    if a.json:
        a.json.write_text(json.dumps(results, indent=1))
    if a.out:
        a.out.write_text(text)
    else:
        print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
