"""The compilers and flags compiled carts are built with on the desktop, and
the two builds every cart library links: the runtime library (the engine's
C plus aot/runtime's C++ as librp8rt.a) and the player objects (the runner,
aot/runner/rp8_runner.cpp, and platform/host). Each is named by a key hashing its sources, flags and
the compilers' versions, so a build is reused only for exactly its inputs.

Standard library only (console.cache's key, console.sources' folders): setup.py
uses this module to build both at install time (console/aot_prebuilt.py),
where rp8's dependencies may not be installed yet.
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

from aot.cpp_runtime import RUNNER_DIR, RUNTIME_DIR
from aot.errors import UserError
from console import cache
from console.sources import ENGINE_DIR, PLATFORM_DIR

HOST_DIR = PLATFORM_DIR / "host"
CXXFLAGS = ["-std=c++17", "-fno-exceptions", "-fno-rtti", "-fno-strict-aliasing",
            "-Wall", "-Wextra", "-Werror"]
# GCC's own (clang and em++ reject them under -Werror): without
# -fno-tree-loop-distribute-patterns GCC turns the runtime's short copy and
# fill loops (a call's arguments moved down for a tail call, a frame's slots
# set to nil) into calls of memmove and memset, which cost more than the two
# or three values they move (4% of physics.p8's frame was memmove)
GCC_CXXFLAGS = ["-fno-tree-loop-distribute-patterns"]
CFLAGS = ["-std=c11", "-Wall", "-Wextra", "-fwrapv"]
# The runtime library (engine and runtime) and the player's objects, built
# once per version of rp8: -O3, and calls between their own global functions
# bound at compile time (-fno-semantic-interposition: a cart's library binds
# them locally anyway, -Bsymbolic and a version script), so GCC inlines them.
# Instructions per frame (valgrind, frames 31-330, against -O2):
# birdswithguns -12%, tetris -9%, jelpi -6%, guncho -2%, cakecut -2%.
OPT = ["-O3", "-fno-semantic-interposition"]
# A cart's own code, compiled for each cart: its compile time is the wait
# before a new cart plays (-O3 compiles longer for the same instructions).
CART_OPT = ["-O2"]
# A cart's own units skip two GCC passes that cost its compile the most for
# the least: scheduling after register allocation (desktop cores reorder
# anyway) and vectorizing (a cart's code has nothing to vectorize). About 8%
# less compile CPU, the same instructions executed per frame (valgrind, within
# 0.5% on rotor, particles, birdswithguns). -O1 compiles in 0.65 of the time
# but runs up to 11% more of the cart's instructions (particles).
GCC_CART_OPT = ["-fno-schedule-insns2", "-fno-tree-vectorize"]
# The quick build a new cart's first play runs while the optimised one is
# made in the background (console/aot_tiers.py). g++ CPU per unit of
# birdswithguns (8k tokens, 2 units; min of 3): optimised 2.7-3.0 s, -O1
# 2.4-2.8 s, -Og 1.1-1.2 s, -O0 0.7 s. Instructions per frame (valgrind; the
# runtime's are the same in every build): particles 0.99 M optimised, 1.57 M
# -Og, 3.17 M -O0; rotor 0.35, 0.49, 1.70 M; birdswithguns 2.02, 2.06, 2.28 M.
# So -Og: well inside a frame's budget, and every corpus cart builds with it.
QUICK_OPT = ["-Og"]
TIERS = ("quick", "optimised")
PORTABLE_ENV = "RP8_CTX_PORTABLE"
PLAYER_OBJECTS = ("rp8_runner.o", "host.o")


class BuildError(UserError):
    """The C++ compiler rejected generated or runtime code (a bug in rp8)."""


@dataclass(frozen=True)
class Toolchain:
    cxx: str = "g++"
    cc: str = "gcc"
    ar: str = "ar"
    flags: tuple[str, ...] = ()     # extra flags for every compile and the link


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


def player_toolchain(tc: Toolchain) -> Toolchain:
    """tc for code that goes into a cart's shared library (position independent)."""
    return Toolchain(tc.cxx, tc.cc, tc.ar, tuple(tc.flags) + ("-fPIC",))


def no_tool(tool: str) -> UserError:
    return UserError(f"{tool}: not found; compiled carts need a C and C++ compiler "
                     "(Debian/Ubuntu: apt install g++; macOS: xcode-select --install)")


@functools.lru_cache(maxsize=None)
def tool_version(tool: str) -> str:
    try:
        done = subprocess.run([tool, "--version"], capture_output=True, text=True)
    except FileNotFoundError:
        raise no_tool(tool) from None
    return done.stdout.splitlines()[0] if done.stdout else tool


def cxx_flags(tc: Toolchain) -> list[str]:
    """CXXFLAGS for tc's C++ compiler, with GCC's own when it is GCC."""
    return CXXFLAGS + ([] if "clang" in tool_version(tc.cxx) else GCC_CXXFLAGS)


