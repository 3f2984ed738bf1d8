"""Memory budgets from an ELF file and UF2 writing (console/firmware),
checked on a synthetic ELF built here byte by byte."""
from __future__ import annotations

import struct

import pytest

import shutil
import subprocess
from pathlib import Path

from console.firmware.budget import (BudgetError, budget_of, float_objects_in_map, float_symbols,
                                     overflow_from_link_log, read_elf)
from console.firmware.uf2 import FAMILY, bin_to_uf2, elf_to_uf2, uf2_blocks

SHF_ALLOC = 2
PROGBITS, SYMTAB, STRTAB, NOBITS = 1, 2, 3, 8


def make_elf(sections: list[tuple[str, int, int, int, bytes | int]],
             loads: list[tuple[int, int, bytes]], symbols: list[tuple[str, int, int]]) -> bytes:
    """sections: (name, type, flags, addr, contents or size for NOBITS);
    loads: (vaddr, paddr, bytes); symbols: (name, value, size)."""
    strtab = b"\0" + b"".join(n.encode() + b"\0" for n, _v, _s in symbols)
    sym = bytearray(16)
    pos = 1
    for name, value, size in symbols:
        sym += struct.pack("<IIIBBH", pos, value, size, 0x12, 0, 1)
        pos += len(name) + 1
    allsec = [("", 0, 0, 0, b"")] + sections + [(".symtab", SYMTAB, 0, 0, bytes(sym)),
                                                 (".strtab", STRTAB, 0, 0, strtab), (".shstrtab", STRTAB, 0, 0, b"")]
    shstr = b"\0" + b"".join(s[0].encode() + b"\0" for s in allsec[1:])
    allsec[-1] = (".shstrtab", STRTAB, 0, 0, shstr)
    body = bytearray(52 + 32 * len(loads))
    offsets = []
    for _name, typ, _fl, _addr, data in allsec:
        offsets.append(len(body))
        if typ != NOBITS:
            body += data
    load_offs = []
    for _v, _p, data in loads:
        load_offs.append(len(body))
        body += data
    while len(body) % 4:
        body += b"\0"
    shoff = len(body)
    npos = 1
    for i, (name, typ, flags, addr, data) in enumerate(allsec):
        size = data if isinstance(data, int) else len(data)
        link = len(allsec) - 2 if typ == SYMTAB else 0
        body += struct.pack("<10I", npos if i else 0, typ, flags, addr, offsets[i], size, link, 0, 4,
                            16 if typ == SYMTAB else 0)
        if i:
            npos += len(name) + 1
    for k, (vaddr, paddr, data) in enumerate(loads):
        struct.pack_into("<8I", body, 52 + 32 * k, 1, load_offs[k], vaddr, paddr, len(data), len(data), 5, 4)
    struct.pack_into("<4sBBBB8xHHIIIIIHHHHHH", body, 0, b"\x7fELF", 1, 1, 1, 0, 2, 40, 1, 0x10000101,
                     52, shoff, 0, 52, 32, len(loads), 40, len(allsec), len(allsec) - 1)
    return bytes(body)


TEXT = bytes(range(256)) * 4 + b"\xAA" * 100            # 1124 bytes at 0x10000000
DATA = b"\x55" * 300                                      # .data, loaded after .text


def sample_elf(bss: int = 0x30000, extra_syms: list[tuple[str, int, int]] = []) -> bytes:
    data_lma = 0x10000000 + len(TEXT)
    return make_elf(
        sections=[(".text", PROGBITS, SHF_ALLOC | 4, 0x10000000, TEXT),
                  (".data", PROGBITS, SHF_ALLOC | 1, 0x20000000, DATA),
                  (".bss", NOBITS, SHF_ALLOC | 1, 0x20000200, bss),
                  (".heap", NOBITS, SHF_ALLOC, 0x20000200 + bss, 0x800),
                  (".stack1_dummy", NOBITS, SHF_ALLOC, 0x20040000, 0x800),
                  (".stack_dummy", NOBITS, SHF_ALLOC, 0x20041000, 0x800),
                  (".debug_info", PROGBITS, 0, 0, b"xx")],
        loads=[(0x10000000, 0x10000000, TEXT), (0x20000000, data_lma, DATA)],
        symbols=[("__HeapLimit", 0x20040000, 0), ("hot_func", 0x20000001, 100),
                 ("_ZN12_GLOBAL__N_16memoryE", 0x20000400, 0x10000), ("main", 0x10000101, 40)] + extra_syms)


