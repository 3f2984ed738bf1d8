"""Memory budget of a firmware image, read from its ELF file.

Flash: everything the image loads (program headers' load addresses in the
XIP window at 0x10000000), plus the sectors rp8 keeps for cartdata and the
RP2350-E10 workaround at the end of flash. RAM: static data (.data, which
also holds the code copied to SRAM, and .bss), the two cores' stacks and
pico-sdk's minimum heap; the cart's GC arena is a static array inside
.bss and is reported on its own when its symbol is found.
"""
from __future__ import annotations

import io
import re
import shutil
import struct
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from aot.errors import UserError

FLASH_BASE = 0x10000000
RAM_BASE = 0x20000000
RESERVED_FLASH = 3 * 4096      # cartdata (2 sectors) + last sector kept free
ARENA_SYMBOL = re.compile(r"arena|memory", re.I)
SOFT_FLOAT = re.compile(
    r"^__aeabi_(f|d)(add|sub|mul|div|rsub|cmp\w*|neg|2\w+)$|^__aeabi_[iul]+2[fd]$"
    r"|^__(add|sub|mul|div|neg)[sdt]f3$|^__(eq|ne|lt|le|gt|ge|unord|cmp)[sd]f2$"
    r"|^__(float|fix|fixuns)\w*[sd]f$|^__extendsfdf2$|^__truncdfsf2$")


class BudgetError(UserError):
    """The cart does not fit the board."""


@dataclass
class Section:
    name: str
    addr: int
    size: int
    alloc: bool
    nobits: bool


@dataclass
class Elf:
    sections: list[Section]
    loads: list[tuple[int, int]]                     # (load address, file size)
    symbols: dict[str, tuple[int, int]] = field(default_factory=dict)   # name -> (addr, size)


def read_elf(data: bytes) -> Elf:
    """The parts of a little-endian ELF32 file the budget needs (pyelftools)."""
    from elftools.common.exceptions import ELFError
    from elftools.elf.constants import SH_FLAGS
    from elftools.elf.elffile import ELFFile
    from elftools.elf.sections import SymbolTableSection

    try:
        f = ELFFile(io.BytesIO(data))
        if f.elfclass != 32 or not f.little_endian:
            raise ValueError("not a little-endian 32-bit ELF file")
        sections = [Section(s.name, s["sh_addr"], s["sh_size"], bool(s["sh_flags"] & SH_FLAGS.SHF_ALLOC),
                            s["sh_type"] == "SHT_NOBITS") for s in f.iter_sections()]
        loads = [(seg["p_paddr"], seg["p_filesz"]) for seg in f.iter_segments()
                 if seg["p_type"] == "PT_LOAD" and seg["p_filesz"]]
        elf = Elf(sections, loads)
        for sec in f.iter_sections():
            if isinstance(sec, SymbolTableSection) and sec["sh_type"] == "SHT_SYMTAB":
                for sym in sec.iter_symbols():
                    if sym.name:
                        elf.symbols[sym.name] = (sym["st_value"], sym["st_size"])
    except (ELFError, struct.error) as err:
        raise ValueError(f"not a readable ELF file ({err})") from None
    return elf


@dataclass
class Budget:
    flash_bytes: int          # the board's flash
    ram_bytes: int            # the board's SRAM
    flash_used: int           # image + reserved sectors
    static_ram: int           # .data + .bss (+ vector table etc.)
    sram_code: int            # part of .data that is code/constants copied from flash
    stacks: int
    heap: int                 # pico-sdk's minimum heap
    arena: int                # the GC arena inside .bss, 0 if not found
    arena_symbol: str
    growable: int             # bytes static data could still grow by (main RAM left)

    @property
    def ram_used(self) -> int:
        return self.static_ram + self.stacks + self.heap

    def lines(self) -> list[str]:
        def kib(n: int) -> str:
            return f"{n / 1024:.1f} KiB"
        out = [f"flash: {kib(self.flash_used)} of {kib(self.flash_bytes)} "
               f"(incl. {kib(RESERVED_FLASH)} for cartdata), {kib(self.flash_bytes - self.flash_used)} free",
               f"RAM:   {kib(self.ram_used)} of {kib(self.ram_bytes)}, {kib(self.ram_bytes - self.ram_used)} free",
               f"       static {kib(self.static_ram)} (code in SRAM {kib(self.sram_code)}), "
               f"stacks {kib(self.stacks)}, heap {kib(self.heap)}"]
        if self.arena:
            out.append(f"       of which the Lua heap {kib(self.arena)} (the GC arena, "
                       f"{demangle(self.arena_symbol)})")
        return out

    def check(self, what: str) -> None:
        """BudgetError saying by how much `what` is too big, if it is."""
        if self.flash_used > self.flash_bytes:
            raise BudgetError(f"{what} does not fit in flash: {self.flash_used - self.flash_bytes} bytes "
                              f"too many ({self.flash_used} needed, {self.flash_bytes} available)")
        if self.ram_used > self.ram_bytes:
            raise BudgetError(f"{what} does not fit in RAM: {self.ram_used - self.ram_bytes} bytes "
                              f"too many ({self.ram_used} needed, {self.ram_bytes} available)")


