"""`rp8 build CART --board NAME -o cart.uf2`: a cart as firmware for a Pico
handheld (RP2040/RP2350), ready to drag onto the board's USB drive."""
from __future__ import annotations

import argparse
from pathlib import Path

from console.errors import UserError
from console.firmware.project import Options


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("build", help="build a cart into UF2 firmware for a Pico handheld",
                       description="Compile a cart with rp8's AOT compiler, build it into firmware with "
                       "pico-sdk 2.x for the board, check that it fits the board's flash and RAM, and "
                       "write a UF2 file (copy it to the board's RPI-RP2 / RP2350 drive).")
    p.add_argument("cart", help="a .p8, .p8.png or .p8.rom file")
    p.add_argument("--board", required=True,
                   help="a bundled board (pico-lcd13, pico2-lcd13, picosystem) or a board .toml file")
    p.add_argument("-o", "--out", required=True, metavar="UF2", help="the UF2 file to write")
    p.add_argument("--sdk", metavar="PATH", help="pico-sdk 2.x checkout (default: $PICO_SDK_PATH)")
    p.add_argument("--build-dir", metavar="DIR", help="keep the build here (default: a cache folder "
                   "for this board, rp8, pico-sdk and settings)")
    p.add_argument("--clean", action="store_true",
                   help="start the build afresh instead of recompiling only what changed")
    p.add_argument("--min-arena", type=int, default=32, metavar="KIB",
                   help="refuse the cart unless at least this much RAM is left for its Lua heap (default 32)")
    Options.add_arguments(p)
    p.add_argument("--usb-stdio", action="store_true",
                   help="printh over USB (needs pico-sdk's tinyusb submodule); default UART")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from aot.cpp_build import compile_source, write_cart
    from aot.source import Source
    from console.cart import load_cart
    from console.firmware.boards import load_board
    from console.firmware.project import build_firmware, build_folder, find_sdk, runner_app

    if not args.out.lower().endswith(".uf2"):
        raise UserError(f"{args.out}: rp8 build writes UF2 firmware; name the output NAME.uf2 "
                        "(copy it to the board's RPI-RP2 / RP2350 drive)")
    board = load_board(args.board)
    sdk = find_sdk(args.sdk)
    path = Path(args.cart)
    opts = Options.from_args(args)
    print(f"[1/4] aot: compiling {path.name} to C++")
    cart = load_cart(path)
    source = Source(cart.code, path.name, form="bytes", locator=lambda line: str(cart.locate(line)))
    compiled = compile_source(source)
    step = {"configure": 2, "build": 3, "uf2": 4}
    with build_folder(board, sdk, opts, Path(args.build_dir) if args.build_dir else None,
                      clean=args.clean) as build:
        cart_dir = build / "cart"
        try:
            write_cart(compiled, cart_dir, rom=bytes(cart.rom))
        except OSError as err:
            raise UserError(f"{cart_dir}: cannot write ({err.strerror or err})") from None
        app = runner_app(cart_dir, board.chip)
        result = build_firmware(board, app, build, Path(args.out), sdk, opts, args.min_arena * 1024,
                                say=lambda s: print(f"[{step.get(s.split(':')[0], 3)}/4] {s}"))
    for line in result.budget.lines():
        print("      " + line)
    if result.arena is not None:
        print(f"      Lua heap: {result.arena / 1024:.1f} KiB (the GC arena takes all the RAM "
              "left after code, data and stacks, so little shows as free)")
    print(f"{result.uf2}: {result.uf2.stat().st_size // 512} UF2 blocks (ELF: {result.elf})")
    return 0
