"""`rp8 sfx CART N -o OUT.wav`: render one of a cart's sound effects to WAV."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from console.audio_render import RATE, render_sfx, sfx_is_empty, wav_bytes
from console.cart import load_cart
from aot.errors import UserError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("sfx", help="render a cart's sound effect N to a WAV file",
                       description="Play sfx N (0-63) of a cart on rp8's synth and write it as a "
                       "22050 Hz mono 16-bit WAV file, from its start until it stops "
                       "(a looping sfx is cut at --seconds).")
    p.add_argument("cart", help="a .p8, .p8.png or .p8.rom file")
    p.add_argument("n", type=int, help="the sfx number, 0-63")
    p.add_argument("-o", "--out", required=True, metavar="OUT.wav", help="the WAV file to write")
    p.add_argument("--seconds", type=float, default=10.0, metavar="S",
                   help="the longest to render (default 10)")
    p.set_defaults(run=run)


def write_wav(path: str, data: bytes) -> None:
    try:
        Path(path).write_bytes(data)
    except OSError as err:
        raise UserError(f"{path}: cannot write ({err.strerror or err})") from None


def run(args: argparse.Namespace) -> int:
    if not 0 <= args.n <= 63:
        raise UserError(f"sfx number must be 0-63, not {args.n}")
    if not args.seconds > 0:
        raise UserError(f"--seconds must be positive, not {args.seconds}")
    cart = load_cart(args.cart)
    if sfx_is_empty(cart.data, args.n):
        print(f"rp8: warning: sfx {args.n} of {args.cart} is empty (every note has volume 0); "
              "the WAV is silence", file=sys.stderr)
    samples = render_sfx(cart.data, args.n, args.seconds)
    write_wav(args.out, wav_bytes(samples))
    print(f"{args.out}: sfx {args.n}, {len(samples) / RATE:.2f} s")
    return 0
