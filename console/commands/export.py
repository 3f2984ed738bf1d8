"""`rp8 export CART -o OUT.p8|.p8.png|.p8.rom`: a cart in another format."""
from __future__ import annotations

import argparse
from pathlib import Path

from aot.errors import UserError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("export", help="write a cart as .p8, .p8.png or .p8.rom",
                       description="Convert a cart between PICO-8's formats (the output's name "
                       "chooses: .p8 text, .p8.png picture, .p8.rom binary). The label is the "
                       "cart's own, the one F7 took in the window, or --label PNG.")
    p.add_argument("cart", help="a .p8, .p8.png or .p8.rom file")
    p.add_argument("-o", "--out", required=True, type=Path, metavar="OUT",
                   help="the cart file to write (.p8, .p8.png or .p8.rom)")
    p.add_argument("--label", type=Path, metavar="PNG",
                   help="a 128x128 picture for the label (e.g. an F6 screenshot)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from console.cart import load_cart
    from console.cart.writer import save_cart
    from console.labels import kept_label, read_label_png

    src = Path(args.cart)
    out: Path = args.out
    if out.resolve() == src.resolve():
        raise UserError(f"{out}: the output is the cart itself; choose another file")
    if out.name.lower().endswith(".rom") and args.label is not None:
        raise UserError(f"{out}: a .p8.rom holds no label; write a .p8 or .p8.png to keep it")
    cart = load_cart(src)
    label_from = ""
    if args.label is not None:
        cart.label = read_label_png(args.label)
        label_from = f" with the label from {args.label}"
    else:
        kept = kept_label(src)
        if kept is not None:
            cart.label = read_label_png(kept)
            label_from = " with the label taken with F7"
    save_cart(cart, out)
    print(f"{out}: written{label_from}")
    return 0
