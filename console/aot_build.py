"""Building C++ carts on the desktop: the runtime library (cached by content
hash), a cart's executable, and running it.

The runtime library is the engine's C sources plus aot/runtime's C++,
compiled once per set of flags into a static archive, an entry of rp8's
cache (console/cache.py: complete or rebuilt, pruned when old). Its key
hashes every source and header, the flags and the compiler's version, so
an edit anywhere rebuilds it and nothing stale is ever linked.
"""
from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

from aot import pipeline
from aot.cpp_backend import CppCart
from aot.cpp_runtime import RUNTIME_DIR
from aot.errors import UserError
from aot.source import Source
from console import cache
from console.sources import ENGINE_DIR, PLATFORM_DIR

HOST_DIR = PLATFORM_DIR / "host"
ROM_DATA = 0x4300
CXXFLAGS = ["-std=c++17", "-fno-exceptions", "-fno-rtti", "-fno-strict-aliasing",
            "-Wall", "-Wextra", "-Werror"]
CFLAGS = ["-std=c11", "-Wall", "-Wextra", "-fwrapv"]
OPT = ["-O2"]


class BuildError(UserError):
    """The C++ compiler rejected generated or runtime code (a bug in rp8)."""


def compile_source(source: Source) -> CppCart:
    """Cart source -> C++ (CartSyntaxError for bad or unsupported code)."""
    return pipeline.to_cpp(source).output


def _no_tool(tool: str) -> UserError:
    return UserError(f"{tool}: not found; compiled carts need a C and C++ compiler "
                     "(Debian/Ubuntu: apt install g++; macOS: xcode-select --install)")


@functools.lru_cache(maxsize=None)
def _tool_version(tool: str) -> str:
    try:
        done = subprocess.run([tool, "--version"], capture_output=True, text=True)
    except FileNotFoundError:
        raise _no_tool(tool) from None
    return done.stdout.splitlines()[0] if done.stdout else tool


def runtime_files() -> list[Path]:
    return sorted(RUNTIME_DIR.glob("*.cpp")) + sorted(RUNTIME_DIR.glob("*.h"))


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


def engine_files() -> list[Path]:
    return sorted(ENGINE_DIR.glob("*.c")) + sorted(ENGINE_DIR.glob("*.h"))


def _run(cmd: list[str]) -> None:
    try:
        done = subprocess.run(cmd, capture_output=True, text=True)
    except FileNotFoundError:
        raise _no_tool(cmd[0]) from None
    if done.returncode != 0:
        raise BuildError(f"{' '.join(cmd[:1])} failed:\n{done.stderr[-6000:]}")


@dataclass(frozen=True)
class Toolchain:
    cxx: str = "g++"
    cc: str = "gcc"
    ar: str = "ar"
    flags: tuple[str, ...] = ()     # extra flags for every compile and the link


PORTABLE_ENV = "RP8_CTX_PORTABLE"


def host_toolchain() -> Toolchain:
    """The compilers `rp8 run --aot` and `rp8 aot --run` build with: g++ and
    gcc, or clang++ and clang where only those are installed (macOS's g++ is
    clang already). RP8_CTX_PORTABLE=1 in the environment selects the
    portable context switch (aot/runtime/rt_ctx.cpp) over the assembly one;
    it is chosen anyway on machines that have no assembly one."""
    if sys.platform == "win32":
        raise UserError("compiled carts (--aot) are not supported yet on Windows: "
                        "the runtime's context switch needs POSIX (aot/runtime/rt_ctx.cpp)")
    cxx, cc = "g++", "gcc"
    if shutil.which(cxx) is None and shutil.which("clang++") is not None:
        cxx, cc = "clang++", "clang"
    flags = ("-DRP8_CTX_PORTABLE=1",) if os.environ.get(PORTABLE_ENV) == "1" else ()
    return Toolchain(cxx, cc, "ar", flags)


def runtime_key(tc: Toolchain = Toolchain()) -> str:
    files = runtime_files() + engine_files() + [PLATFORM_DIR / "platform.h"]
    return cache.key(_tool_version(tc.cxx), _tool_version(tc.cc), *tc.flags, *CXXFLAGS, *CFLAGS, *OPT,
                     files=files)


