"""`rp8 build CART --board NAME -o cart.uf2`: a cart as firmware for a Pico
handheld (RP2040/RP2350), ready to drag onto the board's USB drive."""
from __future__ import annotations

import argparse
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from aot.errors import UserError
from console.firmware.budget import BudgetError
from console.firmware.project import Options, Result

if TYPE_CHECKING:
    from console.desktop.heap_need import HeapRun


class HeapTooSmall(BudgetError):
    """The board's Lua heap cannot hold the cart (check_heap)."""


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
    p.add_argument("--heap-frames", type=int, default=1800, metavar="N",
                   help="measure the cart's Lua heap by running it compiled on this computer for N frames "
                   "of scripted play, and refuse it if the board's heap is too small (default 1800; 0: skip)")
    p.add_argument("--min-arena", type=int, default=32, metavar="KIB",
                   help="refuse the cart unless at least this much RAM is left for its Lua heap (default 32)")
    Options.add_arguments(p)
    p.add_argument("--usb-stdio", action="store_true",
                   help="printh over USB (needs pico-sdk's tinyusb submodule); default UART")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from console.aot_build import compile_source, write_cart
    from aot.source import Source
    from console.cart import load_cart
    from console.firmware.boards import load_board
    from console.firmware.project import (build_firmware, build_folder, coroutine_bytes, coroutine_pool,
                                          find_sdk, may_create_coroutines, runner_app)

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
    need = heap_need(path, args.heap_frames)
    step = {"configure": 2, "build": 3, "uf2": 4}
    coroutines = may_create_coroutines(cart.code, compiled.dynamic_globals)
    # a cart that keeps more coroutines alive than the chip's pool gets a
    # pool that holds them, out of the Lua heap's RAM (never a device whose
    # cocreate fails in the middle of the game)
    slots = need.coroutines if need is not None and coroutines else 0
    if slots > coroutine_pool(board.chip):
        print(f"[1/4] coroutines: this cart keeps up to {slots} alive at once; a {board.chip} build holds "
              f"{coroutine_pool(board.chip)}: its pool gets {slots} "
              f"({slots * coroutine_bytes(board.chip) // 1024} KiB of RAM that the Lua heap does not get)")

    def build_with(o: Options) -> "Result":
        with build_folder(board, sdk, o, Path(args.build_dir) if args.build_dir else None,
                          clean=args.clean) as build:
            cart_dir = build / "cart"
            try:
                write_cart(compiled, cart_dir, rom=bytes(cart.rom))
            except OSError as err:
                raise UserError(f"{cart_dir}: cannot write ({err.strerror or err})") from None
            app = runner_app(cart_dir, board.chip, coroutines, slots)
            return build_firmware(board, app, build, Path(args.out), sdk, o, args.min_arena * 1024,
                                  say=lambda s: print(f"[{step.get(s.split(':')[0], 3)}/4] {s}"),
                                  check_arena=None if need is None else
                                  lambda arena: check_heap(path, need, board.name, arena, args.heap_frames))

    try:
        try:
            result = build_with(opts)
        except HeapTooSmall:
            if not opts.sram_hot:
                raise
            # fitting comes first: the engine's per-frame code (tens of KiB copied
            # to SRAM for speed) stays in flash, and its RAM becomes Lua heap
            print("[3/4] heap: too little; building again with the engine's per-frame code in flash "
                  "(as --no-sram-hot: more Lua heap, slower drawing)")
            result = build_with(replace(opts, sram_hot=False))
    except BudgetError as err:
        if slots <= coroutine_pool(board.chip):
            raise
        raise BudgetError(f"{err} (the pool for the {slots} coroutines it keeps alive takes "
                          f"{slots * coroutine_bytes(board.chip) // 1024} KiB of RAM)") from None
    for line in result.budget.lines():
        print("      " + line)
    if result.arena is not None:
        print(f"      Lua heap: {result.arena / 1024:.1f} KiB (the GC arena takes all the RAM "
              "left after code, data and stacks, so little shows as free)")
    print(f"{result.uf2}: {result.uf2.stat().st_size // 512} UF2 blocks (ELF: {result.elf})")
    return 0


def heap_need(path: Path, frames: int) -> "HeapRun | None":
    """The Lua heap the cart needs, measured before building (None: not
    measured). A cart that runs out of memory even here cannot fit a board."""
    from console.aot_build import BuildError
    from console.desktop.heap_need import kib, made_of, measure

    if frames <= 0:
        return None
    print(f"[1/4] heap: running the compiled cart for {frames} frames of scripted play on this computer")
    try:
        need = measure(path, frames)
    except BuildError as err:
        print(f"[1/4] heap: not measured ({str(err).splitlines()[0]})")
        return None
    if need.out_of_memory:
        raise BudgetError(f"{path.name}: this cart needs more than {kib(need.peak)} of Lua heap "
                          f"(out of memory at frame {need.frames} even on this computer)")
    print(f"[1/4] heap: this cart needs ~{kib(need.peak)} of Lua heap (most bytes live at once"
          + (f": {made_of(need.peak_census)})" if need.peak_census else ")"))
    if need.error is not None:
        print(f"[1/4] heap: measured over {need.frames} frames: the cart stopped there with an error "
              f"({need.error})")
    return need


def check_heap(path: Path, need: "HeapRun", board: str, arena: int, frames: int) -> None:
    """Refuse, with the numbers, a cart whose heap the board's arena cannot
    hold: more live bytes than it has, or out of memory in a run capped at
    it (blocks never move, so free space can be too scattered to use)."""
    from console.desktop.heap_need import AS_SHIPPED, kib, made_of, measure

    print(f"[3/4] heap: this cart needs ~{kib(need.peak)} of Lua heap; {board} has {kib(arena)}")
    if need.peak > arena:
        raise HeapTooSmall(f"{path.name} does not fit {board}: it needs ~{kib(need.peak)} of Lua heap and "
                          f"{board} has {kib(arena)} ({need.peak - arena} bytes too few"
                          + (f"; at its peak: {made_of(need.peak_census)})" if need.peak_census else ")"))
    # as the device runs it: its heap, its collector's pacing
    capped = measure(path, need.frames or frames, limit=arena, step=AS_SHIPPED)
    if capped.out_of_memory:
        raise HeapTooSmall(f"{path.name} does not fit {board}: with {board}'s {kib(arena)} of Lua heap it runs "
                          f"out of memory at frame {capped.frames} (it needs ~{kib(need.peak)} live at most; "
                          "the rest is free space in pieces too small for its objects)")
    print(f"[3/4] heap: checked: {capped.frames} frames run in {kib(arena)} without running out of memory")
