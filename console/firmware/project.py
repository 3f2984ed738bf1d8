"""Configuring and building the pico-sdk project in firmware/ for a board.

The build folder gets rp8_board.h / rp8_board.cmake (from the board file)
and is configured with CMake (Ninja when present). By default it is a work
folder of rp8's cache (console/cache.py) named by everything that makes a
build differ: board, rp8's version and where its sources are, pico-sdk's
path and version, the tools' versions and the speed settings, so two
checkouts, versions or SDKs never share one; a build killed midway is
started afresh, and a folder whose cache CMake refuses is reconfigured
from scratch, saying so. The cart's GC arena is
sized to the RAM left over: a first link with the minimum arena measures
everything else, a second gives the arena all that is free. A link that
overflows becomes a BudgetError saying by how many bytes.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Callable, Iterator, Sequence

from aot.cpp_runtime import RUNNER_DIR, RUNTIME_DIR
from console import cache, sources
from aot.errors import UserError
from console.firmware.boards import Board, board_cmake, board_header
from console.firmware.budget import (Budget, BudgetError, float_objects_in_map, load_budget,
                                     overflow_from_link_log)
from console.firmware.uf2 import FAMILY, elf_to_uf2

FIRMWARE_DIR = sources.FIRMWARE_DIR
PLATFORM_DIR = sources.PLATFORM_DIR
ENGINE_DIR = sources.ENGINE_DIR
SPEED_OPTIONS = ("RP8_SRAM_HOT", "RP8_O3_HOT", "RP8_NO_MATH_ERRNO")
ARENA_ALIGN = 8
RAM_SPARE = 1024          # left free beyond the sized arena, for safety
BUILD_CONTENTS = ("cmake", "board", "cart", "build.log", "rp8_emu.uf2")   # what a build puts in its folder


class FirmwareBuildError(UserError):
    """CMake or the compiler failed."""


@dataclass
class App:
    """What provides rp8_main: the runner + compiled cart, or a fixture."""
    sources: list[Path]
    includes: list[Path] = field(default_factory=list)
    defines: list[str] = field(default_factory=list)
    arena_file: Path | None = None      # the source whose RP8_ARENA_SIZE is sized; None: no arena


@dataclass
class Options:
    """The firmware's speed settings (each on by default, each can be turned
    off to measure it) and where printh goes."""
    sram_hot: bool = True
    o3_hot: bool = True
    no_math_errno: bool = True
    newlib_nano: bool = False
    usb_stdio: bool = False

    @staticmethod
    def add_arguments(p: "argparse.ArgumentParser") -> None:
        """The command-line switches for the speed settings."""
        p.add_argument("--no-sram-hot", dest="sram_hot", action="store_false",
                       help="keep the engine's per-frame code in flash instead of SRAM (more Lua heap)")
        p.add_argument("--no-o3-hot", dest="o3_hot", action="store_false",
                       help="build the hot files at -O2 like the rest instead of -O3")
        p.add_argument("--math-errno", dest="no_math_errno", action="store_false",
                       help="build without -fno-math-errno")
        p.add_argument("--newlib-nano", action="store_true", help="link newlib-nano instead of full newlib")

    @classmethod
    def from_args(cls, args: "argparse.Namespace") -> "Options":
        return cls(sram_hot=args.sram_hot, o3_hot=args.o3_hot, no_math_errno=args.no_math_errno,
                   newlib_nano=args.newlib_nano, usb_stdio=getattr(args, "usb_stdio", False))

    def tag(self) -> str:
        """A short name of the settings that differ from the defaults."""
        off = [name for name, on in (("no-sram-hot", not self.sram_hot), ("no-o3-hot", not self.o3_hot),
                                     ("math-errno", not self.no_math_errno),
                                     ("newlib-nano", self.newlib_nano)) if on]
        return "-".join(off) or "default"


def find_sdk(explicit: str | None) -> Path:
    path = explicit or os.environ.get("PICO_SDK_PATH")
    if not path:
        raise UserError("pico-sdk not found: pass --sdk PATH or set PICO_SDK_PATH "
                        "(see README, 'Building firmware')")
    sdk = Path(path).expanduser()
    if not (sdk / "pico_sdk_init.cmake").is_file():
        raise UserError(f"{sdk}: not a pico-sdk checkout (no pico_sdk_init.cmake)")
    return sdk


def _tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise UserError(f"{name} not found on PATH (see README, 'Building firmware')")
    return found


def _run(cmd: list[str], log: Path) -> tuple[int, str]:
    done = subprocess.run(cmd, capture_output=True, text=True)
    text = done.stdout + done.stderr
    with log.open("a") as f:
        f.write("$ " + " ".join(cmd) + "\n" + text)
    return done.returncode, text


def _list(items: Sequence[object]) -> str:
    return ";".join(str(i) for i in items)


def write_board(board: Board, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in (("rp8_board.h", board_header(board)), ("rp8_board.cmake", board_cmake(board))):
        path = folder / name
        if not path.is_file() or path.read_text() != text:     # keep mtimes: no needless rebuilds
            path.write_text(text)


def notice(text: str) -> None:
    """A one-line note about the build that is not one of its steps."""
    print(text, file=sys.stderr)


def configure(board: Board, app: App, build: Path, sdk: Path, opts: Options, arena: int | None,
              say_notice: Callable[[str], None] = notice) -> None:
    _tool("arm-none-eabi-gcc")
    cmake = _tool("cmake")
    write_board(board, build / "board")
    defines = list(app.defines)
    cmd = [cmake, "-S", str(FIRMWARE_DIR), "-B", str(build / "cmake"),
           f"-DPICO_SDK_PATH={sdk}", f"-DRP8_BOARD_DIR={build / 'board'}",
           f"-DRP8_ENGINE_DIR={ENGINE_DIR}", f"-DRP8_PLATFORM_DIR={PLATFORM_DIR}",
           f"-DRP8_APP_SOURCES={_list(app.sources)}", f"-DRP8_APP_INCLUDES={_list(app.includes)}",
           f"-DRP8_APP_DEFINES={_list(defines)}",
           f"-DRP8_ARENA_FILE={app.arena_file or ''}",
           f"-DRP8_ARENA_SIZE={arena if app.arena_file and arena is not None else ''}",
           f"-DRP8_SRAM_HOT={'ON' if opts.sram_hot else 'OFF'}",
           f"-DRP8_O3_HOT={'ON' if opts.o3_hot else 'OFF'}",
           f"-DRP8_NO_MATH_ERRNO={'ON' if opts.no_math_errno else 'OFF'}",
           f"-DRP8_NEWLIB_NANO={'ON' if opts.newlib_nano else 'OFF'}",
           f"-DRP8_USB_STDIO={'ON' if opts.usb_stdio else 'OFF'}"]
    if not shutil.which("picotool"):
        cmd.append("-DPICO_NO_PICOTOOL=1")
    fresh = ["-G", "Ninja"] if shutil.which("ninja") else []
    cached = (build / "cmake" / "CMakeCache.txt").is_file()
    code, text = _run(cmd if cached else cmd + fresh, build / "build.log")
    if code and cached:
        # a cache left by another source tree, SDK or generator, or damaged
        say_notice(f"rp8: CMake refused the cached build in {build / 'cmake'}; reconfiguring in a fresh folder")
        shutil.rmtree(build / "cmake")
        code, text = _run(cmd + fresh, build / "build.log")
    if code:
        raise FirmwareBuildError(f"cmake failed (log: {build / 'build.log'}):\n{text[-3000:]}")


def compile_link(build: Path) -> Path:
    cmake = _tool("cmake")
    code, text = _run([cmake, "--build", str(build / "cmake"), "--parallel"], build / "build.log")
    if code:
        overflow = overflow_from_link_log(text)
        if overflow:
            raise overflow
        raise FirmwareBuildError(f"firmware build failed (log: {build / 'build.log'}):\n{text[-3000:]}")
    return build / "cmake" / "rp8.elf"


@dataclass
class Result:
    elf: Path
    uf2: Path
    budget: Budget
    arena: int | None


def build_firmware(board: Board, app: App, build: Path, out: Path, sdk: Path,
                   opts: Options = Options(), min_arena: int = 32 * 1024,
                   say: Callable[[str], None] = print, say_notice: Callable[[str], None] = notice,
                   check_arena: Callable[[int], None] | None = None) -> Result:
    """Configure, build (twice when an arena is sized), check, write UF2.
    check_arena(bytes) sees the arena the image will have before it is
    linked with it, and raises BudgetError when the cart cannot live in it."""
    build.mkdir(parents=True, exist_ok=True)
    (build / "build.log").write_text("")
    arena: int | None = min_arena if app.arena_file else None
    say(f"configure: {board.name} ({board.chip}, pico-sdk board {board.sdk_board}) in {build}")
    configure(board, app, build, sdk, opts, arena, say_notice)
    say("build: compiling and linking" + (f" with the minimum GC arena ({min_arena} bytes)" if arena else ""))
    elf = compile_link(build)
    budget = load_budget(elf, board.flash_bytes, board.ram_bytes)
    budget.check("the cart")
    if arena is not None:
        free = budget.growable - RAM_SPARE
        grown = (arena + max(0, free)) // ARENA_ALIGN * ARENA_ALIGN
        if check_arena is not None:
            check_arena(grown)
        if grown != arena:
            arena = grown
            say(f"build: relinking with the GC arena grown to all free RAM ({arena} bytes)")
            configure(board, app, build, sdk, opts, arena, say_notice)
            elf = compile_link(build)
            budget = load_budget(elf, board.flash_bytes, board.ram_bytes)
            budget.check("the cart")
    map_file = elf.with_name(elf.name + ".map")
    floats = float_objects_in_map(map_file.read_text(errors="replace")) if map_file.is_file() else []
    if floats:
        raise FirmwareBuildError(f"{map_file}: floating-point code linked in: {', '.join(floats)} "
                                 "(rp8 images must have none; a bug in rp8)")
    say(f"build: map file checked, no float or double code ({map_file.name})")
    say(f"uf2: family 0x{FAMILY[board.chip]:08x} ({board.chip})")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(elf_to_uf2(elf.read_bytes(), FAMILY[board.chip]))
    return Result(elf, out, budget, arena)


def rp8_version() -> str:
    try:
        return metadata.version("rp8")
    except metadata.PackageNotFoundError:
        return "unknown"


def _first_line(cmd: list[str]) -> str:
    done = subprocess.run(cmd, capture_output=True, text=True)
    return (done.stdout.splitlines() or [""])[0]


def build_key(board: Board, sdk: Path, opts: Options, variant: str = "") -> str:
    """What makes two firmware builds unable to share a CMake folder."""
    version_file = sdk / "pico_sdk_version.cmake"
    return cache.key(board.name, variant, repr(opts), rp8_version(),
                     *(str(p.resolve()) for p in (FIRMWARE_DIR, PLATFORM_DIR, ENGINE_DIR, RUNTIME_DIR,
                                                  RUNNER_DIR, sdk)),
                     version_file.read_bytes() if version_file.is_file() else b"",
                     _first_line([_tool("cmake"), "--version"]),
                     _first_line([_tool("arm-none-eabi-gcc"), "--version"]))


@contextmanager
def build_folder(board: Board, sdk: Path, opts: Options, build_dir: Path | None = None,
                 variant: str = "", clean: bool = False,
                 say_notice: Callable[[str], None] = notice) -> Iterator[Path]:
    """The folder to build in, held for the build: build_dir, else the cache's
    work folder for this board, source tree, SDK, tools and settings.
    clean empties it first (in build_dir, only what a build puts there)."""
    if build_dir is None:
        name = "-".join(filter(None, (board.name, variant, opts.tag(), build_key(board, sdk, opts, variant))))
        folder = cache.kind_dir("firmware") / name
    else:
        folder = build_dir
    with cache.workspace(folder, clean=clean, names=BUILD_CONTENTS, say=say_notice) as held:
        yield held


# The runtime's stacks, sized for each chip's SRAM (264 KiB / 520 KiB):
# Lua value stack slots, the cart's C stack, and coroutines (how many, each
# one's C stack and value slots). The GC arena then gets all that is left.
DEVICE_STACKS = {
    "rp2040": ["RP8_STACK_SLOTS=2048", "RP8_CART_CSTACK=12288",
               "RP8_CO_MAX=4", "RP8_CO_CSTACK=4096", "RP8_CO_SLOTS=256"],
    "rp2350": ["RP8_STACK_SLOTS=4096", "RP8_CART_CSTACK=16384",
               "RP8_CO_MAX=8", "RP8_CO_CSTACK=8192", "RP8_CO_SLOTS=512"],
}


def may_create_coroutines(code: str, dynamic_globals: bool) -> bool:
    """Whether a cart can reach cocreate: it names it, or it reaches globals
    by name at run time (_ENV), where any builtin may be found."""
    return dynamic_globals or re.search(r"\bcocreate\b", code) is not None


def _stack_define(chip: str, name: str) -> int:
    return next(int(d.split("=")[1]) for d in DEVICE_STACKS[chip] if d.startswith(name + "="))


def coroutine_pool(chip: str) -> int:
    """Coroutines a build for the chip holds alive at once by default."""
    return _stack_define(chip, "RP8_CO_MAX")


def coroutine_bytes(chip: str) -> int:
    """RAM one slot of the chip's coroutine pool takes (C stack and value slots)."""
    return _stack_define(chip, "RP8_CO_CSTACK") + _stack_define(chip, "RP8_CO_SLOTS") * 8


