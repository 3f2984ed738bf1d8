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
import subprocess
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from aot import pipeline
from aot.cpp_backend import RUNTIME_DIR, CppCart
from aot.source import Source
from console import cache
from console.errors import UserError
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


@functools.lru_cache(maxsize=None)
def _tool_version(tool: str) -> str:
    done = subprocess.run([tool, "--version"], capture_output=True, text=True)
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
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        raise BuildError(f"{' '.join(cmd[:1])} failed:\n{done.stderr[-6000:]}")


@dataclass(frozen=True)
class Toolchain:
    cxx: str = "g++"
    cc: str = "gcc"
    ar: str = "ar"
    flags: tuple[str, ...] = ()     # extra flags for every compile and the link


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
        with ThreadPoolExecutor(max_workers=2) as pool:
            for fut in [pool.submit(_run, cmd) for cmd in jobs]:
                fut.result()
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


def build_player_library(cart: CppCart, rom: bytes, tc: Toolchain = Toolchain()) -> Path:
    """A shared library of the cart, its data, the runner and platform/host
    on the runtime library: what `rp8 run --aot` loads. Cached by the hash
    of everything that goes into it."""
    ptc = Toolchain(tc.cxx, tc.cc, tc.ar, tuple(tc.flags) + ("-fPIC",))
    lib = runtime_library(ptc)
    key = cache.key(lib.parent.name, *ptc.flags, *CXXFLAGS, *OPT, cart.code, rom[:ROM_DATA].hex(),
                    files=player_files() + [Path(__file__)])

    def build(stage: Path) -> None:
        cpp = write_cart(cart, stage, rom=rom)
        host_obj = stage / "host.o"
        # only the runner's and the host's C interface leave the library, so
        # two carts loaded into one process never bind to each other
        exports = stage / "exports.map"
        exports.write_text("{ global: rp8_*; rp8host_*; local: *; };\n")
        _run([ptc.cc, "-std=c11", "-Wall", "-Wextra", "-Werror", *OPT, *ptc.flags, f"-I{ENGINE_DIR}",
              f"-I{PLATFORM_DIR}", "-c", str(HOST_DIR / "host.c"), "-o", str(host_obj)])
        _run([ptc.cxx, *CXXFLAGS, *OPT, *ptc.flags, "-shared", f"-I{ENGINE_DIR}", f"-I{RUNTIME_DIR}",
              f"-I{PLATFORM_DIR}", str(cpp), str(stage / "cart_rom.cpp"), str(RUNTIME_DIR / "rt_runner.cpp"),
              str(host_obj), str(lib), "-Wl,-z,defs", "-Wl,-Bsymbolic", f"-Wl,--version-script={exports}",
              "-o", str(stage / "cart.so")])
        for p in list(stage.iterdir()):
            if p.name != "cart.so":
                p.unlink()

    return cache.entry("aot", f"cart-{key}", build) / "cart.so"