def cart_opt(tc: Toolchain, tier: str = "optimised") -> list[str]:
    """Optimisation flags for a cart's own C++ in a build tier (TIERS):
    the optimised build's skip two GCC passes (clang knows neither flag)."""
    if tier == "quick":
        return list(QUICK_OPT)
    if tier != "optimised":
        raise ValueError(f"no build tier {tier!r} (one of {', '.join(TIERS)})")
    return CART_OPT + ([] if "clang" in tool_version(tc.cxx) else GCC_CART_OPT)


def run(cmd: list[str]) -> None:
    try:
        done = subprocess.run(cmd, capture_output=True, text=True)
    except FileNotFoundError:
        raise no_tool(cmd[0]) from None
    if done.returncode != 0:
        raise BuildError(f"{' '.join(cmd[:1])} failed:\n{done.stderr[-6000:]}")


def compile_jobs() -> int:
    """Compilers run at once for one build: one per core (at least 2, at most 8)."""
    return max(2, min(os.cpu_count() or 2, 8))


def parallel(cmds: list[list[str]]) -> None:
    with ThreadPoolExecutor(max_workers=compile_jobs()) as pool:
        for fut in [pool.submit(run, cmd) for cmd in cmds]:
            fut.result()


# ---- the runtime library ----

def runtime_files() -> list[Path]:
    return sorted(RUNTIME_DIR.glob("*.cpp")) + sorted(RUNTIME_DIR.glob("*.h"))


def engine_files() -> list[Path]:
    return sorted(ENGINE_DIR.glob("*.c")) + sorted(ENGINE_DIR.glob("*.h"))


def runtime_key(tc: Toolchain = Toolchain()) -> str:
    files = runtime_files() + engine_files() + [PLATFORM_DIR / "platform.h"]
    return cache.key(tool_version(tc.cxx), tool_version(tc.cc), *tc.flags, *cxx_flags(tc), *CFLAGS, *OPT,
                     files=files)


def runtime_name(tc: Toolchain) -> str:
    """The runtime library's folder name (in the cache and prebuilt)."""
    return f"rt-{runtime_key(tc)}"


def build_runtime(tc: Toolchain, stage: Path) -> None:
    """librp8rt.a into the empty folder stage."""
    jobs = []
    for src in sorted(ENGINE_DIR.glob("*.c")):
        obj = stage / (src.stem + ".o")
        jobs.append([tc.cc, *CFLAGS, *OPT, *tc.flags, f"-I{ENGINE_DIR}", "-c", str(src), "-o", str(obj)])
    for src in sorted(RUNTIME_DIR.glob("rt_*.cpp")):
        obj = stage / (src.stem + ".o")
        jobs.append([tc.cxx, *cxx_flags(tc), *OPT, *tc.flags, f"-I{ENGINE_DIR}", f"-I{RUNTIME_DIR}",
                     f"-I{PLATFORM_DIR}", "-c", str(src), "-o", str(obj)])
    parallel(jobs)
    objs = sorted(stage.glob("*.o"))
    run([tc.ar, "rcs", str(stage / "librp8rt.a"), *map(str, objs)])
    for obj in objs:
        obj.unlink()


# ---- the player objects ----

def runner_files() -> list[Path]:
    """The frame loop (rp8_runner.cpp) and its interface."""
    return [RUNNER_DIR / "rp8_runner.cpp", RUNNER_DIR / "rp8_runner.h"]


def player_files() -> list[Path]:
    return runner_files() + [PLATFORM_DIR / "platform.h", HOST_DIR / "host.c", HOST_DIR / "rp8host.h"]


def player_name(ptc: Toolchain) -> str:
    """The player objects' folder name for a player toolchain: they build
    on the runtime's headers, so their key takes the runtime's."""
    key = cache.key(runtime_name(ptc), *ptc.flags, *cxx_flags(ptc), *OPT, files=player_files() + [Path(__file__)])
    return f"player-{key}"


def build_player_objects(ptc: Toolchain, stage: Path) -> None:
    """The runner and platform/host, compiled once for a player toolchain
    (every cart library links the same two objects), into stage."""
    parallel([
        [ptc.cxx, *cxx_flags(ptc), *OPT, *ptc.flags, f"-I{ENGINE_DIR}", f"-I{RUNTIME_DIR}", f"-I{PLATFORM_DIR}",
         "-c", str(RUNNER_DIR / "rp8_runner.cpp"), "-o", str(stage / "rp8_runner.o")],
        [ptc.cc, "-std=c11", "-Wall", "-Wextra", "-Werror", *OPT, *ptc.flags, f"-I{ENGINE_DIR}",
         f"-I{PLATFORM_DIR}", f"-I{RUNNER_DIR}", "-c", str(HOST_DIR / "host.c"), "-o", str(stage / "host.o")]])
