"""Building C++ carts on the desktop: the runtime library, a cart's
executable or player library, and running it.

The runtime library (the engine's C sources plus aot/runtime's C++ as a
static archive) and the player objects come from console/aot_prebuilt.py
when the installed package carries a build for exactly this toolchain,
flags and sources, else from an entry of rp8's cache (console/cache.py:
complete or rebuilt, pruned when old). Their keys (console/aot_toolchain.py)
hash every source and header, the flags and the compilers' versions, so an
edit anywhere rebuilds them and nothing stale is ever linked.
"""
from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

from aot import pipeline
from aot.cpp_backend import CppCart
from aot.cpp_runtime import RUNNER_DIR, RUNTIME_DIR
from aot.source import Source
from console import aot_prebuilt, cache
from console.aot_toolchain import (CART_OPT, CFLAGS, CXXFLAGS, HOST_DIR, OPT, PLAYER_OBJECTS, PORTABLE_ENV,  # noqa: F401
                                   BuildError, Toolchain, build_player_objects, build_runtime, cart_opt, cxx_flags,
                                   compile_jobs, engine_files, host_toolchain, parallel, player_files,
                                   player_name, player_toolchain, run, runtime_files, runtime_key,
                                   runtime_name)
from console.sources import ENGINE_DIR, PLATFORM_DIR

ROM_DATA = 0x4300


def compile_source(source: Source) -> CppCart:
    """Cart source -> C++ (CartSyntaxError for bad or unsupported code)."""
    return pipeline.to_cpp(source).output


def rom_cpp(rom: bytes) -> str:
    """The cart's data (ROM 0x0000-0x42ff) as the runner's rp8_cart_rom."""
    data = bytes(rom[:ROM_DATA]).ljust(ROM_DATA, b"\0")
    rows = []
    for i in range(0, ROM_DATA, 32):
        rows.append("  " + ",".join(str(b) for b in data[i:i + 32]) + ",")
    return ("// the cart's data: sprites, map, flags, music, sfx (0x4300 bytes)\n"
            "#include <stdint.h>\n"
            f'extern "C" const uint8_t rp8_cart_rom[{ROM_DATA:#x}];\n'
            f'extern "C" const uint8_t rp8_cart_rom[{ROM_DATA:#x}] = {{\n' + "\n".join(rows) + "\n};\n")


def _built(name: str, build: Callable[[Path], None]) -> Path:
    """The installed package's prebuilt folder by that name, else the cache's
    entry (built by build when missing)."""
    found = aot_prebuilt.find(name)
    return found if found is not None else cache.entry("aot", name, build)


def _have(name: str) -> bool:
    return aot_prebuilt.find(name) is not None or cache.is_complete(cache.kind_dir("aot") / name)


def runtime_library(tc: Toolchain = Toolchain()) -> Path:
    """librp8rt.a for this toolchain and flags, built once."""
    return _built(runtime_name(tc), lambda stage: build_runtime(tc, stage)) / "librp8rt.a"


def write_cart(cart: CppCart, out_dir: Path, stem: str = "cart", rom: bytes | None = None) -> Path:
    """cart.cpp and cart.h (and with rom, cart_rom.cpp) into out_dir;
    returns the .cpp."""
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / f"{stem}.h").write_text(cart.header)
    if rom is not None:
        (out_dir / f"{stem}_rom.cpp").write_text(rom_cpp(rom))
    cpp = out_dir / f"{stem}.cpp"
    cpp.write_text(cart.code)
    return cpp


def build_executable(cart: CppCart, out_dir: Path, tc: Toolchain = Toolchain(),
                     defines: Sequence[str] = ()) -> Path:
    """A native program that runs the cart's main chunk (aot/runner/host_main.cpp)."""
    lib = runtime_library(tc)
    cpp = write_cart(cart, out_dir)
    exe = out_dir / "cart"
    run([tc.cxx, *cxx_flags(tc), *CART_OPT, *tc.flags, *[f"-D{d}" for d in defines],
         f"-I{ENGINE_DIR}", f"-I{RUNTIME_DIR}", str(cpp), str(RUNNER_DIR / "host_main.cpp"),
         str(lib), "-o", str(exe)])
    return exe


@dataclass
class RunResult:
    stdout: str
    stderr: str
    returncode: int

    @property
    def lines(self) -> list[str]:
        return self.stdout.splitlines()


def run_executable(exe: Path, timeout: float = 60, env: dict[str, str] | None = None,
                   runner: Sequence[str] = ()) -> RunResult:
    """Run a built program; runner prefixes the command (an emulator such
    as qemu-aarch64 for a cross-built one)."""
    done = subprocess.run([*runner, str(exe)], capture_output=True, timeout=timeout,
                          env=None if env is None else {**os.environ, **env})
    return RunResult(done.stdout.decode("latin-1"), done.stderr.decode("latin-1"), done.returncode)