def runner_app(cart_dir: Path, chip: str, coroutines: bool = True, slots: int = 0) -> App:
    """The AOT runner and the compiled cart in cart_dir (cart.cpp, cart_rom.cpp).
    Without coroutines (may_create_coroutines) the build has no coroutine
    pool: on the RP2040 that is 24 KiB more Lua heap, on the RP2350 96 KiB.
    With `slots` above the chip's pool (a cart measured to keep that many
    coroutines alive), the pool holds that many, out of the Lua heap's RAM."""
    runner = RUNNER_DIR / "rp8_runner.cpp"
    if not runner.is_file():
        raise UserError("not supported yet: this checkout has no device runner "
                        "(aot/runner/rp8_runner.cpp), so carts cannot be built into firmware")
    runtime = sorted(p for p in RUNTIME_DIR.glob("rt_*.cpp"))
    pool = max(coroutine_pool(chip), slots) if coroutines else 0
    return App(sources=runtime + [runner, cart_dir / "cart.cpp", cart_dir / "cart_rom.cpp"],
               includes=[RUNTIME_DIR, RUNNER_DIR, cart_dir],
               defines=[d if not d.startswith("RP8_CO_MAX=") else f"RP8_CO_MAX={pool}"
                        for d in DEVICE_STACKS[chip]] + ["RP8_PAUSE_MENU=1", "RP8_AUDIO_ASYNC=1"],
               arena_file=runner)


__all__ = ["App", "Options", "Result", "build_firmware", "build_folder", "coroutine_bytes", "coroutine_pool",
           "find_sdk", "may_create_coroutines",
           "runner_app",
           "BudgetError"]
