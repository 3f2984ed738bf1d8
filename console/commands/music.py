"""`rp8 music CART N -o OUT.wav --seconds S`: render a cart's music to WAV."""
from __future__ import annotations

import argparse
import sys

from console.audio_render import RATE, pattern_is_empty, render_music, wav_bytes
from console.cart import load_cart
from console.commands.sfx import write_wav
from aot.errors import UserError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("music", help="render a cart's music from pattern N to a WAV file",
                       description="Play a cart's music from pattern N (0-63) on rp8's synth and "
                       "write it as a 22050 Hz mono 16-bit WAV file: S seconds of it, or until "
                       "the music stops (at most 180 s) when --seconds is not given.")
    p.add_argument("cart", help="a .p8, .p8.png or .p8.rom file")
    p.add_argument("n", type=int, help="the pattern to start from, 0-63")
    p.add_argument("-o", "--out", required=True, metavar="OUT.wav", help="the WAV file to write")
    p.add_argument("--seconds", type=float, default=None, metavar="S",
                   help="how many seconds to render")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if not 0 <= args.n <= 63:
        raise UserError(f"music pattern must be 0-63, not {args.n}")
    if args.seconds is not None and not args.seconds > 0:
        raise UserError(f"--seconds must be positive, not {args.seconds}")
    cart = load_cart(args.cart)
    if pattern_is_empty(cart.data, args.n):
        print(f"rp8: warning: music pattern {args.n} of {args.cart} is empty (no channel plays "
              "an sfx with notes); the WAV is silence", file=sys.stderr)
    samples = render_music(cart.data, args.n, args.seconds)
    write_wav(args.out, wav_bytes(samples))
    print(f"{args.out}: music from pattern {args.n}, {len(samples) / RATE:.2f} s")
    return 0
