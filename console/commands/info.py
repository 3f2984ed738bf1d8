"""`rp8 info CART`: a cart's code against PICO-8's limits, and its sections."""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from console.cart import load_cart
from console.cart.limits import usage
from console.cart.model import Cart, CartError
from console.cart.png import label_png

_FORMATS = {"p8": ".p8 text", "png": ".p8.png image", "rom": ".p8.rom binary"}


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("info", help="show a cart's token, character and compressed-size counts",
                       description="Show a cart's code size against PICO-8's limits "
                       "(tokens, characters, compressed bytes) and the sections it has.")
    p.add_argument("cart", help="a .p8, .p8.png or .p8.rom file")
    p.add_argument("--label", metavar="OUT.png", help="also write the cart's label as a 128x128 PNG")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.set_defaults(run=run)


def report(cart: Cart) -> dict:
    includes = sorted({str(f.path) for f in cart.files[1:]})
    return {
        "cart": str(cart.path),
        "name": cart.name,
        "format": cart.file_format,
        "code_format": cart.code_format,
        "version": cart.version,
        "limits": {u.name: {"used": u.used, "limit": u.limit, "over": u.over} for u in usage(cart)},
        "sections": list(cart.sections),
        "label": cart.label is not None,
        "includes": includes,
    }


def run(args: argparse.Namespace) -> int:
    cart = load_cart(args.cart)
    if args.label:
        if cart.label is None:
            raise CartError(f"{cart.path}: the cart has no label")
        out = Path(args.label)
        try:
            out.write_bytes(label_png(cart.label))
        except OSError as err:
            raise CartError(f"{out}: cannot write ({err.strerror or err})") from None
    if args.json:
        print(json.dumps(report(cart), indent=2))
        return 0
    code_fmt = {"text": "", "plain": ", code uncompressed", "old": ", code in old :c: compression",
                "pxa": ", code PXA-compressed"}[cart.code_format]
    print(f"{cart.path}: {_FORMATS[cart.file_format]}{code_fmt}"
          + (f", version {cart.version}" if cart.version is not None else ""))
    for u in usage(cart):
        flag = "  OVER LIMIT" if u.over else ""
        print(f"  {u.name + ':':<12}{u.used:>6} / {u.limit:<6} {u.percent():>7}{flag}")
    print(f"  {'sections:':<12}{' '.join(cart.sections) or '(none)'}")
    for path in sorted({str(f.path) for f in cart.files[1:]}):
        print(f"  {'includes:':<12}{path}")
    if args.label:
        print(f"  label written to {args.label}")
    return 0