def _export_only_rp8(stage: Path) -> list[str]:
    """Link flags that let only the runner's and the host's C interface
    leave a cart's library, so two carts loaded into one process never bind
    to each other, and that refuse undefined symbols: a version script for
    GNU ld, an export list for macOS's ld64 (Mach-O symbols carry a leading
    underscore; its two-level namespace binds inside the library already)."""
    if sys.platform == "darwin":
        exports = stage / "exports.txt"
        exports.write_text("_rp8_*\n_rp8host_*\n")
        return ["-Wl,-undefined,error", f"-Wl,-exported_symbols_list,{exports}"]
    exports = stage / "exports.map"
    exports.write_text("{ global: rp8_*; rp8host_*; local: *; };\n")
    return ["-Wl,-z,defs", "-Wl,-Bsymbolic", f"-Wl,--version-script={exports}"]


def player_objects(ptc: Toolchain) -> Path:
    """The folder holding the runner and platform/host objects for a
    player toolchain (aot_toolchain.build_player_objects)."""
    return _built(player_name(ptc), lambda stage: build_player_objects(ptc, stage))


def library_key(cart: CppCart, rom: bytes, ptc: Toolchain, tier: str = "optimised") -> str:
    """The hash of everything that goes into a cart's library for a player
    toolchain and build tier (aot_toolchain.TIERS)."""
    return cache.key(runtime_key(ptc), *ptc.flags, *cxx_flags(ptc), *cart_opt(ptc, tier), cart.code,
                     rom[:ROM_DATA].hex(), files=player_files() + [Path(__file__)])


def library_name(key: str, tier: str = "optimised") -> str:
    """A cart library's cache entry: cart-KEY (optimised), quick-KEY."""
    return f"{'cart' if tier == 'optimised' else tier}-{key}"


def write_units(cart: CppCart, rom: bytes, folder: Path) -> list[Path]:
    """The cart's C++ as one unit per compiler (CppCart.units) plus its data,
    into folder: what link_library compiles."""
    write_cart(cart, folder, rom=rom)
    units = []
    for i, text in enumerate(cart.units(compile_jobs())):
        units.append(folder / f"cart{i}.cpp")
        units[-1].write_text(text)
    (folder / "cart.cpp").unlink()
    return units + [folder / "cart_rom.cpp"]


def link_library(srcs: Sequence[Path], ptc: Toolchain, tier: str, stage: Path) -> None:
    """Compile the units (write_units) in parallel at the tier's flags and
    link them with the runner, platform/host and the runtime library into
    stage/cart.so; nothing else stays in stage."""
    lib = runtime_library(ptc)
    objects = player_objects(ptc)
    parallel([[ptc.cxx, *cxx_flags(ptc), *cart_opt(ptc, tier), *ptc.flags, f"-I{ENGINE_DIR}", f"-I{RUNTIME_DIR}",
               f"-I{PLATFORM_DIR}", "-c", str(src), "-o", str(stage / src.with_suffix(".o").name)]
              for src in srcs])
    run([ptc.cxx, *ptc.flags, "-shared", *[str(stage / src.with_suffix(".o").name) for src in srcs],
         *[str(objects / o) for o in PLAYER_OBJECTS], str(lib), *_export_only_rp8(stage),
         "-o", str(stage / "cart.so")])
    for p in list(stage.iterdir()):
        if p.name != "cart.so":
            p.unlink()


def find_player_library(cart: CppCart, rom: bytes, tc: Toolchain = Toolchain(),
                        tier: str = "optimised") -> Path | None:
    """The cart's library of that tier when the cache holds it complete
    (marked as used, as build_player_library's is)."""
    folder = cache.lookup("aot", library_name(library_key(cart, rom, player_toolchain(tc), tier), tier))
    return None if folder is None else folder / "cart.so"


def build_player_library(cart: CppCart, rom: bytes, tc: Toolchain = Toolchain(),
                         say: Callable[[str], None] | None = None, name: str = "the cart",
                         tier: str = "optimised") -> Path:
    """A shared library of the cart, its data, the runner and platform/host
    on the runtime library: what `rp8 run --aot` loads. Cached by the hash
    of everything that goes into it. The cart's C++ is compiled as one unit
    per core in parallel (CppCart.units) at the tier's flags (the quick
    build's or the optimised one's, aot_toolchain.cart_opt); `say` hears
    what is being built when something is (it takes seconds)."""
    ptc = player_toolchain(tc)
    key = library_key(cart, rom, ptc, tier)

    def build(stage: Path) -> None:
        if say is not None and not _have(runtime_name(ptc)):
            say("building the runtime for compiled carts (once for this version of rp8)")
        runtime_library(ptc)
        if say is not None:
            say(f"compiling {name} to native code: {tier} build ({compile_jobs()} compilers)")
        link_library(write_units(cart, rom, stage), ptc, tier, stage)

    return cache.entry("aot", library_name(key, tier), build) / "cart.so"