def test_budget_of_synthetic_elf() -> None:
    b = budget_of(read_elf(sample_elf()), flash_bytes=2 << 20, ram_bytes=264 * 1024)
    assert b.flash_used == len(TEXT) + len(DATA) + 3 * 4096     # image + cartdata/E10 sectors
    assert b.static_ram == len(DATA) + 0x30000
    assert (b.stacks, b.heap, b.sram_code) == (0x1000, 0x800, 100)
    assert b.ram_used == len(DATA) + 0x30000 + 0x1000 + 0x800
    assert (b.arena, b.arena_symbol) == (0x10000, "_ZN12_GLOBAL__N_16memoryE")
    # main RAM ends at __HeapLimit; .heap ends at 0x20000200 + 0x30000 + 0x800
    assert b.growable == 0x20040000 - (0x20000200 + 0x30000 + 0x800)
    b.check("the cart")                                           # fits: no error
    arena_line = [ln for ln in b.lines() if "Lua heap" in ln]
    assert arena_line == ["       of which the Lua heap 64.0 KiB (the GC arena, (anonymous namespace)::memory)"]


def test_budget_refuses_with_the_excess() -> None:
    b = budget_of(read_elf(sample_elf(bss=0x50000)), flash_bytes=2 << 20, ram_bytes=264 * 1024)
    need = len(DATA) + 0x50000 + 0x1000 + 0x800
    with pytest.raises(BudgetError, match=rf"does not fit in RAM: {need - 264 * 1024} bytes too many"):
        b.check("the cart")
    small = budget_of(read_elf(sample_elf()), flash_bytes=8 * 1024, ram_bytes=264 * 1024)
    with pytest.raises(BudgetError, match=rf"does not fit in flash: {len(TEXT) + len(DATA) + 12288 - 8192} bytes"):
        small.check("the cart")


def test_float_symbols() -> None:
    assert float_symbols(read_elf(sample_elf())) == []
    elf = sample_elf(extra_syms=[("__aeabi_dadd", 0x10000201, 10), ("__aeabi_f2iz", 0x10000301, 8),
                                 ("__aeabi_fcmplt", 0x10000401, 4), ("__addsf3", 0x10000501, 4),
                                 ("__aeabi_idiv", 0x10000601, 4), ("__aeabi_uidivmod", 0x10000701, 4)])
    assert float_symbols(read_elf(elf)) == ["__addsf3", "__aeabi_dadd", "__aeabi_f2iz", "__aeabi_fcmplt"]


MAP = """Archive member included to satisfy reference by file (symbol)

/usr/lib/gcc/arm-none-eabi/12.2.1/thumb/v6-m/nofp/libgcc.a(muldf3.o)
                              main.o (__aeabi_dmul)

Discarded input sections

 .text          0x00000000      0x588 /usr/lib/gcc/arm-none-eabi/12.2.1/thumb/v6-m/nofp/libgcc.a(muldf3.o)

Linker script and memory map

 .text          0x10000100       0x40 CMakeFiles/rp8.dir/main.c.o
 .text.sinf
                0x10000200      0x120 /usr/lib/arm-none-eabi/lib/thumb/v6-m/nofp/libm.a(lib_a-sf_sin.o)
 .debug_info    0x00000000      0x7b5 /usr/lib/gcc/arm-none-eabi/12.2.1/thumb/v6-m/nofp/libgcc.a(adddf3.o)
 .text          0x10000400       0x78 /usr/lib/gcc/arm-none-eabi/12.2.1/thumb/v6-m/nofp/libgcc.a(_dvmd_tls.o)
 .time_critical.x
                0x20000000       0x10 /x/libgcc.a(fixsfsi.o)
"""


