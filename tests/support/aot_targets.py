"""The desktop variants of the compiled carts' context switch
(aot/runtime/rt_ctx.cpp), for tests that build and run a program on each:

- "asm": this machine's assembly switch (x86-64 or AArch64);
- "portable": this machine with the portable ucontext switch
  (-DRP8_CTX_PORTABLE=1);
- "aarch64": AArch64 Linux, cross-built with aarch64-linux-gnu-g++ and run
  under qemu-user (natively on an AArch64 machine).

target() skips the test with a message naming what is missing.
"""
from __future__ import annotations

import platform
import shutil
from dataclasses import dataclass

import pytest

from console.aot_build import Toolchain

PORTABLE = "-DRP8_CTX_PORTABLE=1"
NAMES = ("asm", "portable", "aarch64")
AARCH64_SYSROOT = "/usr/aarch64-linux-gnu"
M32 = 0xFFFFFFFF
# A coroutine pool with small C stacks and value and depth limits far out of
# reach, so only the C stack guard can stop a deep recursion (as library
# flags: the pool is sized in rt_co.cpp)
SMALL_STACKS = ("-DRP8_CO_MAX=4", "-DRP8_CO_CSTACK=131072", "-DRP8_CSTACK_MARGIN=32768",
                "-DRP8_CO_SLOTS=1000000", "-DRP8_CO_MAX_DEPTH=100000000")
ASM_MACHINES = {"x86_64": "x86_64", "amd64": "x86_64", "aarch64": "aarch64", "arm64": "aarch64"}


@dataclass(frozen=True)
class Target:
    arch: str                       # x86_64 or aarch64
    toolchain: Toolchain
    runner: tuple[str, ...] = ()    # the emulator a cross-built program runs under


def _need(tools: tuple[str, ...], hint: str = "") -> None:
    missing = [t for t in tools if shutil.which(t) is None]
    if missing:
        pytest.skip(f"{', '.join(missing)} not installed{hint}")


def target(name: str, flags: tuple[str, ...] = ()) -> Target:
    """The target called name, with extra compile flags; or skip."""
    here = ASM_MACHINES.get(platform.machine().lower())
    if name == "aarch64" and here != "aarch64":
        _need(("aarch64-linux-gnu-g++", "aarch64-linux-gnu-gcc", "aarch64-linux-gnu-ar", "qemu-aarch64"),
              " (Debian: apt-get install qemu-user g++-aarch64-linux-gnu)")
        tc = Toolchain("aarch64-linux-gnu-g++", "aarch64-linux-gnu-gcc", "aarch64-linux-gnu-ar", flags)
        return Target("aarch64", tc, ("qemu-aarch64", "-L", AARCH64_SYSROOT))
    _need(("g++", "gcc", "ar"))
    if name == "portable":
        return Target(here or platform.machine(), Toolchain(flags=(PORTABLE, *flags)))
    if here is None or (name == "aarch64") != (here == "aarch64"):
        pytest.skip(f"no {name} assembly context switch on {platform.machine()}")
    return Target(here, Toolchain(flags=flags))


def probe_numbers() -> tuple[int, int]:
    """What the context-switch probes (aot_coswitch_probe.c, aot_ctx_probe.c)
    compute: shared and the main context's checksum after five round trips."""
    shared = 1
    b_locals = [3, 5, 7, 11, 13, 17, 19, 23]
    main = [100, 200, 300, 400, 500, 600, 700, 800]
    for i in range(5):
        cur = [v + (k + 1) * i for k, v in enumerate(b_locals)]
        shared = (shared * 3 + sum(cur)) & M32
        a, b, c, d, e, f, g, h = main
        a ^= shared
        b = (b + a) & M32
        c = (c + b) & M32
        d = (d + c) & M32
        e = (e + d) & M32
        f = (f + e) & M32
        g = (g + f) & M32
        h = (h + g) & M32
        main = [a, b, c, d, e, f, g, h]
    return shared, sum(main) & M32
