"""Turns an rp2040js cycle profile (cycles by instruction address, from
console.bench.rp2040.run with profile_after) into per-function and
per-source-line tables, using the image's symbols (arm-none-eabi-nm) and
line table (arm-none-eabi-addr2line).

The counts are exact emulated cycles (every executed instruction is
charged to its own address), so the tables add up to the profiled total.
"""
from __future__ import annotations

import bisect
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional

from aot.errors import UserError


@dataclass(frozen=True)
class Symbol:
    addr: int
    size: int
    name: str


class SymbolTable:
    """The image's function symbols, looked up by address."""

    def __init__(self, syms: list[Symbol]) -> None:
        self.syms = sorted(syms, key=lambda s: s.addr)
        self.starts = [s.addr for s in self.syms]

    def find(self, addr: int) -> Optional[Symbol]:
        i = bisect.bisect_right(self.starts, addr) - 1
        if i < 0:
            return None
        s = self.syms[i]
        # a symbol without a size (assembly) covers up to the next one
        if s.size == 0 or addr < s.addr + s.size:
            return s
        return None

    def named(self, name: str) -> list[Symbol]:
        return [s for s in self.syms if s.name == name or s.name.startswith(name + "(")]


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise UserError(f"{name} not found: install gcc-arm-none-eabi (binutils) to profile images")
    return path


def read_symbols(elf: Path) -> SymbolTable:
    """Function symbols (text, weak) of an ELF, demangled; Thumb bit cleared."""
    out = subprocess.run([_tool("arm-none-eabi-nm"), "-n", "-S", "-C", "--defined-only", str(elf)],
                         capture_output=True, text=True, check=True).stdout
    syms = []
    for line in out.splitlines():
        parts = line.split(None, 3)
        if len(parts) == 4:
            addr, size, kind, name = int(parts[0], 16), int(parts[1], 16), parts[2], parts[3]
        elif len(parts) == 3:
            addr, size, kind, name = int(parts[0], 16), 0, parts[1], parts[2]
        else:
            continue
        if kind in "tTwW" and not name.startswith("$"):
            syms.append(Symbol(addr & ~1, size, name))
    return SymbolTable(syms)


def by_function(pcs: dict[int, int], table: SymbolTable) -> list[tuple[str, int]]:
    """(function, cycles), most expensive first."""
    acc: dict[str, int] = {}
    for addr, cycles in pcs.items():
        s = table.find(addr)
        name = s.name if s is not None else f"?{addr:#x}"
        acc[name] = acc.get(name, 0) + cycles
    return sorted(acc.items(), key=lambda kv: -kv[1])


def by_line(pcs: dict[int, int], elf: Path, top: int) -> list[tuple[str, int]]:
    """(file:line of the function, cycles) for the `top` hottest source lines."""
    addrs = sorted(pcs)
    out = subprocess.run([_tool("arm-none-eabi-addr2line"), "-e", str(elf), "-f", "-C", "-s"],
                         input="\n".join(f"{a:#x}" for a in addrs), capture_output=True,
                         text=True, check=True).stdout.splitlines()
    acc: dict[str, int] = {}
    for i, addr in enumerate(addrs):
        fn, loc = (out[2 * i], out[2 * i + 1]) if 2 * i + 1 < len(out) else ("?", "?")
        key = f"{loc.split(' ')[0]} ({fn})"
        acc[key] = acc.get(key, 0) + pcs[addr]
    return sorted(acc.items(), key=lambda kv: -kv[1])[:top]


def caller_table(callers: dict[int, int], table: SymbolTable) -> list[tuple[str, int]]:
    """Cycles spent in the watched helpers, by the function that called them."""
    return by_function(callers, table)


def format_table(rows: list[tuple[str, int]], total: int, frames: int, clock_mhz: float,
                 top: int) -> list[str]:
    out = [f"{'cycles/frame':>13} {'ms@' + format(clock_mhz, 'g'):>8} {'share':>6}  where"]
    for name, cycles in rows[:top]:
        per = cycles / max(1, frames)
        out.append(f"{per:13.0f} {per / (clock_mhz * 1000):8.3f} {100 * cycles / max(1, total):5.1f}%  {name}")
    return out


def function_report(cart: Path, frames: int, warmup: int, seed_raw: int,
                    buttons: Callable[[int], list[int]], clock_mhz: float, top: int) -> list[str]:
    """`rp8 bench --profile K`: run the cart's rp2040 image once more with
    the cycle profile on after `warmup` frames, and list the `top`
    functions by emulated cycles per measured frame. The first line says
    what the numbers are; then format_table's header and one row each."""
    from console.bench import image as images
    from console.bench import rp2040

    img = images.build_cart("rp2040", cart)
    table = read_symbols(img.elf)
    res = rp2040.run(img, warmup + frames, buttons, seed_raw=seed_raw, profile_after=warmup)
    if res.profile is None or res.status != "done":
        raise UserError(f"{cart}: the profiled rp2040 image stopped ({res.status})")
    p = res.profile
    head = (f"[rp2040 profile] EMULATED cycles per frame by function (rp2040js, every instruction "
            f"charged to its function; no XIP cache model), top {top} over {frames} frames after "
            f"{warmup} warm-up: {p.cycles / frames:.0f} cycles per frame in all")
    return [head] + format_table(by_function(p.pcs, table), p.cycles, frames, clock_mhz, top)