def test_float_objects_in_map_synthetic() -> None:
    # muldf3.o was discarded by --gc-sections, adddf3.o left only debug info
    assert float_objects_in_map(MAP) == ["libgcc.a(fixsfsi.o)", "libm.a(lib_a-sf_sin.o)"]


@pytest.mark.skipif(shutil.which("arm-none-eabi-gcc") is None, reason="arm-none-eabi-gcc not installed")
def test_float_detection_on_a_real_link(tmp_path: Path) -> None:
    src = tmp_path / "f.c"
    src.write_text("volatile double a = 2, b = 3; volatile float c = 4;\n"
                   "int main(void) { return (int)(a * b + 1.5) + (int)(c / 3.0f); }\n")
    subprocess.run(["arm-none-eabi-gcc", "-mcpu=cortex-m0plus", "-mthumb", "-Os", "--specs=nosys.specs",
                    "-Wl,--gc-sections", f"-Wl,-Map={tmp_path / 'f.map'}", str(src), "-o", str(tmp_path / "f.elf")],
                   check=True, capture_output=True)
    objs = float_objects_in_map((tmp_path / "f.map").read_text())
    assert {"libgcc.a(muldf3.o)", "libgcc.a(divsf3.o)"} <= set(objs)
    syms = float_symbols(read_elf((tmp_path / "f.elf").read_bytes()))
    assert {"__aeabi_dmul", "__aeabi_fdiv", "__aeabi_d2iz"} <= set(syms)


def test_linker_overflow_message() -> None:
    log = "ld: rp8.elf section `.bss' will not fit in region `RAM'\nld: region `RAM' overflowed by 3080 bytes\n"
    err = overflow_from_link_log(log)
    assert err is not None and str(err) == "the cart does not fit in RAM: 3080 bytes too many (linker region RAM)"
    assert overflow_from_link_log("all good") is None


# ---- UF2 ----

def test_family_ids() -> None:
    # pico-sdk boot/uf2.h: RP2040_FAMILY_ID, RP2350_ARM_S_FAMILY_ID
    assert FAMILY == {"rp2040": 0xE48BFF56, "rp2350": 0xE48BFF59}


def test_uf2_block_layout_exact() -> None:
    data = bytes(range(256)) + b"\x01\x02\x03"
    uf2 = bin_to_uf2(data, 0xE48BFF56)
    assert len(uf2) == 2 * 512
    b0, b1 = uf2[:512], uf2[512:]
    assert b0[:32] == struct.pack("<8I", 0x0A324655, 0x9E5D5157, 0x2000, 0x10000000, 256, 0, 2, 0xE48BFF56)
    assert b0[32:288] == bytes(range(256)) and b0[288:508] == bytes(220)
    assert b0[508:] == struct.pack("<I", 0x0AB16F30)
    assert b1[:32] == struct.pack("<8I", 0x0A324655, 0x9E5D5157, 0x2000, 0x10000100, 256, 1, 2, 0xE48BFF56)
    assert b1[32:35] == b"\x01\x02\x03" and b1[35:508] == bytes(473)
    assert uf2[:4] == b"UF2\n"


def test_elf_to_uf2_takes_flash_loads_only() -> None:
    uf2 = elf_to_uf2(sample_elf(), 0xE48BFF59)
    blocks = uf2_blocks(uf2)
    image = TEXT + DATA                                   # .data's load address follows .text
    assert [a for a, _p, _f in blocks] == [0x10000000 + 256 * i for i in range(len(blocks))]
    assert len(blocks) == (len(image) + 255) // 256
    assert b"".join(p for _a, p, _f in blocks)[:len(image)] == image
    assert all(f == 0xE48BFF59 for _a, _p, f in blocks)
    assert struct.unpack_from("<I", uf2, 24)[0] == len(blocks)


def test_uf2_reader_rejects_garbage() -> None:
    with pytest.raises(ValueError):
        uf2_blocks(b"\0" * 512)
    with pytest.raises(ValueError):
        bin_to_uf2(b"x", 0xE48BFF56, base=0x10000001)
