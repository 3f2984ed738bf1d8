"""The Lua heap each cart needs, whether it fits each device's arena, and
(with --budget) whether it holds its frame budget on the emulated RP2040.

    python benches/heap_table.py ../shared/corpus/carts ../shared/corpus/more \
        --arena rp2040=96440-24576 --arena rp2350=NNN-98304 --frames 1800 --jobs 2 \
        --budget rp2040 --budget-frames 120 --out heap.md --json heap.json [--resume LOG]

Every cart runs compiled on the desktop (console.desktop.heap_need, one
process per cart in the cart's folder): first uncapped, measuring the peak
of live bytes, then once per device with the arena capped at that device's
size, where "out of memory" means the cart does not fit; the table says what the
need is made of (the largest object kinds live at the peak). The arena sizes are
what `rp8 build` reports as "Lua heap" for each board for a cart without
coroutines; NAME=BYTES-POOL takes POOL bytes (the coroutine pool, see
console.firmware.project.DEVICE_STACKS) off for carts that may create
coroutines, as the firmware build does.

With --budget BOARD, every cart that fits BOARD's arena also runs as an
RP2040 bench image in rp2040js (console.bench.budget: the same scripted
input, --budget-warmup frames not measured, then --budget-frames measured):
EMULATED ms median/p95 of the cart's frame, core0, core1 and the two-core
frame, and the share of frames within the cart's budget at 250 MHz.

Each cart's result is printed as one JSON line when it is done (stdout), with
a progress line on stderr, so a run that was stopped is not lost: --resume
LOG takes the results in LOG (that output, saved) and runs only what they
lack (a cart measured without --budget gets only its bench run).
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time
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


def bench_one(cart: Path, fps: int, frames: int, warmup: int, arena: int,
              coroutines: bool) -> dict[str, Any]:
    """The cart's budget figures (console.bench.budget), or why there are none."""
    from console.bench.budget import measure

    try:
        return measure(cart, frames, warmup, fps, arena, coroutines=coroutines)
    except Exception as err:          # a build or emulator failure is this cart's result
        return {"fps": fps, "status": "error", "frames": 0,
                "message": f"{type(err).__name__}: {err}".strip().split("\n")[0]}


def own_error(r: dict[str, Any]) -> str | None:
    """The cart's own runtime error in the heap run (not "out of memory")."""
    err = r.get("error")
    return err if err and "out of memory" not in err else None


def progress_line(r: dict[str, Any]) -> str:
    if "peak" not in r:
        return f"{r['cart']}: {r['error']}"
    text = f"{r['cart']}: need {(r['peak'] + 1023) // 1024} KiB"
    b = r.get("budget")
    if b is not None:
        text += f", {b['status']}, two-core {ms(b, 'frame')} ms, {b.get('within', 0):g}% within {b['fps']} fps"
    return text


def verdict(r: dict[str, Any], arena: int) -> str:
    if "peak" not in r:
        return "-"
    run = r["arenas"].get(str(arena))
    if run is None:
        return "no (need)"
    return "yes" if run["ok"] else f"no (oom at frame {run['frames']})"


def ms(b: dict[str, Any], name: str) -> str:
    got = b.get(name)
    return f"{got['median']:.1f} / {got['p95']:.1f}" if got else "-"


def budget_cells(r: dict[str, Any]) -> list[str]:
    """fps, cart ms, core0 ms, core1 ms, two-core ms, % within budget."""
    b = r.get("budget")
    if b is None:
        return ["-"] * 6
    within = f"{b['within']:g}" if "within" in b else "-"
    if b["status"] != "ok":
        within += f" ({b['status']}: {(b['message'] or '')[:80]})"
    return [str(b["fps"]), ms(b, "cart"), ms(b, "core0"), ms(b, "core1"), ms(b, "frame"), within]


BUDGET_HEAD = ["fps", "cart ms", "core0 ms", "core1 ms", "two-core ms", "% within budget"]


def table(results: list[dict[str, Any]], names: list[tuple[str, int]], base: Path,
          budget: bool = False) -> str:
    from console.desktop.heap_need import made_of

    extra = BUDGET_HEAD if budget else []
    head = ("| cart | heap need KiB | " + " | ".join(f"{n} ({a // 1024} KiB)" for n, a in names)
            + "".join(f" | {h}" for h in extra) + " | run | at the peak |")
    rows = [head, "|" + "---|" * (4 + len(names) + len(extra))]
    for r in results:
        name = cart_name(r, base)
        if "peak" not in r:
            rows.append(f"| {name} | - | " + " | ".join("-" for _ in names + extra) + f" | {r['error']} | |")
            continue
        run = f"{r['frames']} frames, {r['status']}" + (f": {r['error']}" if r["error"] else "")
        rows.append(f"| {name} | {(r['peak'] + 1023) // 1024} | "
                    + " | ".join(verdict(r, a) for _n, a in names)
                    + "".join(f" | {c}" for c in (budget_cells(r) if budget else []))
                    + f" | {run} | {made_of(r.get('peak_census', {}))} |")
    # carts that run compiled (no error but running out of memory) are counted
    measured = [r for r in results if "peak" in r and (r["error"] is None or "out of memory" in r["error"])]
    summary = []
    for n, a in names:
        ok = sum(1 for r in measured if verdict(r, a) == "yes")
        summary.append(f"{n}: {ok} of {len(measured)} fit ({100 * ok // max(1, len(measured))}%)")
    text = "\n".join(rows) + "\n\n" + "; ".join(summary) + \
        " (of the carts that run compiled: no error but out of memory)\n"
    if budget:
        text += "\n" + budget_summary(results, base)
    return text


