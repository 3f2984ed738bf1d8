"""`rp8 bench CART`: how long a cart's frames take, in the desktop
interpreter, compiled, and on emulated RP2040 / Cortex-M33."""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from aot.errors import UserError

MODES = ("host", "aot", "rp2040", "m33")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "bench", help="measure a cart's frame times (desktop, compiled, emulated RP2040/M33)",
        description="Run a cart from power-on with scripted input and report, per mode, the time "
        "of each frame split into _update and _draw: median, mean, p95, max and frames over the "
        "30/60 fps budgets. Modes: host (LuaJIT interpreter, CPU ms), aot (compiled C++, CPU ms), "
        "rp2040 (bare-metal image in the rp2040js emulator: EMULATED cycles, ms at --clock), "
        "m33 (bare-metal image in unicorn: EMULATED instructions, not cycles). Emulators model "
        "no XIP cache and no bus contention; their figures are not hardware measurements.")
    p.add_argument("cart", nargs="?", help="a .p8, .p8.png or .p8.rom file")
    p.add_argument("--demo", metavar="NAME",
                   help="one of the bench carts rp8 ships instead of a file (rotor, particles, ...)")
    p.add_argument("--frames", type=int, default=300, metavar="N", help="frames to measure (default 300)")
    p.add_argument("--warmup", type=int, default=30, metavar="W",
                   help="frames run first and not measured (default 30, at least 1: the first "
                   "frame runs the cart's top level and _init)")
    p.add_argument("--input", type=Path, metavar="FILE",
                   help="scripted buttons per frame (the format of rp8 run --input); "
                   "default: CART's .input file beside it when there is one")
    p.add_argument("--seed", type=int, default=0, metavar="S", help="srand(S) before the cart (default 0)")
    p.add_argument("--mode", dest="modes", action="extend", nargs="+", choices=MODES,
                   metavar="MODE", help=f"one or more of {', '.join(MODES)} (`--mode host aot` or "
                   "`--mode host --mode aot`; default host)")
    p.add_argument("--clock", type=float, default=250.0, metavar="MHZ",
                   help="rp2040: convert cycles to ms at this clock (default 250)")
    p.add_argument("--profile", type=int, metavar="K",
                   help="host mode: run the cart once more with a timer around every API call "
                   "and list the K API functions that take the most time per measured frame "
                   "(calls per frame, ns per call, share of the frame; the rest of the frame is "
                   "the last row). rp2040 mode: run the image once more with a cycle profile and "
                   "list the K functions (engine, runtime, cart) that take the most EMULATED "
                   "cycles per measured frame, with ms at --clock and share of the total. Every "
                   "executed instruction's cycles are charged to its function (exact counts, not "
                   "samples); benches/rp2040_profile.py adds source lines and callers")
    p.add_argument("--aot-build", choices=("optimised", "quick"), default="optimised", metavar="TIER",
                   help="aot mode: the build to time, optimised (default: what a second play of "
                   "`rp8 run --aot` runs) or quick (what its first play runs)")
    p.add_argument("--json", type=Path, metavar="OUT", help="write the results (schema rp8-bench/2)")
    p.add_argument("--plot", type=Path, metavar="OUT", help="write a PNG chart")
    p.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    p.set_defaults(run=run)


def default_input(cart: Path) -> Path | None:
    """carts/x.p8 -> carts/x.input when it exists."""
    name = cart.name
    for ext in (".p8.png", ".p8.rom", ".p8"):
        if name.endswith(ext):
            cand = cart.with_name(name[: -len(ext)] + ".input")
            return cand if cand.is_file() else None
    return None


def run(args: argparse.Namespace) -> int:
    from console.bench import modes as bench_modes
    from console.bench.report import lines
    from console.bench.schema import validate
    from console.machine import to_fix
    from console.desktop.buttons import InputScript

    from console.sources import cart_argument

    cart = cart_argument(args.cart, args.demo)
    if not cart.is_file():
        raise UserError(f"{cart}: no such cart file")
    if args.frames < 1:
        raise UserError("--frames must be 1 or more")
    if args.warmup < 1:
        raise UserError("--warmup must be 1 or more (the first frame runs the cart's _init)")
    if args.clock <= 0:
        raise UserError("--clock must be a positive number of MHz")
    chosen = list(dict.fromkeys(args.modes or ["host"]))
    if args.profile is not None:
        if args.profile < 1:
            raise UserError("--profile K must list 1 or more functions")
        if "rp2040" not in chosen and "host" not in chosen:
            raise UserError("--profile needs --mode host (API functions in the interpreter) or "
                            "--mode rp2040 (functions of the emulated RP2040 image)")
    input_path = args.input if args.input is not None else default_input(cart)
    script = InputScript.load(input_path) if input_path is not None else None
    job = bench_modes.Job(cart, args.frames, args.warmup, args.seed, script, args.clock,
                          None if args.quiet else bench_modes.stderr_progress(), aot_build=args.aot_build)
    measured = [bench_modes.run_mode(m, job) for m in chosen]
    doc = bench_modes.document(job, input_path, measured)
    validate(doc)
    print("\n".join(lines(doc)))
    if args.profile is not None and "host" in chosen:
        from console.bench.host_profile import function_report as host_report

        if job.progress is not None:
            job.progress("host profile", 0, job.warmup + job.frames)
        print()
        print("\n".join(host_report(cart, job.frames, job.warmup, job.seed, job.masks,
                                     args.profile)))
    if args.profile is not None and "rp2040" in chosen:
        from console.bench.profile import function_report

        if job.progress is not None:
            job.progress("rp2040 profile", 0, job.warmup + job.frames)
        print()
        print("\n".join(function_report(cart, job.frames, job.warmup, to_fix(job.seed) & 0xFFFFFFFF,
                                         job.masks, job.clock_mhz, args.profile)))
    if args.json is not None:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(doc, indent=1) + "\n")
    if args.plot is not None:
        from console.bench.plot import plot

        plot(doc, args.plot)
    return 0 if all(m.status == "ok" for m in measured) else 1