def runtime_library(tc: Toolchain = Toolchain()) -> Path:
    """librp8rt.a for this toolchain and flags, built once and cached."""
    def build(stage: Path) -> None:
        jobs = []
        for src in sorted(ENGINE_DIR.glob("*.c")):
            obj = stage / (src.stem + ".o")
            jobs.append([tc.cc, *CFLAGS, *OPT, *tc.flags, f"-I{ENGINE_DIR}", "-c", str(src), "-o", str(obj)])
        for src in sorted(RUNTIME_DIR.glob("rt_*.cpp")):
            obj = stage / (src.stem + ".o")
            jobs.append([tc.cxx, *CXXFLAGS, *OPT, *tc.flags, f"-I{ENGINE_DIR}", f"-I{RUNTIME_DIR}",
                         f"-I{PLATFORM_DIR}", "-c", str(src), "-o", str(obj)])
        _parallel(jobs)
        objs = sorted(stage.glob("*.o"))
        _run([tc.ar, "rcs", str(stage / "librp8rt.a"), *map(str, objs)])
        for obj in objs:
            obj.unlink()

    return cache.entry("aot", f"rt-{runtime_key(tc)}", build) / "librp8rt.a"


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
    """A native program that runs the cart's main chunk (host_main.cpp)."""
    lib = runtime_library(tc)
    cpp = write_cart(cart, out_dir)
    exe = out_dir / "cart"
    _run([tc.cxx, *CXXFLAGS, *OPT, *tc.flags, *[f"-D{d}" for d in defines],
          f"-I{ENGINE_DIR}", f"-I{RUNTIME_DIR}", str(cpp), str(RUNTIME_DIR / "host_main.cpp"),
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


def player_files() -> list[Path]:
    return [RUNTIME_DIR / "rt_runner.cpp", RUNTIME_DIR / "rp8_runner.h",
            PLATFORM_DIR / "platform.h", HOST_DIR / "host.c"]


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


PLAYER_OBJECTS = ("rt_runner.o", "host.o")


def player_objects(ptc: Toolchain) -> Path:
    """The runner and platform/host compiled once for a player toolchain
    (every cart library links the same two objects): the folder holding them."""
    lib = runtime_library(ptc)
    key = cache.key(lib.parent.name, *ptc.flags, *CXXFLAGS, *OPT, files=player_files() + [Path(__file__)])

    def build(stage: Path) -> None:
        _parallel([
            [ptc.cxx, *CXXFLAGS, *OPT, *ptc.flags, f"-I{ENGINE_DIR}", f"-I{RUNTIME_DIR}", f"-I{PLATFORM_DIR}",
             "-c", str(RUNTIME_DIR / "rt_runner.cpp"), "-o", str(stage / "rt_runner.o")],
            [ptc.cc, "-std=c11", "-Wall", "-Wextra", "-Werror", *OPT, *ptc.flags, f"-I{ENGINE_DIR}",
             f"-I{PLATFORM_DIR}", "-c", str(HOST_DIR / "host.c"), "-o", str(stage / "host.o")]])

    return cache.entry("aot", f"player-{key}", build)


def compile_jobs() -> int:
    """Compilers run at once for one cart: one per core (at least 2, at most 8)."""
    return max(2, min(os.cpu_count() or 2, 8))


def _parallel(cmds: list[list[str]]) -> None:
    with ThreadPoolExecutor(max_workers=compile_jobs()) as pool:
        for fut in [pool.submit(_run, cmd) for cmd in cmds]:
            fut.result()


def build_player_library(cart: CppCart, rom: bytes, tc: Toolchain = Toolchain(),
                         say: Callable[[str], None] | None = None, name: str = "the cart") -> Path:
    """A shared library of the cart, its data, the runner and platform/host
    on the runtime library: what `rp8 run --aot` loads. Cached by the hash
    of everything that goes into it. The cart's C++ is compiled as one unit
    per core in parallel (CppCart.units); `say` hears what is being built
    when something is (it takes seconds)."""
    ptc = Toolchain(tc.cxx, tc.cc, tc.ar, tuple(tc.flags) + ("-fPIC",))
    key = cache.key(runtime_key(ptc), *ptc.flags, *CXXFLAGS, *OPT, cart.code, rom[:ROM_DATA].hex(),
                    files=player_files() + [Path(__file__)])

    def build(stage: Path) -> None:
        if say is not None and not cache.is_complete(cache.kind_dir("aot") / f"rt-{runtime_key(ptc)}"):
            say("building the runtime for compiled carts (once for this version of rp8)")
        lib = runtime_library(ptc)
        objects = player_objects(ptc)
        if say is not None:
            say(f"compiling {name} to native code ({compile_jobs()} compilers)")
        write_cart(cart, stage, rom=rom)
        units = []
        for i, text in enumerate(cart.units(compile_jobs())):
            units.append(stage / f"cart{i}.cpp")
            units[-1].write_text(text)
        srcs = units + [stage / "cart_rom.cpp"]
        _parallel([[ptc.cxx, *CXXFLAGS, *OPT, *ptc.flags, f"-I{ENGINE_DIR}", f"-I{RUNTIME_DIR}",
                    f"-I{PLATFORM_DIR}", "-c", str(src), "-o", str(src.with_suffix(".o"))] for src in srcs])
        _run([ptc.cxx, *ptc.flags, "-shared", *[str(src.with_suffix(".o")) for src in srcs],
              *[str(objects / o) for o in PLAYER_OBJECTS], str(lib), *_export_only_rp8(stage),
              "-o", str(stage / "cart.so")])
        for p in list(stage.iterdir()):
            if p.name != "cart.so":
                p.unlink()

    return cache.entry("aot", f"cart-{key}", build) / "cart.so"
