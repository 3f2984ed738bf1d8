"""UF2: the file a Pico's boot ROM accepts by drag and drop.

Format (Microsoft's public UF2 specification): the image is cut into
512-byte blocks, each carrying up to 476 bytes of payload (the Pico boot
ROM takes 256) for one target address:

    0   magic 0x0A324655 ("UF2\\n")     4  magic 0x9E5D5157
    8   flags (0x2000: word 28 is a family ID)
    12  target address                  16 payload size (256)
    20  block number                    24 number of blocks
    28  family ID                       32 payload, zero padded to 476
    508 magic 0x0AB16F30

Family IDs from pico-sdk's boot/uf2.h: RP2040 0xe48bff56, RP2350 with
Arm cores in secure mode (what pico-sdk builds) 0xe48bff59.
"""
from __future__ import annotations

import io
import struct

MAGIC_START0 = 0x0A324655
MAGIC_START1 = 0x9E5D5157
MAGIC_END = 0x0AB16F30
FLAG_FAMILY_ID = 0x00002000
PAYLOAD = 256
BLOCK = 512
FAMILY = {"rp2040": 0xE48BFF56, "rp2350": 0xE48BFF59}
FLASH_BASE = 0x10000000


def bin_to_uf2(data: bytes, family_id: int, base: int = FLASH_BASE) -> bytes:
    """A flat binary loaded at `base` as UF2 blocks of 256 bytes."""
    if base % PAYLOAD:
        raise ValueError(f"base address 0x{base:x} is not 256-byte aligned")
    pages = {base + off: data[off:off + PAYLOAD].ljust(PAYLOAD, b"\0")
             for off in range(0, len(data), PAYLOAD)}
    return pages_to_uf2(pages, family_id)


def uf2_blocks(uf2: bytes) -> list[tuple[int, bytes, int]]:
    """(address, payload, family) of each block; ValueError on a bad block."""
    if len(uf2) % BLOCK:
        raise ValueError("a UF2 file is a whole number of 512-byte blocks")
    blocks = []
    for off in range(0, len(uf2), BLOCK):
        b = uf2[off:off + BLOCK]
        m0, m1, flags, addr, size, _no, _count, family = struct.unpack_from("<8I", b)
        (end,) = struct.unpack_from("<I", b, 508)
        if (m0, m1, end) != (MAGIC_START0, MAGIC_START1, MAGIC_END) or size > 476:
            raise ValueError(f"block at byte {off} is not a UF2 block")
        blocks.append((addr, b[32:32 + size], family if flags & FLAG_FAMILY_ID else 0))
    return blocks


def elf_to_uf2(elf: bytes, family_id: int) -> bytes:
    """The flash contents of an ELF file (its PT_LOAD segments whose load
    address is in the XIP window) as UF2, one block per 256-byte page that
    holds any of it; pages are written in address order."""
    from elftools.common.exceptions import ELFError
    from elftools.elf.elffile import ELFFile

    try:
        f = ELFFile(io.BytesIO(elf))
        if f.elfclass != 32 or not f.little_endian:
            raise ValueError("not a little-endian 32-bit ELF file")
        segments = [(seg["p_paddr"], seg.data()[:seg["p_filesz"]]) for seg in f.iter_segments()
                    if seg["p_type"] == "PT_LOAD" and seg["p_filesz"]]
    except (ELFError, struct.error) as err:
        raise ValueError(f"not a readable ELF file ({err})") from None
    pages: dict[int, bytearray] = {}
    for paddr, data in segments:
        if not FLASH_BASE <= paddr < FLASH_BASE + (1 << 28):
            continue
        addr, end = paddr, paddr + len(data)
        while addr < end:
            start = addr - addr % PAYLOAD
            n = min(end, start + PAYLOAD) - addr
            page = pages.setdefault(start, bytearray(PAYLOAD))
            page[addr - start:addr - start + n] = data[addr - paddr:addr - paddr + n]
            addr += n
    if not pages:
        raise ValueError("the ELF file loads nothing into flash")
    return pages_to_uf2(pages, family_id)


def pages_to_uf2(pages: dict[int, bytes], family_id: int) -> bytes:
    count = len(pages)
    out = bytearray()
    for n, addr in enumerate(sorted(pages)):
        head = struct.pack("<8I", MAGIC_START0, MAGIC_START1, FLAG_FAMILY_ID,
                           addr, PAYLOAD, n, count, family_id)
        out += head + bytes(pages[addr]).ljust(476, b"\0") + struct.pack("<I", MAGIC_END)
    return bytes(out)