def cart_name(r: dict[str, Any], base: Path) -> str:
    try:
        return str(Path(r["cart"]).resolve().relative_to(base))
    except ValueError:
        return str(r["cart"])


def budget_summary(results: list[dict[str, Any]], base: Path) -> str:
    """How many benched carts hold their budget, and which do not."""
    from console.bench.budget import GOAL, holds

    # a cart that stops with an error of its own is out of the count, as in the fit summary,
    # and so is one that ends before the measured frames (nothing to time)
    benched = [r for r in results if r.get("budget") and own_error(r) is None]
    untimed = [r for r in benched if r["budget"]["status"] == "ended" and not r["budget"]["frames"]]
    benched = [r for r in benched if r not in untimed]
    ok = [r for r in benched if holds(r["budget"])]
    lines = [f"Frame budget: {len(ok)} of {len(benched)} carts benched hold it for >= {GOAL:g}% of "
             "frames (two-core frame, EMULATED RP2040 at 250 MHz)"
             + (f"; not timed (ended before the measured frames): "
                + ", ".join(cart_name(r, base) for r in untimed) if untimed else "")]
    for r in benched:
        if not holds(r["budget"]):
            b = r["budget"]
            why = f"{b.get('within', 0):g}% within" if b["status"] == "ok" else f"{b['status']}: {b['message']}"
            lines.append(f"- {cart_name(r, base)}: {why}; two-core {ms(b, 'frame')} ms, cart {ms(b, 'cart')} ms "
                         f"at {b['fps']} fps")
    return "\n".join(lines) + "\n"


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
    p.add_argument("--budget", metavar="NAME", help="bench the carts that fit this --arena board in the "
                   "emulated RP2040 (frame times, both cores, share of frames within budget)")
    p.add_argument("--budget-frames", type=int, default=120, metavar="N", help="frames measured (default 120)")
    p.add_argument("--budget-warmup", type=int, default=30, metavar="W", help="frames run first (default 30)")
    a = p.parse_args(argv)
    boards = []
    for spec in a.arena:
        name, size = spec.split("=")
        base, _, pool = size.partition("-")
        boards.append((name, int(base), int(pool or 0)))
    names = [(n, b) for n, b, _p in boards]
    budget_board = None
    if a.budget is not None:
        budget_board = dict(names).get(a.budget)
        if budget_board is None:
            p.error(f"--budget {a.budget}: no --arena board of that name")
    carts = find_carts(a.paths)
    base = Path(os.path.commonpath([c.resolve() for c in carts])) if carts else Path(".")

    done: dict[str, dict[str, Any]] = {}
    if a.resume is not None:
        for line in a.resume.read_text().splitlines():
            if line.startswith("{"):
                r = json.loads(line)
                done[r["cart"]] = r

    lock = threading.Lock()
    count = [0]
    start = time.monotonic()

    def one(c: Path) -> dict[str, Any]:
        r = done.get(str(c))
        fresh = r is None
        if r is None:
            co = coroutines(c)
            sizes = [b - (p if co else 0) for _n, b, p in boards]
            r = run_one(c, a.frames, sizes, a.deadline)
            r["coroutines"] = co
            # verdicts are looked up by the board's base size
            r["arenas"] = {str(b): r.get("arenas", {}).get(str(z)) for (_n, b, _p), z in zip(boards, sizes)} \
                if "arenas" in r else {}
        if budget_board is not None and "budget" not in r and own_error(r) is None \
                and verdict(r, budget_board) == "yes":
            # the image gets the board's heap for this cart, as the firmware would
            pool = dict((n, p) for n, _b, p in boards)[a.budget] if r.get("coroutines") else 0
            r["budget"] = bench_one(c, r.get("fps", 30), a.budget_frames, a.budget_warmup,
                                    budget_board - pool, bool(r.get("coroutines", True)))
            fresh = True
        with lock:
            count[0] += 1
            if fresh:
                print(json.dumps(r), flush=True)
            print(f"heap_table: {count[0]}/{len(carts)} {progress_line(r)} "
                  f"({time.monotonic() - start:.0f} s)", file=sys.stderr, flush=True)
        return r

    with ThreadPoolExecutor(max_workers=a.jobs) as pool:
        results = list(pool.map(one, carts))
    text = table(results, names, base, budget_board is not None)
    if a.json:
        a.json.write_text(json.dumps(results, indent=1))
    if a.out:
        a.out.write_text(text)
    else:
        print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
