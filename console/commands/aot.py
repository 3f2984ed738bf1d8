"""`rp8 aot CART -o DIR`: compile a cart to C++ (and optionally build and run
it natively, headless, printing what it prints)."""
from __future__ import annotations

import argparse
from pathlib import Path

from aot import pipeline
from aot.pipeline import PASSES
from aot.source import Source
from console.cart import load_cart
from aot.errors import UserError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("aot", help="compile a cart to C++ with rp8's ahead-of-time compiler",
                       description="Compile a cart's Lua to C++17 for the rp8 runtime: DIR/cart.cpp, "
                       "DIR/cart.h and DIR/cart_rom.cpp (the cart's data). With --run, also build it with g++ against the engine and "
                       "run its main chunk headless (printh and print text to stdout).")
    p.add_argument("cart", help="a .p8, .p8.png or .p8.rom file")
    p.add_argument("-o", "--out", metavar="DIR", help="folder for cart.cpp and cart.h (needed unless --dump)")
    p.add_argument("--run", dest="run_native", action="store_true",
                   help="build natively and run the main chunk")
    p.add_argument("--dump", metavar="PASS", choices=PASSES,
                   help="print one pass's result instead of writing files: "
                   "lex (tokens), parse (AST), resolve (AST with bindings) or emit (code)")
    p.add_argument("--target", choices=("cpp", "lua"), default="cpp",
                   help="back end for --dump emit: cpp (default) or lua (the interpreter's code)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from console.aot_build import build_executable, host_toolchain, run_executable, write_cart

    path = Path(args.cart)
    cart = load_cart(path)
    source = Source(cart.code, path.name, form="bytes", locator=lambda line: str(cart.locate(line)))
    if args.dump:
        result = pipeline.run(source, args.target, stop_after=args.dump)
        print(pipeline.dump(result, args.dump), end="")
        return 0
    if not args.out:
        raise UserError("rp8 aot: -o/--out DIR is needed (or --dump PASS to print a pass's result)")
    compiled = pipeline.to_cpp(source).output
    out = Path(args.out)
    try:
        cpp = write_cart(compiled, out, rom=cart.rom)
    except OSError as err:
        raise UserError(f"{out}: cannot write ({err.strerror or err})") from None
    print(f"{cpp}: {compiled.protos} functions, "
          f"{'dynamic' if compiled.dynamic_globals else len(compiled.globals)} globals")
    if not args.run_native:
        return 0
    exe = build_executable(compiled, out, host_toolchain())
    res = run_executable(exe, timeout=3600)
    print(res.stdout, end="")
    if res.returncode != 0:
        raise UserError(res.stderr.strip() or f"the compiled cart exited with status {res.returncode}")
    return 0
