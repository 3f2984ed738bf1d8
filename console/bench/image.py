"""Builds the bare-metal bench images (platform/bench) with arm-none-eabi-gcc.

An image is the engine, platform/bench (startup, vector table, the bench
platform) and a program: today the calibration program
platform/bench/calib_main.c; the AOT runner and a compiled cart when the
AOT compiler provides them. Two targets share the sources:

  rp2040  cortex-m0plus, linked by rp2040.ld (flash 0x10000100, RAM 0x20000000)
  m33     cortex-m33 with the hard-float ABI, linked by an505.ld
          (code 0x10000000, RAM 0x38000000, the MPS2 AN505 map) with the
          RP2350's 520 KiB of SRAM and a heap and stacks sized as its
          firmware's

Images are entries of rp8's cache (console/cache.py), named by a hash of
every input, the flags and the compiler's version, so a second bench of
the same cart does not rebuild, and a half-written image is never used.
"""
from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Optional

from console import cache, sources
from console.firmware import hot_files
from aot.errors import UserError

ROOT = Path(__file__).resolve().parent.parent.parent
ENGINE = sources.ENGINE_DIR
PLATFORM = sources.PLATFORM_DIR          # the checkout's, or an installed rp8's copy
BENCH = PLATFORM / "bench"
COMMON = PLATFORM / "common"             # rp8_frame.c: core1's display conversion


@dataclass(frozen=True)
class Target:
    """A chip as a bench image models it. The cart image's runtime budget is
    fixed at build time: the GC arena and value stack the runner reserves
    (RP8_ARENA_SIZE, RP8_STACK_SLOTS) and the coroutine pool (co_max
    coroutines, each co_cstack bytes of C stack and co_slots value slots),
    close to what the chip's firmware gives a cart with coroutines
    (console.firmware.project.DEVICE_STACKS: on the RP2040 about 70 KiB of
    Lua heap, on the RP2350 221 KiB). With the engine's machine state (~74
    KiB; the cart ROM stays in flash) and the 8 KiB main stack this keeps
    inside the chip's SRAM."""
    name: str
    cpu_flags: tuple[str, ...]
    linker_script: str
    load: int                   # address of the image's first byte
    vectors: int                # address of the vector table
    ram: int                    # RAM base: the mailbox
    ram_bytes: int              # the chip's SRAM (the linker script's RAM length)
    arena_bytes: int
    stack_slots: int
    co_max: int
    co_cstack: int
    co_slots: int
    chip: str                   # its column in firmware/hot_files.txt
    platform_sources: tuple[str, ...] = ()   # platform/bench files only this chip links




TARGETS = {
    "rp2040": Target("rp2040", ("-mcpu=cortex-m0plus", "-mthumb", "-mfloat-abi=soft"),
                     "rp2040.ld", 0x10000100, 0x10000100, 0x20000000,
                     264 * 1024, 80 * 1024, 1024, 4, 4096, 512, "rp2040",
                     ("bench_divider.c",)),
    "m33": Target("m33", ("-mcpu=cortex-m33", "-mthumb", "-mfloat-abi=hard",
                          "-mfpu=fpv5-sp-d16"),
                  "an505.ld", 0x10000000, 0x10000000, 0x38000000,
                  520 * 1024, 221 * 1024, 4096, 8, 8192, 512, "rp2350"),
}

# The firmware's code generation (firmware/CMakeLists.txt): -O2, -O3 on the
# chip's hot files (firmware/hot_files.txt, see o3_flags), -fwrapv,
# -fno-math-errno, NDEBUG. -g only adds the line table (for
# benches/rp2040_profile.py); the code is the same.
CODEGEN = ("-O2", "-g", "-DNDEBUG", "-fwrapv", "-fno-math-errno", "-ffunction-sections",
           "-fdata-sections", "-ffreestanding")
CFLAGS = ("-std=c11", *CODEGEN, "-Wall", "-Wextra", "-Werror", "-fno-common")
LDFLAGS = ("-nostartfiles", "-Wl,--gc-sections", "-Wl,--no-warn-rwx-segments")


@dataclass
class Image:
    target: Target
    elf: Path
    bin: Path
    workload: str               # "calibration" or "cart"
    flash_bytes: int            # .text + .rodata + .data initialisers
    static_ram_bytes: int       # .mailbox + .data + .bss (the arena included)
    stack_bytes: int            # reserved for the main stack
    arena_bytes: int = 0        # the GC arena reserved inside .bss


def gcc() -> Optional[str]:
    return shutil.which("arm-none-eabi-gcc")


def require_gcc() -> str:
    cc = gcc()
    if cc is None:
        raise UserError("arm-none-eabi-gcc not found: install gcc-arm-none-eabi and "
                        "libnewlib-arm-none-eabi (Debian/Ubuntu) to build bench images")
    return cc