def demangle(symbol: str) -> str:
    """A C++ symbol as its source spells it, by the toolchain's c++filt
    (`_ZN12_GLOBAL__N_16memoryE` is `(anonymous namespace)::memory`); the
    symbol itself when no c++filt is installed."""
    if not symbol.startswith("_Z"):
        return symbol
    for tool in ("arm-none-eabi-c++filt", "c++filt"):
        exe = shutil.which(tool)
        if exe is None:
            continue
        try:
            done = subprocess.run([exe, symbol], capture_output=True, text=True, timeout=10)
        except (OSError, subprocess.SubprocessError):
            continue
        name = done.stdout.strip()
        if done.returncode == 0 and name:
            return name
    return symbol


def budget_of(elf: Elf, flash_bytes: int, ram_bytes: int) -> Budget:
    flash_end = max((a + n for a, n in elf.loads if FLASH_BASE <= a < FLASH_BASE + (1 << 28)),
                    default=FLASH_BASE)
    static = stacks = heap = 0
    for s in elf.sections:
        if not s.alloc or not RAM_BASE <= s.addr < RAM_BASE + (1 << 24):
            continue
        if s.name in (".stack_dummy", ".stack1_dummy"):
            stacks += s.size
        elif s.name == ".heap":
            heap += s.size
        else:
            static += s.size
    sram_code = _sram_code(elf)
    arena_name, arena = "", 0
    for name, (_addr, size) in elf.symbols.items():
        if ARENA_SYMBOL.search(name) and size > arena:
            arena_name, arena = name, size
    used = static + stacks + heap
    growable = ram_bytes - used
    # pico-sdk's scripts: the stacks sit in the scratch banks, .heap ends
    # main RAM's static data and __HeapLimit is main RAM's end, so what
    # .bss can still grow by is the gap between the two
    limit = elf.symbols.get("__HeapLimit")
    heap_sec = next((s for s in elf.sections if s.name == ".heap"), None)
    if limit and heap_sec:
        growable = min(growable, limit[0] - (heap_sec.addr + heap_sec.size))
    return Budget(flash_bytes, ram_bytes, flash_end - FLASH_BASE + RESERVED_FLASH, static, sram_code,
                  stacks, heap, arena, arena_name, growable)


def _data_range(elf: Elf) -> tuple[int, int]:
    for s in elf.sections:
        if s.name == ".data":
            return s.addr, s.addr + s.size
    return 0, 0


def _sram_code(elf: Elf) -> int:
    """Bytes of code in .data (copied from flash to SRAM at boot): the sizes
    of the Thumb function symbols (odd addresses) that lie in .data."""
    lo, hi = _data_range(elf)
    return sum(size for name, (addr, size) in elf.symbols.items()
               if lo <= (addr & ~1) < hi and addr & 1 and size)


def float_symbols(elf: Elf) -> list[str]:
    """Soft-float / double helpers linked into the image (should be none)."""
    return sorted(n for n in elf.symbols if SOFT_FLOAT.search(n))


def load_budget(elf_path: Path, flash_bytes: int, ram_bytes: int) -> Budget:
    return budget_of(read_elf(elf_path.read_bytes()), flash_bytes, ram_bytes)


LINK_OVERFLOW = re.compile(r"region [`'](\w+)' overflowed by (\d+) bytes")


def overflow_from_link_log(log: str) -> BudgetError | None:
    """The linker's own 'region RAM overflowed by N bytes', as a BudgetError."""
    m = LINK_OVERFLOW.search(log)
    if not m:
        return None
    region, n = m.group(1), int(m.group(2))
    kind = "flash" if region.upper().startswith("FLASH") else "RAM"
    return BudgetError(f"the cart does not fit in {kind}: {n} bytes too many (linker region {region})")


# Object files that hold floating-point code: libgcc's soft-float and
# double routines (_arm_addsubdf3.o, _addsf3.o, _fixdfsi.o, ...), libm's
# functions (lib_a-s_*.o / sf_ / e_ / ef_ / w_ / wf_), pico-sdk's float and
# double wrappers.
FLOAT_OBJECT = re.compile(
    r"\((_arm_)?_?(addsub|add|sub|mul|div|neg|cmp|eq|ne|lt|le|gt|ge|unord|fix|fixuns|float|floatun"
    r"|extend|trunc|aeabi_[fd])\w*?(sf|df)\w*\.o\)"
    r"|\(lib_a-(s|sf|e|ef|w|wf|k|kf)_\w+\.o\)|(float|double)_(aeabi|math|init)\w*\.c\.o")
MAP_CODE = re.compile(r"^\s*(?:\.(?:text|time_critical)\S*)?\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+(\S+)$")


def float_objects_in_map(map_text: str) -> list[str]:
    """Object files with floating-point code that the link kept (code
    sections of nonzero size in the map's memory map), sorted."""
    _head, sep, body = map_text.partition("Linker script and memory map")
    found: set[str] = set()
    section = ""
    for line in body.splitlines():
        stripped = line.strip()
        if stripped.startswith(".") and " " not in stripped:
            section = stripped                     # name alone; the numbers follow
            continue
        if stripped.startswith("."):
            section = stripped.split()[0]
        m = MAP_CODE.match(line)
        if m and int(m.group(2), 16) and section.startswith((".text", ".time_critical")):
            obj = m.group(3)
            if FLOAT_OBJECT.search(obj):
                found.add(obj.rsplit("/", 1)[-1])
    return sorted(found)
