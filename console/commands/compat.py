"""`rp8 compat PATH...`: run many carts headless and report which run."""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

from aot.errors import UserError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "compat", help="run many carts headless and report which run",
        description="Run every cart found (files, or folders searched recursively for .p8, "
        ".p8.png and .p8.rom) headless for N frames with scripted input (the cart's own "
        "NAME.input beside it, else a walk pressing X, O and the arrows), each in its own "
        "process started in the cart's folder, and report per cart: loads, runs, the first "
        "error (kind, tab and line, message), frames reached, blank screen, and with --aot "
        "whether the compiled build shows identical frames. Exit status 0 only when every "
        "cart runs.")
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="cart files or folders")
    p.add_argument("--frames", type=int, default=300, metavar="N",
                   help="frames to run each cart (default 300)")
    p.add_argument("--aot", action="store_true",
                   help="also build each cart with the AOT compiler and compare frames")
    p.add_argument("--jobs", type=int, default=0, metavar="N",
                   help="carts run at once (default: one per CPU)")
    p.add_argument("--timeout", type=float, default=10.0, metavar="SEC",
                   help="stop a frame that runs longer than this (default 10 s)")
    p.add_argument("--json", type=Path, metavar="FILE", help="write the results as JSON here")
    p.add_argument("--html", type=Path, metavar="FILE",
                   help="write a contact sheet (first and last frame of each cart) here")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from console.compat.report import line, passed, summary, write_html, write_json
    from console.compat.sweep import find_carts, sweep

    if args.frames < 1:
        raise UserError("--frames must be 1 or more")
    if args.jobs < 0:
        raise UserError("--jobs must be 0 (one per CPU) or more")
    if args.timeout <= 0:
        raise UserError("--timeout must be more than 0 seconds")
    carts = find_carts(args.paths)
    if not carts:
        raise UserError("no carts (.p8, .p8.png, .p8.rom) found in " +
                        ", ".join(str(p) for p in args.paths))
    started = time.monotonic()

    def progress(r: dict[str, Any], done: int, total: int) -> None:
        print(f"[{done}/{total}] {line(r)}", file=sys.stderr, flush=True)

    results = sweep(carts, args.frames, aot=args.aot, jobs=args.jobs,
                    thumbs=args.html is not None, timeout=args.timeout, on_result=progress)
    if args.json is not None:
        write_json(args.json, results, args.frames, args.aot)
    if args.html is not None:
        write_html(args.html, results, args.frames, args.aot)
    print(f"{summary(results, args.aot)} ({args.frames} frames each, "
          f"{time.monotonic() - started:.0f} s)")
    return 0 if all(passed(r) for r in results) else 1