CXXFLAGS = ("-std=c++17", *CODEGEN, "-fno-exceptions", "-fno-rtti", "-fno-strict-aliasing",
            "-fno-threadsafe-statics", "-fno-use-cxa-atexit", "-Wall", "-Wextra", "-Werror")


def o3_flags(target: Target, src: Path) -> list[str]:
    """-O3 for the target chip's hot files, as the firmware builds them."""
    return ["-O3"] if src.name in hot_files.o3_files(target.chip) else []


def platform_sources(target: Target) -> list[Path]:
    """What platform/bench adds for this chip: on the RP2040 the SIO divider's
    division helpers (bench_divider.c), as pico-sdk's pico_divider gives the
    firmware in place of libgcc's software division."""
    return [BENCH / name for name in target.platform_sources]


def calibration_sources(target: Target) -> list[Path]:
    return sorted(ENGINE.glob("*.c")) + [BENCH / "startup.c", BENCH / "bench_plat.c",
                                         BENCH / "calib_main.c"] + platform_sources(target)


def build_cart(target_name: str, cart_path: Path, arena: Optional[int] = None,
               co_max: Optional[int] = None) -> Image:
    """An image of the AOT-compiled cart: engine, runtime, runner, the bench
    platform and platform/bench/bench_main.c; `arena` bytes of GC arena
    instead of the target's (a board's Lua heap, to run the carts that fit it)
    and `co_max` coroutine slots instead of the target's (0 for a cart that
    creates none: the pool's RAM is then free for the arena, as on a device)."""
    from aot.cpp_runtime import RUNNER_DIR, RUNTIME_DIR
    from console.aot_build import compile_source, write_cart
    from aot.source import Source
    from console.cart import load_cart

    target = TARGETS[target_name]
    if arena is not None:
        target = replace(target, arena_bytes=arena)
    if co_max is not None:
        target = replace(target, co_max=co_max)
    cc = require_gcc()
    cxx = str(Path(cc).with_name("arm-none-eabi-g++"))
    cart = load_cart(cart_path)
    source = Source(cart.code, cart_path.name, form="bytes", locator=lambda line: str(cart.locate(line)))
    cpp = compile_source(source)
    c_srcs = sorted(ENGINE.glob("*.c")) + [BENCH / "startup.c", BENCH / "bench_plat.c",
                                           BENCH / "bench_main.c", COMMON / "rp8_frame.c"] \
        + platform_sources(target)
    rt_srcs = sorted(RUNTIME_DIR.glob("rt_*.cpp")) + [RUNNER_DIR / "rp8_runner.cpp"]
    inputs = c_srcs + rt_srcs + sorted(RUNTIME_DIR.glob("*.h")) + [RUNNER_DIR / "rp8_runner.h"] \
        + sorted(ENGINE.glob("*.h")) \
        + sorted(BENCH.glob("*.h")) + sorted(BENCH.glob("*.ld")) + [PLATFORM / "platform.h"] \
        + [COMMON / "rp8_frame.h", hot_files.HOT_FILES]
    config = repr((target, CFLAGS, CXXFLAGS, LDFLAGS))
    key = cache.key(cpp.code, bytes(cart.rom), config, compiler_version(cc), files=inputs)
    defs = [f"-DRP8_ARENA_SIZE={target.arena_bytes}", f"-DRP8_STACK_SLOTS={target.stack_slots}",
            f"-DRP8_CO_MAX={target.co_max}", f"-DRP8_CO_CSTACK={target.co_cstack}",
            f"-DRP8_CO_SLOTS={target.co_slots}"]
    inc = [f"-I{ENGINE}", f"-I{PLATFORM}", f"-I{BENCH}", f"-I{COMMON}", f"-I{RUNTIME_DIR}", f"-I{RUNNER_DIR}"]
    shared: list[Path] = []

    def build(folder: Path) -> None:
        if not shared:
            shared.extend(_shared_objects(target, cc, cxx, defs, inc, c_srcs, rt_srcs, inputs))
        cart_cpp = write_cart(cpp, folder, rom=cart.rom)
        objs = [str(o) for o in shared]
        for src in (cart_cpp, folder / "cart_rom.cpp"):
            obj = folder / (src.stem + ".o")
            _run([cxx, *target.cpu_flags, *CXXFLAGS, *defs, *inc, f"-I{folder}", "-c", str(src),
                  "-o", str(obj)], f"compiling {src.name}")
            objs.append(str(obj))
        _link(cc, [cxx, *target.cpu_flags, *objs], target, folder)

    folder = cache.entry("bench", f"{target.name}-cart-{key[:16]}", build)
    elf = folder / "image.elf"
    sizes = section_sizes(elf)
    flash = sizes.get(".text", 0) + sizes.get(".ARM.exidx", 0) + sizes.get(".data", 0)
    static = sizes.get(".mailbox", 0) + sizes.get(".data", 0) + sizes.get(".bss", 0)
    return Image(target, elf, folder / "image.bin", "cart", flash, static, 8 * 1024, target.arena_bytes)


