"""Where an AOT-compiled cart spends its emulated RP2040 cycles.

    python benches/rp2040_profile.py CART [--frames N] [--warmup W] [--top K]
                                         [--lines K] [--callers FN ...]

Builds the same bare-metal image as `rp8 bench CART --mode rp2040`, runs it
in rp2040js with the cart's .input script and charges every instruction's
cycles to its address (exact, not sampled) over the frames after the
warm-up. Prints cycles per frame by function, the hottest source lines
(--lines), and who calls the helpers named by --callers (default: the
libgcc/newlib helpers that show up on the M0+: memcpy, memset, 64-bit
multiply and divide): each call, with everything it calls, is charged to
the function it returns to.

Emulated cycles: rp2040js has no XIP cache model and no bus contention.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Optional

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from console.bench import image as images  # noqa: E402
from console.bench import profile as prof  # noqa: E402
from console.bench import rp2040  # noqa: E402
from console.commands.bench import default_input  # noqa: E402
from aot.errors import UserError  # noqa: E402
from console.machine import to_fix  # noqa: E402
from console.desktop.buttons import InputScript  # noqa: E402

HELPERS = ("memcpy", "memset", "memmove", "__aeabi_lmul", "__muldi3", "__aeabi_ldivmod",
           "__divdi3", "__aeabi_uldivmod", "__udivdi3", "__aeabi_idiv", "__aeabi_uidiv",
           "__aeabi_idivmod", "__aeabi_uidivmod", "__divsi3", "__udivsi3",
           "__aeabi_llsl", "__aeabi_llsr", "__aeabi_lasr")


def main(argv: Optional[list[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("cart", type=Path)
    ap.add_argument("--frames", type=int, default=30)
    ap.add_argument("--warmup", type=int, default=10)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--top", type=int, default=25, help="functions to list")
    ap.add_argument("--lines", type=int, default=0, help="hottest source lines to list")
    ap.add_argument("--callers", nargs="*", default=list(HELPERS),
                    help="functions whose cycles are also charged to their callers")
    ap.add_argument("--clock", type=float, default=250.0)
    args = ap.parse_args(argv)
    try:
        if not args.cart.is_file():
            raise UserError(f"{args.cart}: no such cart file")
        inp = default_input(args.cart)
        script = InputScript.load(inp) if inp is not None else None
        img = images.build_cart("rp2040", args.cart)
        table = prof.read_symbols(img.elf)
        entries = [s.addr for name in args.callers for s in table.named(name)]
        masks = (lambda f: script.masks(f)) if script is not None else (lambda f: [0] * 8)
        res = rp2040.run(img, args.warmup + args.frames, masks,
                         seed_raw=to_fix(args.seed) & 0xFFFFFFFF,
                         profile_after=args.warmup, profile_callers=tuple(entries))
    except UserError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    if res.profile is None or res.status != "done":
        print(f"error: the image stopped ({res.status})", file=sys.stderr)
        return 1
    p = res.profile
    total = p.cycles
    frames = args.frames
    print(f"{args.cart.name}: {total / frames:.0f} emulated cycles per frame over {frames} frames "
          f"({total / frames / (args.clock * 1000):.3f} ms at {args.clock:g} MHz), rp2040js")
    print()
    print("\n".join(prof.format_table(prof.by_function(p.pcs, table), total, frames,
                                      args.clock, args.top)))
    if p.callers:
        print()
        print(f"callers of {', '.join(n for n in args.callers if table.named(n))}:")
        print("\n".join(prof.format_table(prof.caller_table(p.callers, table), total, frames,
                                          args.clock, args.top)))
    if args.lines:
        print()
        print("\n".join(prof.format_table(prof.by_line(p.pcs, img.elf, args.lines), total,
                                          frames, args.clock, args.lines)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
