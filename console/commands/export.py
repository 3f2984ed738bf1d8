"""`rp8 export CART -o OUT.p8|.p8.png|.p8.rom`: a cart in another format;
`rp8 export CART --html [-o OUT]`: the cart as a web page (console/web_export.py)."""
from __future__ import annotations

import argparse
from pathlib import Path

from aot.errors import UserError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("export", help="write a cart as .p8, .p8.png, .p8.rom or a web page",
                       description="Convert a cart between PICO-8's formats (the output's name "
                       "chooses: .p8 text, .p8.png picture, .p8.rom binary). The label is the "
                       "cart's own, the one F7 took in the window, or --label PNG. With --html, "
                       "compile the cart to WebAssembly (needs emscripten) and write a web page: "
                       "OUT.html is one self-contained file that works opened from disk; any "
                       "other OUT is a folder (index.html, cart.js, cart.wasm) for a web host. "
                       "A multicart's carts go into the same page (EXTRA, and those its code "
                       "load()s by name).")
    p.add_argument("cart", help="a .p8, .p8.png or .p8.rom file")
    p.add_argument("extra", nargs="*", type=Path, metavar="EXTRA",
                   help="with --html: more carts the page holds for load() and reload() (up to "
                   "15, as PICO-8's EXPORT); carts named by a literal in load(\"...\") or "
                   "reload(..., \"...\") beside the cart are bundled without naming them")
    p.add_argument("-o", "--out", type=Path, metavar="OUT",
                   help="the cart file to write (.p8, .p8.png or .p8.rom); with --html, a .html "
                   "file or a folder (default: the cart's name with .html, here)")
    p.add_argument("--html", action="store_true",
                   help="write the cart as a web page (compiled to WebAssembly with emscripten)")
    p.add_argument("--label", type=Path, metavar="PNG",
                   help="a 128x128 picture for the label (e.g. an F6 screenshot)")
    p.set_defaults(run=run, rest_into="extra")


def run(args: argparse.Namespace) -> int:
    from console.cart import load_cart
    from console.cart.writer import save_cart
    from console.labels import kept_label, read_label_png

    src = Path(args.cart)
    if args.html:
        return run_html(src, args)
    if args.extra:
        raise UserError(f"export: {args.extra[0]}: more carts go into a web page only (--html)")
    if args.out is None:
        raise UserError("export: -o OUT is required (a .p8, .p8.png or .p8.rom file), or --html")
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


def run_html(src: Path, args: argparse.Namespace) -> int:
    from console.web_export import export_html

    if args.label is not None:
        raise UserError("--label: a web page shows no label; leave it out with --html")
    if not src.is_file():
        raise UserError(f"{src}: no such cart")
    name = src.name
    for ext in (".p8.png", ".p8.rom", ".p8", ".png", ".rom"):
        if name.lower().endswith(ext):
            name = name[: -len(ext)]
            break
    out: Path = args.out if args.out is not None else Path(name + ".html")
    print(export_html(src, out, [Path(p) for p in args.extra]))
    return 0