def _shared_objects(target: Target, cc: str, cxx: str, defs: list[str], inc: list[str],
                    c_srcs: list[Path], rt_srcs: list[Path], inputs: list[Path]) -> list[Path]:
    """The objects every cart image of `target` links (engine, runtime,
    runner, bench platform), compiled once into their own cache entry: a
    cart's image then compiles only the cart, which makes a corpus run
    (benches/heap_table.py --budget) several times cheaper."""
    key = cache.key(repr((target, CFLAGS, CXXFLAGS, defs)), compiler_version(cc), files=inputs)

    def build(folder: Path) -> None:
        for src in c_srcs:
            _run([cc, *target.cpu_flags, *CFLAGS, *o3_flags(target, src), *defs, *inc, "-c", str(src),
                  "-o", str(folder / (src.stem + ".o"))], f"compiling {src.name}")
        for src in rt_srcs:
            _run([cxx, *target.cpu_flags, *CXXFLAGS, *o3_flags(target, src), *defs, *inc, "-c",
                  str(src), "-o", str(folder / (src.stem + ".o"))], f"compiling {src.name}")

    folder = cache.entry("bench", f"{target.name}-objs-{key[:16]}", build)
    return [folder / (src.stem + ".o") for src in c_srcs + rt_srcs]


def compiler_version(cc: str) -> str:
    done = subprocess.run([cc, "--version"], capture_output=True, text=True)
    return (done.stdout.splitlines() or [cc])[0]


def _link(cc: str, cmd: list[str], target: Target, folder: Path) -> None:
    """Link cmd's objects into folder/image.elf and extract image.bin."""
    elf = folder / "image.elf"
    _run([*cmd, f"-L{BENCH}", f"-T{target.linker_script}", *LDFLAGS,
          f"-Wl,-Map={folder / 'image.map'}", "-o", str(elf), "-lc", "-lgcc"], "linking the bench image")
    objcopy = str(Path(cc).with_name("arm-none-eabi-objcopy"))
    _run([objcopy, "-O", "binary", "--only-section=.text", "--only-section=.ARM.exidx",
          "--only-section=.data", str(elf), str(folder / "image.bin")], "extracting the image")


def build(target_name: str, sources: Optional[list[Path]] = None,
          out_dir: Optional[Path] = None, workload: str = "calibration") -> Image:
    """Compile and link one image (into out_dir, else the cache); returns
    where it is and its sizes."""
    target = TARGETS[target_name]
    cc = require_gcc()
    srcs = sources if sources is not None else calibration_sources(target)
    headers = sorted(ENGINE.glob("*.h")) + sorted(BENCH.glob("*.h")) + sorted(BENCH.glob("*.ld")) \
        + [PLATFORM / "platform.h", hot_files.HOT_FILES]

    def make(folder: Path) -> None:
        objs = []
        for src in srcs:
            obj = folder / (src.stem + ".o")
            _run([cc, *target.cpu_flags, *CFLAGS, *o3_flags(target, src), f"-I{ENGINE}",
                  f"-I{PLATFORM}", f"-I{BENCH}", "-c", str(src), "-o", str(obj)], f"compiling {src.name}")
            objs.append(str(obj))
        _link(cc, [cc, *target.cpu_flags, *objs], target, folder)

    if out_dir is not None:
        out_dir.mkdir(parents=True, exist_ok=True)
        make(out_dir)
        folder = out_dir
    else:
        key = cache.key(repr((target, CFLAGS, LDFLAGS)), compiler_version(cc), files=srcs + headers)
        folder = cache.entry("bench", f"{target.name}-{key[:16]}", make)
    elf = folder / "image.elf"
    sizes = section_sizes(elf)
    flash = sizes.get(".text", 0) + sizes.get(".ARM.exidx", 0) + sizes.get(".data", 0)
    static = sizes.get(".mailbox", 0) + sizes.get(".data", 0) + sizes.get(".bss", 0)
    return Image(target, elf, folder / "image.bin", workload, flash, static, 8 * 1024)


def section_sizes(elf: Path) -> dict[str, int]:
    """Section name -> size in bytes, read from the ELF's section headers."""
    from console.firmware.budget import read_elf

    try:
        return {sec.name: sec.size for sec in read_elf(elf.read_bytes()).sections if sec.name}
    except ValueError as err:
        raise UserError(f"{elf}: {err}") from None


def _run(cmd: list[str], what: str) -> None:
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-12:]
        raise RuntimeError(f"{what} failed:\n" + "\n".join(tail))
